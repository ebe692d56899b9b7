//! Trade attachments: upload (checked by content, thumbnailed), list, read, delete.
//! Reading follows the trade (anyone who may see the trade); adding and deleting follow
//! the trade's edit rights (Members their own trades, Admins and Owners any).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::trades::{may_edit, trade_row};
use crate::error::{AppError, ErrorCode};
use crate::journal_wire::AttachmentView;
use crate::roles::Action;
use crate::ssr::attachment_store::AttachmentRow;
use crate::ssr::context::{Principal, ServerContext};
use journal::attachment::{self, FileError, FileKind};

/// More than this many files on one trade is a mistake (or abuse), not journaling.
pub const MAX_PER_TRADE: usize = 20;
const NAME_MAX_CHARS: usize = 120;

pub fn view(a: &AttachmentRow) -> AttachmentView {
    AttachmentView {
        id: a.id,
        trade_id: a.trade_id,
        file_name: a.file_name.clone(),
        content_type: a.content_type.clone(),
        size_bytes: a.size_bytes,
        width: a.width,
        height: a.height,
        url: format!("/api/v1/attachments/{}", a.id),
        thumbnail_url: a
            .thumb_key
            .as_ref()
            .map(|_| format!("/api/v1/attachments/{}/thumbnail", a.id)),
        owner_id: a.user_id,
        created_at: a.created_at,
    }
}

/// The last path segment of the name the browser sent, without control characters,
/// shortened; the extension of the kind found replaces a missing or wrong one.
pub fn clean_name(raw: &str, kind: FileKind) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut name: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(NAME_MAX_CHARS)
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    let ext = kind.extension();
    let has_right_ext = name.rsplit_once('.').is_some_and(|(stem, e)| {
        !stem.is_empty()
            && (e.eq_ignore_ascii_case(ext)
                || (kind == FileKind::Jpeg && e.eq_ignore_ascii_case("jpeg")))
    });
    if name.is_empty() {
        name = "attachment".into();
    }
    if !has_right_ext {
        name = format!("{name}.{ext}");
    }
    name
}

fn file_error(e: FileError) -> AppError {
    match e {
        FileError::TooLarge(_) => AppError::new(ErrorCode::PayloadTooLarge, e.to_string()),
        _ => AppError::invalid("file", e.to_string()),
    }
}

fn keys(ws: Uuid, trade: Uuid, id: Uuid, kind: FileKind) -> (String, String) {
    let dir = format!("attachments/{}/{}", ws.simple(), trade.simple());
    (
        format!("{dir}/{}.{}", id.simple(), kind.extension()),
        format!("{dir}/{}-thumb.png", id.simple()),
    )
}

