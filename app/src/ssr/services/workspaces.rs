//! Workspaces, members, roles and invites. A user outside a workspace gets NOT_FOUND for
//! anything in it (never FORBIDDEN), so ids cannot be probed across tenants.

use crate::error::AppError;
use crate::model::{InviteCreated, InvitePreview, InviteView, MeView, MemberView, WorkspaceView};
use crate::roles::{may_assign_role, may_invite_as, Action, Role};
use crate::ssr::context::{AuthMethod, Principal, ServerContext};
use crate::ssr::services::views::{
    invite_view, member_view, stored_role, user_view, workspace_view,
};
use crate::ssr::store::{InviteRow, MembershipRow, UserRow, WorkspaceRow};
use crate::ssr::tokens;
use crate::validate::{Email, Name};
use chrono::{DateTime, Utc};
use uuid::Uuid;

const WORKSPACE: &str = "Workspace";

/// The workspace a signed-in user acts in: the stored active one if they still belong to
/// it, else their first membership (personal workspaces sort first).
pub async fn active_membership(
    ctx: &ServerContext,
    user: &UserRow,
) -> Result<MembershipRow, AppError> {
    if let Some(id) = user.active_workspace_id {
        if let Some(m) = ctx.store.membership(id, user.id).await? {
            return Ok(m);
        }
    }
    let first = ctx.store.memberships(user.id).await?.into_iter().next();
    let m = match first {
        Some(m) => m,
        // Everyone always has somewhere to work: a user who left or handed over every
        // workspace gets a fresh personal one.
        None => {
            let ws = WorkspaceRow {
                id: Uuid::new_v4(),
                name: format!("{}'s workspace", user.name),
                plan: "free".into(),
                personal: true,
                created_at: chrono::Utc::now(),
            };
            ctx.store.create_workspace(&ws, user.id).await?;
            MembershipRow {
                workspace: ws,
                role: Role::Owner.as_str().into(),
            }
        }
    };
    ctx.store
        .set_active_workspace(user.id, m.workspace.id)
        .await?;
    Ok(m)
}

/// The principal for a session: the user in their active workspace.
pub async fn session_principal(ctx: &ServerContext, user: UserRow) -> Result<Principal, AppError> {
    let m = active_membership(ctx, &user).await?;
    Ok(Principal {
        role: stored_role(&m.role)?,
        workspace_id: m.workspace.id,
        user,
        method: AuthMethod::Session,
    })
}

/// The caller's role in `workspace_id`, or NOT_FOUND if they are not a member. API keys
/// are bound to one workspace and see no other.
pub async fn role_in(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
) -> Result<Role, AppError> {
    if matches!(p.method, AuthMethod::ApiKey(_)) && workspace_id != p.workspace_id {
        return Err(AppError::not_found(WORKSPACE));
    }
    let m = ctx
        .store
        .membership(workspace_id, p.user.id)
        .await?
        .ok_or_else(|| AppError::not_found(WORKSPACE))?;
    stored_role(&m.role)
}

async fn require_in(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
    action: Action,
) -> Result<Role, AppError> {
    let role = role_in(ctx, p, workspace_id).await?;
    if !role.can(action) {
        return Err(AppError::forbidden(format!(
            "Your role ({}) does not allow this in this workspace",
            role.label()
        )));
    }
    Ok(role)
}

pub async fn me(ctx: &ServerContext, p: &Principal) -> Result<MeView, AppError> {
    let all = ctx.store.memberships(p.user.id).await?;
    let visible: Vec<_> = all
        .iter()
        .filter(|m| match p.method {
            AuthMethod::ApiKey(_) => m.workspace.id == p.workspace_id,
            AuthMethod::Session => true,
        })
        .map(workspace_view)
        .collect::<Result<_, _>>()?;
    let active = visible
        .iter()
        .find(|w| w.id == p.workspace_id)
        .cloned()
        .ok_or_else(|| AppError::not_found(WORKSPACE))?;
    Ok(MeView {
        user: user_view(&p.user),
        workspaces: visible,
        active_workspace: active,
    })
}

pub async fn list(ctx: &ServerContext, p: &Principal) -> Result<Vec<WorkspaceView>, AppError> {
    Ok(me(ctx, p).await?.workspaces)
}

pub async fn create(
    ctx: &ServerContext,
    p: &Principal,
    name: &str,
    now: DateTime<Utc>,
) -> Result<WorkspaceView, AppError> {
    if matches!(p.method, AuthMethod::ApiKey(_)) {
        return Err(AppError::forbidden(
            "API keys act inside one workspace; create workspaces from a signed-in session",
        ));
    }
    let name = Name::parse(name, "name", "workspace name")?;
    let ws = WorkspaceRow {
        id: Uuid::new_v4(),
        name: name.as_str().to_string(),
        plan: "free".into(),
        personal: false,
        created_at: now,
    };
    ctx.store.create_workspace(&ws, p.user.id).await?;
    workspace_view(&MembershipRow {
        workspace: ws,
        role: Role::Owner.as_str().into(),
    })
}

