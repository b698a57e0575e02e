//! The character set ImportLens accepts in names, titles and descriptions. The format's
//! specification does not describe it; it was observed against the live service (see the
//! README): letters, digits, space, line break and `- _ . , : / ( ) @ ! & # + ' ?`, plus the
//! right single quotation mark. Display texts of resources and improvement plans accept every
//! character and are not checked.

use super::{Path, check::Check};
use crate::{
    json::{self, Kind, Value},
    problem::Rule,
};

const PUNCTUATION: &str = "-_.,:/()@!&#+'?\u{2019}";

/// Whether ImportLens accepts `c` in a restricted field.
pub fn is_allowed(c: char) -> bool {
    c.is_alphanumeric() || c == ' ' || c == '\n' || c == '\r' || PUNCTUATION.contains(c)
}

/// What to write instead of a refused character.
pub fn replacement(c: char) -> &'static str {
    match c {
        ';' => ",",
        '"' | '“' | '”' | '`' | '‘' => "'",
        '<' => " less than ",
        '>' => " more than ",
        '%' => " percent",
        '=' => " equals ",
        '[' | '{' => "(",
        ']' | '}' => ")",
        '|' => "/",
        '~' => "about ",
        '$' => "USD ",
        '*' | '^' | '\\' => "",
        '–' | '—' => "-",
        '…' => "...",
        '\t' => " ",
        _ => "",
    }
}

/// How the fix names a replacement.
fn replacement_words(c: char) -> String {
    match replacement(c).trim() {
        "" => "remove it".to_owned(),
        words if words.chars().all(char::is_alphabetic) => {
            format!("write it as the word “{words}”")
        }
        other => format!("write “{other}” instead"),
    }
}

/// `text` with every refused character replaced, and no doubled spaces left behind.
pub fn replace_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_allowed(c) {
            out.push(c);
        } else {
            out.push_str(replacement(c));
        }
    }
    let mut tidy = String::with_capacity(out.len());
    for c in out.chars() {
        if c == ' ' && (tidy.ends_with(' ') || tidy.ends_with('\n') || tidy.is_empty()) {
            continue;
        }
        if matches!(c, ',' | '.' | ')' | '?' | '!') && tidy.ends_with(' ') {
            tidy.pop();
        }
        tidy.push(c);
    }
    tidy.trim_end_matches(' ').to_owned()
}

impl Check<'_> {
    /// Reports the first refused character of a restricted field, naming the others.
    pub(super) fn characters(&mut self, object: &Value, key: &str, path: &Path<'_>) {
        let Some(value) = object.get(key) else {
            return;
        };
        let Some(text) = value.as_str() else {
            return;
        };
        let Some((index, bad)) = text.chars().enumerate().find(|(_, c)| !is_allowed(*c)) else {
            return;
        };
        let mut others: Vec<char> = text
            .chars()
            .filter(|c| !is_allowed(*c) && *c != bad)
            .collect();
        others.sort_unstable();
        others.dedup();
        let count = text.chars().filter(|c| !is_allowed(*c)).count();
        let shown = shown(bad);
        let mut message = format!(
            "{} contains {shown} at character {}; ImportLens refuses it in names, titles and descriptions.",
            path.key(key).named(),
            index + 1
        );
        if count > 1 {
            let listed: Vec<String> = others.iter().map(|c| shown_char(*c)).collect();
            message.push_str(&format!(
                " It holds {count} refused characters in all{}.",
                if listed.is_empty() {
                    String::new()
                } else {
                    format!(", also {}", listed.join(" "))
                }
            ));
        }
        self.error(
            Rule::RestrictedCharacter,
            &path.key(key),
            self.offset_in_text(value.start, index),
            message,
            Some(format!(
                "Allowed are letters, digits, spaces, line breaks and {}; for {shown}, {}. \"Replace all\" in the editor fixes every field at once.",
                "`- _ . , : / ( ) @ ! & # + ' ?`",
                replacement_words(bad)
            )),
        );
    }
}

