//! Configuration from flags and `LENSGATE_*` environment variables; flags win.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::db::location::{Location, PostgresUrl};

/// The command line: the server by default, or one of the subcommands.
#[derive(Debug, Parser)]
#[command(
    name = "lensgate",
    version,
    about = "Review, publish and share AWS Well-Architected custom lenses, with an audit history",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the AWS emulator (Well-Architected, License Manager) on its own port, for the AWS CLI,
    /// boto3 or another lensgate.
    Emulator(EmulatorArgs),
    /// Work with the audit history.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Work with custom lens files.
    #[command(subcommand)]
    Lens(LensCommand),
    /// Write a consistent copy of the database, the server running or not, and check the copy's
    /// audit chain; exits 1 when the copy cannot be made or does not verify.
    Backup {
        /// The lensgate database.
        #[arg(long = "db", env = "LENSGATE_DATABASE", default_value = "lensgate.db")]
        database: PathBuf,
        /// The backup file to write; it must not exist.
        #[arg(long)]
        to: PathBuf,
    },
    /// Validate a lens file here, import it into a lensgate as a draft through its API, and
    /// optionally submit it for review; for pipelines. The token comes from LENSGATE_TOKEN.
    /// Exits 0 when done, 1 when the lens has errors, 2 when lensgate refused (token, role,
    /// input, AWS), 3 when lensgate could not be reached.
    Push {
        /// The lens file, JSON or YAML.
        file: PathBuf,
        /// The lensgate to push to, e.g. https://lensgate.example.com.
        #[arg(long, env = "LENSGATE_SERVER")]
        server: String,
        /// Import as the new draft of this lens; a new lens when absent.
        #[arg(long)]
        lens: Option<String>,
        /// Submit the draft for review with this note.
        #[arg(long)]
        submit: Option<String>,
        /// Sent as Idempotency-Key: the same key and file make the import once, e.g. when a
        /// pipeline re-runs a job. A fresh key per run when absent.
        #[arg(long)]
        idempotency_key: Option<String>,
    },
    /// Put a backup in place of the database (stop the server first), checking the audit chain
    /// before and after; refuses a database that holds users or audit events unless --force.
    /// Copy a SQLite installation into an empty PostgreSQL database, every table in one
    /// transaction, the audit chain verified on both sides; exits 1 when anything does not match.
    Migrate {
        /// The lensgate database to copy (stop the server first: changes after the copy began
        /// stay behind).
        #[arg(long, default_value = "lensgate.db")]
        from: PathBuf,
        /// The PostgreSQL database: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE. It is
        /// migrated first and must hold no lensgate data.
        #[arg(long, value_parser = Unechoed::<PostgresUrl>::new())]
        to: PostgresUrl,
    },
    Restore {
        /// The backup file.
        backup: PathBuf,
        /// The lensgate database to replace.
        #[arg(long = "db", env = "LENSGATE_DATABASE", default_value = "lensgate.db")]
        database: PathBuf,
        /// Replace a database that holds users or audit events.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum LensCommand {
    /// Check lens files (JSON, or YAML by extension or content): prints
    /// `file:line:col: error|warning: message` per problem and a summary; exits 1 when any
    /// file has an error (warnings alone exit 0).
    Validate {
        /// The lens files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// `text` for people and editors, `json` for tools.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Validate lens source (JSON or YAML) and write the JSON that importing it sends to AWS;
    /// exits 1 with the problems when it has errors.
    Build {
        /// The lens source file.
        source: PathBuf,
        /// Where to write the JSON; standard output when absent.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write a lens file in another format, member order and unknown members kept.
    Export {
        /// The lens file (JSON or YAML).
        source: PathBuf,
        #[arg(long, value_enum)]
        format: SourceFormat,
        /// Where to write it; standard output when absent.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// What publishing NEW after OLD does to workloads that use the lens: choices whose
    /// selections are cleared, retired and new questions, answers scored differently, and
    /// whether it should be a major version. Exits 0 with the report.
    Diff {
        /// The version workloads use now.
        old: PathBuf,
        /// The version to publish.
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SourceFormat {
    Json,
    Yaml,
}

impl From<SourceFormat> for lensgate_lens::Format {
    fn from(format: SourceFormat) -> Self {
        match format {
            SourceFormat::Json => lensgate_lens::Format::Json,
            SourceFormat::Yaml => lensgate_lens::Format::Yaml,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain and compare it with the signed checkpoints: prints how many events
    /// verify and how many came after the last checkpoint; exits 1 on a break, on events
    /// missing since a checkpoint, or on a checkpoint that was not signed by the audit key.
    Verify {
        /// The lensgate database: a SQLite file or a postgres:// URL.
        #[arg(long = "db", env = "LENSGATE_DATABASE", default_value = "lensgate.db", value_parser = Unechoed::<Location>::new())]
        database: Location,
        #[command(flatten)]
        checkpoints: CheckpointPaths,
        /// Check signatures with this public key (PEM, the `.pub` written beside the key)
        /// instead of the private key file: keep a copy where the database's owner cannot
        /// change it.
        #[arg(long)]
        public_key: Option<PathBuf>,
    },
}

/// Where the audit history's signed checkpoints and their key live.
#[derive(Debug, Clone, Args)]
pub struct CheckpointPaths {
    /// The Ed25519 key (PKCS#8 PEM) that signs audit checkpoints; when missing it is created,
    /// readable by its owner only, with its public half (`.pub`) beside it. Default:
    /// `<database>-audit.key` beside the database. Back it up apart from the database.
    #[arg(long, env = "LENSGATE_AUDIT_KEY")]
    pub audit_key: Option<PathBuf>,

    /// The folder of the append-only checkpoint file `<database>-checkpoints.jsonl`; it must
    /// exist. Default: the database's folder. Another disk keeps the evidence apart.
    #[arg(long, env = "LENSGATE_CHECKPOINT_DIR")]
    pub checkpoint_dir: Option<PathBuf>,
}

impl CheckpointPaths {
    pub fn key(&self, database: &Location) -> PathBuf {
        self.audit_key
            .clone()
            .unwrap_or_else(|| database.beside("audit.key"))
    }

    /// `<folder>/<database>-checkpoints.jsonl`.
    pub fn file(&self, database: &Location) -> PathBuf {
        let beside_database = database.beside("checkpoints.jsonl");
        match &self.checkpoint_dir {
            Some(folder) => match beside_database.file_name() {
                Some(name) => folder.join(name),
                None => folder.join("lensgate-checkpoints.jsonl"),
            },
            None => beside_database,
        }
    }
}

/// A value that may hold a password (a database URL), parsed without echoing it: clap's own
/// error prints the raw value, and with it the password, to the terminal and the logs.
#[derive(Clone)]
struct Unechoed<T>(std::marker::PhantomData<T>);

impl<T> Unechoed<T> {
    fn new() -> Self {
        Unechoed(std::marker::PhantomData)
    }
}

impl<T> clap::builder::TypedValueParser for Unechoed<T>
where
    T: std::str::FromStr<Err = String> + Clone + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        _: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let mut name = arg
            .and_then(clap::Arg::get_long)
            .map_or_else(|| "the value".to_owned(), |long| format!("--{long}"));
        if let Some(env) = arg.and_then(clap::Arg::get_env) {
            name = format!("{name} / {}", env.to_string_lossy());
        }
        let refuse = |message: String| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("{name}: {message}\n"),
            )
        };
        value
            .to_str()
            .ok_or_else(|| refuse("is not valid UTF-8".to_owned()))?
            .parse()
            .map_err(refuse)
    }
}

#[derive(Debug, Clone, Args)]
pub struct EmulatorArgs {
    /// Address to listen on; keep it on loopback unless other machines must reach it.
    #[arg(long, default_value = "127.0.0.1:4010")]
    pub listen: SocketAddr,

    /// SQLite file holding the emulated resources; created if missing.
    #[arg(long = "db", default_value = "lensgate-emulator.db")]
    pub database: PathBuf,

    /// An access key the emulator accepts; repeat with --secret-key and --account-id for more accounts.
    #[arg(long = "access-key")]
    pub access_keys: Vec<String>,

    #[arg(long = "secret-key")]
    pub secret_keys: Vec<String>,

    /// The 12-digit account the matching access key signs as.
    #[arg(long = "account-id")]
    pub account_ids: Vec<String>,

    #[arg(long, default_value = "us-east-1")]
    pub region: String,

    /// Fault injection rules as JSON, e.g. '{"*": {"throttle_rate": 0.3}}'; also settable at run
    /// time with PUT /__lensgate/faults.
    #[arg(long)]
    pub faults: Option<String>,
}

/// The server's settings; also parsed on their own by tests.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "lensgate",
    version,
    about = "Review, publish and share AWS Well-Architected custom lenses, with an audit history"
)]
pub struct Config {
    /// Address to listen on. Port 0 picks a free port (the chosen address is logged).
    #[arg(long, env = "LENSGATE_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Where lensgate keeps its state: a SQLite file, created with its directory if missing, or
    /// postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE for replicas sharing one PostgreSQL.
    #[arg(long, env = "LENSGATE_DATABASE", default_value = "lensgate.db", value_parser = Unechoed::<Location>::new())]
    pub database: Location,

    /// Serve `/metrics` (Prometheus text format) on this address, apart from the pages and
    /// without a session; off when unset. Keep it where only the scraper reaches it.
    #[arg(long, env = "LENSGATE_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Which AWS the server talks to: its embedded emulator, or AWS through the default credential chain.
    /// How many reviewers (other than the author) must approve a draft before it can be published.
    #[arg(long, env = "LENSGATE_APPROVALS_REQUIRED", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=5))]
    pub approvals_required: u8,

    #[arg(long, env = "LENSGATE_BACKEND", value_enum, default_value_t = BackendKind::Emulator)]
    pub backend: BackendKind,

    /// Folder holding the browser bundle (`pkg/`) built by `cargo xtask site`.
    #[arg(long, env = "LENSGATE_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// The address people use to reach lensgate, e.g. https://lensgate.example.com; with https,
    /// session cookies are marked Secure.
    #[arg(long, env = "LENSGATE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Password of the first administrator, created on an empty database; when unset, one is
    /// generated and logged once.
    #[arg(long, env = "LENSGATE_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Trust this header (set by an authenticating proxy) as the signed-in username; needs
    /// --trusted-proxy too.
    #[arg(long, env = "LENSGATE_AUTH_HEADER")]
    pub auth_header: Option<String>,

    /// The proxy's addresses, as CIDR ranges separated by commas; only requests from these carry a
    /// trusted --auth-header.
    #[arg(long, env = "LENSGATE_TRUSTED_PROXY")]
    pub trusted_proxy: Option<String>,

    /// The role of a user the proxy names who has no account here.
    #[arg(long, env = "LENSGATE_PROXY_DEFAULT_ROLE", default_value = "viewer", value_parser = parse_role)]
    pub proxy_default_role: lensgate_app::auth::Role,

    #[command(flatten)]
    pub checkpoints: CheckpointPaths,

    /// Sign an audit checkpoint after this many new events.
    #[arg(long, env = "LENSGATE_CHECKPOINT_EVENTS", default_value_t = 1_000, value_parser = clap::value_parser!(i64).range(1..))]
    pub checkpoint_events: i64,

    /// Sign an audit checkpoint this many minutes after the last one, when events came since.
    /// One is also signed at every clean shutdown.
    #[arg(long, env = "LENSGATE_CHECKPOINT_MINUTES", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=1440))]
    pub checkpoint_minutes: u64,

    /// On PostgreSQL, how often each replica looks for changes another replica left unfinished
    /// (it stopped between sending a change to AWS and recording the outcome) and finishes them.
    #[arg(long, env = "LENSGATE_RECOVERY_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub recovery_seconds: u64,

    /// The wait before a failed webhook delivery is sent again; it doubles with each attempt
    /// (at most an hour) until the delivery succeeds or a day has passed.
    #[arg(long, env = "LENSGATE_WEBHOOK_RETRY_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub webhook_retry_seconds: u64,

    #[command(flatten)]
    pub aws: AwsSettings,

    /// Log filter, in `tracing` syntax: `info`, `debug`, `lensgate=debug,tower_http=info`, ...
    #[arg(long = "log", env = "LENSGATE_LOG", default_value = "info")]
    pub log_filter: String,

    /// Log line format: human-readable text or one JSON object per line.
    #[arg(long, env = "LENSGATE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendKind {
    Emulator,
    Aws,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Emulator => "emulator",
            BackendKind::Aws => "aws",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// How the AWS clients connect, retry and time out.
#[derive(Debug, Clone, Args)]
pub struct AwsSettings {
    /// AWS region; with `--backend aws` the usual settings (AWS_REGION, the profile) apply when absent.
    #[arg(long, env = "LENSGATE_AWS_REGION")]
    pub region: Option<String>,

    /// Named profile from the AWS config files, with `--backend aws`.
    #[arg(long, env = "LENSGATE_AWS_PROFILE")]
    pub profile: Option<String>,

    /// Another endpoint for both services with `--backend aws`, such as a standalone
    /// `lensgate emulator`; credentials still come from the default chain.
    #[arg(long, env = "LENSGATE_AWS_ENDPOINT_URL")]
    pub endpoint_url: Option<String>,

    /// Attempts per AWS call, retries included (standard retry mode).
    #[arg(
        long = "aws-max-attempts",
        env = "LENSGATE_AWS_MAX_ATTEMPTS",
        default_value_t = 3
    )]
    pub max_attempts: u32,

    #[arg(
        long = "aws-connect-timeout-ms",
        env = "LENSGATE_AWS_CONNECT_TIMEOUT_MS",
        default_value_t = 3_000
    )]
    pub connect_timeout_ms: u64,

    /// The whole of one AWS call, retries included.
    #[arg(
        long = "aws-operation-timeout-ms",
        env = "LENSGATE_AWS_OPERATION_TIMEOUT_MS",
        default_value_t = 30_000
    )]
    pub operation_timeout_ms: u64,

    /// How long one answer of ListLenses serves every user's lens list. A change lensgate makes
    /// in AWS ends it at once; what others change in AWS shows after at most this long. 0 asks
    /// AWS on every visit.
    #[arg(
        long = "aws-list-seconds",
        env = "LENSGATE_AWS_LIST_SECONDS",
        default_value_t = 5,
        value_parser = clap::value_parser!(u64).range(0..=300)
    )]
    pub list_seconds: u64,

    /// The embedded emulator's SQLite file; by default `<database>-emulator.db` beside the database.
    #[arg(long, env = "LENSGATE_EMULATOR_DATABASE")]
    pub emulator_database: Option<PathBuf>,

    /// Fault injection rules for the embedded emulator, as JSON (see the README).
    #[arg(long, env = "LENSGATE_EMULATOR_FAULTS")]
    pub emulator_faults: Option<String>,
}

fn parse_role(text: &str) -> Result<lensgate_app::auth::Role, String> {
    lensgate_app::auth::Role::parse(text)
        .ok_or_else(|| format!("{text:?} is not one of viewer, author, reviewer, admin"))
}
