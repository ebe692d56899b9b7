//! The name-and-params API used by the REST endpoint and the browser.

mod common;

use indicators::*;

#[test]
fn every_study_computes_with_defaults_and_names_its_outputs() {
    let bars = common::bars("aapl");
    for info in CATALOGUE {
        let series = compute(&bars, &StudySpec::new(info.name), Convention::TaLib).unwrap();
        let outputs: Vec<&str> = series.iter().map(|s| s.output.as_str()).collect();
        assert_eq!(outputs, info.outputs, "{}", info.name);
        for s in &series {
            assert_eq!(s.name, info.name);
            assert_eq!(s.values.len(), bars.len());
        }
        let lookback = Study::from_spec(&StudySpec::new(info.name))
            .unwrap()
            .lookback(Convention::TaLib);
        let complete = (0..bars.len()).find(|&i| series.iter().all(|s| s.values[i].is_some()));
        assert_eq!(complete, Some(lookback), "{}", info.name);
    }
}

#[test]
fn defaults_are_documented_ones() {
    let s = |name: &str| Study::from_spec(&StudySpec::new(name)).unwrap();
    assert_eq!(s("sma"), Study::Sma { period: 20 });
    assert_eq!(s("EMA"), Study::Ema { period: 20 });
    assert_eq!(s("rsi"), Study::Rsi { period: 14 });
    assert_eq!(s("atr"), Study::Atr { period: 14 });
    assert_eq!(s("adx"), Study::Adx { period: 14 });
    assert_eq!(
        s("bbands"),
        Study::Bbands {
            period: 20,
            stddev: 2.0
        }
    );
    assert_eq!(
        s("macd"),
        Study::Macd {
            fast: 12,
            slow: 26,
            signal: 9
        }
    );
    assert_eq!(
        s("stoch"),
        Study::Stoch {
            k_period: 14,
            k_smooth: 3,
            d_period: 3
        }
    );
    assert_eq!(
        s("vwap"),
        Study::Vwap {
            session: Session::Never
        }
    );
}

#[test]
fn compute_matches_the_direct_functions() {
    let bars = common::bars("ibm");
    let closes: Vec<f64> = bars.iter().map(|b| b.c).collect();
    let conv = Convention::TradingView;
    let spec = StudySpec::new("macd")
        .with("fast", 5.0)
        .with("slow", 35.0)
        .with("signal", 5.0);
    let got = compute(&bars, &spec, conv).unwrap();
    let want = macd(&closes, 5, 35, 5, conv).unwrap();
    assert_eq!(got[0].values, want.macd);
    assert_eq!(got[1].values, want.signal);
    assert_eq!(got[2].values, want.hist);
    let spec = StudySpec::new("vwap").with("session_ms", 86_400_000.0 * 7.0);
    let got = compute(&bars, &spec, conv).unwrap();
    let session = Session::Every {
        period_ms: 7 * 86_400_000,
        offset_ms: 0,
    };
    assert_eq!(got[0].values, vwap(&bars, session).unwrap());
}

#[test]
fn invalid_specs_give_precise_errors() {
    let err = |spec: StudySpec| {
        compute(&[], &spec, Convention::TaLib)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err(StudySpec::new("kama")),
        "unknown study `kama`: expected one of sma, ema, wma, rsi, atr, vwap, obv, macd, bbands, stoch, adx"
    );
    assert_eq!(
        err(StudySpec::new("sma").with("length", 5.0)),
        "study `sma` has no parameter `length` (it takes: period)"
    );
    assert_eq!(
        err(StudySpec::new("obv").with("period", 5.0)),
        "study `obv` has no parameter `period` (it takes: no parameters)"
    );
    assert_eq!(
        err(StudySpec::new("rsi").with("period", 1.0)),
        "rsi: `period` = 1 is invalid: must be an integer from 2 to 100000"
    );
    assert_eq!(
        err(StudySpec::new("sma").with("period", 2.5)),
        "sma: `period` = 2.5 is invalid: must be an integer from 1 to 100000"
    );
    assert_eq!(
        err(StudySpec::new("ema").with("period", 0.0)),
        "ema: `period` = 0 is invalid: must be an integer from 1 to 100000"
    );
    assert_eq!(
        err(StudySpec::new("macd").with("fast", 26.0).with("slow", 12.0)),
        "macd: `fast` (26) must be less than `slow` (12)"
    );
    assert_eq!(
        err(StudySpec::new("bbands").with("stddev", -1.0)),
        "bbands: `stddev` = -1 is invalid: must be a finite number greater than 0"
    );
    assert_eq!(
        err(StudySpec::new("stoch").with("d_period", 100_001.0)),
        "stoch: `d_period` = 100001 is invalid: must be an integer from 1 to 100000"
    );
    assert_eq!(
        err(StudySpec::new("vwap").with("session_ms", -5.0)),
        "vwap: `session_ms` = -5 is invalid: must be 0 (no reset) or a positive number of milliseconds"
    );
    assert!(matches!(
        Study::from_spec(&StudySpec::new("adx").with("period", f64::NAN)),
        Err(IndicatorError::InvalidParam {
            study: "adx",
            param: "period",
            ..
        })
    ));
}

