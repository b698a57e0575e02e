//! One module per page.

pub mod account;
pub mod admin;
pub mod audit;
pub mod grants;
pub mod home;
pub mod lenses;
pub mod login;
pub mod not_found;
pub mod reviews;
pub mod workloads;
