//! Hot loop for instruction-count profiling: `hot <op> <iterations>`, op one
//! of greeks, greeks5, chain, iv, iv_batch, iv_crate, alo, alo_m1, alo_m2, alo_p4,
//! grid (the workloads of `benches/pricing.rs`).
//!
//! Instruction counts are robust where wall-clock on a shared machine is
//! not: run under `valgrind --tool=callgrind --callgrind-out-file=/dev/null`
//! with N and with 0 iterations and divide the difference by N.
#![allow(clippy::unwrap_used)]

use pricer::american::alo::{self, AloScheme};
use pricer::black::OptionKind;
use pricer::chain::{price_chain, ChainInputs, ChainOutputs};
use pricer::greeks::bsm_greeks;
use pricer::strategy::analysis::entry_prices;
use pricer::strategy::grid::fill_pnl_grid;
use pricer::strategy::templates::iron_condor;
use pricer::Market;
use std::hint::black_box;

/// The same mixed implied-vol workload as `benches/pricing.rs`.
fn iv_cases() -> Vec<(f64, f64, f64, OptionKind)> {
    let mut cases = Vec::new();
    let mut rng = pricer::mc::Rng::new(5);
    while cases.len() < 4096 {
        let t = (rng.uniform() * (10f64).ln() - (8760f64).ln() * rng.uniform())
            .exp()
            .clamp(1.0 / 8760.0, 10.0);
        let vol = 0.01 * (rng.uniform() * (300f64).ln()).exp();
        let s = vol * t.sqrt();
        let k = 100.0 * ((rng.uniform() - 0.5) * 5.0 * s).exp();
        let kind = if rng.uniform() < 0.5 {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        let p = pricer::black::black_undiscounted(100.0, k, s, kind);
        let intrinsic = (kind.sign() * (100.0 - k)).max(0.0);
        if p > intrinsic * (1.0 + 1e-12) && p - intrinsic > 1e-200 {
            cases.push((p, k, t, kind));
        }
    }
    cases
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let op = args.get(1).map(String::as_str).unwrap_or("greeks");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let mut acc = 0.0;
    match op {
        "greeks" => {
            let mut k = 90.0;
            for _ in 0..n {
                k = if k > 110.0 { 90.0 } else { k + 0.37 };
                // black_box the whole result, as the criterion bench does, so
                // no Greek is optimised away.
                let r = black_box(bsm_greeks(
                    OptionKind::Call,
                    black_box(100.0),
                    k,
                    0.05,
                    0.02,
                    0.5,
                    0.25,
                ));
                acc += r.price + r.greeks.delta;
            }
        }
        "greeks5" => {
            let mut k = 90.0;
            for _ in 0..n {
                k = if k > 110.0 { 90.0 } else { k + 0.37 };
                let r = black_box(pricer::bsm_price_greeks5(
                    OptionKind::Call,
                    black_box(100.0),
                    k,
                    0.05,
                    0.02,
                    0.5,
                    0.25,
                ));
                acc += r.price + r.delta;
            }
        }
        "chain" => {
            let m = 1024;
            let strike: Vec<f64> = (0..m).map(|i| 50.0 + 0.1 * i as f64).collect();
            let t: Vec<f64> = (0..m).map(|i| 0.02 + 0.002 * i as f64).collect();
            let vol: Vec<f64> = (0..m).map(|i| 0.1 + 0.0005 * i as f64).collect();
            let sign: Vec<f64> = (0..m)
                .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
                .collect();
            let mut b = vec![vec![0.0; m]; 6];
            for _ in 0..n {
                let [p, d, gm, th, v, r] = &mut b[..] else {
                    unreachable!()
                };
                let inp = ChainInputs {
                    spot: black_box(100.0),
                    r: 0.03,
                    q: 0.01,
                    strike: &strike,
                    t: &t,
                    vol: &vol,
                    sign: &sign,
                };
                let mut out = ChainOutputs {
                    price: p,
                    delta: d,
                    gamma: gm,
                    theta: th,
                    vega: v,
                    rho: r,
                };
                price_chain(&inp, &mut out).unwrap();
            }
            acc += b[0][7];
        }
        "iv" => {
            let cases = iv_cases();
            for _ in 0..n {
                for &(p, k, t, kind) in &cases {
                    acc +=
                        pricer::iv::implied_vol_black_undiscounted(kind, p, black_box(100.0), k, t)
                            .unwrap_or(0.0);
                }
            }
        }
        "iv_batch" => {
            let quotes: Vec<_> = iv_cases()
                .into_iter()
                .map(|(price, strike, t, kind)| pricer::iv::IvQuote {
                    kind,
                    price,
                    forward: 100.0,
                    strike,
                    t,
                    discount: 1.0,
                })
                .collect();
            let mut out = vec![Ok(0.0); quotes.len()];
            for _ in 0..n {
                pricer::iv::implied_vol_batch(black_box(&quotes), &mut out).unwrap();
                acc += out.iter().map(|v| v.clone().unwrap_or(0.0)).sum::<f64>();
            }
        }
        "iv_crate" => {
            // The `implied-vol` crate on the same workload, for comparison.
            let cases = iv_cases();
            for _ in 0..n {
                for &(p, k, t, kind) in &cases {
                    let iv = implied_vol::ImpliedBlackVolatility::builder()
                        .option_price(p)
                        .forward(black_box(100.0))
                        .strike(k)
                        .expiry(t)
                        .is_call(kind == OptionKind::Call)
                        .build()
                        .and_then(|b| b.calculate::<implied_vol::DefaultSpecialFn>());
                    acc += iv.unwrap_or(0.0);
                }
            }
        }
        "alo" => {
            for _ in 0..n {
                acc += alo::price(
                    OptionKind::Put,
                    black_box(100.0),
                    100.0,
                    0.05,
                    0.02,
                    1.0,
                    0.25,
                    &AloScheme::BEST,
                );
            }
        }
        "alo_m1" | "alo_m2" | "alo_p4" | "alo_l16m1" | "alo_l16m2" => {
            let sc = match op {
                "alo_l16m1" => AloScheme {
                    m: 1,
                    l: 16,
                    ..AloScheme::BEST
                },
                "alo_l16m2" => AloScheme {
                    m: 2,
                    l: 16,
                    tol: 0.0,
                    ..AloScheme::BEST
                },
                "alo_m1" => AloScheme {
                    m: 1,
                    ..AloScheme::BEST
                },
                "alo_m2" => AloScheme {
                    m: 2,
                    tol: 0.0,
                    ..AloScheme::BEST
                },
                _ => AloScheme {
                    p: 4,
                    ..AloScheme::BEST
                },
            };
            for _ in 0..n {
                acc += alo::price(
                    OptionKind::Put,
                    black_box(100.0),
                    100.0,
                    0.05,
                    0.02,
                    1.0,
                    0.25,
                    &sc,
                );
            }
        }
        "grid" => {
            let m = Market::new(100.0, 0.05, 0.01, 0.25).unwrap();
            let st = iron_condor(85.0, 95.0, 105.0, 115.0, 0.5).unwrap();
            let entries = entry_prices(&st, &m);
            let prices: Vec<f64> = (0..100).map(|i| 70.0 + 0.6 * i as f64).collect();
            let times: Vec<f64> = (0..30).map(|d| 0.5 * d as f64 / 29.0).collect();
            let mut out = vec![0.0; 3000];
            for _ in 0..n {
                fill_pnl_grid(&st, black_box(&m), &entries, &prices, &times, &mut out).unwrap();
            }
            acc += out[17];
        }
        _ => panic!("unknown op {op}"),
    }
    println!("{op} {n} {acc}");
}
