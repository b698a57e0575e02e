//! CSV as spreadsheets read it (RFC 4180), for the audit export and lens questionnaires.

/// One CSV cell: quoted when it holds a comma, a quote or a line break; a cell a spreadsheet
/// would run as a formula (starting with = + - @, tab or CR) is quoted behind an apostrophe.
pub fn cell(text: &[u8], out: &mut Vec<u8>) {
    let formula = matches!(
        text.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if !formula
        && !text
            .iter()
            .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.extend_from_slice(text);
        return;
    }
    out.push(b'"');
    if formula {
        out.push(b'\'');
    }
    for &byte in text {
        if byte == b'"' {
            out.push(b'"');
        }
        out.push(byte);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    fn cell(text: &str) -> String {
        let mut out = Vec::new();
        super::cell(text.as_bytes(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn cells_are_quoted_only_when_they_must_be() {
        assert_eq!(cell("ImportLens"), "ImportLens");
        assert_eq!(cell("a, b"), r#""a, b""#);
        assert_eq!(cell(r#"say "hi""#), r#""say ""hi""""#);
        assert_eq!(cell("one\ntwo"), "\"one\ntwo\"");
        assert_eq!(cell("one\rtwo"), "\"one\rtwo\"");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn formulas_are_defused_behind_an_apostrophe() {
        assert_eq!(cell("=1+1"), r#""'=1+1""#);
        assert_eq!(cell("-2"), r#""'-2""#);
        assert_eq!(cell("@SUM(A1)"), r#""'@SUM(A1)""#);
        assert_eq!(cell("+\"x\""), r#""'+""x""""#);
        assert_eq!(cell("\tcmd"), "\"'\tcmd\"");
    }
}
