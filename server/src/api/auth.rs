//! Who is calling the API: an `X-API-Key` header, else the session cookie.

use crate::api::envelope::ApiError;
use app::error::AppError;
use app::ssr::services::{api_keys, workspaces};
use app::ssr::session::{client_address, current_user};
use app::ssr::{AppState, Principal};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::Session;

pub const API_KEY_HEADER: &str = "x-api-key";

/// An authenticated caller acting in one workspace.
pub struct Authed(pub Principal);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ctx = &state.ctx;
        if let Some(key) = parts.headers.get(API_KEY_HEADER) {
            let key = key
                .to_str()
                .map_err(|_| AppError::unauthorized("Invalid or revoked API key"))?;
            let p = api_keys::authenticate(ctx, key, chrono::Utc::now()).await?;
            return Ok(Authed(p));
        }
        let session = session(parts, state).await?;
        let user = current_user(ctx, &session).await?.ok_or_else(|| {
            AppError::unauthorized("Authentication required: sign in or send an X-API-Key header")
        })?;
        Ok(Authed(workspaces::session_principal(ctx, user).await?))
    }
}

pub async fn session(parts: &mut Parts, state: &AppState) -> Result<Session, ApiError> {
    Session::from_request_parts(parts, state)
        .await
        .map_err(|_| ApiError(AppError::internal()))
}

/// The client address, for throttling.
pub struct Client(pub String);

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Client(client_address(
            parts,
            state.ctx.settings.trust_proxy,
        )))
    }
}
