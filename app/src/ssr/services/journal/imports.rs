//! Broker file imports: a dry-run preview, and the commit that runs as a background job
//! with progress and cancellation. A file with any bad row is refused whole (nothing is
//! saved); a committed file lands in one transaction, so a crash or a cancel leaves nothing
//! partial behind.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use journal::import::{self, ColumnMapping, Format, ImportOptions, ParseOutput};
use journal::matching::build_trades;
use uuid::Uuid;

use super::rebuild::{apply, Change};
use super::views::{execution_view, trade_preview};
use crate::error::AppError;
use crate::journal_wire::{ImportReport, RowErrorView};
use crate::roles::Action;
use crate::ssr::context::{Principal, ServerContext};
use crate::ssr::journal_store::{ExecutionRow, ImportRow};

/// Largest accepted file.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;
/// Broker statements from the supported brokers are in US Eastern time.
pub const DEFAULT_TIMEZONE: &str = "America/New_York";
const PREVIEW_ROWS: usize = 50;

/// What the caller sends: the file and the choices of the import form.
#[derive(Clone, Debug, Default)]
pub struct ImportInput {
    pub filename: String,
    pub bytes: Vec<u8>,
    /// A format id (`ibkr_flex`, ...); detected when absent.
    pub format: Option<String>,
    pub timezone: Option<String>,
    pub account: Option<String>,
    /// A saved column mapping's name, or the mapping itself as JSON.
    pub mapping: Option<String>,
    /// Import the rows that could be read and leave out the bad ones (chosen after a
    /// preview showed them); by default one bad row refuses the whole file.
    pub skip_errors: bool,
}

/// A running import's live state, shared between the job and progress polls.
#[derive(Default)]
pub struct JobState {
    pub processed: AtomicUsize,
    pub total: AtomicUsize,
    pub cancel: AtomicBool,
    pub report: Mutex<Option<ImportReport>>,
    pub finished: tokio::sync::Notify,
}

/// Imports running in this process.
#[derive(Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<Uuid, Arc<JobState>>>,
}

impl ImportJobs {
    fn insert(&self, id: Uuid) -> Arc<JobState> {
        let state = Arc::new(JobState::default());
        if let Ok(mut m) = self.jobs.lock() {
            m.insert(id, state.clone());
        }
        state
    }

    pub fn get(&self, id: Uuid) -> Option<Arc<JobState>> {
        self.jobs.lock().ok().and_then(|m| m.get(&id).cloned())
    }

    fn remove(&self, id: Uuid) {
        if let Ok(mut m) = self.jobs.lock() {
            m.remove(&id);
        }
    }
}

fn parse_timezone(raw: Option<&str>) -> Result<Tz, AppError> {
    let name = raw
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(DEFAULT_TIMEZONE);
    name.parse::<Tz>().map_err(|_| {
        AppError::invalid(
            "timezone",
            format!("Unknown timezone '{name}': use an IANA name such as America/New_York"),
        )
    })
}

async fn options(
    ctx: &ServerContext,
    p: &Principal,
    input: &ImportInput,
) -> Result<ImportOptions, AppError> {
    let format = match input
        .format
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None | Some("auto") => None,
        Some(f) => Some(Format::parse(f).ok_or_else(|| {
            let ids: Vec<&str> = Format::ALL.iter().map(|f| f.id()).collect();
            AppError::invalid(
                "format",
                format!("Unknown format '{f}': use one of {}", ids.join(", ")),
            )
        })?),
    };
    let mapping = match input
        .mapping
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(m) if m.starts_with('{') => {
            Some(serde_json::from_str::<ColumnMapping>(m).map_err(|e| {
                AppError::invalid("mapping", format!("The column mapping is not valid: {e}"))
            })?)
        }
        Some(name) => {
            let saved = ctx.store.mappings(p.workspace_id).await?;
            let json = saved
                .into_iter()
                .find(|(n, _)| n == name)
                .map(|(_, j)| j)
                .ok_or_else(|| {
                    AppError::invalid("mapping", format!("No saved column mapping named '{name}'"))
                })?;
            Some(serde_json::from_str::<ColumnMapping>(&json).map_err(|_| AppError::internal())?)
        }
    };
    let format = match (format, &mapping) {
        (None, Some(_)) => Some(Format::Mapped),
        (f, _) => f,
    };
    if format == Some(Format::Mapped) && mapping.is_none() {
        return Err(AppError::invalid(
            "mapping",
            "Choose a saved column mapping or map the columns",
        ));
    }
    // The form's (or the API call's) timezone, else the one saved with the mapping.
    let chosen = input
        .timezone
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .or(mapping.as_ref().and_then(|m| m.timezone.as_deref()));
    Ok(ImportOptions {
        timezone: parse_timezone(chosen)?,
        account: input
            .account
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        format,
        mapping,
    })
}

