//! The review rules, as pure functions: which version a draft is compared with, whose decision
//! counts, the state decisions lead to, and what a decision needs (four eyes, a comment for a
//! request for changes).

use lensgate_app::{
    error::AppError,
    reviews::{Decision, ReviewState},
};

use super::store::{DecisionRecord, VersionRecord};

/// The longest note or comment kept.
pub const MAX_NOTE: usize = 4000;

/// The version a revision changes: the newest one published from an earlier import (versions
/// come newest first). A published review keeps comparing with the version before its own.
pub fn base_of(versions: &[VersionRecord], revision_id: i64) -> Option<&VersionRecord> {
    versions.iter().find(|v| v.revision_id < revision_id)
}

/// Each reviewer's latest decision counts: the reviewers who approve, and whether anyone asks
/// for changes.
pub fn standing(decisions: &[DecisionRecord]) -> (Vec<String>, bool) {
    let mut latest: Vec<(&str, &str)> = Vec::new();
    for d in decisions {
        match latest.iter_mut().find(|(who, _)| *who == d.reviewer) {
            Some(entry) => entry.1 = &d.decision,
            None => latest.push((&d.reviewer, &d.decision)),
        }
    }
    let approvers = latest
        .iter()
        .filter(|(_, d)| *d == Decision::Approve.as_str())
        .map(|(who, _)| (*who).to_owned())
        .collect();
    let changes_requested = latest
        .iter()
        .any(|(_, d)| *d == Decision::RequestChanges.as_str());
    (approvers, changes_requested)
}

/// The state a review's decisions lead to: a request for changes holds it; enough approvals
/// approve it.
pub fn next_state(decisions: &[DecisionRecord], approvals_required: usize) -> ReviewState {
    let (approvers, changes_requested) = standing(decisions);
    if changes_requested {
        ReviewState::ChangesRequested
    } else if approvers.len() >= approvals_required {
        ReviewState::Approved
    } else {
        ReviewState::Open
    }
}

/// The comment of a decision `reviewer` may make on `author`'s draft, trimmed; or why not
/// (about the form's `comment` field when the comment is what is wrong).
pub fn decision_comment<'c>(
    author: &str,
    reviewer: &str,
    decision: Decision,
    comment: &'c str,
) -> Result<&'c str, AppError> {
    if author == reviewer {
        return Err(AppError::Invalid("You wrote this draft, so you cannot decide on it: another reviewer must (four-eyes rule).".to_owned()));
    }
    let comment = comment.trim();
    if decision == Decision::RequestChanges && comment.is_empty() {
        return Err(AppError::invalid_field(
            "comment",
            "Say what should change: a request for changes needs a comment.",
        ));
    }
    within_limit("comment", comment)
}

/// The text of a comment on a question or choice (the form's `body`), trimmed; or why not.
pub fn place_comment(body: &str) -> Result<&str, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid_field(
            "body",
            "Write the comment first: it is empty.",
        ));
    }
    within_limit("body", body)
}

fn within_limit<'c>(field: &str, comment: &'c str) -> Result<&'c str, AppError> {
    if comment.chars().count() > MAX_NOTE {
        return Err(AppError::invalid_field(
            field,
            format!("The comment is longer than {MAX_NOTE} characters."),
        ));
    }
    Ok(comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(reviewer: &str, decision: Decision) -> DecisionRecord {
        DecisionRecord {
            reviewer: reviewer.to_owned(),
            decision: decision.as_str().to_owned(),
            comment: String::new(),
            decided_at: String::new(),
        }
    }

    fn version(name: &str, revision_id: i64) -> VersionRecord {
        VersionRecord {
            version_name: name.to_owned(),
            is_major: true,
            revision_id,
            review_id: 0,
            json: String::new(),
            author: String::new(),
            approvers: String::new(),
            publisher: String::new(),
            published_at: String::new(),
        }
    }

    #[test]
    fn a_reviewers_latest_decision_is_the_one_that_counts() {
        let decisions = [
            decision("rui", Decision::RequestChanges),
            decision("eva", Decision::Approve),
            decision("rui", Decision::Approve),
        ];
        assert_eq!(
            standing(&decisions),
            (vec!["rui".to_owned(), "eva".to_owned()], false)
        );
        assert_eq!(next_state(&decisions, 2), ReviewState::Approved);
        assert_eq!(
            next_state(&decisions[..2], 1),
            ReviewState::ChangesRequested
        );
        assert_eq!(next_state(&decisions[1..2], 2), ReviewState::Open);
    }

    #[test]
    fn a_draft_is_compared_with_the_version_published_before_it() {
        let versions = [version("1.1", 5), version("1.0", 2)];
        assert_eq!(
            base_of(&versions, 7).map(|v| v.version_name.as_str()),
            Some("1.1")
        );
        assert_eq!(
            base_of(&versions, 5).map(|v| v.version_name.as_str()),
            Some("1.0"),
            "not with itself"
        );
        assert!(
            base_of(&versions, 2).is_none(),
            "a first version is compared with nothing"
        );
    }

    #[test]
    fn four_eyes_and_a_comment_for_changes() {
        assert!(
            decision_comment("ana", "ana", Decision::Approve, "")
                .unwrap_err()
                .to_string()
                .contains("four-eyes")
        );
        let missing = decision_comment("ana", "rui", Decision::RequestChanges, "  ").unwrap_err();
        assert!(
            missing
                .about("comment")
                .is_some_and(|message| message.contains("needs a comment")),
            "shown under the comment field: {missing:?}"
        );
        assert_eq!(
            decision_comment("ana", "rui", Decision::Approve, " fine "),
            Ok("fine")
        );
        assert!(
            decision_comment("ana", "rui", Decision::Approve, &"x".repeat(MAX_NOTE + 1)).is_err()
        );
    }

    #[test]
    fn a_place_comment_is_trimmed_and_neither_empty_nor_over_the_limit() {
        assert_eq!(
            place_comment("  Say which store.\n"),
            Ok("Say which store.")
        );
        let about_body = |body: &str| {
            place_comment(body)
                .unwrap_err()
                .about("body")
                .map(str::to_owned)
        };
        assert!(about_body(" \n\t").is_some_and(|m| m.contains("empty")));
        let long = "x".repeat(MAX_NOTE + 1);
        assert!(about_body(&long).is_some_and(|m| m.contains("longer than")));
        assert!(place_comment(&long[1..]).is_ok());
    }
}
