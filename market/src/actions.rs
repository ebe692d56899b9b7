//! Corporate actions (cash dividends and splits) and the price adjustment they imply.
//!
//! * A **split** of ratio `r` (new shares per old share: 2 for a 2-for-1, 0.1 for a
//!   1-for-10 reverse split) divides every earlier price by `r` and multiplies every
//!   earlier volume by `r`.
//! * A **cash dividend** `D` per share multiplies every earlier price by
//!   `1 − D / C`, `C` the last close before the ex-date (the CRSP / Yahoo convention);
//!   volumes are unchanged. A dividend with no earlier bar, or not below that close,
//!   adjusts nothing.
//!
//! Factors compound backwards from the newest action, so the latest bars keep their
//! traded prices. Amounts are exact decimals as published; they become `f64` only to
//! scale the (float) price series.
//!
//! [`parse_actions_csv`] reads a user's file all-or-nothing: header `date,type,value`
//! (any order, case-insensitive; `ex_date` and `kind` are accepted too), `type`
//! `dividend` or `split`, a split's value as `2:1`, `2/1`, `1:10` or a plain ratio.

use std::fmt;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::csv_bars::{parse_time, RowError, MAX_ROW_ERRORS};
use crate::Bar;

/// One corporate action of a symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorporateAction {
    /// Ex-date, unix milliseconds at 00:00 UTC.
    pub t: i64,
    pub kind: ActionKind,
    /// Dividend: cash per share. Split: new shares per old share.
    pub value: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    Dividend,
    Split,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Dividend => "dividend",
            ActionKind::Split => "split",
        }
    }

    pub fn parse(raw: &str) -> Option<ActionKind> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "dividend" | "div" | "cash dividend" => Some(ActionKind::Dividend),
            "split" | "stock split" => Some(ActionKind::Split),
            _ => None,
        }
    }
}

impl fmt::Display for ActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which actions to apply to a price series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Adjust {
    /// Prices as traded.
    #[default]
    None,
    /// Splits only: comparable prices and volumes across splits.
    Splits,
    /// Splits and cash dividends: a total-return price series.
    All,
}

impl Adjust {
    pub fn parse(raw: &str) -> Option<Adjust> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "none" | "raw" => Some(Adjust::None),
            "splits" | "split" => Some(Adjust::Splits),
            "all" | "total" => Some(Adjust::All),
            _ => None,
        }
    }
}

/// `bars` (sorted by time) adjusted for `actions` (any order) per `mode`.
pub fn adjust(bars: &[Bar], actions: &[CorporateAction], mode: Adjust) -> Vec<Bar> {
    if mode == Adjust::None || actions.is_empty() || bars.is_empty() {
        return bars.to_vec();
    }
    // (index of the first bar on or after the ex-date, price factor, volume factor)
    let mut steps: Vec<(usize, f64, f64)> = Vec::new();
    for a in actions {
        let at = bars.partition_point(|b| b.t < a.t);
        if at == 0 {
            continue; // nothing before it to adjust
        }
        let value = a.value.to_f64().unwrap_or(f64::NAN);
        match a.kind {
            ActionKind::Split if value.is_finite() && value > 0.0 => {
                steps.push((at, 1.0 / value, value));
            }
            ActionKind::Dividend if mode == Adjust::All => {
                let f = 1.0 - value / bars[at - 1].c;
                if f.is_finite() && f > 0.0 && f < 1.0 {
                    steps.push((at, f, 1.0));
                }
            }
            _ => {}
        }
    }
    steps.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = bars.to_vec();
    let (mut pf, mut vf) = (1.0, 1.0);
    let mut next = steps.iter().peekable();
    for i in (0..out.len()).rev() {
        while let Some(&&(at, p, v)) = next.peek() {
            if at <= i {
                break;
            }
            pf *= p;
            vf *= v;
            next.next();
        }
        if pf != 1.0 || vf != 1.0 {
            let b = &mut out[i];
            b.o *= pf;
            b.h *= pf;
            b.l *= pf;
            b.c *= pf;
            b.v *= vf;
        }
    }
    out
}

/// Why an actions file was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ActionsCsvError {
    #[error("the file is empty")]
    Empty,
    #[error("the header has no `{0}` column (expected date,type,value)")]
    MissingColumn(&'static str),
    #[error("{}", rows_message(.errors, *.total))]
    Rows { errors: Vec<RowError>, total: usize },
}

