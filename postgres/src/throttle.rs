//! `sign_in_throttle` on PostgreSQL: failures and lockouts per key, shared by every replica.

use sqlx::PgExecutor;

/// The latest time any of `keys` stays locked until (milliseconds), 0 when none is.
pub async fn locked_until(db: impl PgExecutor<'_>, keys: &[String]) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT coalesce(max(locked_until), 0) AS "until!" FROM sign_in_throttle WHERE key = ANY($1)"#,
        keys
    )
    .fetch_one(db)
    .await
}

/// Counts a failure for `key` at `now`, in a new window when the last began more than `window`
/// ago; returns the failures in the window and the lockouts so far. The row stays locked until
/// the transaction ends, so replicas count one failure at a time.
pub async fn count_failure(
    db: impl PgExecutor<'_>,
    key: &str,
    now: i64,
    window: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        "INSERT INTO sign_in_throttle AS t (key, window_start, failures) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN $2 - t.window_start > $3 THEN 1 ELSE t.failures + 1 END,
             window_start = CASE WHEN $2 - t.window_start > $3 THEN $2 ELSE t.window_start END
         RETURNING failures, lockouts",
        key,
        now,
        window
    )
    .fetch_one(db)
    .await?;
    Ok((row.failures, row.lockouts))
}

/// Locks `key` until `until` and starts counting failures again.
pub async fn lock(
    db: impl PgExecutor<'_>,
    key: &str,
    now: i64,
    until: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE sign_in_throttle
         SET locked_until = $1, lockouts = lockouts + 1, failures = 0, window_start = $2
         WHERE key = $3",
        until,
        now,
        key
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets `key`: a successful sign-in clears the account's record.
pub async fn clear(db: impl PgExecutor<'_>, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM sign_in_throttle WHERE key = $1", key)
        .execute(db)
        .await?;
    Ok(())
}
