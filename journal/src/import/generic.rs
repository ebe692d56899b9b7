//! The generic CSV (Tradervue's generic import): `Date, Time, Symbol, Quantity, Price, Side`
//! with optional `Commission, TransFee, ECNFee`. Side is Buy/Sell/Short/Cover (or absent,
//! the quantity's sign then decides). Refract extends it with optional `Account, Broker,
//! Instrument, Underlying, Expiry, Strike, Right, Multiplier, ExecId, OrderId, Effect,
//! Timezone` columns so that [`write_generic`] output reads back to the same executions.

use std::str::FromStr;

use chrono_tz::Tz;
use rust_decimal::Decimal;

use super::csvtext::{self, quoted, Columns, Record};
use super::datetime::parse_stamp;
use super::optsym::parse_option_symbol;
use super::sink::{effect_word, flat_table, side_word, signed, sum, Ctx, RowResult, Sink};
use super::ImportError;
use crate::model::{Effect, Execution, Instrument};

const REQUIRED: csvtext::Required<'static> = &[
    ("Date", &["Date", "Date/Time", "DateTime"]),
    ("Symbol", &["Symbol"]),
    ("Quantity", &["Quantity", "Qty"]),
    ("Price", &["Price"]),
];

const HEADER: [&str; 19] = [
    "Date",
    "Time",
    "Timezone",
    "Account",
    "Broker",
    "Symbol",
    "Instrument",
    "Underlying",
    "Expiry",
    "Strike",
    "Right",
    "Multiplier",
    "Side",
    "Effect",
    "Quantity",
    "Price",
    "Commission",
    "ExecId",
    "OrderId",
];

struct Cols {
    date: Option<usize>,
    time: Option<usize>,
    timezone: Option<usize>,
    account: Option<usize>,
    broker: Option<usize>,
    symbol: Option<usize>,
    instrument: Option<usize>,
    underlying: Option<usize>,
    expiry: Option<usize>,
    strike: Option<usize>,
    right: Option<usize>,
    multiplier: Option<usize>,
    side: Option<usize>,
    effect: Option<usize>,
    qty: Option<usize>,
    price: Option<usize>,
    fees: [Option<usize>; 4],
    exec_id: Option<usize>,
    order_id: Option<usize>,
}

impl Cols {
    fn new(c: &Columns) -> Self {
        Cols {
            date: c.find(&["Date", "Date/Time", "DateTime"]),
            time: c.find(&["Time"]),
            timezone: c.find(&["Timezone", "TZ"]),
            account: c.find(&["Account"]),
            broker: c.find(&["Broker"]),
            symbol: c.find(&["Symbol"]),
            instrument: c.find(&["Instrument", "Asset Class"]),
            underlying: c.find(&["Underlying"]),
            expiry: c.find(&["Expiry", "Expiration"]),
            strike: c.find(&["Strike"]),
            right: c.find(&["Right", "Put/Call"]),
            multiplier: c.find(&["Multiplier"]),
            side: c.find(&["Side"]),
            effect: c.find(&["Effect", "Open/Close"]),
            qty: c.find(&["Quantity", "Qty"]),
            price: c.find(&["Price"]),
            fees: [
                c.find(&["Commission"]),
                c.find(&["TransFee"]),
                c.find(&["ECNFee"]),
                c.find(&["Fees", "Fee"]),
            ],
            exec_id: c.find(&["ExecId", "Exec Id", "Execution Id"]),
            order_id: c.find(&["OrderId", "Order Id"]),
        }
    }
}

pub(crate) fn parse(text: &str, ctx: &Ctx<'_>) -> Result<Sink, ImportError> {
    flat_table(ctx, text, REQUIRED, Cols::new, |r, c| row(r, c, ctx))
}

