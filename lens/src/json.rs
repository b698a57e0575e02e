//! A JSON parser that keeps where every value starts and ends, so that a problem found in the
//! lens can point at its line and column. It follows RFC 8259 strictly and names the usual
//! hand-editing mistakes (trailing commas, NaN, comments, single quotes) at the exact byte.
//! Text without escapes is borrowed from the source: most of a lens is, and not copying it
//! halves the time a large lens takes.

pub mod write;

use std::borrow::Cow;

/// Nesting deeper than this is refused rather than followed: a lens needs eight levels, and a
/// bounded depth keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// What to write instead of `NaN` or `Infinity`: every value of a lens is text, so a number was
/// never what the member wanted.
const NOT_A_VALUE_FIX: &str =
    "Every value of a lens is text: write it in double quotes, or remove the member.";

#[derive(Clone, Debug, PartialEq)]
pub struct Value<'s> {
    pub kind: Kind<'s>,
    /// Byte offsets of the value in the source, end exclusive.
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind<'s> {
    Null,
    Bool(bool),
    Number(f64),
    String(Cow<'s, str>),
    Array(Vec<Value<'s>>),
    Object(Vec<Member<'s>>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member<'s> {
    pub key: Cow<'s, str>,
    /// Byte offset of the key's opening quote.
    pub key_start: usize,
    pub value: Value<'s>,
}

impl<'s> Value<'s> {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn members(&self) -> Option<&[Member<'s>]> {
        match &self.kind {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Value<'s>]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The last member with this key, the one most JSON parsers keep (the validator warns about
    /// the duplicate).
    pub fn get(&self, key: &str) -> Option<&Value<'s>> {
        self.members()?
            .iter()
            .rev()
            .find(|member| member.key == key)
            .map(|member| &member.value)
    }

    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "true or false",
            Kind::Number(_) => "a number",
            Kind::String(_) => "text",
            Kind::Array(_) => "a list",
            Kind::Object(_) => "an object",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
    pub fix: Option<String>,
}

impl SyntaxError {
    pub(crate) fn new(offset: usize, message: impl Into<String>) -> Self {
        Self {
            offset,
            message: message.into(),
            fix: None,
        }
    }

    pub(crate) fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// Parses `source[start..]` as one JSON document.
pub fn parse(source: &str, start: usize) -> Result<Value<'_>, SyntaxError> {
    let mut parser = Parser {
        text: source.as_bytes(),
        at: start,
        source,
    };
    parser.skip_space()?;
    if parser.at >= parser.text.len() {
        return Err(
            SyntaxError::new(parser.at, "The document is empty; a lens is a JSON object.")
                .fix("Paste or upload the lens JSON, starting with `{`."),
        );
    }
    let value = parser.value(0)?;
    parser.skip_space()?;
    if parser.at < parser.text.len() {
        return Err(SyntaxError::new(
            parser.at,
            format!(
                "Unexpected {} after the end of the JSON document.",
                parser.describe_here()
            ),
        )
        .fix("Remove everything after the final `}`."));
    }
    Ok(value)
}

/// The byte offset in `source` of the `index`-th character of the string value whose opening
/// quote is at `quote`, accounting for escapes, so that a position inside a string's text
/// (a risk-rule condition) maps back to the source.
pub fn offset_in_string(source: &str, quote: usize, index: usize) -> usize {
    let bytes = source.as_bytes();
    let mut at = quote + 1;
    let mut seen = 0;
    while at < bytes.len() && bytes[at] != b'"' && seen < index {
        if bytes[at] == b'\\' {
            at += if bytes.get(at + 1) == Some(&b'u') {
                6
            } else {
                2
            };
            // A surrogate pair is one character written as two escapes.
            if bytes.get(at) == Some(&b'\\') && bytes.get(at + 1) == Some(&b'u') {
                let high = source
                    .get(at - 4..at)
                    .and_then(|h| u16::from_str_radix(h, 16).ok());
                if matches!(high, Some(0xD800..=0xDBFF)) {
                    at += 6;
                }
            }
        } else {
            at += source[at..].chars().next().map_or(1, char::len_utf8);
        }
        seen += 1;
    }
    at.min(source.len())
}

struct Parser<'s> {
    text: &'s [u8],
    source: &'s str,
    at: usize,
}

impl<'s> Parser<'s> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn describe_here(&self) -> String {
        match self.source[self.at..].chars().next() {
            None => "end of text".to_owned(),
            Some(c) if c.is_control() => format!("control character U+{:04X}", c as u32),
            Some(c) => format!("`{c}`"),
        }
    }

    fn skip_space(&mut self) -> Result<(), SyntaxError> {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\n' | b'\r' => self.at += 1,
                b'/' if matches!(self.text.get(self.at + 1), Some(b'/' | b'*')) => {
                    return Err(SyntaxError::new(self.at, "JSON has no comments.")
                        .fix("Remove the comment, or move its text into a description."));
                }
                _ => break,
            }
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Value<'s>, SyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(SyntaxError::new(
                self.at,
                format!(
                    "The JSON is nested more than {MAX_DEPTH} levels deep; a lens needs far fewer."
                ),
            ));
        }
        let start = self.at;
        let kind = match self.peek() {
            None => {
                return Err(SyntaxError::new(
                    self.at,
                    "The text ends where a value was expected.",
                ));
            }
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal("true", Kind::Bool(true))?,
            Some(b'f') => self.literal("false", Kind::Bool(false))?,
            Some(b'n') => self.literal("null", Kind::Null)?,
            Some(b'N') if self.text[self.at..].starts_with(b"NaN") => {
                return Err(
                    SyntaxError::new(self.at, "`NaN` is not a JSON value.").fix(NOT_A_VALUE_FIX)
                );
            }
            Some(b'I') if self.text[self.at..].starts_with(b"Infinity") => {
                return Err(SyntaxError::new(self.at, "`Infinity` is not a JSON value.")
                    .fix(NOT_A_VALUE_FIX));
            }
            Some(b'\'') => {
                return Err(SyntaxError::new(
                    self.at,
                    "JSON text is written in double quotes, not single quotes.",
                )
                .fix("Replace the single quotes with double quotes."));
            }
            Some(_) => {
                return Err(SyntaxError::new(
                    self.at,
                    format!(
                        "Unexpected {} where a value was expected.",
                        self.describe_here()
                    ),
                ));
            }
        };
        Ok(Value {
            kind,
            start,
            end: self.at,
        })
    }

    fn literal(&mut self, word: &str, kind: Kind<'s>) -> Result<Kind<'s>, SyntaxError> {
        if self.text[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(kind)
        } else {
            Err(SyntaxError::new(
                self.at,
                format!(
                    "Unexpected {} where a value was expected.",
                    self.describe_here()
                ),
            )
            .fix(format!("Did you mean `{word}`? Text needs double quotes.")))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Kind<'s>, SyntaxError> {
        let open = self.at;
        self.at += 1;
        // Lens objects have two to six members; starting there saves the regrowth.
        let mut members = Vec::with_capacity(6);
        self.skip_space()?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Kind::Object(members));
        }
        loop {
            self.skip_space()?;
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.unclosed(open, '}')),
                Some(b'\'') => {
                    return Err(SyntaxError::new(
                        self.at,
                        "Member names are written in double quotes, not single quotes.",
                    )
                    .fix("Replace the single quotes with double quotes."));
                }
                Some(_) => {
                    return Err(SyntaxError::new(
                        self.at,
                        format!(
                            "Expected a member name in double quotes, found {}.",
                            self.describe_here()
                        ),
                    ));
                }
            }
            let key_start = self.at;
            let key = self.string()?;
            self.skip_space()?;
            if self.peek() != Some(b':') {
                return Err(SyntaxError::new(
                    self.at,
                    format!(
                        "Expected `:` after the member name \"{key}\", found {}.",
                        self.describe_here()
                    ),
                ));
            }
            self.at += 1;
            self.skip_space()?;
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_start,
                value,
            });
            if self.closes_after_item(open, '}')? {
                return Ok(Kind::Object(members));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Kind<'s>, SyntaxError> {
        let open = self.at;
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space()?;
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Kind::Array(items));
        }
        loop {
            self.skip_space()?;
            if self.peek().is_none() {
                return Err(self.unclosed(open, ']'));
            }
            items.push(self.value(depth + 1)?);
            if self.closes_after_item(open, ']')? {
                return Ok(Kind::Array(items));
            }
        }
    }

    /// After a member or item: true when `close` ends the container, false after a comma that
    /// another item follows.
    fn closes_after_item(&mut self, open: usize, close: char) -> Result<bool, SyntaxError> {
        self.skip_space()?;
        match self.peek() {
            Some(b',') => {
                let comma = self.at;
                self.at += 1;
                self.skip_space()?;
                if self.peek() == Some(close as u8) {
                    return Err(trailing_comma(comma));
                }
                Ok(false)
            }
            Some(byte) if byte == close as u8 => {
                self.at += 1;
                Ok(true)
            }
            None => Err(self.unclosed(open, close)),
            Some(_) => {
                let (what, items) = if close == '}' {
                    ("a member", "members")
                } else {
                    ("a list item", "items")
                };
                Err(SyntaxError::new(
                    self.at,
                    format!(
                        "Expected `,` or `{close}` after {what}, found {}.",
                        self.describe_here()
                    ),
                )
                .fix(format!("Add the missing comma between the {items}.")))
            }
        }
    }

    fn unclosed(&self, open: usize, close: char) -> SyntaxError {
        let what = if close == '}' { "object" } else { "list" };
        let opened = crate::position::LineIndex::new(self.source).position(open);
        SyntaxError::new(
            self.at,
            format!(
                "The text ends inside the {what} opened at line {}, column {}.",
                opened.line, opened.column
            ),
        )
        .fix(format!("Close the {what} with `{close}`."))
    }

    fn string(&mut self) -> Result<Cow<'s, str>, SyntaxError> {
        let open = self.at;
        self.at += 1;
        let mut text: Option<String> = None;
        loop {
            let run = self.at;
            let stop = self.text[run..]
                .iter()
                .position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20)
                .map_or(self.text.len(), |n| run + n);
            self.at = stop;
            match self.peek() {
                None => {
                    return Err(SyntaxError::new(
                        open,
                        "This text is never closed with a double quote.",
                    )
                    .fix("Add the closing `\"`."));
                }
                Some(b'"') => {
                    self.at += 1;
                    return Ok(match text {
                        None => Cow::Borrowed(&self.source[open + 1..stop]),
                        Some(mut owned) => {
                            owned.push_str(&self.source[run..stop]);
                            Cow::Owned(owned)
                        }
                    });
                }
                Some(b'\\') => {
                    let owned = text.get_or_insert_with(String::new);
                    owned.push_str(&self.source[run..stop]);
                    owned.push(self.escape()?);
                }
                Some(byte) => {
                    let message = if byte == b'\n' {
                        "A line break inside text must be written as \\n.".to_owned()
                    } else {
                        format!("Control character U+{byte:04X} inside text must be escaped.")
                    };
                    return Err(SyntaxError::new(self.at, message));
                }
            }
        }
    }

    fn escape(&mut self) -> Result<char, SyntaxError> {
        let at = self.at;
        self.at += 2;
        let simple = match self.text.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at),
            _ => {
                return Err(SyntaxError::new(at, "Unknown escape in text.")
                    .fix("Write a backslash as `\\\\`; valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX."));
            }
        };
        Ok(simple)
    }

    fn hex4(&mut self, at: usize) -> Result<u32, SyntaxError> {
        let digits = self
            .source
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                SyntaxError::new(at, "`\\u` must be followed by four hexadecimal digits.")
            })?;
        let code = u32::from_str_radix(digits, 16).expect("checked hexadecimal digits");
        self.at += 4;
        Ok(code)
    }

    fn unicode_escape(&mut self, at: usize) -> Result<char, SyntaxError> {
        let high = self.hex4(at)?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if self.text.get(self.at) != Some(&b'\\') || self.text.get(self.at + 1) != Some(&b'u') {
                return Err(SyntaxError::new(
                    at,
                    "A `\\u` surrogate must be followed by its pair.",
                ));
            }
            let second = self.at;
            self.at += 2;
            let low = self.hex4(second)?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(SyntaxError::new(
                    second,
                    "This is not the low half of a surrogate pair.",
                ));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| {
            SyntaxError::new(
                at,
                "This `\\u` escape is a lone surrogate, not a character.",
            )
        })
    }

    fn number(&mut self) -> Result<Kind<'s>, SyntaxError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
            if self.text[self.at..].starts_with(b"Infinity") {
                return Err(SyntaxError::new(start, "`-Infinity` is not a JSON value.")
                    .fix(NOT_A_VALUE_FIX));
            }
        }
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(SyntaxError::new(
                        start,
                        "Numbers cannot start with a leading zero.",
                    ));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => {
                return Err(SyntaxError::new(
                    self.at,
                    "A digit must follow the minus sign.",
                ));
            }
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(SyntaxError::new(
                    self.at,
                    "A digit must follow the decimal point.",
                ));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(SyntaxError::new(
                    self.at,
                    "A digit must follow the exponent.",
                ));
            }
            self.digits();
        }
        let number = self.source[start..self.at]
            .parse::<f64>()
            .unwrap_or(f64::NAN);
        Ok(Kind::Number(number))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }
}

