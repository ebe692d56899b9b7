#![recursion_limit = "256"]

//! The wasm entry point. Everything else lives in `app`; the two extra exports let the
//! browser tests check that the pricer computes the same numbers in wasm as natively, and
//! time it there.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::client::start();
    leptos::mount::hydrate_body(app::App);
    app::client::mark_hydrated();
}

/// The pricer's seeded Monte Carlo fingerprint; native tests pin its bits.
#[wasm_bindgen]
pub fn mc_fingerprint(seed: u32) -> f64 {
    pricer::mc_fingerprint(u64::from(seed))
}

/// Milliseconds per P/L grid of 100 prices × 30 dates for a 4-leg iron condor, averaged
/// over `iterations` runs (the Strategy Lab's heaviest recomputation).
#[wasm_bindgen]
pub fn bench_strategy_grid(iterations: u32) -> f64 {
    use pricer::strategy::{grid::pnl_grid, templates::iron_condor};
    let Ok(strategy) = iron_condor(90.0, 95.0, 105.0, 110.0, 45.0 / 365.0) else {
        return f64::NAN;
    };
    let Ok(market) = pricer::Market::new(100.0, 0.04, 0.01, 0.25) else {
        return f64::NAN;
    };
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return f64::NAN;
    };
    let n = iterations.max(1);
    let mut checksum = 0.0;
    let start = perf.now();
    for _ in 0..n {
        if let Ok(g) = pnl_grid(&strategy, &market, 100, 30) {
            checksum += g.values[g.values.len() / 2];
        }
    }
    let elapsed = perf.now() - start;
    // keep the work observable so it cannot be optimised away
    if checksum.is_nan() {
        return f64::NAN;
    }
    elapsed / f64::from(n)
}
