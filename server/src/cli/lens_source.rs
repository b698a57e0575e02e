//! `lensgate lens build` and `lensgate lens export`: lens source in YAML turned into the JSON
//! ImportLens receives, and any lens file written in the other format. Output goes to a file
//! only once it is complete (a temporary file beside it, then renamed), so a failed run never
//! leaves half a lens behind.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::ExitCode,
};

use lensgate_lens::{Format, Rule, Severity, source, validate_as};

use super::lens_validate::read;

/// Validates `input` and writes the JSON it is imported as; exits 1 with the problems when it
/// has errors. Warnings are printed and do not stop the build.
pub fn build(input: &Path, output: Option<&Path>) -> ExitCode {
    let Some((name, text)) = read_or_say(input) else {
        return ExitCode::FAILURE;
    };
    let format = Format::of(Some(&name), &text);
    let report = validate_as(&text, format);
    for problem in &report.problems {
        eprintln!("{name}:{problem}");
    }
    if !report.is_importable() {
        eprintln!(
            "{name}: not built: ImportLens would refuse it ({} error{})",
            report.errors(),
            if report.errors() == 1 { "" } else { "s" }
        );
        return ExitCode::FAILURE;
    }
    match source::to_json(&text, format) {
        Ok(json) => write_out(output, &json),
        Err(error) => {
            eprintln!("{name}: {}", error.message);
            ExitCode::FAILURE
        }
    }
}

/// Writes `input` as `to`, member order and unknown members kept; exits 1 when the file does
/// not parse. The lens is not validated: exporting a draft with problems is how they get fixed.
pub fn export(input: &Path, to: Format, output: Option<&Path>) -> ExitCode {
    let Some((name, text)) = read_or_say(input) else {
        return ExitCode::FAILURE;
    };
    let from = Format::of(Some(&name), &text);
    let converted = match to {
        Format::Yaml => source::to_yaml(&text, from),
        Format::Json => source::to_json(&text, from).map(std::borrow::Cow::into_owned),
    };
    match converted {
        Ok(converted) => write_out(output, &converted),
        Err(_) => {
            let syntax = validate_as(&text, from).problems.into_iter().find(|p| {
                p.severity == Severity::Error
                    && matches!(p.rule, Rule::JsonSyntax | Rule::YamlSyntax)
            });
            match syntax {
                Some(problem) => eprintln!("{name}:{problem}"),
                None => eprintln!("{name}: the file could not be read as {}", from.as_str()),
            }
            ExitCode::FAILURE
        }
    }
}

/// The file's name and text, or `None` once the reason it cannot be read is printed.
fn read_or_say(input: &Path) -> Option<(String, String)> {
    let name = input.display().to_string();
    match read(input) {
        Ok(text) => Some((name, text)),
        Err(problem) => {
            eprintln!("{name}:{problem}");
            None
        }
    }
}

fn write_out(output: Option<&Path>, text: &str) -> ExitCode {
    let Some(path) = output else {
        print!("{text}");
        return ExitCode::SUCCESS;
    };
    match write_whole(path, text) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot write {}: {error}", path.display());
            ExitCode::FAILURE
        }
    }
}

fn write_whole(path: &Path, text: &str) -> std::io::Result<()> {
    let mut partial = PathBuf::from(path);
    partial.as_mut_os_string().push(".partial");
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&partial, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}
