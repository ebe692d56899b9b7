//! Andersen-Lake-Offengenden (2016, "High-performance American option
//! pricing") spectral collocation of the exercise boundary.
//!
//! Puts only; calls go through the symmetry `C(S,K,r,q) = P(K,S,q,r)`.
//!
//! 1. Collocation nodes: Chebyshev extrema in `z = 2√(τ/T) - 1`; the boundary
//!    is stored as `H(√τ) = ln(B(τ)/X)²`, `X = K·min(1, r/q)`, which is smooth
//!    in `√τ` and interpolated by a Chebyshev polynomial.
//! 2. Initial boundary: Li's QD+ approximation at every node, solved by
//!    Halley's method started from an extrapolation of the neighbouring
//!    nodes' roots (a scan and Brent only as a fallback).
//! 3. Fixed-point sweeps `B ← K e^{-(r-q)τ} N(τ,B)/D(τ,B)` with ALO's FP-A
//!    (smooth-pasting) or FP-B (value-matching) integrals: the first sweep is
//!    a Jacobi-Newton step (the map with its local derivative, as in
//!    QuantLib's `QdFpAmericanEngine`), later sweeps are Anderson(1)-mixed,
//!    and the sweeps stop once the estimated remaining change of `ln B`
//!    (last move × ρ/(1-ρ), ρ the observed contraction) is below `tol`.
//! 4. The price is the European value plus the early-exercise premium
//!    integral over the final boundary.
//!
//! All integrals use Gauss-Legendre after the map `u = τ(1 - cos(π(1+y)/2))/2`,
//! which is quadratic at both ends and so removes the √ behaviour of the
//! boundary at `u → 0` and of the kernels at `u → τ`.
//!
//! Speed: everything that does not change between sweeps (abscissae, the
//! Chebyshev basis `T_k` at each abscissa, `e^{ru}`, `e^{qu}`, `σ√(τ-u)` and
//! its reciprocal) is computed once per call into structure-of-arrays
//! scratch (on the stack for the default scheme: no allocation). A sweep is
//! then a few axpy passes for the boundary at all abscissae and one
//! branch-free loop over them (inlined `exp`, polynomial `erfcx`), which the
//! compiler vectorises; `ln(B(τ_i)/B(u)) = √H(u) - √H(τ_i)` needs no `ln`.
//! On x86-64 the whole solve runs in a copy compiled for the CPU found at
//! run time (AVX-512 or AVX2, with fused multiply-adds; pulp does the
//! detection), about 30 % faster than the baseline copy.

use super::qd_plus::all_nodes;
pub use super::qd_plus::qd_plus_boundary;
use crate::black::{bsm_price, OptionKind};
use crate::gl_tables as gl;
use crate::normal::{
    erfcx_cheb, exp_fast, exp_poly_unchecked, ln_kernel_g, madd, ERFCX_A, ERFCX_B, FRAC_1_SQRT_2PI,
};
use std::f64::consts::FRAC_1_SQRT_2;
use std::sync::OnceLock;

/// Fixed-point equation used in the iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixedPoint {
    /// Smooth-pasting form (ALO's FP-A).
    A,
    /// Value-matching form (ALO's FP-B).
    B,
    /// FP-A, except FP-B when `2(r-q)/σ² · rT > 2`: there (low volatility,
    /// high carry, long maturity) FP-A oscillates or diverges while FP-B
    /// converges; elsewhere FP-A converged as fast or faster on our
    /// validation grid and costs one normal CDF per abscissa instead of two.
    Auto,
}

/// Discretisation of the ALO engine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AloScheme {
    /// Number of Chebyshev intervals for the boundary (nodes = n + 1; at most 64).
    pub n: usize,
    /// Gauss-Legendre points for the fixed-point integrals (one of
    /// 4,6,8,10,12,14,16,20,24,32,48,64; other values round up).
    pub l: usize,
    /// Maximum number of fixed-point sweeps (the first is a Jacobi-Newton sweep).
    pub m: usize,
    /// Gauss-Legendre points for the final premium integral (same sizes as `l`).
    pub p: usize,
    /// Which fixed-point equation.
    pub fp: FixedPoint,
    /// Stop the sweeps once the estimated remaining change of any node's
    /// `ln B` is below this (0 = always run `m` sweeps).
    pub tol: f64,
}

