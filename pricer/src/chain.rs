//! Batch pricing of a European option chain in structure-of-arrays form.
//!
//! One underlying (spot, r, q); per option: strike, expiry, vol and the sign
//! (+1 call, -1 put). The loop body is straight-line arithmetic on slices of
//! equal length (bounds checks hoisted by re-slicing), so the compiler can
//! keep it in registers and vectorise the arithmetic around the `exp`/`ln`
//! and normal CDF calls. Prices use the direct formula `S e^{-qT}Φ(θd₁) -
//! K e^{-rT}Φ(θd₂)` (absolute accuracy ~1e-15 of the spot; use
//! [`crate::black::bsm_price`] when the relative accuracy of far
//! out-of-the-money values matters).

use crate::error::InputError;
use crate::normal::{norm_cdf, FRAC_1_SQRT_2PI};

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
    let (s, r, q) = (inp.spot, inp.r, inp.q);
    let ln_s = s.ln();
    let (ks, ts, vs, th) = (&inp.strike[..n], &inp.t[..n], &inp.vol[..n], &inp.sign[..n]);
    let (po, de, ga) = (
        &mut out.price[..n],
        &mut out.delta[..n],
        &mut out.gamma[..n],
    );
    let (te, ve, rh) = (&mut out.theta[..n], &mut out.vega[..n], &mut out.rho[..n]);
    for i in 0..n {
        let (k, t, v, sg) = (ks[i], ts[i], vs[i], th[i]);
        let sqrt_t = t.sqrt();
        let sd = v * sqrt_t;
        let d1 = (ln_s - k.ln() + (r - q) * t) / sd + 0.5 * sd;
        let d2 = d1 - sd;
        let dq = (-q * t).exp();
        let kdr = k * (-r * t).exp();
        let n1 = norm_cdf(sg * d1);
        let n2 = norm_cdf(sg * d2);
        let pdf = FRAC_1_SQRT_2PI * (-0.5 * d1 * d1).exp();
        let sdq = s * dq;
        po[i] = sg * (sdq * n1 - kdr * n2);
        de[i] = sg * dq * n1;
        ga[i] = dq * pdf / (s * sd);
        ve[i] = sdq * pdf * sqrt_t;
        te[i] = -sdq * pdf * v / (2.0 * sqrt_t) - sg * r * kdr * n2 + sg * q * sdq * n1;
        rh[i] = sg * kdr * t * n2;
    }
    Ok(())
}
