//! Fuzz-style property tests: the CSV parser and vendor decoders never panic.

use market::{decode_alpha_vantage_daily, decode_polygon_aggs, parse_bars_csv, Interval};
use proptest::prelude::*;

const VALID: &str = "Symbol,Date,Open,High,Low,Close,Adj Close,Volume\n\
AAPL,2024-01-02,187.15,188.44,183.89,185.64,185.4,82488700\n\
AAPL,2024-01-03,184.22,185.88,183.43,184.25,184.0,58414500\n\
MSFT,01/02/2024,373.86,375.9,366.77,370.87,369.9,25258600\n\
MSFT,1704326400,369.01,373.26,368.51,370.6,369.6,23083500\n";

/// Pieces that exercise the parser's branches when spliced into a file.
const PIECES: &[&str] = &[
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    "\"",
    "\u{feff}",
    "",
    " ",
    "-1",
    "0",
    "NaN",
    "inf",
    "1e309",
    "2024-02-30",
    "2024-01-02T00:00:00Z",
    "99999999999999999999",
    "date",
    "close",
    "symbol",
    "é",
    "\u{0}",
    "1/2/2024",
    "12:00",
    "adj close",
    "$$$",
];

fn check_no_panic(bytes: &[u8]) {
    match parse_bars_csv(bytes, "X", 1000) {
        Ok(parsed) => {
            for s in &parsed.series {
                for w in s.bars.windows(2) {
                    assert!(w[0].t < w[1].t, "output must be strictly sorted");
                }
                for b in &s.bars {
                    assert!(b.l <= b.o.min(b.c) && b.o.max(b.c) <= b.h && b.l > 0.0);
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

#[test]
fn valid_sample_parses() {
    let parsed = parse_bars_csv(VALID.as_bytes(), "X", 1000).expect("valid");
    assert_eq!(parsed.series.len(), 2);
    assert_eq!(parsed.bar_count(), 4);
    assert_eq!(parsed.series[1].bars[1].t, 1_704_326_400_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check_no_panic(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        let _ = decode_polygon_aggs(&text, Interval::D1);
        let _ = decode_alpha_vantage_daily(&text);
    }

    #[test]
    fn random_strings_never_panic(s in "\\PC{0,300}") {
        check_no_panic(s.as_bytes());
        let with_header = format!("date,open,high,low,close,volume\n{s}");
        check_no_panic(with_header.as_bytes());
    }

    #[test]
    fn mutated_valid_files_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, prop::sample::select(PIECES)), 1..8)
    ) {
        let mut s = VALID.to_string();
        for (at, kind, piece) in edits {
            // Work on char boundaries.
            let cuts: Vec<usize> = s.char_indices().map(|(i, _)| i).chain(std::iter::once(s.len())).collect();
            let i = cuts[at.index(cuts.len())];
            match kind {
                0 => s.insert_str(i, piece),
                1 => {
                    let end = s[i..].chars().next().map_or(i, |c| i + c.len_utf8());
                    s.replace_range(i..end, piece);
                }
                _ => {
                    let end = s[i..].char_indices().nth(5).map_or(s.len(), |(j, _)| i + j);
                    s.replace_range(i..end, "");
                }
            }
        }
        check_no_panic(s.as_bytes());
    }

    #[test]
    fn mutated_vendor_json_never_panics(cut in 0usize..400, piece in prop::sample::select(PIECES)) {
        let body = r#"{"ticker":"AAPL","status":"OK","results":[{"v":1,"vw":1,"o":1,"c":1,"h":1,"l":1,"t":1673240400000,"n":1}]}"#;
        let i = cut.min(body.len());
        let mutated = format!("{}{}{}", &body[..i], piece, &body[i..]);
        let _ = decode_polygon_aggs(&mutated, Interval::W1);
        let _ = decode_alpha_vantage_daily(&mutated);
    }
}
