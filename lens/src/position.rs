//! Byte offsets to the line and column an author sees in an editor.

use serde::{Deserialize, Serialize};

/// 1-based line and column; the column counts characters (Unicode scalar values), so text
/// before the problem in any script moves it by one per character, as editors show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

pub struct LineIndex<'s> {
    source: &'s str,
    line_starts: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    pub fn new(source: &'s str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|(_, byte)| *byte == b'\n')
                .map(|(at, _)| at + 1),
        );
        Self {
            source,
            line_starts,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.source, offset.min(self.source.len()));
        let line = self.line_starts.partition_point(|start| *start <= offset) - 1;
        let column = self.source[self.line_starts[line]..offset].chars().count() + 1;
        Position {
            line: saturate(line + 1),
            column: saturate(column),
        }
    }
}

/// The offset of `position` counted in UTF-16 code units, which is how a browser's text field
/// places its cursor.
pub fn utf16_offset(source: &str, position: Position) -> usize {
    let mut line = 1;
    let mut units = 0;
    let mut chars = source.chars();
    while line < position.line {
        match chars.next() {
            Some('\n') => {
                line += 1;
                units += 1;
            }
            Some(c) => units += c.len_utf16(),
            None => return units,
        }
    }
    units
        + chars
            .take(position.column.saturating_sub(1) as usize)
            .take_while(|c| *c != '\n')
            .map(char::len_utf16)
            .sum::<usize>()
}

fn floor_char_boundary(source: &str, mut offset: usize) -> usize {
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let source = "{\n  \"näme\": \"日本\", x\n}";
        let index = LineIndex::new(source);
        let x = source.find('x').unwrap();
        assert_eq!(
            index.position(x),
            Position {
                line: 2,
                column: 17
            }
        );
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(
            index.position(source.len()),
            Position { line: 3, column: 2 }
        );
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs_twice() {
        let source = "a\n😀b";
        assert_eq!(utf16_offset(source, Position { line: 2, column: 2 }), 4);
        assert_eq!(utf16_offset(source, Position { line: 1, column: 1 }), 0);
    }
}