#[test]
fn too_few_bars_is_not_an_error() {
    let bars = common::bars("aapl");
    for info in CATALOGUE {
        for n in [0, 1, 5] {
            let series =
                compute(&bars[..n], &StudySpec::new(info.name), Convention::TaLib).unwrap();
            assert!(series.iter().all(|s| s.values.len() == n));
        }
    }
}

#[cfg(feature = "serde")]
#[test]
fn specs_and_series_round_trip_as_json() {
    let spec: StudySpec =
        serde_json::from_str(r#"{"name":"bbands","params":{"period":10,"stddev":1.5}}"#).unwrap();
    assert_eq!(
        Study::from_spec(&spec).unwrap(),
        Study::Bbands {
            period: 10,
            stddev: 1.5
        }
    );
    let spec: StudySpec = serde_json::from_str(r#"{"name":"obv"}"#).unwrap();
    let series = compute(&common::bars("aapl")[..3], &spec, Convention::TradingView).unwrap();
    let json = serde_json::to_string(&series).unwrap();
    assert_eq!(
        json,
        r#"[{"name":"obv","output":"obv","values":[0.0,22503300.0,38049600.0]}]"#
    );
    let conv: Convention = serde_json::from_str(r#""trading_view""#).unwrap();
    assert_eq!(conv, Convention::TradingView);
    let bar: Bar = serde_json::from_str(r#"{"t":0,"o":1,"h":2,"l":0.5,"c":1.5,"v":10}"#).unwrap();
    assert_eq!(bar, Bar::new(0, 1.0, 2.0, 0.5, 1.5, 10.0));
}

#[test]
fn compute_into_caller_buffers_gives_the_same_bits() {
    let bars = common::bars("aapl");
    for info in CATALOGUE {
        let study = Study::from_spec(&StudySpec::new(info.name)).unwrap();
        for convention in [Convention::TaLib, Convention::TradingView] {
            let want = study.compute(&bars, convention).unwrap();
            // Dirty buffers, as a caller reusing them would pass.
            let mut lines = vec![vec![7.0; bars.len()]; study.outputs().len()];
            let mut out: Vec<&mut [f64]> = lines.iter_mut().map(|l| &mut l[..]).collect();
            study.compute_into(&bars, convention, &mut out).unwrap();
            assert_eq!(want.len(), lines.len(), "{}", info.name);
            for ((series, line), name) in want.iter().zip(&lines).zip(study.outputs()) {
                assert_eq!(&series.output, name);
                let got: Vec<Option<u64>> = line
                    .iter()
                    .map(|x| (!x.is_nan()).then(|| x.to_bits()))
                    .collect();
                let exp: Vec<Option<u64>> =
                    series.values.iter().map(|x| x.map(f64::to_bits)).collect();
                assert_eq!(got, exp, "{} {} {convention:?}", info.name, series.output);
            }
        }
    }
}

#[test]
fn compute_into_refuses_wrong_shapes() {
    let bars = common::bars("aapl");
    let macd = Study::from_spec(&StudySpec::new("macd")).unwrap();
    let (mut a, mut b) = (vec![0.0; bars.len()], vec![0.0; bars.len()]);
    let e = macd
        .compute_into(&bars, Convention::TaLib, &mut [&mut a, &mut b])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "output lines: expected 3 values (one per bar), got 2"
    );
    let mut short = vec![0.0; 10];
    let sma = Study::from_spec(&StudySpec::new("sma")).unwrap();
    let e = sma
        .compute_into(&bars, Convention::TaLib, &mut [&mut short])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "output line: expected {} values (one per bar), got 10",
            bars.len()
        )
    );
}
