//! /api/v1/trades and /api/v1/executions: the journal's trades with filters and
//! pagination, edits, soft delete with undo, hand-entered trades and exports.

use crate::api::accounts::Done;
use crate::api::auth::Authed;
use crate::api::envelope::{created, ok, ApiError, ApiResult, Failure, Json, Path, Query, Success};
use app::journal_wire::{
    ExecutionPage, NewTrade, TagPatch, TagView, TradeFilter, TradePage, TradePatch, TradeView,
};
use app::ssr::services::journal::{tags as tag_admin, trades};
use app::ssr::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Trades matching the filters, newest first, paginated.
#[utoipa::path(get, path = "/trades", tag = "journal", params(TradeFilter),
    responses((status = 200, body = Success<TradePage>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(f): Query<TradeFilter>,
) -> ApiResult<TradePage> {
    Ok(ok(trades::list(&state.ctx, &p, &f).await?))
}

/// Enter a trade by hand (entry, and exit when closed).
#[utoipa::path(post, path = "/trades", tag = "journal", request_body = NewTrade,
    responses((status = 201, body = Success<TradeView>), (status = 400, body = Failure), (status = 403, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(n): Json<NewTrade>,
) -> ApiResult<TradeView> {
    Ok(created(
        trades::create(&state.ctx, &p, &n, Utc::now()).await?,
    ))
}

#[utoipa::path(get, path = "/trades/{id}", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<TradeView>), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<TradeView> {
    Ok(ok(trades::get(&state.ctx, &p, id).await?))
}

/// Edit the trader's fields: setup, notes, stop, target, tags (by name).
#[utoipa::path(patch, path = "/trades/{id}", tag = "journal", params(("id" = Uuid, Path)),
    request_body = TradePatch,
    responses((status = 200, body = Success<TradeView>), (status = 400, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn patch(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
    Json(b): Json<TradePatch>,
) -> ApiResult<TradeView> {
    Ok(ok(trades::patch(&state.ctx, &p, id, &b, Utc::now()).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct DeleteParams {
    /// `true` deletes for good (with its executions) instead of moving to the trash.
    pub purge: Option<bool>,
}

/// Move a trade to the trash (restorable for 30 days), or purge it with `purge=true`.
#[utoipa::path(delete, path = "/trades/{id}", tag = "journal", params(("id" = Uuid, Path), DeleteParams),
    responses((status = 200, body = Success<Done>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
    Query(q): Query<DeleteParams>,
) -> ApiResult<Done> {
    if q.purge.unwrap_or(false) {
        trades::purge(&state.ctx, &p, id, Utc::now()).await?;
    } else {
        trades::delete(&state.ctx, &p, id, Utc::now()).await?;
    }
    Ok(ok(Done { done: true }))
}

/// Undo a delete: take the trade out of the trash.
#[utoipa::path(post, path = "/trades/{id}/restore", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<TradeView>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn restore(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<TradeView> {
    Ok(ok(trades::restore(&state.ctx, &p, id).await?))
}

#[derive(Deserialize, IntoParams, ToSchema)]
pub struct ExportParams {
    /// csv (generic import format, re-importable) or json.
    pub format: Option<String>,
}

/// Export the filtered trades: CSV of their executions, or JSON of trades and executions.
#[utoipa::path(get, path = "/trades/export", tag = "journal", params(ExportParams, TradeFilter),
    responses((status = 200, description = "CSV or JSON file", content_type = "text/csv"), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(e): Query<ExportParams>,
    Query(f): Query<TradeFilter>,
) -> Result<Response, ApiError> {
    let format = e.format.unwrap_or_else(|| "csv".into());
    let (content_type, body) = trades::export(&state.ctx, &p, &f, &format).await?;
    let name = format!(
        "attachment; filename=\"refract-trades-{}.{format}\"",
        Utc::now().format("%Y%m%d")
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct PageParams {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Executions (fills), newest first.
#[utoipa::path(get, path = "/executions", tag = "journal", params(PageParams),
    responses((status = 200, body = Success<ExecutionPage>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn executions(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(q): Query<PageParams>,
) -> ApiResult<ExecutionPage> {
    Ok(ok(
        trades::executions(&state.ctx, &p, q.limit, q.offset).await?
    ))
}

/// The workspace's tags.
#[utoipa::path(get, path = "/tags", tag = "journal",
    responses((status = 200, body = Success<Vec<TagView>>)),
    security(("api_key" = []), ("session" = [])))]
pub async fn tags(State(state): State<AppState>, Authed(p): Authed) -> ApiResult<Vec<TagView>> {
    Ok(ok(trades::tags(&state.ctx, &p).await?))
}

/// Rename or recolour a tag (Admin and Owner); names are unique without regard to case.
#[utoipa::path(patch, path = "/tags/{id}", tag = "journal", params(("id" = Uuid, Path)), request_body = TagPatch,
    responses((status = 200, body = Success<TagView>), (status = 400, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 409, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn update_tag(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
    Json(patch): Json<TagPatch>,
) -> ApiResult<TagView> {
    Ok(ok(tag_admin::update(&state.ctx, &p, id, &patch).await?))
}

/// Delete a tag (Admin and Owner): it leaves every trade it was on.
#[utoipa::path(delete, path = "/tags/{id}", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Done>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn delete_tag(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Done> {
    tag_admin::delete(&state.ctx, &p, id).await?;
    Ok(ok(Done { done: true }))
}
