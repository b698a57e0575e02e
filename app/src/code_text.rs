//! Messages mark code the way Markdown does, with backticks; pages show the code set apart
//! instead of the backticks.

use leptos::prelude::*;

/// `text` in pieces: `(false, words)` and `(true, code)`. Text whose backticks do not pair up
/// is one piece of words, backticks and all.
pub fn pieces(text: &str) -> Vec<(bool, &str)> {
    if !text.matches('`').count().is_multiple_of(2) {
        return vec![(false, text)];
    }
    text.split('`')
        .enumerate()
        .filter(|(_, piece)| !piece.is_empty())
        .map(|(i, piece)| (i % 2 == 1, piece))
        .collect()
}

#[component]
pub fn CodeText(#[prop(into)] text: String) -> impl IntoView {
    pieces(&text)
        .into_iter()
        .map(|(code, piece)| {
            let piece = piece.to_owned();
            if code {
                view! { <code>{piece}</code> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn backticks_mark_code_only_in_pairs() {
        assert_eq!(
            pieces("A single `&` is not an operator; write `&&`."),
            vec![
                (false, "A single "),
                (true, "&"),
                (false, " is not an operator; write "),
                (true, "&&"),
                (false, "."),
            ]
        );
        assert_eq!(pieces("one ` alone"), vec![(false, "one ` alone")]);
        assert_eq!(pieces("`NaN`"), vec![(true, "NaN")]);
    }
}
