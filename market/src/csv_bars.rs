//! All-or-nothing parser for bar CSV files uploaded by users.
//!
//! * A header row is required. Column names are matched case-insensitively, ignoring
//!   surrounding spaces: time = `date` / `time` / `timestamp` / `datetime` / `t`
//!   (separate `date` and `time` columns are joined), `open`/`o`, `high`/`h`,
//!   `low`/`l`, `close`/`c`, `volume`/`vol`/`v`, optional `symbol`. `Adj Close` is
//!   never used as the close; other columns are ignored.
//! * Delimiter `,`, `;` or tab, chosen by counting them in the header line. A UTF-8
//!   BOM and blank lines are ignored.
//! * Times (all UTC): RFC 3339, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (or with `T`),
//!   `MM/DD/YYYY`, `YYYYMMDD` (exactly 8 digits), unix seconds or unix milliseconds
//!   (other integers: 10^11 and above are milliseconds).
//! * Each row: open, high, low, close finite and > 0, high >= max(open, close),
//!   low <= min(open, close), volume >= 0 (missing or empty volume = 0).
//! * A duplicate time within one symbol is an error. Output is grouped per symbol
//!   (sorted by symbol) and sorted by time within each.
//!
//! Any error rejects the whole file; [`CsvBarsError::Rows`] lists up to
//! [`MAX_ROW_ERRORS`] row errors with 1-based line numbers.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

use crate::{Bar, Interval};

/// At most this many row errors are kept in [`CsvBarsError::Rows`].
pub const MAX_ROW_ERRORS: usize = 50;

/// One series of a parsed file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSeries {
    /// Validated, uppercased symbol.
    pub symbol: String,
    /// Bars sorted strictly ascending by time.
    pub bars: Vec<Bar>,
    /// The interval whose nominal length equals the smallest gap between bars, if any
    /// (a guess for the caller to confirm; daily files with weekends give `1D`).
    pub inferred_interval: Option<Interval>,
}

/// The result of [`parse_bars_csv`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedBars {
    /// One entry per symbol, sorted by symbol.
    pub series: Vec<ParsedSeries>,
}

impl ParsedBars {
    /// Total number of bars over all series.
    pub fn bar_count(&self) -> usize {
        self.series.iter().map(|s| s.bars.len()).sum()
    }
}

/// One rejected row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line number in the file.
    pub line: u64,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Why a file was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CsvBarsError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not UTF-8 text (invalid byte at offset {0})")]
    NotUtf8(usize),
    #[error("the header row has no {missing} column (found columns: {found})")]
    MissingColumns { missing: String, found: String },
    #[error("the header row has more than one {what} column: {columns}")]
    AmbiguousColumns { what: &'static str, columns: String },
    #[error("the file has more than {max} data rows")]
    TooManyRows { max: usize },
    #[error("the file has no data rows")]
    NoRows,
    #[error("the default symbol is invalid: {0}")]
    DefaultSymbol(String),
    #[error("the CSV structure is broken: {0}")]
    Structure(String),
    #[error("{}", rows_message(errors, *total))]
    Rows { errors: Vec<RowError>, total: usize },
}

fn rows_message(errors: &[RowError], total: usize) -> String {
    let mut s = if total == 1 {
        "1 row is invalid:".to_string()
    } else {
        format!("{total} rows are invalid:")
    };
    for e in errors {
        s.push('\n');
        s.push_str(&e.to_string());
    }
    if total > errors.len() {
        s.push_str(&format!("\n… and {} more", total - errors.len()));
    }
    s
}

/// Validates a symbol: 1-20 characters of `A-Z 0-9 . - ^ = /` after uppercasing;
/// surrounding spaces are trimmed. Returns the uppercased symbol or a message.
pub fn validate_symbol(raw: &str) -> Result<String, String> {
    let s = raw.trim().to_ascii_uppercase();
    let ok_chars = s
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || ".-^=/".contains(c));
    if s.is_empty() || s.chars().count() > 20 || !ok_chars {
        return Err(format!(
            "symbol {raw:?} is invalid (expected 1-20 characters of A-Z 0-9 . - ^ = /)"
        ));
    }
    Ok(s)
}

