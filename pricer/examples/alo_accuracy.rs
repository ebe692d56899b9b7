//! Accuracy of an ALO scheme against QuantLib's high-precision values and
//! against a converged ALO (n=48, l=64, 24 FP-B sweeps, p=64) on a grid of
//! 13 824 puts (and the calls they stand for by put-call symmetry):
//! S 70..140, K 100, T 1 week..5 years, σ 10%..100%, r, q 0..10% both ways.
//!
//! `cargo run --release -p pricer --example alo_accuracy -- n l m p [A|B|Auto] [tol]`
//! (no arguments: `AloScheme::BEST`). The converged reference takes minutes;
//! set `ALO_REF_CACHE=/some/file` to keep it between runs.
#![allow(clippy::unwrap_used)]
#[path = "../tests/data/quantlib_qdfp.rs"]
mod qdfp;
use pricer::american::alo::{self, AloScheme, FixedPoint};
use pricer::black::OptionKind;
fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let sc = if a.len() < 4 {
        AloScheme::BEST
    } else {
        let u = |i: usize| a[i].parse::<usize>().unwrap();
        let fp = match a.get(4).map(|s| s.as_str()) {
            Some("B") => FixedPoint::B,
            Some("A") => FixedPoint::A,
            _ => FixedPoint::Auto,
        };
        let tol: f64 = a.get(5).map(|s| s.parse().unwrap()).unwrap_or(0.0);
        AloScheme {
            n: u(0),
            l: u(1),
            m: u(2),
            p: u(3),
            fp,
            tol,
        }
    };
    let refs = AloScheme {
        n: 48,
        l: 64,
        m: 24,
        p: 64,
        fp: FixedPoint::B,
        tol: 0.0,
    };
    let cache = std::env::var("ALO_REF_CACHE").ok();
    let cached: Vec<f64> = cache
        .as_ref()
        .and_then(|c| std::fs::read_to_string(c).ok())
        .map(|t| t.lines().map(|l| l.parse().unwrap()).collect())
        .unwrap_or_default();
    let mut newref = Vec::new();
    let mut worst_ql: f64 = 0.0;
    for &(call, s, k, t, v, r, q, want) in qdfp::QL_QDFP_HIGH {
        let kind = if call {
            OptionKind::Call
        } else {
            OptionKind::Put
        };
        worst_ql = worst_ql.max((alo::price(kind, s, k, r, q, t, v, &sc) - want).abs());
    }
    let mut worst: (f64, String) = (0.0, String::new());
    let mut cnt = 0;
    let mut worst3: f64 = 0.0;
    let mut sum2 = 0.0;
    for &s in &[70.0, 80.0, 90.0, 95.0, 100.0, 105.0, 110.0, 120.0, 140.0] {
        for &t in &[1.0 / 52.0, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0] {
            for &v in &[0.1, 0.15, 0.25, 0.4, 0.6, 1.0] {
                for &r in &[0.01, 0.03, 0.05, 0.1] {
                    for &q in &[0.0, 0.02, 0.05, 0.1] {
                        for (rr, qq) in [(r, q), (q, r)] {
                            let x = alo::put(s, 100.0, rr, qq, t, v, &sc);
                            let y = if cached.len() > cnt {
                                cached[cnt]
                            } else {
                                alo::put(s, 100.0, rr, qq, t, v, &refs)
                            };
                            newref.push(y);
                            let e = (x - y).abs();
                            if std::env::var("SHOW").is_ok() && e > 5e-5 {
                                println!("bad S={s} T={t} v={v} r={rr} q={qq} err={e:.1e} w={:.2} rT={:.2}", 2.0*(rr-qq)/(v*v), rr*t);
                            }
                            cnt += 1;
                            sum2 += e * e;
                            if t <= 3.0 && e > worst3 {
                                worst3 = e;
                            }
                            if e > worst.0 {
                                worst = (e, format!("S={s} T={t} v={v} r={rr} q={qq} ref={y}"));
                            }
                        }
                    }
                }
            }
        }
    }
    if let (Some(c), true) = (&cache, cached.is_empty()) {
        std::fs::write(
            c,
            newref
                .iter()
                .map(|v| format!("{v:e}\n"))
                .collect::<String>(),
        )
        .unwrap();
    }
    println!(
        "{:?} QL worst {:.2e} | grid({cnt}) worst {:.2e} (T<=3: {:.2e}) rms {:.1e} at {}",
        (sc.n, sc.l, sc.m, sc.p),
        worst_ql,
        worst.0,
        worst3,
        (sum2 / cnt as f64).sqrt(),
        worst.1
    );
}
