//! Any JSON through the indicators' study parser and computation (what `POST
//! /api/v1/indicators` does with a request): a typed error or series aligned with the bars.
#![no_main]

use indicators::{compute, Bar, Convention, StudySpec};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Some(name) = v.get("name").and_then(|n| n.as_str()) else {
        return;
    };
    let mut spec = StudySpec::new(name);
    if let Some(params) = v.get("params").and_then(|p| p.as_object()) {
        for (k, x) in params {
            if let Some(x) = x.as_f64() {
                spec = spec.with(k.as_str(), x);
            }
        }
    }
    let bars: Vec<Bar> = (0..300)
        .map(|i| {
            let c = 100.0 + (i as f64 * 0.37).sin() * 5.0;
            Bar::new(i * 60_000, c, c + 1.0, c - 1.0, c, 1000.0)
        })
        .collect();
    for convention in [Convention::TaLib, Convention::TradingView] {
        if let Ok(series) = compute(&bars, &spec, convention) {
            assert!(series.iter().all(|s| s.values.len() == bars.len()));
        }
    }
});
