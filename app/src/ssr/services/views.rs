//! Row → wire conversions, in one place.

use crate::error::AppError;
use crate::model::{ApiKeyView, InviteView, MemberView, UserView, WorkspaceView};
use crate::roles::Role;
use crate::ssr::store::{ApiKeyRow, InviteRow, MemberRow, MembershipRow, UserRow};

/// A role string from the database. Anything else is corrupt data: logged, and a 500.
pub fn stored_role(raw: &str) -> Result<Role, AppError> {
    raw.parse().map_err(|e: String| {
        tracing::error!(role = raw, error = %e, "unknown role stored");
        AppError::internal()
    })
}

pub fn user_view(u: &UserRow) -> UserView {
    UserView {
        id: u.id,
        email: u.email.clone(),
        name: u.name.clone(),
    }
}

pub fn workspace_view(m: &MembershipRow) -> Result<WorkspaceView, AppError> {
    Ok(WorkspaceView {
        id: m.workspace.id,
        name: m.workspace.name.clone(),
        role: stored_role(&m.role)?,
        personal: m.workspace.personal,
        plan: m.workspace.plan.clone(),
    })
}

pub fn member_view(m: &MemberRow) -> Result<MemberView, AppError> {
    Ok(MemberView {
        user_id: m.user_id,
        email: m.email.clone(),
        name: m.name.clone(),
        role: stored_role(&m.role)?,
        joined_at: m.joined_at,
    })
}

pub fn invite_view(i: &InviteRow) -> Result<InviteView, AppError> {
    Ok(InviteView {
        id: i.id,
        email: i.email.clone(),
        role: stored_role(&i.role)?,
        expires_at: i.expires_at,
        created_at: i.created_at,
    })
}

pub fn api_key_view(k: &ApiKeyRow) -> ApiKeyView {
    ApiKeyView {
        id: k.id,
        name: k.name.clone(),
        prefix: k.prefix.clone(),
        workspace_id: k.workspace_id,
        created_at: k.created_at,
        last_used_at: k.last_used_at,
    }
}
