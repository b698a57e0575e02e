//! The subcommands beside serving: `lens validate`, `lens build`, `lens export`, `lens diff`,
//! `audit verify`, `push`, `backup`, `restore` and `migrate`. (`emulator`
//! runs the standalone emulator, in `crate::emulator`.)

pub mod audit_verify;
pub mod backup;
pub mod lens_diff;
pub mod lens_source;
pub mod lens_validate;
pub mod migrate;
pub mod push;
