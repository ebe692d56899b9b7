//! 500 daily candles with EMA 20, Bollinger 20/2, RSI 14 and volume, to PNG
//! and SVG at 1200×675 (target: PNG ≤ 50 ms).

use charts::{render_png, render_svg, ChartSpec, StudyRequest};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use indicators::{Bar, Convention};

fn bars(n: usize) -> Vec<Bar> {
    (0..n)
        .map(|i| {
            let x = i as f64;
            let c = 150.0 + (x / 11.0).sin() * 9.0 + (x / 3.1).sin() * 2.5 + x * 0.06;
            let o = c - (x / 1.7).sin() * 1.8;
            let v = 2.0e7 + (x / 5.0).sin().abs() * 1.5e7;
            Bar::new(
                1_609_718_400_000 + i as i64 * 86_400_000,
                o,
                o.max(c) + 1.0,
                o.min(c) - 1.0,
                c,
                v,
            )
        })
        .collect()
}

fn spec() -> ChartSpec {
    let mut s = ChartSpec::new("AAPL", "1D");
    s.studies = vec![
        StudyRequest::new("ema").with("period", 20.0),
        StudyRequest::new("bbands"),
        StudyRequest::new("rsi"),
        StudyRequest::new("volume"),
    ];
    s
}

fn bench(c: &mut Criterion) {
    let b = bars(500);
    let s = spec();
    c.bench_function("png_500_candles_ema_bb_rsi_volume_1200x675", |x| {
        x.iter(|| render_png(black_box(&b), black_box(&s), Convention::TaLib))
    });
    c.bench_function("svg_500_candles_ema_bb_rsi_volume_1200x675", |x| {
        x.iter(|| render_svg(black_box(&b), black_box(&s), Convention::TaLib))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