impl AloScheme {
    /// The default of `Engine::Best`. Worst error 1.2e-5 against QuantLib's
    /// high-precision scheme on the 360 test options, and within 1e-4 of a
    /// converged ALO (n=48, l=64, 24 sweeps, p=64) over a 13 824-option grid
    /// with T <= 3 years, σ 10%..100%, r, q 0..10%, S/K 0.7..1.4
    /// (`examples/alo_accuracy.rs`).
    pub const BEST: AloScheme = AloScheme {
        n: 10,
        l: 8,
        m: 12,
        p: 32,
        fp: FixedPoint::Auto,
        tol: 1e-6,
    };
    /// High accuracy (~1e-10), for tests and reference values.
    pub const HIGH: AloScheme = AloScheme {
        n: 24,
        l: 48,
        m: 16,
        p: 64,
        fp: FixedPoint::Auto,
        tol: 1e-13,
    };
}

/// Supported Gauss-Legendre sizes, in the order of [`gl_index`].
const GL_SIZES: [usize; 12] = [4, 6, 8, 10, 12, 14, 16, 20, 24, 32, 48, 64];

fn gl_index(n: usize) -> usize {
    GL_SIZES
        .iter()
        .position(|&s| s >= n)
        .unwrap_or(GL_SIZES.len() - 1)
}

fn gl_table(idx: usize) -> (&'static [f64], &'static [f64]) {
    match GL_SIZES[idx] {
        4 => (&gl::GL4_X, &gl::GL4_W),
        6 => (&gl::GL6_X, &gl::GL6_W),
        8 => (&gl::GL8_X, &gl::GL8_W),
        10 => (&gl::GL10_X, &gl::GL10_W),
        12 => (&gl::GL12_X, &gl::GL12_W),
        14 => (&gl::GL14_X, &gl::GL14_W),
        16 => (&gl::GL16_X, &gl::GL16_W),
        20 => (&gl::GL20_X, &gl::GL20_W),
        24 => (&gl::GL24_X, &gl::GL24_W),
        32 => (&gl::GL32_X, &gl::GL32_W),
        48 => (&gl::GL48_X, &gl::GL48_W),
        _ => (&gl::GL64_X, &gl::GL64_W),
    }
}

/// `ln x` by the inlined kernel, NaN unless `x` is a positive normal finite
/// number (the kernel's domain), so that callers can test `is_finite`.
#[inline(always)]
fn ln_checked<const FUSED: bool>(x: f64) -> f64 {
    let ok = (f64::MIN_POSITIVE..=f64::MAX).contains(&x);
    if ok {
        ln_kernel_g::<FUSED>(x)
    } else {
        f64::NAN
    }
}

/// Tolerance in ln B of the QD+ starting boundary (the sweeps correct the rest).
const QD_GTOL: f64 = 1e-3;
/// Largest number of Chebyshev intervals.
const MAX_N: usize = 64;
/// Largest Gauss-Legendre rule.
const MAX_GL: usize = 64;
/// `FixedPoint::Auto` switches to FP-B above this `2(r-q)/σ²·rT`.
const AUTO_B_THRESHOLD: f64 = 2.0;

/// A Gauss-Legendre rule on `[0, 1]` after the cosine map, as fractions of
/// the interval: `g` = boundary time / τ, with `√g`, `√(1-g)` and the weight
/// times the Jacobian. Built once per rule size (sin/cos are not const).
struct MappedRule {
    g: [f64; MAX_GL],
    sqrt_g: [f64; MAX_GL],
    sqrt_1mg: [f64; MAX_GL],
    /// 1/√(1-g): the sweeps' and the premium's divisions by σ√(τ-u).
    inv_sqrt_1mg: [f64; MAX_GL],
    w: [f64; MAX_GL],
    len: usize,
}

impl MappedRule {
    fn build(idx: usize) -> MappedRule {
        let (xs, ws) = gl_table(idx);
        let mut rule = MappedRule {
            g: [0.0; MAX_GL],
            sqrt_g: [0.0; MAX_GL],
            sqrt_1mg: [0.0; MAX_GL],
            inv_sqrt_1mg: [0.0; MAX_GL],
            w: [0.0; MAX_GL],
            len: 2 * xs.len(),
        };
        for (j, (&x, &w)) in xs.iter().zip(ws).enumerate() {
            // y = ±x; a = π(1+y)/2; the mirrored point has cos a → -cos a.
            let (sa, ca) = (std::f64::consts::FRAC_PI_2 * (1.0 + x)).sin_cos();
            let ww = w * std::f64::consts::FRAC_PI_4 * sa;
            for (idx, c) in [(2 * j, ca), (2 * j + 1, -ca)] {
                let g = 0.5 * (1.0 - c);
                let h = 0.5 * (1.0 + c);
                rule.g[idx] = g;
                rule.sqrt_g[idx] = g.sqrt();
                rule.sqrt_1mg[idx] = h.sqrt();
                rule.inv_sqrt_1mg[idx] = 1.0 / h.sqrt();
                rule.w[idx] = ww;
            }
        }
        rule
    }

