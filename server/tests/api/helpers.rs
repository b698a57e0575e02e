use std::{
    ffi::OsString,
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    str::FromStr,
    sync::{Arc, mpsc},
    time::Duration,
};

use clap::Parser;
use lensgate::{
    accounts::Accounts,
    audit::AuditLog,
    config::Config,
    db::{Database, location::Location},
    gateway::Gateway,
    startup::Application,
};
use sqlx::{Connection, PgConnection, postgres::PgConnectOptions};
use tempfile::TempDir;
use tokio::{sync::oneshot, task::JoinHandle};

/// A `lensgate` process started by a test, killed when dropped.
pub struct Process {
    child: Child,
    /// Where it listens, as it announced.
    pub url: String,
}

impl Process {
    /// Starts `command` (the binary with its arguments) and waits, at most a minute, for the
    /// address it announces on standard error.
    pub fn start(mut command: Command) -> Process {
        let mut child = command
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = child.stderr.take().expect("stderr");
        let (found, address) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("listening on http://") {
                    let _ = found.send(line[at + "listening on ".len()..].trim().to_owned());
                }
            }
        });
        let mut process = Process {
            child,
            url: String::new(),
        };
        process.url = address
            .recv_timeout(Duration::from_secs(60))
            .expect("the server announced its address");
        process
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Which database the suite's apps keep their state in: SQLite files, or PostgreSQL when
/// `LENSGATE_TEST_DATABASE=postgres` (each app in a schema of its own, see [`Schema`]).
pub fn on_postgres() -> bool {
    std::env::var("LENSGATE_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// A schema of its own for one test, dropped by [`Schema::remove`], on the PostgreSQL server
/// `LENSGATE_TEST_POSTGRES` names (default: the machine's, postgres://postgres@127.0.0.1:5432/test).
pub struct Schema {
    pub name: String,
    server: String,
}

impl Schema {
    pub async fn new() -> Self {
        let server = std::env::var("LENSGATE_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let name = format!("lensgate_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&server).await.unwrap_or_else(|e| {
            panic!("the tests need PostgreSQL at {server} (set LENSGATE_TEST_POSTGRES): {e}")
        });
        sqlx::query(&format!("CREATE SCHEMA {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        Schema { name, server }
    }

    /// The URL lensgate is given: the test's database with this schema first on the path.
    pub fn url(&self) -> String {
        format!("{}?options=-c%20search_path%3D{}", self.server, self.name)
    }

    pub async fn connect(&self) -> PgConnection {
        PgConnection::connect_with(&PgConnectOptions::from_str(&self.url()).unwrap())
            .await
            .unwrap()
    }

    pub async fn remove(&self) {
        let mut admin = PgConnection::connect(&self.server).await.unwrap();
        sqlx::query(&format!("DROP SCHEMA {} CASCADE", self.name))
            .execute(&mut admin)
            .await
            .unwrap();
    }
}

/// A running lensgate with its own database, site folder and embedded emulator, stopped when
/// dropped.
pub struct TestApp {
    pub url: String,
    /// Where `/metrics` is served, when the app was started with `--metrics-listen`.
    pub metrics_url: Option<String>,
    /// The SQLite file, when the app keeps its state in one (see [`TestApp::start_on_sqlite`]).
    pub database: PathBuf,
    /// The database the app was started with: that file, or the PostgreSQL schema's URL.
    pub location: Location,
    schema: Option<Arc<Schema>>,
    pub client: reqwest::Client,
    pub gateway: Gateway,
    pub accounts: std::sync::Arc<Accounts>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    dir: Option<TempDir>,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts after `prepare` has had a chance to fill the site folder.
    pub async fn start_with(prepare: impl FnOnce(&Path)) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::create_dir_all(dir.path().join("site").join("pkg")).expect("site folder");
        prepare(&dir.path().join("site"));
        Self::start_in(dir, &[]).await
    }

    /// Starts with extra command-line settings, such as `--emulator-faults`.
    pub async fn start_with_args(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        Self::start_in(dir, args).await
    }

    /// Starts on a SQLite file whatever the suite's database: for tests of what only a file
    /// has (its path, backups, edits behind lensgate's back with SQLite's SQL).
    pub async fn start_on_sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        Self::start_on(dir, None, &[]).await
    }

    /// Stops this server and starts another on the same database and emulator database.
    pub async fn restart(mut self, args: &[&str]) -> Self {
        let dir = self.dir.take().expect("a running app has its folder");
        let schema = self.schema.take();
        self.shutdown().await;
        Self::start_on(dir, schema, args).await
    }

    /// Starts on the database and emulator database an earlier app left in `dir`.
    pub async fn start_in_folder(dir: TempDir) -> Self {
        Self::start_on(dir, None, &[]).await
    }

    async fn start_in(dir: TempDir, args: &[&str]) -> Self {
        let schema = if on_postgres() {
            Some(Arc::new(Schema::new().await))
        } else {
            None
        };
        Self::start_on(dir, schema, args).await
    }

    async fn start_on(dir: TempDir, schema: Option<Arc<Schema>>, args: &[&str]) -> Self {
        let database = dir.path().join("data").join("lensgate.db");
        std::fs::create_dir_all(dir.path().join("data")).expect("data folder");
        let location = match &schema {
            Some(schema) => Location::from_str(&schema.url()).expect("a PostgreSQL URL"),
            None => Location::File(database.clone()),
        };
        let site_root = dir.path().join("site");
        let mut argv: Vec<OsString> = vec![
            "lensgate".into(),
            "--listen".into(),
            "127.0.0.1:0".into(),
            "--database".into(),
            match &schema {
                Some(schema) => schema.url().into(),
                None => database.clone().into(),
            },
            // Beside the SQLite file, whichever database holds the state.
            "--audit-key".into(),
            dir.path().join("data").join("lensgate-audit.key").into(),
            "--checkpoint-dir".into(),
            dir.path().join("data").into(),
            "--emulator-database".into(),
            dir.path().join("data").join("lensgate-emulator.db").into(),
            "--site-root".into(),
            site_root.into(),
            "--aws-max-attempts".into(),
            "3".into(),
            "--admin-password".into(),
            ADMIN_PASSWORD.into(),
        ];
        argv.extend(args.iter().map(OsString::from));
        let config = Config::parse_from(argv);
        let app = Application::build(&config)
            .await
            .expect("the application starts");
        let url = format!("http://{}", app.local_addr());
        let metrics_url = app
            .metrics_addr()
            .map(|address| format!("http://{address}"));
        let gateway = app.gateway().clone();
        let accounts = app.accounts().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            app.run_until(async {
                let _ = stopped.await;
            })
            .await
            .expect("the server runs until stopped");
        });
        TestApp {
            client: new_client(),
            url,
            metrics_url,
            database,
            location,
            schema,
            gateway,
            accounts,
            stop: Some(stop),
            server: Some(server),
            dir: Some(dir),
        }
    }

    /// Signs the app's client in; later requests carry the session cookie.
    pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
        sign_in(&self.client, &self.url, username, password).await
    }

    pub async fn sign_in_as_admin(&self) {
        let response = self.sign_in("admin", ADMIN_PASSWORD).await;
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "{}",
            response.status()
        );
    }

    /// The body of a GET to `path` as this app's signed-in client.
    pub async fn get_text(&self, path: &str) -> String {
        self.client
            .get(self.at(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// The embedded emulator's address, for its admin endpoints.
    pub fn emulator_url(&self) -> String {
        self.gateway
            .clients()
            .embedded
            .as_ref()
            .expect("the emulator backend")
            .url
            .clone()
    }

    async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("the server task ends cleanly");
        }
    }

    /// Creates the user `name` with `role`, as an administrator would.
    pub async fn add_user(&self, name: &str, password: &str, role: lensgate_app::auth::Role) {
        let by = lensgate::audit::Actor {
            name: "test".into(),
            role: "admin".into(),
        };
        self.accounts
            .create_user(&by, name, password, role)
            .await
            .expect("the user is created");
    }

    /// Stops the server and waits until it has finished; a PostgreSQL schema goes with it.
    pub async fn stop(mut self) {
        self.shutdown().await;
        if let Some(schema) = self.schema.take() {
            schema.remove().await;
        }
    }

    /// A connection pool to the app's database, as another process would open it.
    pub async fn db(&self) -> Database {
        Database::open(&self.location)
            .await
            .expect("the app's database opens")
    }

    /// The app's audit history, read through a pool of its own.
    pub async fn audit_log(&self) -> AuditLog {
        AuditLog::new(self.db().await)
    }

    /// Runs `sql` (written for both databases) and returns its one text column.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        match self.db().await {
            Database::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(&pool).await,
            Database::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(&pool).await,
        }
        .expect("the query runs")
    }

    /// Runs `sql` (written for both databases), which changes rows.
    pub async fn execute(&self, sql: &str) {
        match self.db().await {
            Database::Sqlite(pool) => sqlx::query(sql).execute(&pool).await.map(drop),
            Database::Postgres(pool) => sqlx::query(sql).execute(&pool).await.map(drop),
        }
        .expect("the statement runs");
    }

    /// How `/status` names the database: the file's path or the URL without its password.
    pub fn database_shown(&self) -> String {
        match &self.location {
            Location::File(path) => path.display().to_string(),
            Location::Postgres(url) => url.redacted(),
        }
    }

    /// Stops the server and hands over its folder, database included, to look at afterwards.
    pub async fn stop_keeping_files(mut self) -> TempDir {
        self.shutdown().await;
        self.dir.take().expect("a running app has its folder")
    }
}

