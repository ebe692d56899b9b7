//! Charles Schwab "Transactions" CSV: `Date, Action, Symbol, Description, Quantity, Price,
//! Fees & Comm, Amount`, newest first, optionally under a `Transactions for account ...`
//! title and above a `Transactions Total` row. Dates carry no time (see
//! [`DATE_ONLY_TIME`](super::datetime::DATE_ONLY_TIME)); `03/04/2024 as of 03/01/2024`
//! is dated by its "as of" day, when the trade happened.

use super::csvtext::{self, quoted, Columns, Record};
use super::datetime::{parse_date, Stamp, DATE_ONLY_TIME};
use super::optsym::parse_option_symbol;
use super::sink::{flat_table, side_word, Ctx, RowResult, Sink};
use super::ImportError;
use crate::model::{Effect, Instrument, Side};

const REQUIRED: csvtext::Required<'static> = &[
    ("Date", &["Date"]),
    ("Action", &["Action"]),
    ("Symbol", &["Symbol"]),
    ("Quantity", &["Quantity"]),
    ("Price", &["Price"]),
];

struct Cols {
    date: Option<usize>,
    action: Option<usize>,
    symbol: Option<usize>,
    qty: Option<usize>,
    price: Option<usize>,
    fees: Option<usize>,
}

pub(crate) fn parse(text: &str, ctx: &Ctx<'_>) -> Result<Sink, ImportError> {
    let account = title_account(text);
    flat_table(
        ctx,
        text,
        REQUIRED,
        |c: &Columns| Cols {
            date: c.find(&["Date"]),
            action: c.find(&["Action"]),
            symbol: c.find(&["Symbol"]),
            qty: c.find(&["Quantity"]),
            price: c.find(&["Price"]),
            fees: c.find(&["Fees & Comm", "Fees & Commissions", "Fees"]),
        },
        |r, c| row(r, c, &account, ctx),
    )
}

/// `"Transactions  for account XXXX-1234 as of 03/05/2024 09:12:33 PM ET"` → `XXXX-1234`.
fn title_account(text: &str) -> String {
    text.lines()
        .take(3)
        .find_map(|l| l.split_once("for account "))
        .map(|(_, rest)| rest.split(" as of ").next().unwrap_or(rest))
        .map(|a| a.trim().trim_matches('"').trim().to_owned())
        .unwrap_or_default()
}

fn action(s: &str) -> Option<(Side, Effect)> {
    match s.trim().to_ascii_lowercase().as_str() {
        // A dividend reinvestment is a real purchase of shares.
        "reinvest shares" => Some((Side::Buy, Effect::Unknown)),
        _ => side_word(s),
    }
}

fn row(r: &Record, c: &Cols, account: &str, ctx: &Ctx<'_>) -> RowResult {
    // Dividends, transfers, interest, expirations, assignments and the totals row.
    let Some((side, effect)) = action(r.get(c.action)) else {
        return Ok(None);
    };
    let date_cell = r.get(c.date);
    let day_text = date_cell.split(" as of ").last().unwrap_or(date_cell);
    let day =
        parse_date(day_text).ok_or_else(|| format!("date {} is not a date", quoted(date_cell)))?;
    let time = ctx.utc(Stamp::Local(day.and_time(DATE_ONLY_TIME)))?;
    let quantity = ctx.num("quantity", r.get(c.qty))?.abs();
    let price = ctx.num("price", r.get(c.price))?;
    let symbol = r.get(c.symbol);
    let mut e = ctx.fill(ctx.account(account), symbol, side, quantity, price, time);
    e.effect = effect;
    // Schwab prints fees as a positive cost.
    e.fees = ctx.num_or_zero("fees & comm", r.get(c.fees))?;
    if let Some(o) = parse_option_symbol(symbol) {
        e.instrument = Instrument::Option;
        e.multiplier = o.multiplier.unwrap_or(rust_decimal::Decimal::ONE_HUNDRED);
        e.symbol = o.terms.underlying.clone();
        e.option = Some(o.terms);
    }
    Ok(Some(e))
}
