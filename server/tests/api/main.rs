//! Integration tests: the real application on a free port with a database of its own.

mod assets;
mod helpers;
mod pages;
mod probes;
mod startup;
mod status;
