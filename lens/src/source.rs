//! Lens source files: JSON, which ImportLens takes as it is, or YAML, which is imported as the
//! JSON it describes.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::{
    json::{self, SyntaxError},
    yaml,
};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Json,
    Yaml,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        }
    }

    /// The format a file's extension names, if it names one.
    pub fn from_file_name(name: &str) -> Option<Format> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            _ => None,
        }
    }

    /// The format of pasted text: JSON when it opens with `{` (or is not recognisably YAML,
    /// so that a typing mistake is explained in JSON's terms), YAML when it opens with a
    /// document marker, a comment, a list item or a `key:`.
    pub fn detect(text: &str) -> Format {
        let text = text.trim_start_matches('\u{feff}').trim_start();
        if text.starts_with('{') {
            return Format::Json;
        }
        if text.starts_with("---") || text.starts_with('#') || text.starts_with("- ") {
            return Format::Yaml;
        }
        let first_line = text.lines().next().unwrap_or_default();
        let key = first_line.split_once(':').map(|(key, _)| key.trim());
        let is_key = key.is_some_and(|key| {
            let unquoted = key.trim_matches(|c| c == '"' || c == '\'');
            !unquoted.is_empty()
                && unquoted
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        });
        if is_key { Format::Yaml } else { Format::Json }
    }

    /// The file's extension when it names a format, else what the text looks like.
    pub fn of(file_name: Option<&str>, text: &str) -> Format {
        file_name
            .and_then(Format::from_file_name)
            .unwrap_or_else(|| Format::detect(text))
    }
}

/// The JSON that ImportLens receives for `text`.
pub fn to_json(text: &str, format: Format) -> Result<Cow<'_, str>, SyntaxError> {
    match format {
        Format::Json => Ok(Cow::Borrowed(text)),
        Format::Yaml => Ok(Cow::Owned(json::write::to_string_pretty(&yaml::parse(
            text,
        )?))),
    }
}

/// `text` as YAML, member order and unknown members kept.
pub fn to_yaml(text: &str, format: Format) -> Result<String, SyntaxError> {
    Ok(match format {
        Format::Json => {
            let start = usize::from(text.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
            yaml::write::to_string(&json::parse(text, start)?)
        }
        Format::Yaml => yaml::write::to_string(&yaml::parse(text)?),
    })
}
