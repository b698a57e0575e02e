//! Edits of JSON text that touch only the node they change: a value's bytes are replaced, a
//! member or item is inserted with the indentation and separators of its neighbours, and
//! everything else (the author's spacing, member order, members the format does not know)
//! stays byte for byte.

use crate::json::{
    self, Kind, Member, Value,
    write::{Layout, quoted, to_string_with},
};

use super::{
    EditError,
    path::{Path, Step},
};

/// Parses the whole text: an edit needs valid JSON to know where its node is.
pub(super) fn parse(source: &str) -> Result<Value<'_>, EditError> {
    let start = usize::from(source.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
    json::parse(source, start).map_err(|error| {
        EditError(format!(
            "The text is not JSON yet ({}), so the outline cannot change it; fix it in the text first.",
            error.message
        ))
    })
}

pub(super) fn find<'v, 's>(root: &'v Value<'s>, path: &Path) -> Option<&'v Value<'s>> {
    path.steps().iter().try_fold(root, |node, step| match step {
        Step::Key(key) => node.get(key),
        Step::Index(index) => node.items()?.get(*index),
    })
}

pub(super) fn text_at(root: &Value<'_>, path: &Path) -> Option<String> {
    find(root, path).and_then(Value::as_str).map(str::to_owned)
}

fn missing(path: &Path) -> EditError {
    EditError(format!(
        "There is no {path} in the lens any more; the text changed."
    ))
}

fn replace(source: &str, start: usize, end: usize, with: &str) -> String {
    let mut out = String::with_capacity(source.len() + with.len());
    out.push_str(&source[..start]);
    out.push_str(with);
    out.push_str(&source[end..]);
    out
}

/// The spaces and tabs that open the line holding `offset`.
fn line_indent(source: &str, offset: usize) -> &str {
    let line_start = source[..offset].rfind('\n').map_or(0, |at| at + 1);
    let line = &source[line_start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Whether `offset` is the first thing on its line.
fn starts_line(source: &str, offset: usize) -> bool {
    let line_start = source[..offset].rfind('\n').map_or(0, |at| at + 1);
    source[line_start..offset].trim().is_empty()
}

/// The document's indentation step: what its first member is indented by, two spaces when
/// the document gives no example.
fn unit(source: &str, root: &Value<'_>) -> String {
    match root.members().and_then(<[Member<'_>]>::first) {
        Some(first) if starts_line(source, first.key_start) => {
            let indent = line_indent(source, first.key_start);
            if indent.is_empty() {
                "  ".to_owned()
            } else {
                indent.to_owned()
            }
        }
        _ => "  ".to_owned(),
    }
}

/// Replaces the text at `path` by `text`, creating the member (and the objects on the way to
/// it) when it is absent.
pub(super) fn set_text(source: &str, path: &Path, text: &str) -> Result<String, EditError> {
    set_value(source, path, &string(text))
}

/// Replaces the value at `path` by `value`, creating the member (and the objects on the way
/// to it) when it is absent.
pub(super) fn set_value(source: &str, path: &Path, value: &Value<'_>) -> Result<String, EditError> {
    let root = parse(source)?;
    if let Some(node) = find(&root, path) {
        let one_line = !source[node.start..node.end].contains('\n');
        let written = write_at(source, &root, node.start, one_line, value);
        return Ok(replace(source, node.start, node.end, &written));
    }
    let steps = path.steps();
    let (depth, parent) = (0..steps.len())
        .rev()
        .find_map(|depth| find(&root, &path_of(&steps[..depth])).map(|node| (depth, node)))
        .ok_or_else(|| missing(path))?;
    let keys: Vec<&str> = steps[depth..]
        .iter()
        .map(|step| match step {
            Step::Key(key) => Some(key.as_str()),
            Step::Index(_) => None,
        })
        .collect::<Option<_>>()
        .ok_or_else(|| missing(path))?;
    let mut value = value.clone();
    for key in keys[1..].iter().rev() {
        value = object(vec![(key, value)]);
    }
    insert_member(source, &root, parent, keys[0], &value)
}

fn path_of(steps: &[Step]) -> Path {
    steps.iter().fold(Path::root(), |path, step| match step {
        Step::Key(key) => path.key(key),
        Step::Index(index) => path.index(*index),
    })
}

/// An object value built in code, for the nodes an edit adds.
pub(super) fn object<'s>(members: Vec<(&str, Value<'s>)>) -> Value<'s> {
    Value {
        kind: Kind::Object(
            members
                .into_iter()
                .map(|(key, value)| Member {
                    key: key.to_owned().into(),
                    key_start: 0,
                    value,
                })
                .collect(),
        ),
        start: 0,
        end: 0,
    }
}