fn rows_message(errors: &[RowError], total: usize) -> String {
    let mut s = format!("{total} row(s) have errors; nothing was imported:");
    for e in errors {
        s.push('\n');
        s.push_str(&e.to_string());
    }
    if total > errors.len() {
        s.push_str(&format!("\n… and {} more", total - errors.len()));
    }
    s
}

/// Parses a corporate-actions CSV (see the module docs), sorted by ex-date. Any bad
/// row rejects the file, with up to [`MAX_ROW_ERRORS`] line-numbered reasons; the same
/// kind twice on one date is an error.
pub fn parse_actions_csv(text: &str) -> Result<Vec<CorporateAction>, ActionsCsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or(ActionsCsvError::Empty)?;
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| ActionsCsvError::Empty)?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let col = |names: &[&str], what: &'static str| {
        header
            .iter()
            .position(|h| names.contains(&h.as_str()))
            .ok_or(ActionsCsvError::MissingColumn(what))
    };
    let date = col(&["date", "ex_date", "ex-date", "exdate"], "date")?;
    let kind = col(&["type", "kind", "action"], "type")?;
    let value = col(&["value", "amount", "ratio"], "value")?;

    let mut out: Vec<CorporateAction> = Vec::new();
    let (mut errors, mut total) = (Vec::new(), 0usize);
    for (i, rec) in reader.records().enumerate() {
        let line = rec
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i as u64 + 2, |p| p.line());
        let row = rec
            .map_err(|e| format!("unreadable row ({e})"))
            .and_then(|r| {
                if r.iter().all(str::is_empty) {
                    return Ok(None);
                }
                let cell = |k: usize| r.get(k).unwrap_or("");
                parse_row(cell(date), cell(kind), cell(value)).map(Some)
            });
        match row {
            Ok(Some(a)) => {
                if out.iter().any(|b| b.t == a.t && b.kind == a.kind) {
                    total += 1;
                    if errors.len() < MAX_ROW_ERRORS {
                        errors.push(RowError {
                            line,
                            message: format!("a second {} on the same date", a.kind),
                        });
                    }
                } else {
                    out.push(a);
                }
            }
            Ok(None) => {}
            Err(message) => {
                total += 1;
                if errors.len() < MAX_ROW_ERRORS {
                    errors.push(RowError { line, message });
                }
            }
        }
    }
    if total > 0 {
        return Err(ActionsCsvError::Rows { errors, total });
    }
    out.sort_by_key(|a| (a.t, a.kind.as_str()));
    Ok(out)
}

fn parse_row(date: &str, kind: &str, value: &str) -> Result<CorporateAction, String> {
    let t = parse_time(date)?;
    if t.rem_euclid(86_400_000) != 0 {
        return Err(format!(
            "ex-date {date:?} must be a date, not a time of day"
        ));
    }
    let kind =
        ActionKind::parse(kind).ok_or_else(|| format!("type {kind:?} is not dividend or split"))?;
    let value = match kind {
        ActionKind::Dividend => {
            let d = parse_decimal(value)?;
            if d <= Decimal::ZERO {
                return Err(format!("dividend {value:?} must be greater than 0"));
            }
            d
        }
        ActionKind::Split => split_ratio(value)?,
    };
    Ok(CorporateAction { t, kind, value })
}

fn parse_decimal(raw: &str) -> Result<Decimal, String> {
    let s = raw.trim().trim_start_matches('$');
    s.parse::<Decimal>()
        .map_err(|_| format!("{raw:?} is not a number"))
}

