//! Robinhood account activity CSV: `Activity Date, Process Date, Settle Date, Instrument,
//! Description, Trans Code, Quantity, Price, Amount`, newest first, dates without times,
//! money as `$1,234.56` / `($1,234.56)`, stock descriptions spanning lines (`Apple\nCUSIP:
//! ...`), and a disclaimer row at the end. Only Buy/Sell/BTO/STC/STO/BTC rows are fills.
//!
//! The export has no fee column: fees are what the cash Amount differs from quantity ×
//! price × multiplier (regulatory fees on sales, option contract fees), never below zero.

use rust_decimal::Decimal;

use super::csvtext::{self, quoted, Columns, Record};
use super::datetime::{parse_date, Stamp, DATE_ONLY_TIME};
use super::optsym::parse_option_symbol;
use super::sink::{flat_table, side_word, Ctx, RowResult, Sink};
use super::ImportError;
use crate::model::{Instrument, Side};

const REQUIRED: csvtext::Required<'static> = &[
    ("Activity Date", &["Activity Date"]),
    ("Instrument", &["Instrument"]),
    ("Trans Code", &["Trans Code"]),
    ("Quantity", &["Quantity"]),
    ("Price", &["Price"]),
];

struct Cols {
    date: Option<usize>,
    instrument: Option<usize>,
    description: Option<usize>,
    code: Option<usize>,
    qty: Option<usize>,
    price: Option<usize>,
    amount: Option<usize>,
}

pub(crate) fn parse(text: &str, ctx: &Ctx<'_>) -> Result<Sink, ImportError> {
    flat_table(
        ctx,
        text,
        REQUIRED,
        |c: &Columns| Cols {
            date: c.find(&["Activity Date"]),
            instrument: c.find(&["Instrument"]),
            description: c.find(&["Description"]),
            code: c.find(&["Trans Code"]),
            qty: c.find(&["Quantity"]),
            price: c.find(&["Price"]),
            amount: c.find(&["Amount"]),
        },
        |r, c| row(r, c, ctx),
    )
}

fn row(r: &Record, c: &Cols, ctx: &Ctx<'_>) -> RowResult {
    let code = r.get(c.code);
    // CDIV, ACH, INT, GOLD, SPL, OEXP, OASGN...: cash, corporate actions, expirations.
    let Some((side, effect)) = (match code.to_ascii_uppercase().as_str() {
        "BUY" | "SELL" | "BTO" | "STC" | "STO" | "BTC" => side_word(code),
        _ => None,
    }) else {
        return Ok(None);
    };
    let date = r.get(c.date);
    let day =
        parse_date(date).ok_or_else(|| format!("activity date {} is not a date", quoted(date)))?;
    let time = ctx.utc(Stamp::Local(day.and_time(DATE_ONLY_TIME)))?;
    let quantity = ctx.num("quantity", r.get(c.qty))?.abs();
    let price = ctx.num("price", r.get(c.price))?.abs();
    let mut e = ctx.fill(
        ctx.account(""),
        r.get(c.instrument),
        side,
        quantity,
        price,
        time,
    );
    e.effect = effect;
    if let Some(o) = parse_option_symbol(r.get(c.description)) {
        e.instrument = Instrument::Option;
        e.multiplier = o.multiplier.unwrap_or(Decimal::ONE_HUNDRED);
        e.symbol = o.terms.underlying.clone();
        e.option = Some(o.terms);
    } else if matches!(
        code.to_ascii_uppercase().as_str(),
        "BTO" | "STC" | "STO" | "BTC"
    ) {
        return Err(format!(
            "option description {} is not recognised",
            quoted(r.get(c.description))
        ));
    }
    if let Some(amount) = ctx.opt_num("amount", r.get(c.amount))? {
        e.fees = implied_fees(side, amount, quantity, price, e.multiplier);
    }
    Ok(Some(e))
}

/// Cash paid beyond (buys) or withheld from (sells) the fill's notional.
fn implied_fees(
    side: Side,
    amount: Decimal,
    qty: Decimal,
    price: Decimal,
    multiplier: Decimal,
) -> Decimal {
    let Some(gross) = qty
        .checked_mul(price)
        .and_then(|g| g.checked_mul(multiplier))
    else {
        return Decimal::ZERO;
    };
    let fees = match side {
        Side::Buy => amount.abs().checked_sub(gross),
        Side::Sell => gross.checked_sub(amount),
    };
    fees.map(|f| f.round_dp(2))
        .filter(|f| *f > Decimal::ZERO)
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn fees_from_amount() {
        assert_eq!(
            implied_fees(Side::Buy, dec!(-69.13), dec!(3), dec!(0.23), dec!(100)),
            dec!(0.13)
        );
        assert_eq!(
            implied_fees(Side::Sell, dec!(59.86), dec!(3), dec!(0.20), dec!(100)),
            dec!(0.14)
        );
        assert_eq!(
            implied_fees(Side::Buy, dec!(-18740), dec!(100), dec!(187.40), dec!(1)),
            dec!(0)
        );
        // Rounding of fractional-share amounts never makes a rebate.
        assert_eq!(
            implied_fees(Side::Buy, dec!(-9.99), dec!(0.05), dec!(200), dec!(1)),
            dec!(0)
        );
    }
}
