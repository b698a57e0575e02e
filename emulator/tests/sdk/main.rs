//! The emulator driven only by the official AWS SDK clients over HTTP.

mod grants;
mod helpers;
mod lenses;
mod protocol;
mod seed;
mod shares;
mod workloads;
