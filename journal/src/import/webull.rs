//! Webull order history CSV (stocks and options exports): `Name, Symbol, Side, Status,
//! Filled, Total Qty, Price, Avg Price, Time-in-Force, Placed Time, Filled Time`, times like
//! `03/04/2024 09:30:15 EST` (the zone word is honoured). One row per order: filled and
//! partially filled orders become one fill of their filled quantity at the average price;
//! cancelled, rejected and working orders are skipped. Webull prints no fees.

use rust_decimal::Decimal;

use super::csvtext::{self, quoted, Columns, Record};
use super::optsym::parse_option_symbol;
use super::sink::{flat_table, side_word, Ctx, RowResult, Sink};
use super::ImportError;
use crate::model::Instrument;

const REQUIRED: csvtext::Required<'static> = &[
    ("Symbol", &["Symbol"]),
    ("Side", &["Side"]),
    ("Status", &["Status"]),
    ("Filled", &["Filled"]),
    ("Avg Price", &["Avg Price"]),
    ("Filled Time", &["Filled Time"]),
];

struct Cols {
    name: Option<usize>,
    symbol: Option<usize>,
    side: Option<usize>,
    status: Option<usize>,
    filled: Option<usize>,
    price: Option<usize>,
    average: Option<usize>,
    time: Option<usize>,
}

pub(crate) fn parse(text: &str, ctx: &Ctx<'_>) -> Result<Sink, ImportError> {
    flat_table(
        ctx,
        text,
        REQUIRED,
        |c: &Columns| Cols {
            name: c.find(&["Name"]),
            symbol: c.find(&["Symbol"]),
            side: c.find(&["Side"]),
            status: c.find(&["Status"]),
            filled: c.find(&["Filled"]),
            price: c.find(&["Price"]),
            average: c.find(&["Avg Price"]),
            time: c.find(&["Filled Time"]),
        },
        |r, c| row(r, c, ctx),
    )
}

fn row(r: &Record, c: &Cols, ctx: &Ctx<'_>) -> RowResult {
    let status = r.get(c.status).to_ascii_lowercase();
    if !matches!(
        status.as_str(),
        "filled" | "partially filled" | "partial filled"
    ) {
        return Ok(None);
    }
    let side_cell = r.get(c.side);
    let (side, effect) = side_word(side_cell)
        .ok_or_else(|| format!("side {} is not Buy, Sell or Short", quoted(side_cell)))?;
    let quantity = ctx.num("filled quantity", r.get(c.filled))?.abs();
    let price = match ctx.opt_num("avg price", r.get(c.average))? {
        Some(p) => p,
        None => ctx.num("price", r.get(c.price))?,
    };
    let time = ctx.time("filled time", r.get(c.time))?;
    let symbol = r.get(c.symbol);
    let mut e = ctx.fill(ctx.account(""), symbol, side, quantity, price, time);
    e.effect = effect;
    if let Some(o) = parse_option_symbol(symbol).or_else(|| parse_option_symbol(r.get(c.name))) {
        e.instrument = Instrument::Option;
        e.multiplier = o.multiplier.unwrap_or(Decimal::ONE_HUNDRED);
        e.symbol = o.terms.underlying.clone();
        e.option = Some(o.terms);
    }
    Ok(Some(e))
}
