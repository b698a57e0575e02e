//! Building and running the application: database, listener, router. Tests start the very same
//! application on port 0 with a database of their own.

use std::{future::Future, net::SocketAddr, sync::Arc};

use axum::{Router, serve::ListenerExt as _};
use lensgate_app::services::Services;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use tower_sessions::{
    Expiry, SessionManagerLayer, cookie::SameSite, session_store::ExpiredDeletion,
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::accounts::session_store::SessionStore;

use crate::{
    accounts::Accounts,
    audit::{
        AuditLog,
        browser::LiveAudit,
        checkpoint::{self, Checkpointer},
    },
    aws,
    config::Config,
    db::{self, location::Location},
    error::StartupError,
    gateway::Gateway,
    grants::LiveGrants,
    http::{self, AppState, SiteAssets},
    invitations::LiveInvitations,
    lenses::LiveLenses,
    reviews::LiveReviews,
    status::LiveStatus,
    workloads::LiveWorkloads,
};

const OUTPUT_NAME: &str = "lensgate";

pub struct Application {
    listener: TcpListener,
    router: Router,
    gateway: Gateway,
    accounts: Arc<Accounts>,
    checkpointer: Checkpointer,
    webhooks: crate::webhooks::delivery::Worker,
    /// How often replicas on PostgreSQL look for changes a stopped replica left unfinished.
    recovery: std::time::Duration,
    /// `--metrics-listen`: its listener and what it serves.
    metrics: Option<(TcpListener, Router)>,
}

impl Application {
    /// Opens the database and binds the listener; failures come back as a [`StartupError`]
    /// that names what to change.
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        let database = db::Database::open(&config.database).await?;
        let audit = Arc::new(AuditLog::new(database.clone()));
        let checkpointer = checkpointer(config, audit.clone()).await?;
        let emulator_database = config
            .aws
            .emulator_database
            .clone()
            .unwrap_or_else(|| config.database.beside("emulator.db"));
        let clients = aws::connect(config.backend, &config.aws, emulator_database).await?;
        if let Some(problem) = crate::gateway::check(&clients).await {
            tracing::warn!(%problem, backend = config.backend.as_str(), "AWS does not answer yet; /readyz reports it");
        }
        let gateway = Gateway::new(clients, audit.clone());
        let recovery = std::time::Duration::from_secs(config.recovery_seconds);
        let recovered = gateway
            .recover()
            .await
            .map_err(|e| StartupError::Recovery(e.to_string()))?;
        if recovered > 0 {
            tracing::info!(
                recovered,
                "finished AWS changes left unrecorded by the last run"
            );
        }
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartupError::Listen {
                    address: config.listen,
                    source,
                })?;

        let address = listener
            .local_addr()
            .map_err(|source| StartupError::Listen {
                address: config.listen,
                source,
            })?;
        let base_url = config.public_url.as_deref().map_or_else(
            || format!("http://{address}"),
            |u| u.trim_end_matches('/').to_owned(),
        );
        let login_url = format!("{base_url}/login");
        let webhooks = crate::webhooks::delivery::Worker::new(
            audit.clone(),
            base_url,
            crate::webhooks::delivery::Retry {
                first: std::time::Duration::from_secs(config.webhook_retry_seconds),
                ..Default::default()
            },
        )
        .map_err(|e| StartupError::Settings(format!("cannot prepare the webhook client: {e}")))?;
        let proxy = crate::accounts::proxy::ProxyAuth::from_settings(
            config.auth_header.as_deref(),
            config.trusted_proxy.as_deref(),
            config.proxy_default_role,
        )
        .map_err(StartupError::Settings)?;
        let accounts = Arc::new(Accounts::new(audit.clone()).with_proxy(proxy));
        accounts
            .bootstrap(config.admin_password.clone(), &login_url)
            .await?;
        let sessions = session_layer(&database, config.public_url.as_deref()).await?;

        let assets = SiteAssets::discover(&config.site_root, OUTPUT_NAME);
        let leptos_options = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(config.site_root.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(config.listen)
            .hash_files(assets.hash_file.is_some())
            .hash_file(
                assets
                    .hash_file
                    .as_ref()
                    .map_or_else(|| "hash.txt".to_owned(), |p| p.display().to_string())
                    .into(),
            )
            .build();
        let reviews = Arc::new(LiveReviews {
            db: database.clone(),
            gateway: gateway.clone(),
            audit: audit.clone(),
            approvals_required: usize::from(config.approvals_required),
        });
        let lenses: Arc<dyn lensgate_app::services::LensCatalog> = Arc::new(LiveLenses {
            gateway: gateway.clone(),
            audit: audit.clone(),
            reviews: reviews.clone(),
            listing: crate::lenses::Listing::new(std::time::Duration::from_secs(
                config.aws.list_seconds,
            )),
        });
        let invitations: Arc<dyn lensgate_app::services::Invitations> = Arc::new(LiveInvitations {
            gateway: gateway.clone(),
        });
        let audit_browser: Arc<dyn lensgate_app::services::AuditBrowser> = Arc::new(LiveAudit {
            audit: audit.clone(),
        });
        let services = Services {
            sign_in: accounts.clone(),
            users: accounts.clone(),
            tokens: accounts.clone(),
            webhooks: Arc::new(crate::webhooks::LiveWebhooks {
                audit: audit.clone(),
            }),
            activity: Arc::new(crate::activity::LiveActivity::new(
                database.clone(),
                reviews.clone(),
                lenses.clone(),
                invitations.clone(),
                audit_browser.clone(),
            )),
            lenses,
            reviews,
            workloads: Arc::new(LiveWorkloads {
                gateway: gateway.clone(),
                audit: audit.clone(),
            }),
            invitations,
            grants: Arc::new(LiveGrants {
                db: database.clone(),
                gateway: gateway.clone(),
                audit: audit.clone(),
            }),
            audit: audit_browser,
            status: Arc::new(LiveStatus {
                db: database,
                gateway: gateway.clone(),
                audit,
                database: match &config.database {
                    Location::File(path) => std::path::absolute(path)
                        .unwrap_or_else(|_| path.clone())
                        .display()
                        .to_string(),
                    Location::Postgres(url) => url.redacted(),
                },
                backend: config.backend,
            }),
        };
        let metrics = match config.metrics_listen {
            Some(address) => {
                let handle = crate::prometheus::recorder().map_err(StartupError::Settings)?;
                let listener = TcpListener::bind(address)
                    .await
                    .map_err(|source| StartupError::Listen { address, source })?;
                Some((listener, crate::prometheus::router(handle)))
            }
            None => None,
        };
        let router = http::router(
            AppState {
                leptos_options,
                services,
                assets: Arc::new(assets),
                public_url: config.public_url.as_deref().map(Arc::from),
            },
            accounts.clone(),
            sessions,
            metrics.is_some(),
        );
        Ok(Application {
            listener,
            router,
            gateway,
            accounts,
            checkpointer,
            webhooks,
            recovery,
            metrics,
        })
    }

    /// The gateway the application uses, for tests and benchmarks that drive changes directly.
    pub fn gateway(&self) -> &Gateway {
        &self.gateway
    }

    /// The accounts service, for tests that set up users.
    pub fn accounts(&self) -> &Arc<Accounts> {
        &self.accounts
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound TCP listener has a local address")
    }

    /// Where `/metrics` is served, when `--metrics-listen` asked for it.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics
            .as_ref()
            .and_then(|(listener, _)| listener.local_addr().ok())
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        tracing::info!("lensgate listening on http://{}", self.local_addr());
        // The metrics listener lives as long as the server; it has nothing to finish.
        let metrics = self.metrics.map(|(listener, router)| {
            if let Ok(address) = listener.local_addr() {
                tracing::info!("metrics on http://{address}/metrics");
            }
            tokio::spawn(async move {
                if let Err(error) = axum::serve(listener, router).await {
                    tracing::error!(%error, "the metrics listener stopped");
                }
            })
        });
        // Without TCP_NODELAY a streamed page's small last chunk waits for the client's delayed
        // acknowledgement: every page took 40 ms more in the audit benchmark.
        let listener = self.listener.tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "TCP_NODELAY could not be set");
            }
        });
        let (stop_checkpoints, checkpoints_stopped) = tokio::sync::oneshot::channel::<()>();
        let checkpoints = tokio::spawn(self.checkpointer.run(async {
            let _ = checkpoints_stopped.await;
        }));
        let shared = matches!(self.gateway.database(), db::Database::Postgres(_));
        let recovery = shared.then(|| {
            let (gateway, every) = (self.gateway.clone(), self.recovery);
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    match gateway.recover().await {
                        Ok(0) => {}
                        Ok(recovered) => tracing::info!(
                            recovered,
                            "finished AWS changes a stopped replica left unrecorded"
                        ),
                        Err(error) => {
                            tracing::warn!(%error, "could not look for unfinished AWS changes");
                        }
                    }
                }
            })
        });
        let (stop_webhooks, webhooks_stopped) = tokio::sync::oneshot::channel::<()>();
        let webhooks = tokio::spawn(self.webhooks.run(async {
            let _ = webhooks_stopped.await;
        }));
        let served = axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(StartupError::Serve);
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        // A change being re-driven is left open, for this replica's next start or another's.
        if let Some(recovery) = recovery {
            recovery.abort();
        }
        // A delivery in flight finishes first; the rest wait in the database for the next start.
        let _ = stop_webhooks.send(());
        if let Err(error) = webhooks.await {
            tracing::error!(%error, "the webhook worker stopped unexpectedly");
        }
        // After the last request: the checkpoint at shutdown names the last event.
        let _ = stop_checkpoints.send(());
        if let Err(error) = checkpoints.await {
            tracing::error!(%error, "the audit checkpoints stopped unexpectedly");
        }
        served
    }
}

