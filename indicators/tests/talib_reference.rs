//! Every TA-Lib-mode indicator against TA-Lib's own output on 600 real daily
//! bars each of AAPL and IBM (tests/data, made by tests/data/generate.py).
//!
//! For each series: `None` exactly where TA-Lib has NaN (so the warm-up length
//! equals TA-Lib's lookback), and every value within 1e-9 × max(1, |TA-Lib|).
//! The test also counts bit-identical values; run with `--nocapture` to see
//! the table.

mod common;

use indicators::*;

const TOLERANCE: f64 = 1e-9;

#[derive(Default)]
struct Tally {
    series: usize,
    values: usize,
    identical: usize,
    max_abs: f64,
    max_rel: f64,
}

fn check(
    tally: &mut Tally,
    symbol: &str,
    column: &str,
    ours: &[Option<f64>],
    reference: &[Option<f64>],
) {
    assert_eq!(ours.len(), reference.len(), "{symbol} {column}: length");
    let warm_ours = ours.iter().take_while(|v| v.is_none()).count();
    let warm_ref = reference.iter().take_while(|v| v.is_none()).count();
    assert_eq!(
        warm_ours, warm_ref,
        "{symbol} {column}: warm-up (None count) differs from TA-Lib's lookback"
    );
    let (mut identical, mut max_abs, mut max_rel) = (0, 0.0f64, 0.0f64);
    for (i, (a, b)) in ours.iter().zip(reference).enumerate() {
        match (a, b) {
            (None, None) => {}
            (Some(a), Some(b)) => {
                let abs = (a - b).abs();
                let scaled = abs / b.abs().max(1.0);
                assert!(
                    scaled <= TOLERANCE,
                    "{symbol} {column}[{i}]: ours {a:e}, TA-Lib {b:e}, diff {abs:e}"
                );
                identical += usize::from(a.to_bits() == b.to_bits());
                max_abs = max_abs.max(abs);
                if *b != 0.0 {
                    max_rel = max_rel.max(abs / b.abs());
                }
            }
            _ => panic!("{symbol} {column}[{i}]: ours {a:?}, TA-Lib {b:?}"),
        }
    }
    let values = reference.iter().flatten().count();
    println!(
        "{symbol:5} {column:22} warm-up {warm_ref:3}  values {values:3}  bit-identical {identical:3}  max abs {max_abs:.1e}  max rel {max_rel:.1e}"
    );
    tally.series += 1;
    tally.values += values;
    tally.identical += identical;
    tally.max_abs = tally.max_abs.max(max_abs);
    tally.max_rel = tally.max_rel.max(max_rel);
}

#[test]
fn matches_talib_on_real_series() {
    let tl = Convention::TaLib;
    let mut tally = Tally::default();
    for symbol in ["aapl", "ibm"] {
        let bars = common::bars(symbol);
        let reference = common::talib(symbol);
        let closes: Vec<f64> = bars.iter().map(|b| b.c).collect();
        let mut checked = 0;
        let mut cmp = |column: &str, ours: &[Option<f64>]| {
            let r = reference
                .get(column)
                .unwrap_or_else(|| panic!("column {column} in {symbol}_talib.csv"));
            check(&mut tally, symbol, column, ours, r);
            checked += 1;
        };

        for p in [20, 50, 1] {
            cmp(&format!("sma_{p}"), &sma(&closes, p).unwrap());
        }
        for p in [20, 9, 1] {
            cmp(&format!("ema_{p}"), &ema(&closes, p, tl).unwrap());
        }
        for p in [20, 10, 1] {
            cmp(&format!("wma_{p}"), &wma(&closes, p).unwrap());
        }
        for p in [14, 7, 2] {
            cmp(&format!("rsi_{p}"), &rsi(&closes, p, tl).unwrap());
        }
        for p in [14, 5, 1] {
            cmp(&format!("atr_{p}"), &atr(&bars, p, tl).unwrap());
        }
        for p in [14, 7] {
            let a = adx(&bars, p, tl).unwrap();
            cmp(&format!("adx_{p}"), &a.adx);
            cmp(&format!("plus_di_{p}"), &a.plus_di);
            cmp(&format!("minus_di_{p}"), &a.minus_di);
        }
        for (p, dev, tag) in [(20, 2.0, "20_2"), (10, 1.5, "10_1.5")] {
            let b = bbands(&closes, p, dev).unwrap();
            cmp(&format!("bb_upper_{tag}"), &b.upper);
            cmp(&format!("bb_middle_{tag}"), &b.middle);
            cmp(&format!("bb_lower_{tag}"), &b.lower);
        }
        for (f, s, g) in [(12, 26, 9), (5, 35, 5), (3, 10, 1)] {
            let m = macd(&closes, f, s, g, tl).unwrap();
            let tag = format!("{f}_{s}_{g}");
            cmp(&format!("macd_{tag}"), &m.macd);
            cmp(&format!("macd_signal_{tag}"), &m.signal);
            cmp(&format!("macd_hist_{tag}"), &m.hist);
        }
        for (k, ks, d) in [(14, 3, 3), (5, 3, 4), (9, 1, 1)] {
            let s = stoch(&bars, k, ks, d, tl).unwrap();
            let tag = format!("{k}_{ks}_{d}");
            cmp(&format!("stoch_k_{tag}"), &s.k);
            cmp(&format!("stoch_d_{tag}"), &s.d);
        }
        cmp("obv", &obv(&bars, tl));
        assert_eq!(
            checked,
            reference.len(),
            "{symbol}: every reference column is checked"
        );
    }
    println!(
        "TOTAL {} series, {} values, {} bit-identical, max abs err {:.1e}, max rel err {:.1e}",
        tally.series, tally.values, tally.identical, tally.max_abs, tally.max_rel
    );
}