/// The page at `path` as `client`'s browser would load it, without hydration markers.
pub async fn page_as(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let html = client
        .get(app.at(path))
        .header("accept", "text/html")
        .send()
        .await
        .expect("the page is answered")
        .text()
        .await
        .expect("the page is text");
    without_markers(&html)
}

/// A page's HTML without the empty comments (`<!>`) Leptos writes between the parts of a view
/// for hydration, so assertions read the markup as a person sees it.
pub fn without_markers(html: &str) -> String {
    html.replace("<!>", "")
}

pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

/// A client with its own cookie jar that does not follow redirects.
/// Calls a server function as the page's script does (a form body, a JSON answer): the status
/// and the answer.
pub async fn call(
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let response = app
        .client
        .post(app.at(endpoint))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// Posts the sign-in form as the JavaScript client does (JSON answer).
pub async fn sign_in(
    client: &reqwest::Client,
    url: &str,
    username: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(format!("{url}/api/login"))
        .header("accept", "application/json")
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("the sign-in request is answered")
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The message of a server function's refusal of the form's `field` (shown under that field);
/// fails the test when the answer is anything else.
pub fn field_error<'a>(body: &'a serde_json::Value, field: &str) -> &'a str {
    let refusal = &body["InvalidField"];
    assert_eq!(refusal["field"], field, "a refusal of {field}: {body}");
    refusal["message"]
        .as_str()
        .unwrap_or_else(|| panic!("a message for {field}: {body}"))
}
