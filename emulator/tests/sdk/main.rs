//! The emulator driven only by the official AWS SDK clients over HTTP.

mod grants;
mod helpers;
mod lenses;
mod protocol;
mod shares;
mod workloads;
