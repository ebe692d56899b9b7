//! End-to-end rendering tests on deterministic synthetic bars.

use charts::{
    parse_hex_color, render, render_png, render_svg, theme_colors, ChartError, ChartSpec,
    ChartStyle, Drawing, ImageFormat, MarkerKind, StudyRequest, Theme, MAX_BARS,
};
use indicators::{Bar, Convention};

const DAY: i64 = 86_400_000;
/// 2021-01-04, a Monday.
const START: i64 = 1_609_718_400_000;

/// `n` daily bars on weekdays from 2021-01-04: a sine wave on a trend, with
/// opens alternating around the closes so both candle colours appear.
fn bars(n: usize) -> Vec<Bar> {
    let mut out = Vec::with_capacity(n);
    let mut t = START;
    while out.len() < n {
        let dow = (t.div_euclid(DAY) + 3).rem_euclid(7); // 0 = Monday
        if dow < 5 {
            let x = out.len() as f64;
            let c = 150.0 + (x / 11.0).sin() * 9.0 + x * 0.06;
            let o = c - (x / 1.7).sin() * 1.8;
            let v = 2.0e7 + (x / 5.0).sin().abs() * 1.5e7;
            out.push(Bar::new(t, o, o.max(c) + 1.0, o.min(c) - 1.0, c, v));
        }
        t += DAY;
    }
    out
}

fn spec() -> ChartSpec {
    let mut s = ChartSpec::new("AAPL", "1D");
    s.studies = vec![
        StudyRequest::new("ema").with("period", 20.0),
        StudyRequest::new("bbands"),
        StudyRequest::new("volume"),
        StudyRequest::new("rsi"),
    ];
    s
}

/// The trimmed contents of the SVG's `<text>` elements.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|chunk| {
            let body = chunk.split_once('>')?.1;
            let text = body.split_once("</text>")?.0;
            Some(
                text.trim()
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
            )
        })
        .collect()
}

fn svg(bars: &[Bar], spec: &ChartSpec) -> String {
    render_svg(bars, spec, Convention::TaLib).expect("SVG renders")
}

fn png(bars: &[Bar], spec: &ChartSpec) -> image::RgbImage {
    let bytes = render_png(bars, spec, Convention::TaLib).expect("PNG renders");
    image::load_from_memory(&bytes)
        .expect("PNG decodes")
        .to_rgb8()
}

fn count(img: &image::RgbImage, hex: &str) -> usize {
    let (r, g, b) = parse_hex_color(hex).expect("theme colour");
    img.pixels().filter(|p| p.0 == [r, g, b]).count()
}

fn luminance(p: &image::Rgb<u8>) -> f64 {
    0.299 * f64::from(p.0[0]) + 0.587 * f64::from(p.0[1]) + 0.114 * f64::from(p.0[2])
}

#[test]
fn png_has_the_requested_size_and_content_type() {
    let mut s = spec();
    s.width = 1000;
    s.height = 600;
    let out = render(&bars(300), &s, Convention::TaLib).expect("renders");
    assert_eq!(out.content_type, "image/png");
    assert_eq!((out.width, out.height), (1000, 600));
    assert_eq!(&out.bytes[..8], b"\x89PNG\r\n\x1a\n");
    let img = image::load_from_memory(&out.bytes).expect("decodes");
    assert_eq!((img.width(), img.height()), (1000, 600));
}

#[test]
fn candles_use_the_theme_colours() {
    for theme in [Theme::Light, Theme::Dark] {
        let mut s = spec();
        s.theme = theme;
        let img = png(&bars(200), &s);
        let c = theme_colors(theme);
        let (up, down) = (count(&img, c.up), count(&img, c.down));
        assert!(up > 1000, "{theme:?}: {up} up pixels");
        assert!(down > 1000, "{theme:?}: {down} down pixels");
    }
}

#[test]
fn background_follows_the_theme() {
    let mut s = spec();
    let img = png(&bars(100), &s);
    let corner = img.get_pixel(img.width() - 2, img.height() - 2);
    assert!(luminance(corner) > 200.0, "light background {corner:?}");
    s.theme = Theme::Dark;
    let img = png(&bars(100), &s);
    let corner = img.get_pixel(img.width() - 2, img.height() - 2);
    assert!(luminance(corner) < 60.0, "dark background {corner:?}");
}

