//! `refract` subcommands.

pub mod price;

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
    /// Price options or solve implied vols from CSV (stdin to stdout by default).
    ///
    /// Input header: id,kind,style,engine,spot,strike,q,r,t,vol,price. Give vol to price, or
    /// leave vol empty and give price to solve for implied vol. Output header:
    /// id,price,delta,gamma,theta,vega,rho,iv,error (theta per year, vega and rho per 1.00).
    Price {
        /// Input CSV file (default: standard input).
        #[arg(long, short)]
        input: Option<PathBuf>,
        /// Output CSV file (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}
