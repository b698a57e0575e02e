//! `lensgate lens diff OLD NEW`: what publishing NEW after OLD does to the workloads that use
//! the lens, question by question, and whether it should be a major version. Exits 0 with the
//! report; 1 when either file is not a lens that could be imported.

use std::{path::Path, process::ExitCode};

use lensgate_lens::{Lens, upgrade};

use crate::config::ReportFormat;

pub fn run(old: &Path, new: &Path, format: ReportFormat) -> ExitCode {
    let (before, after) = match (read(old), read(new)) {
        (Ok(before), Ok(after)) => (before, after),
        (Err(why), _) | (_, Err(why)) => {
            eprintln!("{why}");
            return ExitCode::FAILURE;
        }
    };
    let report = upgrade::report(&before, &after);
    match format {
        ReportFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("reports serialise")
        ),
        ReportFormat::Text => {
            for question in &report.questions {
                for change in &question.changes {
                    println!(
                        "{}.{}: {}",
                        question.pillar,
                        question.question,
                        change.describe()
                    );
                }
            }
            println!("{}", report.advice);
        }
    }
    ExitCode::SUCCESS
}

fn read(file: &Path) -> Result<Lens, String> {
    let name = file.display();
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("{name}: cannot read it: {e}."))?;
    let report = lensgate_lens::validate(&text);
    if !report.is_importable() {
        return Err(format!(
            "{name}: not a lens ImportLens accepts ({} errors); run `lensgate lens validate {name}` to see them.",
            report.errors()
        ));
    }
    report.lens.ok_or_else(|| format!("{name}: not a lens."))
}
