//! Filling an empty PostgreSQL database with another installation's rows (`lensgate migrate`):
//! every table through COPY, in one transaction, so a copy that fails leaves nothing behind.

use sqlx::{PgPool, Postgres, Transaction, postgres::PgCopyIn};

/// A table the copy carries, with the columns both schemas give it.
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// Whether `id` is an identity column whose sequence must continue after the copied ids.
    pub identity: bool,
}

/// Every table with state, parents before children. `instance` is carried by
/// [`Copy::keep_instance`]; `audit_open_operations` is rebuilt by the audit trigger as the events
/// arrive; sessions are not carried (people sign in again).
pub const TABLES: &[Table] = &[
    Table {
        name: "users",
        columns: &[
            "id",
            "username",
            "password_hash",
            "role",
            "disabled",
            "created_at",
            "updated_at",
        ],
        identity: true,
    },
    Table {
        name: "api_tokens",
        columns: &[
            "id",
            "user_id",
            "name",
            "token_hash",
            "prefix",
            "role",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "revoked_by",
        ],
        identity: true,
    },
    Table {
        name: "lens_revisions",
        columns: &[
            "id",
            "lens_arn",
            "json",
            "imported_by",
            "imported_at",
            "operation_id",
        ],
        identity: true,
    },
    Table {
        name: "reviews",
        columns: &[
            "id",
            "lens_arn",
            "revision_id",
            "author",
            "note",
            "state",
            "created_at",
            "closed_reason",
        ],
        identity: true,
    },
    Table {
        name: "review_decisions",
        columns: &[
            "id",
            "review_id",
            "reviewer",
            "decision",
            "comment",
            "decided_at",
        ],
        identity: true,
    },
    Table {
        name: "lens_versions",
        columns: &[
            "id",
            "lens_arn",
            "version_name",
            "is_major",
            "revision_id",
            "review_id",
            "json",
            "author",
            "approvers",
            "publisher",
            "published_at",
            "operation_id",
        ],
        identity: true,
    },
    Table {
        name: "review_comments",
        columns: &[
            "id",
            "review_id",
            "place",
            "place_title",
            "author",
            "body",
            "created_at",
            "resolved_by",
            "resolved_at",
        ],
        identity: true,
    },
    Table {
        name: "grant_versions",
        columns: &[
            "grant_arn",
            "version",
            "created_by",
            "created_at",
            "operation_id",
        ],
        identity: false,
    },
    Table {
        name: "shares",
        columns: &[
            "share_id",
            "resource",
            "shared_with",
            "shared_by",
            "shared_at",
            "operation_id",
        ],
        identity: false,
    },
    Table {
        name: "audit_events",
        columns: &[
            "seq",
            "occurred_at",
            "actor",
            "actor_role",
            "action",
            "target",
            "phase",
            "operation_id",
            "idempotency_token",
            "request",
            "response",
            "error_code",
            "error_message",
            "aws_request_id",
            "attempts",
            "duration_ms",
            "prev_hash",
            "hash",
        ],
        identity: false,
    },
    Table {
        name: "audit_checkpoints",
        columns: &["id", "seq", "hash", "signed_at", "key", "signature"],
        identity: true,
    },
    Table {
        name: "audit_outbox",
        columns: &["seq", "kind", "payload", "fanned_out"],
        identity: false,
    },
    Table {
        name: "webhooks",
        columns: &[
            "id",
            "url",
            "secret",
            "events",
            "format",
            "created_by",
            "created_at",
            "removed_at",
        ],
        identity: true,
    },
    Table {
        name: "webhook_deliveries",
        columns: &[
            "id",
            "webhook_id",
            "seq",
            "kind",
            "payload",
            "created_at",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "abandoned_at",
            "last_status",
            "last_error",
            "last_response",
        ],
        identity: true,
    },
];

/// COPY data is sent in pieces of about this size: memory stays flat whatever the table's size.
const CHUNK: usize = 256 * 1024;

