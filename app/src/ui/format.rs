//! Number formatting for people: money with separators, percentages, compact prices.

/// 1234.5 → "1,234.50"; negative numbers get a leading minus.
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let cents = (x.abs() * 100.0).round() as u64;
    let (units, frac) = (cents / 100, cents % 100);
    let digits = units.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}{grouped}.{frac:02}")
}

/// A signed amount with an explicit + for gains.
pub fn signed_money(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", money(x))
    } else {
        money(x)
    }
}

pub fn percent(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    format!("{:.*}%", decimals, x * 100.0)
}

/// A price with precision that suits its size.
pub fn price(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    match x.abs() {
        a if a >= 1000.0 => format!("{x:.0}"),
        a if a >= 1.0 => format!("{x:.2}"),
        _ => format!("{x:.4}"),
    }
}

/// A number for an input box: no trailing zeros, no exponent for ordinary values.
pub fn input(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_and_rounds() {
        assert_eq!(money(1234.5), "1,234.50");
        assert_eq!(money(-1234567.891), "-1,234,567.89");
        assert_eq!(money(0.004), "0.00");
        assert_eq!(money(-0.004), "0.00");
        assert_eq!(money(999.999), "1,000.00");
        assert_eq!(signed_money(12.0), "+12.00");
        assert_eq!(money(f64::NAN), "—");
    }

    #[test]
    fn inputs_drop_trailing_zeros() {
        assert_eq!(input(25.0), "25");
        assert_eq!(input(0.25), "0.25");
        assert_eq!(input(187.5), "187.5");
        assert_eq!(percent(0.2534, 1), "25.3%");
        assert_eq!(price(0.01234), "0.0123");
    }
}
