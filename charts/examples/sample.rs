//! Writes sample charts: `cargo run -p charts --example sample -- /tmp/chart_sample`
//! produces `/tmp/chart_sample.png`, `/tmp/chart_sample.svg` and dark/line/
//! intraday variants next to them.

use charts::{
    render, ChartSpec, ChartStyle, Drawing, ImageFormat, MarkerKind, StudyRequest, Theme,
};
use indicators::{Bar, Convention};

const DAY: i64 = 86_400_000;

/// Deterministic daily bars (weekdays only) from 2021-01-04.
fn daily_bars(n: usize) -> Vec<Bar> {
    let mut out = Vec::with_capacity(n);
    let mut t = 1_609_718_400_000i64; // 2021-01-04, a Monday
    let mut i = 0usize;
    while out.len() < n {
        let dow = (t.div_euclid(DAY) + 3).rem_euclid(7);
        if dow < 5 {
            let x = i as f64;
            let c = 150.0 + (x / 11.0).sin() * 9.0 + (x / 3.1).sin() * 2.5 + x * 0.06;
            let o = c - (x / 1.7).sin() * 1.8;
            let h = o.max(c) + 0.6 + (x / 2.9).cos().abs() * 1.4;
            let l = o.min(c) - 0.6 - (x / 3.7).sin().abs() * 1.4;
            let v = 2.0e7 + (x / 5.0).sin().abs() * 1.5e7 + (x / 1.3).cos().abs() * 4e6;
            out.push(Bar::new(t, o, h, l, c, v));
            i += 1;
        }
        t += DAY;
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/chart_sample".to_owned());
    let bars = daily_bars(500);
    let last = bars[bars.len() - 1];
    let mut spec = ChartSpec::new("AAPL", "1D");
    spec.studies = vec![
        StudyRequest::new("ema").with("period", 20.0),
        StudyRequest::new("bbands"),
        StudyRequest::new("volume"),
        StudyRequest::new("rsi"),
    ];
    spec.drawings = vec![
        Drawing::HorizontalLine {
            price: 170.0,
            color: None,
            label: Some("Resistance".into()),
        },
        Drawing::Marker {
            kind: MarkerKind::Entry,
            price: last.c - 2.0,
            t: Some(bars[470].t),
        },
        Drawing::Marker {
            kind: MarkerKind::Stop,
            price: last.c - 8.0,
            t: Some(bars[470].t),
        },
        Drawing::Marker {
            kind: MarkerKind::Target,
            price: last.c + 9.0,
            t: Some(bars[470].t),
        },
        Drawing::TrendLine {
            t1: bars[100].t,
            p1: bars[100].l,
            t2: bars[400].t,
            p2: bars[400].l,
            color: None,
        },
        Drawing::Zone {
            t1: bars[300].t,
            t2: bars[340].t,
            p_low: 160.0,
            p_high: 166.0,
            color: Some("#ff9800".into()),
        },
    ];
    spec.simulated = true;
    spec.source_note = Some("Synthetic data · Refract".into());
    let png = render(&bars, &spec, Convention::TaLib)?;
    std::fs::write(format!("{base}.png"), &png.bytes)?;
    spec.format = ImageFormat::Svg;
    std::fs::write(
        format!("{base}.svg"),
        render(&bars, &spec, Convention::TaLib)?.bytes,
    )?;

    let mut dark = spec.clone();
    dark.format = ImageFormat::Png;
    dark.theme = Theme::Dark;
    dark.studies = vec![
        StudyRequest::new("sma").with("period", 50.0),
        StudyRequest::new("vwap"),
        StudyRequest::new("macd"),
        StudyRequest::new("stoch"),
        StudyRequest::new("adx"),
        StudyRequest::new("obv"),
    ];
    dark.simulated = false;
    std::fs::write(
        format!("{base}_dark.png"),
        render(&bars[380..], &dark, Convention::TaLib)?.bytes,
    )?;

    let mut line = ChartSpec::new("SPY", "1D");
    line.style = ChartStyle::Line;
    line.title = Some("S&P 500 ETF — 2 years".into());
    line.width = 800;
    line.height = 450;
    std::fs::write(
        format!("{base}_line.png"),
        render(&bars, &line, Convention::TaLib)?.bytes,
    )?;

    let mut intraday = ChartSpec::new("ES", "5m");
    intraday.style = ChartStyle::Ohlc;
    intraday.utc_offset_minutes = -240;
    intraday.studies = vec![StudyRequest::new("vwap"), StudyRequest::new("volume")];
    let t0 = 1_718_371_800_000i64; // 2024-06-14 13:30 UTC
    let intr: Vec<Bar> = bars[..160]
        .iter()
        .enumerate()
        .map(|(i, b)| Bar {
            t: t0 + (i as i64 / 78) * DAY + (i as i64 % 78) * 300_000,
            ..*b
        })
        .collect();
    std::fs::write(
        format!("{base}_intraday.png"),
        render(&intr, &intraday, Convention::TaLib)?.bytes,
    )?;
    println!("wrote {base}.png and variants");
    Ok(())
}
