//! Criterion benches; peers (`implied-vol`, `black_scholes`) measured in the same run.
#![allow(clippy::unwrap_used, clippy::neg_cmp_op_on_partial_ord)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use pricer::american::alo::{self, AloScheme};
use pricer::black::OptionKind;
use pricer::chain::{price_chain, ChainInputs, ChainOutputs};
use pricer::greeks::bsm_greeks;
use pricer::strategy::analysis::entry_prices;
use pricer::strategy::grid::fill_pnl_grid;
use pricer::strategy::templates::iron_condor;
use pricer::Market;

fn greeks(c: &mut Criterion) {
    let mut g = c.benchmark_group("price_plus_greeks");
    g.bench_function("pricer::bsm_greeks (price + 10 greeks)", |b| {
        let mut k = 90.0;
        b.iter(|| {
            k = if k > 110.0 { 90.0 } else { k + 0.37 };
            black_box(bsm_greeks(
                OptionKind::Call,
                black_box(100.0),
                k,
                0.05,
                0.02,
                0.5,
                0.25,
            ))
        })
    });
    g.bench_function("pricer::bsm_price_greeks5 (price + 5 greeks)", |b| {
        let mut k = 90.0;
        b.iter(|| {
            k = if k > 110.0 { 90.0 } else { k + 0.37 };
            black_box(pricer::bsm_price_greeks5(
                OptionKind::Call,
                black_box(100.0),
                k,
                0.05,
                0.02,
                0.5,
                0.25,
            ))
        })
    });
    g.bench_function(
        "black_scholes crate: price+delta+gamma+theta+vega+rho",
        |b| {
            let mut k = 90.0;
            b.iter(|| {
                k = if k > 110.0 { 90.0 } else { k + 0.37 };
                let (s, r, v, t) = (black_box(100.0), 0.05, 0.25, 0.5);
                black_box((
                    black_scholes::call(s, k, r, v, t),
                    black_scholes::call_delta(s, k, r, v, t),
                    black_scholes::call_gamma(s, k, r, v, t),
                    black_scholes::call_theta(s, k, r, v, t),
                    black_scholes::call_vega(s, k, r, v, t),
                    black_scholes::call_rho(s, k, r, v, t),
                ))
            })
        },
    );
    g.finish();
}

