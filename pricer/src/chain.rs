//! Batch pricing of a European option chain in structure-of-arrays form.
//!
//! One underlying (spot, r, q); per option: strike, expiry, vol and the sign
//! (+1 call, -1 put). The loop body is branch-free straight-line arithmetic
//! on slices of equal length (bounds checks hoisted by re-slicing): inlined
//! `exp`/`ln` kernels, the normal tails as `½·erfcx(|d|/√2)·e^{-d²/2}` with a
//! polynomial `erfcx` and `e^{-d₂²/2} = e^{-d₁²/2}·F/K`, and the call/put
//! choice as selects, so the compiler vectorises it (two options per SSE2
//! instruction on baseline x86-64, more with wider targets).
//!
//! Prices use the direct formula `θ(S e^{-qT}Φ(θd₁) - K e^{-rT}Φ(θd₂))`
//! (absolute accuracy ~1e-15 of the spot; use [`crate::black::bsm_price`]
//! when the relative accuracy of far out-of-the-money values matters). The
//! tails are exact to ~1.4e-15 relative for |d| < 8.49 and below 1e-17
//! absolute beyond. Expiries and volatilities must be > 0 (an expiry of 0
//! gives the payoff as price); non-positive strikes give NaN rows.

use crate::error::InputError;
use crate::normal::{erfcx_cheb, exp_poly_unchecked, ln_kernel_g, madd, ERFCX_A, ERFCX_B};

/// √(2/π).
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
use std::f64::consts::FRAC_1_SQRT_2;

/// Inputs of [`price_chain`] (all slices the same length).
#[derive(Debug, Clone, Copy)]
pub struct ChainInputs<'a> {
    /// Spot of the underlying.
    pub spot: f64,
    /// Risk-free rate.
    pub r: f64,
    /// Dividend yield.
    pub q: f64,
    /// Strikes.
    pub strike: &'a [f64],
    /// Expiries in years (> 0).
    pub t: &'a [f64],
    /// Volatilities (> 0).
    pub vol: &'a [f64],
    /// +1 for calls, -1 for puts.
    pub sign: &'a [f64],
}

/// Outputs of [`price_chain`] (same length as the inputs).
#[derive(Debug)]
pub struct ChainOutputs<'a> {
    /// Price.
    pub price: &'a mut [f64],
    /// Delta.
    pub delta: &'a mut [f64],
    /// Gamma.
    pub gamma: &'a mut [f64],
    /// Theta per year (calendar time passing).
    pub theta: &'a mut [f64],
    /// Vega per 1.00 vol.
    pub vega: &'a mut [f64],
    /// Rho per 1.00 rate.
    pub rho: &'a mut [f64],
}

/// Price a chain: price, delta, gamma, theta, vega, rho per option.
pub fn price_chain(inp: &ChainInputs, out: &mut ChainOutputs) -> Result<(), InputError> {
    let n = inp.strike.len();
    if inp.t.len() != n
        || inp.vol.len() != n
        || inp.sign.len() != n
        || out.price.len() != n
        || out.delta.len() != n
        || out.gamma.len() != n
        || out.theta.len() != n
        || out.vega.len() != n
        || out.rho.len() != n
    {
        return Err(InputError::Invalid(
            "chain slices must all have the same length".into(),
        ));
    }
    if !(inp.spot > 0.0 && inp.spot.is_finite()) {
        return Err(InputError::NotPositive("spot"));
    }
    #[cfg(target_arch = "x86_64")]
    match pulp::Arch::new() {
        pulp::Arch::V4(simd) => pulp::Simd::vectorize(simd, ChainJob::<true> { inp, out, n }),
        pulp::Arch::V3(simd) => pulp::Simd::vectorize(simd, ChainJob::<true> { inp, out, n }),
        _ => chain_loop::<false>(inp, out, n),
    }
    #[cfg(not(target_arch = "x86_64"))]
    chain_loop::<false>(inp, out, n);
    Ok(())
}

/// [`chain_loop`] as a pulp job: pulp calls `with_simd` inside a function
/// compiled for the detected CPU, and `#[inline(always)]` carries the loop
/// in with it (a closure would be called, not inlined, and stay baseline).
#[cfg(target_arch = "x86_64")]
struct ChainJob<'a, 'b, 'c, const FUSED: bool> {
    inp: &'a ChainInputs<'b>,
    out: &'a mut ChainOutputs<'c>,
    n: usize,
}

#[cfg(target_arch = "x86_64")]
impl<const FUSED: bool> pulp::WithSimd for ChainJob<'_, '_, '_, FUSED> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        chain_loop::<FUSED>(self.inp, self.out, self.n);
    }
}

/// Options per block of [`chain_block`]: the stages' scratch (11 arrays)
/// stays in L1.
const BLOCK: usize = 64;

