//! Every indicator over 1,000,000 bars: the 600 AAPL reference bars tiled
//! (benches/talib_bench.py times TA-Lib on the very same bars).
//!
//! `CARGO_TARGET_DIR=... cargo bench -p indicators`
//!
//! Measured once on the shared 2-core dev VM (load average 4.3-4.8 from
//! another engineer's build, so ±30 % run to run), "all (TA-Lib set)" =
//! SMA, EMA, WMA, RSI, MACD, BBANDS, ATR, STOCH, OBV, ADX+DIs:
//!
//! | | 1M bars, all |
//! |---|---|
//! | TA-Lib 0.8.1 via numpy (talib_bench.py, one run of all) | 118-210 ms |
//! | this crate, default glibc malloc | 430-560 ms |
//! | this crate, `GLIBC_TUNABLES=glibc.malloc.hugetlb=1` | 275-365 ms |
//! | this crate, malloc told to keep freed memory (`trim_threshold` and `mmap_threshold` = 4 GiB) | 188-268 ms |
//! | this crate, `Study::compute_into` buffers kept between runs (2026-11-22, load 1.0-1.4) | 147-187 ms here; best of 5 by `examples/talib_side_by_side.rs`: 121-124 ms vs TA-Lib's 113-123 ms in the same minutes |
//!
//! The gap is mostly first-touch page faults on fresh output memory (perf:
//! ~60 % of BBANDS' time in the kernel's page-fault path): each output line
//! is a new 16 MB `Vec<Option<f64>>` (twice numpy's 8 MB f64 array), glibc
//! returns it to the OS on drop, and numpy asks for transparent huge pages
//! where glibc by default does not. The indicator loops alone (streaming,
//! nothing stored) run BBANDS in ~10 ms, MACD ~13 ms, ADX ~14 ms. Hence
//! `Study::compute_into`, TA-Lib's C API shape (the caller owns the output
//! arrays): with buffers kept between runs the set runs level with TA-Lib.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use indicators::*;
use std::time::Duration;

#[path = "../tests/common/mod.rs"]
mod common;

const N: usize = 1_000_000;

fn tiled() -> Vec<Bar> {
    common::tiled_aapl(N)
}

/// The TA-Lib comparison set: what talib_bench.py's `run_all` computes.
fn all(bars: &[Bar], closes: &[f64]) -> usize {
    let tl = Convention::TaLib;
    let mut n = 0;
    n += sma(closes, 20).expect("valid parameters").len();
    n += ema(closes, 20, tl).expect("valid parameters").len();
    n += wma(closes, 20).expect("valid parameters").len();
    n += rsi(closes, 14, tl).expect("valid parameters").len();
    n += macd(closes, 12, 26, 9, tl)
        .expect("valid parameters")
        .hist
        .len();
    n += bbands(closes, 20, 2.0)
        .expect("valid parameters")
        .upper
        .len();
    n += atr(bars, 14, tl).expect("valid parameters").len();
    n += stoch(bars, 14, 3, 3, tl).expect("valid parameters").k.len();
    n += obv(bars, tl).len();
    n += adx(bars, 14, tl).expect("valid parameters").adx.len();
    n
}

/// The same set as [`Study`]s, each with its output lines allocated once.
fn into_set(n: usize) -> Vec<(Study, Vec<Vec<f64>>)> {
    common::talib_set()
        .into_iter()
        .map(|(_, study)| (study, vec![vec![0.0; n]; study.outputs().len()]))
        .collect()
}

/// The set through [`Study::compute_into`] into buffers the caller keeps
/// between runs (TA-Lib's C API shape: the caller owns the output arrays).
fn all_into(bars: &[Bar], set: &mut [(Study, Vec<Vec<f64>>)]) -> usize {
    let mut n = 0;
    for (study, lines) in set.iter_mut() {
        let mut out: Vec<&mut [f64]> = lines.iter_mut().map(|l| &mut l[..]).collect();
        study
            .compute_into(bars, Convention::TaLib, &mut out)
            .expect("valid parameters");
        n += out.len();
    }
    n
}

fn bench(c: &mut Criterion) {
    let bars = tiled();
    let closes: Vec<f64> = bars.iter().map(|b| b.c).collect();
    let tl = Convention::TaLib;
    let mut g = c.benchmark_group("1M bars");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g.bench_function("all (TA-Lib set)", |b| {
        b.iter(|| all(black_box(&bars), black_box(&closes)))
    });
    let mut set = into_set(bars.len());
    g.bench_function("all (TA-Lib set), into kept buffers", |b| {
        b.iter(|| all_into(black_box(&bars), &mut set))
    });
    g.bench_function("sma 20", |b| b.iter(|| sma(black_box(&closes), 20)));
    g.bench_function("ema 20", |b| b.iter(|| ema(black_box(&closes), 20, tl)));
    g.bench_function("wma 20", |b| b.iter(|| wma(black_box(&closes), 20)));
    g.bench_function("rsi 14", |b| b.iter(|| rsi(black_box(&closes), 14, tl)));
    g.bench_function("macd 12/26/9", |b| {
        b.iter(|| macd(black_box(&closes), 12, 26, 9, tl))
    });
    g.bench_function("bbands 20/2", |b| {
        b.iter(|| bbands(black_box(&closes), 20, 2.0))
    });
    g.bench_function("atr 14", |b| b.iter(|| atr(black_box(&bars), 14, tl)));
    g.bench_function("stoch 14/3/3", |b| {
        b.iter(|| stoch(black_box(&bars), 14, 3, 3, tl))
    });
    g.bench_function("obv", |b| b.iter(|| obv(black_box(&bars), tl)));
    g.bench_function("adx 14 (+DI, -DI)", |b| {
        b.iter(|| adx(black_box(&bars), 14, tl))
    });
    g.bench_function("vwap daily", |b| {
        let daily = Session::Every {
            period_ms: 86_400_000,
            offset_ms: 0,
        };
        b.iter(|| vwap(black_box(&bars), daily))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
