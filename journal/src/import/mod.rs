//! Broker CSV imports: format detection and parsing into [`Execution`]s.
//!
//! Each broker format lives in its own module; all share `csvtext` for the quirks of real
//! exports (BOM, `;` delimiters, `(45.20)` negatives, thousands separators, sections that
//! start deep in a file) and take the statement timezone from [`ImportOptions`].
//!
//! Conventions every parser follows:
//! - every non-blank line of a file other than its trade table's header (and section title)
//!   ends up as exactly one execution, one [`RowError`] or one skip;
//! - wall-clock times are in [`ImportOptions::timezone`] unless the file states an offset or
//!   zone (`-0500`, `EST`); a time skipped by a daylight-saving change is a row error, a
//!   repeated one is the earlier instant; date-only rows (Schwab, Robinhood) are placed at
//!   16:00, the US market close;
//! - fees are a positive cost (brokers that print commissions negative are flipped; rebates
//!   come out negative); quantities are positive with the side telling the direction;
//! - options carry [`OptionTerms`](crate::model::OptionTerms) with `symbol` set to the
//!   underlying, and a multiplier of 100 unless the file states another.

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::model::Execution;

mod csvtext;
mod datetime;
mod detect;
mod generic;
mod ibkr;
mod mapped;
mod optsym;
mod robinhood;
mod schwab;
mod sink;
mod suggest;
mod tastytrade;
mod thinkorswim;
mod webull;

pub use generic::write_generic;
pub use suggest::{guess_datetime_format, suggest_mapping, MappingSuggestion, SAMPLE_ROWS};

/// The formats Refract recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    IbkrFlex,
    IbkrActivity,
    Thinkorswim,
    Schwab,
    Tastytrade,
    Robinhood,
    Webull,
    Generic,
    /// A user's saved column mapping.
    Mapped,
}

impl Format {
    /// Every format, in the order a format picker lists them.
    pub const ALL: [Format; 9] = [
        Format::IbkrFlex,
        Format::IbkrActivity,
        Format::Thinkorswim,
        Format::Schwab,
        Format::Tastytrade,
        Format::Robinhood,
        Format::Webull,
        Format::Generic,
        Format::Mapped,
    ];

    /// The name shown to people.
    pub fn label(&self) -> &'static str {
        match self {
            Format::IbkrFlex => "Interactive Brokers Flex Query",
            Format::IbkrActivity => "Interactive Brokers Activity Statement",
            Format::Thinkorswim => "thinkorswim Account Statement",
            Format::Schwab => "Charles Schwab transactions",
            Format::Tastytrade => "Tastytrade transactions",
            Format::Robinhood => "Robinhood activity",
            Format::Webull => "Webull orders",
            Format::Generic => "Generic CSV",
            Format::Mapped => "Custom column mapping",
        }
    }

    /// The snake_case id used in settings and APIs (the serde name).
    pub fn id(&self) -> &'static str {
        match self {
            Format::IbkrFlex => "ibkr_flex",
            Format::IbkrActivity => "ibkr_activity",
            Format::Thinkorswim => "thinkorswim",
            Format::Schwab => "schwab",
            Format::Tastytrade => "tastytrade",
            Format::Robinhood => "robinhood",
            Format::Webull => "webull",
            Format::Generic => "generic",
            Format::Mapped => "mapped",
        }
    }

    /// Reads a snake_case id (`ibkr_flex`, `thinkorswim`, ...); case and surrounding blanks
    /// are ignored.
    pub fn parse(s: &str) -> Option<Format> {
        let s = s.trim();
        Format::ALL
            .into_iter()
            .find(|f| f.id().eq_ignore_ascii_case(s))
    }

    /// The `broker` written on executions read in this format.
    pub fn broker(&self) -> &'static str {
        match self {
            Format::IbkrFlex | Format::IbkrActivity => "ibkr",
            Format::Thinkorswim => "thinkorswim",
            Format::Schwab => "schwab",
            Format::Tastytrade => "tastytrade",
            Format::Robinhood => "robinhood",
            Format::Webull => "webull",
            Format::Generic => "generic",
            Format::Mapped => "mapped",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Where a file's rows are read from and how their times are interpreted.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The timezone the statement's wall-clock times are in.
    pub timezone: Tz,
    /// Account to file rows under when the file names none.
    pub account: Option<String>,
    /// Forces a format instead of detecting it.
    pub format: Option<Format>,
    /// Column mapping for [`Format::Mapped`].
    pub mapping: Option<ColumnMapping>,
}