/// Loads (or creates) the checkpoint key, checks that the checkpoint file can be written, and
/// says at start-up when the database no longer holds what an earlier checkpoint signed.
async fn checkpointer(config: &Config, audit: Arc<AuditLog>) -> Result<Checkpointer, StartupError> {
    let key_path = config.checkpoints.key(&config.database);
    let (key, created) = checkpoint::key::load_or_create(&key_path)?;
    let public_key = checkpoint::key::key_id(&key.verifying_key());
    if created {
        tracing::info!(
            key = %key_path.display(),
            public_key_file = %checkpoint::key::public_key_path(&key_path).display(),
            %public_key,
            "created the audit signing key: back it up apart from the database, and keep a copy of the public key where `lensgate audit verify --public-key` can read it"
        );
    }
    let policy = checkpoint::Policy {
        every_events: config.checkpoint_events,
        every: std::time::Duration::from_secs(config.checkpoint_minutes * 60),
    };
    let file = checkpoint::CheckpointFile::new(config.checkpoints.file(&config.database));
    let checkpointer = Checkpointer::new(audit.clone(), key.clone(), file, policy).await?;
    tracing::info!(file = %checkpointer.file().path().display(), %public_key, "audit checkpoints signed");
    let lines = checkpointer
        .file()
        .read()
        .map_err(checkpoint::CheckpointError::from)?;
    let written = lines
        .unwrap_or_default()
        .into_iter()
        .map(|line| {
            (
                checkpoint::report::Place::Line(line.number),
                line.checkpoint,
            )
        })
        .collect();
    let finding = checkpoint::report::compare(
        audit.as_ref(),
        &key.verifying_key(),
        checkpointer.instance_id(),
        written,
    )
    .await
    .map_err(checkpoint::CheckpointError::from)?;
    if !finding.is_sound() {
        tracing::error!(%finding, "the audit history does not match its signed checkpoints; run `lensgate audit verify`");
    }
    Ok(checkpointer)
}

