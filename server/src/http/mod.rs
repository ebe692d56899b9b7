//! The HTTP application: pages (Leptos), server functions, REST API, health, metrics,
//! static files, and the layers every request passes through.

pub mod metrics;
pub mod security;

use crate::config::Config;
use crate::sessions::{self, SessionBackend};
use app::ssr::AppState;
use app::{shell, App};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Json, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState, session_store: SessionBackend, cfg: &Config) -> Router {
    let routes = generate_route_list(App);
    let (api, _) = crate::api::v1();
    let leptos_options = state.leptos_options.clone();

    let app = Router::new()
        .merge(api)
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .leptos_routes_with_context(&state, routes, provide_request_context, move || {
            shell(leptos_options.clone())
        })
        .route_layer(middleware::from_fn(metrics::track))
        .route("/metrics", get(metrics::render))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state);

    let https = cfg.https;
    app.layer(sessions::layer(session_store, cfg.https))
        .layer(DefaultBodyLimit::max(cfg.body_limit))
        .layer(middleware::from_fn(move |req, next| {
            security::headers(https, req, next)
        }))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(SetSensitiveRequestHeadersLayer::new([
            axum::http::header::COOKIE,
            axum::http::header::AUTHORIZATION,
            HeaderName::from_static("x-api-key"),
        ]))
}

/// Hands the request's CSP nonce to the renderer, so the hydration script carries it.
fn provide_request_context() {
    let nonce = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<security::CspNonce>().cloned());
    if let Some(n) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(n.0));
    }
}

async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Ready when the database answers.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let backend = state.ctx.store.backend();
    match state.ctx.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready", "database": backend })),
        ),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": backend })),
            )
        }
    }
}
