//! The technical analyst ([`indicators::analyse`]) on synthetic trends, a
//! mean-reverting series, hand-built vote cases and the real AAPL/IBM bars.

mod common;

use indicators::analyst::{
    adx_signal, ao_signal, cci_signal, ma_signal, macd_signal, momentum_signal, rsi_signal,
    stoch_signal, MIN_BARS,
};
use indicators::*;

/// Daily bars around a deterministic path: `close(i)`, open = previous close,
/// high/low 0.6 % outside the body, volume alternating.
fn bars_from(n: usize, close: impl Fn(usize) -> f64) -> Vec<Bar> {
    (0..n)
        .map(|i| {
            let c = close(i);
            let o = if i == 0 { c } else { close(i - 1) };
            Bar::new(
                i as i64 * 86_400_000,
                o,
                o.max(c) * 1.006,
                o.min(c) * 0.994,
                c,
                if i % 2 == 0 { 1_000.0 } else { 1_400.0 },
            )
        })
        .collect()
}

/// +0.4 % a bar with a small wobble (period 7 bars).
fn rising(n: usize) -> Vec<Bar> {
    bars_from(n, |i| {
        100.0 * 1.004f64.powi(i as i32) * (1.0 + 0.006 * (i as f64 * 0.9).sin())
    })
}

/// -0.4 % a bar with the same wobble.
fn falling(n: usize) -> Vec<Bar> {
    bars_from(n, |i| {
        100.0 * 0.996f64.powi(i as i32) * (1.0 + 0.006 * (i as f64 * 0.9).sin())
    })
}

/// Ornstein-Uhlenbeck-like noise around 100: x = 100 + phi (x - 100) + e,
/// e ~ N(0, 1) from xorshift + Box-Muller (deterministic for a seed).
fn ou(n: usize, phi: f64, seed: u64) -> Vec<Bar> {
    let mut state = seed.max(1);
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut x = 100.0;
    let path: Vec<f64> = (0..n)
        .map(|_| {
            let z = (-2.0 * uniform().ln()).sqrt() * (2.0 * std::f64::consts::PI * uniform()).cos();
            x = 100.0 + phi * (x - 100.0) + z;
            x
        })
        .collect();
    bars_from(n, |i| path[i])
}

fn assert_finite(a: &Analysis) {
    let mut numbers = vec![
        a.rating.score,
        a.rating.ma,
        a.rating.oscillators,
        a.entry_price,
    ];
    numbers.extend(a.trend.adx);
    numbers.extend(a.trend.sma50_slope_pct);
    numbers.extend(a.stop_loss);
    numbers.extend(a.take_profit);
    numbers.extend(a.risk_reward_ratio);
    numbers.extend(a.rating.votes.iter().filter_map(|v| v.value));
    numbers.extend(&a.key_levels.support);
    numbers.extend(&a.key_levels.resistance);
    for x in numbers {
        assert!(x.is_finite(), "{x} in {a:#?}");
    }
    assert!((-1.0..=1.0).contains(&a.rating.score));
    assert!((1..=10).contains(&a.confidence));
    assert!(a.key_levels.support.len() <= 3 && a.key_levels.resistance.len() <= 3);
    assert!(a.key_levels.support.windows(2).all(|w| w[0] > w[1]));
    assert!(a.key_levels.resistance.windows(2).all(|w| w[0] < w[1]));
    assert!(a.key_levels.support.iter().all(|s| *s <= a.entry_price));
    assert!(a.key_levels.resistance.iter().all(|r| *r > a.entry_price));
    assert_eq!(
        a.recommendation,
        Recommendation::decide(a.rating.label, &a.trend),
        "recommendation follows the label unless there is no trend"
    );
    assert_eq!(a.rating.label, RatingLabel::from_score(a.rating.score));
    assert!(!a.analysis_text.is_empty());
}

