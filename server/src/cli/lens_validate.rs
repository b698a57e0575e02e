//! `lensgate lens validate`: the lens validator for authors' own CI, with compiler-style
//! output (`file:line:col: error|warning: message`) or JSON for tools. Files in YAML are
//! recognised by their extension (`.yaml`, `.yml`) or their text.

use std::{path::Path, process::ExitCode};

use lensgate_lens::{Format, Position, Problem, Rule, Severity, validate_as};
use serde::Serialize;

use crate::config::ReportFormat;

#[derive(Serialize)]
struct FileReport {
    file: String,
    errors: usize,
    warnings: usize,
    problems: Vec<Problem>,
}

#[derive(Serialize)]
struct Summary {
    files: Vec<FileReport>,
    errors: usize,
    warnings: usize,
}

pub fn run(files: &[impl AsRef<Path>], format: ReportFormat) -> ExitCode {
    let reports: Vec<FileReport> = files.iter().map(|file| check(file.as_ref())).collect();
    let summary = Summary {
        errors: reports.iter().map(|r| r.errors).sum(),
        warnings: reports.iter().map(|r| r.warnings).sum(),
        files: reports,
    };
    match format {
        ReportFormat::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&summary).expect("reports serialise")
            );
        }
        ReportFormat::Text => print_text(&summary),
    }
    if summary.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn check(file: &Path) -> FileReport {
    let name = file.display().to_string();
    let problems = match read(file) {
        Ok(text) => validate_as(&text, Format::of(Some(&name), &text)).problems,
        Err(problem) => vec![problem],
    };
    let count = |severity| problems.iter().filter(|p| p.severity == severity).count();
    FileReport {
        file: name,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        problems,
    }
}

/// A lens file's text, or the problem that keeps it from being read, at the place it starts.
pub(super) fn read(file: &Path) -> Result<String, Problem> {
    let bytes = std::fs::read(file).map_err(|error| {
        unreadable(
            format!("Cannot read the file: {error}."),
            Position { line: 1, column: 1 },
        )
    })?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let before = String::from_utf8_lossy(valid);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        unreadable(
            "The file is not UTF-8 text; save it as UTF-8.".into(),
            Position {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            },
        )
    })
}

fn unreadable(message: String, position: Position) -> Problem {
    Problem {
        severity: Severity::Error,
        rule: Rule::JsonSyntax,
        path: String::new(),
        position,
        message,
        fix: None,
    }
}

fn print_text(summary: &Summary) {
    for report in &summary.files {
        for problem in &report.problems {
            println!("{}:{problem}", report.file);
        }
    }
    let refused = summary.files.iter().filter(|r| r.errors > 0).count();
    println!(
        "{} checked: {}, {}; {}",
        plural(summary.files.len(), "file"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        if refused == 0 {
            "every lens can be imported".to_owned()
        } else {
            format!("{} cannot be imported", plural(refused, "file"))
        }
    );
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
