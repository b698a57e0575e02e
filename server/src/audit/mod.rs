//! The audit history: an append-only, hash-chained log of every change lensgate makes in AWS
//! and every decision people make in it.
//!
//! Each event stores the SHA-256 of the previous event's hash and its own canonical content, in
//! the spirit of CloudTrail's digest chain: an edit, a deletion or a reordering in the database
//! breaks the chain at the event concerned, and [`AuditLog::verify`] names it. SQLite triggers
//! refuse UPDATE and DELETE; appends go through one writer so the chain never forks.

pub mod action;
pub mod browser;
pub mod chain;
pub mod checkpoint;
pub mod export;
pub mod outbox;
pub mod postgres;
pub mod query;
pub mod subject;

use futures_util::TryStreamExt as _;
use lensgate_postgres::audit as pg;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::{Mutex, watch};

pub use action::AuditAction;
pub use chain::{GENESIS, Position};

use lensgate_app::{audit_browser::AuditRow, auth::CurrentUser, error::AppError};

use crate::{
    db::{Conn, Database, Tx},
    timestamp,
};

/// Events read per round trip while the chain is walked.
const WALK_BATCH: i64 = 5_000;

/// How many of a resource's audit events its page shows.
pub const TIMELINE_LENGTH: i64 = 50;

/// The audit history could not be read: the page says so, the log says why.
pub fn unreadable(error: sqlx::Error) -> AppError {
    tracing::error!(%error, "the audit history could not be read");
    AppError::Unavailable("The audit history".to_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Written before a call to AWS, with the idempotency token the call will use.
    Requested,
    Succeeded,
    Failed,
    /// An event with no AWS call behind it (a review decision, a sign-in).
    Recorded,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Requested => "requested",
            Phase::Succeeded => "succeeded",
            Phase::Failed => "failed",
            Phase::Recorded => "recorded",
        }
    }
}

/// Who did something, as the audit history names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub role: String,
}

impl From<&CurrentUser> for Actor {
    fn from(user: &CurrentUser) -> Self {
        // A change made with an API token says so, and which token, beside the role.
        let role = match &user.token {
            Some(token) => format!("{} via token {token}", user.role),
            None => user.role.as_str().to_owned(),
        };
        Actor {
            name: user.username.clone(),
            role,
        }
    }
}

impl Actor {
    /// lensgate itself, for work nobody asked for at that moment (recovery at start-up).
    pub fn system() -> Self {
        Actor {
            name: "lensgate".to_owned(),
            role: "system".to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub actor: Actor,
    pub action: String,
    pub target: String,
    pub phase: Phase,
    pub operation_id: String,
    pub idempotency_token: Option<String>,
    /// The request as sent; never credentials.
    pub request: Value,
    pub response: Option<Value>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub aws_request_id: Option<String>,
    pub attempts: Option<i64>,
    pub duration_ms: Option<i64>,
}

impl NewEvent {
    /// This event as the chain stores it at `seq`, after the event whose hash is `prev_hash`.
    pub fn chained(self, seq: i64, prev_hash: String) -> Event {
        let mut stored = Event {
            seq,
            occurred_at: timestamp::now(),
            actor: self.actor.name,
            actor_role: self.actor.role,
            action: self.action,
            target: self.target,
            phase: self.phase.as_str().to_owned(),
            operation_id: self.operation_id,
            idempotency_token: self.idempotency_token,
            request: self.request.to_string(),
            response: self.response.map(|v| v.to_string()),
            error_code: self.error_code,
            error_message: self.error_message,
            aws_request_id: self.aws_request_id,
            attempts: self.attempts,
            duration_ms: self.duration_ms,
            prev_hash,
            hash: String::new(),
        };
        stored.hash = chain::hash(&stored);
        stored
    }

    /// An event with no AWS call behind it: a sign-in, a user change, a review decision.
    pub fn recorded(actor: Actor, action: AuditAction, target: &str, request: Value) -> Self {
        NewEvent {
            actor,
            action: action.as_str().to_owned(),
            target: target.to_owned(),
            phase: Phase::Recorded,
            operation_id: uuid::Uuid::new_v4().to_string(),
            idempotency_token: None,
            request,
            response: None,
            error_code: None,
            error_message: None,
            aws_request_id: None,
            attempts: None,
            duration_ms: None,
        }
    }
}

/// A stored audit event, column for column: the same row type on both databases.
pub use lensgate_postgres::audit::EventRow as Event;

/// What walking the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Verification {
    Intact {
        events: u64,
    },
    Broken {
        verified: u64,
        seq: i64,
        reason: String,
    },
}

pub struct AuditLog {
    db: Database,
    writer: Mutex<()>,
    /// How far an intact walk of the chain reached.
    walked: Mutex<Walked>,
    /// The newest event committed through this log, for whoever waits on appends.
    head: watch::Sender<i64>,
}

struct Walked {
    reached: Position,
    /// Whether the last walk was intact to the end of the chain.
    to_the_end: bool,
}

/// An operation this server is sending to AWS and recording. On PostgreSQL an advisory lock on
/// one connection holds it, and that connection records its events, so no other replica
/// re-drives it meanwhile; if this server dies, the lock goes with its connection. SQLite has
/// one server, which needs no lock.
pub struct Claim(Option<Held>);

struct Held {
    conn: sqlx::pool::PoolConnection<sqlx::Postgres>,
    operation_id: String,
    released: bool,
}

impl Drop for Held {
    /// A connection still holding an operation never goes back to the pool: closed, it lets
    /// the operation go for recovery.
    fn drop(&mut self) {
        if !self.released {
            self.conn.close_on_drop();
        }
    }
}

/// The verdict on a chain that stopped following at event `seq`.
pub fn broken_at(reached: &Position, seq: i64, reason: String) -> Verification {
    Verification::Broken {
        verified: reached.seq as u64,
        seq,
        reason,
    }
}

/// A change and its audit events in one transaction; see [`AuditLog::begin`].
pub struct Recorded<'a> {
    /// SQLite's appenders take turns here; PostgreSQL's at the chain's advisory lock.
    _writer: Option<tokio::sync::MutexGuard<'a, ()>>,
    tx: Tx<'a>,
    /// Events recorded in the transaction, counted once it commits.
    events: u64,
    /// The newest event recorded in the transaction, announced once it commits.
    last_seq: Option<i64>,
    head: &'a watch::Sender<i64>,
}