    fn get(n: usize) -> &'static MappedRule {
        static RULES: [OnceLock<MappedRule>; 12] = [const { OnceLock::new() }; 12];
        let idx = gl_index(n);
        RULES[idx].get_or_init(|| MappedRule::build(idx))
    }
}

/// `e^x` for `x <= 0` in the kernels: [`exp_fast`] without its overflow
/// and NaN selects (arguments here are finite and non-positive; results
/// below 2^-1022 come out as tiny normals instead of 0, which only ever
/// multiply weights).
#[inline(always)]
pub(super) fn exp_kernel<const FUSED: bool>(x: f64) -> f64 {
    exp_poly_unchecked::<FUSED>(x.max(-708.0))
}

/// `(Φ(x), e^{-x²/2})`, branch-free (see [`erfcx_poly`]); absolute error of
/// Φ below 1e-15.
#[inline(always)]
fn cdf_exp_kernel<const FUSED: bool>(x: f64) -> (f64, f64) {
    let e = exp_kernel::<FUSED>(-0.5 * x * x);
    let arg = ERFCX_A / (1.0 + 0.3 * (x.abs() * FRAC_1_SQRT_2).min(6.0)) + ERFCX_B;
    let tail = 0.5 * erfcx_cheb::<FUSED>(arg) * e;
    (if x < 0.0 { tail } else { 1.0 - tail }, e)
}

/// Everything that depends on the scheme only (not on the option): the
/// Chebyshev nodes, the DCT-I matrix of the fit, and the Chebyshev basis
/// `T_k` at every fixed-point abscissa and premium abscissa. Built once for
/// `BEST` (cached) and per call for other schemes.
struct Tables {
    n: usize,
    l: usize,
    np: usize,
    /// cos(jπ/n), j = 0..2n (z_i = cos_tab[i] are the nodes).
    cos_tab: Vec<f64>,
    /// a_k = Σ_{i<n} dct[k·n + i]·H_i (H_n = 0), (n+1) rows of n.
    dct: Vec<f64>,
    /// T_k at the fixed-point abscissae, k-major: (n+1) rows of n·l. The
    /// abscissa j of node i sits at boundary time u = τ_i·g_j, whose
    /// Chebyshev argument 2√(u/T) - 1 = (1 + z_i)√g_j - 1 depends on the
    /// scheme only.
    basis: Vec<f64>,
    /// T_k at the premium abscissae (argument 2√g_j - 1), k-major.
    prem_basis: Vec<f64>,
}

impl Tables {
    fn build(n: usize, l: usize, p: usize) -> Tables {
        let rule = MappedRule::get(l);
        let prem = MappedRule::get(p);
        let (l, np) = (rule.len, prem.len);
        let mut cos_tab = vec![0.0; 2 * n];
        for j in 0..=n / 2 {
            let c = (std::f64::consts::PI * j as f64 / n as f64).cos();
            cos_tab[j] = c;
            cos_tab[n - j] = -c;
        }
        for j in 1..n {
            cos_tab[2 * n - j] = cos_tab[j];
        }
        let mut dct = vec![0.0; (n + 1) * n];
        for (kk, row) in dct.chunks_exact_mut(n).enumerate() {
            let scale = if kk == 0 || kk == n { 1.0 } else { 2.0 } / n as f64;
            for (i, d) in row.iter_mut().enumerate() {
                let wgt = if i == 0 { 0.5 } else { 1.0 };
                *d = scale * wgt * cos_tab[(i * kk) % (2 * n)];
            }
        }
        let basis_of = |z: &[f64]| {
            let m = z.len();
            let mut b = vec![0.0; (n + 1) * m];
            for (j, &zz) in z.iter().enumerate() {
                let (mut t0, mut t1) = (1.0, zz);
                b[j] = 1.0;
                b[m + j] = zz;
                for kk in 2..=n {
                    let t2 = 2.0 * zz * t1 - t0;
                    b[kk * m + j] = t2;
                    t0 = t1;
                    t1 = t2;
                }
            }
            b
        };
        let mut z = Vec::with_capacity(n * l);
        for c in &cos_tab[..n] {
            z.extend(rule.sqrt_g[..l].iter().map(|sg| (1.0 + c) * sg - 1.0));
        }
        let zp: Vec<f64> = prem.sqrt_g[..np].iter().map(|sg| 2.0 * sg - 1.0).collect();
        Tables {
            n,
            l,
            np,
            cos_tab,
            dct,
            basis: basis_of(&z),
            prem_basis: basis_of(&zp),
        }
    }

    /// Chebyshev coefficients of H from its node values.
    #[inline]
    fn fit(&self, h: &[f64], a: &mut [f64]) {
        for (ak, row) in a.iter_mut().zip(self.dct.chunks_exact(self.n)) {
            *ak = row.iter().zip(h).map(|(d, v)| d * v).sum();
        }
    }
}

