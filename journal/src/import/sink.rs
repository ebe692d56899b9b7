//! What every format parser shares: the import context (timezone, account, number style),
//! the sink rows, errors and skips are collected in, and readers for fields whose wording is
//! common across brokers (sides, open/close, numbers with their error messages).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use super::csvtext::{self, Columns, NumStyle, Record, Required};
use super::datetime::{parse_stamp, Stamp};
use super::optsym;
use super::{Format, ImportError, ImportOptions, ParseOutput, ParsedRow, RowError};
use crate::model::{Effect, Execution, Instrument, OptionTerms, Side};

/// What a parser needs to know besides the text.
pub(crate) struct Ctx<'a> {
    pub opts: &'a ImportOptions,
    pub format: Format,
    pub delimiter: u8,
    pub nums: NumStyle,
}

impl<'a> Ctx<'a> {
    pub fn new(opts: &'a ImportOptions, format: Format, text: &str) -> Self {
        // Sectioned statements are always comma-separated; sniffing them could be fooled by
        // a long run of `;`-joined codes.
        let delimiter = match format {
            Format::IbkrActivity | Format::Thinkorswim => b',',
            _ => csvtext::sniff_delimiter(text),
        };
        Ctx {
            opts,
            format,
            delimiter,
            nums: NumStyle::sniff(text, delimiter),
        }
    }

    pub fn tz(&self) -> Tz {
        self.opts.timezone
    }

    pub fn records(&self, text: &str) -> Vec<Record> {
        csvtext::records(text, self.delimiter)
    }

    /// The account from the file where it names one, else the import's, else "default".
    pub fn account(&self, from_file: &str) -> String {
        let from_file = from_file.trim();
        if !from_file.is_empty() {
            return from_file.to_owned();
        }
        match self.opts.account.as_deref().map(str::trim) {
            Some(a) if !a.is_empty() => a.to_owned(),
            _ => "default".to_owned(),
        }
    }

    /// A required number: blank and garbage are errors naming the field.
    pub fn num(&self, field: &str, raw: &str) -> Result<Decimal, String> {
        match csvtext::number(raw, self.nums) {
            Ok(Some(d)) => Ok(d),
            Ok(None) => Err(format!("{field} is empty")),
            Err(()) => Err(format!("{field} {} is not a number", csvtext::quoted(raw))),
        }
    }

    /// An optional number: blank is `None`, garbage is an error naming the field.
    pub fn opt_num(&self, field: &str, raw: &str) -> Result<Option<Decimal>, String> {
        csvtext::number(raw, self.nums)
            .map_err(|()| format!("{field} {} is not a number", csvtext::quoted(raw)))
    }

    /// A number where blank means zero (fee columns).
    pub fn num_or_zero(&self, field: &str, raw: &str) -> Result<Decimal, String> {
        Ok(self.opt_num(field, raw)?.unwrap_or_default())
    }

    /// A required timestamp in the statement's timezone unless the text names its own.
    pub fn time(&self, field: &str, raw: &str) -> Result<DateTime<Utc>, String> {
        if raw.trim().is_empty() {
            return Err(format!("{field} is empty"));
        }
        parse_stamp(raw)
            .ok_or_else(|| format!("{field} {} is not a date/time", csvtext::quoted(raw)))?
            .to_utc(self.tz())
    }

    /// Option terms given in separate columns. `Ok(None)` when all four are blank; an error
    /// names the first one that is missing or unreadable.
    pub fn option_terms(
        &self,
        underlying: &str,
        expiry: &str,
        strike: &str,
        right: &str,
    ) -> Result<Option<OptionTerms>, String> {
        if [underlying, expiry, strike, right]
            .iter()
            .all(|s| s.trim().is_empty())
        {
            return Ok(None);
        }
        if underlying.trim().is_empty() {
            return Err("option underlying is empty".into());
        }
        let expiry = super::datetime::parse_date(expiry)
            .ok_or_else(|| format!("expiry {} is not a date", csvtext::quoted(expiry)))?;
        let strike = self.num("strike", strike)?;
        if strike <= Decimal::ZERO {
            return Err(format!("strike {strike} is not positive"));
        }
        let right = optsym::right_word(right.trim())
            .ok_or_else(|| format!("option right {} is not call or put", csvtext::quoted(right)))?;
        Ok(Some(OptionTerms {
            underlying: underlying.trim().to_owned(),
            expiry,
            strike: strike.normalize(),
            right,
        }))
    }

    /// Converts an already parsed timestamp.
    pub fn utc(&self, stamp: Stamp) -> Result<DateTime<Utc>, String> {
        stamp.to_utc(self.tz())
    }

