//! An emulator of AWS Well-Architected (restJson1) and AWS License Manager (awsJson1_1) that the
//! official SDKs and the AWS CLI reach over HTTP.
//!
//! The vendored service models drive everything generic: routing, where each input member
//! travels, input validation and error serialisation ([`protocol`], [`model`]). Requests are
//! SigV4-verified ([`sigv4`]) and mapped to an account by access key. Handlers in
//! [`wellarchitected`] and [`licensemanager`] receive validated input and implement only the
//! services' rules; state lives in SQLite ([`store`]).

pub mod accounts;
mod admin;
mod context;
pub mod error;
pub mod faults;
mod handler;
mod journal;
mod licensemanager;
pub mod model;
mod pagination;
pub mod protocol;
mod seed;
pub mod sigv4;
mod store;
mod wellarchitected;

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use axum::{
    Router,
    body::{Body, to_bytes},
    extract::State,
    http::Request,
    response::Response,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tokio::{net::TcpListener, task::JoinHandle};

pub use accounts::Account;
pub use context::Ctx;
pub use faults::{FaultRule, FaultRules};
pub use store::StoreError;

use crate::{
    error::ServiceError,
    faults::Faults,
    journal::{Entry, Journal},
    protocol::{Protocol, RawRequest, Service},
    store::Store,
};

const WELLARCHITECTED_MODEL: &str =
    include_str!("../models/wellarchitected-2020-03-31-service-2.json");
const LICENSE_MANAGER_MODEL: &str =
    include_str!("../models/license-manager-2018-08-01-service-2.json");
/// Room for a 500,000-character lens in JSON, where one character can take up to 6 bytes.
const BODY_LIMIT: usize = 4 * 1024 * 1024;
/// How long a client token is remembered.
const IDEMPOTENCY_WINDOW_SECONDS: i64 = 8 * 60 * 60;

#[derive(Debug, Clone)]
pub struct Config {
    pub accounts: Vec<Account>,
    pub region: String,
    pub database: PathBuf,
    pub faults: FaultRules,
    /// Checks every output against the model and turns a mismatch into an internal error.
    pub check_outputs: bool,
    /// Whether a new database starts with example workloads, a license and a grant.
    pub seed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the emulator configuration is invalid: {0}")]
    Config(String),
}

pub struct Emulator {
    wellarchitected: Service,
    license_manager: Service,
    accounts: Vec<Account>,
    region: String,
    store: Store,
    faults: Faults,
    journal: Journal,
    check_outputs: bool,
}

impl Emulator {
    pub async fn open(config: Config) -> Result<Arc<Self>, EmulatorError> {
        if config.accounts.is_empty() {
            return Err(EmulatorError::Config(
                "at least one account is needed".to_owned(),
            ));
        }
        let wellarchitected =
            Service::load(WELLARCHITECTED_MODEL).map_err(EmulatorError::Config)?;
        let license_manager =
            Service::load(LICENSE_MANAGER_MODEL).map_err(EmulatorError::Config)?;
        let store = Store::open(&config.database).await?;
        let faults = Faults::new(config.faults).map_err(EmulatorError::Config)?;
        if config.seed {
            seed::seed(&store, &config.accounts, &config.region)
                .await
                .map_err(|e| EmulatorError::Config(format!("cannot seed the database: {e:?}")))?;
        }
        Ok(Arc::new(Emulator {
            wellarchitected,
            license_manager,
            accounts: config.accounts,
            region: config.region,
            store,
            faults,
            journal: Journal::default(),
            check_outputs: config.check_outputs,
        }))
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    pub fn router(self: &Arc<Self>) -> Router {
        admin::router().fallback(handle).with_state(self.clone())
    }

    /// Serves on `listener` until the task is aborted.
    pub fn spawn(
        self: &Arc<Self>,
        listener: TcpListener,
    ) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
        let address = listener.local_addr()?;
        let router = self.router();
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "the emulator stopped");
            }
        });
        Ok((address, task))
    }

    async fn serve(
        &self,
        service: &Service,
        request: &RawRequest<'_>,
        entry: &mut Entry,
    ) -> Result<Value, ServiceError> {
        let now = OffsetDateTime::now_utc();
        let signed = sigv4::SignedRequest {
            method: request.method,
            uri: request.uri,
            headers: request.headers,
            body: request.body,
        };
        let account = sigv4::verify(
            &signed,
            &service.signing_name,
            &self.region,
            &self.accounts,
            now,
        )?;
        entry.account = account.account_id.clone();
        let call = service.resolve(request)?;
        entry.operation = call.operation.clone();
        let token_member = self.token_member(service, &call.operation);
        entry.client_token = token_member
            .and_then(|m| call.input.get(m))
            .and_then(Value::as_str)
            .map(str::to_owned);
        self.faults.apply(&call.operation).await?;

        let ctx = Ctx {
            account: &account.account_id,
            region: &self.region,
            now,
            page_key: self.store.page_key(),
        };
        let output = if service.mutates(&call.operation) {
            self.write(service, &ctx, &call.operation, call.input, token_member)
                .await?
        } else {
            let mut conn = self.store.pool().acquire().await.map_err(store::internal)?;
            self.dispatch(service, &ctx, &call.operation, &mut conn, call.input)
                .await?
        };
        if self.check_outputs {
            let problems = service.check_output(&call.operation, &output);
            if !problems.is_empty() {
                return Err(ServiceError::new(
                    "InternalServerException",
                    format!(
                        "The emulator produced an output the model does not allow: {}",
                        problems.join("; ")
                    ),
                ));
            }
        }
        Ok(output)
    }

    fn token_member<'s>(&self, service: &'s Service, operation: &str) -> Option<&'s str> {
        let op = service.model.operations.get(operation)?;
        service.model.idempotency_member(op)
    }

    /// One serialised transaction: replay a remembered response, or run the handler and
    /// remember its response, all or nothing.
    async fn write(
        &self,
        service: &Service,
        ctx: &Ctx<'_>,
        operation: &str,
        input: Value,
        token_member: Option<&str>,
    ) -> Result<Value, ServiceError> {
        let mut write = self.store.write().await?;
        let token = token_member
            .and_then(|m| input.get(m))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let fingerprint = token.as_ref().map(|_| fingerprint(&input, token_member));
        let now = ctx.now.unix_timestamp();
        if let (Some(token), Some(fingerprint)) = (&token, &fingerprint) {
            let earlier = store::remembered(
                &mut write.tx,
                ctx.account,
                operation,
                token,
                now - IDEMPOTENCY_WINDOW_SECONDS,
            )
            .await?;
            if let Some(earlier) = earlier {
                if &earlier.fingerprint != fingerprint {
                    return Err(service.idempotency_mismatch(operation));
                }
                return serde_json::from_str(&earlier.response).map_err(store::internal);
            }
        }
        let output = self
            .dispatch(service, ctx, operation, &mut write.tx, input)
            .await?;
        if let (Some(token), Some(fingerprint)) = (&token, &fingerprint) {
            store::remember(
                &mut write.tx,
                ctx.account,
                operation,
                token,
                fingerprint,
                &output.to_string(),
                now,
            )
            .await?;
        }
        write.commit().await?;
        Ok(output)
    }

    async fn dispatch(
        &self,
        service: &Service,
        ctx: &Ctx<'_>,
        operation: &str,
        conn: &mut sqlx::SqliteConnection,
        input: Value,
    ) -> Result<Value, ServiceError> {
        match service.protocol {
            Protocol::RestJson => wellarchitected::dispatch(operation, ctx, conn, input).await,
            Protocol::AwsJson => licensemanager::dispatch(operation, ctx, conn, input).await,
        }
    }
}