/// Parses off the async runtime: a large statement takes a while.
async fn parse(bytes: Vec<u8>, opts: ImportOptions) -> Result<ParseOutput, AppError> {
    if bytes.len() > MAX_BYTES {
        return Err(AppError::new(
            crate::error::ErrorCode::PayloadTooLarge,
            format!("The file is larger than {} MB", MAX_BYTES / 1024 / 1024),
        ));
    }
    tokio::task::spawn_blocking(move || import::parse(&bytes, &opts))
        .await
        .map_err(|_| AppError::internal())?
        .map_err(|e| AppError::invalid("file", e.to_string()))
}

/// The parsed rows as execution rows to store (moved, not copied: a large file has
/// hundreds of thousands).
fn rows_of(
    rows: Vec<import::ParsedRow>,
    p: &Principal,
    import_id: Option<Uuid>,
) -> Vec<ExecutionRow> {
    let keys = {
        let execs: Vec<&journal::Execution> = rows.iter().map(|r| &r.execution).collect();
        journal::model::dedupe_keys(&execs)
    };
    keys.into_iter()
        .zip(rows)
        .map(|(key, row)| ExecutionRow {
            // Time-ordered ids append to the primary-key index instead of landing on a
            // random page each (a 100,000-fill import touches far fewer pages).
            id: crate::ssr::ids::time_ordered(),
            workspace_id: p.workspace_id,
            user_id: Some(p.user.id),
            import_id,
            dedupe_key: key,
            execution: row.execution,
        })
        .collect()
}

/// What a file holds. `with_trades`: match its fills into trades for the preview (a
/// commit skips it: the rebuild matches them anyway, and reports the count).
fn base_report(out: &ParseOutput, with_trades: bool) -> ImportReport {
    let trades = if with_trades {
        let execs: Vec<&journal::Execution> = out.rows.iter().map(|r| &r.execution).collect();
        build_trades(&execs)
    } else {
        Vec::new()
    };
    ImportReport {
        id: None,
        status: "preview".into(),
        format: out.format.id().into(),
        format_label: out.format.label().into(),
        total_rows: out.rows.len(),
        executions: 0,
        duplicates: 0,
        trades: trades.len(),
        skipped: out.skipped,
        errors: out.errors.iter().map(RowErrorView::from).collect(),
        processed: 0,
        to_process: 0,
        message: String::new(),
        preview_rows: out
            .rows
            .iter()
            .take(PREVIEW_ROWS)
            .map(|r| execution_view(Uuid::nil(), &r.execution))
            .collect(),
        preview_trades: trades
            .iter()
            .take(PREVIEW_ROWS)
            .map(trade_preview)
            .collect(),
    }
}