    /// An execution with this format's broker and the defaults of a share fill; parsers
    /// then set what their rows say.
    pub fn fill(
        &self,
        account: String,
        symbol: &str,
        side: Side,
        quantity: Decimal,
        price: Decimal,
        time: DateTime<Utc>,
    ) -> Execution {
        Execution {
            account,
            broker: self.format.broker().to_owned(),
            symbol: symbol.trim().to_owned(),
            instrument: Instrument::Equity,
            side,
            effect: Effect::Unknown,
            quantity,
            price,
            fees: Decimal::ZERO,
            time,
            exec_id: None,
            order_id: None,
            option: None,
            multiplier: Decimal::ONE,
        }
    }
}

/// How many leading records are searched for a flat file's header row.
const HEADER_SCAN: usize = 30;

/// Finds the header row of a flat table among the first records: the first one with every
/// required column. When none has them all, the error lists what the most complete
/// candidate lacks.
pub(crate) fn locate_header(
    recs: &[Record],
    format: Format,
    required: Required<'_>,
) -> Result<(usize, Columns), ImportError> {
    let mut best: Option<(usize, String)> = None;
    for (i, r) in recs.iter().take(HEADER_SCAN).enumerate() {
        let cols = Columns::new(&r.cells);
        match csvtext::missing(&cols, required) {
            None => return Ok((i, cols)),
            Some(m) => {
                let n = m.split(", ").count();
                if best.as_ref().is_none_or(|(k, _)| n < *k) {
                    best = Some((n, m));
                }
            }
        }
    }
    let all = || {
        required
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(missing_columns(format, best.map_or_else(all, |(_, m)| m)))
}

pub(crate) fn missing_columns(format: Format, columns: String) -> ImportError {
    ImportError::MissingColumns {
        format: format.label().to_owned(),
        columns,
    }
}

/// Reads a flat table: one header row (found by [`locate_header`]), then one fill per row.
/// Lines above the header and repeats of it count as skipped. `columns` resolves the
/// header once; `row` reads a record with it.
pub(crate) fn flat_table<T>(
    ctx: &Ctx<'_>,
    text: &str,
    required: Required<'_>,
    columns: impl FnOnce(&Columns) -> T,
    mut row: impl FnMut(&Record, &T) -> RowResult,
) -> Result<Sink, ImportError> {
    let recs = ctx.records(text);
    let (at, header) = locate_header(&recs, ctx.format, required)?;
    let cols = columns(&header);
    let mut sink = Sink::new();
    for (i, r) in recs.iter().enumerate() {
        if i < at || (i > at && header.is_repeat(&r.cells)) {
            sink.skip();
        } else if i > at {
            sink.take(r.line, row(r, &cols));
        }
    }
    Ok(sink)
}

/// A parsed row: a fill, a row to skip, or (as `Err`) why the row could not be read.
pub(crate) type RowResult = Result<Option<Execution>, String>;

/// Collects a file's rows, errors and skips.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    rows: Vec<ParsedRow>,
    errors: Vec<RowError>,
    skipped: usize,
}

impl Sink {
    pub fn new() -> Self {
        Sink::default()
    }

    /// Files a row's outcome under its line, checking what every execution must satisfy.
    pub fn take(&mut self, line: usize, row: RowResult) {
        match row.and_then(|e| e.map(validate).transpose()) {
            Ok(Some(execution)) => self.rows.push(ParsedRow { line, execution }),
            Ok(None) => self.skipped += 1,
            Err(message) => self.errors.push(RowError { line, message }),
        }
    }

    pub fn skip(&mut self) {
        self.skipped += 1;
    }

    pub fn error(&mut self, line: usize, message: String) {
        self.errors.push(RowError { line, message });
    }

    /// The executions so far, for parsers that amend rows after reading them (fees joined
    /// from another section).
    pub fn rows_mut(&mut self) -> &mut [ParsedRow] {
        &mut self.rows
    }

    /// Orders rows oldest first (see [`super::parse`]) and errors by line.
    pub fn finish(mut self, format: Format) -> ParseOutput {
        let newest_first = match (self.rows.first(), self.rows.last()) {
            (Some(a), Some(b)) => a.execution.time > b.execution.time,
            _ => false,
        };
        if newest_first {
            self.rows.reverse();
        }
        // Stable, by time; rows are large, so the sort moves (time, position) pairs and
        // each row moves once (sorting the rows themselves was 8 % of a large file's parse).
        if !self.rows.is_sorted_by_key(|r| r.execution.time) {
            let mut order: Vec<(DateTime<Utc>, usize)> = self
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| (r.execution.time, i))
                .collect();
            order.sort_unstable();
            let mut slots: Vec<Option<_>> = self.rows.drain(..).map(Some).collect();
            self.rows = order.iter().filter_map(|(_, i)| slots[*i].take()).collect();
        }
        self.errors.sort_by_key(|e| e.line);
        ParseOutput {
            format,
            rows: self.rows,
            errors: self.errors,
            skipped: self.skipped,
        }
    }
}

