//! REST API v1. Every route is registered through `OpenApiRouter`, so the OpenAPI
//! document is generated from the same list the router serves (a test checks both ways).

pub mod accounts;
pub mod analytics;
pub mod attachments;
pub mod auth;
pub mod charts;
pub mod envelope;
pub mod imports;
pub mod keys;
pub mod market;
pub mod plans;
pub mod pricing;
pub mod strategies;
pub mod trades;
pub mod workspaces;

use app::ssr::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get};
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Refract API",
        version = "1",
        description = "Options analytics, trading journal and charts. Every answer is \
            {\"success\":true,\"data\":...} or {\"success\":false,\"error\":{\"code\",\"message\",\"details\"}}. \
            Authenticate with the session cookie or an X-API-Key header."
    ),
    modifiers(&Security),
    tags(
        (name = "accounts", description = "Sign-up, sign-in, the caller"),
        (name = "api-keys", description = "Keys for scripts"),
        (name = "workspaces", description = "Workspaces, members, roles and invites"),
        (name = "pricing", description = "Option prices, Greeks, implied volatility, strategy analysis"),
        (name = "strategies", description = "Strategies saved in a workspace"),
        (name = "journal", description = "Trades, executions, broker imports, exports, tags, planned trades"),
        (name = "analytics", description = "Journal statistics, equity curve, breakdowns, calendar"),
        (name = "market", description = "Bars, symbols, bar imports and indicator series"),
        (name = "charts", description = "Chart generation, history, images, analyses and quotas"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::sessions::COOKIE_NAME,
            ))),
        );
    }
}

/// The v1 routes, under /api/v1, and their OpenAPI document.
pub fn v1() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let routes =
        OpenApiRouter::new()
            .routes(routes!(accounts::signup))
            .routes(routes!(accounts::login))
            .routes(routes!(accounts::logout))
            .routes(routes!(
                accounts::me,
                accounts::update_me,
                accounts::delete_me
            ))
            .routes(routes!(accounts::change_password))
            .routes(routes!(accounts::set_active_workspace))
            .routes(routes!(keys::create, keys::list))
            .routes(routes!(keys::revoke))
            .routes(routes!(workspaces::list, workspaces::create))
            .routes(routes!(workspaces::rename, workspaces::delete))
            .routes(routes!(workspaces::members))
            .routes(routes!(workspaces::change_role, workspaces::remove_member))
            .routes(routes!(workspaces::invite, workspaces::invites))
            .routes(routes!(workspaces::revoke_invite))
            .routes(routes!(workspaces::preview_invite))
            .routes(routes!(workspaces::accept_invite))
            .routes(routes!(pricing::price))
            .routes(routes!(pricing::implied_vol))
            .routes(routes!(pricing::strategy))
            .routes(routes!(strategies::list, strategies::create))
            .routes(routes!(
                strategies::get,
                strategies::replace,
                strategies::delete
            ))
            .routes(routes!(imports::get, imports::cancel))
            .routes(routes!(imports::formats))
            .routes(routes!(imports::mappings, imports::save_mapping))
            .routes(routes!(trades::list, trades::create))
            .routes(routes!(trades::export))
            .routes(routes!(trades::get, trades::patch, trades::delete))
            .routes(routes!(trades::restore))
            .routes(routes!(trades::executions))
            .routes(routes!(trades::tags))
            .routes(routes!(trades::update_tag, trades::delete_tag))
            .routes(routes!(plans::from_analysis))
            .routes(routes!(plans::list))
            .routes(routes!(plans::delete))
            .routes(routes!(analytics::summary))
            .routes(routes!(analytics::equity_curve))
            .routes(routes!(analytics::breakdown))
            .routes(routes!(analytics::calendar))
            .routes(routes!(market::bars))
            .routes(routes!(market::symbols))
            .routes(routes!(market::simulate))
            .routes(routes!(market::fetch))
            .routes(routes!(market::actions))
            .routes(routes!(market::import_actions))
            .routes(routes!(charts::generate))
            .routes(routes!(charts::bulk))
            .routes(routes!(charts::templates_list, charts::templates_create))
            .routes(routes!(charts::templates_delete))
            .routes(routes!(charts::list))
            .routes(routes!(charts::get, charts::delete))
            .routes(routes!(charts::image))
            .routes(routes!(charts::analyze))
            .routes(routes!(charts::get_analysis))
            .routes(routes!(charts::user_quota))
            // Bar files and indicator requests are larger than the default body limit.
            .merge(
                OpenApiRouter::new()
                    .routes(routes!(market::import))
                    .routes(routes!(market::indicators))
                    .layer(DefaultBodyLimit::max(32 * 1024 * 1024)),
            )
            .routes(routes!(attachments::list))
            .routes(routes!(attachments::file, attachments::delete))
            .routes(routes!(attachments::thumbnail))
            // Attachments (5 MB) are larger than the default body limit.
            .merge(
                OpenApiRouter::new()
                    .routes(routes!(attachments::upload))
                    .layer(DefaultBodyLimit::max(attachments::BODY_LIMIT)),
            )
            // Broker statements are larger than the default body limit.
            .merge(OpenApiRouter::new().routes(routes!(imports::create)).layer(
                DefaultBodyLimit::max(app::ssr::services::journal::imports::MAX_BYTES + 64 * 1024),
            ));
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", routes)
        .split_for_parts();
    let served = doc.clone();
    let router = router
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(served) }),
        )
        // unknown API paths answer in the envelope, not with the app's HTML 404
        .route("/api/v1/{*rest}", any(envelope::not_found));
    (router, doc)
}
