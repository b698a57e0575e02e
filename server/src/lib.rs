//! The lensgate server as a library, so integration tests start the real application.

pub mod accounts;
pub mod activity;
pub mod api;
pub mod audit;
pub mod aws;
pub mod cli;
pub mod config;
pub mod csv;
pub mod db;
pub mod emulator;
pub mod error;
pub mod gateway;
pub mod grants;
pub mod http;
pub mod invitations;
pub mod lenses;
pub mod outbound;
pub mod prometheus;
pub mod reviews;
pub mod shares;
pub mod startup;
pub mod status;
pub mod telemetry;
pub mod timestamp;
pub mod webhooks;
pub mod workloads;
