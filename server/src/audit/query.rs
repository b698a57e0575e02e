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

const COLUMNS: &str = "e.seq, e.occurred_at, e.actor, e.actor_role, e.action, e.target, e.phase, \
    e.operation_id, e.idempotency_token, e.request, e.response, e.error_code, e.error_message, \
    e.aws_request_id, e.attempts, e.duration_ms, e.prev_hash, e.hash";

/// Up to `limit` events matching `filter` older than `before` (a `seq`; `None` for the
/// newest), newest first.
pub async fn page(
    pool: &SqlitePool,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    select(COLUMNS, filter, before, limit)
        .build_query_as::<Event>()
        .fetch_all(pool)
        .await
}

/// How an export writes one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    Csv,
    JsonLines,
}

/// The CSV header matching [`Rendering::Csv`]'s records.
pub const CSV_HEADER: &str = "seq,occurred_at,actor,actor_role,action,target,outcome,error_code,\
error_message,duration_ms,attempts,operation_id,idempotency_token,aws_request_id,request,response,hash";

/// The same events as [`page`], each already written as one line, with its `seq`: SQLite
/// renders the CSV record or the JSON object, so the export moves one string per event
/// instead of eighteen columns.
pub async fn lines(
    pool: &SqlitePool,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
    rendering: Rendering,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let line = match rendering {
        Rendering::Csv => csv_record(),
        Rendering::JsonLines => JSON_OBJECT.to_owned(),
    };
    select(&format!("e.seq, {line}"), filter, before, limit)
        .build_query_as::<(i64, String)>()
        .fetch_all(pool)
        .await
}

/// One CSV cell: quoted when it holds a comma, a quote or a line break; a cell a spreadsheet
/// would run as a formula (starting with = + - @, tab or CR) is quoted behind an apostrophe.
fn csv_cell(value: &str) -> String {
    format!(
        r#"CASE WHEN {value} IS NULL THEN ''
            WHEN substr({value}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13))
                THEN '"''' || replace({value}, '"', '""') || '"'
            WHEN instr({value}, ',') OR instr({value}, '"') OR instr({value}, char(10)) OR instr({value}, char(13))
                THEN '"' || replace({value}, '"', '""') || '"'
            ELSE {value} END"#
    )
}

fn csv_record() -> String {
    [
        "CAST(e.seq AS TEXT)",
        "e.occurred_at",
        "e.actor",
        "e.actor_role",
        "e.action",
        "e.target",
        "CASE e.phase WHEN 'requested' THEN 'pending' ELSE e.phase END",
        "e.error_code",
        "e.error_message",
        "CAST(e.duration_ms AS TEXT)",
        "CAST(e.attempts AS TEXT)",
        "e.operation_id",
        "e.idempotency_token",
        "e.aws_request_id",
        "e.request",
        "e.response",
        "e.hash",
    ]
    .iter()
    .map(|value| csv_cell(value))
    .collect::<Vec<_>>()
    .join(" || ',' || ")
}

const JSON_OBJECT: &str = "json_object(
    'seq', e.seq, 'occurred_at', e.occurred_at, 'actor', e.actor, 'actor_role', e.actor_role,
    'action', e.action, 'target', e.target,
    'outcome', CASE e.phase WHEN 'requested' THEN 'pending' ELSE e.phase END,
    'error_code', e.error_code, 'error_message', e.error_message, 'duration_ms', e.duration_ms,
    'attempts', e.attempts, 'operation_id', e.operation_id,
    'idempotency_token', e.idempotency_token, 'aws_request_id', e.aws_request_id,
    'request', CASE WHEN json_valid(e.request) THEN json(e.request) ELSE e.request END,
    'response', CASE WHEN json_valid(e.response) THEN json(e.response) ELSE e.response END,
    'prev_hash', e.prev_hash, 'hash', e.hash)";

/// `SELECT columns` of the events matching `filter` older than `before`, newest first.
fn select<'a>(
    columns: &str,
    filter: &'a Filter,
    before: Option<i64>,
    limit: i64,
) -> QueryBuilder<'a, Sqlite> {
    let text = filter.text.as_deref().and_then(fts_query);
    // With search words the full-text index drives, newest match first, so a common word stops
    // after one page instead of collecting every match; otherwise the table (or an index) does.
    let mut sql = match text {
        Some(words) => {
            let mut sql = QueryBuilder::<Sqlite>::new(format!(
                "SELECT {columns} FROM audit_search JOIN audit_events AS e ON e.seq = audit_search.rowid \
                 WHERE audit_search MATCH "
            ));
            sql.push_bind(words);
            sql
        }
        None => QueryBuilder::<Sqlite>::new(format!(
            "SELECT {columns} FROM audit_events AS e WHERE 1 = 1"
        )),
    };
    if !filter.actions.is_empty() {
        sql.push(" AND e.action IN (");
        let mut list = sql.separated(", ");
        for action in &filter.actions {
            list.push_bind(action);
        }
        sql.push(")");
    }
    if let Some(actor) = &filter.actor {
        sql.push(" AND e.actor = ").push_bind(actor);
    }
    if let Some(phase) = &filter.phase {
        sql.push(" AND e.phase = ").push_bind(phase);
    }
    if let Some(target) = &filter.target {
        sql.push(" AND e.target = ").push_bind(target);
    }
    if let Some(from) = &filter.from {
        sql.push(" AND e.occurred_at >= ").push_bind(from);
    }
    if let Some(until) = &filter.until {
        sql.push(" AND e.occurred_at < ").push_bind(until);
    }
    let order = if filter.text.as_deref().and_then(fts_query).is_some() {
        "audit_search.rowid"
    } else {
        "e.seq"
    };
    if let Some(before) = before {
        sql.push(format!(" AND {order} < ")).push_bind(before);
    }
    sql.push(format!(" ORDER BY {order} DESC LIMIT "))
        .push_bind(limit);
    sql
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
    sqlx::query_as::<_, Event>(&format!(
        "SELECT {COLUMNS} FROM audit_events AS e WHERE e.seq = ?"
    ))
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
