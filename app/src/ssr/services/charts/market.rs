//! Market data: the built-in sample bars, bars a workspace imports, reads with
//! aggregation of finer bars into coarser ones, and the symbol list.

use crate::charts_wire::{
    BarView, BarsImported, BarsView, FetchRequest, SimulateRequest, SymbolView,
};
use crate::error::AppError;
use crate::roles::Action;
use crate::ssr::context::{Principal, ServerContext};
use chrono::{DateTime, TimeZone, Utc};
use indicators::Bar;
use market::{Adjust, Interval, SAMPLE_ATTRIBUTION};

/// Most bars one read returns (the newest ones of the range).
pub const MAX_BARS: i64 = 20_000;
/// Most data rows one import accepts.
pub const MAX_IMPORT_ROWS: usize = 500_000;
pub const SIMULATED_NOTE: &str =
    "Simulated data (geometric Brownian motion with jumps), not real prices";

/// The note to show wherever bars from `source` are shown.
pub fn source_note(source: &str) -> Option<String> {
    match source {
        "sample" => Some(SAMPLE_ATTRIBUTION.to_string()),
        "simulated" => Some(SIMULATED_NOTE.to_string()),
        _ => None,
    }
}

/// Loads the built-in daily bars into the shared rows once (when there are none).
pub async fn load_sample_data(ctx: &ServerContext) -> Result<u64, AppError> {
    if ctx.store.shared_bar_count().await? > 0 {
        return Ok(0);
    }
    let sets = market::sample_daily().map_err(|e| {
        tracing::error!(error = %e, "built-in sample data");
        AppError::internal()
    })?;
    let mut written = 0;
    for set in sets {
        written += ctx
            .store
            .upsert_bars(
                None,
                &set.symbol,
                set.interval.as_str(),
                "sample",
                &set.bars,
            )
            .await?;
    }
    tracing::info!(bars = written, "loaded the built-in market data");
    Ok(written)
}

/// `none`, `splits` or `all` from a query string.
pub fn parse_adjust(raw: &str) -> Result<Adjust, AppError> {
    Adjust::parse(raw).ok_or_else(|| {
        AppError::invalid(
            "adjust",
            format!("adjust {raw:?} is not one of none, splits, all"),
        )
    })
}

/// The data note, with what the prices shown were adjusted for (the sample's own note says
/// the stored prices are not).
fn adjusted_note(note: Option<String>, adjust: Adjust, applied: bool) -> Option<String> {
    let what = match (adjust, applied) {
        (Adjust::Splits, true) => "Prices shown adjusted for splits.",
        (Adjust::All, true) => "Prices shown adjusted for splits and dividends (total return).",
        _ => return note,
    };
    Some(match note {
        Some(n) => format!("{n} {what}"),
        None => what.to_string(),
    })
}

fn adjust_name(a: Adjust) -> &'static str {
    match a {
        Adjust::None => "none",
        Adjust::Splits => "splits",
        Adjust::All => "all",
    }
}

pub fn parse_interval(raw: &str) -> Result<Interval, AppError> {
    raw.parse::<Interval>()
        .map_err(|e| AppError::invalid("interval", e.to_string()))
}

pub fn parse_symbol(raw: &str) -> Result<String, AppError> {
    market::validate_symbol(raw).map_err(|e| AppError::invalid("symbol", e))
}

fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

pub async fn symbols(ctx: &ServerContext, p: &Principal) -> Result<Vec<SymbolView>, AppError> {
    p.require(Action::ViewAnalytics)?;
    Ok(ctx
        .store
        .symbols(p.workspace_id)
        .await?
        .into_iter()
        .map(|r| SymbolView {
            symbol: r.symbol,
            interval: r.timeframe,
            source: r.source,
            shared: r.shared,
            bars: r.bars,
            first: time(r.first_t),
            last: time(r.last_t),
        })
        .collect())
}

