//! Times every indicator over the 1,000,000 bars of `benches/indicators.rs`
//! with the method of `benches/talib_bench.py` (best of 5 runs each, then the
//! whole set in one run), writing into output buffers kept between runs, so
//! the two tables read side by side:
//!
//! `cargo run --release -p indicators --example talib_side_by_side`
//! `/tmp/talib-venv/bin/python indicators/benches/talib_bench.py`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use indicators::*;
use std::time::Instant;

#[path = "../tests/common/mod.rs"]
mod common;

const N: usize = 1_000_000;

fn best_ms(mut f: impl FnMut()) -> f64 {
    (0..5)
        .map(|_| {
            let t0 = Instant::now();
            f();
            t0.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let bars = common::tiled_aapl(N);
    let mut set: Vec<(&str, Study, Vec<Vec<f64>>)> = common::talib_set()
        .into_iter()
        .map(|(label, study)| (label, study, vec![vec![0.0; N]; study.outputs().len()]))
        .collect();
    let run = |study: &Study, lines: &mut Vec<Vec<f64>>| {
        let mut out: Vec<&mut [f64]> = lines.iter_mut().map(|l| &mut l[..]).collect();
        study
            .compute_into(&bars, Convention::TaLib, &mut out)
            .expect("computes");
    };
    println!("indicators crate, compute_into kept buffers, {N} bars");
    let mut sum = 0.0;
    for (label, study, lines) in set.iter_mut() {
        let ms = best_ms(|| run(study, lines));
        sum += ms;
        println!("{label:20} {ms:8.2} ms");
    }
    println!("{:20} {sum:8.2} ms", "sum");
    let all = best_ms(|| {
        for (_, study, lines) in set.iter_mut() {
            run(study, lines);
        }
    });
    println!("{:20} {all:8.2} ms", "all in one run");
}
