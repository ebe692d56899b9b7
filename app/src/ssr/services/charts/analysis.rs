//! Chart analysis: the deterministic technical analyst of the `indicators` crate over the
//! bars behind a chart, or, when a vision model is configured, the LLM analyst over the
//! rendered chart with the technical figures as context (falling back to the technical
//! analysis with a note saying why). Stored with its model, prompt and processing time,
//! counted against the plan's monthly analyses.

use super::quota::{self, Kind};
use super::{history, llm_analyst};
use crate::charts_wire::{
    AnalysisMetadata, AnalysisResult, AnalysisView, AnalyzeRequest, KeyLevelsView,
};
use crate::error::AppError;
use crate::roles::Action;
use crate::ssr::chart_store::AnalysisRow;
use crate::ssr::context::{Principal, ServerContext};
use chrono::{DateTime, Utc};
use indicators::{Analysis, AnalystConfig, Recommendation, TrendDirection};
use uuid::Uuid;

/// The model name stored with analyses of the built-in analyst.
pub const TECHNICAL_MODEL: &str = "refract-technical-1";
pub const MAX_PROMPT_CHARS: usize = 4_000;
/// Bars of history the analyst reads (enough for the 200-bar averages and their slope).
pub const ANALYSIS_BARS: usize = 500;

/// Two decimals for prices in JSON: the analyst's levels are computed in f64.
fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn view(a: &Analysis) -> AnalysisView {
    AnalysisView {
        trend: match a.trend.direction {
            TrendDirection::Bullish => "bullish",
            TrendDirection::Bearish => "bearish",
            TrendDirection::Sideways => "sideways",
        }
        .into(),
        signals: a.signals.clone(),
        recommendation: match a.recommendation {
            Recommendation::Long => "LONG",
            Recommendation::Short => "SHORT",
            Recommendation::Neutral => "NEUTRAL",
        }
        .into(),
        entry_price: Some(cents(a.entry_price)),
        stop_loss: a.stop_loss.map(cents),
        take_profit: a.take_profit.map(cents),
        confidence: a.confidence,
        risk_reward_ratio: a.risk_reward_ratio.map(|r| (r * 100.0).round() / 100.0),
        analysis_text: a.analysis_text.clone(),
        key_levels: KeyLevelsView {
            support: a.key_levels.support.iter().copied().map(cents).collect(),
            resistance: a.key_levels.resistance.iter().copied().map(cents).collect(),
        },
        score: Some((a.rating.score * 1000.0).round() / 1000.0),
    }
}

fn result(
    row: &AnalysisRow,
    quota: crate::charts_wire::QuotaView,
) -> Result<AnalysisResult, AppError> {
    let analysis: AnalysisView = serde_json::from_str(&row.result).map_err(|e| {
        tracing::error!(id = %row.id, error = %e, "stored analysis is not valid JSON");
        AppError::internal()
    })?;
    Ok(AnalysisResult {
        analysis_id: row.id,
        chart_id: row.chart_id,
        analysis,
        metadata: AnalysisMetadata {
            model: row.model.clone(),
            processing_time: row.processing_ms as f64 / 1000.0,
            tokens_used: row.tokens_used,
            note: (!row.note.is_empty()).then(|| row.note.clone()),
        },
        quota,
        created_at: row.created_at,
    })
}

