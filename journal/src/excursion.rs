//! Maximum adverse and favourable excursion (MAE / MFE) of a trade: how far the price went
//! against it and in its favour while it was open, in money (quantity × multiplier), from
//! the highs and lows of the bars it spanned.
//!
//! Bar prices are market measurements (`f64`); each is read as the shortest decimal that
//! round-trips (10.1 stays 10.1), so the amounts are exact decimal arithmetic on what the
//! bars say. With bars coarser than the trade (daily bars for an hour's trade), the whole
//! bars count, so the excursions are upper bounds; callers say which interval they used.

use rust_decimal::Decimal;

/// The excursions of one trade; `mae <= 0 <= mfe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Excursion {
    /// Worst open P&L (0 if the price never went against the entry).
    pub mae: Decimal,
    /// Best open P&L (0 if it never went beyond the entry in the trade's favour).
    pub mfe: Decimal,
    /// The most adverse price touched (the lowest low of a long, the highest high of a short).
    pub worst_price: Decimal,
    /// The most favourable price touched.
    pub best_price: Decimal,
}

/// MAE and MFE from the `(high, low)` of each bar the trade spanned; `None` without bars
/// or with a price that is not a positive finite number.
pub fn excursion(
    long: bool,
    entry: Decimal,
    quantity: Decimal,
    multiplier: Decimal,
    ranges: impl IntoIterator<Item = (f64, f64)>,
) -> Option<Excursion> {
    let (mut high, mut low) = (f64::NEG_INFINITY, f64::INFINITY);
    for (h, l) in ranges {
        if !(h.is_finite() && l.is_finite() && h > 0.0 && l > 0.0) {
            return None;
        }
        high = high.max(h);
        low = low.min(l);
    }
    let (high, low) = (shortest_decimal(high)?, shortest_decimal(low)?);
    let size = quantity.abs() * multiplier;
    let (worst, best) = if long { (low, high) } else { (high, low) };
    let sign = if long { Decimal::ONE } else { -Decimal::ONE };
    Some(Excursion {
        mae: ((worst - entry) * sign * size).min(Decimal::ZERO),
        mfe: ((best - entry) * sign * size).max(Decimal::ZERO),
        worst_price: worst,
        best_price: best,
    })
}

/// The shortest decimal that reads back as `x` (10.1 stays 10.1, not 10.0999…), for
/// measured prices entering decimal arithmetic; `None` when `x` is not finite or too large.
pub fn shortest_decimal(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    format!("{x}")
        .parse::<Decimal>()
        .ok()
        .map(|d| d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn long_and_short_excursions_in_money() {
        // The 5 bars of the API test: highs 11, 12, 11.8, 11.2, 10.9; lows 9.5, 10, 10.8, 10.1, 10.
        let bars = [
            (11.0, 9.5),
            (12.0, 10.0),
            (11.8, 10.8),
            (11.2, 10.1),
            (10.9, 10.0),
        ];
        let long = excursion(true, dec!(10.5), dec!(100), dec!(1), bars).unwrap();
        assert_eq!(long.mae, dec!(-100.0));
        assert_eq!(long.mfe, dec!(150.0));
        assert_eq!((long.worst_price, long.best_price), (dec!(9.5), dec!(12)));
        // A short of 2 futures with a 50 multiplier, sold at 11.5.
        let short = excursion(false, dec!(11.5), dec!(-2), dec!(50), bars).unwrap();
        assert_eq!(short.mae, dec!(-50.0));
        assert_eq!(short.mfe, dec!(200.0));
        // Decimal, not binary: 10.1 - 10 is exactly 0.1 a share.
        let e = excursion(true, dec!(10), dec!(3), dec!(1), [(10.1, 10.0)]).unwrap();
        assert_eq!(e.mfe, dec!(0.3));
        assert_eq!(e.mae, Decimal::ZERO);
    }

    #[test]
    fn no_bars_or_bad_prices_give_nothing() {
        assert_eq!(excursion(true, dec!(1), dec!(1), dec!(1), []), None);
        assert_eq!(
            excursion(true, dec!(1), dec!(1), dec!(1), [(f64::NAN, 1.0)]),
            None
        );
        assert_eq!(
            excursion(true, dec!(1), dec!(1), dec!(1), [(2.0, 0.0)]),
            None
        );
    }
}
