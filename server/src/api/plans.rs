//! Planned trades: `POST /analyses/{id}/plan` writes an analysis's entry, stop and target
//! into the journal; `GET /plans` lists them; `DELETE /plans/{id}` removes one.

use crate::api::accounts::Done;
use crate::api::auth::Authed;
use crate::api::envelope::{created, ok, ApiResult, Failure, Path, Success};
use app::journal_wire::PlanView;
use app::ssr::services::journal::plans;
use app::ssr::AppState;
use axum::extract::State;
use chrono::Utc;
use uuid::Uuid;

/// Send an analysis to the journal as a planned trade (its entry, stop and target).
/// A NEUTRAL analysis, or one without the three levels, is refused; one plan per analysis.
#[utoipa::path(post, path = "/analyses/{id}/plan", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 201, body = Success<PlanView>), (status = 400, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 409, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn from_analysis(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<PlanView> {
    Ok(created(
        plans::from_analysis(&state.ctx, &p, id, Utc::now()).await?,
    ))
}

/// The workspace's planned trades, newest first.
#[utoipa::path(get, path = "/plans", tag = "journal",
    responses((status = 200, body = Success<Vec<PlanView>>)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list(State(state): State<AppState>, Authed(p): Authed) -> ApiResult<Vec<PlanView>> {
    Ok(ok(plans::list(&state.ctx, &p).await?))
}

/// Delete a planned trade: one's own as a Member, anyone's as Admin or Owner.
#[utoipa::path(delete, path = "/plans/{id}", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Done>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Done> {
    plans::delete(&state.ctx, &p, id).await?;
    Ok(ok(Done { done: true }))
}
