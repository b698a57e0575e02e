//! Comments on one question or choice of a draft under review: the rules (who may comment,
//! where, who resolves) and the only SQL that touches `review_comments`. A comment and its
//! audit event commit together.

use lensgate_app::{auth::CurrentUser, error::AppError, reviews::ReviewComment};
use lensgate_lens::Lens;
use lensgate_postgres::reviews::{self as pg, CommentRow as CommentRecord};
use serde_json::json;

use super::{LiveReviews, database, event, invalid, rules, store, unrecorded};
use crate::{
    audit::AuditAction,
    db::{Conn, Database},
    timestamp,
};

/// Where `place` ("pillar/question" or "pillar/question/choice") is in `lens`, in words: the
/// question's title, and the choice's after it.
pub fn place_title(lens: &Lens, place: &str) -> Option<String> {
    let mut ids = place.split('/');
    let (pillar_id, question_id, choice_id) = (ids.next()?, ids.next()?, ids.next());
    if ids.next().is_some() {
        return None;
    }
    let question = lens
        .pillars
        .iter()
        .find(|p| p.id == pillar_id)?
        .questions
        .iter()
        .find(|q| q.id == question_id)?;
    match choice_id {
        None => Some(format!("Question “{}”", question.title)),
        Some(choice_id) => {
            let choice = question.choices.iter().find(|c| c.id == choice_id)?;
            Some(format!(
                "Choice “{}” of question “{}”",
                choice.title, question.title
            ))
        }
    }
}

impl LiveReviews {
    pub(super) async fn add_comment(
        &self,
        by: CurrentUser,
        review_id: i64,
        place: String,
        body: String,
    ) -> Result<(), AppError> {
        let record = self.review_record(review_id).await?;
        if !record.state.is_active() {
            return Err(invalid(format!(
                "Review {review_id} is closed ({}); comments go on the review of the newer draft.",
                record.state.label().to_lowercase()
            )));
        }
        let body = rules::place_comment(&body)?;
        let revision = store::revision(&self.db, record.revision_id)
            .await
            .map_err(database)?
            .ok_or(AppError::Internal)?;
        let lens = lensgate_lens::validate(&revision.json)
            .lens
            .ok_or_else(|| {
                invalid(
                    "This draft cannot be read as a lens, so it has no questions to comment on.",
                )
            })?;
        let title = place_title(&lens, &place).ok_or_else(|| {
            invalid(format!(
                "The draft has no question or choice “{place}”: reload the review to comment on the draft as it is now."
            ))
        })?;
        let mut tx = self.begin().await?;
        let id = insert(
            tx.conn(),
            &pg::NewComment {
                review_id,
                place: &place,
                place_title: &title,
                author: &by.username,
                body,
                at: &timestamp::now(),
            },
        )
        .await
        .map_err(database)?;
        tx.record(event(
            &by,
            AuditAction::ReviewCommented,
            &record.lens_arn,
            json!({ "review_id": review_id, "comment_id": id, "place": place, "comment": body }),
        ))
        .await
        .map_err(unrecorded)?;
        tx.commit().await.map_err(unrecorded)
    }

    pub(super) async fn resolve(&self, by: CurrentUser, comment_id: i64) -> Result<(), AppError> {
        let comment = one(&self.db, comment_id)
            .await
            .map_err(database)?
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "There is no comment {comment_id}: open the review again to see its comments."
                ))
            })?;
        let record = self.review_record(comment.review_id).await?;
        if record.author != by.username {
            return Err(invalid(format!(
                "Only {}, who wrote this draft, resolves comments on it.",
                record.author
            )));
        }
        let mut tx = self.begin().await?;
        let resolved = mark_resolved(tx.conn(), comment_id, &by.username, &timestamp::now())
            .await
            .map_err(database)?;
        if !resolved {
            return Err(invalid(format!(
                "Comment {comment_id} is already resolved."
            )));
        }
        tx.record(event(
            &by,
            AuditAction::ReviewCommentResolved,
            &record.lens_arn,
            json!({ "review_id": comment.review_id, "comment_id": comment_id, "place": comment.place }),
        ))
        .await
        .map_err(unrecorded)?;
        tx.commit().await.map_err(unrecorded)
    }

    /// The review's comments, oldest first.
    pub(super) async fn comments_of(&self, review_id: i64) -> Result<Vec<ReviewComment>, AppError> {
        Ok(of_review(&self.db, review_id)
            .await
            .map_err(database)?
            .into_iter()
            .map(|c| ReviewComment {
                id: c.id,
                place: c.place,
                place_title: c.place_title,
                author: c.author,
                body: c.body,
                created_at: c.created_at,
                resolved: c.resolved_by.zip(c.resolved_at),
            })
            .collect())
    }
}