#[test]
fn svg_has_symbol_legend_dates_and_last_price() {
    let b = bars(500);
    let mut s = spec();
    s.format = ImageFormat::Svg;
    let out = render(&b, &s, Convention::TaLib).expect("renders");
    assert_eq!(out.content_type, "image/svg+xml");
    let text = String::from_utf8(out.bytes).expect("UTF-8");
    assert!(text.starts_with("<svg"));
    assert!(text.contains("font-family=\"sans-serif\""));
    let texts = svg_texts(&text);
    for want in ["AAPL · 1D", "EMA 20", "BB 20 2", "RSI 14", "Volume"] {
        assert!(
            texts.iter().any(|t| t == want),
            "{want} missing from {texts:?}"
        );
    }
    // 500 weekdays from 2021-01-04 run to late 2022: monthly ticks, the
    // first bar of 2022 labelled with its year.
    assert!(texts.iter().any(|t| t == "2022"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "Jul"), "{texts:?}");
    let last = format!("{:.2}", b[b.len() - 1].c);
    assert!(texts.contains(&last), "{last} missing from {texts:?}");
}

#[test]
fn intraday_ticks_show_clock_times() {
    let t0 = 1_718_371_800_000; // 2024-06-14 13:30 UTC
    let b: Vec<Bar> = bars(78)
        .into_iter()
        .enumerate()
        .map(|(i, b)| Bar {
            t: t0 + i as i64 * 300_000,
            ..b
        })
        .collect();
    let mut s = ChartSpec::new("ES", "5m");
    s.utc_offset_minutes = -240;
    let texts = svg_texts(&svg(&b, &s));
    assert!(texts.iter().any(|t| t == "11:00"), "{texts:?}");
}

#[test]
fn drawings_are_drawn_with_labels_and_tags() {
    let b = bars(200);
    let mut s = spec();
    s.drawings = vec![
        Drawing::HorizontalLine {
            price: 160.0,
            color: Some("#ff0000".into()),
            label: Some("Resistance <R1>".into()),
        },
        Drawing::TrendLine {
            t1: b[10].t,
            p1: 140.0,
            t2: b[150].t + 400 * DAY,
            p2: 1e6,
            color: None,
        },
        Drawing::Zone {
            t1: b[50].t,
            t2: b[80].t,
            p_low: 150.0,
            p_high: 155.0,
            color: None,
        },
        Drawing::Marker {
            kind: MarkerKind::Entry,
            price: 162.5,
            t: Some(b[180].t),
        },
        Drawing::Marker {
            kind: MarkerKind::Stop,
            price: 158.25,
            t: None,
        },
        Drawing::Marker {
            kind: MarkerKind::Target,
            price: 171.0,
            t: None,
        },
    ];
    let texts = svg_texts(&svg(&b, &s));
    for want in [
        "Resistance <R1>",
        "160.00",
        "Entry 162.50",
        "Stop 158.25",
        "Target 171.00",
    ] {
        assert!(
            texts.iter().any(|t| t == want),
            "{want} missing from {texts:?}"
        );
    }
    // The same drawings in PNG, with the marker colours present.
    let img = png(&b, &s);
    let c = theme_colors(Theme::Light);
    assert!(count(&img, c.stop) > 50);
    assert!(count(&img, c.target) > 50);
}

#[test]
fn simulated_data_is_labelled() {
    let b = bars(60);
    let mut s = spec();
    assert!(!svg(&b, &s).contains("SIMULATED DATA"));
    s.simulated = true;
    s.source_note = Some("Data: synthetic".into());
    let texts = svg_texts(&svg(&b, &s));
    assert!(texts.iter().any(|t| t == "SIMULATED DATA"));
    assert!(texts.iter().any(|t| t == "Data: synthetic"));
    let img = png(&b, &s);
    assert!(count(&img, theme_colors(Theme::Light).simulated) > 500);
}

#[test]
fn custom_title_and_styles() {
    let b = bars(120);
    let mut s = spec();
    s.title = Some("Apple Inc. — daily".into());
    for style in [ChartStyle::Candles, ChartStyle::Ohlc, ChartStyle::Line] {
        s.style = style;
        let texts = svg_texts(&svg(&b, &s));
        assert!(texts.iter().any(|t| t == "Apple Inc. — daily"));
        assert!(texts.iter().any(|t| t == "AAPL · 1D"));
        png(&b, &s);
    }
}

