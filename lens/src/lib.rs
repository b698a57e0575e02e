//! The AWS Well-Architected custom lens format (schemaVersion "2021-11-01"): JSON and YAML
//! parsers that keep positions, the typed lens, the risk-rule condition language and the validator. No UI,
//! server or SDK code, so that the browser, the server, the emulator and the CLI share one
//! definition of a valid lens.

pub mod analysis;
pub mod condition;
pub mod json;
pub mod model;
pub mod outline;
pub mod position;
pub mod problem;
pub mod questionnaire;
pub mod source;
pub mod upgrade;
pub mod validate;
pub mod yaml;

pub use model::Lens;
pub use position::Position;
pub use problem::{Problem, Rule, Severity};
pub use source::Format;
pub use validate::{MAX_LENS_CHARS, Report, charset::replace_restricted, validate, validate_as};
