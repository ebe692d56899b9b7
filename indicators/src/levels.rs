//! Price levels: floor pivot points and clustered support/resistance.

use crate::bar::{Bar, Convention, Indicator, Session};
use crate::error::{check_period, IndicatorError};
use crate::volatility::Atr;

/// Which pivot formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PivotKind {
    /// Classic floor pivots: P = (H+L+C)/3, R1 = 2P-L, S1 = 2P-H,
    /// R2 = P+(H-L), S2 = P-(H-L), R3 = H+2(P-L), S3 = L-2(H-P).
    #[default]
    Classic,
    /// P as classic; R/S = P ± 0.382, 0.618, 1.000 × (H-L).
    Fibonacci,
    /// P = (H+L+2C)/4, then the classic R/S formulas.
    Woodie,
    /// R/S = C ± (H-L) × 1.1/12, 1.1/6, 1.1/4; P as classic.
    Camarilla,
}

/// Pivot levels for one period, from the previous period's high, low, close.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PivotLevels {
    pub pp: f64,
    pub r1: f64,
    pub r2: f64,
    pub r3: f64,
    pub s1: f64,
    pub s2: f64,
    pub s3: f64,
}

/// Pivot levels from one completed period's high, low and close.
pub fn pivot_levels(high: f64, low: f64, close: f64, kind: PivotKind) -> PivotLevels {
    let range = high - low;
    let classic = |pp: f64| PivotLevels {
        pp,
        r1: 2.0 * pp - low,
        s1: 2.0 * pp - high,
        r2: pp + range,
        s2: pp - range,
        r3: high + 2.0 * (pp - low),
        s3: low - 2.0 * (high - pp),
    };
    let pp = (high + low + close) / 3.0;
    match kind {
        PivotKind::Classic => classic(pp),
        PivotKind::Woodie => classic((high + low + 2.0 * close) / 4.0),
        PivotKind::Fibonacci => PivotLevels {
            pp,
            r1: pp + 0.382 * range,
            r2: pp + 0.618 * range,
            r3: pp + range,
            s1: pp - 0.382 * range,
            s2: pp - 0.618 * range,
            s3: pp - range,
        },
        PivotKind::Camarilla => PivotLevels {
            pp,
            r1: close + range * 1.1 / 12.0,
            r2: close + range * 1.1 / 6.0,
            r3: close + range * 1.1 / 4.0,
            s1: close - range * 1.1 / 12.0,
            s2: close - range * 1.1 / 6.0,
            s3: close - range * 1.1 / 4.0,
        },
    }
}

/// Per-bar pivots where each bar's period is the bar itself (e.g. daily bars
/// → daily pivots): bar i gets the levels of bar i-1; bar 0 gets `None`.
pub fn pivots(bars: &[Bar], kind: PivotKind) -> Vec<Option<PivotLevels>> {
    std::iter::once(None)
        .chain(
            bars.windows(2)
                .map(|w| Some(pivot_levels(w[0].h, w[0].l, w[0].c, kind))),
        )
        .take(bars.len())
        .collect()
}

/// Per-bar pivots for intraday bars: every bar gets the levels of the previous
/// complete session's high, low and last close; bars of the first session, and
/// every bar when `session` is [`Session::Never`], get `None`.
pub fn session_pivots(bars: &[Bar], session: Session, kind: PivotKind) -> Vec<Option<PivotLevels>> {
    let mut out = Vec::with_capacity(bars.len());
    let mut key = None;
    let mut current: Option<(f64, f64, f64)> = None;
    let mut levels = None;
    for b in bars {
        let k = session.key(b.t);
        if k.is_some() && k != key {
            if let Some((h, l, c)) = current {
                levels = Some(pivot_levels(h, l, c, kind));
            }
            current = None;
            key = k;
        }
        current = Some(match current {
            None => (b.h, b.l, b.c),
            Some((h, l, _)) => (h.max(b.h), l.min(b.l), b.c),
        });
        out.push(levels);
    }
    out
}

/// A swing high or low: an extreme over `window` bars on each side.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SwingPoint {
    pub index: usize,
    pub price: f64,
    pub is_high: bool,
}

/// Swing highs (high above the `window` highs before it and not below the
/// `window` after it) and swing lows (mirror image), in bar order. The last
/// `window` bars cannot be confirmed yet and are never swings; ties resolve to
/// the first bar of a flat top or bottom.
pub fn swing_points(bars: &[Bar], window: usize) -> Vec<SwingPoint> {
    let mut out = Vec::new();
    if window == 0 || bars.len() < 2 * window + 1 {
        return out;
    }
    for i in window..bars.len() - window {
        let (h, l) = (bars[i].h, bars[i].l);
        let before = &bars[i - window..i];
        let after = &bars[i + 1..=i + window];
        if before.iter().all(|b| b.h < h) && after.iter().all(|b| b.h <= h) {
            out.push(SwingPoint {
                index: i,
                price: h,
                is_high: true,
            });
        }
        if before.iter().all(|b| b.l > l) && after.iter().all(|b| b.l >= l) {
            out.push(SwingPoint {
                index: i,
                price: l,
                is_high: false,
            });
        }
    }
    out
}

