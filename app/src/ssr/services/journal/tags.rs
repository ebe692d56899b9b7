//! Managing the workspace's tags (Admin and Owner): rename, recolour, delete. Tags are
//! created by tagging a trade; a deleted tag leaves every trade it was on.

use super::views::tag_view;
use crate::error::AppError;
use crate::journal_wire::{TagPatch, TagView, TAG_COLORS};
use crate::roles::Action;
use crate::ssr::context::{Principal, ServerContext};
use uuid::Uuid;

const NAME_MAX: usize = 50;

pub async fn update(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
    patch: &TagPatch,
) -> Result<TagView, AppError> {
    p.require(Action::ManageTags)?;
    let tags = ctx.store.tags(p.workspace_id).await?;
    let tag = tags
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| AppError::not_found("Tag"))?;
    let name = match patch.name.as_deref().map(str::trim) {
        None => tag.name.clone(),
        Some("") => return Err(AppError::invalid("name", "A tag needs a name")),
        Some(n) if n.chars().count() > NAME_MAX => {
            return Err(AppError::invalid(
                "name",
                format!("A tag is {NAME_MAX} characters at most"),
            ))
        }
        Some(n) if n.contains(',') => {
            return Err(AppError::invalid(
                "name",
                "A tag name cannot contain a comma (commas separate tags)",
            ))
        }
        Some(n) => n.to_string(),
    };
    // Tagging matches names without regard to case, so two tags may not differ only by it.
    if let Some(other) = tags
        .iter()
        .find(|t| t.id != id && t.name.to_lowercase() == name.to_lowercase())
    {
        return Err(AppError::conflict(format!(
            "A tag named “{}” already exists",
            other.name
        )));
    }
    let color = match patch.color.as_deref().map(str::trim) {
        None => tag.color.clone(),
        Some(c) if TAG_COLORS.contains(&c.to_lowercase().as_str()) => c.to_lowercase(),
        Some(c) => {
            return Err(AppError::invalid(
                "color",
                format!(
                    "'{c}' is not a tag colour: use one of {}",
                    TAG_COLORS.join(", ")
                ),
            ))
        }
    };
    if !ctx
        .store
        .update_tag(p.workspace_id, id, &name, &color)
        .await?
    {
        return Err(AppError::not_found("Tag"));
    }
    Ok(tag_view(&crate::ssr::journal_store::TagRow {
        name,
        color,
        ..tag.clone()
    }))
}

pub async fn delete(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<(), AppError> {
    p.require(Action::ManageTags)?;
    if ctx.store.delete_tag(p.workspace_id, id).await? {
        Ok(())
    } else {
        Err(AppError::not_found("Tag"))
    }
}
