//! Refract's application crate: the Leptos UI (rendered on the server, hydrated in the
//! browser), the wire types and errors they share, server functions, and — behind the
//! `ssr` feature — the storage port and the services the server runs.

#![recursion_limit = "256"]

pub mod charts_wire;
pub mod client;
pub mod error;
pub mod journal_wire;
pub mod model;
pub mod options;
pub mod pages;
pub mod roles;
pub mod server_fns;
pub mod ui;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod ssr;

pub use ui::shell::{shell, App};
