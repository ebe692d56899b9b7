//! Barone-Adesi & Whaley (1987) quadratic approximation.
//!
//! The early-exercise premium is approximated by `A·(S/S*)^q` where `q` solves
//! the quadratic from dropping the time derivative of the premium, and the
//! critical price `S*` is found by Newton's method on the value-matching
//! condition (seed of Barone-Adesi & Whaley, as in Haug's book). Calls with
//! `q <= 0` (carry `b >= r`) are never exercised early and price as European.

use crate::black::{bsm_price, OptionKind};
use crate::normal::{norm_cdf, norm_pdf};

/// BAW American price. Inputs are assumed validated (`s, k, t, vol > 0`).
pub fn price(kind: OptionKind, s: f64, k: f64, r: f64, q: f64, t: f64, vol: f64) -> f64 {
    let b = r - q;
    match kind {
        OptionKind::Call if b >= r => bsm_price(kind, s, k, r, q, t, vol),
        OptionKind::Call => call(s, k, r, b, t, vol),
        // American put with r <= 0 has no early-exercise value only when b<=0
        // as well; the general formula handles r > 0.
        OptionKind::Put if r <= 0.0 && b <= 0.0 => bsm_price(kind, s, k, r, q, t, vol),
        OptionKind::Put => put(s, k, r, b, t, vol),
    }
}

fn d1(s: f64, k: f64, b: f64, t: f64, vol: f64) -> f64 {
    ((s / k).ln() + (b + 0.5 * vol * vol) * t) / (vol * t.sqrt())
}

fn m_over_kk(r: f64, t: f64, vol: f64) -> f64 {
    // 2r/σ² / (1 - e^{-rT}), with its r → 0 limit 2/(σ²T).
    let kk = -(-r * t).exp_m1();
    if r.abs() < 1e-12 {
        2.0 / (vol * vol * t)
    } else {
        2.0 * r / (vol * vol) / kk
    }
}

fn call(s: f64, k: f64, r: f64, b: f64, t: f64, vol: f64) -> f64 {
    let v2 = vol * vol;
    let n = 2.0 * b / v2;
    let mk = m_over_kk(r, t, vol);
    let m = 2.0 * r / v2;
    let q2 = (-(n - 1.0) + ((n - 1.0).powi(2) + 4.0 * mk).sqrt()) / 2.0;
    let q2_inf = (-(n - 1.0) + ((n - 1.0).powi(2) + 4.0 * m).sqrt()) / 2.0;
    let s_inf = k / (1.0 - 1.0 / q2_inf);
    let h2 = -(b * t + 2.0 * vol * t.sqrt()) * k / (s_inf - k);
    let mut si = k + (s_inf - k) * (1.0 - h2.exp());
    let carry = ((b - r) * t).exp();
    let sq = vol * t.sqrt();
    for _ in 0..100 {
        let d = d1(si, k, b, t, vol);
        let lhs = si - k;
        let rhs = bsm_price(OptionKind::Call, si, k, r, r - b, t, vol)
            + (1.0 - carry * norm_cdf(d)) * si / q2;
        if ((lhs - rhs) / k).abs() < 1e-12 {
            break;
        }
        let bi = carry * norm_cdf(d) * (1.0 - 1.0 / q2) + (1.0 - carry * norm_pdf(d) / sq) / q2;
        let next = (k + rhs - bi * si) / (1.0 - bi);
        if !(next.is_finite() && next > 0.0) {
            break;
        }
        si = next;
    }
    if s >= si {
        return s - k;
    }
    let a2 = (si / q2) * (1.0 - carry * norm_cdf(d1(si, k, b, t, vol)));
    bsm_price(OptionKind::Call, s, k, r, r - b, t, vol) + a2 * (s / si).powf(q2)
}

fn put(s: f64, k: f64, r: f64, b: f64, t: f64, vol: f64) -> f64 {
    let v2 = vol * vol;
    let n = 2.0 * b / v2;
    let mk = m_over_kk(r, t, vol);
    let m = 2.0 * r / v2;
    let q1 = (-(n - 1.0) - ((n - 1.0).powi(2) + 4.0 * mk).sqrt()) / 2.0;
    let q1_inf = (-(n - 1.0) - ((n - 1.0).powi(2) + 4.0 * m).sqrt()) / 2.0;
    let s_inf = k / (1.0 - 1.0 / q1_inf);
    let h1 = (b * t - 2.0 * vol * t.sqrt()) * k / (k - s_inf);
    let mut si = s_inf + (k - s_inf) * h1.exp();
    let carry = ((b - r) * t).exp();
    let sq = vol * t.sqrt();
    for _ in 0..100 {
        let d = d1(si, k, b, t, vol);
        let lhs = k - si;
        let rhs = bsm_price(OptionKind::Put, si, k, r, r - b, t, vol)
            - (1.0 - carry * norm_cdf(-d)) * si / q1;
        if ((lhs - rhs) / k).abs() < 1e-12 {
            break;
        }
        let bi = -carry * norm_cdf(-d) * (1.0 - 1.0 / q1) - (1.0 + carry * norm_pdf(-d) / sq) / q1;
        let next = (k - rhs + bi * si) / (1.0 + bi);
        if !(next.is_finite() && next > 0.0) {
            break;
        }
        si = next;
    }
    if s <= si {
        return k - s;
    }
    let a1 = -(si / q1) * (1.0 - carry * norm_cdf(-d1(si, k, b, t, vol)));
    bsm_price(OptionKind::Put, s, k, r, r - b, t, vol) + a1 * (s / si).powf(q1)
}