fn trailing_comma(comma: usize) -> SyntaxError {
    SyntaxError::new(
        comma,
        "Trailing comma: JSON allows no comma after the last item.",
    )
    .fix("Remove this comma.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> SyntaxError {
        parse(text, 0).expect_err("invalid JSON")
    }

    #[test]
    fn values_keep_their_spans() {
        let source = r#"{"a": [1, "x\n"], "b": null}"#;
        let value = parse(source, 0).unwrap();
        let a = value.get("a").unwrap();
        assert_eq!(&source[a.start..a.end], r#"[1, "x\n"]"#);
        assert_eq!(a.items().unwrap()[1].as_str(), Some("x\n"));
        assert_eq!(value.members().unwrap()[1].key_start, 18);
    }

    #[test]
    fn mistakes_are_named_at_their_byte() {
        assert_eq!(error("[1, 2,]").offset, 5);
        assert!(error("[1, 2,]").message.contains("Trailing comma"));
        assert_eq!(error(r#"{"a": NaN}"#).offset, 6);
        assert!(error(r#"{"a": NaN}"#).message.contains("NaN"));
        assert!(error("{'a': 1}").message.contains("double quotes"));
        assert!(error("{} // x").message.contains("comments"));
        assert!(error(r#"{"a": 1 "b": 2}"#).message.contains("`,` or `}`"));
        assert!(error(r#"{"a": "x"#).message.contains("never closed"));
        assert!(error("[").message.contains("ends inside the list"));
        assert!(error("").message.contains("empty"));
        assert!(error("{} x").message.contains("after the end"));
        assert!(error(r#""\x""#).message.contains("Unknown escape"));
        assert!(error(r#""\ud800""#).message.contains("surrogate"));
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(10_000);
        assert!(error(&deep).message.contains("nested more than"));
    }

    #[test]
    fn offsets_inside_strings_account_for_escapes() {
        let source = r#""a\"b\u00e9c😀d""#;
        assert_eq!(offset_in_string(source, 0, 0), 1);
        assert_eq!(offset_in_string(source, 0, 2), 4);
        assert_eq!(offset_in_string(source, 0, 4), 11);
        assert_eq!(&source[offset_in_string(source, 0, 6)..], "d\"");
    }
}
