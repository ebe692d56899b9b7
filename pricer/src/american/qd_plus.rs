//! Li's QD+ approximation of the American put's exercise boundary: the
//! starting boundary of the ALO collocation ([`super::alo`]).
//!
//! Two solvers of the same equation: [`QdPlus::halley`], one τ at a time
//! (the public [`qd_plus_boundary`], and the fallback), and [`all_nodes`],
//! which runs Halley's method at every collocation node at once so that the
//! loops over nodes vectorise instead of forming one serial chain of
//! `exp`/division latencies (about a quarter of an ALO price before).

use super::alo::exp_kernel;
use crate::normal::{erfcx_cheb, erfcx_poly, ERFCX_A, ERFCX_B, FRAC_1_SQRT_2PI};
use crate::solver::brent;
use std::f64::consts::FRAC_1_SQRT_2;

/// Li's QD+ put exercise boundary at time to maturity `tau` (accurate to the
/// root-finder tolerance `xtol`, absolute).
pub fn qd_plus_boundary(k: f64, r: f64, q: f64, vol: f64, tau: f64, xtol: f64) -> f64 {
    let x_bound = if q > 0.0 { k * (r / q).min(1.0) } else { k };
    if !(tau > 0.0) {
        return x_bound;
    }
    let qd = QdPlus::new(k, k.ln(), r, q, vol, tau);
    let s0 = x_bound * (1.0 - 1e-12);
    if let Some((b, _)) = qd.halley(s0, s0.ln(), x_bound.ln(), xtol, 50, false) {
        return b;
    }
    qd.scan_brent(x_bound, xtol)
}

/// The QD+ boundary equation at one τ (Li 2010, in QuantLib's form
/// `F(S) = (1 - e^{-qτ}Φ(-d₊))S - β(K - S - p) + α·θ/(r e^{-rτ})`), with its
/// first two derivatives for Halley's method.
pub(super) struct QdPlus {
    k: f64,
    r: f64,
    q: f64,
    tau: f64,
    v: f64,
    half_v2_over_v: f64,
    dr: f64,
    dq: f64,
    alpha: f64,
    beta: f64,
    /// ln(dq/(K·dr)).
    ln_fwd_k: f64,
    /// dq/(K·dr).
    fwd_k: f64,
}

impl QdPlus {
    /// `ln_k = ln K`, passed in because the caller solves at many τ.
    pub(super) fn new(k: f64, ln_k: f64, r: f64, q: f64, vol: f64, tau: f64) -> QdPlus {
        let v2 = vol * vol;
        let v = vol * tau.sqrt();
        let dr = (-r * tau).exp();
        let dq = (-q * tau).exp();
        // 1 - e^{-rτ}: the subtraction is exact to a few ulp of dr, i.e.
        // relative ε/(rτ); below rτ = 1e-3 use expm1 for full precision.
        let h = if r * tau > 1e-3 {
            1.0 - dr
        } else {
            -(-r * tau).exp_m1()
        };
        let omega = 2.0 * (r - q) / v2;
        let root = ((omega - 1.0) * (omega - 1.0) + 8.0 * r / (v2 * h)).sqrt();
        let lambda = 0.5 * (-(omega - 1.0) - root);
        let lambda_p = 2.0 * r / (v2 * h * h * root);
        let den = 2.0 * lambda + omega - 1.0;
        let alpha = 2.0 * dr * r / (v2 * den);
        let beta = alpha * (1.0 / h + lambda_p / den) - lambda;
        QdPlus {
            k,
            r,
            q,
            tau,
            v,
            half_v2_over_v: 0.5 * v2 / v,
            dr,
            dq,
            alpha,
            beta,
            ln_fwd_k: (r - q) * tau - ln_k,
            fwd_k: dq / (k * dr),
        }
    }

