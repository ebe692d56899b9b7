//! Tastytrade transactions CSV: `Date, Type, Sub Type, Action, Symbol, Instrument Type,
//! Description, Value, Quantity, Average Price, Commissions, Fees, Multiplier, Root Symbol,
//! Underlying Symbol, Expiration Date, Strike Price, Call or Put, Order #, [Total,] Currency`.
//! Times carry their offset (`2024-03-04T09:30:15-0500`). `Trade` rows are fills, and so are
//! `Receive Deliver` expirations, assignments and exercises (they close positions at their
//! price, 0 for an expiry); money movements are skipped.

use rust_decimal::Decimal;

use super::csvtext::{self, quoted, Columns, Record};
use super::optsym::parse_option_symbol;
use super::sink::{flat_table, side_word, sum, Ctx, RowResult, Sink};
use super::ImportError;
use crate::model::Instrument;

const REQUIRED: csvtext::Required<'static> = &[
    ("Date", &["Date"]),
    ("Type", &["Type"]),
    ("Action", &["Action"]),
    ("Symbol", &["Symbol"]),
    ("Instrument Type", &["Instrument Type"]),
    ("Quantity", &["Quantity"]),
    ("Average Price", &["Average Price"]),
];

struct Cols {
    date: Option<usize>,
    kind: Option<usize>,
    sub_type: Option<usize>,
    action: Option<usize>,
    symbol: Option<usize>,
    instrument: Option<usize>,
    description: Option<usize>,
    qty: Option<usize>,
    average: Option<usize>,
    commissions: Option<usize>,
    fees: Option<usize>,
    multiplier: Option<usize>,
    underlying: Option<usize>,
    root: Option<usize>,
    expiry: Option<usize>,
    strike: Option<usize>,
    right: Option<usize>,
    order: Option<usize>,
}

pub(crate) fn parse(text: &str, ctx: &Ctx<'_>) -> Result<Sink, ImportError> {
    flat_table(
        ctx,
        text,
        REQUIRED,
        |c: &Columns| Cols {
            date: c.find(&["Date"]),
            kind: c.find(&["Type"]),
            sub_type: c.find(&["Sub Type"]),
            action: c.find(&["Action"]),
            symbol: c.find(&["Symbol"]),
            instrument: c.find(&["Instrument Type"]),
            description: c.find(&["Description"]),
            qty: c.find(&["Quantity"]),
            average: c.find(&["Average Price"]),
            commissions: c.find(&["Commissions"]),
            fees: c.find(&["Fees"]),
            multiplier: c.find(&["Multiplier"]),
            underlying: c.find(&["Underlying Symbol"]),
            root: c.find(&["Root Symbol"]),
            expiry: c.find(&["Expiration Date"]),
            strike: c.find(&["Strike Price"]),
            right: c.find(&["Call or Put"]),
            order: c.find(&["Order #"]),
        },
        |r, c| row(r, c, ctx),
    )
}

/// Whether a row moved a position: trades, and deliveries that close or open one.
fn is_fill(kind: &str, sub_type: &str, action: &str) -> bool {
    match kind.to_ascii_lowercase().as_str() {
        "trade" => true,
        "receive deliver" => {
            !action.is_empty()
                && matches!(
                    sub_type.to_ascii_lowercase().as_str(),
                    "expiration"
                        | "assignment"
                        | "exercise"
                        | "cash settled assignment"
                        | "cash settled exercise"
                )
        }
        _ => false,
    }
}

fn row(r: &Record, c: &Cols, ctx: &Ctx<'_>) -> RowResult {
    let action = r.get(c.action);
    if !is_fill(r.get(c.kind), r.get(c.sub_type), action) {
        return Ok(None);
    }
    let (side, effect) = side_word(action)
        .ok_or_else(|| format!("action {} is not a buy or sell", quoted(action)))?;
    let time = ctx.time("date", r.get(c.date))?;
    let quantity = ctx.num("quantity", r.get(c.qty))?.abs();
    let kind = r.get(c.instrument);
    let instrument = match kind.to_ascii_lowercase().as_str() {
        "equity" => Instrument::Equity,
        "equity option" | "future option" | "index option" => Instrument::Option,
        "future" => Instrument::Future,
        "cryptocurrency" | "crypto" => Instrument::Crypto,
        _ => return Err(format!("instrument type {} is not supported", quoted(kind))),
    };
    let multiplier = match ctx.opt_num("multiplier", r.get(c.multiplier))? {
        Some(m) if !m.is_zero() => m,
        _ if instrument == Instrument::Option => Decimal::ONE_HUNDRED,
        _ if instrument == Instrument::Future => {
            return Err(format!(
                "future {} has no multiplier",
                quoted(r.get(c.symbol))
            ))
        }
        _ => Decimal::ONE,
    };
    let price = price(r, c, ctx, instrument, multiplier)?;
    let mut e = ctx.fill(
        ctx.account(""),
        r.get(c.symbol),
        side,
        quantity,
        price,
        time,
    );
    e.instrument = instrument;
    e.effect = effect;
    e.multiplier = multiplier;
    // Both columns are printed negative when charged.
    e.fees = -sum(&[
        ctx.num_or_zero("commissions", r.get(c.commissions))?,
        ctx.num_or_zero("fees", r.get(c.fees))?,
    ])?;
    e.order_id = Some(r.get(c.order))
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if instrument == Instrument::Option {
        let underlying = match r.get(c.underlying) {
            "" => r.get(c.root),
            u => u,
        };
        let terms =
            match ctx.option_terms(underlying, r.get(c.expiry), r.get(c.strike), r.get(c.right))? {
                Some(t) => t,
                None => parse_option_symbol(r.get(c.symbol))
                    .map(|p| p.terms)
                    .ok_or_else(|| {
                        format!(
                            "option {} has no expiry/strike/right",
                            quoted(r.get(c.symbol))
                        )
                    })?,
            };
        e.symbol = terms.underlying.clone();
        e.option = Some(terms);
    }
    Ok(Some(e))
}

/// The fill price per share or contract unit. The description states it
/// (`Bought 2 UAL 04/17/26 Call 110.00 @ 0.62`); otherwise Average Price, which is signed
/// (negative for buys) and, for options, per contract (× multiplier).
fn price(
    r: &Record,
    c: &Cols,
    ctx: &Ctx<'_>,
    instrument: Instrument,
    multiplier: Decimal,
) -> Result<Decimal, String> {
    let stated = r
        .get(c.description)
        .rsplit_once(" @ ")
        .and_then(|(_, p)| csvtext::number(p, ctx.nums).ok().flatten());
    if let Some(p) = stated {
        return Ok(p.abs());
    }
    let average = ctx.num("average price", r.get(c.average))?.abs();
    if instrument == Instrument::Option {
        average.checked_div(multiplier).ok_or_else(|| {
            format!("average price {average} cannot be divided by multiplier {multiplier}")
        })
    } else {
        Ok(average)
    }
}
