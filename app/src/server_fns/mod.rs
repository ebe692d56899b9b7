//! Server functions: the browser's door to the services. Each body finds the context and
//! the principal, then calls one service; rules live in the services, not here.

mod accounts;
mod charts;
mod journal;
mod strategies;

pub use accounts::*;
pub use charts::*;
pub use journal::*;
pub use strategies::*;

#[cfg(feature = "ssr")]
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}