/// `out[p] = √max(0, Σ_k a_k T_k(z_p))`: one axpy pass per k over a k-major
/// basis, vectorisable and free of the Clenshaw recurrence's latency chain
/// (fused multiply-adds in the FMA copies: half the operations).
#[inline(always)]
fn sqrt_h_at<const FUSED: bool>(a: &[f64], basis: &[f64], out: &mut [f64]) {
    let m = out.len();
    out.fill(a[0]);
    for (&ak, row) in a[1..].iter().zip(basis[m..].chunks_exact(m)) {
        for (o, &b) in out.iter_mut().zip(row) {
            *o = madd::<FUSED>(ak, b, *o);
        }
    }
    for o in out.iter_mut() {
        *o = o.max(0.0).sqrt();
    }
}

/// ALO American put. `s, k, vol, t > 0`.
#[allow(clippy::too_many_arguments)]
pub fn put(s: f64, k: f64, r: f64, q: f64, t: f64, vol: f64, scheme: &AloScheme) -> f64 {
    let euro = bsm_price(OptionKind::Put, s, k, r, q, t, vol);
    if r <= 0.0 || !(t > 0.0) {
        // No early exercise for a put when carrying the strike earns nothing.
        return euro.max(0.0);
    }
    let n = scheme.n.clamp(2, MAX_N);
    let (l, p) = (MappedRule::get(scheme.l).len, MappedRule::get(scheme.p).len);
    let best = AloScheme::BEST;
    let cached;
    let tables: &Tables = if (n, l, p) == (best.n, best.l, MappedRule::get(best.p).len) {
        static BEST_TABLES: OnceLock<Tables> = OnceLock::new();
        BEST_TABLES.get_or_init(|| Tables::build(best.n, best.l, best.p))
    } else {
        // Other schemes: a small per-thread cache (most callers reuse one).
        thread_local! {
            static OTHER: std::cell::RefCell<Vec<std::rc::Rc<Tables>>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        cached = OTHER.with(|c| {
            let mut c = c.borrow_mut();
            if let Some(t) = c.iter().find(|t| (t.n, t.l, t.np) == (n, l, p)) {
                return t.clone();
            }
            let t = std::rc::Rc::new(Tables::build(n, scheme.l, scheme.p));
            if c.len() >= 8 {
                c.remove(0);
            }
            c.push(t.clone());
            t
        });
        &cached
    };
    let need = Scratch::len(n * l);
    // One scratch buffer per thread, grown on demand and reused: no
    // allocation (and no zeroing) per call. Every entry is written before
    // it is read.
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            if buf.len() < need {
                buf.resize(need, 0.0);
            }
            put_dispatch(s, k, r, q, t, vol, scheme, tables, euro, &mut buf[..need])
        }
        // Only reachable if a caller re-entered from inside a pricing.
        Err(_) => put_dispatch(
            s,
            k,
            r,
            q,
            t,
            vol,
            scheme,
            tables,
            euro,
            &mut vec![0.0; need],
        ),
    })
}

/// Structure-of-arrays scratch, one entry per fixed-point abscissa
/// (node-major: abscissa j of node i at `i·l + j`).
struct Scratch<'a> {
    /// 1/(σ√(τ-u)).
    inv: &'a mut [f64],
    /// ((r-q)(τ-u))/(σ√(τ-u)) + σ√(τ-u)/2: d₊ = ln(B(τ)/B(u))·inv + c.
    c: &'a mut [f64],
    /// σ√(τ-u) = d₊ - d₋.
    sm: &'a mut [f64],
    /// Quadrature weight × τ × e^{ru}.
    wr: &'a mut [f64],
    /// Quadrature weight × τ × e^{qu}.
    wq: &'a mut [f64],
    /// √H at the abscissa's boundary time u (refreshed every sweep).
    hv: &'a mut [f64],
    /// √H at the abscissa's node τ_i (refreshed every sweep).
    hn: &'a mut [f64],
    /// Integrand terms of N and D.
    tn: &'a mut [f64],
    td: &'a mut [f64],
}

impl<'a> Scratch<'a> {
    const ROWS: usize = 9;

    fn len(pts: usize) -> usize {
        Self::ROWS * pts
    }

