//! /api/v1/api-keys: the caller's keys in their active workspace.

use crate::api::accounts::Done;
use crate::api::auth::Authed;
use crate::api::envelope::{created, ok, ApiResult, Failure, Json, Path, Success};
use app::model::{ApiKeyCreated, ApiKeyView};
use app::ssr::services::api_keys;
use app::ssr::AppState;
use axum::extract::State;
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct NewKeyBody {
    /// What the key is for, e.g. "backtest script".
    pub name: String,
}

/// Create an API key. The key is in the answer once; only its hash is kept.
#[utoipa::path(post, path = "/api-keys", tag = "api-keys", request_body = NewKeyBody,
    responses((status = 201, body = Success<ApiKeyCreated>), (status = 400, body = Failure), (status = 401, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(body): Json<NewKeyBody>,
) -> ApiResult<ApiKeyCreated> {
    Ok(created(
        api_keys::create(&state.ctx, &p, &body.name, Utc::now()).await?,
    ))
}

/// The caller's keys in the active workspace (never the keys themselves).
#[utoipa::path(get, path = "/api-keys", tag = "api-keys",
    responses((status = 200, body = Success<Vec<ApiKeyView>>), (status = 401, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list(State(state): State<AppState>, Authed(p): Authed) -> ApiResult<Vec<ApiKeyView>> {
    Ok(ok(api_keys::list(&state.ctx, &p).await?))
}

/// Revoke one of the caller's keys.
#[utoipa::path(delete, path = "/api-keys/{id}", tag = "api-keys",
    params(("id" = Uuid, Path, description = "Key id")),
    responses((status = 200, body = Success<Done>), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Done> {
    api_keys::revoke(&state.ctx, &p, id).await?;
    Ok(ok(Done { done: true }))
}