/// Checks one bar's prices and volume; the message names the first violated rule,
/// e.g. `"high 10.5 is below close 11.2"`.
pub fn check_bar(o: f64, h: f64, l: f64, c: f64, v: f64) -> Result<(), String> {
    for (name, x) in [("open", o), ("high", h), ("low", l), ("close", c)] {
        if !x.is_finite() {
            return Err(format!("{name} {x} is not a finite number"));
        }
        if x <= 0.0 {
            return Err(format!("{name} {x} must be greater than 0"));
        }
    }
    if h < o {
        return Err(format!("high {h} is below open {o}"));
    }
    if h < c {
        return Err(format!("high {h} is below close {c}"));
    }
    if l > o {
        return Err(format!("low {l} is above open {o}"));
    }
    if l > c {
        return Err(format!("low {l} is above close {c}"));
    }
    if !v.is_finite() {
        return Err(format!("volume {v} is not a finite number"));
    }
    if v < 0.0 {
        return Err(format!("volume {v} is negative"));
    }
    Ok(())
}

const TIME_FORMATS_HELP: &str = "expected RFC 3339, YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], MM/DD/YYYY, YYYYMMDD or unix seconds/milliseconds";

/// Parses one time cell to unix milliseconds (UTC). See the module docs for formats.
pub fn parse_time(raw: &str) -> Result<i64, String> {
    let s = raw.trim();
    let bad = || format!("time {raw:?} is not a recognised date/time ({TIME_FORMATS_HELP})");
    if s.is_empty() {
        return Err("time is empty".to_string());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        if s.len() == 8 {
            if let Ok(d) = NaiveDate::parse_from_str(s, "%Y%m%d") {
                return Ok(midnight_ms(d));
            }
        }
        let n: i64 = s.parse().map_err(|_| bad())?;
        return if n >= 100_000_000_000 {
            Ok(n)
        } else {
            n.checked_mul(1000).ok_or_else(bad)
        };
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt.timestamp_millis());
    }
    if s.len() == 10 {
        for fmt in ["%Y-%m-%d", "%m/%d/%Y"] {
            if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
                return Ok(midnight_ms(d));
            }
        }
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(dt.and_utc().timestamp_millis());
        }
    }
    // Short forms like 1/5/2024.
    if let Ok(d) = NaiveDate::parse_from_str(s, "%m/%d/%Y") {
        return Ok(midnight_ms(d));
    }
    Err(bad())
}

