//! Delbourgo-Gregory rational cubic interpolation with a shape control
//! parameter `r`, as used by Jäckel for the initial guesses of "Let's Be
//! Rational". `r = 3` gives the ordinary cubic Hermite spline, `r → ∞` the
//! straight line; larger `r` trades smoothness for shape preservation.

const MIN_R: f64 = -(1.0 - 1.490_116_119_384_765_6e-8); // -(1 - √ε)
const MAX_R: f64 = 2.0 / (f64::EPSILON * f64::EPSILON);

#[inline]
fn is_zero(x: f64) -> bool {
    x.abs() < f64::MIN_POSITIVE
}

/// Interpolate at `x` between `(x_l, y_l)` and `(x_r, y_r)` with end slopes
/// `d_l`, `d_r` and control parameter `r`.
#[allow(clippy::too_many_arguments)]
#[inline]
pub(crate) fn interpolate(
    x: f64,
    x_l: f64,
    x_r: f64,
    y_l: f64,
    y_r: f64,
    d_l: f64,
    d_r: f64,
    r: f64,
) -> f64 {
    let h = x_r - x_l;
    if h.abs() <= 0.0 {
        return 0.5 * (y_l + y_r);
    }
    let t = (x - x_l) / h;
    if r < MAX_R {
        let omt = 1.0 - t;
        let t2 = t * t;
        let omt2 = omt * omt;
        (y_r * t2 * t
            + (r * y_r - h * d_r) * t2 * omt
            + (r * y_l + h * d_l) * t * omt2
            + y_l * omt2 * omt)
            / (1.0 + (r - 3.0) * t * omt)
    } else {
        y_r * t + y_l * (1.0 - t)
    }
}

fn r_fit_left(x_l: f64, x_r: f64, y_l: f64, y_r: f64, d_l: f64, d_r: f64, d2_l: f64) -> f64 {
    let h = x_r - x_l;
    let num = 0.5 * h * d2_l + (d_r - d_l);
    if is_zero(num) {
        return 0.0;
    }
    let den = (y_r - y_l) / h - d_l;
    if is_zero(den) {
        return if num > 0.0 { MAX_R } else { MIN_R };
    }
    num / den
}

fn r_fit_right(x_l: f64, x_r: f64, y_l: f64, y_r: f64, d_l: f64, d_r: f64, d2_r: f64) -> f64 {
    let h = x_r - x_l;
    let num = 0.5 * h * d2_r + (d_r - d_l);
    if is_zero(num) {
        return 0.0;
    }
    let den = d_r - (y_r - y_l) / h;
    if is_zero(den) {
        return if num > 0.0 { MAX_R } else { MIN_R };
    }
    num / den
}

fn min_r(d_l: f64, d_r: f64, s: f64, prefer_shape: bool) -> f64 {
    let monotonic = d_l * s >= 0.0 && d_r * s >= 0.0;
    let convex = d_l <= s && s <= d_r;
    let concave = d_l >= s && s >= d_r;
    if !monotonic && !convex && !concave {
        return MIN_R;
    }
    let d_r_m_d_l = d_r - d_l;
    let d_r_m_s = d_r - s;
    let s_m_d_l = s - d_l;
    let mut r1 = -f64::MAX;
    let mut r2 = -f64::MAX;
    if monotonic {
        if !is_zero(s) {
            r1 = (d_r + d_l) / s;
        } else if prefer_shape {
            r1 = MAX_R;
        }
    }
    if convex || concave {
        if !(is_zero(s_m_d_l) || is_zero(d_r_m_s)) {
            r2 = (d_r_m_d_l / d_r_m_s).abs().max((d_r_m_d_l / s_m_d_l).abs());
        } else if prefer_shape {
            r2 = MAX_R;
        }
    } else if monotonic && prefer_shape {
        r2 = MAX_R;
    }
    MIN_R.max(r1.max(r2))
}

/// Control parameter matching the second derivative at the left end, but no
/// smaller than what keeps the interpolant convex/monotone.
#[allow(clippy::too_many_arguments)]
pub(crate) fn convex_r_fit_left(
    x_l: f64,
    x_r: f64,
    y_l: f64,
    y_r: f64,
    d_l: f64,
    d_r: f64,
    d2_l: f64,
    prefer_shape: bool,
) -> f64 {
    let r = r_fit_left(x_l, x_r, y_l, y_r, d_l, d_r, d2_l);
    let rm = min_r(d_l, d_r, (y_r - y_l) / (x_r - x_l), prefer_shape);
    r.max(rm)
}

/// As [`convex_r_fit_left`] for the right end.
#[allow(clippy::too_many_arguments)]
pub(crate) fn convex_r_fit_right(
    x_l: f64,
    x_r: f64,
    y_l: f64,
    y_r: f64,
    d_l: f64,
    d_r: f64,
    d2_r: f64,
    prefer_shape: bool,
) -> f64 {
    let r = r_fit_right(x_l, x_r, y_l, y_r, d_l, d_r, d2_r);
    let rm = min_r(d_l, d_r, (y_r - y_l) / (x_r - x_l), prefer_shape);
    r.max(rm)
}