pub(super) fn string(text: &str) -> Value<'static> {
    Value {
        kind: Kind::String(text.to_owned().into()),
        start: 0,
        end: 0,
    }
}

pub(super) fn array(items: Vec<Value<'static>>) -> Value<'static> {
    Value {
        kind: Kind::Array(items),
        start: 0,
        end: 0,
    }
}

/// Writes `value` as it will sit at `offset`: on lines of its own at the indentation of that
/// line when the container around it spans lines, else on one line.
fn write_at(
    source: &str,
    root: &Value<'_>,
    offset: usize,
    one_line: bool,
    value: &Value<'_>,
) -> String {
    let unit = unit(source, root);
    to_string_with(
        value,
        Layout {
            base: line_indent(source, offset),
            unit: &unit,
            one_line,
        },
    )
}

fn insert_member(
    source: &str,
    root: &Value<'_>,
    object: &Value<'_>,
    key: &str,
    value: &Value<'_>,
) -> Result<String, EditError> {
    let Some(members) = object.members() else {
        return Err(EditError(format!(
            "A member `{key}` cannot be added here: this part of the lens is not an object."
        )));
    };
    let member_text = |at: usize, one_line: bool| {
        format!(
            "{}: {}",
            quoted(key),
            write_at(source, root, at, one_line, value)
        )
    };
    match members.last() {
        Some(last) => {
            let first = &members[0];
            let one_line = !starts_line(source, first.key_start);
            let separator = if one_line {
                ", ".to_owned()
            } else {
                format!(",\n{}", line_indent(source, first.key_start))
            };
            let text = format!("{separator}{}", member_text(first.key_start, one_line));
            Ok(replace(source, last.value.end, last.value.end, &text))
        }
        None => {
            let indent = line_indent(source, object.start);
            let unit = unit(source, root);
            let inner = format!("{indent}{unit}");
            let written = format!(
                "{}: {}",
                quoted(key),
                to_string_with(
                    value,
                    Layout {
                        base: &inner,
                        unit: &unit,
                        one_line: false
                    }
                )
            );
            Ok(replace(
                source,
                object.start,
                object.end,
                &format!("{{\n{inner}{written}\n{indent}}}"),
            ))
        }
    }
}

/// Removes the member at `path`, with the separator before or after it.
pub(super) fn remove_member(source: &str, path: &Path) -> Result<String, EditError> {
    let root = parse(source)?;
    let Some((parent_path, Step::Key(key))) = path.split_last() else {
        return Err(missing(path));
    };
    let Some(members) = find(&root, &parent_path).and_then(Value::members) else {
        return Ok(source.to_owned());
    };
    let Some(at) = members.iter().rposition(|m| m.key == *key) else {
        return Ok(source.to_owned());
    };
    let member = &members[at];
    Ok(match (at, members.len()) {
        (_, 1) => {
            let object = find(&root, &parent_path).ok_or_else(|| missing(path))?;
            replace(source, object.start, object.end, "{}")
        }
        (0, _) => replace(source, member.key_start, members[1].key_start, ""),
        (_, _) => replace(source, members[at - 1].value.end, member.value.end, ""),
    })
}

fn items<'v, 's>(root: &'v Value<'s>, list: &Path) -> Result<&'v [Value<'s>], EditError> {
    find(root, list)
        .and_then(Value::items)
        .ok_or_else(|| missing(list))
}

