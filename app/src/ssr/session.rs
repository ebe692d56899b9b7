//! Sessions: who is signed in, sign-in with id rotation, sign-out, and the helpers server
//! functions use to reach the context from inside Leptos.

use crate::error::AppError;
use crate::ssr::context::{session_keys, Principal, ServerContext};
use crate::ssr::services::workspaces;
use crate::ssr::store::UserRow;
use crate::ssr::AppState;
use tower_sessions::Session;
use uuid::Uuid;

fn session_failure(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store failure");
    AppError::internal()
}

/// The signed-in user, if the session names one whose password has not changed since.
/// A stale session is emptied so its cookie stops being sent back.
pub async fn current_user(
    ctx: &ServerContext,
    session: &Session,
) -> Result<Option<UserRow>, AppError> {
    let uid: Option<Uuid> = session
        .get(session_keys::USER_ID)
        .await
        .map_err(session_failure)?;
    let Some(uid) = uid else { return Ok(None) };
    let epoch: Option<i64> = session
        .get(session_keys::EPOCH)
        .await
        .map_err(session_failure)?;
    match ctx.store.user_by_id(uid).await? {
        Some(user) if Some(user.session_epoch) == epoch => Ok(Some(user)),
        _ => {
            session.flush().await.map_err(session_failure)?;
            Ok(None)
        }
    }
}

/// Starts an authenticated session under a new id (session fixation defence).
pub async fn sign_in(session: &Session, user: &UserRow) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_failure)?;
    session
        .insert(session_keys::USER_ID, user.id)
        .await
        .map_err(session_failure)?;
    session
        .insert(session_keys::EPOCH, user.session_epoch)
        .await
        .map_err(session_failure)
}

/// Re-issues the session after a password change, carrying the new epoch.
pub async fn renew(session: &Session, user_id: Uuid, epoch: i64) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_failure)?;
    session
        .insert(session_keys::USER_ID, user_id)
        .await
        .map_err(session_failure)?;
    session
        .insert(session_keys::EPOCH, epoch)
        .await
        .map_err(session_failure)
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_failure)
}

/// The client's address for throttling: the socket peer, or the first X-Forwarded-For hop
/// when the server is configured to sit behind a trusted proxy.
pub fn client_address(parts: &http::request::Parts, trust_proxy: bool) -> String {
    if trust_proxy {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let Some(ip) = forwarded {
            return ip.to_string();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

// --- inside server functions -----------------------------------------------------------

pub fn context() -> Result<ServerContext, AppError> {
    leptos::prelude::use_context::<AppState>()
        .map(|s| s.ctx)
        .ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            AppError::internal()
        })
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer");
        AppError::internal()
    })
}

pub fn request_client() -> String {
    let trust = leptos::prelude::use_context::<AppState>()
        .map(|s| s.ctx.settings.trust_proxy)
        .unwrap_or(false);
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|p| client_address(&p, trust))
        .unwrap_or_else(|| "unknown".into())
}

/// The signed-in principal for a server function, or UNAUTHORIZED.
pub async fn principal() -> Result<(ServerContext, Principal, Session), AppError> {
    let ctx = context()?;
    let session = session().await?;
    let user = current_user(&ctx, &session)
        .await?
        .ok_or_else(|| AppError::unauthorized("Please sign in"))?;
    let p = workspaces::session_principal(&ctx, user).await?;
    Ok((ctx, p, session))
}

/// Gives a server function's error response the status its code stands for.
pub fn with_status<T>(r: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &r {
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = http::StatusCode::from_u16(e.status()) {
                opts.set_status(status);
            }
        }
    }
    r
}
