#![recursion_limit = "256"]
use clap::Parser;
use server::cli::{Cli, Command};
use server::config::Config;
use std::process::ExitCode;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Price { input, output }) = &cli.command {
        return price(input.as_deref(), output.as_deref());
    }
    let cfg = match Config::load(&cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("refract: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(cfg.log_json);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cfg).await,
        Command::Migrate => migrate(cfg).await,
        Command::Price { .. } => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("refract: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(cfg: Config) -> Result<(), server::ServeError> {
    let prepared = server::prepare(&cfg).await?;
    let listener = server::bind(cfg.site_addr).await?;
    tracing::info!(
        address = %cfg.site_addr,
        database = prepared.db.store.backend(),
        "Refract is listening on http://{}",
        cfg.site_addr
    );
    server::serve(listener, prepared, server::shutdown_signal()).await
}

async fn migrate(cfg: Config) -> Result<(), server::ServeError> {
    let db = server::db::open(&cfg.database_url).await?;
    tracing::info!(database = db.store.backend(), "database is up to date");
    Ok(())
}

/// Batch pricing needs no configuration and no database.
fn price(input: Option<&std::path::Path>, output: Option<&std::path::Path>) -> ExitCode {
    use server::cli::price;
    let reader: Box<dyn std::io::Read> = match input {
        Some(p) => match std::fs::File::open(p) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!("refract price: cannot open {}: {e}", p.display());
                return ExitCode::from(2);
            }
        },
        None => Box::new(std::io::stdin().lock()),
    };
    let writer: Box<dyn std::io::Write> = match output {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("refract price: cannot create {}: {e}", p.display());
                return ExitCode::from(2);
            }
        },
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match price::run(reader, writer) {
        Ok(s) => {
            eprintln!("refract price: {} rows, {} with errors", s.rows, s.errors);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("refract price: {e}");
            ExitCode::from(2)
        }
    }
}

fn init_tracing(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