/// Bars of `symbol` at `interval` with `from <= t < to` (newest `MAX_BARS`), from the
/// workspace's own data or the shared data, aggregated from the finest stored interval
/// that can make them when the interval itself is not stored.
pub async fn read(
    ctx: &ServerContext,
    p: &Principal,
    symbol: &str,
    interval: Interval,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<BarsView, AppError> {
    read_adjusted(ctx, p, symbol, interval, from, to, Adjust::None).await
}

/// [`read`], adjusted for the symbol's splits (and cash dividends with
/// [`Adjust::All`]) before any aggregation. Actions after the range still apply, so
/// the bars are read up to the newest and cut to `to` afterwards.
pub async fn read_adjusted(
    ctx: &ServerContext,
    p: &Principal,
    symbol: &str,
    interval: Interval,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    adjust: Adjust,
) -> Result<BarsView, AppError> {
    p.require(Action::ViewAnalytics)?;
    let symbol = parse_symbol(symbol)?;
    let from_ms = from.map_or(i64::MIN, |t| t.timestamp_millis());
    let wanted_to = to.map_or(i64::MAX, |t| t.timestamp_millis());
    if from_ms >= wanted_to {
        return Err(AppError::invalid("from", "from must be before to"));
    }
    let actions = if adjust == Adjust::None {
        Vec::new()
    } else {
        super::actions::effective(ctx, p.workspace_id, &symbol).await?
    };
    let to_ms = if actions.is_empty() {
        wanted_to
    } else {
        i64::MAX
    };
    // The interval itself first, then finer ones, coarsest first (fewest rows to read).
    let mut candidates = vec![interval];
    candidates.extend(
        Interval::ALL
            .iter()
            .rev()
            .copied()
            .filter(|i| *i != interval && i.can_aggregate_to(interval)),
    );
    for source_interval in candidates {
        let aggregated = source_interval != interval;
        // Aggregating needs every finer bar of the range; the newest MAX_BARS of the
        // result are kept below.
        let limit = if aggregated { 50 * MAX_BARS } else { MAX_BARS };
        let series = ctx
            .store
            .bars(
                p.workspace_id,
                &symbol,
                source_interval.as_str(),
                from_ms,
                to_ms,
                limit,
            )
            .await?;
        if series.bars.is_empty() {
            continue;
        }
        let source_bars = if actions.is_empty() {
            series.bars
        } else {
            let mut adjusted = market::adjust(&series.bars, &actions, adjust);
            adjusted.retain(|b| b.t < wanted_to);
            adjusted
        };
        let mut bars = if aggregated {
            market::aggregate(&source_bars, source_interval, interval).map_err(|e| {
                tracing::error!(error = %e, "stored bars do not aggregate");
                AppError::internal()
            })?
        } else {
            source_bars
        };
        let excess = bars.len().saturating_sub(MAX_BARS as usize);
        bars.drain(..excess);
        return Ok(BarsView {
            symbol,
            interval: interval.as_str().to_string(),
            note: adjusted_note(source_note(&series.source), adjust, !actions.is_empty()),
            source: series.source,
            aggregated,
            adjust: adjust_name(adjust).to_string(),
            bars: bars.into_iter().map(BarView::from).collect(),
        });
    }
    Err(AppError::not_found(&format!(
        "Bars for {symbol} at {}",
        interval.as_str()
    )))
}

/// Imports a bar CSV (see `market::parse_bars_csv` for the columns): all rows or none.
/// `interval` None takes the interval the bar spacing shows.
pub async fn import_csv(
    ctx: &ServerContext,
    p: &Principal,
    bytes: &[u8],
    default_symbol: &str,
    interval: Option<Interval>,
) -> Result<Vec<BarsImported>, AppError> {
    p.require(Action::CreateContent)?;
    let parsed = market::parse_bars_csv(bytes, default_symbol, MAX_IMPORT_ROWS).map_err(|e| {
        let field = match e {
            market::CsvBarsError::DefaultSymbol(_) => "symbol",
            _ => "file",
        };
        AppError::invalid(field, e.to_string())
    })?;
    let mut out = Vec::new();
    for s in &parsed.series {
        let iv = interval.or(s.inferred_interval).ok_or_else(|| {
            AppError::invalid(
                "interval",
                format!(
                    "Cannot tell the interval of {} from its bars: give interval (1m, 5m, 15m, 1h, 4h, 1D or 1W)",
                    s.symbol
                ),
            )
        })?;
        out.push((s, iv));
    }
    let mut report = Vec::new();
    for (s, iv) in out {
        report.push(store_bars(ctx, p, &s.symbol, iv, "import", &s.bars).await?);
    }
    Ok(report)
}

/// Imports bars given as JSON (already parsed): validated like CSV rows, all or none.
pub async fn import_json(
    ctx: &ServerContext,
    p: &Principal,
    symbol: &str,
    interval: Interval,
    bars: &[BarView],
) -> Result<BarsImported, AppError> {
    p.require(Action::CreateContent)?;
    let symbol = parse_symbol(symbol)?;
    if bars.is_empty() {
        return Err(AppError::invalid("bars", "bars is empty"));
    }
    if bars.len() > MAX_IMPORT_ROWS {
        return Err(AppError::invalid(
            "bars",
            format!("at most {MAX_IMPORT_ROWS} bars per request"),
        ));
    }
    let mut out: Vec<Bar> = Vec::with_capacity(bars.len());
    for (i, b) in bars.iter().enumerate() {
        market::check_bar(b.o, b.h, b.l, b.c, b.v)
            .map_err(|m| AppError::invalid("bars", format!("bar {i}: {m}")))?;
        if let Some(prev) = out.last() {
            if b.t <= prev.t {
                return Err(AppError::invalid(
                    "bars",
                    format!(
                        "bar {i}: t must be after the previous bar's t ({} <= {})",
                        b.t, prev.t
                    ),
                ));
            }
        }
        out.push((*b).into());
    }
    store_bars(ctx, p, &symbol, interval, "import", &out).await
}

/// Writes a workspace's bars (replacing its own bars at the same times).
pub async fn store_bars(
    ctx: &ServerContext,
    p: &Principal,
    symbol: &str,
    interval: Interval,
    source: &str,
    bars: &[Bar],
) -> Result<BarsImported, AppError> {
    let n = ctx
        .store
        .upsert_bars(
            Some(p.workspace_id),
            symbol,
            interval.as_str(),
            source,
            bars,
        )
        .await?;
    Ok(BarsImported {
        symbol: symbol.to_string(),
        interval: interval.as_str().to_string(),
        bars: n,
        first: bars.first().map(|b| time(b.t)),
        last: bars.last().map(|b| time(b.t)),
    })
}

/// Most bars one simulation makes.
pub const MAX_SIMULATED_BARS: usize = 100_000;

/// Seeded simulated bars stored in the workspace under the source "simulated" (charts of
/// them carry a SIMULATED badge, replies a note).
pub async fn simulate(
    ctx: &ServerContext,
    p: &Principal,
    req: &SimulateRequest,
) -> Result<BarsImported, AppError> {
    p.require(Action::CreateContent)?;
    let symbol = parse_symbol(&req.symbol)?;
    let interval = parse_interval(&req.interval)?;
    if req.bars == 0 || req.bars > MAX_SIMULATED_BARS {
        return Err(AppError::invalid(
            "bars",
            format!(
                "bars must be between 1 and {MAX_SIMULATED_BARS}, got {}",
                req.bars
            ),
        ));
    }
    let params = market::SimParams {
        start_price: req.start_price,
        mu: req.mu,
        sigma: req.sigma,
        jump_lambda: req.jump_lambda,
        jump_mean: req.jump_mean,
        jump_std: req.jump_std,
        seed: req.seed,
        interval,
        bars: req.bars,
        // 2024-01-01T00:00:00Z
        start_ms: req
            .start
            .map_or(1_704_067_200_000, |t| t.timestamp_millis()),
    };
    let bars = market::simulate(&params).map_err(|e| AppError::invalid("params", e.to_string()))?;
    store_bars(ctx, p, &symbol, interval, "simulated", &bars).await
}

/// Most days one vendor fetch covers.
pub const MAX_FETCH_DAYS: i64 = 366 * 20;

fn vendor_error(e: market::VendorError) -> AppError {
    use market::VendorError as V;
    match e {
        V::RateLimited(_) => AppError::new(
            crate::error::ErrorCode::RateLimited,
            format!("The market-data vendor is rate limiting us: {e}. Try again in a minute."),
        ),
        V::BadSymbol(_) | V::Unsupported(_) => AppError::invalid("symbol", e.to_string()),
        V::Auth(_) | V::Malformed(_) | V::Upstream(_) => {
            tracing::warn!(error = %e, "market-data vendor");
            AppError::new(
                crate::error::ErrorCode::Internal,
                format!("The market-data vendor failed: {e}"),
            )
        }
    }
}

/// Fetches bars from the configured vendor and stores them in the workspace.
pub async fn fetch(
    ctx: &ServerContext,
    p: &Principal,
    req: &FetchRequest,
) -> Result<BarsImported, AppError> {
    p.require(Action::CreateContent)?;
    let vendor = ctx.market_data.as_ref().ok_or_else(|| {
        AppError::invalid(
            "vendor",
            "No market-data vendor is configured on this server (set REFRACT_POLYGON_API_KEY); import bars or use the built-in data",
        )
    })?;
    let symbol = parse_symbol(&req.symbol)?;
    let interval = parse_interval(&req.interval)?;
    let days = (req.to - req.from).num_days();
    if !(0..=MAX_FETCH_DAYS).contains(&days) {
        return Err(AppError::invalid(
            "from",
            format!("from must be on or before to, at most {MAX_FETCH_DAYS} days apart"),
        ));
    }
    let bars = vendor
        .bars(&symbol, interval, req.from, req.to)
        .await
        .map_err(vendor_error)?;
    if bars.is_empty() {
        return Err(AppError::not_found(&format!(
            "{} data for {symbol} from {} to {}",
            vendor.name(),
            req.from,
            req.to
        )));
    }
    store_bars(ctx, p, &symbol, interval, vendor.name(), &bars).await
}
