//! Binomial trees: Cox-Ross-Rubinstein and Leisen-Reimer (Peizer-Pratt
//! inversion, method 2). Leisen-Reimer converges smoothly (order 1/n²
//! for European payoffs) and is what `Engine::Tree { steps }` uses; the step
//! count is made odd as the method requires.
//!
//! One buffer of `steps + 1` values is allocated per call.

use crate::black::OptionKind;

/// Tree flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeKind {
    /// Cox-Ross-Rubinstein: u = e^{σ√Δt}, d = 1/u.
    Crr,
    /// Leisen-Reimer with Peizer-Pratt method 2 (odd step count).
    LeisenReimer,
}

fn peizer_pratt(z: f64, n: f64) -> f64 {
    // Peizer-Pratt method 2 inversion: probability that a binomial(n, p)
    // exceeds the midpoint matches Φ(z).
    let a = z / (n + 1.0 / 3.0 + 0.1 / (n + 1.0));
    let inner = 0.25 - 0.25 * (-(a * a) * (n + 1.0 / 6.0)).exp();
    0.5 + z.signum() * inner.sqrt()
}

/// American (or European, with `american = false`) option on a binomial tree.
#[allow(clippy::too_many_arguments)]
pub fn price(
    tree: TreeKind,
    american: bool,
    kind: OptionKind,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    steps: usize,
) -> f64 {
    let mut n = steps.max(1);
    if tree == TreeKind::LeisenReimer && n.is_multiple_of(2) {
        n += 1;
    }
    let dt = t / n as f64;
    let growth = ((r - q) * dt).exp();
    let (u, d, p) = match tree {
        TreeKind::Crr => {
            let u = (vol * dt.sqrt()).exp();
            let d = 1.0 / u;
            (u, d, (growth - d) / (u - d))
        }
        TreeKind::LeisenReimer => {
            let sd = vol * t.sqrt();
            let d1 = ((s / k).ln() + (r - q) * t) / sd + 0.5 * sd;
            let d2 = d1 - sd;
            let nf = n as f64;
            let p = peizer_pratt(d2, nf);
            let pbar = peizer_pratt(d1, nf);
            let u = growth * pbar / p;
            let d = (growth - p * u) / (1.0 - p);
            (u, d, p)
        }
    };
    let disc = (-r * dt).exp();
    let pu = disc * p;
    let pd = disc * (1.0 - p);
    let theta = kind.sign();
    let ratio = u / d;
    let mut values = Vec::with_capacity(n + 1);
    let mut st = s * d.powi(n as i32);
    for _ in 0..=n {
        values.push((theta * (st - k)).max(0.0));
        st *= ratio;
    }
    for step in (0..n).rev() {
        let mut st = s * d.powi(step as i32);
        for j in 0..=step {
            let cont = pu * values[j + 1] + pd * values[j];
            values[j] = if american {
                cont.max(theta * (st - k))
            } else {
                cont
            };
            st *= ratio;
        }
    }
    values[0]
}
