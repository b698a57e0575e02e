//! The emulator driven only by the official AWS SDK clients over HTTP.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails by panicking, with the value in the report"
)]

mod grants;
mod helpers;
mod lenses;
mod protocol;
mod seed;
mod shares;
mod workloads;
