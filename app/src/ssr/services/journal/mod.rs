//! The trading journal's services: imports, trades, tags and analytics over `&dyn Store`.

pub mod analytics;
pub mod attachments;
pub mod closed_cache;
pub mod excursions;
pub mod identity;
pub mod imports;
pub mod plans;
pub mod rebuild;
pub mod tags;
pub mod trades;
pub mod views;
