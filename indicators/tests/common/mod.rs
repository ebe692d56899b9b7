//! Loaders for the committed reference data (tests/data).

#![allow(dead_code)]

use indicators::Bar;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub fn data_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file)
}

fn read_csv(file: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(data_path(file)).expect("reference file is committed");
    let mut lines = text.lines();
    let header = lines
        .next()
        .expect("header")
        .split(',')
        .map(str::to_owned)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// `aapl` or `ibm`: the 600 daily bars the references were computed from.
pub fn bars(symbol: &str) -> Vec<Bar> {
    let (_, rows) = read_csv(&format!("{symbol}_bars.csv"));
    rows.iter()
        .map(|r| {
            let f = |i: usize| r[i].parse::<f64>().expect("number");
            Bar::new(r[0].parse().expect("t"), f(1), f(2), f(3), f(4), f(5))
        })
        .collect()
}

/// TA-Lib's outputs by column name; `None` where TA-Lib gave NaN.
pub fn talib(symbol: &str) -> BTreeMap<String, Vec<Option<f64>>> {
    let (header, rows) = read_csv(&format!("{symbol}_talib.csv"));
    header
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let col = rows
                .iter()
                .map(|r| (!r[j].is_empty()).then(|| r[j].parse::<f64>().expect("number")))
                .collect();
            (name.clone(), col)
        })
        .collect()
}

/// Bars from a geometric random walk (xorshift + Box-Muller), for property
/// tests and benches that need more or other data than the references.
pub fn synthetic_bars(n: usize, seed: u64) -> Vec<Bar> {
    let mut state = seed.max(1);
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut close = 100.0f64;
    (0..n)
        .map(|i| {
            let z = (-2.0 * uniform().ln()).sqrt() * (2.0 * std::f64::consts::PI * uniform()).cos();
            let open = close;
            close = open * (0.0002 + 0.02 * z).exp();
            let high = open.max(close) * (1.0 + 0.01 * uniform());
            let low = open.min(close) * (1.0 - 0.01 * uniform());
            let volume = (1_000.0 + 9_000.0 * uniform()).round();
            Bar::new(i as i64 * 60_000, open, high, low, close, volume)
        })
        .collect()
}

/// Parameters of one study in the TA-Lib comparison set.
type Params = &'static [(&'static str, f64)];

/// The TA-Lib comparison set of `benches/talib_bench.py` (label, study).
pub fn talib_set() -> Vec<(&'static str, indicators::Study)> {
    let cases: [(&str, &str, Params); 10] = [
        ("sma 20", "sma", &[("period", 20.0)]),
        ("ema 20", "ema", &[("period", 20.0)]),
        ("wma 20", "wma", &[("period", 20.0)]),
        ("rsi 14", "rsi", &[("period", 14.0)]),
        (
            "macd 12/26/9",
            "macd",
            &[("fast", 12.0), ("slow", 26.0), ("signal", 9.0)],
        ),
        (
            "bbands 20/2",
            "bbands",
            &[("period", 20.0), ("stddev", 2.0)],
        ),
        ("atr 14", "atr", &[("period", 14.0)]),
        (
            "stoch 14/3/3",
            "stoch",
            &[("k_period", 14.0), ("k_smooth", 3.0), ("d_period", 3.0)],
        ),
        ("obv", "obv", &[]),
        ("adx 14 (+DI, -DI)", "adx", &[("period", 14.0)]),
    ];
    cases
        .iter()
        .map(|(label, name, params)| {
            let spec = params
                .iter()
                .fold(indicators::StudySpec::new(*name), |s, (p, v)| {
                    s.with(*p, *v)
                });
            (
                *label,
                indicators::Study::from_spec(&spec).expect("valid parameters"),
            )
        })
        .collect()
}

/// The 600 AAPL bars tiled to `n`, one minute apart.
pub fn tiled_aapl(n: usize) -> Vec<Bar> {
    let base = bars("aapl");
    (0..n)
        .map(|i| {
            let mut b = base[i % base.len()];
            b.t = i as i64 * 60_000;
            b
        })
        .collect()
}