fn row(r: &Record, c: &Cols, ctx: &Ctx<'_>) -> RowResult {
    let date = r.get(c.date);
    if date.is_empty() {
        return Err("date is empty".into());
    }
    let stamp_text = match r.get(c.time) {
        "" => date.to_owned(),
        t => format!("{date} {t}"),
    };
    let stamp = parse_stamp(&stamp_text)
        .ok_or_else(|| format!("date/time {} is not a date/time", quoted(&stamp_text)))?;
    let time = match r.get(c.timezone) {
        "" => ctx.utc(stamp)?,
        z => stamp
            .to_utc(Tz::from_str(z).map_err(|_| format!("timezone {} is not known", quoted(z)))?)?,
    };
    let signed_qty = ctx.num("quantity", r.get(c.qty))?;
    let (side, side_effect) = match r.get(c.side) {
        "" => (signed(signed_qty)?.0, Effect::Unknown),
        s => side_word(s)
            .ok_or_else(|| format!("side {} is not Buy, Sell, Short or Cover", quoted(s)))?,
    };
    let price = ctx.num("price", r.get(c.price))?;
    let fee_parts = c
        .fees
        .iter()
        .map(|f| ctx.num_or_zero("commission", r.get(*f)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut e = ctx.fill(
        ctx.account(r.get(c.account)),
        r.get(c.symbol),
        side,
        signed_qty.abs(),
        price,
        time,
    );
    let broker = r.get(c.broker);
    if !broker.is_empty() {
        e.broker = broker.to_owned();
    }
    e.fees = sum(&fee_parts)?;
    e.effect = match r.get(c.effect) {
        "" => side_effect,
        s => effect_word(s),
    };
    e.exec_id = Some(r.get(c.exec_id))
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    e.order_id = Some(r.get(c.order_id))
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    instrument(r, c, ctx, &mut e)?;
    Ok(Some(e))
}

/// Sets instrument, option terms and multiplier from the Instrument/option columns, or from
/// an option symbol in Symbol.
fn instrument(r: &Record, c: &Cols, ctx: &Ctx<'_>, e: &mut Execution) -> Result<(), String> {
    let stated = match r.get(c.instrument) {
        "" => None,
        s => Some(
            Instrument::parse(s).ok_or_else(|| format!("instrument {} is not known", quoted(s)))?,
        ),
    };
    let underlying = match r.get(c.underlying) {
        "" => r.get(c.symbol),
        u => u,
    };
    let columns = if stated.is_none_or(|i| i == Instrument::Option)
        && [c.expiry, c.strike, c.right]
            .iter()
            .any(|col| !r.get(*col).is_empty())
    {
        ctx.option_terms(underlying, r.get(c.expiry), r.get(c.strike), r.get(c.right))?
    } else {
        None
    };
    let parsed = match (&columns, stated) {
        (None, None | Some(Instrument::Option)) => parse_option_symbol(r.get(c.symbol)),
        _ => None,
    };
    let multiplier = ctx.opt_num("multiplier", r.get(c.multiplier))?;
    e.instrument = stated.unwrap_or(if columns.is_some() || parsed.is_some() {
        Instrument::Option
    } else {
        Instrument::Equity
    });
    if let Some(terms) = columns {
        e.option = Some(terms);
    } else if let Some(p) = parsed {
        // A bare option symbol names the contract; the row is filed under its underlying.
        e.symbol = p.terms.underlying.clone();
        e.option = Some(p.terms);
        e.multiplier = p.multiplier.unwrap_or(Decimal::ONE_HUNDRED);
    } else if e.instrument == Instrument::Option {
        return Err(format!(
            "option {} has no expiry/strike/right",
            quoted(&e.symbol)
        ));
    }
    e.multiplier = match multiplier {
        Some(m) => m,
        None if e.option.is_some() && e.multiplier == Decimal::ONE => Decimal::ONE_HUNDRED,
        None => e.multiplier,
    };
    Ok(())
}

/// Writes executions as a generic CSV that [`super::parse`] reads back to equal executions:
/// times in UTC (with the `Timezone` column saying so, to the nanosecond), every field in a
/// column of its own.
pub fn write_generic(execs: &[Execution]) -> String {
    let mut out = HEADER.join(",");
    out.push('\n');
    for e in execs {
        let option = e.option.as_ref();
        let fields = [
            e.time.format("%Y-%m-%d").to_string(),
            e.time.format("%H:%M:%S%.f").to_string(),
            "UTC".to_owned(),
            e.account.clone(),
            e.broker.clone(),
            e.symbol.clone(),
            e.instrument.as_str().to_owned(),
            option.map(|o| o.underlying.clone()).unwrap_or_default(),
            option
                .map(|o| o.expiry.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            option.map(|o| o.strike.to_string()).unwrap_or_default(),
            option
                .map(|o| o.right.letter().to_string())
                .unwrap_or_default(),
            e.multiplier.to_string(),
            if e.side == crate::model::Side::Buy {
                "Buy"
            } else {
                "Sell"
            }
            .to_owned(),
            match e.effect {
                Effect::Unknown => String::new(),
                other => other.as_str().to_owned(),
            },
            e.quantity.to_string(),
            e.price.to_string(),
            e.fees.to_string(),
            e.exec_id.clone().unwrap_or_default(),
            e.order_id.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// Quotes a field when it holds a delimiter, quote, line break or edge blanks.
fn csv_field(s: &str) -> String {
    let needs = s.contains([',', ';', '"', '\n', '\r', '\t'])
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace);
    if needs {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}
