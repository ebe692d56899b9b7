//! Shared UI: the document shell and router, the layout around every page, form parts,
//! Markdown of user notes.

pub mod auth;
pub mod format;
pub mod forms;
pub mod layout;
pub mod markdown;
pub mod shell;
