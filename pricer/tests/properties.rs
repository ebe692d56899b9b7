//! Property tests: parity, bounds, monotonicity, Greeks vs finite differences,
//! American >= European, IV(price(σ)) = σ.
#![allow(clippy::unwrap_used, clippy::neg_cmp_op_on_partial_ord)]

use pricer::american::alo::{self, AloScheme};
use pricer::american::baw;
use pricer::black::{bsm_price, OptionKind};
use pricer::greeks::bsm_greeks;
use pricer::iv::implied_vol_bsm;
use proptest::prelude::*;

fn market() -> impl Strategy<Value = (f64, f64, f64, f64, f64, f64)> {
    // (s, k, r, q, t, vol)
    (
        20.0..500.0f64,
        0.5..2.0f64,
        -0.02..0.12f64,
        0.0..0.08f64,
        0.02..5.0f64,
        0.05..1.5f64,
    )
        .prop_map(|(s, m, r, q, t, v)| (s, s * m, r, q, t, v))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn put_call_parity((s, k, r, q, t, v) in market()) {
        let c = bsm_price(OptionKind::Call, s, k, r, q, t, v);
        let p = bsm_price(OptionKind::Put, s, k, r, q, t, v);
        let fwd = s * (-q * t).exp() - k * (-r * t).exp();
        prop_assert!((c - p - fwd).abs() <= 1e-11 * s.max(k));
    }

    #[test]
    fn price_bounds((s, k, r, q, t, v) in market()) {
        let dq = (-q * t).exp();
        let dr = (-r * t).exp();
        let c = bsm_price(OptionKind::Call, s, k, r, q, t, v);
        let p = bsm_price(OptionKind::Put, s, k, r, q, t, v);
        prop_assert!(c >= (s * dq - k * dr).max(0.0) - 1e-12 * s && c <= s * dq);
        prop_assert!(p >= (k * dr - s * dq).max(0.0) - 1e-12 * k && p <= k * dr);
    }

    #[test]
    fn monotone_in_strike_vol_time((s, k, r, q, t, v) in market()) {
        let c = |k: f64, t: f64, v: f64| bsm_price(OptionKind::Call, s, k, r, q, t, v);
        let p = |k: f64, t: f64, v: f64| bsm_price(OptionKind::Put, s, k, r, q, t, v);
        let tol = 1e-12 * s;
        prop_assert!(c(k * 1.01, t, v) <= c(k, t, v) + tol);
        prop_assert!(p(k * 1.01, t, v) >= p(k, t, v) - tol);
        prop_assert!(c(k, t, v * 1.05) >= c(k, t, v) - tol);
        prop_assert!(p(k, t, v * 1.05) >= p(k, t, v) - tol);
        // Time monotonicity holds for the undiscounted price with zero carry.
        let f = |t: f64| bsm_price(OptionKind::Call, s, k, 0.0, 0.0, t, v);
        prop_assert!(f(t * 1.1) >= f(t) - tol);
    }

    #[test]
    fn greeks_match_finite_differences((s, k, r, q, t, v) in market(), call in any::<bool>()) {
        let kind = if call { OptionKind::Call } else { OptionKind::Put };
        let g = bsm_greeks(kind, s, k, r, q, t, v).greeks;
        let p = |s: f64, r: f64, q: f64, t: f64, v: f64| bsm_price(kind, s, k, r, q, t, v);
        let d = |s: f64, t: f64, v: f64| bsm_greeks(kind, s, k, r, q, t, v).greeks;
        // The spot bump shrinks with σ√T: at σ = 5%, T = 0.1 a 1e-4 relative
        // bump moves d₁ by ~0.006 and the central difference of gamma is
        // then off by more than the 2e-5 tolerance (this failed before the
        // performance work too, on an unlucky seed).
        let hs = s * 1e-4 * (v * t.sqrt() / 0.2).min(1.0);
        let (hv, hr, ht) = (1e-5, 1e-6, 1e-6);
        let close = |a: f64, b: f64, scale: f64| (a - b).abs() <= 2e-5 * scale.max(a.abs()).max(1e-3);
        prop_assert!(close(g.delta, (p(s + hs, r, q, t, v) - p(s - hs, r, q, t, v)) / (2.0 * hs), 1.0));
        prop_assert!(close(g.gamma, (d(s + hs, t, v).delta - d(s - hs, t, v).delta) / (2.0 * hs), 1.0 / s));
        prop_assert!(close(g.vega, (p(s, r, q, t, v + hv) - p(s, r, q, t, v - hv)) / (2.0 * hv), s));
        prop_assert!(close(g.rho, (p(s, r + hr, q, t, v) - p(s, r - hr, q, t, v)) / (2.0 * hr), s));
        prop_assert!(close(g.dividend_rho, (p(s, r, q + hr, t, v) - p(s, r, q - hr, t, v)) / (2.0 * hr), s));
        prop_assert!(close(g.theta, -(p(s, r, q, t + ht, v) - p(s, r, q, t - ht, v)) / (2.0 * ht), s));
        prop_assert!(close(g.vanna, (d(s + hs, t, v).vega - d(s - hs, t, v).vega) / (2.0 * hs), 1.0));
        prop_assert!(close(g.volga, (d(s, t, v + hv).vega - d(s, t, v - hv).vega) / (2.0 * hv), s));
        prop_assert!(close(g.charm, -(d(s, t + ht, v).delta - d(s, t - ht, v).delta) / (2.0 * ht), 1.0));
        prop_assert!(close(g.speed, (d(s + hs, t, v).gamma - d(s - hs, t, v).gamma) / (2.0 * hs), 1.0 / (s * s)));
    }

    #[test]
    fn iv_recovers_sigma((s, k, r, q, t, v) in market(), call in any::<bool>()) {
        let kind = if call { OptionKind::Call } else { OptionKind::Put };
        let price = bsm_price(kind, s, k, r, q, t, v);
        let g = bsm_greeks(kind, s, k, r, q, t, v).greeks;
        match implied_vol_bsm(kind, price, s, k, r, q, t) {
            Ok(got) => {
                let tol = 4.0 * f64::EPSILON * v + 32.0 * f64::EPSILON * (price + s + k) / g.vega;
                prop_assert!((got - v).abs() <= tol, "got {got} want {v} tol {tol:e}");
            }
            // Only acceptable when the time value is lost in the price's rounding.
            Err(e) => prop_assert!(g.vega * v < 1e-12 * (s + k), "{e}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn american_at_least_european((s, k, r, q, t, v) in market(), call in any::<bool>()) {
        let kind = if call { OptionKind::Call } else { OptionKind::Put };
        let e = bsm_price(kind, s, k, r, q, t, v);
        let a = alo::price(kind, s, k, r, q, t, v, &AloScheme::BEST);
        let b = baw::price(kind, s, k, r, q, t, v);
        let intrinsic = (kind.sign() * (s - k)).max(0.0);
        prop_assert!(a >= e - 1e-9 * s && a >= intrinsic - 1e-9 * s, "alo {a} euro {e}");
        prop_assert!(b >= e - 1e-9 * s, "baw {b} euro {e}");
    }
}
