//! Option contracts written as one string, in every form the supported brokers use:
//!
//! - OCC/OSI: `AAPL  240119C00150000`, `SPY240315P00500000` (strike × 1000, 8 digits);
//! - dotted OPRA: `.AAPL240119C150`;
//! - Schwab: `SPY 03/15/2024 500.00 P`;
//! - Robinhood / Webull / Tastytrade descriptions: `SPY 3/15/2024 Put $500.00`,
//!   `SPY 09/03/2026 766.00 Call`;
//! - thinkorswim: `SPX 100 (Weeklys) 15 MAR 24 5000 CALL` (the number after the root is the
//!   multiplier);
//! - IBKR Activity Statement: `AAPL 28MAR25 222.5 C`.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::datetime::parse_date;
use crate::model::{OptionTerms, Right};

/// An option read from a symbol, with the multiplier when the symbol states it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParsedOption {
    pub terms: OptionTerms,
    pub multiplier: Option<Decimal>,
}

/// Reads an option contract from `s`, or `None` when `s` is not one (a plain ticker).
pub(crate) fn parse_option_symbol(s: &str) -> Option<ParsedOption> {
    let s = s.trim();
    compact(s).or_else(|| spaced(s))
}

/// Root, `yymmdd`, C/P, strike: OCC (8-digit strike × 1000, root optionally space-padded)
/// or the dotted form with a plain strike.
fn compact(s: &str) -> Option<ParsedOption> {
    let s = s.trim_start_matches(['.', '-']);
    let (root_part, tail) = match s.split_once(char::is_whitespace) {
        // "AAPL  240119C00150000": the root is padded to six characters with spaces.
        Some((root, tail)) => (Some(root), tail.trim()),
        None => (None, s),
    };
    if !tail.is_ascii() || tail.contains(char::is_whitespace) {
        return None;
    }
    // The right is the last C or P that is preceded by six digits (the date).
    let bytes = tail.as_bytes();
    let pos = (6..bytes.len()).rev().find(|&i| {
        matches!(bytes[i], b'C' | b'P' | b'c' | b'p')
            && bytes[i - 6..i].iter().all(u8::is_ascii_digit)
    })?;
    let root = match root_part {
        // A padded root leaves exactly "240119C00150000" after the blanks.
        Some(r) if pos == 6 => r,
        Some(_) => return None,
        None => tail.get(..pos - 6)?,
    };
    if !valid_root(root) {
        return None;
    }
    let date = tail.get(pos - 6..pos)?;
    let strike_text = tail.get(pos + 1..)?;
    if strike_text.is_empty() || !strike_text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let strike = if strike_text.len() == 8 && !strike_text.contains('.') {
        Decimal::new(strike_text.parse::<i64>().ok()?, 3)
    } else {
        Decimal::from_str(strike_text).ok()?
    };
    let n = |r: std::ops::Range<usize>| date.get(r).and_then(|x| x.parse::<u32>().ok());
    let expiry = NaiveDate::from_ymd_opt(2000 + i32::try_from(n(0..2)?).ok()?, n(2..4)?, n(4..6)?)?;
    let right = if bytes[pos].eq_ignore_ascii_case(&b'C') {
        Right::Call
    } else {
        Right::Put
    };
    terms(root, expiry, strike, right, None)
}

/// The spaced forms: a root, then a date, a right and a strike in any order, with an
/// optional multiplier right after the root. Anything else left over means it is not an
/// option (a company name, say), so the answer is `None` rather than a guess.
fn spaced(s: &str) -> Option<ParsedOption> {
    let cleaned = strip_brackets(s).replace('$', " ");
    let mut tokens: Vec<&str> = cleaned.split_whitespace().collect();
    if tokens.len() < 4 || !valid_root(tokens[0]) {
        return None;
    }
    let root = tokens.remove(0);
    let (expiry, at, len) = find_date(&tokens)?;
    tokens.drain(at..at + len);
    let right_at = tokens.iter().position(|t| right_word(t).is_some())?;
    let right = right_word(tokens[right_at])?;
    tokens.remove(right_at);
    let numbers: Vec<Decimal> = tokens
        .iter()
        .map(|t| Decimal::from_str(t).ok())
        .collect::<Option<Vec<_>>>()?;
    // Two numbers: the first is thinkorswim's multiplier, which must have come right after
    // the root, i.e. neither the date nor the right stood before it.
    let (strike, multiplier) = match numbers.as_slice() {
        [strike] => (*strike, None),
        [mult, strike] if at > 0 && right_at > 0 => (*strike, Some(*mult)),
        _ => return None,
    };
    if multiplier.is_some_and(|m| m <= Decimal::ZERO || !m.fract().is_zero()) {
        return None;
    }
    terms(root, expiry, strike, right, multiplier)
}

fn terms(
    root: &str,
    expiry: NaiveDate,
    strike: Decimal,
    right: Right,
    multiplier: Option<Decimal>,
) -> Option<ParsedOption> {
    (strike > Decimal::ZERO).then(|| ParsedOption {
        terms: OptionTerms {
            underlying: root.to_ascii_uppercase(),
            expiry,
            strike: strike.normalize(),
            right,
        },
        multiplier,
    })
}

