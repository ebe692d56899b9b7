//! `refract` subcommands.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "refract",
    version,
    about = "Refract: options analytics, trading journal and charts"
)]
pub struct Cli {
    /// Runtime configuration file (its [refract] table); a missing file means defaults.
    #[arg(
        long,
        global = true,
        default_value = "Leptos.toml",
        env = "REFRACT_CONFIG"
    )]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web app and the API (the default).
    Serve,
    /// Create or update the database schema, then exit.
    Migrate,
}
