//! Pivot points, swing points, support/resistance, VWAP sessions.

mod common;

use indicators::*;

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn classic_pivots_by_hand() {
    // H 110, L 100, C 106: P = 316/3 = 105.333.., R1 = 2P - 100 = 110.666..,
    // S1 = 2P - 110 = 100.666.., R2 = P + 10, S2 = P - 10,
    // R3 = 110 + 2(P - 100) = 120.666.., S3 = 100 - 2(110 - P) = 90.666..
    let p = pivot_levels(110.0, 100.0, 106.0, PivotKind::Classic);
    let pp = 316.0 / 3.0;
    for (got, want) in [
        (p.pp, pp),
        (p.r1, 332.0 / 3.0),
        (p.s1, 302.0 / 3.0),
        (p.r2, pp + 10.0),
        (p.s2, pp - 10.0),
        (p.r3, 362.0 / 3.0),
        (p.s3, 272.0 / 3.0),
    ] {
        assert!(near(got, want), "{got} != {want}");
    }
    let f = pivot_levels(110.0, 100.0, 106.0, PivotKind::Fibonacci);
    assert!(near(f.r1, pp + 3.82) && near(f.s2, pp - 6.18) && near(f.r3, pp + 10.0));
    let w = pivot_levels(110.0, 100.0, 106.0, PivotKind::Woodie);
    assert!(near(w.pp, 105.5) && near(w.r1, 111.0) && near(w.s1, 101.0));
    let c = pivot_levels(110.0, 100.0, 106.0, PivotKind::Camarilla);
    assert!(near(c.r3, 106.0 + 11.0 / 4.0) && near(c.s1, 106.0 - 11.0 / 12.0));
}

#[test]
fn pivots_use_the_previous_bar_or_session() {
    let bars = common::bars("aapl");
    let p = pivots(&bars, PivotKind::Classic);
    assert!(p[0].is_none());
    assert_eq!(
        p[5],
        Some(pivot_levels(
            bars[4].h,
            bars[4].l,
            bars[4].c,
            PivotKind::Classic
        ))
    );

    // Hourly bars, two UTC days: day 2 gets day 1's high/low/last close.
    let hour = 3_600_000;
    let bars: Vec<Bar> = (0..48)
        .map(|i| {
            let x = 100.0 + (i % 24) as f64;
            Bar::new(i * hour, x, x + 1.0, x - 1.0, x + 0.5, 10.0)
        })
        .collect();
    let daily = Session::Every {
        period_ms: 24 * hour,
        offset_ms: 0,
    };
    let sp = session_pivots(&bars, daily, PivotKind::Classic);
    assert!(sp[..24].iter().all(Option::is_none));
    let want = pivot_levels(124.0, 99.0, 123.5, PivotKind::Classic);
    assert!(sp[24..].iter().all(|p| *p == Some(want)));
}

#[test]
fn swing_points_and_clusters_on_a_known_shape() {
    // A saw-tooth whose tops alternate 110 and 110.2 and bottoms 100 and
    // 100.1: two levels, each touched by every cycle.
    let mut bars = Vec::new();
    for cycle in 0..8 {
        let top = if cycle % 2 == 0 { 110.0 } else { 110.2 };
        let bottom = if cycle % 2 == 0 { 100.0 } else { 100.1 };
        for step in 0..10 {
            let up = step < 5;
            let k = if up { step } else { 10 - step } as f64;
            let mid = bottom + (top - bottom) * k / 5.0;
            let i = bars.len() as i64;
            bars.push(Bar::new(i, mid, mid + 0.05, mid - 0.05, mid, 1.0));
        }
    }
    let swings = swing_points(&bars, 3);
    assert!(swings
        .iter()
        .filter(|s| s.is_high)
        .all(|s| s.index % 10 == 5));
    assert!(swings
        .iter()
        .filter(|s| !s.is_high)
        .all(|s| s.index % 10 == 0));

    let levels = support_resistance(
        &bars,
        &SrConfig {
            swing_window: 3,
            ..SrConfig::default()
        },
    )
    .unwrap();
    assert_eq!(levels.len(), 2, "{levels:?}");
    let top = levels
        .iter()
        .find(|l| l.kind == LevelKind::Resistance)
        .unwrap();
    let bottom = levels
        .iter()
        .find(|l| l.kind == LevelKind::Support)
        .unwrap();
    assert_eq!(top.touches, 8);
    assert!((top.price - 110.15).abs() < 0.06);
    assert_eq!(bottom.touches, 7); // bar 0 has no bars before it
    assert!((bottom.price - 100.0).abs() < 0.1);
    assert!(top.score > bottom.score);
}

#[test]
fn support_resistance_rejects_bad_config() {
    let bars = common::bars("ibm");
    let bad = SrConfig {
        tolerance_atr: -1.0,
        ..SrConfig::default()
    };
    assert!(support_resistance(&bars, &bad).is_err());
    let bad = SrConfig {
        swing_window: 0,
        ..SrConfig::default()
    };
    assert!(support_resistance(&bars, &bad).is_err());
    assert!(support_resistance(&[], &SrConfig::default())
        .unwrap()
        .is_empty());
    let levels = support_resistance(&bars, &SrConfig::default()).unwrap();
    assert!(!levels.is_empty() && levels.len() <= 8);
}

#[test]
fn vwap_by_hand_with_resets() {
    // Typical prices 10, 20, 30 with volumes 1, 3, 0 then a new session.
    let bars = [
        Bar::new(0, 10.0, 11.0, 9.0, 10.0, 1.0),
        Bar::new(1, 20.0, 21.0, 19.0, 20.0, 3.0),
        Bar::new(2, 30.0, 31.0, 29.0, 30.0, 0.0),
        Bar::new(3, 40.0, 41.0, 39.0, 40.0, 0.0),
        Bar::new(4, 50.0, 51.0, 49.0, 50.0, 2.0),
    ];
    let v = vwap(&bars, Session::Never).unwrap();
    assert_eq!(v[..3], [Some(10.0), Some(17.5), Some(17.5)]);
    assert!(near(v[4].unwrap(), (10.0 + 60.0 + 100.0) / 6.0));
    let v = vwap_with_resets(&bars, &[true, false, false, true, false]).unwrap();
    assert_eq!(
        v,
        vec![Some(10.0), Some(17.5), Some(17.5), None, Some(50.0)]
    );
    assert!(vwap_with_resets(&bars, &[true]).is_err());
    let every3 = Session::Every {
        period_ms: 3,
        offset_ms: 0,
    };
    assert_eq!(vwap(&bars, every3).unwrap()[3..], [None, Some(50.0)]);
    assert!(Vwap::new(Session::Every {
        period_ms: 0,
        offset_ms: 0
    })
    .is_err());
}
