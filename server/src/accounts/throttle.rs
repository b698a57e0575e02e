//! Sign-in throttling: five failures within a minute, per client address and per account,
//! lock that key; each further lockout lasts twice as long as the one before. The counts live
//! in the database (`sign_in_throttle`), so a restart does not lift a lockout and every replica
//! on the same data counts the same failures.

use std::time::Duration;

use lensgate_postgres::throttle as pg;

use crate::db::{Conn, Database};

const FAILURES_ALLOWED: i64 = 5;
const WINDOW: Duration = Duration::from_secs(60);
const FIRST_LOCKOUT: Duration = Duration::from_secs(30);
const LONGEST_LOCKOUT: Duration = Duration::from_secs(60 * 60);

/// How long the lockout that follows `lockouts` earlier ones lasts.
fn lockout_after(lockouts: i64) -> Duration {
    let doublings = u32::try_from(lockouts.clamp(0, 16)).unwrap_or(16);
    (FIRST_LOCKOUT * 2u32.saturating_pow(doublings)).min(LONGEST_LOCKOUT)
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

pub struct LoginThrottle {
    db: Database,
}

impl LoginThrottle {
    pub fn new(db: Database) -> Self {
        LoginThrottle { db }
    }

    /// How long the caller must still wait at `now` (milliseconds since 1970), if any of `keys`
    /// is locked.
    pub async fn wait(&self, keys: &[String], now: i64) -> Result<Option<Duration>, sqlx::Error> {
        let until = match &self.db {
            Database::Sqlite(pool) => {
                let keys = serde_json::to_string(keys).unwrap_or_default();
                sqlx::query_scalar!(
                    r#"SELECT COALESCE(MAX(locked_until), 0) AS "until!: i64" FROM sign_in_throttle
                       WHERE key IN (SELECT value FROM json_each(?))"#,
                    keys
                )
                .fetch_one(pool)
                .await?
            }
            Database::Postgres(pool) => pg::locked_until(pool, keys).await?,
        };
        Ok((until > now).then(|| Duration::from_millis((until - now).unsigned_abs())))
    }

    /// Records a failure of each of `keys` at `now`; returns the lockout it started, if any.
    /// One transaction: two servers counting at once take turns, so the fifth failure locks once.
    pub async fn failed(&self, keys: &[String], now: i64) -> Result<Option<Duration>, sqlx::Error> {
        let mut tx = self.db.begin().await?;
        let mut started = None;
        for key in keys {
            let (failures, lockouts) = count_failure(tx.conn(), key, now).await?;
            if failures >= FAILURES_ALLOWED {
                let lockout = lockout_after(lockouts);
                lock(tx.conn(), key, now, now.saturating_add(millis(lockout))).await?;
                started = started.max(Some(lockout));
            }
        }
        tx.commit().await?;
        Ok(started)
    }

    /// A successful sign-in clears the account's record (not the address's).
    pub async fn succeeded(&self, account_key: &str) -> Result<(), sqlx::Error> {
        match &self.db {
            Database::Sqlite(pool) => {
                sqlx::query!("DELETE FROM sign_in_throttle WHERE key = ?", account_key)
                    .execute(pool)
                    .await?;
                Ok(())
            }
            Database::Postgres(pool) => pg::clear(pool, account_key).await,
        }
    }
}

async fn count_failure(conn: Conn<'_>, key: &str, now: i64) -> Result<(i64, i64), sqlx::Error> {
    let window = millis(WINDOW);
    match conn {
        Conn::Sqlite(conn) => {
            let row = sqlx::query!(
                r#"INSERT INTO sign_in_throttle (key, window_start, failures) VALUES (?1, ?2, 1)
                   ON CONFLICT (key) DO UPDATE SET
                       failures = CASE WHEN ?2 - sign_in_throttle.window_start > ?3 THEN 1
                                       ELSE sign_in_throttle.failures + 1 END,
                       window_start = CASE WHEN ?2 - sign_in_throttle.window_start > ?3 THEN ?2
                                           ELSE sign_in_throttle.window_start END
                   RETURNING failures AS "failures!: i64", lockouts AS "lockouts!: i64""#,
                key,
                now,
                window
            )
            .fetch_one(conn)
            .await?;
            Ok((row.failures, row.lockouts))
        }
        Conn::Postgres(conn) => pg::count_failure(conn, key, now, window).await,
    }
}

async fn lock(conn: Conn<'_>, key: &str, now: i64, until: i64) -> Result<(), sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
            sqlx::query!(
                "UPDATE sign_in_throttle
                 SET locked_until = ?, lockouts = lockouts + 1, failures = 0, window_start = ?
                 WHERE key = ?",
                until,
                now,
                key
            )
            .execute(conn)
            .await?;
            Ok(())
        }
        Conn::Postgres(conn) => pg::lock(conn, key, now, until).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: i64 = 1_000;

    async fn throttle() -> (tempfile::TempDir, LoginThrottle) {
        let folder = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&folder.path().join("lensgate.db"))
            .await
            .unwrap();
        (folder, LoginThrottle::new(pool.into()))
    }

    #[tokio::test]
    async fn the_fifth_failure_locks_and_the_next_lockout_is_longer() {
        let (_folder, throttle) = throttle().await;
        let keys = vec!["user:ana".to_owned()];
        let start = 1_800_000_000_000;
        for n in 0..4 {
            assert_eq!(
                throttle.failed(&keys, start + n * SECOND).await.unwrap(),
                None
            );
        }
        assert_eq!(
            throttle.failed(&keys, start + 4 * SECOND).await.unwrap(),
            Some(FIRST_LOCKOUT)
        );
        let waited = throttle.wait(&keys, start + 5 * SECOND).await.unwrap();
        assert_eq!(waited, Some(Duration::from_secs(29)));
        let later = start + 40 * SECOND;
        assert_eq!(
            throttle.wait(&keys, later).await.unwrap(),
            None,
            "the lockout ends"
        );
        for n in 0..4 {
            throttle.failed(&keys, later + n * SECOND).await.unwrap();
        }
        assert_eq!(
            throttle.failed(&keys, later + 4 * SECOND).await.unwrap(),
            Some(FIRST_LOCKOUT * 2)
        );
        throttle.succeeded("user:ana").await.unwrap();
        assert_eq!(
            throttle.wait(&keys, later + 5 * SECOND).await.unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn failures_older_than_a_minute_are_forgotten() {
        let (_folder, throttle) = throttle().await;
        let keys = vec!["ip:127.0.0.1".to_owned()];
        let start = 1_800_000_000_000;
        for n in 0..4 {
            throttle.failed(&keys, start + n * SECOND).await.unwrap();
        }
        assert_eq!(
            throttle.failed(&keys, start + 120 * SECOND).await.unwrap(),
            None
        );
    }

    #[test]
    fn lockouts_double_up_to_an_hour() {
        assert_eq!(lockout_after(0), Duration::from_secs(30));
        assert_eq!(lockout_after(3), Duration::from_secs(240));
        assert_eq!(lockout_after(40), LONGEST_LOCKOUT);
    }
}
