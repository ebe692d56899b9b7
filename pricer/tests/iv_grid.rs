//! Implied-volatility round trips over a dense grid.
//!
//! Attainable-precision criterion: the price P is known to about an ulp, and a
//! price error dP moves the root by dP/vega, so we require
//! `|σ̂ - σ| <= 4ε·σ + 8ε·(P + K·|∂P/∂K|)/vega` (vega = ∂P/∂σ, undiscounted;
//! the strike term is the price change from one ulp of K, i.e. of moneyness). Where vega·σ is
//! of the order of P this is ~1e-15 relative; we also report how many grid
//! points reach 1e-12 relative.
#![allow(clippy::unwrap_used, clippy::neg_cmp_op_on_partial_ord)]

use pricer::black::{black_undiscounted, OptionKind};
use pricer::iv::{implied_vol_black_undiscounted, implied_vol_bsm};
use pricer::normal::{norm_cdf, norm_pdf};

const EPS: f64 = f64::EPSILON;

#[test]
fn round_trip_dense_grid() {
    let ts = [
        1.0 / 8760.0,
        1.0 / 365.0,
        1.0 / 52.0,
        1.0 / 12.0,
        0.25,
        1.0,
        2.0,
        5.0,
        10.0,
        30.0,
    ];
    let vols = [
        0.001, 0.003, 0.01, 0.03, 0.08, 0.15, 0.25, 0.4, 0.6, 1.0, 1.5, 2.5, 4.0, 6.5, 10.0,
    ];
    let f = 100.0;
    let (mut n, mut n_tight, mut skipped) = (0usize, 0usize, 0usize);
    let mut worst_ratio: f64 = 0.0;
    for &t in &ts {
        for &vol in &vols {
            let s = vol * f64::sqrt(t);
            for im in -24..=24 {
                // ln(K/F) from -3..3 standard deviations.
                let m = im as f64 * 0.125;
                let k = f * (m * s).exp();
                for kind in [OptionKind::Call, OptionKind::Put] {
                    let p = black_undiscounted(f, k, s, kind);
                    let intrinsic = (kind.sign() * (f - k)).max(0.0);
                    let d1 = (f / k).ln() / s + 0.5 * s;
                    let vega = f * norm_pdf(d1) * t.sqrt();
                    let upper = if kind == OptionKind::Call { f } else { k };
                    // Degenerate: no time value left in f64, price at the upper
                    // bound, or a time value so small it is (near-)subnormal.
                    if !(p > intrinsic)
                        || !(vega > 0.0)
                        || !(p < upper * (1.0 - 1e-13))
                        || p - intrinsic < 1e-290
                    {
                        skipped += 1;
                        continue;
                    }
                    let got = implied_vol_black_undiscounted(kind, p, f, k, t)
                        .unwrap_or_else(|e| panic!("t={t} vol={vol} k={k} {kind:?}: {e}"));
                    let err = (got - vol).abs();
                    // An ulp of K (or F) moves P by |∂P/∂K|·ulp(K); that too is input noise.
                    let dpdk = norm_cdf(kind.sign() * (d1 - s));
                    let tol = 4.0 * EPS * vol + 8.0 * EPS * (p + k * dpdk) / vega;
                    worst_ratio = worst_ratio.max(err / tol);
                    assert!(
                        err <= tol,
                        "t={t} vol={vol} k={k} {kind:?} p={p:e}: got {got} err {err:e} tol {tol:e}"
                    );
                    n += 1;
                    if err / vol <= 1e-12 {
                        n_tight += 1;
                    }
                }
            }
        }
    }
    eprintln!(
        "IV grid: {n} points checked, {n_tight} within 1e-12 relative, {skipped} degenerate skipped, worst err/tol {worst_ratio:.3}"
    );
    assert!(n > 10_000);
}

#[test]
fn round_trip_bsm_with_rates() {
    let (s0, r, q) = (100.0, 0.05, 0.02);
    for &t in &[1.0 / 8760.0, 0.1, 1.0, 30.0] {
        for &vol in &[0.001, 0.2, 1.0, 10.0] {
            for &k in &[50.0, 90.0, 100.0, 110.0, 200.0] {
                for kind in [OptionKind::Call, OptionKind::Put] {
                    let p = pricer::black::bsm_price(kind, s0, k, r, q, t, vol);
                    let g = pricer::greeks::bsm_greeks(kind, s0, k, r, q, t, vol).greeks;
                    let df = (-r * t).exp();
                    let fwd = s0 * ((r - q) * t).exp();
                    let intrinsic = df * (kind.sign() * (fwd - k)).max(0.0);
                    let upper = if kind == OptionKind::Call {
                        s0 * (-q * t).exp()
                    } else {
                        k * df
                    };
                    if !(p > intrinsic * (1.0 + 1e-15))
                        || g.vega <= 0.0
                        || p - intrinsic < 1e-290
                        || !(p < upper * (1.0 - 1e-13))
                    {
                        continue;
                    }
                    let got = implied_vol_bsm(kind, p, s0, k, r, q, t).unwrap();
                    let dpdk = (g.delta * s0 - p) / k; // homogeneity: P = S·Δ + K·∂P/∂K
                    let tol = 4.0 * EPS * vol
                        + 16.0 * EPS * (p + k * dpdk.abs() + s0 * g.delta.abs()) / g.vega;
                    assert!(
                        (got - vol).abs() <= tol,
                        "t={t} vol={vol} k={k} {kind:?}: {got}"
                    );
                }
            }
        }
    }
}