/// `2:1`, `2/1`, `3-for-2` or `2` → new shares per old share.
fn split_ratio(raw: &str) -> Result<Decimal, String> {
    let s = raw.trim().to_ascii_lowercase();
    let parts: Vec<&str> = s.split([':', '/']).flat_map(|p| p.split("-for-")).collect();
    let ratio = match parts.as_slice() {
        [one] => parse_decimal(one)?,
        [new, old] => {
            let (n, o) = (parse_decimal(new)?, parse_decimal(old)?);
            if o.is_zero() {
                return Err(format!("split {raw:?} divides by zero"));
            }
            n / o
        }
        _ => return Err(format!("split {raw:?} is not a ratio like 2:1")),
    };
    if ratio <= Decimal::ZERO || ratio == Decimal::ONE {
        return Err(format!(
            "split {raw:?} must be a positive ratio other than 1:1"
        ));
    }
    Ok(ratio.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    const DAY: i64 = 86_400_000;

    fn bar(day: i64, c: f64, v: f64) -> Bar {
        Bar::new(day * DAY, c, c, c, c, v)
    }

    #[test]
    fn a_split_scales_earlier_prices_and_volumes() {
        let bars = [bar(1, 100.0, 10.0), bar(2, 102.0, 12.0), bar(3, 51.0, 30.0)];
        let split = CorporateAction {
            t: 3 * DAY,
            kind: ActionKind::Split,
            value: dec!(2),
        };
        let a = adjust(&bars, &[split], Adjust::Splits);
        assert_eq!(
            a.iter().map(|b| (b.c, b.v)).collect::<Vec<_>>(),
            [(50.0, 20.0), (51.0, 24.0), (51.0, 30.0)]
        );
        assert_eq!(adjust(&bars, &[split], Adjust::None), bars.to_vec());
    }

    #[test]
    fn dividends_and_splits_compound_backwards() {
        let bars = [
            bar(1, 40.0, 1.0),
            bar(2, 50.0, 1.0),
            bar(3, 25.0, 1.0),
            bar(4, 24.0, 1.0),
        ];
        let acts = [
            // 1 paid on day 4 against day 3's close 25: factor 0.96.
            CorporateAction {
                t: 4 * DAY,
                kind: ActionKind::Dividend,
                value: dec!(1),
            },
            CorporateAction {
                t: 3 * DAY,
                kind: ActionKind::Split,
                value: dec!(2),
            },
        ];
        let all = adjust(&bars, &acts, Adjust::All);
        let c: Vec<f64> = all.iter().map(|b| b.c).collect();
        assert_eq!(c, [40.0 * 0.96 / 2.0, 50.0 * 0.96 / 2.0, 25.0 * 0.96, 24.0]);
        // Splits only leave the dividend out.
        let s: Vec<f64> = adjust(&bars, &acts, Adjust::Splits)
            .iter()
            .map(|b| b.c)
            .collect();
        assert_eq!(s, [20.0, 25.0, 25.0, 24.0]);
        // A dividend before the first bar, or not below the close, adjusts nothing.
        let odd = [
            CorporateAction {
                t: 0,
                kind: ActionKind::Dividend,
                value: dec!(1),
            },
            CorporateAction {
                t: 2 * DAY,
                kind: ActionKind::Dividend,
                value: dec!(40),
            },
        ];
        assert_eq!(adjust(&bars, &odd, Adjust::All), bars.to_vec());
    }

    #[test]
    fn the_csv_is_read_all_or_nothing() {
        let ok = "\u{feff}Date;Type;Value\n2000-06-21;split;2:1\n2012-08-09;Dividend;$2.65\n\n1999-05-27;split;3-for-2\n";
        let a = parse_actions_csv(ok).unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].value, dec!(1.5));
        assert_eq!(a[1].kind, ActionKind::Split);
        assert_eq!(a[1].value, dec!(2));
        assert_eq!(a[2].value, dec!(2.65));
        let bad = "date,type,value\n2000-06-21,split,1:1\n2000-06-22,bonus,3\n2000-06-23,dividend,-1\n2000-06-24 10:00,dividend,1\n2000-06-25,split,1:10\n2000-06-25,split,2\n";
        let e = parse_actions_csv(bad).unwrap_err().to_string();
        assert!(
            e.starts_with("5 row(s) have errors; nothing was imported:"),
            "{e}"
        );
        assert!(
            e.contains("line 2: split \"1:1\" must be a positive ratio other than 1:1"),
            "{e}"
        );
        assert!(
            e.contains("line 3: type \"bonus\" is not dividend or split"),
            "{e}"
        );
        assert!(
            e.contains("line 4: dividend \"-1\" must be greater than 0"),
            "{e}"
        );
        assert!(
            e.contains("line 5: ex-date \"2000-06-24 10:00\" must be a date"),
            "{e}"
        );
        assert!(e.contains("line 7: a second split on the same date"), "{e}");
        assert_eq!(
            parse_actions_csv("when,what\n").unwrap_err(),
            ActionsCsvError::MissingColumn("date")
        );
        assert_eq!(
            parse_actions_csv(" \n").unwrap_err(),
            ActionsCsvError::Empty
        );
        // A reverse split is a ratio below 1.
        let r = parse_actions_csv("date,type,value\n2020-01-02,split,1:10\n").unwrap();
        assert_eq!(r[0].value, dec!(0.1));
    }
}
