//! The studies of the interactive chart: what can be added, how each is labelled and
//! where it is drawn, and their lines computed in the browser with the `indicators`
//! crate (the same code the server's charts and API use).

use indicators::{Bar, Convention, StudySpec, CATALOGUE};

/// Where a study is drawn: over the candles, or in a pane of its own below them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Overlay,
    Lower,
}

/// A study on the chart, as the user added it.
#[derive(Clone, Debug, PartialEq)]
pub struct Active {
    /// Stable key for the list (two SMAs of different periods are two studies).
    pub id: u32,
    pub spec: StudySpec,
}

/// One drawn line (or histogram) of a study, aligned with the bars.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub output: String,
    pub values: Vec<Option<f64>>,
    pub color: &'static str,
    /// Drawn as bars from zero (volume, MACD histogram) rather than a line.
    pub histogram: bool,
}

/// A study's lines, computed over the loaded bars.
#[derive(Clone, Debug, PartialEq)]
pub struct Computed {
    pub id: u32,
    pub name: String,
    pub label: String,
    pub pane: Pane,
    pub lines: Vec<Line>,
    /// Fixed value range for bounded oscillators (RSI, Stochastic): (lo, hi, guides).
    pub bounds: Option<(f64, f64, &'static [f64])>,
}

/// Volume is not an indicator of the crate but is a study on a chart.
pub const VOLUME: &str = "volume";

/// The studies offered in the "Add study" list: name and what the user reads.
pub fn offered() -> Vec<(&'static str, &'static str)> {
    let mut out = vec![(VOLUME, "Volume")];
    out.extend(CATALOGUE.iter().map(|s| (s.name, long_name(s.name))));
    out
}

/// The parameters a study takes, with their defaults.
pub fn params_of(name: &str) -> &'static [(&'static str, f64)] {
    CATALOGUE
        .iter()
        .find(|s| s.name == name)
        // VWAP's session parameters are milliseconds, not something to type on a chart.
        .map(|s| if s.name == "vwap" { &[][..] } else { s.params })
        .unwrap_or(&[])
}

fn long_name(name: &str) -> &'static str {
    match name {
        "sma" => "Simple moving average",
        "ema" => "Exponential moving average",
        "wma" => "Weighted moving average",
        "rsi" => "RSI (Wilder)",
        "atr" => "Average true range",
        "vwap" => "VWAP",
        "obv" => "On-balance volume",
        "macd" => "MACD",
        "bbands" => "Bollinger Bands",
        "stoch" => "Stochastic",
        "adx" => "ADX, +DI, −DI",
        _ => "Study",
    }
}

pub fn pane_of(name: &str) -> Pane {
    match name {
        "sma" | "ema" | "wma" | "bbands" | "vwap" => Pane::Overlay,
        _ => Pane::Lower,
    }
}

/// The short label of a study with its parameters, as charting platforms write it:
/// "SMA 50", "BB 20, 2", "MACD 12, 26, 9", "Volume".
pub fn label(spec: &StudySpec) -> String {
    let short = match spec.name.as_str() {
        VOLUME => return "Volume".into(),
        "bbands" => "BB".to_string(),
        "stoch" => "Stoch".to_string(),
        other => other.to_uppercase(),
    };
    let values: Vec<String> = params_of(&spec.name)
        .iter()
        .map(|(p, default)| {
            let v = spec.params.get(*p).copied().unwrap_or(*default);
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v}")
            }
        })
        .collect();
    if values.is_empty() {
        short
    } else {
        format!("{short} {}", values.join(", "))
    }
}

/// Builds a study from the add form's fields, checking the parameters the way the
/// server does (the crate's own validation, so messages match the API's).
pub fn spec_from_form(name: &str, fields: &[(String, String)]) -> Result<StudySpec, String> {
    let mut spec = StudySpec::new(name);
    for (param, raw) in fields {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let v: f64 = raw
            .parse()
            .map_err(|_| format!("{param} must be a number; got '{raw}'"))?;
        spec.params.insert(param.clone(), v);
    }
    if name != VOLUME {
        indicators::Study::from_spec(&spec).map_err(|e| e.to_string())?;
    }
    Ok(spec)
}

/// Lines of a lower pane: its main line, then its signal lines.
const PANE_PALETTE: &[&str] = &["#7c3aed", "#f59e0b", "#0d9488"];
const PALETTE: &[&str] = &[
    "#2563eb", "#f59e0b", "#9333ea", "#0d9488", "#db2777", "#65a30d", "#ea580c", "#0891b2",
];

