//! TradingView-mode checks against values worked by hand from Pine's
//! documented definitions (`ta.atr` = `ta.rma(ta.tr(true), n)`, `ta.rma` and
//! `ta.ema` seeded with `ta.sma`, `ta.obv` = `ta.cum(sign(change) * volume)`,
//! the built-in RSI and DMI scripts). The fractions in the comments are the
//! hand computations; the TA-Lib-mode numbers on the same inputs were checked
//! with TA-Lib 0.8.1 (shown beside them) to make the differences explicit.

use indicators::*;

const TV: Convention = Convention::TradingView;
const TL: Convention = Convention::TaLib;

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 1e-12 * b.abs().max(1.0))
}

fn assert_series(got: &[Option<f64>], want: &[Option<f64>]) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        match w {
            None => assert!(g.is_none(), "[{i}]: want None, got {g:?}"),
            Some(w) => assert!(close(*g, *w), "[{i}]: want {w}, got {g:?}"),
        }
    }
}

fn hlc(rows: &[(f64, f64, f64)]) -> Vec<Bar> {
    rows.iter()
        .enumerate()
        .map(|(i, &(h, l, c))| Bar::new(i as i64, c, h, l, c, 1.0))
        .collect()
}

#[test]
fn atr_tradingview_seeds_from_bar_zero() {
    // True ranges: bar 0 = h - l = 3 (no previous close), then 2, 2, 3, 4, 2.
    let bars = hlc(&[
        (10.0, 7.0, 9.0),
        (11.0, 9.0, 10.5),
        (12.0, 10.0, 11.0),
        (14.0, 11.0, 13.0),
        (13.0, 9.0, 10.0),
        (12.0, 11.5, 12.0),
    ]);
    // RMA(3): SMA of bars 0..=2 = 7/3 at bar 2, then tr/3 + (2/3) prev:
    // 1 + 14/9 = 23/9, 4/3 + 46/27 = 82/27, 2/3 + 164/81 = 218/81.
    assert_series(
        &atr(&bars, 3, TV).unwrap(),
        &[
            None,
            None,
            Some(7.0 / 3.0),
            Some(23.0 / 9.0),
            Some(82.0 / 27.0),
            Some(218.0 / 81.0),
        ],
    );
    // TA-Lib: SMA of bars 1..=3 = 7/3 at bar 3, then 26/9, 70/27 (TA-Lib 0.8.1
    // prints 2.33333333, 2.88888889, 2.59259259).
    assert_series(
        &atr(&bars, 3, TL).unwrap(),
        &[
            None,
            None,
            None,
            Some(7.0 / 3.0),
            Some(26.0 / 9.0),
            Some(70.0 / 27.0),
        ],
    );
}

#[test]
fn obv_tradingview_starts_at_zero() {
    let bars: Vec<Bar> = [
        (10.0, 100.0),
        (11.0, 200.0),
        (11.0, 300.0),
        (9.0, 400.0),
        (12.0, 500.0),
    ]
    .iter()
    .enumerate()
    .map(|(i, &(c, v))| Bar::new(i as i64, c, c, c, c, v))
    .collect();
    let tv = obv(&bars, TV);
    assert_series(
        &tv,
        &[
            Some(0.0),
            Some(200.0),
            Some(200.0),
            Some(-200.0),
            Some(300.0),
        ],
    );
    // TA-Lib 0.8.1: [100, 300, 300, -100, 400].
    let tl = obv(&bars, TL);
    assert_series(
        &tl,
        &[
            Some(100.0),
            Some(300.0),
            Some(300.0),
            Some(-100.0),
            Some(400.0),
        ],
    );
}

#[test]
fn macd_tradingview_runs_each_ema_from_its_own_seed() {
    let closes = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0];
    // fast EMA(2), k = 2/3: SMA(1, 2) = 3/2 at bar 1, then 19/6, 115/18,
    // 691/54, 4147/162. slow EMA(3), k = 1/2: 7/3 at bar 2, then 31/6,
    // 127/12, 511/24. MACD from bar 2: 5/6, 11/9, 239/108, 2791/648.
    // signal EMA(2) of MACD: (5/6 + 11/9) / 2 = 37/36 at bar 3, then
    // 589/324, 845/243.
    let tv = macd(&closes, 2, 3, 2, TV).unwrap();
    assert_series(
        &tv.macd,
        &[
            None,
            None,
            Some(5.0 / 6.0),
            Some(11.0 / 9.0),
            Some(239.0 / 108.0),
            Some(2791.0 / 648.0),
        ],
    );
    assert_series(
        &tv.signal,
        &[
            None,
            None,
            None,
            Some(37.0 / 36.0),
            Some(589.0 / 324.0),
            Some(845.0 / 243.0),
        ],
    );
    assert_series(
        &tv.hist,
        &[
            None,
            None,
            None,
            Some(11.0 / 9.0 - 37.0 / 36.0),
            Some(239.0 / 108.0 - 589.0 / 324.0),
            Some(2791.0 / 648.0 - 845.0 / 243.0),
        ],
    );
    // TA-Lib seeds the fast EMA at bar 2 with SMA(2, 4) = 3 instead, so MACD
    // at bar 3 is 19/3 - 31/6 = 7/6 and the signal seed (2/3 + 7/6) / 2 =
    // 11/12; nothing before bar 3. TA-Lib 0.8.1: macd 1.16666667,
    // signal 0.91666667, hist 0.25 at bar 3.
    let tl = macd(&closes, 2, 3, 2, TL).unwrap();
    assert_series(&tl.macd[..4], &[None, None, None, Some(7.0 / 6.0)]);
    assert_series(&tl.signal[..4], &[None, None, None, Some(11.0 / 12.0)]);
    assert_series(&tl.hist[..4], &[None, None, None, Some(0.25)]);
    assert!((tl.macd[5].unwrap() - 4.30092593).abs() < 1e-8);
}

