//! `POST /indicators`: any studies of the catalogue over bars the caller sends. No
//! storage and no quota: the same computation the browser runs.

use crate::charts_wire::{IndicatorRequest, IndicatorResult, SeriesView};
use crate::error::AppError;
use indicators::{Bar, Convention, StudySpec, CATALOGUE};
use std::collections::BTreeMap;

pub const MAX_BARS: usize = 200_000;
pub const MAX_STUDIES: usize = 20;

pub fn parse_convention(raw: Option<&str>) -> Result<Convention, AppError> {
    match raw.map(str::to_ascii_lowercase).as_deref() {
        None | Some("talib") | Some("ta-lib") => Ok(Convention::TaLib),
        Some("tradingview") => Ok(Convention::TradingView),
        Some(other) => Err(AppError::invalid(
            "convention",
            format!("convention must be talib or tradingview, got '{other}'"),
        )),
    }
}

/// The parameters a study ran with: the caller's, and the catalogue's defaults for the rest.
fn effective_params(name: &str, given: &BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    if let Some(info) = CATALOGUE.iter().find(|i| i.name == name) {
        for (k, v) in info.params {
            out.insert((*k).to_string(), *v);
        }
    }
    out.extend(given.iter().map(|(k, v)| (k.clone(), *v)));
    out
}

pub fn compute(req: &IndicatorRequest) -> Result<IndicatorResult, AppError> {
    let convention = parse_convention(req.convention.as_deref())?;
    if req.bars.is_empty() {
        return Err(AppError::invalid("bars", "bars is empty"));
    }
    if req.bars.len() > MAX_BARS {
        return Err(AppError::invalid(
            "bars",
            format!(
                "at most {MAX_BARS} bars per request, got {}",
                req.bars.len()
            ),
        ));
    }
    if req.indicators.is_empty() || req.indicators.len() > MAX_STUDIES {
        return Err(AppError::invalid(
            "indicators",
            format!(
                "give 1 to {MAX_STUDIES} indicators, got {}",
                req.indicators.len()
            ),
        ));
    }
    let mut bars: Vec<Bar> = Vec::with_capacity(req.bars.len());
    for (i, b) in req.bars.iter().enumerate() {
        if ![b.o, b.h, b.l, b.c, b.v].iter().all(|x| x.is_finite()) {
            return Err(AppError::invalid(
                "bars",
                format!("bar {i}: every price and the volume must be finite numbers"),
            ));
        }
        bars.push((*b).into());
    }
    let mut series = Vec::new();
    for (i, spec) in req.indicators.iter().enumerate() {
        let name = spec.name.trim().to_ascii_lowercase();
        let study = StudySpec {
            name: name.clone(),
            params: spec.params.clone(),
        };
        let out = indicators::compute(&bars, &study, convention).map_err(|e| {
            AppError::invalid(
                "indicators",
                format!("indicators[{i}] ({}): {e}", spec.name),
            )
        })?;
        let params = effective_params(&name, &spec.params);
        series.extend(out.into_iter().map(|s| SeriesView {
            name: s.name,
            output: s.output,
            params: params.clone(),
            values: s.values,
        }));
    }
    Ok(IndicatorResult { series })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts_wire::{BarView, IndicatorSpec};

    fn bars(n: usize) -> Vec<BarView> {
        (0..n)
            .map(|i| {
                let c = 100.0 + i as f64;
                BarView {
                    t: i as i64 * 86_400_000,
                    o: c,
                    h: c + 1.0,
                    l: c - 1.0,
                    c,
                    v: 1000.0,
                }
            })
            .collect()
    }

    fn req(name: &str, params: &[(&str, f64)]) -> IndicatorRequest {
        IndicatorRequest {
            bars: bars(30),
            indicators: vec![IndicatorSpec {
                name: name.into(),
                params: params.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            }],
            convention: None,
        }
    }

    #[test]
    fn sma_values_align_with_the_bars_and_name_their_params() {
        let out = compute(&req("sma", &[("period", 3.0)])).expect("sma");
        assert_eq!(out.series.len(), 1);
        let s = &out.series[0];
        assert_eq!((s.name.as_str(), s.output.as_str()), ("sma", "sma"));
        assert_eq!(s.values.len(), 30);
        assert_eq!(s.values[1], None);
        // closes 100, 101, 102 → 101
        assert_eq!(s.values[2], Some(101.0));
        assert_eq!(s.params.get("period"), Some(&3.0));
    }

    #[test]
    fn multi_output_studies_give_one_series_per_line_with_defaults() {
        let out = compute(&req("macd", &[])).expect("macd");
        let outputs: Vec<_> = out.series.iter().map(|s| s.output.as_str()).collect();
        assert_eq!(outputs, ["macd", "signal", "hist"]);
        assert_eq!(out.series[0].params.get("slow"), Some(&26.0));
    }

    #[test]
    fn bad_input_is_named() {
        let e = compute(&req("sma", &[("period", 0.0)])).expect_err("period 0");
        assert!(
            e.message.starts_with("indicators[0] (sma):"),
            "{}",
            e.message
        );
        let e = compute(&req("nope", &[])).expect_err("unknown");
        assert!(e.message.contains("nope"), "{}", e.message);
        let mut r = req("sma", &[]);
        r.convention = Some("metastock".into());
        assert!(compute(&r)
            .expect_err("convention")
            .message
            .contains("talib or tradingview"));
        let mut r = req("sma", &[]);
        r.bars[3].c = f64::NAN;
        assert!(compute(&r).expect_err("nan").message.starts_with("bar 3:"));
    }
}
