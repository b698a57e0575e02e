//! The AWS Well-Architected custom lens format (schemaVersion "2021-11-01"): a JSON parser that
//! keeps positions, the typed lens, the risk-rule condition language and the validator. No UI,
//! server or SDK code, so that the browser, the server, the emulator and the CLI share one
//! definition of a valid lens.

pub mod analysis;
pub mod condition;
pub mod json;
pub mod model;
pub mod position;
pub mod problem;
pub mod upgrade;
pub mod validate;

pub use model::Lens;
pub use position::Position;
pub use problem::{Problem, Rule, Severity};
pub use validate::{MAX_LENS_CHARS, Report, charset::replace_restricted, validate};
