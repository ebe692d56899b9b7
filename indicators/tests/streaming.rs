//! Streaming state machines against the batch functions on the real series,
//! in both conventions: the same bits, also after `reset()` and when a clone
//! taken mid-stream carries on.

mod common;

use indicators::*;

fn bits(v: &[Option<f64>]) -> Vec<Option<u64>> {
    v.iter().map(|x| x.map(f64::to_bits)).collect()
}

/// Feeds `inputs` one at a time, then again after `reset()`, and checks a
/// clone taken halfway finishes identically.
fn stream<I: Indicator + Clone>(
    mut ind: I,
    inputs: &[I::Input],
    out: impl Fn(&I::Output) -> Option<f64>,
) -> Vec<Option<f64>>
where
    I::Output: Copy,
{
    let first: Vec<Option<f64>> = inputs
        .iter()
        .map(|x| ind.next(*x).as_ref().and_then(&out))
        .collect();
    ind.reset();
    let half = inputs.len() / 2;
    let mut second: Vec<Option<f64>> = inputs[..half]
        .iter()
        .map(|x| ind.next(*x).as_ref().and_then(&out))
        .collect();
    let mut fork = ind.clone();
    second.extend(
        inputs[half..]
            .iter()
            .map(|x| fork.next(*x).as_ref().and_then(&out)),
    );
    assert_eq!(
        bits(&first),
        bits(&second),
        "reset/clone changed the output"
    );
    first
}

#[test]
fn streaming_equals_batch_on_real_series() {
    for symbol in ["aapl", "ibm"] {
        let bars = common::bars(symbol);
        let closes: Vec<f64> = bars.iter().map(|b| b.c).collect();
        for conv in [Convention::TaLib, Convention::TradingView] {
            let same = |name: &str, s: Vec<Option<f64>>, b: &[Option<f64>]| {
                assert_eq!(
                    bits(&s),
                    bits(b),
                    "{symbol} {conv:?} {name}: streaming != batch"
                );
            };
            same(
                "sma",
                stream(Sma::new(20).unwrap(), &closes, |v| Some(*v)),
                &sma(&closes, 20).unwrap(),
            );
            same(
                "ema",
                stream(Ema::new(20, conv).unwrap(), &closes, |v| Some(*v)),
                &ema(&closes, 20, conv).unwrap(),
            );
            same(
                "wma",
                stream(Wma::new(20).unwrap(), &closes, |v| Some(*v)),
                &wma(&closes, 20).unwrap(),
            );
            same(
                "rsi",
                stream(Rsi::new(14, conv).unwrap(), &closes, |v| Some(*v)),
                &rsi(&closes, 14, conv).unwrap(),
            );
            same(
                "atr",
                stream(Atr::new(14, conv).unwrap(), &bars, |v| Some(*v)),
                &atr(&bars, 14, conv).unwrap(),
            );
            same(
                "obv",
                stream(Obv::new(conv), &bars, |v| Some(*v)),
                &obv(&bars, conv),
            );
            let daily = Session::Every {
                period_ms: 7 * 86_400_000,
                offset_ms: 0,
            };
            same(
                "vwap",
                stream(Vwap::new(daily).unwrap(), &bars, |v| Some(*v)),
                &vwap(&bars, daily).unwrap(),
            );

            let m = macd(&closes, 12, 26, 9, conv).unwrap();
            let mk = || Macd::new(12, 26, 9, conv).unwrap();
            same(
                "macd",
                stream(mk(), &closes, |p: &MacdPoint| Some(p.macd)),
                &m.macd,
            );
            same(
                "macd signal",
                stream(mk(), &closes, |p: &MacdPoint| p.signal),
                &m.signal,
            );
            same(
                "macd hist",
                stream(mk(), &closes, |p: &MacdPoint| p.hist),
                &m.hist,
            );

            let b = bbands(&closes, 20, 2.0).unwrap();
            let mk = || Bbands::new(20, 2.0).unwrap();
            same(
                "bb upper",
                stream(mk(), &closes, |p: &BbandsPoint| Some(p.upper)),
                &b.upper,
            );
            same(
                "bb middle",
                stream(mk(), &closes, |p: &BbandsPoint| Some(p.middle)),
                &b.middle,
            );
            same(
                "bb lower",
                stream(mk(), &closes, |p: &BbandsPoint| Some(p.lower)),
                &b.lower,
            );

            let s = stoch(&bars, 14, 3, 3, conv).unwrap();
            let mk = || Stoch::new(14, 3, 3, conv).unwrap();
            same(
                "stoch k",
                stream(mk(), &bars, |p: &StochPoint| Some(p.k)),
                &s.k,
            );
            same("stoch d", stream(mk(), &bars, |p: &StochPoint| p.d), &s.d);

            let a = adx(&bars, 14, conv).unwrap();
            let mk = || Adx::new(14, conv).unwrap();
            same("adx", stream(mk(), &bars, |p: &AdxPoint| p.adx), &a.adx);
            same(
                "plus_di",
                stream(mk(), &bars, |p: &AdxPoint| Some(p.plus_di)),
                &a.plus_di,
            );
            same(
                "minus_di",
                stream(mk(), &bars, |p: &AdxPoint| Some(p.minus_di)),
                &a.minus_di,
            );
        }
    }
}

#[test]
fn lookback_matches_first_complete_output() {
    let bars = common::bars("ibm");
    let closes: Vec<f64> = bars.iter().map(|b| b.c).collect();
    let first = |v: &[Option<f64>]| v.iter().position(Option::is_some).unwrap();
    let tl = Convention::TaLib;
    assert_eq!(
        first(&sma(&closes, 20).unwrap()),
        Sma::new(20).unwrap().lookback()
    );
    assert_eq!(
        first(&rsi(&closes, 14, tl).unwrap()),
        Rsi::new(14, tl).unwrap().lookback()
    );
    assert_eq!(first(&macd(&closes, 12, 26, 9, tl).unwrap().hist), 33);
    assert_eq!(first(&stoch(&bars, 14, 3, 3, tl).unwrap().d), 17);
    assert_eq!(first(&adx(&bars, 14, tl).unwrap().adx), 27);
    assert_eq!(first(&adx(&bars, 14, tl).unwrap().plus_di), 14);
    for conv in [tl, Convention::TradingView] {
        assert_eq!(
            first(&atr(&bars, 14, conv).unwrap()),
            Atr::new(14, conv).unwrap().lookback()
        );
    }
}
