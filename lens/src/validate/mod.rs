//! The lens validator: every rule of the custom lens format, each problem with its JSON path
//! and line:column. Errors are what ImportLens would refuse or what leaves the lens broken;
//! warnings are accepted but suspicious. Where the format's specification and the API model
//! disagree on a limit, beyond the looser one is an error and beyond the stricter a warning.

use serde::{Deserialize, Serialize};

pub mod charset;
mod check;
mod path;
mod risk;
mod structure;

use crate::{
    json,
    model::Lens,
    problem::{Problem, Rule, Severity},
    source::Format,
    yaml,
};
use check::{Check, Found};
use path::Path;

/// The most ImportLens accepts, counted as the API counts a string's length: in characters.
pub const MAX_LENS_CHARS: usize = 500_000;
const MAX_PILLARS: usize = 10;
const MAX_QUESTIONS: usize = 20;
const MAX_CHOICES: usize = 15;
const MAX_RISK_RULES: usize = 3;
const MAX_RESOURCE_CONTENT: usize = 5;
const MAX_URL: usize = 2048;
const MAX_DISPLAY_TEXT: usize = 2048;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// In document order.
    pub problems: Vec<Problem>,
    /// The lens as far as it could be read; `None` when the text is not a JSON object.
    pub lens: Option<Lens>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Whether ImportLens may be called with this text.
    pub fn is_importable(&self) -> bool {
        self.errors() == 0
    }

    fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }
}

/// Validates lens JSON.
pub fn validate(text: &str) -> Report {
    validate_as(text, Format::Json)
}

/// Validates lens source in either format; positions are in `text`. A YAML lens is measured
/// against ImportLens's size limit as the JSON it is imported as.
pub fn validate_as(text: &str, format: Format) -> Report {
    let mut check = Check {
        source: text,
        format,
        found: Vec::new(),
    };
    let mut start = 0;
    if text.starts_with('\u{feff}') {
        start = '\u{feff}'.len_utf8();
        // YAML allows a byte order mark before the document; JSON does not.
        if format == Format::Json {
            check.error(
                Rule::ByteOrderMark,
                &Path::Root,
                0,
                "The file starts with a UTF-8 byte order mark, which is not part of JSON.".into(),
                Some("Save the file as UTF-8 without a BOM.".into()),
            );
        }
    }
    let document = match format {
        Format::Json => json::parse(text, start),
        Format::Yaml => yaml::parse(text),
    };
    let chars = match (&document, format) {
        (Ok(tree), Format::Yaml) => json::write::to_string_pretty(tree).chars().count(),
        _ => text.chars().count(),
    };
    if chars > MAX_LENS_CHARS {
        check.error(
            Rule::TooLarge,
            &Path::Root,
            0,
            format!(
                "The lens is {} characters long{}; ImportLens accepts at most {} (the API counts characters, not bytes).",
                group(chars),
                if format == Format::Yaml { " as JSON" } else { "" },
                group(MAX_LENS_CHARS)
            ),
            Some("Shorten descriptions or split the lens into two.".into()),
        );
    }
    let lens = match document {
        Ok(document) => check.lens(&document),
        Err(syntax) => {
            let (rule, kind) = match format {
                Format::Json => (Rule::JsonSyntax, "JSON"),
                Format::Yaml => (Rule::YamlSyntax, "YAML"),
            };
            check.found.push(Found {
                severity: Severity::Error,
                rule,
                path: String::new(),
                offset: syntax.offset,
                message: format!("Invalid {kind}: {}", syntax.message),
                fix: syntax.fix,
            });
            None
        }
    };
    check.report(lens)
}

fn suggested_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
