//! Lens source written in YAML, read into the same positioned tree the JSON parser builds, so
//! the validator checks it with the same rules and points at lines and columns of the YAML.
//! Plain scalars resolve by YAML 1.2's core schema, as YAML-to-JSON lens generators do: `1`
//! is a number and `yes` is text, and a number where the lens wants text is the validator's to
//! report. Anchors and aliases are expanded, within a bound that keeps a small file from
//! expanding into an enormous one.

pub mod write;

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

use crate::json::{Kind, MAX_DEPTH, Member, SyntaxError, Value};

/// The most values alias expansion may produce: a 500,000-character lens has about 30,000, so
/// anything beyond is an alias bomb, not a lens.
const MAX_VALUES: usize = 1_000_000;

/// Parses `source` as one YAML document.
pub fn parse(source: &str) -> Result<Value<'static>, SyntaxError> {
    let offsets = Offsets::new(source);
    let mut builder = Builder {
        offsets: &offsets,
        stack: Vec::new(),
        anchors: Vec::new(),
        values: 0,
        root: None,
    };
    let mut documents = 0;
    for event in Parser::new_from_str(source).keep_tags(true) {
        let (event, span) = event.map_err(|error| scan_error(source, &offsets, &error))?;
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(SyntaxError::new(
                        offsets.byte(span.start.index()),
                        "The file holds more than one YAML document; a lens is one document.",
                    )
                    .fix("Remove the `---` and everything after it, or split the file in two."));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let is_str = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let kind = scalar(text, style, is_str);
                let value = builder.value(kind, span, span);
                builder.add(value, anchor)?;
            }
            Event::Alias(anchor) => {
                let value = builder.alias(anchor, span)?;
                builder.add(value, 0)?;
            }
            Event::SequenceStart(anchor, _) => {
                builder.open(Open::Sequence(Vec::new()), span, anchor)?;
            }
            Event::MappingStart(anchor, _) => {
                let mapping = Open::Mapping {
                    members: Vec::new(),
                    key: None,
                };
                builder.open(mapping, span, anchor)?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(span)?,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    builder.root.ok_or_else(|| {
        SyntaxError::new(0, "The document is empty; a lens is a YAML mapping.")
            .fix("Write the lens starting with `schemaVersion: \"2021-11-01\"` and `name:`.")
    })
}

/// The byte offset in `source` of the `index`-th character of the scalar that starts at
/// `start`, so that a position inside a risk-rule condition maps back to the YAML. Quoted
/// scalars skip their opening quote; a block scalar's text starts on the line after its
/// indicator.
pub fn offset_in_scalar(source: &str, start: usize, index: usize) -> usize {
    let rest = &source[start.min(source.len())..];
    let (skip, text) = match rest.as_bytes().first() {
        Some(b'"' | b'\'') => (1, &rest[1..]),
        Some(b'|' | b'>') => {
            let line = rest.find('\n').map_or(rest.len(), |at| at + 1);
            let body = &rest[line..];
            let indent = body.len() - body.trim_start_matches(' ').len();
            (line + indent, &body[indent..])
        }
        _ => (0, rest),
    };
    let within = text
        .char_indices()
        .nth(index)
        .map_or(text.len(), |(at, _)| at);
    start + skip + within
}

enum Open {
    Sequence(Vec<Value<'static>>),
    Mapping {
        members: Vec<Member<'static>>,
        key: Option<(Cow<'static, str>, usize)>,
    },
}

struct Frame {
    open: Open,
    start: usize,
    anchor: usize,
}

struct Builder<'o> {
    offsets: &'o Offsets,
    stack: Vec<Frame>,
    /// Values by anchor id (the parser numbers anchors from 1).
    anchors: Vec<Option<Value<'static>>>,
    values: usize,
    root: Option<Value<'static>>,
}

impl Builder<'_> {
    fn value(&self, kind: Kind<'static>, from: Span, to: Span) -> Value<'static> {
        Value {
            kind,
            start: self.offsets.byte(from.start.index()),
            end: self.offsets.byte(to.end.index()),
        }
    }

    fn open(&mut self, open: Open, span: Span, anchor: usize) -> Result<(), SyntaxError> {
        let start = self.offsets.byte(span.start.index());
        if self.stack.len() >= MAX_DEPTH {
            return Err(SyntaxError::new(
                start,
                format!(
                    "The YAML is nested more than {MAX_DEPTH} levels deep; a lens needs far fewer."
                ),
            ));
        }
        self.stack.push(Frame {
            open,
            start,
            anchor,
        });
        Ok(())
    }

    fn close(&mut self, span: Span) -> Result<(), SyntaxError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let kind = match frame.open {
            Open::Sequence(items) => Kind::Array(items),
            Open::Mapping { members, .. } => Kind::Object(members),
        };
        let value = Value {
            kind,
            start: frame.start,
            end: self.offsets.byte(span.end.index()).max(frame.start),
        };
        self.add(value, frame.anchor)
    }