    /// (F, F', F'') at spot `s = e^y` (`ln s` supplied, so no `ln` here).
    /// One exponential serves both normal tails: e^{-d₋²/2} = e^{-d₊²/2}·F/K
    /// with F/K = s·e^{-qτ}/(K e^{-rτ}).
    #[inline]
    fn eval(&self, s: f64, ln_s: f64) -> (f64, f64, f64) {
        let (k, r, q, v, dr, dq, tau) =
            (self.k, self.r, self.q, self.v, self.dr, self.dq, self.tau);
        let dp = (ln_s + self.ln_fwd_k) / v + 0.5 * v;
        let dm = dp - v;
        // Scalar and serial (each node's Halley solve starts from the last
        // roots): std's exp has the shorter latency here.
        let e_p = (-0.5 * dp * dp).exp();
        let tail_p = 0.5 * erfcx_poly(dp.abs() * FRAC_1_SQRT_2) * e_p;
        let cdf_mdp = if dp > 0.0 { tail_p } else { 1.0 - tail_p };
        let phi_dp = FRAC_1_SQRT_2PI * e_p;
        let e_m = e_p * (s * self.fwd_k);
        let tail_m = 0.5 * erfcx_poly(dm.abs() * FRAC_1_SQRT_2) * e_m;
        let cdf_mdm = if dm > 0.0 { tail_m } else { 1.0 - tail_m };
        let npv = dr * k * cdf_mdm - s * dq * cdf_mdp;
        let theta =
            r * k * dr * cdf_mdm - q * s * dq * cdf_mdp - self.half_v2_over_v * s * dq * phi_dp;
        let charm = -dq * (phi_dp * ((r - q) / v - dm / (2.0 * tau)) + q * cdf_mdp);
        let a_rdr = self.alpha / (r * dr);
        let one_m = 1.0 - dq * cdf_mdp;
        let f = one_m * s - self.beta * (k - s - npv) + a_rdr * theta;
        let fp = one_m + dq * phi_dp / v + self.beta * one_m + a_rdr * charm;
        let gamma = phi_dp * dq / (v * s);
        let colour = gamma * (q + (r - q) * dp / v + (1.0 - dp * dm) / (2.0 * tau));
        let fpp = dq * (phi_dp / (s * v) - phi_dp * dp / (s * v * v))
            + self.beta * gamma
            + a_rdr * colour;
        (f, fp, fpp)
    }

    /// Halley's iteration in `y = ln S` from `s0 = e^{y0}`, kept inside
    /// `(0, X]` (`y_max = ln X`); `None` if it has not settled to `xtol`
    /// (absolute in S) within `max_iter` steps. Working in ln S needs an
    /// `exp` per step instead of a `ln`, and keeps the iterate positive.
    /// Returns the root and its logarithm (callers want both: no `ln`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn halley(
        &self,
        s0: f64,
        y0: f64,
        y_max: f64,
        xtol: f64,
        max_iter: usize,
        accept_last: bool,
    ) -> Option<(f64, f64)> {
        let y_min = y_max - 36.0;
        let mut y = y0;
        let mut s = s0;
        for _ in 0..max_iter {
            let (f, fp, fpp) = self.eval(s, y);
            // d/dy = S·d/dS.
            let fy = s * fp;
            let fyy = fy + s * s * fpp;
            let lf = f * fyy / (fy * fy);
            let step = f / fy / (1.0 - 0.5 * lf);
            if !step.is_finite() {
                return None;
            }
            let next = y - step;
            if !(next < y_max) {
                // Pushed onto X, where F has no root: let the caller fall back.
                return None;
            }
            let next = next.max(y_min);
            let s_next = next.exp();
            // Halley converges cubically: once a step is below `xtol` the
            // next one would be of order xtol³/S², so stop after applying it.
            if (s_next - s).abs() <= xtol {
                return Some((s_next, next));
            }
            y = next;
            s = s_next;
        }
        if accept_last {
            return Some((s, y));
        }
        None
    }

    /// Robust fallback: scan down from X for the sign change of F, then Brent.
    pub(super) fn scan_brent(&self, x_bound: f64, xtol: f64) -> f64 {
        let f = |s: f64| self.eval(s, s.ln()).0;
        let mut hi = x_bound * (1.0 - 1e-12);
        let mut f_hi = f(hi);
        for _ in 0..400 {
            let lo = hi * 0.97;
            let f_lo = f(lo);
            if f_lo <= 0.0 && f_hi >= 0.0 {
                return brent(f, lo, hi, xtol, 200).unwrap_or(0.5 * (lo + hi));
            }
            hi = lo;
            f_hi = f_lo;
        }
        hi
    }
}

/// `½·erfc(a/√2) = Φ(-a)` for `a >= 0` from `e = e^{-a²/2}`, branch-free
/// (the kernel of ALO's sweeps: absolute error below 1e-15).
#[inline(always)]
fn upper_tail<const FUSED: bool>(a: f64, e: f64) -> f64 {
    let arg = ERFCX_A / (1.0 + 0.3 * (a * FRAC_1_SQRT_2).min(6.0)) + ERFCX_B;
    0.5 * erfcx_cheb::<FUSED>(arg) * e
}

/// `1 - e^{-x}` for `x >= 0`, branch-free, as [`QdPlus::new`] forms it: the
/// subtraction above 1e-3 (relative error about ε/x, at most 2.2e-13),
/// a Taylor series below (truncation x⁵/720 relative, < 1.4e-18).
#[inline(always)]
fn one_minus_exp_neg(x: f64, e: f64) -> f64 {
    let series = x * (1.0 - 0.5 * x * (1.0 - x / 3.0 * (1.0 - 0.25 * x * (1.0 - 0.2 * x))));
    if x > 1e-3 {
        1.0 - e
    } else {
        series
    }
}

