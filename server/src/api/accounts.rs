//! /api/v1/auth/* and /api/v1/me: sign-up, sign-in, sign-out, the caller's profile.

use crate::api::auth::{session, Authed, Client};
use crate::api::envelope::{created, ok, ApiError, ApiResult, Failure, Json, Success};
use app::error::AppError;
use app::model::{MeView, SignupResult, UserView, WorkspaceView};
use app::ssr::services::{auth, workspaces};
use app::ssr::session as sess;
use app::ssr::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct SignupBody {
    #[schema(example = "ana@example.com")]
    pub email: String,
    /// At least 10 characters.
    #[schema(example = "correct horse battery")]
    pub password: String,
    #[schema(example = "Ana")]
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ProfileBody {
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordBody {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ConfirmBody {
    /// The account's password, to confirm.
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ActiveWorkspaceBody {
    pub workspace_id: Uuid,
}

#[derive(Serialize, ToSchema)]
pub struct Done {
    pub done: bool,
}

/// The session of the request (the layer is always installed).
pub struct Sess(pub Session);

impl FromRequestParts<AppState> for Sess {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Sess(session(parts, state).await?))
    }
}

/// Create an account and its personal workspace, and sign in.
#[utoipa::path(post, path = "/auth/signup", tag = "accounts", request_body = SignupBody,
    responses(
        (status = 201, description = "Account created; the session cookie is set", body = Success<SignupResult>),
        (status = 400, description = "Invalid e-mail, password or name", body = Failure),
        (status = 409, description = "E-mail already registered", body = Failure),
    ))]
pub async fn signup(
    State(state): State<AppState>,
    Sess(session): Sess,
    Json(body): Json<SignupBody>,
) -> ApiResult<SignupResult> {
    let (user, result) = auth::signup(
        &state.ctx,
        &body.email,
        &body.password,
        &body.name,
        Utc::now(),
    )
    .await?;
    sess::sign_in(&session, &user).await?;
    Ok(created(result))
}

/// Sign in with e-mail and password. Throttled per account and per client address.
#[utoipa::path(post, path = "/auth/login", tag = "accounts", request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Success<MeView>),
        (status = 401, description = "Incorrect e-mail or password", body = Failure),
        (status = 429, description = "Too many failures; see Retry-After", body = Failure),
    ))]
pub async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    Sess(session): Sess,
    Json(body): Json<LoginBody>,
) -> ApiResult<MeView> {
    let ctx = &state.ctx;
    let user = auth::login(ctx, &body.email, &body.password, &client, Utc::now()).await?;
    sess::sign_in(&session, &user).await?;
    let p = workspaces::session_principal(ctx, user).await?;
    Ok(ok(workspaces::me(ctx, &p).await?))
}

/// Sign out (ends the session; harmless when not signed in).
#[utoipa::path(post, path = "/auth/logout", tag = "accounts",
    responses((status = 200, description = "Signed out", body = Success<Done>)))]
pub async fn logout(Sess(session): Sess) -> ApiResult<Done> {
    sess::sign_out(&session).await?;
    Ok(ok(Done { done: true }))
}

/// The caller, their workspaces with roles, and the active workspace. With an API key,
/// only the key's workspace is listed.
#[utoipa::path(get, path = "/me", tag = "accounts",
    responses(
        (status = 200, body = Success<MeView>),
        (status = 401, body = Failure),
    ),
    security(("api_key" = []), ("session" = [])))]
pub async fn me(State(state): State<AppState>, Authed(p): Authed) -> ApiResult<MeView> {
    Ok(ok(workspaces::me(&state.ctx, &p).await?))
}

/// Change the caller's name.
#[utoipa::path(patch, path = "/me", tag = "accounts", request_body = ProfileBody,
    responses((status = 200, body = Success<UserView>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn update_me(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(body): Json<ProfileBody>,
) -> ApiResult<UserView> {
    auth::update_profile(&state.ctx, &p.user, &body.name).await?;
    let user = state
        .ctx
        .store
        .user_by_id(p.user.id)
        .await
        .map_err(AppError::from)?
        .ok_or_else(|| AppError::not_found("User"))?;
    Ok(ok(app::ssr::services::views::user_view(&user)))
}

/// Delete the caller's account (password required) with every workspace where they are
/// the only member.
#[utoipa::path(delete, path = "/me", tag = "accounts", request_body = ConfirmBody,
    responses(
        (status = 200, body = Success<Done>),
        (status = 400, description = "Wrong password", body = Failure),
        (status = 409, description = "Sole owner of a shared workspace", body = Failure),
    ),
    security(("session" = [])))]
pub async fn delete_me(
    State(state): State<AppState>,
    Authed(p): Authed,
    Sess(session): Sess,
    Json(body): Json<ConfirmBody>,
) -> ApiResult<Done> {
    require_session(&p)?;
    auth::delete_account(&state.ctx, &p.user, &body.password).await?;
    sess::sign_out(&session).await?;
    Ok(ok(Done { done: true }))
}

/// Change the caller's password. Every other session of the account ends.
#[utoipa::path(post, path = "/me/password", tag = "accounts", request_body = PasswordBody,
    responses((status = 200, body = Success<Done>), (status = 400, body = Failure)),
    security(("session" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    Authed(p): Authed,
    Sess(session): Sess,
    Json(body): Json<PasswordBody>,
) -> ApiResult<Done> {
    require_session(&p)?;
    let epoch = auth::change_password(
        &state.ctx,
        &p.user,
        &body.current_password,
        &body.new_password,
    )
    .await?;
    sess::renew(&session, p.user.id, epoch).await?;
    Ok(ok(Done { done: true }))
}

/// Make another of the caller's workspaces the active one.
#[utoipa::path(put, path = "/me/active-workspace", tag = "accounts", request_body = ActiveWorkspaceBody,
    responses((status = 200, body = Success<WorkspaceView>), (status = 404, body = Failure)),
    security(("session" = [])))]
pub async fn set_active_workspace(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(body): Json<ActiveWorkspaceBody>,
) -> ApiResult<WorkspaceView> {
    require_session(&p)?;
    Ok(ok(
        workspaces::switch(&state.ctx, &p, body.workspace_id).await?
    ))
}

/// Account-level changes need the account holder, not a script holding a key.
fn require_session(p: &app::ssr::Principal) -> Result<(), ApiError> {
    match p.method {
        app::ssr::context::AuthMethod::Session => Ok(()),
        app::ssr::context::AuthMethod::ApiKey(_) => Err(ApiError(AppError::forbidden(
            "This needs a signed-in session; API keys cannot change the account",
        ))),
    }
}