impl Recorded<'_> {
    /// The transaction's connection, for the change itself.
    pub fn conn(&mut self) -> Conn<'_> {
        self.tx.conn()
    }

    /// Appends `event` at the end of the chain, inside the transaction.
    pub async fn record(&mut self, event: NewEvent) -> Result<Event, sqlx::Error> {
        let last = match self.tx.conn() {
            Conn::Sqlite(conn) => sqlx::query!(
                r#"SELECT seq AS "seq!: i64", hash FROM audit_events ORDER BY seq DESC LIMIT 1"#
            )
            .fetch_optional(conn)
            .await?
            .map(|row| (row.seq, row.hash)),
            Conn::Postgres(conn) => pg::head_in(conn).await?,
        };
        let (seq, prev_hash) = match last {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, GENESIS.to_owned()),
        };
        let stored = event.chained(seq, prev_hash);
        match self.tx.conn() {
            Conn::Sqlite(conn) => {
                sqlx::query!(
                    "INSERT INTO audit_events (seq, occurred_at, actor, actor_role, action, target, phase, operation_id,
                idempotency_token, request, response, error_code, error_message, aws_request_id, attempts,
                duration_ms, prev_hash, hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    stored.seq,
                    stored.occurred_at,
                    stored.actor,
                    stored.actor_role,
                    stored.action,
                    stored.target,
                    stored.phase,
                    stored.operation_id,
                    stored.idempotency_token,
                    stored.request,
                    stored.response,
                    stored.error_code,
                    stored.error_message,
                    stored.aws_request_id,
                    stored.attempts,
                    stored.duration_ms,
                    stored.prev_hash,
                    stored.hash
                )
                .execute(conn)
                .await?;
            }
            Conn::Postgres(conn) => pg::insert(conn, &stored).await?,
        }
        outbox::record(self.tx.conn(), &stored).await?;
        self.events += 1;
        self.last_seq = Some(stored.seq);
        Ok(stored)
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        metrics::counter!("lensgate_audit_events_total").increment(self.events);
        if let Some(seq) = self.last_seq {
            self.head.send_replace(seq);
        }
        Ok(())
    }
}

impl AuditLog {
    pub fn new(db: impl Into<Database>) -> Self {
        AuditLog {
            db: db.into(),
            writer: Mutex::new(()),
            walked: Mutex::new(Walked {
                reached: Position::genesis(),
                to_the_end: false,
            }),
            head: watch::Sender::new(0),
        }
    }

    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Wakes on every commit that appended events, with the newest event's number.
    pub fn watch_head(&self) -> watch::Receiver<i64> {
        self.head.subscribe()
    }