/// QD+ boundary `g_i = ln(B(τ_i)/X) <= 0` at every node `τ_i = ξ_i²`, all
/// nodes at once, to about `gtol` in `g`; `X = K·min(1, r/q)`, `r > 0`.
///
/// Start: `g = g∞(1 - e^{2σ√τ/g∞})`, which runs from the short-time slope
/// `-2σ√τ` to the perpetual boundary `g∞ = ln(B∞/X)`. Then Halley steps in
/// `g` on every node until the largest step is below `gtol` (at most 12).
/// A node whose iteration leaves `(-36, 0)` or stops being finite is solved
/// on its own by [`QdPlus::halley`] or, failing that, a scan and Brent.
// Index loops: several per-node arrays are read and written together.
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
#[inline(always)]
pub(super) fn all_nodes<const FUSED: bool, const NC: usize>(
    k: f64,
    r: f64,
    q: f64,
    vol: f64,
    x_bound: f64,
    xi: &[f64],
    gtol: f64,
    g: &mut [f64],
) {
    let n = xi.len().min(NC).min(g.len());
    let (ln_k, ln_x) = (k.ln(), x_bound.ln());
    let v2 = vol * vol;
    let omega = 2.0 * (r - q) / v2;
    let om1 = omega - 1.0;
    // Perpetual put boundary B∞ = K·γ/(γ - 1), γ the negative root of
    // ½σ²γ(γ-1) + (r-q)γ - r = 0.
    let gamma = 0.5 * (-om1 - (om1 * om1 + 8.0 * r / v2).sqrt());
    let g_inf = ((k * gamma / (gamma - 1.0)) / x_bound).ln().min(-1e-6);

    // Per-node constants of F (as QdPlus::new) and the starting point.
    let mut c_v = [0.0; NC];
    let mut c_dr = [0.0; NC];
    let mut c_dq = [0.0; NC];
    let mut c_beta = [0.0; NC];
    let mut c_ardr = [0.0; NC];
    let mut c_lfk = [0.0; NC];
    let mut c_tau = [0.0; NC];
    let mut c_inv_v = [0.0; NC];
    let mut c_inv_2tau = [0.0; NC];
    for i in 0..n {
        let tau = xi[i] * xi[i];
        let v = vol * xi[i];
        let dr = exp_kernel::<FUSED>(-r * tau);
        let h = one_minus_exp_neg(r * tau, dr);
        let root = (om1 * om1 + 8.0 * r / (v2 * h)).sqrt();
        let lambda = 0.5 * (-om1 - root);
        let lambda_p = 2.0 * r / (v2 * h * h * root);
        let den = 2.0 * lambda + omega - 1.0;
        // α/(r e^{-rτ}) with α = 2 e^{-rτ} r/(σ² den).
        let a_rdr = 2.0 / (v2 * den);
        let alpha = a_rdr * r * dr;
        c_v[i] = v;
        c_dr[i] = dr;
        c_dq[i] = exp_kernel::<FUSED>(-q * tau);
        c_beta[i] = alpha * (1.0 / h + lambda_p / den) - lambda;
        c_ardr[i] = a_rdr;
        c_lfk[i] = (r - q) * tau - ln_k + ln_x;
        c_tau[i] = tau;
        c_inv_v[i] = 1.0 / v;
        c_inv_2tau[i] = 0.5 / tau;
        g[i] = g_inf * (1.0 - exp_kernel::<FUSED>(2.0 * v / g_inf));
    }

    // 1 where a node's iteration left the range (kept as f64 so the loop
    // below stays one straight-line vectorisable body).
    let mut bad = [0.0f64; NC];
    let mut steps = [0.0f64; NC];
    for _ in 0..12 {
        for i in 0..n {
            let (v, inv_v, dr, dq) = (c_v[i], c_inv_v[i], c_dr[i], c_dq[i]);
            let gi = g[i];
            let s = x_bound * exp_kernel::<FUSED>(gi);
            // F, S·F' and S²·F'' at S = X e^{g}, as QdPlus::eval.
            let dp = (gi + c_lfk[i]) * inv_v + 0.5 * v;
            let dm = dp - v;
            let e_p = exp_kernel::<FUSED>(-0.5 * dp * dp);
            let e_m = exp_kernel::<FUSED>(-0.5 * dm * dm);
            let tail_p = upper_tail::<FUSED>(dp.abs(), e_p);
            let tail_m = upper_tail::<FUSED>(dm.abs(), e_m);
            let cdf_mdp = if dp > 0.0 { tail_p } else { 1.0 - tail_p };
            let cdf_mdm = if dm > 0.0 { tail_m } else { 1.0 - tail_m };
            let phi_dp = FRAC_1_SQRT_2PI * e_p;
            let (beta, a_rdr, inv_2tau) = (c_beta[i], c_ardr[i], c_inv_2tau[i]);
            let sdq = s * dq;
            let npv = dr * k * cdf_mdm - sdq * cdf_mdp;
            let theta = r * k * dr * cdf_mdm - q * sdq * cdf_mdp - 0.5 * v2 * inv_v * sdq * phi_dp;
            let charm = -dq * (phi_dp * ((r - q) * inv_v - dm * inv_2tau) + q * cdf_mdp);
            let one_m = 1.0 - dq * cdf_mdp;
            let f = one_m * s - beta * (k - s - npv) + a_rdr * theta;
            let fp = one_m + dq * phi_dp * inv_v + beta * one_m + a_rdr * charm;
            let gamma_s = phi_dp * dq * inv_v;
            let colour_s = gamma_s * (q + (r - q) * dp * inv_v + (1.0 - dp * dm) * inv_2tau);
            let s_fpp = gamma_s * (1.0 - dp * inv_v) + beta * gamma_s + a_rdr * colour_s;
            // Halley in g (d/dg = S·d/dS).
            let fy = s * fp;
            let fyy = fy + s * s_fpp;
            // f/fy / (1 - f·fyy/(2fy²)) with one division instead of two
            // in a row (the iteration's dependency chain). fy² overflows
            // only for strikes beyond ~1e150; the NaN step then sends the
            // node to the one-at-a-time solver below.
            let step = f * fy / (fy * fy - 0.5 * f * fyy);
            let next = gi - step;
            // Pushed onto X (no root there) or out of range: solved alone.
            let out = !(next < 0.0) || !(next > -36.0);
            bad[i] = if out { 1.0 } else { bad[i] };
            g[i] = if out { gi } else { next };
            steps[i] = if out { 0.0 } else { step.abs() };
        }
        if steps[..n].iter().all(|&d| d <= gtol) {
            break;
        }
    }
    for i in 0..n {
        if bad[i] != 0.0 {
            let qd = QdPlus::new(k, ln_k, r, q, vol, c_tau[i]);
            g[i] = match qd.halley(
                x_bound * (1.0 - 1e-12),
                ln_x + (1.0 - 1e-12f64).ln(),
                ln_x,
                1e-9 * k,
                50,
                false,
            ) {
                Some((_, y)) => y - ln_x,
                None => (qd.scan_brent(x_bound, 1e-9 * k) / x_bound).ln(),
            };
        }
        g[i] = g[i].min(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_nodes_matches_the_one_at_a_time_solver() {
        // (K, r, q, σ) including q > r (X = K r/q), low vol and high carry.
        let cases = [
            (100.0, 0.05, 0.02, 0.25),
            (120.0, 0.1, 0.03, 0.25),
            (100.0, 0.03, 0.08, 0.4),
            (100.0, 0.1, 0.0, 0.1),
            (50.0, 0.01, 0.01, 1.0),
        ];
        for &(k, r, q, vol) in &cases {
            let x_bound = if q > 0.0 { k * f64::min(1.0, r / q) } else { k };
            let xi: Vec<f64> = (1..=12).map(|i| 0.15 * i as f64).collect();
            let mut g = vec![0.0; xi.len()];
            for fused in [false, true] {
                if fused {
                    all_nodes::<true, 64>(k, r, q, vol, x_bound, &xi, 1e-13, &mut g);
                } else {
                    all_nodes::<false, 64>(k, r, q, vol, x_bound, &xi, 1e-13, &mut g);
                }
                for (x, gi) in xi.iter().zip(&g) {
                    let want = qd_plus_boundary(k, r, q, vol, x * x, 1e-13 * k);
                    let got = x_bound * gi.exp();
                    assert!(
                        (got - want).abs() <= 1e-9 * k,
                        "K={k} r={r} q={q} σ={vol} τ={}: {got} vs {want}",
                        x * x
                    );
                }
            }
        }
    }

    #[test]
    fn one_minus_exp_neg_is_exact_on_both_sides_of_the_switch() {
        for x in [1e-12f64, 1e-6, 9.99e-4, 1e-3, 1.001e-3, 0.1, 3.0] {
            let want = -(-x).exp_m1();
            let got = one_minus_exp_neg(x, (-x).exp());
            let tol = if x > 1e-3 { 2.3e-16 / x } else { 4e-16 };
            assert!(
                (got - want).abs() <= tol * want,
                "x={x}: {got:e} vs {want:e}"
            );
        }
    }
}