async fn insert(conn: Conn<'_>, comment: &pg::NewComment<'_>) -> Result<i64, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => sqlx::query_scalar!(
            r#"INSERT INTO review_comments (review_id, place, place_title, author, body, created_at)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING id AS "id!: i64""#,
            comment.review_id,
            comment.place,
            comment.place_title,
            comment.author,
            comment.body,
            comment.at
        )
        .fetch_one(conn)
        .await,
        Conn::Postgres(conn) => pg::insert_comment(conn, comment).await,
    }
}

async fn one(db: &Database, id: i64) -> Result<Option<CommentRecord>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                CommentRecord,
                r#"SELECT id AS "id!: i64", review_id, place, place_title, author, body, created_at, resolved_by, resolved_at
           FROM review_comments WHERE id = ?"#,
                id
            )
            .fetch_optional(pool)
            .await
        }
        Database::Postgres(pool) => pg::comment(pool, id).await,
    }
}

async fn of_review(db: &Database, review_id: i64) -> Result<Vec<CommentRecord>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                CommentRecord,
                r#"SELECT id AS "id!: i64", review_id, place, place_title, author, body, created_at, resolved_by, resolved_at
           FROM review_comments WHERE review_id = ? ORDER BY id"#,
                review_id
            )
            .fetch_all(pool)
            .await
        }
        Database::Postgres(pool) => pg::comments_of(pool, review_id).await,
    }
}

/// Marks the comment resolved unless it already is; whether it was marked now.
async fn mark_resolved(conn: Conn<'_>, id: i64, by: &str, at: &str) -> Result<bool, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
            let done = sqlx::query!(
                "UPDATE review_comments SET resolved_by = ?, resolved_at = ? WHERE id = ? AND resolved_by IS NULL",
                by,
                at,
                id
            )
            .execute(conn)
            .await?;
            Ok(done.rows_affected() == 1)
        }
        Conn::Postgres(conn) => pg::resolve_comment(conn, id, by, at).await,
    }
}

#[cfg(test)]
mod tests {
    use lensgate_app::reviews::{choice_place, question_place};

    use super::*;

    /// Every place of `lens`: each question, then its choices.
    fn places(lens: &Lens) -> Vec<String> {
        lens.pillars
            .iter()
            .flat_map(|pillar| {
                pillar.questions.iter().flat_map(move |question| {
                    std::iter::once(question_place(&pillar.id, &question.id)).chain(
                        question
                            .choices
                            .iter()
                            .map(move |choice| choice_place(&pillar.id, &question.id, &choice.id)),
                    )
                })
            })
            .collect()
    }

    fn lens() -> Lens {
        lensgate_lens::validate(include_str!(
            "../../../lens/tests/fixtures/valid-small.json"
        ))
        .lens
        .expect("the fixture is a lens")
    }

    #[test]
    fn every_place_of_a_lens_has_a_title() {
        let lens = lens();
        let places = places(&lens);
        assert!(!places.is_empty());
        for place in &places {
            assert!(place_title(&lens, place).is_some(), "{place} has no title");
        }
    }

    #[test]
    fn a_choice_is_named_with_its_question() {
        let lens = lens();
        let pillar = &lens.pillars[0];
        let question = &pillar.questions[0];
        let choice = &question.choices[0];
        let title = place_title(&lens, &choice_place(&pillar.id, &question.id, &choice.id));
        assert_eq!(
            title.unwrap(),
            format!("Choice “{}” of question “{}”", choice.title, question.title)
        );
    }

    #[test]
    fn places_the_lens_lacks_are_refused() {
        let lens = lens();
        let pillar = &lens.pillars[0].id;
        for place in [
            "",
            "nowhere",
            &format!("{pillar}/missing"),
            &format!("{pillar}/{}/missing", lens.pillars[0].questions[0].id),
            &format!("{pillar}/{}/a/b", lens.pillars[0].questions[0].id),
        ] {
            assert!(
                place_title(&lens, place).is_none(),
                "{place:?} was accepted"
            );
        }
    }
}
