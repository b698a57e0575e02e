//! Writing a parsed lens as YAML for authors who keep their source in YAML. Text stays plain
//! where no YAML reader could take it for anything else, multi-line text becomes a literal
//! block, and the rest is double-quoted with JSON's escapes (which YAML shares), so reading
//! the output back gives the same tree.

use crate::json::{
    Kind, Member, Value,
    write::{finite_number, write_quoted},
};

/// The value as block-style YAML, two spaces per level, members in their source order.
pub fn to_string(value: &Value<'_>) -> String {
    let mut out = String::new();
    match &value.kind {
        Kind::Object(members) if !members.is_empty() => mapping(&mut out, members, 0, true),
        Kind::Array(items) if !items.is_empty() => sequence(&mut out, items, 0, true),
        _ => scalar(&mut out, value, 0),
    }
    out.push('\n');
    out
}

fn line(out: &mut String, indent: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', indent));
}

fn mapping(out: &mut String, members: &[Member<'_>], indent: usize, inline_first: bool) {
    for (i, member) in members.iter().enumerate() {
        if i > 0 || !inline_first {
            line(out, indent);
        }
        text(out, &member.key, usize::MAX);
        out.push(':');
        match &member.value.kind {
            Kind::Object(members) if !members.is_empty() => {
                mapping(out, members, indent + 2, false);
            }
            Kind::Array(items) if !items.is_empty() => sequence(out, items, indent + 2, false),
            _ => {
                out.push(' ');
                scalar(out, &member.value, indent + 2);
            }
        }
    }
}

fn sequence(out: &mut String, items: &[Value<'_>], indent: usize, inline_first: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline_first {
            line(out, indent);
        }
        out.push_str("- ");
        match &item.kind {
            Kind::Object(members) if !members.is_empty() => {
                mapping(out, members, indent + 2, true);
            }
            Kind::Array(items) if !items.is_empty() => sequence(out, items, indent + 2, true),
            _ => scalar(out, item, indent + 2),
        }
    }
}

fn scalar(out: &mut String, value: &Value<'_>, indent: usize) {
    match &value.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Number(n) => match finite_number(*n) {
            Some(text) => out.push_str(&text),
            None if n.is_nan() => out.push_str(".nan"),
            None => out.push_str(if *n > 0.0 { ".inf" } else { "-.inf" }),
        },
        Kind::String(s) => text(out, s, indent),
        Kind::Array(_) => out.push_str("[]"),
        Kind::Object(_) => out.push_str("{}"),
    }
}

/// Text as a plain scalar, a literal block (at `indent`; `usize::MAX` for keys, which are
/// never blocks), or double-quoted.
fn text(out: &mut String, s: &str, indent: usize) {
    if is_plain(s) {
        out.push_str(s);
    } else if indent != usize::MAX && indent > 0 && is_literal(s) {
        let body = s.strip_suffix('\n');
        out.push_str(if body.is_some() { "|" } else { "|-" });
        for text_line in body.unwrap_or(s).split('\n') {
            if text_line.is_empty() {
                out.push('\n');
            } else {
                line(out, indent);
                out.push_str(text_line);
            }
        }
    } else {
        quoted(out, s);
    }
}

/// Whether `s` reads back as the same text when written without quotes, in YAML 1.2 and in
/// the YAML 1.1 readers many tools still use (where `yes`, `on` and dates are not text).
fn is_plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let yaml11_word = matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
    );
    !yaml11_word
        && super::resolve_plain(s).is_none()
        && !first.is_ascii_digit()
        && !"-?:,[]{}#&*!|>'\"%@`+. ".contains(first)
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars().all(|c| !c.is_control() && !needs_escape(c))
}

/// Whether `s` can be a literal block: several lines of printable text whose first line does
/// not start with a space (a block finds its indentation there) and with at most one final
/// line break (more would need a chomping indicator readers disagree on).
fn is_literal(s: &str) -> bool {
    let body = s.strip_suffix('\n').unwrap_or(s);
    body.contains('\n')
        && !body.ends_with('\n')
        && body
            .split('\n')
            .find(|l| !l.is_empty())
            .is_some_and(|l| !l.starts_with([' ', '\t']))
        && s.chars()
            .all(|c| c == '\n' || c == '\t' || (!c.is_control() && !needs_escape(c)))
}

/// Characters YAML does not allow unescaped, or that some readers take for line breaks.
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
}

/// Double-quoted with JSON's escapes (YAML has the same ones), and `\u` escapes for what YAML
/// may not hold unescaped.
fn quoted(out: &mut String, s: &str) {
    write_quoted(out, s, |c| c.is_control() || needs_escape(c));
}