fn midnight_ms(d: NaiveDate) -> i64 {
    d.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

fn format_time(t: i64) -> String {
    match DateTime::from_timestamp_millis(t) {
        Some(dt) if t % crate::interval::DAY_MS == 0 => dt.format("%Y-%m-%d").to_string(),
        Some(dt) => dt.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        None => t.to_string(),
    }
}

#[derive(Debug, Clone, Copy)]
enum Col {
    Time,
    Date,
    TimeOfDay,
    Open,
    High,
    Low,
    Close,
    Volume,
    Symbol,
}

fn classify(name: &str) -> Option<Col> {
    match name.trim().to_ascii_lowercase().as_str() {
        "date" => Some(Col::Date),
        "time" => Some(Col::TimeOfDay),
        "timestamp" | "datetime" | "t" => Some(Col::Time),
        "open" | "o" => Some(Col::Open),
        "high" | "h" => Some(Col::High),
        "low" | "l" => Some(Col::Low),
        "close" | "c" => Some(Col::Close),
        "volume" | "vol" | "v" => Some(Col::Volume),
        "symbol" => Some(Col::Symbol),
        _ => None,
    }
}

#[derive(Default)]
struct Layout {
    time: Option<usize>,
    date: Option<usize>,
    time_of_day: Option<usize>,
    open: Option<usize>,
    high: Option<usize>,
    low: Option<usize>,
    close: Option<usize>,
    volume: Option<usize>,
    symbol: Option<usize>,
}

fn sniff_delimiter(header_line: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut in_quotes = false;
    for b in header_line.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            for (d, n) in counts.iter_mut() {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    let mut best = counts[0];
    for c in counts {
        if c.1 > best.1 {
            best = c;
        }
    }
    best.0
}

fn layout(headers: &csv::StringRecord) -> Result<Layout, CsvBarsError> {
    let mut lay = Layout::default();
    let mut time_cols: Vec<String> = Vec::new();
    for (i, name) in headers.iter().enumerate() {
        let Some(col) = classify(name) else { continue };
        let slot = match col {
            Col::Time => &mut lay.time,
            Col::Date => &mut lay.date,
            Col::TimeOfDay => &mut lay.time_of_day,
            Col::Open => &mut lay.open,
            Col::High => &mut lay.high,
            Col::Low => &mut lay.low,
            Col::Close => &mut lay.close,
            Col::Volume => &mut lay.volume,
            Col::Symbol => &mut lay.symbol,
        };
        if matches!(col, Col::Time | Col::Date | Col::TimeOfDay) {
            time_cols.push(name.trim().to_string());
        }
        if slot.is_some() {
            let what = match col {
                Col::Time | Col::Date | Col::TimeOfDay => "time",
                Col::Open => "open",
                Col::High => "high",
                Col::Low => "low",
                Col::Close => "close",
                Col::Volume => "volume",
                Col::Symbol => "symbol",
            };
            let columns: Vec<&str> = headers
                .iter()
                .filter(|h| {
                    classify(h)
                        .is_some_and(|c| std::mem::discriminant(&c) == std::mem::discriminant(&col))
                })
                .map(str::trim)
                .collect();
            return Err(CsvBarsError::AmbiguousColumns {
                what,
                columns: columns.join(", "),
            });
        }
        *slot = Some(i);
    }
    // Allowed time layouts: one of timestamp/datetime/t, date, time; or date + time.
    let time_ok = match (lay.time, lay.date, lay.time_of_day) {
        (Some(_), None, None) | (None, Some(_), None) | (None, None, Some(_)) => true,
        (None, Some(_), Some(_)) => true,
        (None, None, None) => false,
        _ => {
            return Err(CsvBarsError::AmbiguousColumns {
                what: "time",
                columns: time_cols.join(", "),
            })
        }
    };
    let mut missing = Vec::new();
    if !time_ok {
        missing.push("date/time");
    }
    for (name, slot) in [
        ("open", lay.open),
        ("high", lay.high),
        ("low", lay.low),
        ("close", lay.close),
    ] {
        if slot.is_none() {
            missing.push(name);
        }
    }
    if !missing.is_empty() {
        let found: Vec<String> = headers.iter().map(|h| format!("{:?}", h.trim())).collect();
        return Err(CsvBarsError::MissingColumns {
            missing: missing.join(", "),
            found: if found.is_empty() {
                "none".to_string()
            } else {
                found.join(", ")
            },
        });
    }
    Ok(lay)
}

fn field(rec: &csv::StringRecord, idx: usize) -> &str {
    rec.get(idx).unwrap_or("").trim()
}

fn number(rec: &csv::StringRecord, idx: Option<usize>, name: &str) -> Result<f64, String> {
    let Some(idx) = idx else { return Ok(0.0) };
    let s = field(rec, idx);
    if s.is_empty() {
        return if name == "volume" {
            Ok(0.0)
        } else {
            Err(format!("{name} is empty"))
        };
    }
    s.parse::<f64>()
        .map_err(|_| format!("{name} {s:?} is not a number"))
}

struct Row {
    line: u64,
    symbol: String,
    bar: Bar,
}

fn parse_row(
    rec: &csv::StringRecord,
    lay: &Layout,
    width: usize,
    default_symbol: &str,
) -> Result<(String, Bar), String> {
    if rec.len() != width {
        return Err(format!("expected {width} fields, found {}", rec.len()));
    }
    let t = match (lay.time, lay.date, lay.time_of_day) {
        (None, Some(d), Some(tod)) => {
            let (d, tod) = (field(rec, d), field(rec, tod));
            if tod.is_empty() {
                parse_time(d)?
            } else {
                parse_time(&format!("{d} {tod}"))?
            }
        }
        (Some(i), _, _) | (None, Some(i), None) | (None, None, Some(i)) => {
            parse_time(field(rec, i))?
        }
        (None, None, None) => return Err("no time column".to_string()),
    };
    let o = number(rec, lay.open, "open")?;
    let h = number(rec, lay.high, "high")?;
    let l = number(rec, lay.low, "low")?;
    let c = number(rec, lay.close, "close")?;
    let v = number(rec, lay.volume, "volume")?;
    check_bar(o, h, l, c, v)?;
    let symbol = match lay.symbol.map(|i| field(rec, i)) {
        Some(s) if !s.is_empty() => validate_symbol(s)?,
        _ => default_symbol.to_string(),
    };
    Ok((symbol, Bar { t, o, h, l, c, v }))
}

fn infer_interval(bars: &[Bar]) -> Option<Interval> {
    let gap = bars.windows(2).map(|w| w[1].t - w[0].t).min()?;
    Interval::ALL.into_iter().find(|i| i.nominal_ms() == gap)
}

/// Parses a bar CSV file (see the module docs). `default_symbol` is used when there is
/// no `symbol` column or a row's symbol cell is empty; `max_rows` bounds the number of
/// data rows (the parse stops with [`CsvBarsError::TooManyRows`] beyond it).
pub fn parse_bars_csv(
    input: &[u8],
    default_symbol: &str,
    max_rows: usize,
) -> Result<ParsedBars, CsvBarsError> {
    let default_symbol = validate_symbol(default_symbol).map_err(CsvBarsError::DefaultSymbol)?;
    let text = std::str::from_utf8(input).map_err(|e| CsvBarsError::NotUtf8(e.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(CsvBarsError::Empty);
    }
    let header_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let delimiter = sniff_delimiter(header_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| CsvBarsError::Structure(e.to_string()))?
        .clone();
    let lay = layout(&headers)?;
    let width = headers.len();

    let mut errors: Vec<RowError> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut count = 0usize;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                // Unrecoverable reader errors (e.g. invalid UTF-8 inside a field) end
                // the parse; report them as a row error.
                errors.push(RowError {
                    line,
                    message: format!("unreadable row: {e}"),
                });
                break;
            }
        }
        // Rows of only empty fields (e.g. ",,,,") are treated like blank lines.
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        count += 1;
        if count > max_rows {
            return Err(CsvBarsError::TooManyRows { max: max_rows });
        }
        let line = record.position().map_or(0, |p| p.line());
        match parse_row(&record, &lay, width, &default_symbol) {
            Ok((symbol, bar)) => rows.push(Row { line, symbol, bar }),
            Err(message) => errors.push(RowError { line, message }),
        }
    }
    if count == 0 && errors.is_empty() {
        return Err(CsvBarsError::NoRows);
    }

    let mut groups: BTreeMap<String, Vec<(u64, Bar)>> = BTreeMap::new();
    for r in rows {
        groups.entry(r.symbol).or_default().push((r.line, r.bar));
    }
    let mut series = Vec::with_capacity(groups.len());
    for (symbol, mut bars) in groups {
        bars.sort_by_key(|(line, b)| (b.t, *line));
        for w in bars.windows(2) {
            if w[0].1.t == w[1].1.t {
                errors.push(RowError {
                    line: w[1].0,
                    message: format!(
                        "duplicate time {} for {symbol} (first on line {})",
                        format_time(w[1].1.t),
                        w[0].0
                    ),
                });
            }
        }
        let bars: Vec<Bar> = bars.into_iter().map(|(_, b)| b).collect();
        series.push(ParsedSeries {
            inferred_interval: infer_interval(&bars),
            symbol,
            bars,
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        let total = errors.len();
        errors.truncate(MAX_ROW_ERRORS);
        return Err(CsvBarsError::Rows { errors, total });
    }
    Ok(ParsedBars { series })
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN2: i64 = 1_704_153_600_000; // 2024-01-02 00:00 UTC

    fn parse(s: &str) -> Result<ParsedBars, CsvBarsError> {
        parse_bars_csv(s.as_bytes(), "test", 1000)
    }

    fn row_messages(err: CsvBarsError) -> Vec<String> {
        match err {
            CsvBarsError::Rows { errors, .. } => errors.iter().map(|e| e.to_string()).collect(),
            other => panic!("expected row errors, got {other:?}"),
        }
    }

    #[test]
    fn yahoo_style_file_with_adj_close() {
        let csv = "Date,Open,High,Low,Close,Adj Close,Volume\n\
                   2024-01-03,10,11,9.5,10.5,1.05,1200\n\
                   2024-01-02,9,10.2,8.8,10,1.0,1000\n\n\n";
        let parsed = parse(csv).expect("valid");
        assert_eq!(parsed.series.len(), 1);
        let s = &parsed.series[0];
        assert_eq!(s.symbol, "TEST");
        assert_eq!(s.inferred_interval, Some(Interval::D1));
        assert_eq!(
            s.bars,
            vec![
                Bar::new(JAN2, 9.0, 10.2, 8.8, 10.0, 1000.0),
                Bar::new(JAN2 + 86_400_000, 10.0, 11.0, 9.5, 10.5, 1200.0),
            ]
        );
    }

    #[test]
    fn semicolons_bom_aliases_and_symbols() {
        let csv = "\u{feff}SYMBOL; t ;O;H;L;C\r\n\
                   msft;2024-01-02 14:30;5;6;4;5.5\r\n\
                   aapl;2024-01-02 14:30:00;1;2;0.5;1.5\r\n\
                   msft;2024-01-02 14:31;5.5;6;5;6\r\n";
        let parsed = parse(csv).expect("valid");
        let symbols: Vec<&str> = parsed.series.iter().map(|s| s.symbol.as_str()).collect();
        assert_eq!(symbols, ["AAPL", "MSFT"]);
        let t = JAN2 + 14 * 3_600_000 + 30 * 60_000;
        assert_eq!(
            parsed.series[0].bars,
            vec![Bar::new(t, 1.0, 2.0, 0.5, 1.5, 0.0)]
        );
        assert_eq!(parsed.series[1].bars.len(), 2);
        assert_eq!(parsed.series[1].bars[1].t, t + 60_000);
        assert_eq!(parsed.series[1].inferred_interval, Some(Interval::M1));
        assert_eq!(parsed.bar_count(), 3);
    }

    #[test]
    fn separate_date_and_time_columns() {
        let csv = "Date,Time,Open,High,Low,Close,Vol\n01/02/2024,09:30,1,1,1,1,5\n";
        let parsed = parse(csv).expect("valid");
        assert_eq!(
            parsed.series[0].bars[0].t,
            JAN2 + 9 * 3_600_000 + 30 * 60_000
        );
        assert_eq!(parsed.series[0].bars[0].v, 5.0);
    }

    #[test]
    fn time_formats() {
        assert_eq!(parse_time("2024-01-02"), Ok(JAN2));
        assert_eq!(parse_time("01/02/2024"), Ok(JAN2));
        assert_eq!(parse_time("1/2/2024"), Ok(JAN2));
        assert_eq!(parse_time("20240102"), Ok(JAN2));
        assert_eq!(parse_time("2024-01-02T01:00:00+01:00"), Ok(JAN2));
        assert_eq!(parse_time("2024-01-02T00:00:00Z"), Ok(JAN2));
        assert_eq!(parse_time("2024-01-02 00:00:01"), Ok(JAN2 + 1000));
        assert_eq!(parse_time("2024-01-02 00:01"), Ok(JAN2 + 60_000));
        assert_eq!(parse_time("1704153600"), Ok(JAN2));
        assert_eq!(parse_time("1704153600000"), Ok(JAN2));
        assert_eq!(parse_time(" 1704153600123 "), Ok(JAN2 + 123));
        let err = parse_time("2024-13-01").expect_err("month 13");
        assert!(
            err.starts_with("time \"2024-13-01\" is not a recognised date/time"),
            "{err}"
        );
        assert!(parse_time("yesterday").is_err());
        assert!(parse_time("99999999999999999999999").is_err());
        assert_eq!(parse_time(""), Err("time is empty".to_string()));
    }

    #[test]
    fn row_errors_have_line_numbers_and_precise_messages() {
        let csv = "date,open,high,low,close,volume\n\
                   2024-01-02,10,11,9,10.5,100\n\
                   2024-01-03,10,10.5,9,11.2,100\n\
                   2024-01-04,10,11,10.2,10.5,100\n\
                   2024-01-05,-1,11,9,10.5,100\n\
                   2024-01-06,10,11,9,abc,100\n\
                   2024-01-07,10,11,9,10.5,-5\n\
                   2024-01-08,10,11,9\n\
                   2024-01-09,NaN,11,9,10,1\n\
                   bad,10,11,9,10.5,1\n\
                   2024-01-02,10,11,9,10.5,100\n";
        let msgs = row_messages(parse(csv).expect_err("invalid"));
        assert_eq!(
            msgs,
            vec![
                "line 3: high 10.5 is below close 11.2",
                "line 4: low 10.2 is above open 10",
                "line 5: open -1 must be greater than 0",
                "line 6: close \"abc\" is not a number",
                "line 7: volume -5 is negative",
                "line 8: expected 6 fields, found 4",
                "line 9: open NaN is not a finite number",
                "line 10: time \"bad\" is not a recognised date/time (expected RFC 3339, YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], MM/DD/YYYY, YYYYMMDD or unix seconds/milliseconds)",
                "line 11: duplicate time 2024-01-02 for TEST (first on line 2)",
            ]
        );
    }

    #[test]
    fn error_display_and_cap() {
        let mut csv = String::from("date,open,high,low,close\n");
        for i in 0..60 {
            csv.push_str(&format!("2024-01-{:02},1,0.5,0.4,1\n", i % 28 + 1));
        }
        let err = parse(&csv).expect_err("invalid");
        let CsvBarsError::Rows { errors, total } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(errors.len(), 50);
        assert_eq!(*total, 60);
        let text = err.to_string();
        assert!(
            text.starts_with("60 rows are invalid:\nline 2: high 0.5 is below open 1\n"),
            "{text}"
        );
        assert!(text.ends_with("\n… and 10 more"), "{text}");
    }

    #[test]
    fn duplicates_in_different_symbols_are_fine() {
        let csv = "symbol,date,open,high,low,close\nA,2024-01-02,1,1,1,1\nB,2024-01-02,1,1,1,1\n";
        assert_eq!(parse(csv).expect("valid").series.len(), 2);
    }

    #[test]
    fn header_problems() {
        assert_eq!(parse(""), Err(CsvBarsError::Empty));
        assert_eq!(parse("\u{feff}\n\n"), Err(CsvBarsError::Empty));
        assert_eq!(
            parse("date,open,high,low,close\n\n").expect_err("no rows"),
            CsvBarsError::NoRows
        );
        let err = parse("when,open,hi,low,Adj Close\n1,2,3,4,5\n").expect_err("missing");
        assert_eq!(
            err.to_string(),
            "the header row has no date/time, high, close column (found columns: \"when\", \"open\", \"hi\", \"low\", \"Adj Close\")"
        );
        let err = parse("date,open,Open,high,low,close\n").expect_err("ambiguous");
        assert_eq!(
            err.to_string(),
            "the header row has more than one open column: open, Open"
        );
        let err = parse("timestamp,date,open,high,low,close\n").expect_err("ambiguous time");
        assert_eq!(
            err.to_string(),
            "the header row has more than one time column: timestamp, date"
        );
        assert_eq!(
            parse_bars_csv(b"\xff\xfe", "X", 10),
            Err(CsvBarsError::NotUtf8(0))
        );
    }

    #[test]
    fn symbol_rules() {
        assert_eq!(validate_symbol(" brk.b "), Ok("BRK.B".to_string()));
        assert_eq!(validate_symbol("^GSPC"), Ok("^GSPC".to_string()));
        assert_eq!(validate_symbol("EUR/USD"), Ok("EUR/USD".to_string()));
        assert_eq!(validate_symbol("ES=F"), Ok("ES=F".to_string()));
        assert!(validate_symbol("").is_err());
        assert!(validate_symbol("ABCDEFGHIJKLMNOPQRSTU").is_err());
        assert!(validate_symbol("A B").is_err());
        assert!(validate_symbol("ÄPPL").is_err());
        assert!(matches!(
            parse_bars_csv(b"date,o,h,l,c\n", "bad symbol", 10),
            Err(CsvBarsError::DefaultSymbol(_))
        ));
        let msgs = row_messages(
            parse("symbol,date,o,h,l,c\n$$$,2024-01-02,1,1,1,1\n").expect_err("bad symbol"),
        );
        assert_eq!(
            msgs,
            ["line 2: symbol \"$$$\" is invalid (expected 1-20 characters of A-Z 0-9 . - ^ = /)"]
        );
    }

    #[test]
    fn max_rows_guard() {
        let csv = "date,o,h,l,c\n2024-01-02,1,1,1,1\n2024-01-03,1,1,1,1\n";
        assert!(parse_bars_csv(csv.as_bytes(), "X", 2).is_ok());
        assert_eq!(
            parse_bars_csv(csv.as_bytes(), "X", 1),
            Err(CsvBarsError::TooManyRows { max: 1 })
        );
    }

    #[test]
    fn quoted_fields_and_tabs() {
        let csv = "\"Date\"\t\"Close\"\t\"Open\"\t\"High\"\t\"Low\"\n\"2024-01-02\"\t\"2\"\t\"1\"\t\"3\"\t\"0.5\"\n";
        let parsed = parse(csv).expect("valid");
        assert_eq!(
            parsed.series[0].bars,
            vec![Bar::new(JAN2, 1.0, 3.0, 0.5, 2.0, 0.0)]
        );
    }

    #[test]
    fn check_bar_messages() {
        assert_eq!(check_bar(1.0, 2.0, 0.5, 1.5, 0.0), Ok(()));
        assert_eq!(
            check_bar(1.0, 1.2, 0.5, 1.5, 0.0),
            Err("high 1.2 is below close 1.5".to_string())
        );
        assert_eq!(
            check_bar(1.0, 2.0, 1.6, 1.5, 0.0),
            Err("low 1.6 is above open 1".to_string())
        );
        assert_eq!(
            check_bar(1.0, 2.0, 0.5, f64::INFINITY, 0.0),
            Err("close inf is not a finite number".to_string())
        );
        assert_eq!(
            check_bar(1.0, 2.0, 0.0, 1.5, 0.0),
            Err("low 0 must be greater than 0".to_string())
        );
    }
}
