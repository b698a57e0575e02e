//! The audit browser's one query: filters that combine, free-text search, newest first, and
//! keyset pagination on `seq` (never OFFSET), so a page is stable while events arrive and the
//! export walks any filter in constant memory.

use lensgate_postgres::audit as pg;

use super::Event;
use crate::db::Database;

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
    /// One line per change: a `requested` event shows only while its operation has no
    /// outcome (the list); the export leaves this off and writes every event of the chain.
    pub changes_only: bool,
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

pub const COLUMNS: &str = "e.seq, e.occurred_at, e.actor, e.actor_role, e.action, e.target, e.phase, \
    e.operation_id, e.idempotency_token, e.request, e.response, e.error_code, e.error_message, \
    e.aws_request_id, e.attempts, e.duration_ms, e.prev_hash, e.hash";

/// Up to `limit` events matching `filter` older than `before` (a `seq`; `None` for the
/// newest), newest first.
pub async fn page(
    db: &Database,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    let before = before.unwrap_or(i64::MAX);
    match db {
        Database::Sqlite(pool) => {
            let select = Select::new(COLUMNS, filter, Dialect::Sqlite);
            select.query(before, limit).fetch_all(pool).await
        }
        Database::Postgres(pool) => {
            let select = Select::new(COLUMNS, filter, Dialect::Postgres);
            select.query(before, limit).fetch_all(pool).await
        }
    }
}

/// The SQL a [`Select`] is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `?` parameters, FTS5 search.
    Sqlite,
    /// `$n` parameters, search through the generated `tsvector` column.
    Postgres,
}

/// One bound value of a [`Select`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Text(String),
    Integer(i64),
}

/// `SELECT columns` of the events matching a filter, newest first: written once, run through
/// sqlx for the pages and through the export's own connection. The SQL ends in
/// `< ? ORDER BY … DESC LIMIT ?`: after `filters` come the keyset bound (a `seq`) and the limit.
#[derive(Debug, Clone)]
pub struct Select {
    pub sql: String,
    pub filters: Vec<Param>,
}

impl Select {
    pub fn new(columns: &str, filter: &Filter, dialect: Dialect) -> Self {
        let mut select = Select {
            sql: String::new(),
            filters: Vec::new(),
        };
        let mark = |filters: &mut Vec<Param>, param: Param| {
            filters.push(param);
            match dialect {
                Dialect::Sqlite => "?".to_owned(),
                Dialect::Postgres => format!("${}", filters.len()),
            }
        };
        let text = filter.text.as_deref().and_then(fts_query);
        // With search words the full-text index drives, newest match first, so a common word
        // stops after one page instead of collecting every match; otherwise the table (or an
        // index) does.
        let order = match (text, dialect) {
            (Some(words), Dialect::Sqlite) => {
                let words = mark(&mut select.filters, Param::Text(words));
                select.sql = format!(
                    "SELECT {columns} FROM audit_search JOIN audit_events AS e \
                     ON e.seq = audit_search.rowid WHERE audit_search MATCH {words}"
                );
                "audit_search.rowid"
            }
            (Some(_), Dialect::Postgres) => {
                // plainto_tsquery reads words only: no operator in the text is a syntax error.
                let words = filter.text.as_deref().map(searchable).unwrap_or_default();
                let words = mark(&mut select.filters, Param::Text(words));
                select.sql = format!(
                    "SELECT {columns} FROM audit_events AS e \
                     WHERE e.search @@ plainto_tsquery('simple', {words})"
                );
                "e.seq"
            }
            (None, _) => {
                select.sql = format!("SELECT {columns} FROM audit_events AS e WHERE 1 = 1");
                "e.seq"
            }
        };
        if !filter.actions.is_empty() {
            let marks: Vec<String> = filter
                .actions
                .iter()
                .map(|action| mark(&mut select.filters, Param::Text(action.clone())))
                .collect();
            select
                .sql
                .push_str(&format!(" AND e.action IN ({})", marks.join(", ")));
        }
        for (column, value) in [
            ("e.actor =", &filter.actor),
            ("e.phase =", &filter.phase),
            ("e.target =", &filter.target),
            ("e.occurred_at >=", &filter.from),
            ("e.occurred_at <", &filter.until),
        ] {
            if let Some(value) = value {
                let value = mark(&mut select.filters, Param::Text(value.clone()));
                select.sql.push_str(&format!(" AND {column} {value}"));
            }
        }
        if filter.changes_only {
            select.sql.push_str(
                " AND (e.phase <> 'requested' OR EXISTS (SELECT 1 FROM audit_open_operations AS o \
                 WHERE o.operation_id = e.operation_id))",
            );
        }
        // The keyset bound and the limit follow the filters.
        let (bound, limit) = match dialect {
            Dialect::Sqlite => ("?".to_owned(), "?".to_owned()),
            Dialect::Postgres => (
                format!("${}", select.filters.len() + 1),
                format!("${}", select.filters.len() + 2),
            ),
        };
        select.sql.push_str(&format!(
            " AND {order} < {bound} ORDER BY {order} DESC LIMIT {limit}"
        ));
        select
    }
}

impl Select {
    /// The events of this select older than `before`, at most `limit`, for the database its
    /// dialect was written for.
    pub fn query<'q, DB>(
        &'q self,
        before: i64,
        limit: i64,
    ) -> sqlx::query::QueryAs<'q, DB, Event, <DB as sqlx::Database>::Arguments<'q>>
    where
        DB: sqlx::Database,
        &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        Event: for<'r> sqlx::FromRow<'r, DB::Row>,
    {
        let mut query = sqlx::query_as::<DB, Event>(&self.sql);
        for param in &self.filters {
            query = match param {
                Param::Text(text) => query.bind(text.as_str()),
                Param::Integer(number) => query.bind(*number),
            };
        }
        query.bind(before).bind(limit)
    }
}

/// The search text without control characters, which PostgreSQL refuses in a string (NUL) or
/// would read as word separators anyway.
fn searchable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The newest event's `seq`, 0 for an empty history: the page compares it with what it shows
/// to say that newer events arrived.
pub async fn newest(db: &Database) -> Result<i64, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_scalar!(r#"SELECT COALESCE(MAX(seq), 0) AS "seq!: i64" FROM audit_events"#)
                .fetch_one(pool)
                .await
        }
        Database::Postgres(pool) => pg::newest(pool).await,
    }
}

/// The distinct actions in the history, found by one index seek per action rather than a scan.
pub async fn actions(db: &Database) -> Result<Vec<String>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
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
        Database::Postgres(pool) => pg::actions(pool).await,
    }
}

/// One event by its place in the chain.
pub async fn event(db: &Database, seq: i64) -> Result<Option<Event>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as::<_, Event>(&format!(
                "SELECT {COLUMNS} FROM audit_events AS e WHERE e.seq = ?"
            ))
            .bind(seq)
            .fetch_optional(pool)
            .await
        }
        Database::Postgres(pool) => pg::event(pool, seq).await,
    }
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