/// Analyses a chart from the bars it was drawn from.
pub async fn analyze(
    ctx: &ServerContext,
    p: &Principal,
    chart_id: Uuid,
    req: &AnalyzeRequest,
    now: DateTime<Utc>,
) -> Result<AnalysisResult, AppError> {
    p.require(Action::CreateContent)?;
    let prompt = req.prompt.clone().unwrap_or_default();
    if prompt.chars().count() > MAX_PROMPT_CHARS {
        return Err(AppError::invalid(
            "prompt",
            format!("prompt must be at most {MAX_PROMPT_CHARS} characters"),
        ));
    }
    let chart = ctx
        .store
        .chart(p.workspace_id, chart_id)
        .await?
        .ok_or_else(|| AppError::not_found("Chart"))?;
    let chart_req = history::stored_request(&chart)?;
    let symbol = super::market::parse_symbol(&chart_req.symbol)?;
    let interval = super::market::parse_interval(&chart_req.interval)?;
    let (shown, _) = history::bars_for(ctx, p, &chart_req, &symbol, interval).await?;
    // The analyst reads the history up to the chart's last bar, not only the bars shown:
    // a one-month chart still has a 200-day average behind it.
    let end = shown.last().map(|b| b.t + 1);
    let to = end.and_then(chrono::DateTime::from_timestamp_millis);
    let history = super::market::read(ctx, p, &symbol, interval, None, to).await?;
    let skip = history.bars.len().saturating_sub(ANALYSIS_BARS);
    let bars: Vec<indicators::Bar> = history.bars[skip..].iter().map(|b| (*b).into()).collect();
    let ticket = quota::take(ctx, p, Kind::Analyses, now).await?;
    let started = std::time::Instant::now();
    let analysed =
        tokio::task::spawn_blocking(move || indicators::analyse(&bars, &AnalystConfig::default()))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "analysis task");
                AppError::internal()
            })
            .and_then(|r| r.map_err(|e| AppError::invalid("chart", e.to_string())));
    let analysis = match analysed {
        Ok(a) => a,
        Err(e) => {
            quota::give_back(ctx, p, ticket).await;
            return Err(e);
        }
    };
    let (result_view, model, note, tokens_used) = match ctx.vision.as_deref() {
        None => (
            view(&analysis),
            TECHNICAL_MODEL.to_string(),
            String::new(),
            None,
        ),
        Some(vision) => {
            let asked = match chart_png(ctx, &chart, &chart_req, &symbol, interval, &shown).await {
                Ok(png) => {
                    let q = llm_analyst::question(
                        &symbol,
                        interval.as_str(),
                        &prompt,
                        &req.options,
                        &analysis,
                    );
                    llm_analyst::ask(vision, q, png).await
                }
                Err(e) => Err(format!(
                    "the chart image could not be prepared ({})",
                    e.message
                )),
            };
            match asked {
                Ok((mut v, tokens)) => {
                    tracing::info!(model = vision.model(), tokens, "LLM chart analysis");
                    v.score = view(&analysis).score;
                    (v, vision.model().to_string(), String::new(), tokens)
                }
                Err(why) => {
                    tracing::warn!(model = vision.model(), %why, "LLM analyst fell back");
                    (
                        view(&analysis),
                        TECHNICAL_MODEL.to_string(),
                        format!(
                            "The LLM analyst ({} {}) was not used: {why}. This is the technical analyst's analysis.",
                            vision.provider(),
                            vision.model()
                        ),
                        None,
                    )
                }
            }
        }
    };
    let row = AnalysisRow {
        id: Uuid::new_v4(),
        workspace_id: p.workspace_id,
        chart_id,
        user_id: Some(p.user.id),
        model,
        prompt,
        result: serde_json::to_string(&result_view).map_err(|_| AppError::internal())?,
        note,
        processing_ms: started.elapsed().as_millis() as i64,
        tokens_used,
        created_at: now,
    };
    if let Err(e) = ctx.store.insert_analysis(&row).await {
        quota::give_back(ctx, p, ticket).await;
        return Err(e.into());
    }
    result(&row, ticket.view)
}

/// The chart as PNG for a vision model: the stored image, or the same chart rendered again
/// as PNG when it was stored as SVG.
async fn chart_png(
    ctx: &ServerContext,
    chart: &crate::ssr::chart_store::ChartRow,
    chart_req: &crate::charts_wire::ChartRequest,
    symbol: &str,
    interval: ::market::Interval,
    bars: &[indicators::Bar],
) -> Result<Vec<u8>, AppError> {
    if chart.format == "png" {
        if let Some(bytes) = ctx.blobs.get(&chart.storage_key).await? {
            return Ok(bytes);
        }
    }
    let mut as_png = chart_req.clone();
    as_png.format = "png".into();
    let spec = super::request::to_spec(&as_png, interval, symbol)?;
    let owned = bars.to_vec();
    tokio::task::spawn_blocking(move || {
        charts::render(&owned, &spec, indicators::Convention::TaLib)
    })
    .await
    .map_err(|_| AppError::internal())?
    .map(|r| r.bytes)
    .map_err(|e| AppError::invalid("chart", e.to_string()))
}

/// One stored analysis, with the workspace's current analysis quota.
pub async fn get(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<AnalysisResult, AppError> {
    p.require(Action::ViewAnalytics)?;
    let row = ctx
        .store
        .analysis(p.workspace_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("Analysis"))?;
    let report = quota::report(ctx, p, now).await?;
    result(&row, report.quota.analyses)
}