    fn split(buf: &'a mut [f64], pts: usize) -> Scratch<'a> {
        let mut rows = buf.chunks_exact_mut(pts);
        let mut next = || rows.next().unwrap_or_default();
        Scratch {
            inv: next(),
            c: next(),
            sm: next(),
            wr: next(),
            wq: next(),
            hv: next(),
            hn: next(),
            tn: next(),
            td: next(),
        }
    }
}

/// Capacities of `put_with`'s per-node and premium arrays for the small
/// schemes (`BEST`: 11 nodes, 32 premium points). They live on the stack and
/// are zeroed on every call, so sizing them for the largest scheme (65 and
/// 64) cost ~10 KB of stores per price, ~3 % of `BEST`'s time.
const SMALL_NC: usize = 16;
const SMALL_GC: usize = 32;

/// [`put_with`] compiled for the CPU at hand (AVX-512 or AVX2+FMA copies
/// through pulp on x86-64, where its abscissa loops vectorise wider), with
/// array capacities to fit the scheme.
#[allow(clippy::too_many_arguments)]
fn put_dispatch(
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    scheme: &AloScheme,
    tab: &Tables,
    euro: f64,
    buf: &mut [f64],
) -> f64 {
    if tab.n < SMALL_NC && tab.np <= SMALL_GC {
        put_dispatch_cap::<SMALL_NC, SMALL_GC>(s, k, r, q, t, vol, scheme, tab, euro, buf)
    } else {
        put_dispatch_cap::<{ MAX_N + 1 }, MAX_GL>(s, k, r, q, t, vol, scheme, tab, euro, buf)
    }
}

#[allow(clippy::too_many_arguments)]
fn put_dispatch_cap<const NC: usize, const GC: usize>(
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    scheme: &AloScheme,
    tab: &Tables,
    euro: f64,
    buf: &mut [f64],
) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        struct Job<'a, const FUSED: bool, const NC: usize, const GC: usize> {
            args: (f64, f64, f64, f64, f64, f64),
            scheme: &'a AloScheme,
            tab: &'a Tables,
            euro: f64,
            buf: &'a mut [f64],
        }
        impl<const FUSED: bool, const NC: usize, const GC: usize> pulp::WithSimd
            for Job<'_, FUSED, NC, GC>
        {
            type Output = f64;
            #[inline(always)]
            fn with_simd<S: pulp::Simd>(self, _simd: S) -> f64 {
                let (s, k, r, q, t, vol) = self.args;
                put_with::<FUSED, NC, GC>(
                    s,
                    k,
                    r,
                    q,
                    t,
                    vol,
                    self.scheme,
                    self.tab,
                    self.euro,
                    self.buf,
                )
            }
        }
        let job = Job::<true, NC, GC> {
            args: (s, k, r, q, t, vol),
            scheme,
            tab,
            euro,
            buf,
        };
        match pulp::Arch::new() {
            pulp::Arch::V4(simd) => pulp::Simd::vectorize(simd, job),
            pulp::Arch::V3(simd) => pulp::Simd::vectorize(simd, job),
            _ => put_with::<false, NC, GC>(s, k, r, q, t, vol, scheme, tab, euro, job.buf),
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    put_with::<false, NC, GC>(s, k, r, q, t, vol, scheme, tab, euro, buf)
}

