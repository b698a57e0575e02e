//! The audit browser's one query: filters that combine, free-text search, newest first, and
//! keyset pagination on `seq` (never OFFSET), so a page is stable while events arrive and the
//! export walks any filter in constant memory.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::Event;

/// What the user filters by; an empty field matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub actions: Vec<String>,
    pub actor: Option<String>,
    /// `requested` (shown as pending), `succeeded`, `failed` or `recorded`.
    pub phase: Option<String>,
    pub target: Option<String>,
    /// RFC 3339 bounds on `occurred_at`: from inclusive, until exclusive.
    pub from: Option<String>,
    pub until: Option<String>,
    /// Words to find in the request, response, error text, action or target.
    pub text: Option<String>,
}

/// The FTS5 query that finds every word of `text` as written: each word becomes a quoted
/// string, so quotes, `*`, `NEAR`, `AND`, parentheses and column filters are plain text and
/// never an FTS syntax error. `None` when nothing is left to search for.
pub fn fts_query(text: &str) -> Option<String> {
    // Control characters (NUL above all) end an SQLite string early; they separate words here.
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| format!("\"{}\"", word.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

const COLUMNS: &str = "seq, occurred_at, actor, actor_role, action, target, phase, operation_id, \
    idempotency_token, request, response, error_code, error_message, aws_request_id, attempts, \
    duration_ms, prev_hash, hash";

/// Up to `limit` events matching `filter` older than `before` (a `seq`; `None` for the
/// newest), newest first.
pub async fn page(
    pool: &SqlitePool,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    let mut sql =
        QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS} FROM audit_events WHERE 1 = 1"));
    if !filter.actions.is_empty() {
        sql.push(" AND action IN (");
        let mut list = sql.separated(", ");
        for action in &filter.actions {
            list.push_bind(action);
        }
        sql.push(")");
    }
    if let Some(actor) = &filter.actor {
        sql.push(" AND actor = ").push_bind(actor);
    }
    if let Some(phase) = &filter.phase {
        sql.push(" AND phase = ").push_bind(phase);
    }
    if let Some(target) = &filter.target {
        sql.push(" AND target = ").push_bind(target);
    }
    if let Some(from) = &filter.from {
        sql.push(" AND occurred_at >= ").push_bind(from);
    }
    if let Some(until) = &filter.until {
        sql.push(" AND occurred_at < ").push_bind(until);
    }
    if let Some(text) = filter.text.as_deref().and_then(fts_query) {
        sql.push(" AND seq IN (SELECT rowid FROM audit_search WHERE audit_search MATCH ")
            .push_bind(text)
            .push(")");
    }
    if let Some(before) = before {
        sql.push(" AND seq < ").push_bind(before);
    }
    sql.push(" ORDER BY seq DESC LIMIT ").push_bind(limit);
    sql.build_query_as::<Event>().fetch_all(pool).await
}

/// The newest event's `seq`, 0 for an empty history: the page compares it with what it shows
/// to say that newer events arrived.
pub async fn newest(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT COALESCE(MAX(seq), 0) AS "seq!: i64" FROM audit_events"#)
        .fetch_one(pool)
        .await
}

/// The distinct actions in the history, found by one index seek per action rather than a scan.
pub async fn actions(pool: &SqlitePool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"WITH RECURSIVE found(action) AS (
               SELECT MIN(action) FROM audit_events
               UNION ALL
               SELECT (SELECT MIN(action) FROM audit_events WHERE action > found.action)
               FROM found WHERE found.action IS NOT NULL
           )
           SELECT action AS "action!: String" FROM found WHERE action IS NOT NULL"#
    )
    .fetch_all(pool)
    .await
}

/// One event by its place in the chain.
pub async fn event(pool: &SqlitePool, seq: i64) -> Result<Option<Event>, sqlx::Error> {
    sqlx::query_as::<_, Event>(&format!("SELECT {COLUMNS} FROM audit_events WHERE seq = ?"))
        .bind(seq)
        .fetch_optional(pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn every_word_is_a_quoted_string() {
        assert_eq!(
            fts_query("Conflict share").unwrap(),
            r#""Conflict" "share""#
        );
        assert_eq!(fts_query(r#"say "hi""#).unwrap(), r#""say" """hi""""#);
        assert_eq!(
            fts_query("NEAR(a b) OR *").unwrap(),
            r#""NEAR(a" "b)" "OR" "*""#
        );
        assert_eq!(fts_query("   "), None);
        assert_eq!(fts_query("a\u{0}b").unwrap(), r#""a" "b""#);
    }
}
