//! The built-in real data set: daily OHLCV of AAPL, IBM, MSFT (2000-03-01 to
//! 2013-03-01), GOOG (from 2004-08-19) and FB (from 2012-05-18), unadjusted, from the
//! public domain Quandl WIKI prices as shipped by the `bokeh-sampledata` package.
//! Provenance, licence and conversion: `market/data/ATTRIBUTION.md`.
//!
//! The prices are not adjusted for splits: AAPL halves on 2000-06-21 and 2005-02-28,
//! MSFT on 2003-02-18. (AAPL's −52 % on 2000-09-29 is a real crash, not a split.)

use std::io::Read;

use crate::actions::{ActionKind, CorporateAction};
use crate::csv_bars::parse_bars_csv;
use crate::{Interval, MarketError, SymbolBars};

/// The stock splits inside the sample's dates (symbol, ex-date as unix ms, ratio):
/// AAPL 2:1 on 2000-06-21 and 2005-02-28, MSFT 2:1 on 2003-02-18. Each shows in the
/// unadjusted prices as a halving overnight (checked by the tests). Dividends are not
/// shipped: import them, or fetch them from a vendor.
pub const SAMPLE_SPLITS: [(&str, i64, u32); 3] = [
    ("AAPL", 961_545_600_000, 2),
    ("AAPL", 1_109_548_800_000, 2),
    ("MSFT", 1_045_526_400_000, 2),
];

/// [`SAMPLE_SPLITS`] as corporate actions.
pub fn sample_actions() -> Vec<(&'static str, CorporateAction)> {
    SAMPLE_SPLITS
        .iter()
        .map(|&(symbol, t, ratio)| {
            (
                symbol,
                CorporateAction {
                    t,
                    kind: ActionKind::Split,
                    value: ratio.into(),
                },
            )
        })
        .collect()
}

/// The gzip-compressed CSV (`symbol,date,open,high,low,close,volume`).
pub const SAMPLE_DAILY_GZ: &[u8] = include_bytes!("../data/sample_daily.csv.gz");

/// One line to show next to charts of the sample data.
pub const SAMPLE_ATTRIBUTION: &str = "Sample data: daily prices 2000–2013 from Quandl WIKI Prices (public domain), via the bokeh-sampledata package; not adjusted for splits.";

/// Rows in the sample file; the parse refuses anything larger.
const MAX_SAMPLE_ROWS: usize = 20_000;

