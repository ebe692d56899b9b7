//! /api/v1/strategies: strategies saved in the caller's workspace.

use crate::api::accounts::Done;
use crate::api::auth::Authed;
use crate::api::envelope::{created, ok, ApiResult, Failure, Json, Path, Success};
use app::model::SavedStrategy;
use app::options::StrategySpec;
use app::ssr::services::strategies;
use app::ssr::AppState;
use axum::extract::State;
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct StrategyBody {
    pub name: String,
    pub spec: StrategySpec,
}

/// Saved strategies of the workspace, newest first.
#[utoipa::path(get, path = "/strategies", tag = "strategies",
    responses((status = 200, body = Success<Vec<SavedStrategy>>), (status = 401, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(p): Authed,
) -> ApiResult<Vec<SavedStrategy>> {
    Ok(ok(strategies::list(&state.ctx, &p).await?))
}

/// Save a strategy (it must price: errors name the leg and field).
#[utoipa::path(post, path = "/strategies", tag = "strategies", request_body = StrategyBody,
    responses((status = 201, body = Success<SavedStrategy>), (status = 400, body = Failure), (status = 403, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(b): Json<StrategyBody>,
) -> ApiResult<SavedStrategy> {
    Ok(created(
        strategies::save(&state.ctx, &p, None, &b.name, &b.spec, Utc::now()).await?,
    ))
}

#[utoipa::path(get, path = "/strategies/{id}", tag = "strategies", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<SavedStrategy>), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<SavedStrategy> {
    Ok(ok(strategies::get(&state.ctx, &p, id).await?))
}

/// Replace a saved strategy (its author, or an admin/owner).
#[utoipa::path(put, path = "/strategies/{id}", tag = "strategies", params(("id" = Uuid, Path)),
    request_body = StrategyBody,
    responses((status = 200, body = Success<SavedStrategy>), (status = 400, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn replace(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
    Json(b): Json<StrategyBody>,
) -> ApiResult<SavedStrategy> {
    Ok(ok(strategies::save(
        &state.ctx,
        &p,
        Some(id),
        &b.name,
        &b.spec,
        Utc::now(),
    )
    .await?))
}

#[utoipa::path(delete, path = "/strategies/{id}", tag = "strategies", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Done>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Done> {
    strategies::delete(&state.ctx, &p, id).await?;
    Ok(ok(Done { done: true }))
}