/// Inserts `value` into the list at `list` so that it becomes item `index`.
pub(super) fn insert_item(
    source: &str,
    list: &Path,
    index: usize,
    value: &Value<'_>,
) -> Result<String, EditError> {
    let root = parse(source)?;
    let array = find(&root, list).ok_or_else(|| missing(list))?;
    let items = items(&root, list)?;
    let Some(first) = items.first() else {
        let indent = line_indent(source, array.start);
        let unit = unit(source, &root);
        let inner = format!("{indent}{unit}");
        let written = to_string_with(
            value,
            Layout {
                base: &inner,
                unit: &unit,
                one_line: false,
            },
        );
        return Ok(replace(
            source,
            array.start,
            array.end,
            &format!("[\n{inner}{written}\n{indent}]"),
        ));
    };
    let one_line = !starts_line(source, first.start);
    let separator = match items.get(1) {
        Some(second) => source[first.end..second.start].to_owned(),
        None if one_line => ", ".to_owned(),
        None => format!(",\n{}", line_indent(source, first.start)),
    };
    let written = write_at(source, &root, first.start, one_line, value);
    Ok(match items.get(index) {
        Some(next) => replace(
            source,
            next.start,
            next.start,
            &format!("{written}{separator}"),
        ),
        None => {
            let last = items.last().map_or(first.end, |item| item.end);
            replace(source, last, last, &format!("{separator}{written}"))
        }
    })
}

/// Removes item `index` of the list, with the separator before or after it.
pub(super) fn remove_item(source: &str, list: &Path, index: usize) -> Result<String, EditError> {
    let root = parse(source)?;
    let array = find(&root, list).ok_or_else(|| missing(list))?;
    let items = items(&root, list)?;
    let item = items
        .get(index)
        .ok_or_else(|| missing(&list.index(index)))?;
    Ok(match (index, items.len()) {
        (_, 1) => replace(source, array.start, array.end, "[]"),
        (0, _) => replace(source, item.start, items[1].start, ""),
        (_, _) => replace(source, items[index - 1].end, item.end, ""),
    })
}

/// The text of the item at `list[index]`, exactly as written.
pub(super) fn item_text(source: &str, list: &Path, index: usize) -> Result<String, EditError> {
    let root = parse(source)?;
    let items = items(&root, list)?;
    let item = items
        .get(index)
        .ok_or_else(|| missing(&list.index(index)))?;
    Ok(source[item.start..item.end].to_owned())
}

/// Inserts text already written as JSON (a copied item) after item `after` of the list, with
/// the separator the list uses.
pub(super) fn insert_text_after(
    source: &str,
    list: &Path,
    after: usize,
    text: &str,
) -> Result<String, EditError> {
    let root = parse(source)?;
    let items = items(&root, list)?;
    let item = items
        .get(after)
        .ok_or_else(|| missing(&list.index(after)))?;
    let separator = match (items.get(after + 1), after.checked_sub(1)) {
        (Some(next), _) => source[item.end..next.start].to_owned(),
        (None, Some(before)) => source[items[before].end..item.start].to_owned(),
        (None, None) if starts_line(source, item.start) => {
            format!(",\n{}", line_indent(source, item.start))
        }
        (None, None) => ", ".to_owned(),
    };
    Ok(replace(
        source,
        item.end,
        item.end,
        &format!("{separator}{text}"),
    ))
}

/// Puts the items of the list in a new order (`order[k]` is the old index of the new item
/// `k`), keeping each item's text and the separators where they are.
pub(super) fn reorder(source: &str, list: &Path, order: &[usize]) -> Result<String, EditError> {
    let root = parse(source)?;
    let items = items(&root, list)?;
    if order.len() != items.len() {
        return Err(missing(list));
    }
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return Ok(source.to_owned());
    };
    let mut out = String::with_capacity(source.len());
    out.push_str(&source[..first.start]);
    for (k, &old) in order.iter().enumerate() {
        let item = &items[old];
        out.push_str(&source[item.start..item.end]);
        if let Some(next) = items.get(k + 1) {
            out.push_str(&source[items[k].end..next.start]);
        }
    }
    out.push_str(&source[last.end..]);
    Ok(out)
}
