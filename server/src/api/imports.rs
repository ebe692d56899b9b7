//! /api/v1/imports: broker files into the journal (multipart upload, dry run, progress).

use std::time::Duration;

use crate::api::accounts::Done;
use crate::api::auth::Authed;
use crate::api::envelope::{created, ok, Answer, ApiResult, Failure, Path, Success};
use app::error::AppError;
use app::journal_wire::ImportReport;
use app::ssr::services::journal::imports::{self, ImportInput};
use app::ssr::AppState;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// How long an upload waits for its import before answering 202 with the job to poll.
const WAIT: Duration = Duration::from_secs(20);

/// The multipart form of an import.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportForm {
    /// The CSV file.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// Format id (ibkr_flex, ibkr_activity, thinkorswim, schwab, tastytrade, robinhood,
    /// webull, generic, mapped); detected when absent.
    format: Option<String>,
    /// IANA timezone of the statement's times (default America/New_York).
    timezone: Option<String>,
    /// Account to file rows under when the file names none.
    account: Option<String>,
    /// A saved column mapping's name, or a mapping as JSON.
    mapping: Option<String>,
    /// `true` for the preview: nothing is saved.
    dry_run: Option<bool>,
    /// `true` imports the readable rows and leaves out the bad ones (listed in `errors`);
    /// by default any bad row refuses the whole file.
    skip_errors: Option<bool>,
}

fn bad_form(e: impl std::fmt::Display) -> AppError {
    AppError::invalid("file", format!("Could not read the upload: {e}"))
}

fn is_true(v: &str) -> bool {
    matches!(v.trim(), "true" | "1" | "yes" | "on")
}

async fn read_form(mut m: Multipart) -> Result<(ImportInput, bool), AppError> {
    let mut input = ImportInput::default();
    let mut dry_run = false;
    let mut has_file = false;
    while let Some(field) = m.next_field().await.map_err(bad_form)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                input.filename = field.file_name().unwrap_or("upload.csv").to_string();
                input.bytes = field.bytes().await.map_err(bad_form)?.to_vec();
                has_file = true;
            }
            "format" | "timezone" | "account" | "mapping" | "dry_run" | "skip_errors" => {
                let v = field.text().await.map_err(bad_form)?;
                match name.as_str() {
                    "format" => input.format = Some(v),
                    "timezone" => input.timezone = Some(v),
                    "account" => input.account = Some(v),
                    "mapping" => input.mapping = Some(v),
                    "skip_errors" => input.skip_errors = is_true(&v),
                    _ => dry_run = is_true(&v),
                }
            }
            other => {
                return Err(AppError::invalid(
                    other,
                    format!("Unknown form field '{other}'"),
                ))
            }
        }
    }
    if !has_file {
        return Err(AppError::invalid(
            "file",
            "Attach the CSV file as the 'file' field",
        ));
    }
    Ok((input, dry_run))
}

/// Import a broker file. With `dry_run=true` it is a preview (parsed rows, per-row errors,
/// resulting trades, duplicates) and nothing is saved. Otherwise the whole file is saved in
/// one transaction, or nothing if any row is bad (400 with `details.errors`). Small files
/// answer 201 when done; large ones 202 with the job to poll at `GET /imports/{id}`.
#[utoipa::path(post, path = "/imports", tag = "journal",
    request_body(content_type = "multipart/form-data", content = ImportForm),
    responses((status = 200, description = "dry run", body = Success<ImportReport>),
        (status = 201, body = Success<ImportReport>), (status = 202, body = Success<ImportReport>),
        (status = 400, body = Failure), (status = 403, body = Failure), (status = 413, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authed(p): Authed,
    form: Multipart,
) -> ApiResult<ImportReport> {
    let (input, dry_run) = read_form(form).await?;
    if dry_run {
        return Ok(ok(imports::preview(&state.ctx, &p, input).await?));
    }
    let (id, job) = imports::start(&state.ctx, &p, input, Utc::now()).await?;
    let report = imports::wait(&state.ctx, &p, id, &job, WAIT).await?;
    if report.status == "running" {
        return Ok(Answer(StatusCode::ACCEPTED, report));
    }
    if report.status == "failed" {
        return Err(AppError::internal().into());
    }
    Ok(created(report))
}

/// Progress of an import (`processed` of `to_process` rows written) or its outcome.
#[utoipa::path(get, path = "/imports/{id}", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<ImportReport>), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<ImportReport> {
    Ok(ok(imports::status(&state.ctx, &p, id).await?))
}

/// Cancel a running import: it rolls back and nothing from the file is kept.
#[utoipa::path(delete, path = "/imports/{id}", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, body = Success<Done>), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    Authed(p): Authed,
    Path(id): Path<Uuid>,
) -> ApiResult<Done> {
    imports::cancel(&state.ctx, &p, id).await?;
    Ok(ok(Done { done: true }))
}

#[derive(Serialize, ToSchema)]
pub struct FormatInfo {
    pub id: &'static str,
    pub label: &'static str,
}

/// The import formats Refract reads.
#[utoipa::path(get, path = "/imports/formats", tag = "journal",
    responses((status = 200, body = Success<Vec<FormatInfo>>)),
    security(("api_key" = []), ("session" = [])))]
pub async fn formats(Authed(_p): Authed) -> ApiResult<Vec<FormatInfo>> {
    Ok(ok(journal::import::Format::ALL
        .iter()
        .map(|f| FormatInfo {
            id: f.id(),
            label: f.label(),
        })
        .collect()))
}

/// A column mapping for files of any other broker (`journal::import::ColumnMapping`).
#[derive(serde::Deserialize, serde::Serialize, ToSchema)]
pub struct MappingBody {
    pub name: String,
    #[schema(value_type = Object)]
    pub mapping: journal::import::ColumnMapping,
}

/// Column mappings saved in the workspace; import with `format=mapped&mapping=<name>`.
#[utoipa::path(get, path = "/imports/mappings", tag = "journal",
    responses((status = 200, body = Success<Vec<MappingBody>>)),
    security(("api_key" = []), ("session" = [])))]
pub async fn mappings(
    State(state): State<AppState>,
    Authed(p): Authed,
) -> ApiResult<Vec<MappingBody>> {
    Ok(ok(imports::mappings(&state.ctx, &p)
        .await?
        .into_iter()
        .map(|m| MappingBody {
            name: m.name,
            mapping: m.mapping,
        })
        .collect()))
}

/// Save (or replace by name) a column mapping: header names of date (and time), symbol,
/// side, quantity, price, fee columns, and the chrono date format.
#[utoipa::path(post, path = "/imports/mappings", tag = "journal", request_body = MappingBody,
    responses((status = 201, body = Success<MappingBody>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn save_mapping(
    State(state): State<AppState>,
    Authed(p): Authed,
    crate::api::envelope::Json(b): crate::api::envelope::Json<MappingBody>,
) -> ApiResult<MappingBody> {
    let m = imports::save_mapping(&state.ctx, &p, &b.name, &b.mapping, Utc::now()).await?;
    Ok(created(MappingBody {
        name: m.name,
        mapping: m.mapping,
    }))
}
