//! The technical analyst on 500 daily bars (the last 500 AAPL reference bars).
//!
//! `CARGO_TARGET_DIR=... cargo bench -p indicators --bench analyst`
//!
//! Budget: 5 ms per analysis. Measured once on the shared 2-core dev VM
//! (other builds running): ~148 µs TA-Lib mode, ~141 µs TradingView mode
//! (criterion medians; ±10 % run to run), about 1/35 of the budget.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use indicators::*;

#[path = "../tests/common/mod.rs"]
mod common;

fn bench(c: &mut Criterion) {
    let bars = common::bars("aapl");
    let last = &bars[bars.len() - 500..];
    for (name, convention) in [
        ("analyse 500 bars (TA-Lib)", Convention::TaLib),
        ("analyse 500 bars (TradingView)", Convention::TradingView),
    ] {
        let config = AnalystConfig {
            convention,
            ..AnalystConfig::default()
        };
        c.bench_function(name, |b| {
            b.iter(|| analyse(black_box(last), black_box(&config)).expect("analysis"))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
