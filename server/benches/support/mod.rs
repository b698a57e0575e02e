//! What the benchmarks that start the real server share.

#![allow(
    dead_code,
    reason = "each benchmark uses its own part of what they share"
)]

pub mod history;
pub mod process;
