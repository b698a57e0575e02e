//! Ids for the nodes the outline adds: made from their titles with the characters ids allow
//! (letters, digits, `_`), unique where the validator requires it, and followed by risk-rule
//! conditions when a choice's id changes.

/// Long enough to tell titles apart, short enough for every id bound (the tightest warns past
/// 64 characters).
const MAX_ID_CHARS: usize = 48;

/// `title` as an id: lowercase ASCII letters and digits, runs of anything else as one `_`,
/// cut at a word boundary; `fallback` when nothing is left.
pub fn from_title(title: &str, fallback: &str) -> String {
    let mut id = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('_') {
            id.push('_');
        }
    }
    let mut id = id.trim_end_matches('_').to_owned();
    if id.len() > MAX_ID_CHARS {
        let cut = id[..=MAX_ID_CHARS]
            .rfind('_')
            .filter(|at| *at > 0)
            .unwrap_or(MAX_ID_CHARS);
        id.truncate(cut);
    }
    if id.is_empty() {
        fallback.to_owned()
    } else {
        id
    }
}

/// `base`, or `base_2`, `base_3`… : the first that `taken` does not hold.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| base.to_owned())
}

/// Whether `id` is still the one made from `title` (perhaps with a number to keep it unique),
/// so that it follows the title; an id the author wrote stays.
pub fn follows_title(id: &str, title: &str, fallback: &str) -> bool {
    let made = from_title(title, fallback);
    id == made
        || id.strip_prefix(made.as_str()).is_some_and(|rest| {
            rest.strip_prefix('_')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        })
}

/// The condition with every mention of choice `old` renamed to `new`; `None` when it names
/// no `old`. Ids are whole words of letters, digits and `_`.
pub fn rename_in_condition(condition: &str, old: &str, new: &str) -> Option<String> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(condition.len());
    let mut word = String::new();
    let mut renamed = false;
    let mut flush = |word: &mut String, out: &mut String| {
        if word == old {
            out.push_str(new);
            renamed = true;
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in condition.chars() {
        if is_word(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    renamed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_from_titles_with_the_characters_ids_allow() {
        assert_eq!(
            from_title("How do you deploy changes?", "q"),
            "how_do_you_deploy_changes"
        );
        assert_eq!(from_title("  Sécurité — IAM  ", "q"), "s_curit_iam");
        assert_eq!(from_title("¿¡!", "question"), "question");
        let long = from_title(&"word ".repeat(30), "q");
        assert!(long.len() <= MAX_ID_CHARS && !long.ends_with('_'), "{long}");
    }

    #[test]
    fn a_taken_id_gets_a_number_and_such_an_id_still_follows_its_title() {
        let taken = ["new_question", "new_question_2"];
        let id = unique("new_question", |id| taken.contains(&id));
        assert_eq!(id, "new_question_3");
        assert!(follows_title(&id, "New question", "q"));
        assert!(!follows_title("sec_iam", "New question", "q"));
        assert!(!follows_title("new_question_x", "New question", "q"));
    }

    #[test]
    fn a_renamed_choice_is_renamed_in_whole_words_only() {
        assert_eq!(
            rename_in_condition("a && !(a_b || a)", "a", "z").as_deref(),
            Some("z && !(a_b || z)")
        );
        assert_eq!(rename_in_condition("default", "a", "z"), None);
    }
}