/// A ticker: starts with a letter (or `/` for futures), then letters, digits, `.` or `/`.
fn valid_root(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 12
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '/')
}

/// Drops `(Weeklys)`, `[AM]` and similar notes.
fn strip_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// The expiry among `tokens`: three tokens (`15 MAR 24`) or one (`3/15/2024`, `28MAR25`).
/// Returns the date, its first token's index and the number of tokens it spans.
fn find_date(tokens: &[&str]) -> Option<(NaiveDate, usize, usize)> {
    for i in 0..tokens.len().saturating_sub(2) {
        let day_month = tokens[i].len() <= 2 && tokens[i + 1].len() == 3;
        if day_month && tokens[i + 1].bytes().all(|b| b.is_ascii_alphabetic()) {
            if let Some(d) = parse_date(&tokens[i..i + 3].join(" ")) {
                return Some((d, i, 3));
            }
        }
    }
    tokens.iter().enumerate().find_map(|(i, t)| {
        // A bare number ("500.00", "24") is never a date here, only written dates are.
        let dated = t.contains(['/', '-']) || t.bytes().any(|b| b.is_ascii_alphabetic());
        dated.then(|| parse_date(t)).flatten().map(|d| (d, i, 1))
    })
}

pub(crate) fn right_word(t: &str) -> Option<Right> {
    match t.to_ascii_uppercase().as_str() {
        "C" | "CALL" | "CALLS" => Some(Right::Call),
        "P" | "PUT" | "PUTS" => Some(Right::Put),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn check(s: &str, underlying: &str, expiry: (i32, u32, u32), strike: Decimal, right: Right) {
        let p = parse_option_symbol(s).unwrap_or_else(|| panic!("{s} not parsed"));
        assert_eq!(p.terms.underlying, underlying, "{s}");
        assert_eq!(
            p.terms.expiry,
            NaiveDate::from_ymd_opt(expiry.0, expiry.1, expiry.2).unwrap(),
            "{s}"
        );
        assert_eq!(p.terms.strike, strike, "{s}");
        assert_eq!(p.terms.right, right, "{s}");
    }

    #[test]
    fn occ_and_dotted() {
        check(
            "AAPL  240119C00150000",
            "AAPL",
            (2024, 1, 19),
            dec!(150),
            Right::Call,
        );
        check(
            "SPY240315P00500000",
            "SPY",
            (2024, 3, 15),
            dec!(500),
            Right::Put,
        );
        check(
            "SPXW  240315P05012500",
            "SPXW",
            (2024, 3, 15),
            dec!(5012.5),
            Right::Put,
        );
        check(
            ".AAPL240119C150",
            "AAPL",
            (2024, 1, 19),
            dec!(150),
            Right::Call,
        );
        check(
            ".BRKB240119P402.5",
            "BRKB",
            (2024, 1, 19),
            dec!(402.5),
            Right::Put,
        );
    }

    #[test]
    fn spaced_forms() {
        check(
            "SPY 03/15/2024 500.00 P",
            "SPY",
            (2024, 3, 15),
            dec!(500),
            Right::Put,
        );
        check(
            "SPY 3/15/2024 Put $500.00",
            "SPY",
            (2024, 3, 15),
            dec!(500),
            Right::Put,
        );
        check(
            "SPY 09/03/2026 766.00 Call",
            "SPY",
            (2026, 9, 3),
            dec!(766),
            Right::Call,
        );
        check(
            "AAPL 28MAR25 222.5 C",
            "AAPL",
            (2025, 3, 28),
            dec!(222.5),
            Right::Call,
        );
        check(
            "UAL 04/17/26 Call 110.00",
            "UAL",
            (2026, 4, 17),
            dec!(110),
            Right::Call,
        );
        let tos = parse_option_symbol("SPX 100 (Weeklys) 15 MAR 24 5000 CALL").unwrap();
        assert_eq!(tos.multiplier, Some(dec!(100)));
        check(
            "SPX 100 (Weeklys) 15 MAR 24 5000 CALL",
            "SPX",
            (2024, 3, 15),
            dec!(5000),
            Right::Call,
        );
        check(
            "SPX 15 MAR 24 [AM] 5000 PUT",
            "SPX",
            (2024, 3, 15),
            dec!(5000),
            Right::Put,
        );
    }

    #[test]
    fn not_options() {
        for s in [
            "AAPL",
            "Apple Inc",
            "SPDR S&P 500 ETF TRUST",
            "Cash Div: R/D 2026-02-15",
            "ESM4",
            "",
            "SPY 3/15/2024 Put",
            "SPY 240315X00500000",
            "AAPL 240119C0015000A",
            "SPY 3/15/2024 Put $0",
        ] {
            assert_eq!(parse_option_symbol(s), None, "{s}");
        }
    }
}