/// The request's parameters without its token: a retry with the same token must match it.
fn fingerprint(input: &Value, token_member: Option<&str>) -> String {
    let mut stripped = input.clone();
    if let (Some(map), Some(member)) = (stripped.as_object_mut(), token_member) {
        map.remove(member);
    }
    hex::encode(Sha256::digest(stripped.to_string().as_bytes()))
}

async fn handle(State(emulator): State<Arc<Emulator>>, request: Request<Body>) -> Response {
    let (parts, body) = request.into_parts();
    let service = if parts.headers.contains_key("x-amz-target") {
        &emulator.license_manager
    } else {
        &emulator.wellarchitected
    };
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let mut entry = Entry {
        operation: String::new(),
        account: String::new(),
        client_token: None,
        attempt: header("amz-sdk-request"),
        invocation_id: header("amz-sdk-invocation-id"),
        status: 200,
        error: None,
    };
    let response = match to_bytes(body, BODY_LIMIT).await {
        Err(_) => service.respond_error(&ServiceError::validation(format!(
            "The request body is larger than {BODY_LIMIT} bytes."
        ))),
        Ok(bytes) => {
            let request = RawRequest {
                method: &parts.method,
                uri: &parts.uri,
                headers: &parts.headers,
                body: &bytes,
            };
            match emulator.serve(service, &request, &mut entry).await {
                Ok(output) => service.respond(&entry.operation, output),
                Err(error) => {
                    entry.error = Some(service.error_code(&error.code).to_owned());
                    service.respond_error(&error)
                }
            }
        }
    };
    entry.status = response.status().as_u16();
    tracing::debug!(operation = %entry.operation, status = entry.status, "emulator request");
    emulator.journal.record(entry);
    response
}
