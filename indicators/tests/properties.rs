//! Invariants on random series (proptest).

mod common;

use indicators::*;
use proptest::prelude::*;

fn bars_strategy() -> impl Strategy<Value = Vec<Bar>> {
    (1usize..400, any::<u64>()).prop_map(|(n, seed)| common::synthetic_bars(n, seed))
}

fn convention() -> impl Strategy<Value = Convention> {
    prop_oneof![Just(Convention::TaLib), Just(Convention::TradingView)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn bollinger_middle_is_sma_and_bands_symmetric(bars in bars_strategy(), period in 2usize..40, dev in 0.1f64..4.0) {
        let closes: Vec<f64> = bars.iter().map(|b| b.c).collect();
        let b = bbands(&closes, period, dev).unwrap();
        let s = sma(&closes, period).unwrap();
        prop_assert_eq!(&b.middle, &s);
        for i in 0..closes.len() {
            match (b.upper[i], b.middle[i], b.lower[i]) {
                (Some(u), Some(m), Some(l)) => {
                    prop_assert!(((u - m) - (m - l)).abs() <= 1e-9 * m.abs());
                    prop_assert!(u >= m && m >= l);
                }
                (None, None, None) => prop_assert!(i + 1 < period),
                other => prop_assert!(false, "mixed None at {}: {:?}", i, other),
            }
        }
    }

    #[test]
    fn rsi_stoch_adx_stay_in_0_100(bars in bars_strategy(), period in 2usize..30, conv in convention()) {
        let closes: Vec<f64> = bars.iter().map(|b| b.c).collect();
        let in_range = |v: &Option<f64>| v.is_none_or(|x| (0.0..=100.0).contains(&x));
        prop_assert!(rsi(&closes, period, conv).unwrap().iter().all(in_range));
        let s = stoch(&bars, period, 3, 3, conv).unwrap();
        prop_assert!(s.k.iter().all(in_range) && s.d.iter().all(in_range));
        let a = adx(&bars, period, conv).unwrap();
        prop_assert!(a.adx.iter().all(in_range));
        prop_assert!(a.plus_di.iter().all(in_range) && a.minus_di.iter().all(in_range));
    }

    #[test]
    fn obv_steps_by_plus_minus_volume(bars in bars_strategy()) {
        let tl = obv(&bars, Convention::TaLib);
        let tv = obv(&bars, Convention::TradingView);
        prop_assert_eq!(tl[0], Some(bars[0].v));
        prop_assert_eq!(tv[0], Some(0.0));
        for i in 1..bars.len() {
            let step = tl[i].unwrap() - tl[i - 1].unwrap();
            let want = if bars[i].c > bars[i - 1].c { bars[i].v } else if bars[i].c < bars[i - 1].c { -bars[i].v } else { 0.0 };
            prop_assert_eq!(step, want);
            prop_assert_eq!(tl[i].unwrap() - tv[i].unwrap(), bars[0].v);
        }
    }

    #[test]
    fn warm_up_lengths_are_the_lookbacks(bars in bars_strategy(), period in 2usize..50, conv in convention()) {
        let closes: Vec<f64> = bars.iter().map(|b| b.c).collect();
        let n = bars.len();
        let nones = |v: &[Option<f64>]| v.iter().filter(|x| x.is_none()).count();
        prop_assert_eq!(nones(&sma(&closes, period).unwrap()), (period - 1).min(n));
        prop_assert_eq!(nones(&ema(&closes, period, conv).unwrap()), (period - 1).min(n));
        prop_assert_eq!(nones(&wma(&closes, period).unwrap()), (period - 1).min(n));
        prop_assert_eq!(nones(&rsi(&closes, period, conv).unwrap()), period.min(n));
        let atr_lb = if conv == Convention::TaLib { period } else { period - 1 };
        prop_assert_eq!(nones(&atr(&bars, period, conv).unwrap()), atr_lb.min(n));
        prop_assert_eq!(nones(&adx(&bars, period, conv).unwrap().adx), (2 * period - 1).min(n));
        prop_assert_eq!(nones(&macd(&closes, period, period + 5, 4, Convention::TaLib).unwrap().macd), (period + 5 + 2).min(n));
    }

    #[test]
    fn streaming_equals_batch(bars in bars_strategy(), period in 2usize..30, conv in convention()) {
        let closes: Vec<f64> = bars.iter().map(|b| b.c).collect();
        let mut r = Rsi::new(period, conv).unwrap();
        let streamed: Vec<Option<f64>> = closes.iter().map(|c| r.next(*c)).collect();
        prop_assert_eq!(streamed, rsi(&closes, period, conv).unwrap());
        let mut a = Adx::new(period, conv).unwrap();
        let streamed: Vec<Option<f64>> = bars.iter().map(|b| a.next(*b).and_then(|p| p.adx)).collect();
        prop_assert_eq!(streamed, adx(&bars, period, conv).unwrap().adx);
        let mut m = Macd::new(period, period + 7, 5, conv).unwrap();
        let streamed: Vec<Option<f64>> = closes.iter().map(|c| m.next(*c).and_then(|p| p.hist)).collect();
        prop_assert_eq!(streamed, macd(&closes, period, period + 7, 5, conv).unwrap().hist);
    }

    #[test]
    fn vwap_stays_inside_the_session_range(bars in bars_strategy(), session_bars in 1i64..50) {
        let session = Session::Every { period_ms: session_bars * 60_000, offset_ms: 0 };
        let v = vwap(&bars, session).unwrap();
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for (i, b) in bars.iter().enumerate() {
            if i == 0 || b.t.div_euclid(session_bars * 60_000) != bars[i - 1].t.div_euclid(session_bars * 60_000) {
                lo = f64::INFINITY;
                hi = f64::NEG_INFINITY;
            }
            lo = lo.min(b.l);
            hi = hi.max(b.h);
            let x = v[i].unwrap();
            prop_assert!(x >= lo * (1.0 - 1e-12) && x <= hi * (1.0 + 1e-12));
        }
    }

    #[test]
    fn moving_averages_of_a_constant_are_the_constant(x in 0.01f64..1e6, n in 1usize..200, period in 1usize..30) {
        let xs = vec![x; n];
        for v in [sma(&xs, period).unwrap(), ema(&xs, period, Convention::TaLib).unwrap(), wma(&xs, period).unwrap()] {
            prop_assert!(v.iter().flatten().all(|y| (y - x).abs() <= 1e-9 * x));
        }
    }

    #[test]
    fn support_resistance_is_ranked_and_clustered(bars in bars_strategy()) {
        let config = SrConfig::default();
        let levels = support_resistance(&bars, &config).unwrap();
        prop_assert!(levels.len() <= config.max_levels);
        prop_assert!(levels.windows(2).all(|w| w[0].score >= w[1].score));
        let last = bars.last().unwrap().c;
        for l in &levels {
            prop_assert!(l.touches >= config.min_touches);
            prop_assert!(l.first_index <= l.last_index && l.last_index < bars.len());
            prop_assert_eq!(l.kind == LevelKind::Resistance, l.price > last);
        }
    }
}