/// Decodes the built-in sample: one [`SymbolBars`] per symbol (AAPL, FB, GOOG, IBM,
/// MSFT in that order), interval `1D`, `t` = 00:00 UTC of the trading date.
pub fn sample_daily() -> Result<Vec<SymbolBars>, MarketError> {
    let mut text = Vec::with_capacity(SAMPLE_DAILY_GZ.len() * 4);
    flate2::read::GzDecoder::new(SAMPLE_DAILY_GZ)
        .read_to_end(&mut text)
        .map_err(|e| MarketError::Sample(format!("gzip: {e}")))?;
    let parsed = parse_bars_csv(&text, "SAMPLE", MAX_SAMPLE_ROWS)
        .map_err(|e| MarketError::Sample(e.to_string()))?;
    Ok(parsed
        .series
        .into_iter()
        .map(|s| SymbolBars {
            symbol: s.symbol,
            interval: Interval::D1,
            bars: s.bars,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_bars::check_bar;
    use crate::resample::aggregate;
    use crate::Bar;

    #[test]
    fn five_symbols_with_reference_values() {
        let sample = sample_daily().expect("sample decodes");
        let summary: Vec<(&str, usize)> = sample
            .iter()
            .map(|s| (s.symbol.as_str(), s.bars.len()))
            .collect();
        assert_eq!(
            summary,
            [
                ("AAPL", 3270),
                ("FB", 196),
                ("GOOG", 2148),
                ("IBM", 3270),
                ("MSFT", 3270)
            ]
        );
        let first_last = |sym: &str| -> (Bar, Bar) {
            let s = sample.iter().find(|s| s.symbol == sym).expect("symbol");
            assert_eq!(s.interval, Interval::D1);
            (s.bars[0], s.bars[s.bars.len() - 1])
        };
        const MAR1_2000: i64 = 951_868_800_000;
        const MAR1_2013: i64 = 1_362_096_000_000;
        // Values copied from the raw stocks.csv.gz of bokeh-sampledata 2026.1.
        assert_eq!(
            first_last("AAPL"),
            (
                Bar::new(MAR1_2000, 118.56, 132.06, 118.5, 130.31, 9_616_100.0),
                Bar::new(MAR1_2013, 438.0, 438.1799, 429.98, 430.47, 19_730_300.0)
            )
        );
        assert_eq!(
            first_last("FB"),
            (
                Bar::new(1_337_299_200_000, 42.05, 45.0, 38.0, 38.2318, 573_576_400.0),
                Bar::new(MAR1_2013, 27.05, 28.1164, 26.81, 27.78, 54_064_800.0)
            )
        );
        assert_eq!(
            first_last("GOOG"),
            (
                Bar::new(
                    1_092_873_600_000,
                    100.01,
                    104.06,
                    95.96,
                    100.335,
                    44_659_000.0
                ),
                Bar::new(MAR1_2013, 797.8, 807.14, 796.15, 806.19, 4_346_400.0)
            )
        );
        assert_eq!(
            first_last("IBM"),
            (
                Bar::new(MAR1_2000, 102.0, 105.5, 100.06, 100.25, 10_807_800.0),
                Bar::new(MAR1_2013, 200.65, 202.94, 199.36, 202.91, 3_308_300.0)
            )
        );
        assert_eq!(
            first_last("MSFT"),
            (
                Bar::new(MAR1_2000, 89.62, 94.09, 88.94, 90.81, 53_444_900.0),
                Bar::new(MAR1_2013, 27.72, 27.98, 27.52, 27.95, 34_849_700.0)
            )
        );
    }

    #[test]
    fn every_bar_is_valid_midnight_utc_and_weekly_aggregates() {
        for s in sample_daily().expect("sample decodes") {
            for w in s.bars.windows(2) {
                assert!(w[0].t < w[1].t);
            }
            for b in &s.bars {
                assert_eq!(b.t % 86_400_000, 0);
                assert_eq!(
                    check_bar(b.o, b.h, b.l, b.c, b.v),
                    Ok(()),
                    "{} {b:?}",
                    s.symbol
                );
            }
            let weeks = aggregate(&s.bars, Interval::D1, Interval::W1).expect("weekly");
            assert!(weeks.len() * 5 >= s.bars.len(), "{}", s.symbol);
        }
    }

    #[test]
    fn aapl_split_is_visible_unadjusted() {
        let sample = sample_daily().expect("sample decodes");
        let aapl = &sample[0];
        // 2000-06-20 close 101.25, 2000-06-21 open 50.5 (2:1 split).
        let i = aapl
            .bars
            .iter()
            .position(|b| b.t == 961_545_600_000)
            .expect("2000-06-21");
        assert_eq!(aapl.bars[i - 1].c, 101.25);
        assert_eq!(aapl.bars[i].o, 50.5);
    }

    #[test]
    fn every_shipped_split_shows_as_an_overnight_halving() {
        let sample = sample_daily().expect("sample decodes");
        for (symbol, a) in sample_actions() {
            let s = sample.iter().find(|s| s.symbol == symbol).expect("symbol");
            let i = s
                .bars
                .iter()
                .position(|b| b.t == a.t)
                .expect("ex-date is a trading day");
            let gap = s.bars[i - 1].c / s.bars[i].o;
            assert!((1.8..2.2).contains(&gap), "{symbol} {}: {gap}", a.t);
            // Adjusted for splits, the series has no such gap.
            let adj = crate::adjust(&s.bars, &[a], crate::Adjust::Splits);
            let gap = adj[i - 1].c / adj[i].o;
            assert!((0.9..1.1).contains(&gap), "{symbol} adjusted: {gap}");
        }
    }

    #[test]
    fn file_is_small() {
        assert!(SAMPLE_DAILY_GZ.len() < 600_000);
        assert!(SAMPLE_ATTRIBUTION.contains("public domain"));
    }
}
