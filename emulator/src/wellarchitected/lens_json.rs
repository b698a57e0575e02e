//! What ImportLens refuses of a lens document: any error the lens format's validator finds
//! (warnings pass, as they do in AWS), reported with the place of the first one.

use lensgate_lens::Severity;

use crate::error::ServiceError;

pub struct LensSummary {
    pub name: String,
    pub description: Option<String>,
}

pub fn check(text: &str) -> Result<LensSummary, ServiceError> {
    let report = lensgate_lens::validate(text);
    if let Some(error) = report
        .problems
        .iter()
        .find(|p| p.severity == Severity::Error)
    {
        let place = if error.path.is_empty() {
            String::new()
        } else {
            format!(" ({})", error.path)
        };
        return Err(ServiceError::validation(format!(
            "The lens JSON is not valid at line {}, column {}{place}: {}",
            error.position.line, error.position.column, error.message
        )));
    }
    let lens = report.lens.unwrap_or_default();
    Ok(LensSummary {
        name: lens.name,
        description: Some(lens.description).filter(|d| !d.is_empty()),
    })
}