/// Settings for [`support_resistance`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SrConfig {
    /// Bars on each side that a swing must dominate (default 5).
    pub swing_window: usize,
    /// ATR period for the clustering tolerance (default 14, TA-Lib ATR).
    pub atr_period: usize,
    /// Swings within this many ATRs of a cluster's mean price join it
    /// (default 0.5).
    pub tolerance_atr: f64,
    /// Clusters with fewer swings are dropped (default 2).
    pub min_touches: usize,
    /// At most this many levels are returned, best first (default 8).
    pub max_levels: usize,
    /// Weight of recency against touches in the score (default 1.0).
    pub recency_weight: f64,
}

impl Default for SrConfig {
    fn default() -> Self {
        Self {
            swing_window: 5,
            atr_period: 14,
            tolerance_atr: 0.5,
            min_touches: 2,
            max_levels: 8,
            recency_weight: 1.0,
        }
    }
}

/// Whether a level lies below (support) or above (resistance) the last close.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LevelKind {
    Support,
    Resistance,
}

/// A support or resistance level: a cluster of swing points.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Level {
    /// Mean price of the cluster's swings.
    pub price: f64,
    pub kind: LevelKind,
    /// Number of swing highs and lows in the cluster.
    pub touches: usize,
    pub first_index: usize,
    pub last_index: usize,
    /// `touches + recency_weight * (last_index + 1) / bars.len()`; higher is
    /// stronger.
    pub score: f64,
}

/// Support and resistance levels from clustered swing highs and lows, best
/// first.
///
/// Swing highs and lows are pooled (a broken resistance becomes support),
/// sorted by price and grouped greedily: a swing joins the current cluster
/// when it is within `tolerance_atr` × ATR of the cluster's running mean,
/// so clusters cannot chain far beyond the tolerance. ATR is TA-Lib's at the
/// last bar; with too few bars for it, the mean high-low range is used.
pub fn support_resistance(bars: &[Bar], config: &SrConfig) -> Result<Vec<Level>, IndicatorError> {
    let invalid = |param: &'static str, value: f64, reason: &str| IndicatorError::InvalidParam {
        study: "support_resistance",
        param,
        value,
        reason: reason.into(),
    };
    check_period("support_resistance", "swing_window", config.swing_window, 1)?;
    check_period("support_resistance", "atr_period", config.atr_period, 1)?;
    if !(config.tolerance_atr.is_finite() && config.tolerance_atr >= 0.0) {
        return Err(invalid(
            "tolerance_atr",
            config.tolerance_atr,
            "must be a finite number ≥ 0",
        ));
    }
    if !(config.recency_weight.is_finite() && config.recency_weight >= 0.0) {
        return Err(invalid(
            "recency_weight",
            config.recency_weight,
            "must be a finite number ≥ 0",
        ));
    }
    if config.max_levels == 0 {
        return Err(invalid("max_levels", 0.0, "must be at least 1"));
    }
    let Some(last) = bars.last() else {
        return Ok(Vec::new());
    };

    let mut atr = Atr::unchecked(config.atr_period, Convention::TaLib);
    let scale = bars
        .iter()
        .filter_map(|b| atr.next(*b))
        .last()
        .unwrap_or_else(|| bars.iter().map(|b| b.h - b.l).sum::<f64>() / bars.len() as f64);
    let tolerance = config.tolerance_atr * scale;

    let mut swings = swing_points(bars, config.swing_window);
    swings.sort_by(|a, b| a.price.total_cmp(&b.price).then(a.index.cmp(&b.index)));

    let mut levels = Vec::new();
    let mut cluster: Vec<SwingPoint> = Vec::new();
    let mut mean = 0.0;
    let n = bars.len() as f64;
    let mut flush = |cluster: &mut Vec<SwingPoint>, mean: f64| {
        if cluster.len() >= config.min_touches.max(1) {
            let first_index = cluster.iter().map(|s| s.index).min().unwrap_or(0);
            let last_index = cluster.iter().map(|s| s.index).max().unwrap_or(0);
            levels.push(Level {
                price: mean,
                kind: if mean > last.c {
                    LevelKind::Resistance
                } else {
                    LevelKind::Support
                },
                touches: cluster.len(),
                first_index,
                last_index,
                score: cluster.len() as f64 + config.recency_weight * (last_index + 1) as f64 / n,
            });
        }
        cluster.clear();
    };
    for s in swings {
        if !cluster.is_empty() && (s.price - mean).abs() > tolerance {
            flush(&mut cluster, mean);
        }
        cluster.push(s);
        mean = cluster.iter().map(|c| c.price).sum::<f64>() / cluster.len() as f64;
    }
    if !cluster.is_empty() {
        flush(&mut cluster, mean);
    }
    levels.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.price.total_cmp(&b.price))
    });
    levels.truncate(config.max_levels);
    Ok(levels)
}