/// The first table that already holds rows, if any: a copy goes only into an empty database.
pub async fn first_with_rows(pool: &PgPool) -> Result<Option<&'static str>, sqlx::Error> {
    for table in TABLES {
        let query = format!("SELECT EXISTS (SELECT 1 FROM {})", table.name);
        if sqlx::query_scalar::<_, bool>(&query)
            .fetch_one(pool)
            .await?
        {
            return Ok(Some(table.name));
        }
    }
    Ok(None)
}

/// A copy under way: one transaction for every table.
pub struct Copy {
    tx: Transaction<'static, Postgres>,
}

impl Copy {
    pub async fn begin(pool: &PgPool) -> Result<Self, sqlx::Error> {
        Ok(Copy {
            tx: pool.begin().await?,
        })
    }

    /// Gives this database the identity of the installation copied, to which its signed audit
    /// checkpoints are bound.
    pub async fn keep_instance(
        &mut self,
        instance_id: &str,
        created_at: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query!(
            "UPDATE instance SET instance_id = $1, created_at = $2 WHERE id = 1",
            instance_id,
            created_at
        )
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Starts copying into `table`; feed it rows, then finish it.
    pub async fn table(&mut self, table: &Table) -> Result<TableCopy<'_>, sqlx::Error> {
        let statement = format!(
            "COPY {} ({}) FROM STDIN",
            table.name,
            table.columns.join(", ")
        );
        Ok(TableCopy {
            copy: self.tx.copy_in_raw(&statement).await?,
            buffer: Vec::with_capacity(CHUNK),
            rows: 0,
        })
    }

    /// Moves every identity past the ids copied, then commits.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        for table in TABLES.iter().filter(|t| t.identity) {
            let query = format!(
                "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {0}",
                table.name
            );
            sqlx::query(&query).execute(&mut *self.tx).await?;
        }
        self.tx.commit().await
    }
}

/// Rows on their way into one table.
pub struct TableCopy<'c> {
    copy: PgCopyIn<&'c mut sqlx::PgConnection>,
    buffer: Vec<u8>,
    rows: u64,
}

impl TableCopy<'_> {
    /// One row, its values as text in the table's column order (`None` for NULL; booleans as
    /// 0 or 1, which PostgreSQL reads as false and true).
    pub async fn row(&mut self, values: &[Option<String>]) -> Result<(), sqlx::Error> {
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.buffer.push(b'\t');
            }
            match value {
                Some(text) => escape_into(&mut self.buffer, text),
                None => self.buffer.extend_from_slice(b"\\N"),
            }
        }
        self.buffer.push(b'\n');
        self.rows += 1;
        if self.buffer.len() >= CHUNK {
            self.copy.send(std::mem::take(&mut self.buffer)).await?;
            self.buffer.reserve(CHUNK);
        }
        Ok(())
    }

    /// Sends what is left; returns the rows PostgreSQL stored, which the caller compares with
    /// the rows it read.
    pub async fn finish(mut self) -> Result<u64, sqlx::Error> {
        if !self.buffer.is_empty() {
            self.copy.send(self.buffer).await?;
        }
        self.copy.finish().await
    }
}

/// COPY's text format: a backslash, tab, newline or carriage return in a value is escaped, so it
/// cannot end the value or the row.
fn escape_into(buffer: &mut Vec<u8>, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'\\' => buffer.extend_from_slice(b"\\\\"),
            b'\t' => buffer.extend_from_slice(b"\\t"),
            b'\n' => buffer.extend_from_slice(b"\\n"),
            b'\r' => buffer.extend_from_slice(b"\\r"),
            other => buffer.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::escape_into;

    #[test]
    fn separators_inside_values_are_escaped() {
        let mut buffer = Vec::new();
        escape_into(&mut buffer, "a\tb\nc\\d\re");
        assert_eq!(buffer, b"a\\tb\\nc\\\\d\\re");
    }
}
