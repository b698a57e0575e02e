use std::path::{Path, PathBuf};

use clap::Parser;
use lensgate::{config::Config, startup::Application};
use tempfile::TempDir;
use tokio::{sync::oneshot, task::JoinHandle};

/// A running lensgate with its own database and site folder, stopped when dropped.
pub struct TestApp {
    pub url: String,
    pub database: PathBuf,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    _dir: TempDir,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts after `prepare` has had a chance to fill the site folder.
    pub async fn start_with(prepare: impl FnOnce(&Path)) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let database = dir.path().join("data").join("lensgate.db");
        let site_root = dir.path().join("site");
        std::fs::create_dir_all(site_root.join("pkg")).expect("site folder");
        prepare(&site_root);

        let config = Config::parse_from([
            "lensgate".as_ref(),
            "--listen".as_ref(),
            "127.0.0.1:0".as_ref(),
            "--database".as_ref(),
            database.as_os_str(),
            "--site-root".as_ref(),
            site_root.as_os_str(),
        ]);
        let app = Application::build(&config)
            .await
            .expect("the application starts");
        let url = format!("http://{}", app.local_addr());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            app.run_until(async {
                let _ = stopped.await;
            })
            .await
            .expect("the server runs until stopped");
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client");
        TestApp {
            url,
            database,
            client,
            stop: Some(stop),
            server: Some(server),
            _dir: dir,
        }
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Stops the server and waits until it has finished.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("the server task ends cleanly");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