/// The invariants of a normalised execution, checked once for every format.
fn validate(e: Execution) -> Result<Execution, String> {
    if e.symbol.is_empty() {
        return Err("symbol is empty".into());
    }
    if e.quantity <= Decimal::ZERO {
        return Err(format!("quantity {} is not positive", e.quantity));
    }
    if e.price < Decimal::ZERO {
        return Err(format!("price {} is negative", e.price));
    }
    if e.multiplier <= Decimal::ZERO {
        return Err(format!("multiplier {} is not positive", e.multiplier));
    }
    Ok(e)
}

/// Reads the buy/sell wording brokers use, with the open/close it implies:
/// `Buy`, `BOT`, `B`, `Sell`, `SLD`, `Short`, `Cover`, `Buy to Open`, `BTO`,
/// `SELL_TO_CLOSE`, `Sell Short`, `Buy to Cover`...
pub(crate) fn side_word(s: &str) -> Option<(Side, Effect)> {
    let w = s
        .trim()
        .to_ascii_uppercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Some(match w.as_str() {
        "BUY" | "B" | "BOT" | "BOUGHT" | "BY" => (Side::Buy, Effect::Unknown),
        "SELL" | "S" | "SLD" | "SOLD" | "SL" => (Side::Sell, Effect::Unknown),
        "SHORT" | "SS" | "SELL SHORT" | "SHORT SELL" | "SHORT SALE" => (Side::Sell, Effect::Open),
        "COVER" | "BC" | "BUY TO COVER" | "BUY COVER" => (Side::Buy, Effect::Close),
        "BUY TO OPEN" | "BTO" | "BUYTOOPEN" => (Side::Buy, Effect::Open),
        "BUY TO CLOSE" | "BTC" | "BUYTOCLOSE" => (Side::Buy, Effect::Close),
        "SELL TO OPEN" | "STO" | "SELLTOOPEN" => (Side::Sell, Effect::Open),
        "SELL TO CLOSE" | "STC" | "SELLTOCLOSE" => (Side::Sell, Effect::Close),
        _ => return None,
    })
}

/// Reads an open/close marker: `O`, `C`, `Open`, `TO CLOSE`, IBKR's `C;O` (a fill that
/// closed one position and opened the opposite one: neither) and codes lists like `A;C`.
pub(crate) fn effect_word(s: &str) -> Effect {
    let w = s.trim().to_ascii_uppercase();
    match w.as_str() {
        "OPEN" | "TO OPEN" | "OPENING" => return Effect::Open,
        "CLOSE" | "TO CLOSE" | "CLOSING" => return Effect::Close,
        _ => {}
    }
    let codes: Vec<&str> = w.split([';', ',', ' ']).map(str::trim).collect();
    match (codes.contains(&"O"), codes.contains(&"C")) {
        (true, false) => Effect::Open,
        (false, true) => Effect::Close,
        _ => Effect::Unknown,
    }
}

/// The side of a signed quantity, and its size.
pub(crate) fn signed(quantity: Decimal) -> Result<(Side, Decimal), String> {
    if quantity.is_zero() {
        return Err("quantity is zero".into());
    }
    let side = if quantity > Decimal::ZERO {
        Side::Buy
    } else {
        Side::Sell
    };
    Ok((side, quantity.abs()))
}

/// Sum of fee parts with overflow reported instead of panicking on hostile input.
pub(crate) fn sum(parts: &[Decimal]) -> Result<Decimal, String> {
    parts
        .iter()
        .try_fold(Decimal::ZERO, |acc, p| acc.checked_add(*p))
        .ok_or_else(|| "fees are too large".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_words() {
        assert_eq!(side_word("BUY_TO_OPEN"), Some((Side::Buy, Effect::Open)));
        assert_eq!(
            side_word(" Sell to Close "),
            Some((Side::Sell, Effect::Close))
        );
        assert_eq!(side_word("Short"), Some((Side::Sell, Effect::Open)));
        assert_eq!(side_word("cover"), Some((Side::Buy, Effect::Close)));
        assert_eq!(side_word("SLD"), Some((Side::Sell, Effect::Unknown)));
        assert_eq!(side_word("Dividend"), None);
    }

    #[test]
    fn effect_words() {
        assert_eq!(effect_word("O"), Effect::Open);
        assert_eq!(effect_word("TO CLOSE"), Effect::Close);
        assert_eq!(effect_word("C;O"), Effect::Unknown);
        assert_eq!(effect_word("A;C"), Effect::Close);
        assert_eq!(effect_word("P;O"), Effect::Open);
        assert_eq!(effect_word(""), Effect::Unknown);
    }
}