    /// The chain's newest event: its number and hash.
    pub async fn head(&self) -> Result<Option<(i64, String)>, sqlx::Error> {
        match &self.db {
            Database::Sqlite(pool) => {
                let row = sqlx::query!(
                    r#"SELECT seq AS "seq!: i64", hash FROM audit_events ORDER BY seq DESC LIMIT 1"#
                )
                .fetch_optional(pool)
                .await?;
                Ok(row.map(|r| (r.seq, r.hash)))
            }
            Database::Postgres(pool) => pg::head(pool).await,
        }
    }

    /// The hash stored for event `seq`, if the database holds that event.
    pub async fn event_hash(&self, seq: i64) -> Result<Option<String>, sqlx::Error> {
        match &self.db {
            Database::Sqlite(pool) => {
                sqlx::query_scalar!("SELECT hash FROM audit_events WHERE seq = ?", seq)
                    .fetch_optional(pool)
                    .await
            }
            Database::Postgres(pool) => pg::event_hash(pool, seq).await,
        }
    }

    /// Appends `event` at the end of the chain and commits it before returning.
    pub async fn append(&self, event: NewEvent) -> Result<Event, sqlx::Error> {
        let mut recorded = self.begin().await?;
        let stored = recorded.record(event).await?;
        recorded.commit().await?;
        Ok(stored)
    }