/// Checks the bytes, stores the file (and its thumbnail) and records it.
pub async fn upload(
    ctx: &ServerContext,
    p: &Principal,
    trade_id: Uuid,
    file_name: &str,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<AttachmentView, AppError> {
    let trade = trade_row(ctx, p, trade_id).await?;
    may_edit(p, &trade)?;
    let existing = ctx
        .store
        .attachments_of_trade(p.workspace_id, trade_id)
        .await?;
    if existing.len() >= MAX_PER_TRADE {
        return Err(AppError::invalid(
            "file",
            format!("A trade can have at most {MAX_PER_TRADE} attachments; delete one first"),
        ));
    }
    let size = bytes.len();
    // Decoding a 5 MB image takes tens of milliseconds: off the async workers.
    let (checked, bytes) =
        tokio::task::spawn_blocking(move || attachment::check(&bytes).map(|c| (c, bytes)))
            .await
            .map_err(|_| AppError::internal())?
            .map_err(file_error)?;
    let id = Uuid::new_v4();
    let (key, thumb_key) = keys(p.workspace_id, trade_id, id, checked.kind);
    ctx.blobs.put(&key, &bytes).await?;
    let thumb_key = match &checked.thumbnail {
        Some(t) => match ctx.blobs.put(&thumb_key, t).await {
            Ok(()) => Some(thumb_key),
            Err(e) => {
                let _ = ctx.blobs.delete(&key).await;
                return Err(e.into());
            }
        },
        None => None,
    };
    let row = AttachmentRow {
        id,
        workspace_id: p.workspace_id,
        trade_id,
        user_id: Some(p.user.id),
        file_name: clean_name(file_name, checked.kind),
        content_type: checked.kind.mime().to_string(),
        size_bytes: size as i64,
        width: checked.size.map(|(w, _)| w as i32),
        height: checked.size.map(|(_, h)| h as i32),
        storage_key: key,
        thumb_key,
        created_at: now,
    };
    if let Err(e) = ctx.store.insert_attachment(&row).await {
        remove_files(ctx, &row).await;
        return Err(e.into());
    }
    Ok(view(&row))
}

pub async fn list(
    ctx: &ServerContext,
    p: &Principal,
    trade_id: Uuid,
) -> Result<Vec<AttachmentView>, AppError> {
    p.require(Action::ViewAnalytics)?;
    trade_row(ctx, p, trade_id).await?;
    let rows = ctx
        .store
        .attachments_of_trade(p.workspace_id, trade_id)
        .await?;
    Ok(rows.iter().map(view).collect())
}

async fn row(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<AttachmentRow, AppError> {
    ctx.store
        .attachment(p.workspace_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("Attachment"))
}

/// A stored file: its record and its bytes (the thumbnail's with `thumbnail`).
pub async fn file(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
    thumbnail: bool,
) -> Result<(AttachmentRow, Vec<u8>), AppError> {
    p.require(Action::ViewAnalytics)?;
    let a = row(ctx, p, id).await?;
    let key = if thumbnail {
        a.thumb_key
            .clone()
            .ok_or_else(|| AppError::not_found("Thumbnail (PDFs have none)"))?
    } else {
        a.storage_key.clone()
    };
    match ctx.blobs.get(&key).await? {
        Some(bytes) => Ok((a, bytes)),
        None => {
            tracing::error!(attachment = %a.id, key, "attachment file missing from storage");
            Err(AppError::not_found("Attachment file"))
        }
    }
}

async fn remove_files(ctx: &ServerContext, a: &AttachmentRow) {
    for key in std::iter::once(&a.storage_key).chain(a.thumb_key.as_ref()) {
        if let Err(e) = ctx.blobs.delete(key).await {
            tracing::warn!(key, error = %e, "could not delete an attachment file");
        }
    }
}

pub async fn delete(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<(), AppError> {
    let a = row(ctx, p, id).await?;
    let trade = trade_row(ctx, p, a.trade_id).await?;
    may_edit(p, &trade)?;
    if ctx.store.delete_attachment(p.workspace_id, id).await? {
        remove_files(ctx, &a).await;
    }
    Ok(())
}

/// Deletes the files of a trade about to be purged (its rows go with the trade).
pub async fn remove_all_of_trade(
    ctx: &ServerContext,
    workspace_id: Uuid,
    trade_id: Uuid,
) -> Result<(), AppError> {
    for a in ctx
        .store
        .attachments_of_trade(workspace_id, trade_id)
        .await?
    {
        remove_files(ctx, &a).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_checks_the_same_limit_as_the_server() {
        assert_eq!(
            crate::journal_wire::ATTACHMENT_MAX_BYTES,
            attachment::MAX_BYTES
        );
    }

    #[test]
    fn names_are_cleaned_and_get_the_extension_of_their_content() {
        assert_eq!(clean_name("chart.png", FileKind::Png), "chart.png");
        assert_eq!(
            clean_name("C:\\Users\\me\\setup.PNG", FileKind::Png),
            "setup.PNG"
        );
        assert_eq!(clean_name("../../etc/passwd", FileKind::Pdf), "passwd.pdf");
        assert_eq!(clean_name("photo.jpeg", FileKind::Jpeg), "photo.jpeg");
        assert_eq!(clean_name("shot.png", FileKind::Webp), "shot.png.webp");
        assert_eq!(clean_name("", FileKind::Png), "attachment.png");
        assert_eq!(clean_name(".png", FileKind::Png), "png.png");
        assert_eq!(clean_name("a\u{0}b\nc.pdf", FileKind::Pdf), "abc.pdf");
        assert_eq!(
            clean_name(&"x".repeat(500), FileKind::Png).chars().count(),
            124
        );
    }
}
