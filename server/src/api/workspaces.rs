//! /api/v1/workspaces, members and invites.

use crate::api::accounts::Done;
use crate::api::auth::Authed;
use crate::api::envelope::{created, ok, ApiResult, Failure, Json, Path, Success};
use app::model::{InviteCreated, InvitePreview, InviteView, MemberView, WorkspaceView};
use app::ssr::services::workspaces as ws;
use app::ssr::AppState;
use axum::extract::State;
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct NameBody {
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
pub struct InviteBody {
    pub email: String,
    /// owner, admin, member or viewer
    #[schema(example = "viewer")]
    pub role: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RoleBody {
    #[schema(example = "admin")]
    pub role: String,
}

/// The caller's workspaces with their role in each.
#[utoipa::path(get, path = "/workspaces", tag = "workspaces",
    responses((status = 200, body = Success<Vec<WorkspaceView>>), (status = 401, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(p): Authed,
) -> ApiResult<Vec<WorkspaceView>> {
    Ok(ok(ws::list(&state.ctx, &p).await?))
}

/// Create a workspace owned by the caller.
#[utoipa::path(post, path = "/workspaces", tag = "workspaces", request_body = NameBody,
    responses((status = 201, body = Success<WorkspaceView>), (status = 400, body = Failure)),
    security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(body): Json<NameBody>,
) -> ApiResult<WorkspaceView> {
    Ok(created(
        ws::create(&state.ctx, &p, &body.name, Utc::now()).await?,
    ))
}

/// Rename a workspace (owners and admins).
#[utoipa::path(patch, path = "/workspaces/{id}", tag = "workspaces", request_body = NameBody,
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Done>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn rename(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
    Json(body): Json<NameBody>,
) -> ApiResult<Done> {
    ws::rename(&state.ctx, &p, id, &body.name).await?;
    Ok(ok(Done { done: true }))
}

/// Delete a workspace with all its data (owners; not the personal workspace).
#[utoipa::path(delete, path = "/workspaces/{id}", tag = "workspaces",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Done>), (status = 403, body = Failure), (status = 404, body = Failure), (status = 409, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Done> {
    ws::delete(&state.ctx, &p, id).await?;
    Ok(ok(Done { done: true }))
}

/// Members of a workspace the caller belongs to.
#[utoipa::path(get, path = "/workspaces/{id}/members", tag = "workspaces",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Vec<MemberView>>), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn members(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Vec<MemberView>> {
    Ok(ok(ws::members(&state.ctx, &p, id).await?))
}

/// Change a member's role (owners and admins; only owners touch owners).
#[utoipa::path(patch, path = "/workspaces/{id}/members/{user_id}", tag = "workspaces", request_body = RoleBody,
    params(("id" = Uuid, Path), ("user_id" = Uuid, Path)),
    responses((status = 200, body = Success<MemberView>), (status = 400, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure), (status = 409, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn change_role(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path((id, user_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<RoleBody>,
) -> ApiResult<MemberView> {
    Ok(ok(
        ws::change_role(&state.ctx, &p, id, user_id, &body.role).await?
    ))
}

/// Remove a member; removing yourself leaves the workspace.
#[utoipa::path(delete, path = "/workspaces/{id}/members/{user_id}", tag = "workspaces",
    params(("id" = Uuid, Path), ("user_id" = Uuid, Path)),
    responses((status = 200, body = Success<Done>), (status = 403, body = Failure), (status = 404, body = Failure), (status = 409, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn remove_member(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path((id, user_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Done> {
    ws::remove_member(&state.ctx, &p, id, user_id).await?;
    Ok(ok(Done { done: true }))
}

/// Invite someone by e-mail. The answer holds the one-time link.
#[utoipa::path(post, path = "/workspaces/{id}/invites", tag = "workspaces", request_body = InviteBody,
    params(("id" = Uuid, Path)),
    responses((status = 201, body = Success<InviteCreated>), (status = 400, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure), (status = 409, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn invite(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
    Json(body): Json<InviteBody>,
) -> ApiResult<InviteCreated> {
    Ok(created(
        ws::invite(&state.ctx, &p, id, &body.email, &body.role, Utc::now()).await?,
    ))
}

/// Pending invites of a workspace (owners and admins).
#[utoipa::path(get, path = "/workspaces/{id}/invites", tag = "workspaces",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Vec<InviteView>>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn invites(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Vec<InviteView>> {
    Ok(ok(ws::invites(&state.ctx, &p, id).await?))
}

/// Withdraw a pending invite.
#[utoipa::path(delete, path = "/workspaces/{id}/invites/{invite_id}", tag = "workspaces",
    params(("id" = Uuid, Path), ("invite_id" = Uuid, Path)),
    responses((status = 200, body = Success<Done>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn revoke_invite(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path((id, invite_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Done> {
    ws::revoke_invite(&state.ctx, &p, id, invite_id).await?;
    Ok(ok(Done { done: true }))
}

/// What an invite link offers (no sign-in needed: the token is the secret).
#[utoipa::path(get, path = "/invites/{token}", tag = "workspaces",
    params(("token" = String, Path)),
    responses((status = 200, body = Success<InvitePreview>), (status = 404, body = Failure), (status = 409, body = Failure)))]
pub async fn preview_invite(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<InvitePreview> {
    Ok(ok(ws::preview_invite(&state.ctx, &token, Utc::now()).await?))
}

/// Accept an invite as the signed-in user (whose e-mail must be the invited one).
#[utoipa::path(post, path = "/invites/{token}/accept", tag = "workspaces",
    params(("token" = String, Path)),
    responses((status = 200, body = Success<WorkspaceView>), (status = 403, body = Failure), (status = 404, body = Failure), (status = 409, body = Failure)),
    security(("session" = [])))]
pub async fn accept_invite(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(token): Path<String>,
) -> ApiResult<WorkspaceView> {
    Ok(ok(ws::accept_invite(
        &state.ctx,
        &p.user,
        &token,
        Utc::now(),
    )
    .await?))
}
