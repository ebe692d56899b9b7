//! Business rules over `&dyn Store`, shared by server functions and the REST API. Each
//! takes the context and the acting principal explicitly and is tested without HTTP.

pub mod api_keys;
pub mod auth;
pub mod charts;
pub mod journal;
pub mod strategies;
pub mod views;
pub mod workspaces;
