//! Tags for ImportLens, written by the author one `key=value` per line.

use std::collections::BTreeMap;

use lensgate_app::error::AppError;

const MAX_TAGS: usize = 50;
const MAX_KEY: usize = 128;
const MAX_VALUE: usize = 256;

pub fn parse(text: &str) -> Result<BTreeMap<String, String>, AppError> {
    let mut tags = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let invalid =
            |why: &str| AppError::invalid_field("tags", format!("Tags, line {}: {why}", n + 1));
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| invalid("write each tag as key=value."))?;
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() || key.chars().count() > MAX_KEY {
            return Err(invalid(&format!("a key has 1 to {MAX_KEY} characters.")));
        }
        if let Some(bad) = key
            .chars()
            .find(|c| !(c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(*c)))
        {
            return Err(invalid(&format!(
                "“{bad}” cannot appear in a key (letters, digits, spaces and _ . : / = + - @)."
            )));
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            return Err(invalid("keys starting with aws: are reserved for AWS."));
        }
        if value.chars().count() > MAX_VALUE {
            return Err(invalid(&format!(
                "a value has at most {MAX_VALUE} characters."
            )));
        }
        if tags.insert(key.to_owned(), value.to_owned()).is_some() {
            return Err(invalid(&format!("the key “{key}” appears twice.")));
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(AppError::invalid_field(
            "tags",
            format!(
                "A lens has at most {MAX_TAGS} tags; this has {}.",
                tags.len()
            ),
        ));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn tags_parse_one_per_line_and_mistakes_name_the_line() {
        let tags = parse("team = platform\n\nstage=prod\n").unwrap();
        assert_eq!(tags.get("team").map(String::as_str), Some("platform"));
        assert_eq!(tags.len(), 2);
        for (text, needle) in [
            ("team", "line 1: write each tag as key=value"),
            ("a=1\na=2", "line 2: the key “a” appears twice"),
            ("aws:owner=x", "reserved"),
            ("bad<key=x", "“<” cannot appear"),
        ] {
            let error = parse(text).unwrap_err().to_string();
            assert!(error.contains(needle), "{text}: {error}");
        }
        let many: String = (0..51).map(|i| format!("k{i}=v\n")).collect();
        assert!(
            parse(&many)
                .unwrap_err()
                .to_string()
                .contains("at most 50 tags")
        );
    }
}
