//! /api/v1/pricing: one option's price and Greeks, implied volatility, and a strategy's
//! full analysis — the same pricer the browser runs.

use crate::api::auth::Authed;
use crate::api::envelope::{ok, ApiError, ApiResult, Failure, Json, Success};
use app::error::AppError;
use app::options::analysis::{Resolution, StrategyReport};
use app::options::StrategySpec;
use pricer::{Engine, ExerciseStyle, IvRequest, OptionKind, PricingRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct PriceBody {
    /// call or put
    #[schema(example = "call")]
    pub kind: String,
    /// european (default) or american
    #[serde(default)]
    pub style: Option<String>,
    /// analytic, baw, bs1993, bs2002, tree, tree:N, best; default analytic for European,
    /// best for American
    #[serde(default)]
    pub engine: Option<String>,
    #[schema(example = 100.0)]
    pub spot: f64,
    #[schema(example = 105.0)]
    pub strike: f64,
    /// Continuous dividend yield (default 0).
    #[serde(default)]
    pub q: f64,
    /// Continuously compounded rate (default 0).
    #[serde(default)]
    #[schema(example = 0.05)]
    pub r: f64,
    /// Years to expiry.
    #[schema(example = 0.5)]
    pub t: f64,
    #[schema(example = 0.25)]
    pub vol: f64,
}

#[derive(Deserialize, ToSchema)]
pub struct ImpliedVolBody {
    #[schema(example = "put")]
    pub kind: String,
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub engine: Option<String>,
    pub spot: f64,
    pub strike: f64,
    #[serde(default)]
    pub q: f64,
    #[serde(default)]
    pub r: f64,
    pub t: f64,
    /// The option's market price.
    pub price: f64,
}

/// Raw derivatives: theta per year, vega and rho per 1.00 (see `theta_per_day`,
/// `vega_per_pct` for trader units).
#[derive(Serialize, ToSchema)]
pub struct GreeksOut {
    pub delta: f64,
    pub gamma: f64,
    pub theta: f64,
    pub vega: f64,
    pub rho: f64,
    pub dividend_rho: f64,
    pub vanna: f64,
    pub volga: f64,
    pub charm: f64,
    pub speed: f64,
}

#[derive(Serialize, ToSchema)]
pub struct PriceOut {
    pub price: f64,
    pub greeks: GreeksOut,
    pub theta_per_day: f64,
    pub vega_per_pct: f64,
    pub engine: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImpliedVolOut {
    pub iv: f64,
    pub engine: String,
}

#[derive(Deserialize, ToSchema)]
pub struct StrategyBody {
    #[serde(flatten)]
    pub strategy: StrategySpec,
    /// Points on the P/L curves (default 121, at most 1001).
    #[serde(default)]
    pub curve_points: Option<usize>,
    /// Heat-map columns (default 60, at most 400) and rows (default 20, at most 200).
    #[serde(default)]
    pub grid_prices: Option<usize>,
    #[serde(default)]
    pub grid_dates: Option<usize>,
    /// Seed of the Monte Carlo probability of profit (multi-expiry strategies).
    #[serde(default)]
    pub seed: Option<u64>,
}

fn field_err(field: &str) -> impl Fn(pricer::InputError) -> ApiError + '_ {
    move |e| ApiError(AppError::invalid(field, e.to_string()))
}

fn parse_common(
    kind: &str,
    style: &Option<String>,
    engine: &Option<String>,
) -> Result<(OptionKind, ExerciseStyle, Option<Engine>), ApiError> {
    let kind: OptionKind = kind.parse().map_err(field_err("kind"))?;
    let style = match style.as_deref() {
        None | Some("") => ExerciseStyle::European,
        Some(s) => s.parse().map_err(field_err("style"))?,
    };
    let engine = match engine.as_deref() {
        None | Some("") => None,
        Some(e) => Some(e.parse().map_err(field_err("engine"))?),
    };
    Ok((kind, style, engine))
}

fn engine_name(style: ExerciseStyle, engine: Option<Engine>) -> String {
    match engine {
        Some(Engine::Tree { steps }) => format!("tree:{steps}"),
        Some(e) => e.name().to_string(),
        None if style == ExerciseStyle::American => "best".into(),
        None => "analytic".into(),
    }
}

/// Price and Greeks of one option.
#[utoipa::path(post, path = "/pricing/price", tag = "pricing", request_body = PriceBody,
    responses((status = 200, body = Success<PriceOut>), (status = 400, body = Failure), (status = 401, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn price(_: Authed, Json(b): Json<PriceBody>) -> ApiResult<PriceOut> {
    let (kind, style, engine) = parse_common(&b.kind, &b.style, &b.engine)?;
    let req = PricingRequest {
        kind,
        style,
        engine,
        spot: b.spot,
        strike: b.strike,
        q: b.q,
        r: b.r,
        t: b.t,
        vol: b.vol,
    };
    // American engines take up to a millisecond: keep them off the async workers.
    let res = tokio::task::spawn_blocking(move || pricer::price(&req))
        .await
        .map_err(|_| ApiError(AppError::internal()))?
        .map_err(|e| {
            ApiError(AppError::new(
                app::error::ErrorCode::ValidationError,
                e.to_string(),
            ))
        })?;
    let g = res.greeks;
    Ok(ok(PriceOut {
        price: res.price,
        theta_per_day: g.theta_per_day(),
        vega_per_pct: g.vega_per_pct(),
        greeks: GreeksOut {
            delta: g.delta,
            gamma: g.gamma,
            theta: g.theta,
            vega: g.vega,
            rho: g.rho,
            dividend_rho: g.dividend_rho,
            vanna: g.vanna,
            volga: g.volga,
            charm: g.charm,
            speed: g.speed,
        },
        engine: engine_name(style, engine),
    }))
}

/// Implied volatility from a price. Prices outside the no-arbitrage bounds are refused
/// with the bound in the message.
#[utoipa::path(post, path = "/pricing/implied-vol", tag = "pricing", request_body = ImpliedVolBody,
    responses((status = 200, body = Success<ImpliedVolOut>), (status = 400, body = Failure), (status = 401, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn implied_vol(_: Authed, Json(b): Json<ImpliedVolBody>) -> ApiResult<ImpliedVolOut> {
    let (kind, style, engine) = parse_common(&b.kind, &b.style, &b.engine)?;
    let req = IvRequest {
        kind,
        style,
        engine,
        spot: b.spot,
        strike: b.strike,
        q: b.q,
        r: b.r,
        t: b.t,
        price: b.price,
    };
    let iv = tokio::task::spawn_blocking(move || pricer::implied_vol(&req))
        .await
        .map_err(|_| ApiError(AppError::internal()))?
        .map_err(|e| ApiError(AppError::invalid("price", e.to_string())))?;
    Ok(ok(ImpliedVolOut {
        iv,
        engine: engine_name(style, engine),
    }))
}

/// A strategy's analysis: net debit, breakevens, max profit and loss (or unlimited),
/// probability of profit, expected move, Greeks per leg and in total, P/L curves at expiry
/// and at the evaluation date, and a P/L grid over price × days.
#[utoipa::path(post, path = "/pricing/strategy", tag = "pricing", request_body = StrategyBody,
    responses((status = 200, body = Success<StrategyReport>), (status = 400, body = Failure), (status = 401, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn strategy(_: Authed, Json(b): Json<StrategyBody>) -> ApiResult<StrategyReport> {
    let d = Resolution::default();
    let bounded =
        |v: Option<usize>, default: usize, max: usize, name: &str| -> Result<usize, ApiError> {
            match v {
                None => Ok(default),
                Some(n) if (2..=max).contains(&n) => Ok(n),
                Some(_) => Err(ApiError(AppError::invalid(
                    name,
                    format!("{name} must be between 2 and {max}"),
                ))),
            }
        };
    let res = Resolution {
        curve_points: bounded(b.curve_points, d.curve_points, 1001, "curve_points")?,
        grid_prices: bounded(b.grid_prices, d.grid_prices, 400, "grid_prices")?,
        grid_dates: bounded(b.grid_dates, d.grid_dates, 200, "grid_dates")?,
        seed: b.seed.unwrap_or(d.seed),
    };
    let spec = b.strategy;
    let report = tokio::task::spawn_blocking(move || app::options::analyze(&spec, res))
        .await
        .map_err(|_| ApiError(AppError::internal()))??;
    Ok(ok(report))
}
