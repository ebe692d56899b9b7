//! The HTTP API end to end: the real server on loopback, SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod api_keys;
mod attachments;
mod charts;
mod isolation;
mod journal;
mod llm;
mod operations;
mod pricing;
mod roles;
mod strategies;
mod throttling;
mod vendors;
