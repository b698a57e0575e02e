//! Writing a parsed tree back out as JSON text: what a lens written in YAML is imported as, and
//! the nodes the outline editor inserts among the author's own.

use crate::json::{Kind, Value};

/// How written JSON is laid out: members and items on lines of their own, each level one
/// `unit` deeper than `base`; or everything on one line.
#[derive(Clone, Copy, Debug)]
pub struct Layout<'a> {
    pub base: &'a str,
    pub unit: &'a str,
    pub one_line: bool,
}

impl Layout<'_> {
    pub const PRETTY: Layout<'static> = Layout {
        base: "",
        unit: "  ",
        one_line: false,
    };
}

/// The value as JSON, indented by two spaces, members in their source order.
pub fn to_string_pretty(value: &Value<'_>) -> String {
    let mut out = to_string_with(value, Layout::PRETTY);
    out.push('\n');
    out
}

/// The value as JSON laid out as `layout` says, for text that starts where `layout.base`
/// indentation ends; no final newline.
pub fn to_string_with(value: &Value<'_>, layout: Layout<'_>) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0, layout);
    out
}

fn write_value(out: &mut String, value: &Value<'_>, depth: usize, layout: Layout<'_>) {
    match &value.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Number(n) => write_number(out, *n),
        Kind::String(text) => write_string(out, text),
        Kind::Array(items) if items.is_empty() => out.push_str("[]"),
        Kind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                separate(out, i, depth + 1, layout);
                write_value(out, item, depth + 1, layout);
            }
            close(out, depth, layout);
            out.push(']');
        }
        Kind::Object(members) if members.is_empty() => out.push_str("{}"),
        Kind::Object(members) => {
            out.push('{');
            for (i, member) in members.iter().enumerate() {
                separate(out, i, depth + 1, layout);
                write_string(out, &member.key);
                out.push_str(": ");
                write_value(out, &member.value, depth + 1, layout);
            }
            close(out, depth, layout);
            out.push('}');
        }
    }
}

fn separate(out: &mut String, i: usize, depth: usize, layout: Layout<'_>) {
    if layout.one_line {
        out.push_str(if i == 0 { " " } else { ", " });
    } else {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        indent(out, depth, layout);
    }
}

fn close(out: &mut String, depth: usize, layout: Layout<'_>) {
    if layout.one_line {
        out.push(' ');
    } else {
        out.push('\n');
        indent(out, depth, layout);
    }
}

fn indent(out: &mut String, depth: usize, layout: Layout<'_>) {
    out.push_str(layout.base);
    out.extend(std::iter::repeat_n(layout.unit, depth));
}

/// JSON has no NaN or infinity: those become `null`, as JavaScript's JSON.stringify writes them.
fn write_number(out: &mut String, n: f64) {
    match finite_number(n) {
        Some(text) => out.push_str(&text),
        None => out.push_str("null"),
    }
}

/// A finite number as both JSON and YAML write it: integers without a fraction, the rest in
/// Rust's shortest round-trip form.
pub(crate) fn finite_number(n: f64) -> Option<String> {
    if !n.is_finite() {
        None
    } else if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        Some(format!("{n:.0}"))
    } else {
        Some(format!("{n:?}"))
    }
}

/// `text` as a JSON string literal.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(&mut out, text);
    out
}

fn write_string(out: &mut String, text: &str) {
    write_quoted(out, text, |c| u32::from(c) < 0x20);
}

/// `text` in double quotes with JSON's escapes, which YAML's double-quoted scalars share;
/// characters `as_code` picks beyond those are written as `\uXXXX`.
pub(crate) fn write_quoted(out: &mut String, text: &str, as_code: impl Fn(char) -> bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if as_code(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}
