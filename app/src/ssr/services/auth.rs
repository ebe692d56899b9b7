//! Accounts: sign-up, sign-in with throttling, password change, profile, deletion.

use crate::error::AppError;
use crate::model::SignupResult;
use crate::ssr::context::ServerContext;
use crate::ssr::password;
use crate::ssr::services::views::{user_view, workspace_view};
use crate::ssr::store::{MembershipRow, UserRow, WorkspaceRow};
use crate::validate::{Email, Name, Password};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The one message for an unknown e-mail and a wrong password, so sign-in cannot be used
/// to learn who has an account.
pub const BAD_CREDENTIALS: &str = "Incorrect e-mail or password";

pub async fn signup(
    ctx: &ServerContext,
    email: &str,
    password: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(UserRow, SignupResult), AppError> {
    let name = Name::parse(name, "name", "name")?;
    let email = Email::parse(email)?;
    let password = Password::parse_new(password, "password")?;
    if ctx.store.user_by_email(email.as_str()).await?.is_some() {
        return Err(AppError::conflict(
            "An account with this e-mail already exists. Sign in instead.",
        )
        .with_details(serde_json::json!({ "field": "email" })));
    }
    let hash = password::hash_blocking(password.expose().to_string()).await?;
    let user = UserRow {
        id: Uuid::new_v4(),
        email: email.as_str().to_string(),
        name: name.as_str().to_string(),
        password_hash: hash,
        session_epoch: 0,
        active_workspace_id: None,
        created_at: now,
    };
    let workspace = WorkspaceRow {
        id: Uuid::new_v4(),
        name: format!("{}'s workspace", name.as_str()),
        plan: "free".into(),
        personal: true,
        created_at: now,
    };
    // Two sign-ups racing for one address: the unique index decides, as a Conflict.
    ctx.store
        .create_user_with_workspace(&user, &workspace)
        .await
        .map_err(|e| match e {
            crate::ssr::store::StoreError::Conflict(_) => {
                AppError::conflict("An account with this e-mail already exists. Sign in instead.")
            }
            other => other.into(),
        })?;
    let membership = MembershipRow {
        workspace,
        role: "owner".into(),
    };
    let result = SignupResult {
        user: user_view(&user),
        workspace: workspace_view(&membership)?,
    };
    let user = UserRow {
        active_workspace_id: Some(membership.workspace.id),
        ..user
    };
    Ok((user, result))
}

fn retry_after(ctx: &ServerContext, window_start: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    let until = window_start + ctx.settings.login_window;
    (until - now).num_seconds().max(1) as u64
}

/// Refuses the attempt when either key has used up its failures in the current window.
async fn check_throttle(
    ctx: &ServerContext,
    keys: &[(&str, i64)],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let floor = now - ctx.settings.login_window;
    for (key, limit) in keys {
        if let Some(w) = ctx.store.throttle_window(key).await? {
            if w.window_start > floor && w.failures >= *limit {
                return Err(AppError::rate_limited(retry_after(
                    ctx,
                    w.window_start,
                    now,
                )));
            }
        }
    }
    Ok(())
}

/// Signs in. Failures count against both the account and the client address; a success
/// clears the account's count (the address keeps its count, so one attacker spraying
/// many accounts is still slowed).
pub async fn login(
    ctx: &ServerContext,
    email: &str,
    password: &str,
    client: &str,
    now: DateTime<Utc>,
) -> Result<UserRow, AppError> {
    let email = Email::parse(email)?;
    let password = Password::parse_existing(password, "password")?;
    let account_key = format!("login:acct:{}", email.as_str());
    let ip_key = format!("login:ip:{client}");
    let s = &ctx.settings;
    check_throttle(
        ctx,
        &[
            (&account_key, s.max_failures_per_account),
            (&ip_key, s.max_failures_per_ip),
        ],
        now,
    )
    .await?;

    let user = ctx.store.user_by_email(email.as_str()).await?;
    let phc = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::decoy_hash().to_string());
    let ok = password::verify_blocking(password.expose().to_string(), phc).await;
    match user {
        Some(user) if ok => {
            ctx.store.clear_failures(&account_key).await?;
            Ok(user)
        }
        _ => {
            let floor = now - s.login_window;
            ctx.store.record_failure(&account_key, now, floor).await?;
            ctx.store.record_failure(&ip_key, now, floor).await?;
            Err(AppError::unauthorized(BAD_CREDENTIALS))
        }
    }
}

/// Changes the password and returns the new session epoch: every other session of this
/// user stops working, and the caller re-issues its own.
pub async fn change_password(
    ctx: &ServerContext,
    user: &UserRow,
    current: &str,
    new: &str,
) -> Result<i64, AppError> {
    let current = Password::parse_existing(current, "current_password")?;
    let new = Password::parse_new(new, "new_password")?;
    if !password::verify_blocking(current.expose().to_string(), user.password_hash.clone()).await {
        return Err(AppError::invalid(
            "current_password",
            "Your current password is not correct",
        ));
    }
    if current.expose() == new.expose() {
        return Err(AppError::invalid(
            "new_password",
            "The new password must differ from the current one",
        ));
    }
    let hash = password::hash_blocking(new.expose().to_string()).await?;
    Ok(ctx.store.update_password(user.id, &hash).await?)
}

pub async fn update_profile(
    ctx: &ServerContext,
    user: &UserRow,
    name: &str,
) -> Result<(), AppError> {
    let name = Name::parse(name, "name", "name")?;
    Ok(ctx.store.update_user_name(user.id, name.as_str()).await?)
}

/// Deletes the account after re-checking the password. Workspaces where the user is alone
/// go with it; a workspace they alone own but share with others must be handed over first.
pub async fn delete_account(
    ctx: &ServerContext,
    user: &UserRow,
    password: &str,
) -> Result<(), AppError> {
    let password = Password::parse_existing(password, "password")?;
    if !password::verify_blocking(password.expose().to_string(), user.password_hash.clone()).await {
        return Err(AppError::invalid(
            "password",
            "That password is not correct",
        ));
    }
    let blocking = ctx.store.sole_owned_shared_workspaces(user.id).await?;
    if !blocking.is_empty() {
        let names: Vec<_> = blocking.iter().map(|w| w.name.as_str()).collect();
        return Err(AppError::conflict(format!(
            "You are the only owner of {}. Make another member an owner first.",
            names.join(", ")
        )));
    }
    Ok(ctx.store.delete_user(user.id).await?)
}
