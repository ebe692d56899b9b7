//! /api/v1/charts, /api/v1/analyses and /api/v1/user/quota (spec 004).

use crate::api::auth::Authed;
use crate::api::envelope::{created, ok, ApiResult, Failure, Json, Path, Query, Success};
use app::charts_wire::{
    AnalysisResult, AnalyzeRequest, BulkRequest, BulkResult, ChartDetail, ChartPage, ChartRequest,
    GeneratedChart, NewTemplate, QuotaReport, TemplateView,
};
use app::ssr::services::charts::{analysis, history, quota, templates};
use app::ssr::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Render a chart from the workspace's bars (PNG or SVG) and keep it in the history.
/// Counts against the plan's monthly charts (429 QUOTA_EXCEEDED beyond it).
#[utoipa::path(post, path = "/charts/generate", tag = "charts", request_body = ChartRequest,
    responses((status = 201, body = Success<GeneratedChart>), (status = 400, body = Failure), (status = 404, body = Failure), (status = 429, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn generate(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(req): Json<ChartRequest>,
) -> ApiResult<GeneratedChart> {
    Ok(created(
        history::generate(&state.ctx, &p, &req, Utc::now()).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct ChartFilter {
    pub symbol: Option<String>,
    /// ready
    pub status: Option<String>,
    /// 1 to 100 (default 50).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The caller's charts in this workspace, newest first.
#[utoipa::path(get, path = "/charts", tag = "charts", params(ChartFilter),
    responses((status = 200, body = Success<ChartPage>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(f): Query<ChartFilter>,
) -> ApiResult<ChartPage> {
    Ok(ok(history::list(
        &state.ctx, &p, f.symbol, f.status, f.limit, f.offset,
    )
    .await?))
}

/// A chart with its configuration and analyses.
#[utoipa::path(get, path = "/charts/{id}", tag = "charts", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<ChartDetail>), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<ChartDetail> {
    Ok(ok(history::get(&state.ctx, &p, id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Deleted {
    pub deleted: bool,
    pub message: String,
}

/// Delete a chart, its image and its analyses (its author, or an admin/owner).
#[utoipa::path(delete, path = "/charts/{id}", tag = "charts", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Deleted>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Deleted> {
    history::delete(&state.ctx, &p, id).await?;
    Ok(ok(Deleted {
        deleted: true,
        message: "Chart deleted successfully".into(),
    }))
}

/// The chart image (image/png or image/svg+xml).
#[utoipa::path(get, path = "/charts/{id}/image", tag = "charts", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The image", content_type = "image/png"), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn image(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, crate::api::envelope::ApiError> {
    let (bytes, content_type) = history::image(&state.ctx, &p, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            // Charts never change once made; the URL is private to the workspace.
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Analyse a chart (trend, rating, signals, levels, entry/stop/target, confidence, text).
/// Counts against the plan's monthly analyses.
#[utoipa::path(post, path = "/charts/{id}/analyze", tag = "charts", params(("id" = Uuid, Path)),
    request_body = AnalyzeRequest,
    responses((status = 201, body = Success<AnalysisResult>), (status = 404, body = Failure), (status = 429, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn analyze(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
    body: axum::body::Bytes,
) -> ApiResult<AnalysisResult> {
    // The body is optional: no body analyses with the defaults.
    let req: AnalyzeRequest = if body.iter().all(u8::is_ascii_whitespace) {
        AnalyzeRequest::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| app::error::AppError::invalid("body", format!("Invalid JSON: {e}")))?
    };
    Ok(created(
        analysis::analyze(&state.ctx, &p, id, &req, Utc::now()).await?,
    ))
}

#[utoipa::path(get, path = "/analyses/{id}", tag = "charts", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<AnalysisResult>), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn get_analysis(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<AnalysisResult> {
    Ok(ok(analysis::get(&state.ctx, &p, id, Utc::now()).await?))
}

/// This month's chart and analysis usage of the workspace's plan.
#[utoipa::path(get, path = "/user/quota", tag = "charts",
    responses((status = 200, body = Success<QuotaReport>)),
    security(("api_key" = []), ("session" = [])))]
pub async fn user_quota(
    State(state): State<AppState>,
    Authed(p): Authed,
) -> ApiResult<QuotaReport> {
    Ok(ok(quota::report(&state.ctx, &p, Utc::now()).await?))
}

/// One chart per symbol of a watchlist (at most 20), from a config or a saved template.
/// Each counts against the quota; the answer lists every symbol's chart or error.
#[utoipa::path(post, path = "/charts/bulk", tag = "charts", request_body = BulkRequest,
    responses((status = 200, body = Success<BulkResult>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn bulk(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(req): Json<BulkRequest>,
) -> ApiResult<BulkResult> {
    Ok(ok(templates::bulk(&state.ctx, &p, &req, Utc::now()).await?))
}

/// The workspace's chart templates.
#[utoipa::path(get, path = "/charts/templates", tag = "charts",
    responses((status = 200, body = Success<Vec<TemplateView>>)),
    security(("api_key" = []), ("session" = [])))]
pub async fn templates_list(
    State(state): State<AppState>,
    Authed(p): Authed,
) -> ApiResult<Vec<TemplateView>> {
    Ok(ok(templates::list(&state.ctx, &p).await?))
}

/// Save a chart configuration under a name unique in the workspace.
#[utoipa::path(post, path = "/charts/templates", tag = "charts", request_body = NewTemplate,
    responses((status = 201, body = Success<TemplateView>), (status = 400, body = Failure), (status = 409, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn templates_create(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(t): Json<NewTemplate>,
) -> ApiResult<TemplateView> {
    Ok(created(
        templates::create(&state.ctx, &p, &t, Utc::now()).await?,
    ))
}

#[utoipa::path(delete, path = "/charts/templates/{id}", tag = "charts", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<crate::api::accounts::Done>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn templates_delete(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<crate::api::accounts::Done> {
    templates::delete(&state.ctx, &p, id).await?;
    Ok(ok(crate::api::accounts::Done { done: true }))
}