/// Sessions in the database beside everything else, so every replica knows every session:
/// HttpOnly, SameSite=Lax, Secure behind https, ending after 8 idle hours (and 24 hours after
/// sign-in, see `accounts::session`).
async fn session_layer(
    database: &db::Database,
    public_url: Option<&str>,
) -> Result<SessionManagerLayer<SessionStore>, StartupError> {
    let table_error = |e: &String| StartupError::Sessions(sqlx::Error::Protocol(e.clone()));
    let store = match database {
        db::Database::Sqlite(pool) => {
            let store = SqliteStore::new(pool.clone())
                .with_table_name("sessions")
                .map_err(|e| table_error(&e))?;
            store.migrate().await.map_err(StartupError::Sessions)?;
            SessionStore::Sqlite(store)
        }
        db::Database::Postgres(pool) => {
            // The schema the URL's search_path names, rather than the store's own: one database
            // may hold several installations, each in its schema.
            let schema = lensgate_postgres::current_schema(pool)
                .await
                .map_err(StartupError::Sessions)?;
            let store = PostgresStore::new(pool.clone())
                .with_schema_name(&schema)
                .and_then(|store| store.with_table_name("sessions"))
                .map_err(|e| table_error(&e))?;
            store.migrate().await.map_err(StartupError::Sessions)?;
            SessionStore::Postgres(store)
        }
    };
    tokio::spawn(
        store
            .clone()
            .continuously_delete_expired(tokio::time::Duration::from_secs(15 * 60)),
    );
    let secure = public_url.is_some_and(|u| u.starts_with("https://"));
    Ok(SessionManagerLayer::new(store)
        .with_name("lensgate_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(8))))
}

/// A future that completes on Ctrl-C (SIGINT) or SIGTERM. The handlers are installed here, before
/// the server announces its address, so a signal sent right after start-up is never missed.
#[cfg(unix)]
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    })
}

#[cfg(not(unix))]
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = ()> + Send + 'static> {
    Ok(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::info!("shutting down: finishing requests in flight");
        }
    })
}
