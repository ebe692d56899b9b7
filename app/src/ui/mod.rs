//! Shared UI: the document shell and router, the layout around every page, form parts.

pub mod auth;
pub mod format;
pub mod forms;
pub mod layout;
pub mod shell;