/// A user-defined mapping from a CSV's headers to execution fields (saved per workspace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ColumnMapping {
    pub date: String,
    /// Separate time column, when date and time are split.
    pub time: Option<String>,
    /// chrono format of date (+ " " + time when split), e.g. `%m/%d/%Y %H:%M:%S`.
    pub datetime_format: String,
    pub symbol: String,
    pub side: String,
    pub quantity: String,
    pub price: String,
    pub fees: Vec<String>,
    pub account: Option<String>,
    pub exec_id: Option<String>,
    pub order_id: Option<String>,
    /// The statement timezone (IANA name) this broker's files are in, saved with the
    /// mapping so the next file from that broker needs no choice. An import's explicit
    /// timezone wins; the parser itself reads [`ImportOptions::timezone`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

/// A row that could not be read, with its 1-based line number in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// An execution and the 1-based line it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedRow {
    pub line: usize,
    pub execution: Execution,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParseOutput {
    pub format: Format,
    pub rows: Vec<ParsedRow>,
    pub errors: Vec<RowError>,
    /// Rows deliberately ignored (cancelled orders, cash movements, dividends, ...).
    pub skipped: usize,
}

/// Why a whole file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not text (UTF-8 or Windows-1252 CSV expected)")]
    NotText,
    #[error("the format was not recognised; choose one or map the columns")]
    UnknownFormat,
    #[error("missing column(s) for {format}: {columns}")]
    MissingColumns { format: String, columns: String },
    #[error("the custom format needs a column mapping")]
    MissingMapping,
}

/// Guesses a file's format from its headers and section markers. `text` may still carry a
/// BOM. Never answers [`Format::Mapped`]: a mapping is the user's choice.
pub fn detect(text: &str) -> Option<Format> {
    detect::detect(text)
}

/// Reads a broker export into executions.
///
/// The bytes are decoded (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252), the
/// format is `opts.format` or detected, and every row is read: a row that cannot be read goes
/// into `errors` with its line number while the others still come out; rows that are not
/// fills (cash movements, dividends, cancelled orders, totals, other sections, repeated
/// headers) are counted in `skipped`.
///
/// Rows come out oldest first: files listed newest first (Schwab, Robinhood, thinkorswim)
/// are reversed, then rows are stably sorted by time, so fills that share a timestamp (all
/// of a day's fills in date-only formats) keep their order of execution.
pub fn parse(bytes: &[u8], opts: &ImportOptions) -> Result<ParseOutput, ImportError> {
    let text = csvtext::decode(bytes)?;
    let format = match opts.format {
        Some(f) => f,
        None => detect::detect(&text).ok_or(ImportError::UnknownFormat)?,
    };
    let ctx = sink::Ctx::new(opts, format, &text);
    let sink = match format {
        Format::IbkrFlex => ibkr::parse_flex(&text, &ctx)?,
        Format::IbkrActivity => ibkr::parse_activity(&text, &ctx)?,
        Format::Thinkorswim => thinkorswim::parse(&text, &ctx)?,
        Format::Schwab => schwab::parse(&text, &ctx)?,
        Format::Tastytrade => tastytrade::parse(&text, &ctx)?,
        Format::Robinhood => robinhood::parse(&text, &ctx)?,
        Format::Webull => webull::parse(&text, &ctx)?,
        Format::Generic => generic::parse(&text, &ctx)?,
        Format::Mapped => {
            let mapping = opts.mapping.as_ref().ok_or(ImportError::MissingMapping)?;
            mapped::parse(&text, &ctx, mapping)?
        }
    };
    Ok(sink.finish(format))
}