pub async fn switch(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
) -> Result<WorkspaceView, AppError> {
    role_in(ctx, p, workspace_id).await?;
    ctx.store
        .set_active_workspace(p.user.id, workspace_id)
        .await?;
    let m = ctx
        .store
        .membership(workspace_id, p.user.id)
        .await?
        .ok_or_else(|| AppError::not_found(WORKSPACE))?;
    workspace_view(&m)
}

pub async fn rename(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
    name: &str,
) -> Result<(), AppError> {
    require_in(ctx, p, workspace_id, Action::ManageWorkspace).await?;
    let name = Name::parse(name, "name", "workspace name")?;
    Ok(ctx
        .store
        .rename_workspace(workspace_id, name.as_str())
        .await?)
}

pub async fn delete(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
) -> Result<(), AppError> {
    require_in(ctx, p, workspace_id, Action::DeleteWorkspace).await?;
    let m = ctx
        .store
        .membership(workspace_id, p.user.id)
        .await?
        .ok_or_else(|| AppError::not_found(WORKSPACE))?;
    if m.workspace.personal {
        return Err(AppError::conflict(
            "Your personal workspace goes only with your account",
        ));
    }
    Ok(ctx.store.delete_workspace(workspace_id).await?)
}

pub async fn members(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
) -> Result<Vec<MemberView>, AppError> {
    role_in(ctx, p, workspace_id).await?;
    ctx.store
        .members(workspace_id)
        .await?
        .iter()
        .map(member_view)
        .collect()
}

async fn target_role(
    ctx: &ServerContext,
    workspace_id: Uuid,
    user_id: Uuid,
) -> Result<Role, AppError> {
    let m = ctx
        .store
        .membership(workspace_id, user_id)
        .await?
        .ok_or_else(|| AppError::not_found("Member"))?;
    stored_role(&m.role)
}

/// Refuses to leave a workspace with no owner.
async fn keep_an_owner(
    ctx: &ServerContext,
    workspace_id: Uuid,
    losing: Role,
) -> Result<(), AppError> {
    if losing == Role::Owner && ctx.store.count_owners(workspace_id).await? <= 1 {
        return Err(AppError::conflict(
            "A workspace needs at least one owner. Make someone else an owner first.",
        ));
    }
    Ok(())
}

pub async fn change_role(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
    user_id: Uuid,
    new_role: &str,
) -> Result<MemberView, AppError> {
    let actor = require_in(ctx, p, workspace_id, Action::ManageMembers).await?;
    let new_role: Role = new_role
        .parse()
        .map_err(|e: String| AppError::invalid("role", e))?;
    let current = target_role(ctx, workspace_id, user_id).await?;
    if !may_assign_role(actor, current, new_role) {
        return Err(AppError::forbidden(
            "Admins cannot change an owner's role or make new owners",
        ));
    }
    if new_role != Role::Owner {
        keep_an_owner(ctx, workspace_id, current).await?;
    }
    ctx.store
        .set_member_role(workspace_id, user_id, new_role.as_str())
        .await?;
    let members = ctx.store.members(workspace_id).await?;
    let m = members
        .iter()
        .find(|m| m.user_id == user_id)
        .ok_or_else(|| AppError::not_found("Member"))?;
    member_view(m)
}

/// Removes a member; removing yourself is leaving.
pub async fn remove_member(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
    user_id: Uuid,
) -> Result<(), AppError> {
    if user_id == p.user.id {
        return leave(ctx, p, workspace_id).await;
    }
    let actor = require_in(ctx, p, workspace_id, Action::ManageMembers).await?;
    let current = target_role(ctx, workspace_id, user_id).await?;
    if actor != Role::Owner && current == Role::Owner {
        return Err(AppError::forbidden("Only an owner can remove an owner"));
    }
    keep_an_owner(ctx, workspace_id, current).await?;
    ctx.store.remove_member(workspace_id, user_id).await?;
    Ok(())
}

pub async fn leave(ctx: &ServerContext, p: &Principal, workspace_id: Uuid) -> Result<(), AppError> {
    let role = role_in(ctx, p, workspace_id).await?;
    keep_an_owner(ctx, workspace_id, role).await?;
    ctx.store.remove_member(workspace_id, p.user.id).await?;
    Ok(())
}

