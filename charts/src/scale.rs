//! Axis arithmetic: rounded value ticks, number formats and calendar-aware
//! time ticks over bar indices.

use chrono::{DateTime, Datelike, Timelike};

/// Rounded ticks covering `[lo, hi]`: a step of 1, 2 or 5 × 10^k giving
/// the nearest to `target` ticks. Returns the step's decimals and the tick values
/// inside the range.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, usize) {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return (Vec::new(), 0);
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let exp = raw.log10().floor();
    let base = 10f64.powf(exp);
    let m = raw / base;
    // The nearest of 1, 2, 5, 10 on a log scale.
    let mult = if m < std::f64::consts::SQRT_2 {
        1.0
    } else if m < 10f64.sqrt() {
        2.0
    } else if m < 50f64.sqrt() {
        5.0
    } else {
        10.0
    };
    let step = mult * base;
    let decimals = if step >= 1.0 {
        0
    } else {
        (-(step.log10().floor())).max(0.0) as usize
    };
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let ticks = (first..=last)
        .take(1000)
        .map(|k| {
            let v = k as f64 * step;
            // Avoid "-0.00" and representation noise.
            if v.abs() < step * 1e-9 {
                0.0
            } else {
                v
            }
        })
        .collect();
    (ticks, decimals)
}

/// Decimals used for prices around `magnitude`: 2 from 1 up (and for 0),
/// 4 from 0.01, 6 below.
pub fn price_decimals(magnitude: f64) -> usize {
    let m = magnitude.abs();
    if m >= 1.0 || m == 0.0 || !m.is_finite() {
        2
    } else if m >= 0.01 {
        4
    } else {
        6
    }
}

/// `value` with `decimals` decimals and thousands separators (`12,345.60`).
pub fn format_number(value: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::with_capacity(s.len() + 4);
    if value < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    let n = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A large quantity in short form: `950`, `12.5K`, `3.40M`, `1.2B`.
pub fn format_compact(value: f64) -> String {
    let a = value.abs();
    let sign = if value < 0.0 { "-" } else { "" };
    let (v, suffix) = if a >= 1e12 {
        (a / 1e12, "T")
    } else if a >= 1e9 {
        (a / 1e9, "B")
    } else if a >= 1e6 {
        (a / 1e6, "M")
    } else if a >= 1e3 {
        (a / 1e3, "K")
    } else {
        return format!("{sign}{}", trim_zeros(&format!("{a:.2}")));
    };
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{sign}{}{suffix}", trim_zeros(&format!("{v:.digits$}")))
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s.to_owned()
    }
}

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Calendar units the time axis can tick on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Minutes(i64),
    Days(i64),
    Week,
    Months(i32),
    Years(i32),
}

const UNITS: &[Unit] = &[
    Unit::Minutes(1),
    Unit::Minutes(5),
    Unit::Minutes(15),
    Unit::Minutes(30),
    Unit::Minutes(60),
    Unit::Minutes(120),
    Unit::Minutes(240),
    Unit::Days(1),
    Unit::Week,
    Unit::Months(1),
    Unit::Months(3),
    Unit::Months(6),
    Unit::Years(1),
    Unit::Years(2),
    Unit::Years(5),
    Unit::Years(10),
    Unit::Years(25),
    Unit::Years(100),
];

impl Unit {
    fn approx_ms(self) -> i64 {
        match self {
            Unit::Minutes(m) => m * MINUTE,
            Unit::Days(d) => d * DAY,
            Unit::Week => 7 * DAY,
            Unit::Months(m) => i64::from(m) * 30 * DAY,
            Unit::Years(y) => i64::from(y) * 365 * DAY,
        }
    }

    /// Which bucket of this unit local time `t` (ms) falls in.
    fn bucket(self, t: i64) -> i64 {
        match self {
            Unit::Minutes(m) => t.div_euclid(m * MINUTE),
            Unit::Days(d) => t.div_euclid(d * DAY),
            // 1970-01-01 was a Thursday: shift so weeks start on Monday.
            Unit::Week => (t.div_euclid(DAY) + 3).div_euclid(7),
            Unit::Months(m) => {
                let d = date(t);
                (i64::from(d.year()) * 12 + i64::from(d.month0())).div_euclid(i64::from(m))
            }
            Unit::Years(y) => i64::from(date(t).year()).div_euclid(i64::from(y)),
        }
    }
}