    fn alias(&mut self, anchor: usize, span: Span) -> Result<Value<'static>, SyntaxError> {
        let at = self.offsets.byte(span.start.index());
        let Some(Some(value)) = self.anchors.get(anchor) else {
            return Err(SyntaxError::new(
                at,
                "This alias refers to an anchor whose value is not complete here: an alias cannot sit inside the value it names.",
            )
            .fix("Move the alias (`*name`) below the value its anchor (`&name`) is on."));
        };
        self.values += count(value);
        if self.values > MAX_VALUES {
            return Err(SyntaxError::new(
                at,
                format!("Aliases expand this file to more than {MAX_VALUES} values; a lens has far fewer."),
            )
            .fix("Write the repeated parts out instead of nesting aliases."));
        }
        let mut value = value.clone();
        value.start = at;
        value.end = self.offsets.byte(span.end.index());
        Ok(value)
    }

    fn add(&mut self, value: Value<'static>, anchor: usize) -> Result<(), SyntaxError> {
        self.values += 1;
        if anchor > 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, None);
            }
            self.anchors[anchor] = Some(value.clone());
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        match &mut frame.open {
            Open::Sequence(items) => items.push(value),
            Open::Mapping { members, key } => match key.take() {
                Some((key, key_start)) => members.push(Member {
                    key,
                    key_start,
                    value,
                }),
                None => {
                    let key_start = value.start;
                    *key = Some((key_text(value)?, key_start));
                }
            },
        }
        Ok(())
    }
}

fn key_text(value: Value<'static>) -> Result<Cow<'static, str>, SyntaxError> {
    match value.kind {
        Kind::String(text) => Ok(text),
        Kind::Null => Ok(Cow::Borrowed("")),
        Kind::Bool(b) => Ok(Cow::Owned(b.to_string())),
        Kind::Number(n) => Ok(Cow::Owned(n.to_string())),
        Kind::Array(_) | Kind::Object(_) => Err(SyntaxError::new(
            value.start,
            "A mapping key is a list or a mapping here; lens member names are text.",
        )
        .fix("Write the member name as plain text followed by `:`.")),
    }
}

fn count(value: &Value<'_>) -> usize {
    1 + match &value.kind {
        Kind::Array(items) => items.iter().map(count).sum(),
        Kind::Object(members) => members.iter().map(|m| count(&m.value)).sum(),
        _ => 0,
    }
}

fn scalar(text: Cow<'_, str>, style: ScalarStyle, is_str: bool) -> Kind<'static> {
    if style != ScalarStyle::Plain || is_str {
        return Kind::String(Cow::Owned(text.into_owned()));
    }
    resolve_plain(&text).unwrap_or_else(|| Kind::String(Cow::Owned(text.into_owned())))
}

/// What YAML 1.2's core schema makes of a plain scalar other than text.
pub(crate) fn resolve_plain(text: &str) -> Option<Kind<'static>> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Kind::Null),
        "true" | "True" | "TRUE" => return Some(Kind::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Kind::Bool(false)),
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let negative = text.starts_with('-');
    let signed = |n: f64| if negative { -n } else { n };
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(Kind::Number(signed(f64::INFINITY))),
        ".nan" | ".NaN" | ".NAN" if unsigned == text => return Some(Kind::Number(f64::NAN)),
        _ => {}
    }
    if unsigned == text {
        if let Some(octal) = text.strip_prefix("0o") {
            return radix(octal, 8);
        }
        if let Some(hex) = text.strip_prefix("0x") {
            return radix(hex, 16);
        }
    }
    if is_decimal(unsigned) {
        return unsigned
            .parse::<f64>()
            .ok()
            .map(|n| Kind::Number(signed(n)));
    }
    None
}

fn radix(digits: &str, radix: u32) -> Option<Kind<'static>> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    digits
        .chars()
        .try_fold(0f64, |n, c| {
            Some(n * f64::from(radix) + f64::from(c.to_digit(radix)?))
        })
        .map(Kind::Number)
}

/// `[0-9]+(\.[0-9]*)?` or `\.[0-9]+`, then an optional exponent: the core schema's numbers.
fn is_decimal(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        None => digits(mantissa),
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

fn scan_error(source: &str, offsets: &Offsets, error: &ScanError) -> SyntaxError {
    let mut at = offsets.byte(error.marker().index());
    let info = error.info();
    // The parser reports a stray tab where the scalar before it starts; the tab is what the
    // author has to find.
    if info.contains("found a tab") {
        at = source[at..].find('\t').map_or(at, |tab| at + tab);
    }
    let error = SyntaxError::new(at, format!("{info}."));
    if info.contains("tab") {
        error.fix("Indent with spaces: YAML does not accept tabs for indentation.")
    } else if info.contains("mapping values are not allowed") {
        error.fix("Quote the text if it contains `: `, or check the indentation of this line.")
    } else {
        error
    }
}

/// Character indices, which the YAML parser counts, to byte offsets, which the rest of the
/// crate uses.
struct Offsets {
    /// Empty when the source is ASCII and the two are the same.
    bytes: Vec<usize>,
    len: usize,
}

impl Offsets {
    fn new(source: &str) -> Self {
        let bytes = if source.is_ascii() {
            Vec::new()
        } else {
            source.char_indices().map(|(at, _)| at).collect()
        };
        Self {
            bytes,
            len: source.len(),
        }
    }

    fn byte(&self, index: usize) -> usize {
        if self.bytes.is_empty() {
            index.min(self.len)
        } else {
            self.bytes.get(index).copied().unwrap_or(self.len)
        }
    }
}
