use clap::Parser;
use server::cli::{Cli, Command};
use server::config::Config;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
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