fn chain(c: &mut Criterion) {
    let n = 1024;
    let strike: Vec<f64> = (0..n).map(|i| 50.0 + 0.1 * i as f64).collect();
    let t: Vec<f64> = (0..n).map(|i| 0.02 + 0.002 * i as f64).collect();
    let vol: Vec<f64> = (0..n).map(|i| 0.1 + 0.0005 * i as f64).collect();
    let sign: Vec<f64> = (0..n)
        .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    let mut bufs = vec![vec![0.0; n]; 6];
    let mut g = c.benchmark_group("chain_1024_options");
    g.throughput(criterion::Throughput::Elements(n as u64));
    g.bench_function("pricer::price_chain", |b| {
        b.iter(|| {
            let [p, d, gm, th, v, r] = &mut bufs[..] else {
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
        })
    });
    g.finish();
}

fn implied(c: &mut Criterion) {
    // Mixed workload: 4096 (F,K,T,σ,kind) across moneyness ±2.5sd, 1h..10y, 1%..300%.
    let mut cases = Vec::new();
    let mut rng = pricer::mc::Rng::new(5);
    while cases.len() < 4096 {
        let t = (rng.uniform() * (10f64).ln() - (8760f64).ln() * rng.uniform())
            .exp()
            .clamp(1.0 / 8760.0, 10.0);
        let vol = 0.01 * (rng.uniform() * (300f64).ln()).exp();
        let s = vol * t.sqrt();
        let k = 100.0 * ((rng.uniform() - 0.5) * 5.0 * s).exp();
        let call = rng.uniform() < 0.5;
        let kind = if call {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        let p = pricer::black::black_undiscounted(100.0, k, s, kind);
        let intrinsic = (kind.sign() * (100.0 - k)).max(0.0);
        if p > intrinsic * (1.0 + 1e-12) && p - intrinsic > 1e-200 {
            cases.push((p, k, t, kind, call));
        }
    }
    let mut fails = 0;
    for &(p, k, t, kind, _) in &cases {
        if pricer::iv::implied_vol_black_undiscounted(kind, p, 100.0, k, t).is_err() {
            fails += 1;
        }
    }
    assert_eq!(fails, 0, "implied vol failures in the mixed workload");
    let mut g = c.benchmark_group("implied_vol_mixed_4096");
    g.throughput(criterion::Throughput::Elements(cases.len() as u64));
    g.bench_function("pricer::implied_vol_black_undiscounted", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for &(p, k, t, kind, _) in &cases {
                acc += pricer::iv::implied_vol_black_undiscounted(kind, p, black_box(100.0), k, t)
                    .unwrap_or(0.0);
            }
            black_box(acc)
        })
    });
    let quotes: Vec<_> = cases
        .iter()
        .map(|&(price, strike, t, kind, _)| pricer::iv::IvQuote {
            kind,
            price,
            forward: 100.0,
            strike,
            t,
            discount: 1.0,
        })
        .collect();
    let mut vols = vec![Ok(0.0); quotes.len()];
    g.bench_function("pricer::iv::implied_vol_batch", |b| {
        b.iter(|| {
            pricer::iv::implied_vol_batch(black_box(&quotes), &mut vols).unwrap();
            black_box(&vols);
        })
    });
    g.bench_function("implied-vol crate (Jäckel LBR)", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for &(p, k, t, _, call) in &cases {
                let iv = implied_vol::ImpliedBlackVolatility::builder()
                    .option_price(p)
                    .forward(black_box(100.0))
                    .strike(k)
                    .expiry(t)
                    .is_call(call)
                    .build()
                    .and_then(|b| b.calculate::<implied_vol::DefaultSpecialFn>());
                acc += iv.unwrap_or(0.0);
            }
            black_box(acc)
        })
    });
    g.finish();
}

fn american(c: &mut Criterion) {
    let mut g = c.benchmark_group("american");
    g.bench_function("pricer::alo Best (put)", |b| {
        b.iter(|| {
            black_box(alo::price(
                OptionKind::Put,
                black_box(100.0),
                100.0,
                0.05,
                0.02,
                1.0,
                0.25,
                &AloScheme::BEST,
            ))
        })
    });
    g.bench_function("pricer::baw (put)", |b| {
        b.iter(|| {
            black_box(pricer::american::baw::price(
                OptionKind::Put,
                black_box(100.0),
                100.0,
                0.05,
                0.02,
                1.0,
                0.25,
            ))
        })
    });
    g.bench_function("pricer::bs2002 (put)", |b| {
        b.iter(|| {
            black_box(pricer::american::bjerksund::price_2002(
                OptionKind::Put,
                black_box(100.0),
                100.0,
                0.05,
                0.02,
                1.0,
                0.25,
            ))
        })
    });
    g.finish();
}

fn grid(c: &mut Criterion) {
    let m = Market::new(100.0, 0.05, 0.01, 0.25).unwrap();
    let st = iron_condor(85.0, 95.0, 105.0, 115.0, 0.5).unwrap();
    let entries = entry_prices(&st, &m);
    let prices: Vec<f64> = (0..100).map(|i| 70.0 + 0.6 * i as f64).collect();
    let times: Vec<f64> = (0..30).map(|d| 0.5 * d as f64 / 29.0).collect();
    let mut out = vec![0.0; 3000];
    c.bench_function("strategy_pnl_grid_100x30_iron_condor", |b| {
        b.iter(|| fill_pnl_grid(&st, black_box(&m), &entries, &prices, &times, &mut out).unwrap())
    });
}

criterion_group!(benches, greeks, chain, implied, american, grid);
criterion_main!(benches);