#[test]
fn ema_tradingview_is_sma_seeded() {
    // Pine v5/v6 `ta.ema`: SMA(1, 2, 3) = 2 at bar 2, then 4/2 + 2/2 = 3.
    assert_series(
        &ema(&[1.0, 2.0, 3.0, 4.0], 3, TV).unwrap(),
        &[None, None, Some(2.0), Some(3.0)],
    );
}

#[test]
fn rsi_tradingview_formula_and_flat_series() {
    // Changes +1, +1, -1, 0. Seed at bar 2: gain 1, loss 0 → 100 in both.
    // Then gain 1/2, loss 1/2 → 50; gain 1/4, loss 1/4 → 50.
    let closes = [1.0, 2.0, 3.0, 2.0, 2.0];
    let want = [None, None, Some(100.0), Some(50.0), Some(50.0)];
    assert_series(&rsi(&closes, 2, TV).unwrap(), &want);
    assert_series(&rsi(&closes, 2, TL).unwrap(), &want);
    // A flat series: Pine's script says 100 (down == 0), TA-Lib 0 (checked:
    // TA-Lib 0.8.1 returns 0.0).
    let flat = [5.0; 6];
    assert_series(&rsi(&flat, 2, TV).unwrap()[2..], &[Some(100.0); 4]);
    assert_series(&rsi(&flat, 2, TL).unwrap()[2..], &[Some(0.0); 4]);
}

#[test]
fn adx_tradingview_dmi_script() {
    let bars = hlc(&[
        (10.0, 8.0, 9.0),
        (11.0, 9.0, 10.0),
        (12.0, 9.5, 11.0),
        (11.5, 9.0, 9.5),
        (11.0, 8.0, 8.5),
        (12.0, 8.5, 11.5),
    ]);
    // +DM 1, 1, 0, 0, 1; -DM 0, 0, 0.5, 1, 0; TR 2, 2.5, 2.5, 3, 3.5 (bars 1..=5).
    // RMA(2) seeds at bar 2: TR 2.25, +DM 1, -DM 0 → +DI 400/9, -DI 0, dx 1.
    // Bar 3: TR 2.375, +DM 0.5, -DM 0.25 → +DI 50/2.375, -DI 25/2.375, dx 1/3;
    // ADX = 100 × mean(1, 1/3) = 200/3.
    // Bar 4: TR 2.6875, +DM 0.25, -DM 0.625, dx 3/7; ADX = 100 × (3/14 + 1/3).
    let tv = adx(&bars, 2, TV).unwrap();
    assert_series(
        &tv.plus_di[..5],
        &[
            None,
            None,
            Some(400.0 / 9.0),
            Some(50.0 / 2.375),
            Some(25.0 / 2.6875),
        ],
    );
    assert_series(
        &tv.minus_di[..5],
        &[
            None,
            None,
            Some(0.0),
            Some(25.0 / 2.375),
            Some(62.5 / 2.6875),
        ],
    );
    assert_series(
        &tv.adx[..5],
        &[
            None,
            None,
            None,
            Some(200.0 / 3.0),
            Some(100.0 * (3.0 / 14.0 + 1.0 / 3.0)),
        ],
    );
    // TA-Lib: sums, not averages, seeded with bar 1 only: +DI 300/7 at bar 2,
    // ADX 60 at bar 3 (TA-Lib 0.8.1: PLUS_DI 42.85714286, ADX 60.0).
    let tl = adx(&bars, 2, TL).unwrap();
    assert!(close(tl.plus_di[2], 300.0 / 7.0));
    assert!(close(tl.adx[3], 60.0));
    assert!((tl.adx[4].unwrap() - 56.92307692).abs() < 1e-8);
}

#[test]
fn stoch_tradingview_shows_k_before_d() {
    let bars = hlc(&[
        (3.0, 1.0, 2.0),
        (4.0, 2.0, 4.0),
        (5.0, 3.0, 3.0),
        (6.0, 4.0, 6.0),
        (5.0, 4.0, 4.5),
    ]);
    // Fast %K(2): bar 1: (4-1)/(4-1) = 100; bar 2: (3-2)/(5-2) = 100/3;
    // bar 3: (6-3)/(6-3) = 100; bar 4: (4.5-4)/(6-4) = 25.
    // %K = SMA(2): bar 2: 200/3, bar 3: 200/3, bar 4: 62.5. %D = SMA(2) of %K.
    let tv = stoch(&bars, 2, 2, 2, TV).unwrap();
    assert_series(
        &tv.k,
        &[None, None, Some(200.0 / 3.0), Some(200.0 / 3.0), Some(62.5)],
    );
    assert_series(
        &tv.d,
        &[
            None,
            None,
            None,
            Some(200.0 / 3.0),
            Some((200.0 / 3.0 + 62.5) / 2.0),
        ],
    );
    let tl = stoch(&bars, 2, 2, 2, TL).unwrap();
    assert_series(&tl.k, &[None, None, None, Some(200.0 / 3.0), Some(62.5)]);
}
