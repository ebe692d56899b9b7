//! The Refract server: configuration, storage adapters, sessions, the HTTP application
//! and the command-line entry points. A thin shell around `app`'s services.

#![recursion_limit = "256"]

pub mod api;
pub mod blobs;
pub mod cli;
pub mod config;
pub mod db;
pub mod http;
pub mod sessions;
pub mod vendors;

use app::ssr::{AppState, ServerContext};
use config::Config;
use leptos::config::{Env, LeptosOptions};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Everything `serve` needs, built once: the database opened and migrated, the router.
pub struct Prepared {
    pub router: axum::Router,
    pub db: db::Database,
    pub ctx: ServerContext,
}

pub async fn prepare(cfg: &Config) -> Result<Prepared, ServeError> {
    let database = db::open(&cfg.database_url).await?;
    // An import's transaction dies with the process that ran it: record that, so its
    // progress page says what happened instead of spinning forever.
    match database
        .store
        .fail_interrupted_imports(chrono::Utc::now())
        .await
    {
        Ok(0) => {}
        Ok(n) => tracing::warn!(imports = n, "marked interrupted imports as failed"),
        Err(e) => tracing::error!(error = %e, "could not check for interrupted imports"),
    }
    let _ = http::metrics::handle();
    let leptos_options = LeptosOptions::builder()
        .output_name("refract")
        .site_root(cfg.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(cfg.site_addr)
        .env(Env::PROD)
        .build();
    let blobs = Arc::new(blobs::LocalBlobs::new(cfg.data_dir.join("files")));
    let mut ctx = ServerContext::new(database.store.clone(), cfg.settings(), blobs);
    if let Some(key) = cfg.polygon_api_key.as_deref().filter(|k| !k.is_empty()) {
        match vendors::polygon::Polygon::new(&cfg.polygon_base_url, key) {
            Ok(p) => ctx.market_data = Some(Arc::new(p)),
            Err(e) => tracing::error!(error = %e, "could not set up the Polygon client"),
        }
    }
    match cfg.vision_model() {
        Ok(model) => ctx.vision = model,
        Err(e) => tracing::error!(error = %e, "could not set up the LLM analyst's client"),
    }
    // A new server shows real charts with no account anywhere: load the built-in data once.
    if let Err(e) = app::ssr::services::charts::market::load_sample_data(&ctx).await {
        tracing::error!(error = %e.message, "could not load the built-in market data");
    }
    if let Err(e) = app::ssr::services::charts::actions::load_sample_actions(&ctx).await {
        tracing::error!(error = %e.message, "could not load the built-in splits");
    }
    let state = AppState {
        leptos_options,
        ctx: ctx.clone(),
    };
    let router = http::router(state, database.sessions.clone(), cfg);
    Ok(Prepared {
        router,
        db: database,
        ctx,
    })
}

/// Binds the listener with TCP_NODELAY (without it, two-part responses wait ~40 ms for a
/// delayed ACK: see TOOLCHAIN.md).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    prepared: Prepared,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    use axum::serve::ListenerExt;
    use tower_sessions::ExpiredDeletion;
    let cleanup = tokio::spawn(
        prepared
            .db
            .sessions
            .clone()
            .continuously_delete_expired(tokio::time::Duration::from_secs(3600)),
    );
    let purge_ctx = prepared.ctx.clone();
    let purge = tokio::spawn(async move {
        let mut every = tokio::time::interval(tokio::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match app::ssr::services::journal::trades::purge_expired(&purge_ctx, chrono::Utc::now())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(trades = n, "purged trades deleted over 30 days ago"),
                Err(e) => tracing::error!(error = %e, "trash purge failed"),
            }
        }
    });
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let app = prepared
        .router
        .into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    cleanup.abort();
    purge.abort();
    result.map_err(ServeError::from)
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
