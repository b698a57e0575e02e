//! The real `lensgate` binary as a benchmark starts it: its address and its memory.

/// Waits for the server's "listening on" line and keeps draining its log.
pub fn listening(server: &mut std::process::Child) -> String {
    use std::io::{BufRead, BufReader};
    let mut lines = BufReader::new(server.stderr.take().expect("log")).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("the server stopped before listening")
            .expect("log line");
        if let Some(at) = line.find("listening on http://") {
            break line[at + "listening on ".len()..]
                .split_whitespace()
                .next()
                .unwrap()
                .to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    url
}

/// The process's peak resident memory (VmHWM), in KiB.
pub fn rss_peak_kib(pid: u32) -> u64 {
    status_kib(pid, "VmHWM:")
}

/// The process's resident memory now (VmRSS), in KiB.
pub fn rss_now_kib(pid: u32) -> u64 {
    status_kib(pid, "VmRSS:")
}

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

/// The CPU time the process has used so far, user and system, in seconds.
pub fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // The command name in parentheses may hold spaces; the fields after it are plain numbers.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the name and state.
    (ticks(11) + ticks(12)) / clock_ticks_per_second()
}

fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}