#[test]
fn rising_series_is_bullish_long() {
    for n in [120, 300] {
        let bars = rising(n);
        let a = analyse(&bars, &AnalystConfig::default()).expect("analysis");
        assert_finite(&a);
        assert_eq!(a.trend.direction, TrendDirection::Bullish, "{n} bars");
        assert!(a.trend.sma50_slope_pct.expect("slope") > 0.5);
        assert!(
            a.rating.ma >= 0.7,
            "nearly every MA below the close: {}",
            a.rating.ma
        );
        assert!(matches!(
            a.rating.label,
            RatingLabel::Buy | RatingLabel::StrongBuy
        ));
        assert_eq!(a.recommendation, Recommendation::Long);
        let (stop, tp, rr) = (
            a.stop_loss.expect("stop"),
            a.take_profit.expect("target"),
            a.risk_reward_ratio.expect("ratio"),
        );
        assert!(stop < a.entry_price && a.entry_price < tp, "{a:#?}");
        assert!(rr >= 1.5, "{rr}");
        assert!(a.analysis_text.contains("Long from"), "{}", a.analysis_text);
        assert!(
            a.signals
                .iter()
                .any(|s| s.starts_with("Close") && s.contains("above the 50-bar SMA")),
            "{:?}",
            a.signals
        );
    }
}

#[test]
fn falling_series_is_bearish_short() {
    for n in [120, 300] {
        let bars = falling(n);
        let a = analyse(&bars, &AnalystConfig::default()).expect("analysis");
        assert_finite(&a);
        assert_eq!(a.trend.direction, TrendDirection::Bearish, "{n} bars");
        assert!(a.trend.sma50_slope_pct.expect("slope") < -0.5);
        assert!(
            a.rating.ma <= -0.7,
            "nearly every MA above the close: {}",
            a.rating.ma
        );
        assert!(matches!(
            a.rating.label,
            RatingLabel::Sell | RatingLabel::StrongSell
        ));
        assert_eq!(a.recommendation, Recommendation::Short);
        let (stop, tp, rr) = (
            a.stop_loss.expect("stop"),
            a.take_profit.expect("target"),
            a.risk_reward_ratio.expect("ratio"),
        );
        assert!(tp < a.entry_price && a.entry_price < stop, "{a:#?}");
        assert!(rr >= 1.5, "{rr}");
        assert!(
            a.analysis_text.contains("Short from"),
            "{}",
            a.analysis_text
        );
    }
}

#[test]
fn mean_reverting_series_is_neutral() {
    for seed in [11, 12, 13] {
        let bars = ou(300, 0.5, seed);
        let a = analyse(&bars, &AnalystConfig::default()).expect("analysis");
        assert_finite(&a);
        assert_eq!(a.trend.direction, TrendDirection::Sideways, "{a:#?}");
        assert_eq!(a.trend.strength, TrendStrength::Weak, "{a:#?}");
        assert_eq!(a.recommendation, Recommendation::Neutral);
        assert_eq!(
            (a.stop_loss, a.take_profit, a.risk_reward_ratio),
            (None, None, None)
        );
        assert!(a.analysis_text.contains("No trade"), "{}", a.analysis_text);
        // Not a lucky last bar: every end point from bar 200 on is Neutral,
        // although the TradingView label itself swings with the noise.
        let mut labels = std::collections::BTreeSet::new();
        for end in 200..=bars.len() {
            let a = analyse(&bars[..end], &AnalystConfig::default()).expect("analysis");
            assert_eq!(
                a.recommendation,
                Recommendation::Neutral,
                "seed {seed}, {end} bars"
            );
            labels.insert(format!("{:?}", a.rating.label));
        }
        assert!(labels.len() >= 3, "{labels:?}");
    }
}