/// The loop of [`price_chain`] (lengths checked by the caller), block by
/// block. Inlined into each of pulp's CPU-specific copies (AVX-512,
/// AVX2+FMA, baseline), where the compiler vectorises it to the widest
/// registers the CPU has.
#[inline(always)]
fn chain_loop<const FUSED: bool>(inp: &ChainInputs, out: &mut ChainOutputs, n: usize) {
    // The stages' scratch, zeroed once per call rather than once per block
    // (5.6 KB of stores per 64 options was ~1 ns per option); every entry a
    // block reads, it has written first.
    let mut scratch = [[0.0f64; BLOCK]; 11];
    let mut start = 0;
    while start < n {
        let m = (n - start).min(BLOCK);
        chain_block::<FUSED>(inp, out, start..start + m, &mut scratch);
        start += m;
    }
}

/// One block in three short loops instead of one long one. A single
/// iteration of the fused loop is ~400 instructions with a ~300-cycle
/// dependency chain (square root → logarithm → exponential → erfcx, each
/// with a division): more than the CPU's reorder window holds, so successive
/// iterations could not overlap. Split into stages through L1 scratch, each
/// loop's iterations are short and independent, and they do.
#[inline(always)]
fn chain_block<const FUSED: bool>(
    inp: &ChainInputs,
    out: &mut ChainOutputs,
    range: std::ops::Range<usize>,
    scratch: &mut [[f64; BLOCK]; 11],
) {
    let fm = madd::<FUSED>;
    let m = range.len();
    let (s, r, q) = (inp.spot, inp.r, inp.q);
    let drift = r - q;
    let inv_s = 1.0 / s;
    let ks = &inp.strike[range.clone()][..m];
    let ts = &inp.t[range.clone()][..m];
    let vs = &inp.vol[range.clone()][..m];
    let th = &inp.sign[range.clone()][..m];
    let [sqrt_ts, inv_sds, d1s, d2s, dqs, drs, fks, h1s, h2s, s1s, s2s] = scratch;
    let (sqrt_ts, inv_sds) = (&mut sqrt_ts[..m], &mut inv_sds[..m]);
    let (d1s, d2s, dqs, drs) = (&mut d1s[..m], &mut d2s[..m], &mut dqs[..m], &mut drs[..m]);
    let fks = &mut fks[..m];
    let (h1s, h2s, s1s, s2s) = (&mut h1s[..m], &mut h2s[..m], &mut s1s[..m], &mut s2s[..m]);

    // Stage 1: d₁, d₂, the discount factors and F/K. The iteration's
    // critical path is the logarithm (its kernel has a division), so its
    // argument is K/S = K·(1/S), one multiplication from the inputs: were it
    // to wait for an exponential and a division (as when one division also
    // gave 1/K and e^{rT}), the chain would be longer than the reorder
    // window can hide and successive iterations would stop overlapping
    // (~15 % slower, BENCHMARKS.md). The divisions for 1/(σ√T) and
    // F/K = e^{(r-q)T}/(K/S) run beside the logarithm; e^{-qT} is
    // e^{-rT}·e^{(r-q)T}.
    for i in 0..m {
        let (k, t, v) = (ks[i], ts[i], vs[i]);
        // Arguments are >= -708 for any sane r, q, t; the max and clamp keep
        // the kernel's exponent arithmetic in range.
        let dr = exp_poly_unchecked::<FUSED>((-r * t).max(-708.0));
        let grow = exp_poly_unchecked::<FUSED>((drift * t).clamp(-708.0, 709.0));
        let dq = dr * grow;
        let sqrt_t = t.sqrt();
        let sd = v * sqrt_t;
        let inv_sd = 1.0 / sd;
        let k_over_s = k * inv_s;
        // ln(S/K) = -ln(K/S) rather than ln S - ln K: the difference of two
        // logarithms near the money would cost ~ε·|ln S| absolute in d₁·σ√T.
        let ln_fk = fm(drift, t, -ln_kernel_g::<FUSED>(k_over_s));
        let d1 = fm(ln_fk, inv_sd, 0.5 * sd);
        dqs[i] = dq;
        drs[i] = dr;
        fks[i] = grow / k_over_s;
        sqrt_ts[i] = sqrt_t;
        inv_sds[i] = inv_sd;
        d1s[i] = d1;
        d2s[i] = d1 - sd;
    }
    // Stage 2: e^{-d₁²/2}, e^{-d₂²/2} = e^{-d₁²/2}·F/K (d₁² - d₂² = 2 ln F/K)
    // and the erfcx arguments s = A/u + B, whose two reciprocals share one
    // division.
    for i in 0..m {
        let (d1, d2) = (d1s[i], d2s[i]);
        // Halved here once rather than in each tail ½·erfcx·e^{-d²/2}.
        let h1 = 0.5 * exp_poly_unchecked::<FUSED>((-0.5 * d1 * d1).max(-708.0));
        h1s[i] = h1;
        h2s[i] = h1 * fks[i];
        let u1 = 1.0 + 0.3 * (d1.abs() * FRAC_1_SQRT_2).min(6.0);
        let u2 = 1.0 + 0.3 * (d2.abs() * FRAC_1_SQRT_2).min(6.0);
        let w = ERFCX_A / (u1 * u2);
        s1s[i] = fm(u2, w, ERFCX_B);
        s2s[i] = fm(u1, w, ERFCX_B);
    }
    // Stage 3: the normal tails ½·erfcx(|d|/√2)·e^{-d²/2}, the call/put
    // choice as selects, and the outputs.
    let po = &mut out.price[range.clone()][..m];
    let de = &mut out.delta[range.clone()][..m];
    let ga = &mut out.gamma[range.clone()][..m];
    let te = &mut out.theta[range.clone()][..m];
    let ve = &mut out.vega[range.clone()][..m];
    let rh = &mut out.rho[range][..m];
    let inv_s2 = inv_s * inv_s;
    for i in 0..m {
        let (k, t, v, sg) = (ks[i], ts[i], vs[i], th[i]);
        let (d1, d2, inv_sd, dq) = (d1s[i], d2s[i], inv_sds[i], dqs[i]);
        let t1 = erfcx_cheb::<FUSED>(s1s[i]) * h1s[i];
        let t2 = erfcx_cheb::<FUSED>(s2s[i]) * h2s[i];
        let n1 = if sg * d1 < 0.0 { t1 } else { 1.0 - t1 };
        let n2 = if sg * d2 < 0.0 { t2 } else { 1.0 - t2 };
        let sdq = s * dq;
        let kdr = k * drs[i];
        let (a, b) = (sdq * n1, kdr * n2);
        // φ(d₁) = e^{-d₁²/2}/√(2π) = h₁·√(2/π).
        let sdq_pdf = sdq * (SQRT_2_OVER_PI * h1s[i]);
        let c = sdq_pdf * inv_sd;
        po[i] = sg * (a - b);
        de[i] = sg * dq * n1;
        ga[i] = c * inv_s2;
        ve[i] = sdq_pdf * sqrt_ts[i];
        // -S e^{-qT}φ(d₁)σ/(2√T) with σ/√T = σ²/(σ√T).
        te[i] = fm(-0.5 * v * v, c, -sg * fm(r, b, -q * a));
        rh[i] = sg * t * b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::black::OptionKind;
    use crate::greeks::bsm_greeks;

    /// The dispatched path (AVX-512 or AVX2 with FMA where the CPU has
    /// them) and both loop flavours directly: unfused as on baseline x86-64
    /// and wasm, fused (libm's `fma` on baseline, the same rounding).
    #[test]
    fn chain_matches_scalar_greeks_over_a_wide_grid() {
        check_against_scalar(|i, o| price_chain(i, o).unwrap());
        check_against_scalar(|i, o| chain_loop::<false>(i, o, i.strike.len()));
        check_against_scalar(|i, o| chain_loop::<true>(i, o, i.strike.len()));
    }

    fn check_against_scalar(run: impl Fn(&ChainInputs, &mut ChainOutputs)) {
        let (s, r, q) = (100.0, 0.04, 0.015);
        let (mut ks, mut ts, mut vs, mut sg) = (vec![], vec![], vec![], vec![]);
        for &k in &[20.0, 60.0, 90.0, 99.0, 100.0, 101.0, 110.0, 150.0, 400.0] {
            for &t in &[1.0 / 365.0, 0.05, 0.5, 2.0, 10.0] {
                for &v in &[0.02, 0.2, 0.8, 3.0] {
                    for sign in [1.0, -1.0] {
                        ks.push(k);
                        ts.push(t);
                        vs.push(v);
                        sg.push(sign);
                    }
                }
            }
        }
        let n = ks.len();
        let mut o = vec![vec![0.0; n]; 6];
        let [p, d, g, th, ve, rh] = &mut o[..] else {
            unreachable!()
        };
        let inp = ChainInputs {
            spot: s,
            r,
            q,
            strike: &ks,
            t: &ts,
            vol: &vs,
            sign: &sg,
        };
        let mut out = ChainOutputs {
            price: p,
            delta: d,
            gamma: g,
            theta: th,
            vega: ve,
            rho: rh,
        };
        run(&inp, &mut out);
        let close = |a: f64, b: f64, scale: f64| (a - b).abs() <= 2e-13 * b.abs() + 1e-15 * scale;
        for i in 0..n {
            let kind = if sg[i] > 0.0 {
                OptionKind::Call
            } else {
                OptionKind::Put
            };
            let want = bsm_greeks(kind, s, ks[i], r, q, ts[i], vs[i]);
            let w = want.greeks;
            let ctx = format!("K={} T={} v={} {kind:?}", ks[i], ts[i], vs[i]);
            assert!(
                (out.price[i] - want.price).abs() <= 2e-15 * (s + ks[i]),
                "{ctx}"
            );
            assert!(close(out.delta[i], w.delta, 1.0), "delta {ctx}");
            assert!(
                close(out.gamma[i], w.gamma, 1e-2),
                "gamma {ctx} {} {}",
                out.gamma[i],
                w.gamma
            );
            assert!(close(out.theta[i], w.theta, s), "theta {ctx}");
            assert!(close(out.vega[i], w.vega, s), "vega {ctx}");
            assert!(close(out.rho[i], w.rho, s), "rho {ctx}");
        }
    }
}
