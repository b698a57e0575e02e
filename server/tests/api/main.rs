//! Integration tests: the real application on a free port with a database of its own.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails by panicking, with the value in the report"
)]

mod accounts;
mod admin;
mod api_v1;
mod assets;
mod audit;
mod audit_browser;
mod backend;
mod backup;
mod checkpoints;
mod compression;
mod dashboard;
mod gateway;
mod grants;
mod helpers;
mod lens_cli;
mod lens_shares;
mod lenses;
mod metrics;
mod pages;
mod postgres;
mod probes;
mod questionnaire;
mod recovery;
mod replicas;
mod reviews;
mod security;
mod startup;
mod status;
mod webhooks;
mod workloads;