// Index loops: several parallel per-node arrays are read and written together.
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
#[inline(always)]
fn put_with<const FUSED: bool, const NC: usize, const GC: usize>(
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    scheme: &AloScheme,
    tab: &Tables,
    euro: f64,
    buf: &mut [f64],
) -> f64 {
    let rule = MappedRule::get(scheme.l);
    let (n, l) = (tab.n, tab.l);
    let pts = n * l;
    let w = Scratch::split(buf, pts);
    let x_bound = if q > 0.0 { k * (r / q).min(1.0) } else { k };
    // ln(K/X) >= 0: B = K e^{-(r-q)τ}N/D  ⇔  ln(B/X) = ln(K/X) - (r-q)τ + ln(N/D).
    let ln_k_x = if q > 0.0 { (q / r).max(1.0).ln() } else { 0.0 };
    let sqrt_t = t.sqrt();

    // Nodes: ξ_i = √τ_i = √T(1+z_i)/2, z_i = cos(iπ/n); node n is τ = 0.
    let mut xi = [0.0; NC];
    for i in 0..n {
        xi[i] = 0.5 * sqrt_t * (1.0 + tab.cos_tab[i]);
    }

    // Initial boundary from QD+, from the shortest τ upwards. g_i = ln(B_i/X)
    // <= 0 and H = g². First guess B ≈ X e^{-2σ√τ}; afterwards linear
    // extrapolation of ln B in √τ from the two previous roots, so Halley
    // needs two or three evaluations per node.
    let mut g = [0.0; NC];
    all_nodes::<FUSED, NC>(k, r, q, vol, x_bound, &xi[..n], QD_GTOL, &mut g[..n]);

    // Per-abscissa constants (u = boundary time, τ-u = waiting time).
    let drift = (r - q) / vol + 0.5 * vol;
    let (rg, rs1, rw) = (&rule.g[..l], &rule.sqrt_1mg[..l], &rule.w[..l]);
    let ris1 = &rule.inv_sqrt_1mg[..l];
    for i in 0..n {
        let tau = xi[i] * xi[i];
        let inv_vxi = 1.0 / (vol * xi[i]);
        let row = i * l..(i + 1) * l;
        let (inv, cc) = (&mut w.inv[row.clone()], &mut w.c[row.clone()]);
        let (sm, wr, wq) = (
            &mut w.sm[row.clone()],
            &mut w.wr[row.clone()],
            &mut w.wq[row],
        );
        for j in 0..l {
            let sqrt_m = xi[i] * rs1[j];
            let u = tau * rg[j];
            let wt = rw[j] * tau;
            inv[j] = inv_vxi * ris1[j];
            cc[j] = sqrt_m * drift;
            sm[j] = vol * sqrt_m;
            wr[j] = wt * exp_fast(r * u);
            wq[j] = wt * exp_fast(q * u);
        }
    }

    let fp = match scheme.fp {
        FixedPoint::Auto => {
            let omega = 2.0 * (r - q) / (vol * vol);
            if omega * r * t > AUTO_B_THRESHOLD {
                FixedPoint::B
            } else {
                FixedPoint::A
            }
        }
        other => other,
    };

    // Per-node constants of the node terms: σ√τ_i, its reciprocal,
    // (r-q)τ_i - ln(K/X) and ln(K/X) - (r-q)τ_i.
    let mut node_v = [0.0; NC];
    let mut node_inv_v = [0.0; NC];
    let mut node_lkc = [0.0; NC];
    let mut node_lkx = [0.0; NC];
    for i in 0..n {
        let tau = xi[i] * xi[i];
        node_v[i] = vol * xi[i];
        node_inv_v[i] = 1.0 / node_v[i];
        node_lkc[i] = (r - q) * tau - ln_k_x;
        node_lkx[i] = ln_k_x - (r - q) * tau;
    }
    let mut g_prev = [0.0; NC];
    let mut f_prev = [0.0; NC];
    let mut have_prev = false;
    let mut last_delta = f64::INFINITY;
    let mut h = [0.0; NC];
    let mut a = [0.0; NC];
    for sweep in 0..scheme.m.max(1) {
        for i in 0..n {
            h[i] = g[i] * g[i];
        }
        tab.fit(&h[..n], &mut a[..=n]);
        // √H(u) at every abscissa.
        sqrt_h_at::<FUSED>(&a[..=n], &tab.basis, w.hv);
        for i in 0..n {
            w.hn[i * l..(i + 1) * l].fill(-g[i]);
        }
        // Integrand terms at all abscissae: one branch-free loop (re-sliced
        // to one length so the bounds checks are hoisted).
        let (hv, hn, inv, cc) = (&w.hv[..pts], &w.hn[..pts], &w.inv[..pts], &w.c[..pts]);
        let (sm, wr, wq) = (&w.sm[..pts], &w.wr[..pts], &w.wq[..pts]);
        let (tn, td) = (&mut w.tn[..pts], &mut w.td[..pts]);
        match fp {
            FixedPoint::B => {
                for p in 0..pts {
                    let dp = (hv[p] - hn[p]) * inv[p] + cc[p];
                    tn[p] = wr[p] * cdf_exp_kernel::<FUSED>(dp - sm[p]).0;
                    td[p] = wq[p] * cdf_exp_kernel::<FUSED>(dp).0;
                }
            }
            _ => {
                for p in 0..pts {
                    let dp = (hv[p] - hn[p]) * inv[p] + cc[p];
                    let dm = dp - sm[p];
                    let (cdf_p, e_p) = cdf_exp_kernel::<FUSED>(dp);
                    let e_m = exp_kernel::<FUSED>(-0.5 * dm * dm);
                    tn[p] = wr[p] * inv[p] * FRAC_1_SQRT_2PI * e_m;
                    td[p] = wq[p] * (cdf_p + inv[p] * FRAC_1_SQRT_2PI * e_p);
                }
            }
        }
        let mut ni = [0.0; NC];
        let mut di = [0.0; NC];
        for i in 0..n {
            ni[i] = w.tn[i * l..(i + 1) * l].iter().sum();
            di[i] = w.td[i * l..(i + 1) * l].iter().sum();
        }
        // Node terms, one branch-free loop over the nodes (vectorised like
        // the abscissa loop: inlined exp/ln kernels, selects for the guards).
        let jacobi = sweep == 0;
        let mut next = g;
        for i in 0..n {
            let (v, inv_v) = (node_v[i], node_inv_v[i]);
            // d± at (τ_i, B_i/K); ln(B_i/K) = ln(B_i/X) - ln(K/X).
            let dp = (g[i] + node_lkc[i]) * inv_v + 0.5 * v;
            let dm = dp - v;
            let (cdf_dp, e_dp) = cdf_exp_kernel::<FUSED>(dp);
            let pdf_dp = FRAC_1_SQRT_2PI * e_dp;
            // num, den and B·∂/∂B of their node terms (the integrals'
            // dependence on B_i is left out: Jacobi approximation).
            let (num, den, dnum, dden) = if fp == FixedPoint::B {
                let (cdf_dm, e_dm) = cdf_exp_kernel::<FUSED>(dm);
                let pdf_dm = FRAC_1_SQRT_2PI * e_dm;
                (
                    cdf_dm + r * ni[i],
                    cdf_dp + q * di[i],
                    pdf_dm * inv_v,
                    pdf_dp * inv_v,
                )
            } else {
                let pdf_dm = FRAC_1_SQRT_2PI * exp_kernel::<FUSED>(-0.5 * dm * dm);
                (
                    pdf_dm * inv_v + r * ni[i],
                    pdf_dp * inv_v + cdf_dp + q * di[i],
                    -pdf_dm * dm * inv_v * inv_v,
                    pdf_dp * (1.0 - dp * inv_v) * inv_v,
                )
            };
            // ln(f/X) with f = K e^{-(r-q)τ} N/D.
            let inv_den = 1.0 / den;
            let n_over_d = num * inv_den;
            let ln_f = node_lkx[i] + ln_checked::<FUSED>(n_over_d);
            // Jacobi-Newton (first sweep): B ← B - (f(B) - B)/(f'(B) - 1),
            // in ln B: with ρ = f/B and f' = ρ·(dnum/num - dden/den),
            // ln(B_new/B) = ln(1 - (ρ - 1)/(f' - 1)). ρ is formed from N/D
            // and an exponential that depends on g alone (not from ln f):
            // this keeps a logarithm off the Newton step's dependency
            // chain, the longest in the loop.
            let rho = exp_kernel::<FUSED>((node_lkx[i] - g[i]).min(700.0)) * n_over_d;
            let fprime = rho * (dnum / num - dden * inv_den);
            let ratio = 1.0 - (rho - 1.0) / (fprime - 1.0);
            let newton = g[i] + ln_checked::<FUSED>(ratio);
            let gi = if jacobi && newton.is_finite() && ln_f.is_finite() {
                newton
            } else {
                ln_f
            };
            next[i] = if gi.is_finite() { gi.min(0.0) } else { next[i] };
        }
        // Anderson(1) mixing of the plain sweeps: the map overshoots (error
        // ratio down to about -0.4 per sweep for low vol, high rate and long
        // maturities), and a secant step along the last residual difference
        // removes most of that dominant mode for O(n) flops.
        let mut out = next;
        if sweep >= 1 {
            let mut fk = [0.0; NC];
            for i in 0..n {
                fk[i] = next[i] - g[i];
            }
            if have_prev {
                let (mut num, mut den) = (0.0, 0.0);
                for i in 0..n {
                    let df = fk[i] - f_prev[i];
                    num += fk[i] * df;
                    den += df * df;
                }
                let gamma = if den > 0.0 { num / den } else { 0.0 };
                for i in 0..n {
                    let mixed = g[i] + fk[i] - gamma * ((g[i] - g_prev[i]) + (fk[i] - f_prev[i]));
                    if mixed.is_finite() {
                        out[i] = mixed.min(0.0);
                    }
                }
            }
            g_prev = g;
            f_prev = fk;
            have_prev = true;
        }
        let mut delta: f64 = 0.0;
        for i in 0..n {
            delta = delta.max((out[i] - g[i]).abs());
        }
        g = out;
        // Estimated remaining error δ·ρ/(1-ρ), ρ the observed contraction.
        let rho = (delta / last_delta).min(0.9);
        if sweep >= 1 && delta * rho / (1.0 - rho) <= scheme.tol {
            break;
        }
        last_delta = delta;
    }
    if s <= x_bound * (g[0]).exp() {
        return k - s;
    }
    for i in 0..n {
        h[i] = g[i] * g[i];
    }
    tab.fit(&h[..n], &mut a[..=n]);

    // Premium: ∫₀^T [rK e^{-r(T-u)} Φ(-d₋) - qS e^{-q(T-u)} Φ(-d₊)] du, u the
    // boundary's time to maturity, T-u the waiting time, d± at (T-u, S/B(u)).
    let prem = MappedRule::get(scheme.p);
    let np = prem.len;
    let ln_s_x = (s / x_bound).ln();
    let mut sh = [0.0; GC];
    sqrt_h_at::<FUSED>(&a[..=n], &tab.prem_basis, &mut sh[..np]);
    let (g_frac, s1mg, wts) = (&prem.g[..np], &prem.sqrt_1mg[..np], &prem.w[..np]);
    let is1mg = &prem.inv_sqrt_1mg[..np];
    let (rk, qs, vst) = (r * k, q * s, vol * sqrt_t);
    let inv_vst = 1.0 / vst;
    let mut terms = [0.0; GC];
    for j in 0..np {
        let m = t * (1.0 - g_frac[j]);
        let sm = vst * s1mg[j];
        let dp = (ln_s_x + sh[j] + (r - q) * m) * (inv_vst * is1mg[j]) + 0.5 * sm;
        let dm = dp - sm;
        let put_r = rk * exp_kernel::<FUSED>(-r * m) * cdf_exp_kernel::<FUSED>(-dm).0;
        let put_q = qs * exp_kernel::<FUSED>(-q * m) * cdf_exp_kernel::<FUSED>(-dp).0;
        terms[j] = wts[j] * (put_r - put_q);
    }
    let premium = t * terms[..np].iter().sum::<f64>();
    (euro + premium).max(k - s)
}