pub async fn invite(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
    email: &str,
    role: &str,
    now: DateTime<Utc>,
) -> Result<InviteCreated, AppError> {
    let actor = require_in(ctx, p, workspace_id, Action::ManageMembers).await?;
    let email = Email::parse(email)?;
    let role: Role = role
        .parse()
        .map_err(|e: String| AppError::invalid("role", e))?;
    if !may_invite_as(actor, role) {
        return Err(AppError::forbidden(
            "Only an owner can invite another owner",
        ));
    }
    let already = ctx
        .store
        .members(workspace_id)
        .await?
        .into_iter()
        .any(|m| m.email == email.as_str());
    if already {
        return Err(AppError::conflict(format!(
            "{} is already a member of this workspace",
            email.as_str()
        ))
        .with_details(serde_json::json!({ "field": "email" })));
    }
    let token = tokens::random_token(32);
    let row = InviteRow {
        id: Uuid::new_v4(),
        workspace_id,
        email: email.as_str().to_string(),
        role: role.as_str().to_string(),
        token_hash: tokens::sha256_hex(&token),
        invited_by: p.user.id,
        expires_at: now + ctx.settings.invite_ttl,
        accepted_at: None,
        created_at: now,
    };
    ctx.store.create_invite(&row).await?;
    Ok(InviteCreated {
        id: row.id,
        url: format!("{}/invite/{token}", ctx.settings.public_url),
        token,
        expires_at: row.expires_at,
    })
}

pub async fn invites(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
) -> Result<Vec<InviteView>, AppError> {
    require_in(ctx, p, workspace_id, Action::ManageMembers).await?;
    ctx.store
        .invites(workspace_id)
        .await?
        .iter()
        .filter(|i| i.accepted_at.is_none())
        .map(invite_view)
        .collect()
}

pub async fn revoke_invite(
    ctx: &ServerContext,
    p: &Principal,
    workspace_id: Uuid,
    invite_id: Uuid,
) -> Result<(), AppError> {
    require_in(ctx, p, workspace_id, Action::ManageMembers).await?;
    if ctx.store.delete_invite(workspace_id, invite_id).await? {
        Ok(())
    } else {
        Err(AppError::not_found("Invite"))
    }
}

/// Finds a usable invite by its token, with a message that says what is wrong with it.
async fn usable_invite(
    ctx: &ServerContext,
    token: &str,
    now: DateTime<Utc>,
) -> Result<InviteRow, AppError> {
    let invalid = || {
        AppError::not_found("Invite").with_details(serde_json::json!({
            "reason": "This invite link is not valid. Ask for a new one."
        }))
    };
    if token.is_empty() || token.len() > 128 {
        return Err(invalid());
    }
    let invite = ctx
        .store
        .invite_by_token_hash(&tokens::sha256_hex(token))
        .await?
        .ok_or_else(invalid)?;
    if invite.accepted_at.is_some() {
        return Err(AppError::conflict("This invite has already been used"));
    }
    if invite.expires_at <= now {
        return Err(AppError::conflict(format!(
            "This invite expired on {}. Ask for a new one.",
            invite.expires_at.format("%Y-%m-%d %H:%M UTC")
        )));
    }
    Ok(invite)
}

pub async fn preview_invite(
    ctx: &ServerContext,
    token: &str,
    now: DateTime<Utc>,
) -> Result<InvitePreview, AppError> {
    let invite = usable_invite(ctx, token, now).await?;
    let name = ctx
        .store
        .memberships(invite.invited_by)
        .await?
        .into_iter()
        .find(|m| m.workspace.id == invite.workspace_id)
        .map(|m| m.workspace.name)
        .unwrap_or_else(|| "a workspace".into());
    Ok(InvitePreview {
        workspace_name: name,
        email: invite.email.clone(),
        role: stored_role(&invite.role)?,
        expires_at: invite.expires_at,
    })
}

/// Accepts an invite for the signed-in user, whose e-mail must be the invited one (so a
/// forwarded link does not let someone else in), and makes that workspace active.
pub async fn accept_invite(
    ctx: &ServerContext,
    user: &UserRow,
    token: &str,
    now: DateTime<Utc>,
) -> Result<WorkspaceView, AppError> {
    let invite = usable_invite(ctx, token, now).await?;
    if invite.email != user.email {
        return Err(AppError::forbidden(format!(
            "This invite is for {}, but you are signed in as {}",
            invite.email, user.email
        )));
    }
    if !ctx.store.accept_invite(&invite, user.id, now).await? {
        return Err(AppError::conflict("This invite has already been used"));
    }
    ctx.store
        .set_active_workspace(user.id, invite.workspace_id)
        .await?;
    let m = ctx
        .store
        .membership(invite.workspace_id, user.id)
        .await?
        .ok_or_else(|| AppError::not_found(WORKSPACE))?;
    workspace_view(&m)
}
