//! Haug's European values and Greeks, as used by QuantLib's europeanoption.cpp.
#![allow(clippy::unwrap_used, clippy::neg_cmp_op_on_partial_ord)]

mod data {
    pub mod quantlib_european;
}
use data::quantlib_european::{HAUG_GREEKS, HAUG_VALUES};
use pricer::black::{bsm_price, OptionKind};
use pricer::greeks::bsm_greeks;

fn kind(call: bool) -> OptionKind {
    if call {
        OptionKind::Call
    } else {
        OptionKind::Put
    }
}

#[test]
fn haug_values_at_quantlib_tolerance() {
    for &(call, k, s, q, r, t, v, want) in HAUG_VALUES {
        let got = bsm_price(kind(call), s, k, r, q, t, v);
        assert!(
            (got - want).abs() <= 1e-4,
            "{call} K={k} S={s} q={q} r={r} t={t} v={v}: {got} vs {want}"
        );
        let with_greeks = bsm_greeks(kind(call), s, k, r, q, t, v).price;
        assert_eq!(got, with_greeks);
    }
    assert_eq!(HAUG_VALUES.len(), 43);
}

#[test]
fn haug_greeks_at_quantlib_tolerance() {
    for &(name, call, k, s, q, r, t, v, want) in HAUG_GREEKS {
        let res = bsm_greeks(kind(call), s, k, r, q, t, v);
        let g = res.greeks;
        let got = match name {
            "delta" => g.delta,
            "elasticity" => g.delta * s / res.price,
            "gamma" => g.gamma,
            "vega" => g.vega,
            "theta" => g.theta,
            // QuantLib's thetaPerDay is theta/365, as ours.
            "theta_per_day" => g.theta_per_day(),
            "rho" => g.rho,
            "dividend_rho" => g.dividend_rho,
            _ => unreachable!(),
        };
        assert!((got - want).abs() <= 1e-4, "{name}: {got} vs {want}");
    }
    assert_eq!(HAUG_GREEKS.len(), 11);
}

#[test]
fn black76_is_bsm_on_the_forward() {
    // Black-76 with F equals BSM with S = F and q = r.
    for &(f, k, r, t, v) in &[(100.0, 95.0, 0.03, 0.5, 0.2), (50.0, 60.0, 0.0, 2.0, 0.4)] {
        for kd in [OptionKind::Call, OptionKind::Put] {
            let a = pricer::black::black76_price(kd, f, k, r, t, v);
            let b = bsm_price(kd, f, k, r, r, t, v);
            assert!((a - b).abs() < 1e-13);
            let g = pricer::greeks::black76_greeks(kd, f, k, r, t, v).greeks;
            assert!((g.rho + t * a).abs() < 1e-12, "Black-76 rho = -T·V");
        }
    }
}