/// ALO American option of either kind (call via put-call symmetry).
#[allow(clippy::too_many_arguments)]
pub fn price(
    kind: OptionKind,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    scheme: &AloScheme,
) -> f64 {
    match kind {
        OptionKind::Put => put(s, k, r, q, t, vol, scheme),
        OptionKind::Call => put(k, s, q, r, t, vol, scheme),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normal::norm_cdf;

    #[test]
    fn chebyshev_tables_reproduce_a_polynomial() {
        let n = 6;
        let tab = Tables::build(n, 8, 8);
        let f = |z: f64| (1.0 + z * (0.5 - z * (2.0 - z * z * z))) * (1.0 + z);
        // f(-1) = 0 like H at τ = 0, which the fit leaves out.
        let h: Vec<f64> = (0..n).map(|i| f(tab.cos_tab[i])).collect();
        let mut a = vec![0.0; n + 1];
        tab.fit(&h, &mut a);
        let pts = tab.basis.len() / (n + 1);
        let mut got = vec![0.0; pts];
        sqrt_h_at::<false>(&a, &tab.basis, &mut got);
        let rule = MappedRule::get(8);
        for (p, v) in got.iter().enumerate() {
            let z = (1.0 + tab.cos_tab[p / rule.len]) * rule.sqrt_g[p % rule.len] - 1.0;
            assert!((v - f(z).max(0.0).sqrt()).abs() < 1e-12, "{z}");
        }
    }

    /// The unfused loops (baseline x86-64, wasm) agree with the copy this
    /// CPU runs (AVX-512 or AVX2 with FMA where present).
    #[test]
    fn unfused_and_dispatched_sweeps_agree() {
        let b = AloScheme::BEST;
        let tab = Tables::build(b.n, b.l, b.p);
        let mut buf = vec![0.0; Scratch::len(tab.n * tab.l)];
        for (s, k, r, q, t, v) in [
            (100.0, 100.0, 0.05, 0.0, 1.0, 0.2),
            (80.0, 100.0, 0.08, 0.03, 3.0, 0.35),
            (120.0, 100.0, 0.02, 0.04, 0.25, 0.6),
        ] {
            let euro = bsm_price(OptionKind::Put, s, k, r, q, t, v);
            let plain = put_with::<false, { MAX_N + 1 }, MAX_GL>(
                s, k, r, q, t, v, &b, &tab, euro, &mut buf,
            );
            let fast = put_dispatch(s, k, r, q, t, v, &b, &tab, euro, &mut buf);
            assert!(
                (plain - fast).abs() < 1e-11 * k,
                "{s} {k}: {plain} vs {fast}"
            );
            assert!(plain > euro, "early-exercise premium {plain} vs {euro}");
        }
    }

    #[test]
    fn kernel_cdf_matches_norm_cdf() {
        let mut x = -12.0;
        while x < 12.0 {
            let (c, e) = cdf_exp_kernel::<false>(x);
            let want = norm_cdf(x);
            // Relative 2e-15 (plus the x²ε that rounding the square costs
            // both functions) in the lower tail down to the clamp at
            // |x| = 8.49, absolute below 1e-17 beyond; absolute 4e-16 above 0.
            let tol = if x < -8.4 {
                1e-17
            } else if x < 0.0 {
                (2e-15 + x * x * f64::EPSILON) * want
            } else {
                4e-16
            };
            assert!((c - want).abs() <= tol, "x={x}: {c:e} vs {want:e}");
            assert!(
                (e - (-0.5 * x * x).exp()).abs() <= 4e-16 * e + 1e-300,
                "x={x}"
            );
            x += 0.0137;
        }
    }
}