#[test]
fn deterministic_bit_for_bit() {
    for bars in [
        rising(250),
        ou(250, 0.5, 11),
        common::bars("aapl"),
        common::synthetic_bars(500, 7),
    ] {
        for convention in [Convention::TaLib, Convention::TradingView] {
            let config = AnalystConfig {
                convention,
                ..AnalystConfig::default()
            };
            let a = analyse(&bars, &config).expect("analysis");
            let b = analyse(&bars.clone(), &config).expect("analysis");
            assert_eq!(a, b);
            // Debug prints the shortest round-tripping form of every f64
            // (and -0.0 as such), so equal text means equal bits.
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
    }
}

#[test]
fn too_few_bars_is_a_precise_error() {
    let bars = rising(12);
    assert_eq!(
        analyse(&bars, &AnalystConfig::default()),
        Err(IndicatorError::NotEnoughBars {
            what: "the analyst",
            needed: 60,
            got: 12
        })
    );
    assert_eq!(
        analyse(&bars, &AnalystConfig::default())
            .expect_err("too few")
            .to_string(),
        "the analyst needs at least 60 bars, got 12"
    );
    assert_eq!(MIN_BARS, 60);
    assert!(analyse(&rising(59), &AnalystConfig::default()).is_err());
    assert!(analyse(&rising(60), &AnalystConfig::default()).is_ok());
    assert!(analyse(&[], &AnalystConfig::default()).is_err());
}

#[test]
fn invalid_config_is_rejected() {
    for (stop, rr, param) in [
        (0.0, 1.5, "atr_stop_multiple"),
        (f64::NAN, 1.5, "atr_stop_multiple"),
        (2.0, -1.0, "min_reward_risk"),
        (2.0, f64::INFINITY, "min_reward_risk"),
    ] {
        let config = AnalystConfig {
            atr_stop_multiple: stop,
            min_reward_risk: rr,
            ..AnalystConfig::default()
        };
        match analyse(&rising(100), &config) {
            Err(IndicatorError::InvalidParam {
                study, param: p, ..
            }) => {
                assert_eq!((study, p), ("analyst", param));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn vote_rules_on_hand_built_cases() {
    use VoteSignal::*;
    // Moving averages.
    assert_eq!(ma_signal(99.0, 100.0), Buy);
    assert_eq!(ma_signal(101.0, 100.0), Sell);
    assert_eq!(ma_signal(100.0, 100.0), Neutral);
    // RSI: overbought alone is not a sell; it must be falling.
    assert_eq!(rsi_signal(72.0, 75.0), Sell, "falling from 75");
    assert_eq!(rsi_signal(78.0, 75.0), Neutral, "rising above 70");
    assert_eq!(rsi_signal(28.0, 25.0), Buy, "rising from 25");
    assert_eq!(rsi_signal(25.0, 28.0), Neutral, "still falling");
    assert_eq!(rsi_signal(50.0, 40.0), Neutral);
    assert_eq!(rsi_signal(70.0, 75.0), Neutral, "70 is not > 70");
    // Stochastic: both lines beyond the level, %K on the right side of %D.
    assert_eq!(stoch_signal(15.0, 12.0), Buy);
    assert_eq!(stoch_signal(12.0, 15.0), Neutral);
    assert_eq!(stoch_signal(22.0, 12.0), Neutral, "%K not below 20");
    assert_eq!(stoch_signal(85.0, 90.0), Sell);
    assert_eq!(stoch_signal(90.0, 85.0), Neutral);
    assert_eq!(stoch_signal(85.0, 79.0), Neutral, "%D not above 80");
    // CCI.
    assert_eq!(cci_signal(-120.0, -150.0), Buy);
    assert_eq!(cci_signal(-150.0, -120.0), Neutral);
    assert_eq!(cci_signal(120.0, 150.0), Sell);
    assert_eq!(cci_signal(150.0, 120.0), Neutral);
    // ADX: trending (> 20 and rising), then the DIs decide.
    assert_eq!(adx_signal(25.0, 24.0, 30.0, 15.0), Buy);
    assert_eq!(adx_signal(25.0, 24.0, 15.0, 30.0), Sell);
    assert_eq!(adx_signal(25.0, 26.0, 30.0, 15.0), Neutral, "ADX falling");
    assert_eq!(adx_signal(18.0, 17.0, 30.0, 15.0), Neutral, "ADX below 20");
    // Awesome Oscillator: zero-line crosses and saucers.
    assert_eq!(ao_signal(0.5, -0.2, -0.4), Buy, "crosses above 0");
    assert_eq!(ao_signal(-0.5, 0.2, 0.4), Sell, "crosses below 0");
    assert_eq!(ao_signal(1.2, 1.0, 1.1), Buy, "bullish saucer");
    assert_eq!(ao_signal(1.2, 1.0, 0.9), Neutral, "just rising");
    assert_eq!(ao_signal(-1.2, -1.0, -1.1), Sell, "bearish saucer");
    // Momentum and MACD.
    assert_eq!(momentum_signal(3.0, 2.0), Buy);
    assert_eq!(momentum_signal(-3.0, -2.0), Sell);
    assert_eq!(momentum_signal(2.0, 2.0), Neutral);
    assert_eq!(macd_signal(0.4, 0.3), Buy);
    assert_eq!(macd_signal(0.2, 0.3), Sell);
    assert_eq!(macd_signal(0.3, 0.3), Neutral);
}

#[test]
fn rating_buckets_at_their_boundaries() {
    use RatingLabel::*;
    for (score, label) in [
        (-1.0, StrongSell),
        (-0.51, StrongSell),
        (-0.5, Sell),
        (-0.11, Sell),
        (-0.1, Neutral),
        (0.1, Neutral),
        (0.11, Buy),
        (0.5, Buy),
        (0.51, StrongBuy),
        (1.0, StrongBuy),
    ] {
        assert_eq!(RatingLabel::from_score(score), label, "{score}");
    }
}

#[test]
fn votes_are_complete_and_counted() {
    // 100 bars: SMA/EMA 200 have no value, are Neutral and not counted.
    let a = analyse(&rising(100), &AnalystConfig::default()).expect("analysis");
    let names: Vec<&str> = a
        .rating
        .votes
        .iter()
        .map(|v| v.indicator.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "SMA(10)",
            "EMA(10)",
            "SMA(20)",
            "EMA(20)",
            "SMA(30)",
            "EMA(30)",
            "SMA(50)",
            "EMA(50)",
            "SMA(100)",
            "EMA(100)",
            "SMA(200)",
            "EMA(200)",
            "VWMA(20)",
            "HMA(9)",
            "RSI(14)",
            "Stoch %K(14,3,3)",
            "CCI(20)",
            "ADX(14)",
            "AO(5,34)",
            "Momentum(10)",
            "MACD(12,26,9)",
        ]
    );
    for v in &a.rating.votes {
        let expect_value = !v.indicator.ends_with("(200)");
        assert_eq!(v.value.is_some(), expect_value, "{v:?}");
    }
    // Group means over the counted votes only.
    let group = |range: std::ops::Range<usize>| {
        let counted: Vec<f64> = a.rating.votes[range]
            .iter()
            .filter(|v| v.value.is_some())
            .map(|v| v.signal.value())
            .collect();
        counted.iter().sum::<f64>() / counted.len() as f64
    };
    assert_eq!(a.rating.ma, group(0..14));
    assert_eq!(a.rating.oscillators, group(14..21));
    assert_eq!(a.rating.score, (a.rating.ma + a.rating.oscillators) / 2.0);
}

/// The last 500 of the 600 real daily bars (to 2013-03-01): regression
/// values. AAPL had fallen from ~700 to 430: every MA votes Sell and 4 of 7
/// oscillators too, score (-1 - 4/7) / 2 = -11/14. IBM had just made a golden
/// cross: every MA votes Buy, oscillators net +1/7, score (1 + 1/7) / 2 = 4/7.
/// Both conventions give the same votes on these bars.
#[test]
fn real_data_regression() {
    for convention in [Convention::TaLib, Convention::TradingView] {
        for (symbol, label, recommendation, score, plan) in [
            (
                "aapl",
                RatingLabel::StrongSell,
                Recommendation::Short,
                -0.7857142857142857f64,
                ("454.13", "383.15", "2.00"),
            ),
            (
                "ibm",
                RatingLabel::StrongBuy,
                Recommendation::Long,
                0.5714285714285714,
                ("197.78", "213.16", "2.00"),
            ),
        ] {
            let bars = common::bars(symbol);
            let last = &bars[bars.len() - 500..];
            let config = AnalystConfig {
                convention,
                ..AnalystConfig::default()
            };
            let a = analyse(last, &config).expect("analysis");
            assert_finite(&a);
            let what = format!("{symbol} {convention:?}: {a:#?}");
            assert_eq!(a.rating.label, label, "{what}");
            assert_eq!(a.recommendation, recommendation, "{what}");
            assert_eq!(a.rating.score.to_bits(), score.to_bits(), "{what}");
            if convention == Convention::TaLib {
                let two = |x: Option<f64>| format!("{:.2}", x.expect("number"));
                assert_eq!(
                    (
                        two(a.stop_loss).as_str(),
                        two(a.take_profit).as_str(),
                        two(a.risk_reward_ratio).as_str()
                    ),
                    plan,
                    "{what}"
                );
            }
        }
    }
}

#[cfg(feature = "serde")]
#[test]
fn serde_field_names_are_camel_case() {
    let a = analyse(&rising(120), &AnalystConfig::default()).expect("analysis");
    let json = serde_json::to_value(&a).expect("json");
    for key in [
        "trend",
        "rating",
        "signals",
        "keyLevels",
        "recommendation",
        "entryPrice",
        "stopLoss",
        "takeProfit",
        "riskRewardRatio",
        "confidence",
        "analysisText",
        "config",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert!(json["trend"].get("sma50SlopePct").is_some());
    assert!(json["config"].get("atrStopMultiple").is_some());
    assert_eq!(json["recommendation"], "long");
    let back: Analysis = serde_json::from_value(json).expect("round trip");
    assert_eq!(back, a);
}