fn shown(c: char) -> String {
    format!("the character {}", shown_char(c))
}

fn shown_char(c: char) -> String {
    match c {
        '`' => "a backtick".to_owned(),
        '\t' => "a tab".to_owned(),
        c if c.is_control() || c.is_whitespace() => format!("U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

/// The restricted fields' string values, by their place in the document.
fn restricted_values<'v, 'j>(document: &'v Value<'j>, out: &mut Vec<&'v Value<'j>>) {
    let mut take = |object: &'v Value<'j>, keys: &[&str]| {
        for key in keys {
            if let Some(value) = object.get(key)
                && matches!(value.kind, Kind::String(_))
            {
                out.push(value);
            }
        }
    };
    take(document, &["name", "description"]);
    let list = |object: &'v Value<'j>, key: &str| -> &'v [Value<'j>] {
        object.get(key).and_then(Value::items).unwrap_or(&[])
    };
    for pillar in list(document, "pillars") {
        take(pillar, &["name"]);
        for question in list(pillar, "questions") {
            take(question, &["title", "description"]);
            for choice in list(question, "choices") {
                take(choice, &["title"]);
            }
        }
    }
}

/// The lens text with every refused character of the restricted fields replaced, the rest of the
/// text byte for byte as it was; `None` when the text is not JSON or nothing needs replacing.
pub fn replace_restricted(source: &str) -> Option<String> {
    let start = usize::from(source.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
    let document = json::parse(source, start).ok()?;
    let mut values = Vec::new();
    restricted_values(&document, &mut values);
    values.sort_by_key(|v| v.start);
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    let mut changed = false;
    for value in values {
        let Some(text) = value.as_str() else { continue };
        if text.chars().all(is_allowed) {
            continue;
        }
        out.push_str(&source[copied..value.start]);
        out.push_str(&quoted(&replace_all(text)));
        copied = value.end;
        changed = true;
    }
    out.push_str(&source[copied..]);
    changed.then_some(out)
}

/// A JSON string literal. The replaced text holds only allowed characters, none of them `"` or
/// `\`, so line breaks are all that needs escaping.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::{is_allowed, replace_all, replace_restricted};

    #[test]
    fn the_observed_set_and_nothing_else() {
        for c in "aZ09 \n-_.,:/()@!&#+'?’éß".chars() {
            assert!(is_allowed(c), "{c:?} is accepted");
        }
        for c in ";%<>=*\"[]$|~{}\t`^\\".chars() {
            assert!(!is_allowed(c), "{c:?} is refused");
        }
    }

    #[test]
    fn replacements_read_as_prose() {
        assert_eq!(replace_all("Backups; restores"), "Backups, restores");
        assert_eq!(replace_all("Say \"yes\""), "Say 'yes'");
        assert_eq!(replace_all("p99 < 200 ms"), "p99 less than 200 ms");
        assert_eq!(replace_all("99.9% uptime"), "99.9 percent uptime");
        assert_eq!(replace_all("[optional] step"), "(optional) step");
        assert_eq!(replace_all("a * b"), "a b");
    }

    #[test]
    fn replace_all_touches_only_the_restricted_fields() {
        let source = "{\"name\": \"Ops; review\", \"description\": \"x\",\n \"pillars\": [{\"id\": \"p\", \"name\": \"P\", \"questions\": [{\"id\": \"q\", \"title\": \"Is it < 5?\", \"choices\": [{\"id\": \"c\", \"title\": \"Yes\", \"helpfulResource\": {\"displayText\": \"Keep; this <b>\"}}]}]}]}";
        let fixed = replace_restricted(source).unwrap();
        assert!(fixed.contains("\"name\": \"Ops, review\""));
        assert!(fixed.contains("\"title\": \"Is it less than 5?\""));
        assert!(
            fixed.contains("\"displayText\": \"Keep; this <b>\""),
            "display texts accept everything"
        );
        assert_eq!(
            replace_restricted(&fixed),
            None,
            "nothing is left to replace"
        );
        assert_eq!(replace_restricted("not json"), None);
    }
}
