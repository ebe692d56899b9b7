//! Accounts, workspaces, members, invites, API keys.

use crate::error::AppError;
use crate::model::{
    ApiKeyCreated, ApiKeyView, InviteCreated, InvitePreview, InviteView, MeView, MemberView,
    WorkspaceView,
};
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::now;
#[cfg(feature = "ssr")]
use crate::ssr::{services, session as s};

/// The signed-in user with their workspaces, or None when signed out.
#[server]
pub async fn get_me() -> Result<Option<MeView>, AppError> {
    s::with_status(
        async {
            let ctx = s::context()?;
            let session = s::session().await?;
            let Some(user) = s::current_user(&ctx, &session).await? else {
                return Ok(None);
            };
            let p = services::workspaces::session_principal(&ctx, user).await?;
            services::workspaces::me(&ctx, &p).await.map(Some)
        }
        .await,
    )
}

#[server]
pub async fn sign_up(email: String, password: String, name: String) -> Result<(), AppError> {
    s::with_status(
        async {
            let ctx = s::context()?;
            let session = s::session().await?;
            let (user, _) = services::auth::signup(&ctx, &email, &password, &name, now()).await?;
            s::sign_in(&session, &user).await
        }
        .await,
    )
}

#[server]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    s::with_status(
        async {
            let ctx = s::context()?;
            let session = s::session().await?;
            let client = s::request_client();
            let user = services::auth::login(&ctx, &email, &password, &client, now()).await?;
            s::sign_in(&session, &user).await
        }
        .await,
    )
}

#[server]
pub async fn sign_out() -> Result<(), AppError> {
    s::with_status(async { s::sign_out(&s::session().await?).await }.await)
}

#[server]
pub async fn update_profile(name: String) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::auth::update_profile(&ctx, &p.user, &name).await
        }
        .await,
    )
}

#[server]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, session) = s::principal().await?;
            let epoch =
                services::auth::change_password(&ctx, &p.user, &current_password, &new_password)
                    .await?;
            s::renew(&session, p.user.id, epoch).await
        }
        .await,
    )
}

#[server]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, session) = s::principal().await?;
            services::auth::delete_account(&ctx, &p.user, &password).await?;
            s::sign_out(&session).await
        }
        .await,
    )
}

#[server]
pub async fn switch_workspace(workspace_id: Uuid) -> Result<WorkspaceView, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::workspaces::switch(&ctx, &p, workspace_id).await
        }
        .await,
    )
}

#[server]
pub async fn create_workspace(name: String) -> Result<WorkspaceView, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            let ws = services::workspaces::create(&ctx, &p, &name, now()).await?;
            services::workspaces::switch(&ctx, &p, ws.id).await
        }
        .await,
    )
}

#[server]
pub async fn rename_workspace(workspace_id: Uuid, name: String) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::workspaces::rename(&ctx, &p, workspace_id, &name).await
        }
        .await,
    )
}

#[server]
pub async fn list_members(workspace_id: Uuid) -> Result<Vec<MemberView>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::workspaces::members(&ctx, &p, workspace_id).await
        }
        .await,
    )
}

#[server]
pub async fn change_member_role(
    workspace_id: Uuid,
    user_id: Uuid,
    role: String,
) -> Result<MemberView, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::workspaces::change_role(&ctx, &p, workspace_id, user_id, &role).await
        }
        .await,
    )
}

#[server]
pub async fn remove_member(workspace_id: Uuid, user_id: Uuid) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::workspaces::remove_member(&ctx, &p, workspace_id, user_id).await
        }
        .await,
    )
}

#[server]
pub async fn list_invites(workspace_id: Uuid) -> Result<Vec<InviteView>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::workspaces::invites(&ctx, &p, workspace_id).await
        }
        .await,
    )
}

#[server]
pub async fn create_invite(
    workspace_id: Uuid,
    email: String,
    role: String,
) -> Result<InviteCreated, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::workspaces::invite(&ctx, &p, workspace_id, &email, &role, now()).await
        }
        .await,
    )
}

#[server]
pub async fn revoke_invite(workspace_id: Uuid, invite_id: Uuid) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::workspaces::revoke_invite(&ctx, &p, workspace_id, invite_id).await
        }
        .await,
    )
}

#[server]
pub async fn preview_invite(token: String) -> Result<InvitePreview, AppError> {
    s::with_status(
        async {
            let ctx = s::context()?;
            services::workspaces::preview_invite(&ctx, &token, now()).await
        }
        .await,
    )
}

#[server]
pub async fn accept_invite(token: String) -> Result<WorkspaceView, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::workspaces::accept_invite(&ctx, &p.user, &token, now()).await
        }
        .await,
    )
}

#[server]
pub async fn list_api_keys() -> Result<Vec<ApiKeyView>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::api_keys::list(&ctx, &p).await
        }
        .await,
    )
}

#[server]
pub async fn create_api_key(name: String) -> Result<ApiKeyCreated, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::api_keys::create(&ctx, &p, &name, now()).await
        }
        .await,
    )
}

#[server]
pub async fn revoke_api_key(id: Uuid) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::api_keys::revoke(&ctx, &p, id).await
        }
        .await,
    )
}