    /// A transaction for a change and the events that describe it: both commit or neither.
    /// It holds the chain's one writer until it ends, so run the change and record its events
    /// without waiting on anything else.
    pub async fn begin(&self) -> Result<Recorded<'_>, sqlx::Error> {
        match &self.db {
            Database::Sqlite(_) => {
                let writer = self.writer.lock().await;
                let tx = self.db.begin().await?;
                Ok(self.recorded(Some(writer), tx))
            }
            Database::Postgres(_) => self.begin_in(self.db.begin().await?).await,
        }
    }

    /// Appends in `tx`, which may already hold rows (a claimed operation).
    async fn begin_in<'a>(&'a self, mut tx: Tx<'a>) -> Result<Recorded<'a>, sqlx::Error> {
        // On PostgreSQL other replicas append too: the chain's advisory lock makes every
        // appending transaction, in any process, take turns. The wait happens in PostgreSQL
        // with the connection in hand, so no appender holds the chain while waiting for the
        // pool.
        if let Conn::Postgres(conn) = tx.conn() {
            pg::lock_chain(conn).await?;
        }
        Ok(self.recorded(None, tx))
    }

    fn recorded<'a>(
        &'a self,
        writer: Option<tokio::sync::MutexGuard<'a, ()>>,
        tx: Tx<'a>,
    ) -> Recorded<'a> {
        Recorded {
            _writer: writer,
            tx,
            events: 0,
            last_seq: None,
            head: &self.head,
        }
    }

    /// Holds operation `operation_id` for this server until its outcome is recorded with
    /// [`AuditLog::append_claimed`]; `None` when another server holds it. Taken before the
    /// operation's request is recorded, so no other server ever sees it open and free.
    pub async fn claim(&self, operation_id: &str) -> Result<Option<Claim>, sqlx::Error> {
        let Database::Postgres(pool) = &self.db else {
            return Ok(Some(Claim(None)));
        };
        let mut conn = pool.acquire().await?;
        if !pg::hold_operation(&mut *conn, operation_id).await? {
            return Ok(None);
        }
        Ok(Some(Claim(Some(Held {
            conn,
            operation_id: operation_id.to_owned(),
            released: false,
        }))))
    }

    /// The oldest unfinished operation no server holds, now held by this one: on PostgreSQL
    /// that is a change whose server stopped before recording its outcome. On SQLite, with one
    /// server, start-up reads [`AuditLog::unfinished`] instead.
    pub async fn claim_unfinished(&self) -> Result<Option<(Event, Claim)>, sqlx::Error> {
        let Database::Postgres(pool) = &self.db else {
            return Ok(None);
        };
        for requested in self.unfinished().await? {
            let operation_id = requested.operation_id.clone();
            let mut conn = pool.acquire().await?;
            if !pg::hold_operation(&mut *conn, &operation_id).await? {
                continue;
            }
            // From here the connection holds the operation: dropped early, it is closed.
            let mut held = Held {
                conn,
                operation_id,
                released: false,
            };
            // Its server may have finished it since the list was read.
            if pg::is_open(&mut *held.conn, &held.operation_id).await? {
                return Ok(Some((requested, Claim(Some(held)))));
            }
            held.released = pg::release_operation(&mut *held.conn, &held.operation_id).await?;
        }
        Ok(None)
    }

    /// Records `event` of a claimed operation and commits it, on the claim's connection.
    pub async fn append_in(
        &self,
        claim: &mut Claim,
        event: NewEvent,
    ) -> Result<Event, sqlx::Error> {
        let mut recorded = match &mut claim.0 {
            Some(held) => {
                let tx = sqlx::Connection::begin(&mut *held.conn).await?;
                self.begin_in(Tx::Postgres(tx)).await?
            }
            None => self.begin().await?,
        };
        let stored = recorded.record(event).await?;
        recorded.commit().await?;
        Ok(stored)
    }

    /// Records the outcome of a claimed operation, then lets the operation go.
    pub async fn append_claimed(
        &self,
        mut claim: Claim,
        event: NewEvent,
    ) -> Result<Event, sqlx::Error> {
        let stored = self.append_in(&mut claim, event).await?;
        if let Some(held) = &mut claim.0 {
            held.released = pg::release_operation(&mut *held.conn, &held.operation_id).await?;
        }
        Ok(stored)
    }

    /// Walks the whole chain in order, in constant memory.
    pub async fn verify(&self) -> Result<Verification, sqlx::Error> {
        Ok(self.walk(Position::genesis()).await?.0)
    }

    /// The chain's state for the audit page: the first call walks the whole chain, later ones
    /// only the events appended since the last intact walk.
    pub async fn chain_status(&self) -> Result<Verification, sqlx::Error> {
        let mut walked = self.walked.lock().await;
        // On SQLite events are appended only through this log: when none was committed since a
        // walk found the chain intact to its end, that verdict stands without a read. Pages ask on every
        // visit, and the read under this lock made them queue behind one another.
        // On PostgreSQL other replicas append too, so the walk looks for their events.
        if walked.to_the_end
            && matches!(self.db, Database::Sqlite(_))
            && walked.reached.seq >= *self.head.borrow()
        {
            return Ok(Verification::Intact {
                events: walked.reached.seq as u64,
            });
        }
        let (verification, reached) = self.walk(walked.reached.clone()).await?;
        *walked = Walked {
            to_the_end: matches!(verification, Verification::Intact { .. }),
            reached,
        };
        let result = match verification {
            Verification::Intact { .. } => "intact",
            Verification::Broken { .. } => "broken",
        };
        metrics::counter!("lensgate_audit_chain_checks_total", "result" => result).increment(1);
        Ok(verification)
    }

    /// Verifies the events after `from`; returns the verdict and the last event verified.
    async fn walk(&self, from: Position) -> Result<(Verification, Position), sqlx::Error> {
        let mut reached = from;
        // Batches rather than one long read: memory stays at one batch and no read transaction
        // holds the WAL open for the whole walk.
        loop {
            let after = reached.seq;
            let mut batch = match &self.db {
                Database::Sqlite(pool) => sqlx::query_as!(Event, r#"SELECT seq AS "seq!: i64", occurred_at, actor, actor_role, action, target, phase, operation_id, idempotency_token, request, response, error_code, error_message, aws_request_id, attempts, duration_ms, prev_hash, hash FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?"#, after, WALK_BATCH)
                    .fetch(pool),
                Database::Postgres(pool) => {
                    pg::events_after(pool, after, WALK_BATCH)
                }
            };
            let mut walked = 0;
            // One event at a time: a whole batch collected first set the server's peak memory.
            while let Some(event) = batch.try_next().await? {
                walked += 1;
                let seq = event.seq;
                if let Err(reason) = reached.follow(event) {
                    return Ok((broken_at(&reached, seq, reason), reached));
                }
            }
            if walked < WALK_BATCH {
                break;
            }
        }
        Ok((
            Verification::Intact {
                events: reached.seq as u64,
            },
            reached,
        ))
    }

    /// The `requested` event of each operation whose outcome was never written, oldest first.
    pub async fn unfinished(&self) -> Result<Vec<Event>, sqlx::Error> {
        match &self.db {
            Database::Sqlite(pool) => {
                sqlx::query_as!(
                    Event,
                    r#"SELECT e.seq AS "seq!: i64", e.occurred_at, e.actor, e.actor_role, e.action, e.target, e.phase, e.operation_id, e.idempotency_token, e.request, e.response, e.error_code, e.error_message, e.aws_request_id, e.attempts, e.duration_ms, e.prev_hash, e.hash
               FROM audit_open_operations AS o JOIN audit_events AS e ON e.seq = o.seq
               ORDER BY e.seq"#
                )
                .fetch_all(pool)
                .await
            }
            Database::Postgres(pool) => pg::unfinished(pool).await,
        }
    }

    /// The newest `limit` changes `actor` made that failed since `since` (RFC 3339). Failed
    /// events are few, so their index is read newest first and filtered by actor, where the
    /// actor's index would walk all of a busy user's history.
    pub async fn failures_of(
        &self,
        actor: &str,
        since: &str,
        limit: i64,
    ) -> Result<Vec<Event>, sqlx::Error> {
        match &self.db {
            Database::Sqlite(pool) => {
                sqlx::query_as!(
                    Event,
                    r#"SELECT seq AS "seq!: i64", occurred_at, actor, actor_role, action, target, phase, operation_id, idempotency_token, request, response, error_code, error_message, aws_request_id, attempts, duration_ms, prev_hash, hash
               FROM audit_events INDEXED BY audit_by_phase
               WHERE phase = 'failed' AND actor = ? AND occurred_at >= ?
               ORDER BY seq DESC LIMIT ?"#,
                    actor,
                    since,
                    limit
                )
                .fetch_all(pool)
                .await
            }
            Database::Postgres(pool) => pg::failures_of(pool, actor, since, limit).await,
        }
    }

    /// The newest `limit` events about one resource (a lens ARN, workload id or grant ARN),
    /// newest first.
    pub async fn for_target(&self, target: &str, limit: i64) -> Result<Vec<Event>, sqlx::Error> {
        match &self.db {
            Database::Sqlite(pool) => {
                sqlx::query_as!(
                    Event,
                    r#"SELECT seq AS "seq!: i64", occurred_at, actor, actor_role, action, target, phase, operation_id, idempotency_token, request, response, error_code, error_message, aws_request_id, attempts, duration_ms, prev_hash, hash
               FROM audit_events WHERE target = ? ORDER BY seq DESC LIMIT ?"#,
                    target,
                    limit
                )
                .fetch_all(pool)
                .await
            }
            Database::Postgres(pool) => pg::for_target(pool, target, limit).await,
        }
    }

    /// The operation that sent `token`, if any.
    pub async fn operation_with_token(&self, token: &str) -> Result<Option<String>, sqlx::Error> {
        match &self.db {
            Database::Sqlite(pool) => {
                sqlx::query_scalar!(
                    r#"SELECT operation_id FROM audit_events
               WHERE idempotency_token = ? AND phase = 'requested' ORDER BY seq LIMIT 1"#,
                    token
                )
                .fetch_optional(pool)
                .await
            }
            Database::Postgres(pool) => pg::operation_with_token(pool, token).await,
        }
    }

    /// A resource's newest changes, one line each, as the Audit page lists them.
    pub async fn timeline(&self, target: &str) -> Result<Vec<AuditRow>, AppError> {
        let filter = query::Filter {
            target: Some(target.to_owned()),
            ..query::Filter::default()
        };
        browser::rows(self, &filter, None, TIMELINE_LENGTH)
            .await
            .map_err(unreadable)
    }

    /// The requests of these operations (their `requested` events), parsed, by operation id.
    pub async fn requests_of(
        &self,
        operation_ids: &[&str],
    ) -> Result<std::collections::HashMap<String, Value>, sqlx::Error> {
        if operation_ids.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        let rows = match &self.db {
            Database::Sqlite(pool) => {
                let ids = serde_json::to_string(operation_ids).unwrap_or_default();
                sqlx::query!(
                    r#"SELECT operation_id, request FROM audit_events
               WHERE phase = 'requested' AND operation_id IN (SELECT value FROM json_each(?))"#,
                    ids
                )
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(|row| (row.operation_id, row.request))
                .collect()
            }
            Database::Postgres(pool) => {
                let ids: Vec<String> = operation_ids.iter().map(|id| (*id).to_owned()).collect();
                pg::requests_of(pool, &ids).await?
            }
        };
        Ok(rows
            .into_iter()
            .filter_map(|(operation_id, request): (String, String)| {
                Some((operation_id, serde_json::from_str(&request).ok()?))
            })
            .collect())
    }

    /// The events of one operation: its request and outcomes.
    pub async fn operation(&self, operation_id: &str) -> Result<Vec<Event>, sqlx::Error> {
        match &self.db {
            Database::Sqlite(pool) => {
                sqlx::query_as!(
                    Event,
                    r#"SELECT seq AS "seq!: i64", occurred_at, actor, actor_role, action, target, phase, operation_id, idempotency_token, request, response, error_code, error_message, aws_request_id, attempts, duration_ms, prev_hash, hash
               FROM audit_events WHERE operation_id = ? ORDER BY seq"#,
                    operation_id
                )
                .fetch_all(pool)
                .await
            }
            Database::Postgres(pool) => pg::operation(pool, operation_id).await,
        }
    }
}