/// Computes every study over `bars`. Overlay studies take colours from the palette in the
/// order added; each lower pane uses the pane palette.
pub fn compute_all(bars: &[Bar], studies: &[Active]) -> Vec<Computed> {
    let mut overlays = 0usize;
    studies
        .iter()
        .filter_map(|s| {
            let pane = pane_of(&s.spec.name);
            // An overlay's lines (Bollinger's three) share the study's colour.
            let study_colour = (pane == Pane::Overlay).then(|| {
                overlays += 1;
                PALETTE[(overlays - 1) % PALETTE.len()]
            });
            let lines = if s.spec.name == VOLUME {
                vec![Line {
                    output: VOLUME.into(),
                    values: bars.iter().map(|b| Some(b.v)).collect(),
                    color: "",
                    histogram: true,
                }]
            } else {
                indicators::compute(bars, &s.spec, Convention::TaLib)
                    .ok()?
                    .into_iter()
                    .enumerate()
                    .map(|(k, ser)| Line {
                        histogram: ser.output == "hist",
                        color: study_colour.unwrap_or(PANE_PALETTE[k % PANE_PALETTE.len()]),
                        output: ser.output,
                        values: ser.values,
                    })
                    .collect()
            };
            let bounds: Option<(f64, f64, &'static [f64])> = match s.spec.name.as_str() {
                "rsi" => Some((0.0, 100.0, &[30.0, 70.0])),
                "stoch" => Some((0.0, 100.0, &[20.0, 80.0])),
                _ => None,
            };
            Some(Computed {
                id: s.id,
                name: s.spec.name.clone(),
                label: label(&s.spec),
                pane,
                lines,
                bounds,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(n: usize) -> Vec<Bar> {
        (0..n)
            .map(|i| {
                let c = 100.0 + (i as f64 * 0.3).sin() * 5.0 + i as f64 * 0.1;
                Bar::new(
                    i as i64 * 86_400_000,
                    c - 0.5,
                    c + 1.0,
                    c - 1.0,
                    c,
                    1000.0 + i as f64,
                )
            })
            .collect()
    }

    #[test]
    fn labels_carry_the_parameters() {
        assert_eq!(label(&StudySpec::new("sma").with("period", 50.0)), "SMA 50");
        assert_eq!(label(&StudySpec::new("bbands")), "BB 20, 2");
        assert_eq!(
            label(&StudySpec::new("bbands").with("stddev", 2.5)),
            "BB 20, 2.5"
        );
        assert_eq!(label(&StudySpec::new("macd")), "MACD 12, 26, 9");
        assert_eq!(label(&StudySpec::new("vwap")), "VWAP");
        assert_eq!(label(&StudySpec::new(VOLUME)), "Volume");
    }

    #[test]
    fn the_form_is_validated_like_the_api() {
        let f = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert_eq!(
            spec_from_form("sma", &f("period", "50")).unwrap(),
            StudySpec::new("sma").with("period", 50.0)
        );
        assert_eq!(
            spec_from_form("sma", &f("period", " ")).unwrap(),
            StudySpec::new("sma")
        );
        assert_eq!(
            spec_from_form("sma", &f("period", "abc")).unwrap_err(),
            "period must be a number; got 'abc'"
        );
        let err = spec_from_form("rsi", &f("period", "0")).unwrap_err();
        assert!(err.contains("period"), "{err}");
        assert!(spec_from_form("nope", &[]).is_err());
        assert!(spec_from_form(VOLUME, &[]).is_ok());
    }

    #[test]
    fn studies_compute_their_lines_on_the_right_panes() {
        let b = bars(60);
        let studies = [
            Active {
                id: 1,
                spec: StudySpec::new("sma").with("period", 10.0),
            },
            Active {
                id: 2,
                spec: StudySpec::new("bbands"),
            },
            Active {
                id: 3,
                spec: StudySpec::new("macd"),
            },
            Active {
                id: 4,
                spec: StudySpec::new(VOLUME),
            },
            Active {
                id: 5,
                spec: StudySpec::new("rsi"),
            },
        ];
        let c = compute_all(&b, &studies);
        assert_eq!(c.len(), 5);
        assert_eq!(c[0].pane, Pane::Overlay);
        assert_eq!(c[0].lines[0].values[8], None);
        let sma10: f64 = b[..10].iter().map(|x| x.c).sum::<f64>() / 10.0;
        assert!((c[0].lines[0].values[9].unwrap() - sma10).abs() < 1e-9);
        // Overlays take successive colours; Bollinger's lines share one.
        assert_ne!(c[0].lines[0].color, c[1].lines[0].color);
        assert!(c[1].lines.iter().all(|l| l.color == c[1].lines[0].color));
        assert_eq!(c[2].pane, Pane::Lower);
        assert_eq!(
            c[2].lines
                .iter()
                .map(|l| (l.output.as_str(), l.histogram))
                .collect::<Vec<_>>(),
            vec![("macd", false), ("signal", false), ("hist", true)]
        );
        assert_eq!(c[3].lines[0].values[59], Some(1059.0));
        assert_eq!(c[4].bounds.map(|b| (b.0, b.1)), Some((0.0, 100.0)));
    }

    #[test]
    fn every_offered_study_computes() {
        let b = bars(80);
        for (i, (name, _)) in offered().into_iter().enumerate() {
            let c = compute_all(
                &b,
                &[Active {
                    id: i as u32,
                    spec: StudySpec::new(name),
                }],
            );
            assert_eq!(c.len(), 1, "{name}");
            assert!(c[0].lines.iter().all(|l| l.values.len() == 80), "{name}");
            assert!(c[0].lines[0].values.iter().any(Option::is_some), "{name}");
        }
    }
}
