//! The `lensgate` binary itself: start-up errors and shutdown.

use std::{
    io::{BufRead, BufReader},
    net::TcpListener,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const BINARY: &str = env!("CARGO_BIN_EXE_lensgate");

fn run_to_exit(args: &[&str]) -> (i32, String) {
    let output = Command::new(BINARY)
        .args(args)
        .env_remove("LENSGATE_DATABASE")
        .env_remove("LENSGATE_LISTEN")
        .output()
        .expect("the binary runs");
    let code = output.status.code().expect("exited, not killed");
    (code, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn an_unusable_database_path_stops_start_up_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let database = blocker.join("lensgate.db");

    let (code, stderr) = run_to_exit(&[
        "--listen",
        "127.0.0.1:0",
        "--database",
        database.to_str().unwrap(),
    ]);

    assert_eq!(code, 1);
    assert!(stderr.contains("cannot create the folder"), "{stderr}");
    assert!(
        stderr.contains("--database"),
        "says how to fix it: {stderr}"
    );
}

#[test]
fn a_port_in_use_stops_start_up_with_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("lensgate.db");

    let (code, stderr) = run_to_exit(&[
        "--listen",
        &address,
        "--database",
        database.to_str().unwrap(),
    ]);

    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!("cannot listen on {address}")),
        "{stderr}"
    );
    assert!(
        stderr.contains("another process is using this port"),
        "{stderr}"
    );
}

#[test]
fn an_invalid_setting_is_refused_before_anything_starts() {
    let (code, stderr) = run_to_exit(&["--backend", "azure"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("possible values: emulator, aws"),
        "{stderr}"
    );
}

#[test]
fn sigterm_shuts_the_server_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("lensgate.db");
    let mut child = Command::new(BINARY)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--database",
            database.to_str().unwrap(),
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let started = lines
        .by_ref()
        .take(50)
        .map_while(Result::ok)
        .any(|line| line.contains("listening on http://127.0.0.1:"));
    assert!(started, "the server announced its address");

    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the server did not stop within 10 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("shutting down")), "{rest:?}");
}