fn date(t: i64) -> DateTime<chrono::Utc> {
    DateTime::from_timestamp_millis(t).unwrap_or_default()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Labels such as `14:30`, `Jun 14`, `Jun`, `2013-06`, `2013`.
fn label(unit: Unit, t: i64, prev: Option<i64>, span_ms: i64) -> String {
    let d = date(t);
    let new_day = prev.is_none_or(|p| p.div_euclid(DAY) != t.div_euclid(DAY));
    let new_year = prev.is_none_or(|p| date(p).year() != d.year());
    match unit {
        Unit::Minutes(_) if !new_day => format!("{:02}:{:02}", d.hour(), d.minute()),
        Unit::Minutes(_) | Unit::Days(_) | Unit::Week => {
            format!("{} {}", MONTHS[d.month0() as usize], d.day())
        }
        Unit::Months(_) if span_ms >= 700 * DAY => format!("{}-{:02}", d.year(), d.month()),
        Unit::Months(_) if new_year => format!("{}", d.year()),
        Unit::Months(_) => MONTHS[d.month0() as usize].to_owned(),
        Unit::Years(_) => format!("{}", d.year()),
    }
}

/// Time-axis ticks for bars at times `times` (unix ms, ascending) shown at
/// UTC + `offset_minutes`: `(bar index, label)` for the first bar of each
/// calendar bucket, the bucket chosen so that about `max_labels` fit.
pub fn time_ticks(times: &[i64], max_labels: usize, offset_minutes: i32) -> Vec<(usize, String)> {
    let off = i64::from(offset_minutes) * MINUTE;
    let local: Vec<i64> = times.iter().map(|t| t.saturating_add(off)).collect();
    let (Some(&first), Some(&last)) = (local.first(), local.last()) else {
        return Vec::new();
    };
    let span = last.saturating_sub(first);
    let spacing = if local.len() > 1 {
        let mut gaps: Vec<i64> = local.windows(2).map(|w| w[1] - w[0]).collect();
        gaps.sort_unstable();
        gaps[gaps.len() / 2].max(1)
    } else {
        DAY
    };
    let max_labels = max_labels.max(1);
    let mut chosen = None;
    for &unit in UNITS {
        // Ticking finer than the bars are spaced labels every bar with a
        // meaningless time: daily bars are not ticked on hours.
        if (unit.approx_ms() as f64) * 1.2 < spacing as f64 {
            continue;
        }
        let count = local
            .windows(2)
            .filter(|w| unit.bucket(w[0]) != unit.bucket(w[1]))
            .count();
        if count <= max_labels {
            chosen = Some(unit);
            break;
        }
    }
    let unit = chosen.unwrap_or(Unit::Years(100));
    let mut ticks = Vec::new();
    let mut prev_tick: Option<i64> = None;
    for i in 1..local.len() {
        if unit.bucket(local[i - 1]) != unit.bucket(local[i]) {
            let prev = prev_tick.or(Some(local[i - 1]));
            ticks.push((i, label(unit, local[i], prev, span)));
            prev_tick = Some(local[i]);
        }
    }
    if ticks.is_empty() {
        // One bucket only (a single bar, one session): label the first bar.
        let unit = if spacing < DAY {
            Unit::Minutes(1)
        } else {
            Unit::Days(1)
        };
        let prev = if spacing < DAY { Some(first) } else { None };
        ticks.push((0, label(unit, first, prev, span)));
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        let (t, d) = nice_ticks(101.3, 118.9, 6);
        assert_eq!(
            t,
            vec![102.0, 104.0, 106.0, 108.0, 110.0, 112.0, 114.0, 116.0, 118.0]
        );
        assert_eq!(d, 0);
        let (t, d) = nice_ticks(0.1234, 0.1301, 5);
        assert_eq!(d, 3);
        assert!(t
            .iter()
            .all(|v| (v * 1000.0 - (v * 1000.0).round()).abs() < 1e-6));
        assert!(nice_ticks(1.0, 1.0, 5).0.is_empty());
    }

    #[test]
    fn numbers_format() {
        assert_eq!(format_number(12345.6, 2), "12,345.60");
        assert_eq!(format_number(-0.001, 2), "0.00");
        assert_eq!(format_number(-1234.0, 0), "-1,234");
        assert_eq!(format_compact(12_500.0), "12.5K");
        assert_eq!(format_compact(3_400_000.0), "3.4M");
        assert_eq!(format_compact(950.0), "950");
        assert_eq!(format_compact(-2_000_000_000.0), "-2B");
    }

    fn daily(start: i64, n: usize) -> Vec<i64> {
        // Weekdays only.
        let mut t = start;
        let mut out = Vec::new();
        while out.len() < n {
            let dow = (t.div_euclid(DAY) + 3).rem_euclid(7); // 0 = Monday
            if dow < 5 {
                out.push(t);
            }
            t += DAY;
        }
        out
    }

    #[test]
    fn multi_year_daily_uses_year_month() {
        let t0 = 1_370_044_800_000; // 2013-06-01
        let times = daily(t0, 1500);
        let ticks = time_ticks(&times, 14, 0);
        assert!(ticks.len() <= 14 && ticks.len() >= 4, "{ticks:?}");
        assert!(ticks
            .iter()
            .all(|(_, l)| l.len() == 7 && l.as_bytes()[4] == b'-'));
        assert!(ticks.iter().any(|(_, l)| l.starts_with("2014-")));
    }

    #[test]
    fn months_of_daily_use_month_day() {
        let t0 = 1_370_044_800_000; // 2013-06-01
        let times = daily(t0, 60);
        let ticks = time_ticks(&times, 12, 0);
        assert_eq!(ticks[0].1, "Jun 10");
    }

    #[test]
    fn intraday_uses_clock_times() {
        let t0 = 1_371_216_600_000; // 2013-06-14 13:30 UTC
        let times: Vec<i64> = (0..78).map(|i| t0 + i * 5 * MINUTE).collect();
        let ticks = time_ticks(&times, 8, 0);
        assert!(ticks.iter().any(|(_, l)| l == "14:00"), "{ticks:?}");
        // The same bars in New York time (UTC-4) start at 09:30.
        let ticks = time_ticks(&times, 8, -240);
        assert!(ticks.iter().any(|(_, l)| l == "10:00"), "{ticks:?}");
    }

    #[test]
    fn single_bar_gets_a_label() {
        let ticks = time_ticks(&[1_370_044_800_000], 10, 0);
        assert_eq!(ticks, vec![(0, "Jun 1".to_owned())]);
    }
}