#[test]
fn one_bar_and_flat_data_render() {
    let one = vec![Bar::new(START, 10.0, 11.0, 9.0, 10.5, 100.0)];
    let mut s = spec();
    s.studies.push(StudyRequest::new("macd"));
    for format in [ImageFormat::Png, ImageFormat::Svg] {
        s.format = format;
        render(&one, &s, Convention::TaLib).expect("one bar");
    }
    let flat: Vec<Bar> = (0..50)
        .map(|i| Bar::new(START + i * DAY, 5.0, 5.0, 5.0, 5.0, 0.0))
        .collect();
    for format in [ImageFormat::Png, ImageFormat::Svg] {
        s.format = format;
        render(&flat, &s, Convention::TaLib).expect("flat");
    }
    let zero: Vec<Bar> = (0..5)
        .map(|i| Bar::new(START + i * DAY, 0.0, 0.0, 0.0, 0.0, 0.0))
        .collect();
    let texts = svg_texts(&svg(&zero, &s));
    assert!(texts.iter().any(|t| t == "0.00"));
}

#[test]
fn errors_have_precise_messages() {
    let b = bars(10);
    let mut s = spec();
    s.width = 100;
    let e = render(&b, &s, Convention::TaLib).expect_err("too narrow");
    assert_eq!(
        e.to_string(),
        "invalid chart spec: width must be between 320 and 3840 pixels, got 100"
    );
    match e {
        ChartError::InvalidSpec(e) => assert_eq!(e.field, "width"),
        other => panic!("{other:?}"),
    }
    let mut s = spec();
    s.studies.push(StudyRequest::new("ema").with("period", 0.0));
    let e = render(&b, &s, Convention::TaLib).expect_err("bad period");
    assert!(
        e.to_string()
            .starts_with("invalid chart spec: studies[4].params: ema: `period` = 0 is invalid"),
        "{e}"
    );
    assert_eq!(
        render(&[], &spec(), Convention::TaLib),
        Err(ChartError::NoBars)
    );
    let many = vec![Bar::default(); MAX_BARS + 1];
    assert_eq!(
        render(&many, &spec(), Convention::TaLib)
            .expect_err("too many")
            .to_string(),
        "too many bars: at most 20000, got 20001"
    );
}

#[test]
fn max_bars_render() {
    let b = bars(MAX_BARS);
    let mut s = ChartSpec::new("BIG", "1D");
    s.studies = vec![StudyRequest::new("sma"), StudyRequest::new("volume")];
    let img = png(&b, &s);
    assert_eq!((img.width(), img.height()), (1200, 675));
}

#[test]
fn json_spec_renders() {
    let json = r##"{
        "symbol": "MSFT", "interval": "1W", "theme": "dark", "format": "svg",
        "width": 800, "height": 500,
        "studies": [
            {"name": "sma", "params": {"period": 10}, "color": "#00ff00"},
            {"name": "macd"}, {"name": "stoch"}
        ],
        "drawings": [{"type": "horizontalLine", "price": 155, "label": "Pivot"}]
    }"##;
    let s: ChartSpec = serde_json::from_str(json).expect("parses");
    let out = render(&bars(150), &s, Convention::TradingView).expect("renders");
    let text = String::from_utf8(out.bytes).expect("UTF-8");
    assert!(text.contains("width=\"800\""));
    let texts = svg_texts(&text);
    for want in [
        "MSFT · 1W",
        "SMA 10",
        "MACD 12 26 9",
        "Stoch 14 3 3",
        "Pivot",
    ] {
        assert!(
            texts.iter().any(|t| t == want),
            "{want} missing from {texts:?}"
        );
    }
    assert!(text.contains("#00FF00") || text.contains("#00ff00"));
}

#[test]
fn renders_concurrently() {
    let handles: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                let mut s = spec();
                s.theme = if i % 2 == 0 {
                    Theme::Light
                } else {
                    Theme::Dark
                };
                render_png(&bars(100 + i * 10), &s, Convention::TaLib).map(|b| b.len())
            })
        })
        .collect();
    for h in handles {
        assert!(h.join().expect("thread").expect("renders") > 1000);
    }
}