/// The dry run: what the file holds, what is new, what is already in the journal.
pub async fn preview(
    ctx: &ServerContext,
    p: &Principal,
    input: ImportInput,
) -> Result<ImportReport, AppError> {
    p.require(Action::CreateTrades)?;
    let opts = options(ctx, p, &input).await?;
    let out = parse(input.bytes, opts).await?;
    let mut report = base_report(&out, true);
    let rows = rows_of(out.rows, p, None);
    let accounts: Vec<String> = rows
        .iter()
        .map(|r| r.execution.account.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let known: std::collections::HashSet<String> = ctx
        .store
        .executions_for_accounts(p.workspace_id, &accounts)
        .await?
        .into_iter()
        .map(|e| e.dedupe_key)
        .collect();
    report.duplicates = rows
        .iter()
        .filter(|r| known.contains(&r.dedupe_key))
        .count();
    report.executions = rows.len() - report.duplicates;
    Ok(report)
}

/// Starts an import. Refuses the whole file when any row is bad; otherwise records the
/// import as running and writes it in the background. Returns the job to wait on or poll.
pub async fn start(
    ctx: &ServerContext,
    p: &Principal,
    input: ImportInput,
    now: DateTime<Utc>,
) -> Result<(Uuid, Arc<JobState>), AppError> {
    p.require(Action::CreateTrades)?;
    let started = std::time::Instant::now();
    let opts = options(ctx, p, &input).await?;
    let timezone = opts.timezone.name().to_string();
    let skip_errors = input.skip_errors;
    let out = parse(input.bytes, opts).await?;
    let parsed = started.elapsed();
    let report = base_report(&out, false);
    if !out.errors.is_empty() && !skip_errors {
        let n = out.errors.len();
        return Err(AppError::invalid(
            "file",
            format!(
                "{n} row{} could not be read; nothing was imported. Fix the file, or \
                 import again skipping the bad rows.",
                if n == 1 { "" } else { "s" }
            ),
        )
        .with_details(serde_json::json!({
            "field": "file",
            "format": report.format,
            "errors": report.errors,
        })));
    }
    if out.rows.is_empty() {
        return Err(AppError::invalid(
            "file",
            format!("No trades found in this {} file", out.format.label()),
        ));
    }
    let id = Uuid::new_v4();
    let row = ImportRow {
        id,
        workspace_id: p.workspace_id,
        user_id: Some(p.user.id),
        filename: input.filename.chars().take(200).collect(),
        format: out.format.id().into(),
        timezone,
        status: "running".into(),
        total_rows: out.rows.len() as i64,
        executions: 0,
        duplicates: 0,
        error_count: out.errors.len() as i64,
        message: String::new(),
        created_at: now,
        finished_at: None,
    };
    ctx.store.create_import(&row).await?;
    let state = ctx.jobs.insert(id);
    {
        let mut r = report.clone();
        r.id = Some(id);
        r.status = "running".into();
        if let Ok(mut slot) = state.report.lock() {
            *slot = Some(r);
        }
    }
    let rows = rows_of(out.rows, p, Some(id));
    tracing::debug!(
        rows = rows.len(),
        parse_ms = parsed.as_millis() as u64,
        prepare_ms = (started.elapsed() - parsed).as_millis() as u64,
        "import started"
    );
    let job_ctx = ctx.clone();
    let job_state = state.clone();
    tokio::spawn(async move {
        run(&job_ctx, row, rows, report, &job_state).await;
        job_state.finished.notify_waiters();
        // Keep the final report a while for pollers; the database row has it for good.
        tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        job_ctx.jobs.remove(id);
    });
    Ok((id, state))
}

async fn run(
    ctx: &ServerContext,
    mut row: ImportRow,
    rows: Vec<ExecutionRow>,
    mut report: ImportReport,
    state: &JobState,
) {
    let progress = |n: usize| {
        state.processed.store(n, Ordering::Relaxed);
        !state.cancel.load(Ordering::Relaxed)
    };
    let total = |n: usize| state.total.store(n, Ordering::Relaxed);
    let now = Utc::now();
    let mut done = row.clone();
    done.status = "done".into();
    done.finished_at = Some(now);
    let change = Change {
        workspace_id: row.workspace_id,
        new: rows,
        delete: Vec::new(),
        also_accounts: Vec::new(),
        import: Some(done),
    };
    match apply(ctx, change, now, &progress, &total).await {
        Ok(applied) if applied.written => {
            row.status = "done".into();
            row.finished_at = Some(now);
            row.executions = applied.added as i64;
            row.duplicates = applied.duplicates as i64;
            row.message = applied.message;
            report.trades = applied.touched;
        }
        Ok(_) => {
            row.status = "cancelled".into();
            row.message = "Cancelled; nothing from this file was saved.".into();
            row.finished_at = Some(Utc::now());
        }
        Err(e) => {
            row.status = "failed".into();
            row.message = format!("Import failed; nothing from this file was saved. {e}");
            row.finished_at = Some(Utc::now());
        }
    }
    if row.status != "done" {
        if let Err(e) = ctx.store.finish_import(&row).await {
            tracing::error!(error = %e, import = %row.id, "could not record import end");
        }
    }
    report.id = Some(row.id);
    report.status = row.status.clone();
    report.executions = row.executions as usize;
    report.duplicates = row.duplicates as usize;
    report.message = row.message.clone();
    report.processed = state.processed.load(Ordering::Relaxed);
    report.to_process = state.total.load(Ordering::Relaxed);
    if let Ok(mut slot) = state.report.lock() {
        *slot = Some(report);
    }
}

/// The live report of a running import, or the stored outcome of a finished one.
pub async fn status(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
) -> Result<ImportReport, AppError> {
    p.require(Action::ViewAnalytics)?;
    let row = ctx
        .store
        .import(p.workspace_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("Import"))?;
    if let Some(state) = ctx.jobs.get(id) {
        if let Ok(slot) = state.report.lock() {
            if let Some(r) = slot.as_ref() {
                let mut r = r.clone();
                if r.status == "running" {
                    r.processed = state.processed.load(Ordering::Relaxed);
                    r.to_process = state.total.load(Ordering::Relaxed);
                }
                return Ok(r);
            }
        }
    }
    Ok(ImportReport {
        id: Some(row.id),
        status: row.status.clone(),
        format: row.format.clone(),
        format_label: Format::parse(&row.format)
            .map(|f| f.label().to_string())
            .unwrap_or_default(),
        total_rows: row.total_rows as usize,
        executions: row.executions as usize,
        duplicates: row.duplicates as usize,
        trades: 0,
        skipped: 0,
        errors: Vec::new(),
        processed: 0,
        to_process: 0,
        message: row.message,
        preview_rows: Vec::new(),
        preview_trades: Vec::new(),
    })
}

/// Asks a running import to stop; it rolls back at its next chunk.
pub async fn cancel(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<(), AppError> {
    p.require(Action::CreateTrades)?;
    ctx.store
        .import(p.workspace_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("Import"))?;
    if let Some(state) = ctx.jobs.get(id) {
        state.cancel.store(true, Ordering::Relaxed);
    }
    Ok(())
}

/// Waits up to `timeout` for an import to finish; returns its report either way.
pub async fn wait(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
    state: &JobState,
    timeout: std::time::Duration,
) -> Result<ImportReport, AppError> {
    let finished = state.finished.notified();
    tokio::pin!(finished);
    finished.as_mut().enable();
    let running = state
        .report
        .lock()
        .map(|r| r.as_ref().is_some_and(|r| r.status == "running"))
        .unwrap_or(false);
    if running {
        let _ = tokio::time::timeout(timeout, finished).await;
    }
    status(ctx, p, id).await
}

pub use crate::journal_wire::SavedMapping;

/// Saves (or replaces) a column mapping for this workspace, checked for the required
/// columns and a date format that chrono understands (empty: the usual forms are read).
pub async fn save_mapping(
    ctx: &ServerContext,
    p: &Principal,
    name: &str,
    mapping: &ColumnMapping,
    now: DateTime<Utc>,
) -> Result<SavedMapping, AppError> {
    p.require(Action::CreateTrades)?;
    let name = crate::validate::Name::parse(name, "name", "mapping name")?;
    for (field, value) in [
        ("date", &mapping.date),
        ("symbol", &mapping.symbol),
        ("quantity", &mapping.quantity),
        ("price", &mapping.price),
    ] {
        if value.trim().is_empty() {
            return Err(AppError::invalid(
                field,
                format!("Name the file's {field} column"),
            ));
        }
    }
    if chrono::format::StrftimeItems::new(&mapping.datetime_format)
        .any(|i| matches!(i, chrono::format::Item::Error))
    {
        return Err(AppError::invalid(
            "datetime_format",
            format!(
                "'{}' is not a date format: use e.g. %m/%d/%Y %H:%M:%S",
                mapping.datetime_format
            ),
        ));
    }
    let mut mapping = mapping.clone();
    mapping.timezone = match mapping.timezone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(parse_timezone(Some(t))?.name().to_string()),
    };
    let json = serde_json::to_string(&mapping).map_err(|_| AppError::internal())?;
    ctx.store
        .save_mapping(p.workspace_id, name.as_str(), &json, now)
        .await?;
    Ok(SavedMapping {
        name: name.as_str().to_string(),
        mapping,
    })
}

pub async fn mappings(ctx: &ServerContext, p: &Principal) -> Result<Vec<SavedMapping>, AppError> {
    p.require(Action::ViewAnalytics)?;
    Ok(ctx
        .store
        .mappings(p.workspace_id)
        .await?
        .into_iter()
        .filter_map(|(name, json)| {
            serde_json::from_str(&json)
                .ok()
                .map(|mapping| SavedMapping { name, mapping })
        })
        .collect())
}
