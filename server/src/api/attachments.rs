//! /api/v1/trades/{id}/attachments and /api/v1/attachments/{id}: files on trades
//! (PNG, JPEG, WebP, PDF up to 5 MB, checked by content), their thumbnails, deletes.

use crate::api::accounts::Done;
use crate::api::auth::Authed;
use crate::api::envelope::{created, ok, ApiError, ApiResult, Failure, Path, Success};
use app::error::{AppError, ErrorCode};
use app::journal_wire::AttachmentView;
use app::ssr::services::journal::attachments;
use app::ssr::AppState;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use utoipa::ToSchema;
use uuid::Uuid;

/// The body limit of an upload: the largest file plus room for the form around it.
pub const BODY_LIMIT: usize = journal::attachment::MAX_BYTES + 64 * 1024;

/// The multipart form of an attachment.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttachmentForm {
    /// PNG, JPEG, WebP or PDF, at most 5 MB; its content decides its type, not its name.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
}

fn bad_form(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::new(
            ErrorCode::PayloadTooLarge,
            "The file is larger than 5 MB (5,242,880 bytes), the most an attachment may be",
        )
    } else {
        AppError::invalid(
            "file",
            format!("Could not read the upload: {}", e.body_text()),
        )
    }
}

async fn read_file(mut m: Multipart) -> Result<(String, Vec<u8>), AppError> {
    let mut file = None;
    while let Some(field) = m.next_field().await.map_err(bad_form)? {
        match field.name().unwrap_or_default() {
            "file" if file.is_none() => {
                let name = field.file_name().unwrap_or_default().to_string();
                file = Some((name, field.bytes().await.map_err(bad_form)?.to_vec()));
            }
            "file" => return Err(AppError::invalid("file", "Send one file per request")),
            other => {
                return Err(AppError::invalid(
                    other,
                    format!("Unknown form field '{other}': send the file as 'file'"),
                ))
            }
        }
    }
    file.ok_or_else(|| AppError::invalid("file", "Attach the file as the 'file' field"))
}

/// Attach a file to a trade (Members to their own trades, Admins and Owners to any).
#[utoipa::path(post, path = "/trades/{id}/attachments", tag = "journal", params(("id" = Uuid, Path)),
    request_body(content_type = "multipart/form-data", content = AttachmentForm),
    responses((status = 201, body = Success<AttachmentView>), (status = 400, body = Failure),
        (status = 403, body = Failure), (status = 404, body = Failure), (status = 413, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
    form: Multipart,
) -> ApiResult<AttachmentView> {
    let (name, bytes) = read_file(form).await?;
    Ok(created(
        attachments::upload(&state.ctx, &p, id, &name, bytes, Utc::now()).await?,
    ))
}

/// A trade's attachments, oldest first.
#[utoipa::path(get, path = "/trades/{id}/attachments", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Vec<AttachmentView>>), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Vec<AttachmentView>> {
    Ok(ok(attachments::list(&state.ctx, &p, id).await?))
}

/// `attachment; filename="..."; filename*=UTF-8''...`: an ASCII fallback and the real name.
fn disposition(kind: &str, name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let exact = utf8_percent_encode(name, NON_ALPHANUMERIC);
    HeaderValue::from_str(&format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{exact}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn file_response(content_type: &str, disposition: HeaderValue, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            // Files never change once stored; the URL is private to the workspace.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=31536000, immutable"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The file, with the type found from its content. Images open in the browser; PDFs too.
#[utoipa::path(get, path = "/attachments/{id}", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn file(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let (a, bytes) = attachments::file(&state.ctx, &p, id, false).await?;
    Ok(file_response(
        &a.content_type,
        disposition("inline", &a.file_name),
        bytes,
    ))
}

/// An image's PNG thumbnail (at most 320 × 320); PDFs have none (404).
#[utoipa::path(get, path = "/attachments/{id}/thumbnail", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The thumbnail", content_type = "image/png"), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn thumbnail(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let (a, bytes) = attachments::file(&state.ctx, &p, id, true).await?;
    let name = format!("{}-thumbnail.png", a.file_name);
    Ok(file_response(
        "image/png",
        disposition("inline", &name),
        bytes,
    ))
}

/// Delete an attachment (whoever may edit its trade).
#[utoipa::path(delete, path = "/attachments/{id}", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Done>), (status = 403, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Done> {
    attachments::delete(&state.ctx, &p, id).await?;
    Ok(ok(Done { done: true }))
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn download_names_cannot_break_the_header() {
        assert_eq!(
            disposition("inline", "chart \"1\".png"),
            "inline; filename=\"chart _1_.png\"; filename*=UTF-8''chart%20%221%22%2Epng"
        );
        assert_eq!(
            disposition("inline", "réglage.pdf"),
            "inline; filename=\"r_glage.pdf\"; filename*=UTF-8''r%C3%A9glage%2Epdf"
        );
    }
}
