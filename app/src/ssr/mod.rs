//! Server-only code: the storage port, the services, and the glue that lets server
//! functions find the context and the session. Compiled with feature `ssr` only.

pub mod action_store;
pub mod attachment_store;
pub mod blobs;
pub mod chart_store;
pub mod context;
pub mod ids;
pub mod journal_store;
pub mod market_data;
pub mod password;
pub mod plan_store;
pub mod services;
pub mod session;
pub mod store;
pub mod tokens;
pub mod vision;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

pub use context::{Principal, ServerContext, Settings};

/// The router state: Leptos's options for rendering, the services' context for the rest.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub ctx: ServerContext,
}
