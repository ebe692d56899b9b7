//! Value axes and time labels of the interactive chart: fitting a range to the visible
//! values, mapping values to pixels and back, and tick values a reader can take in.

use chrono::{DateTime, Datelike, Utc};

/// A linear value axis over `[lo, hi]`, drawn top (`hi`) to bottom (`lo`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
}

impl Scale {
    /// The range of `values` (non-finite ones skipped) with `pad` of it added above and
    /// below; a flat or empty range is widened so it still has a height.
    pub fn fit(values: impl IntoIterator<Item = f64>, pad: f64) -> Scale {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.into_iter().filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if lo > hi {
            return Scale { lo: 0.0, hi: 1.0 };
        }
        if hi - lo < f64::EPSILON * hi.abs().max(1.0) {
            let half = (hi.abs() * 0.01).max(0.5);
            return Scale {
                lo: lo - half,
                hi: hi + half,
            };
        }
        let extra = (hi - lo) * pad;
        Scale {
            lo: lo - extra,
            hi: hi + extra,
        }
    }

    /// The y of `v` in a pane whose top is `top` and height `height`.
    pub fn y(&self, v: f64, top: f64, height: f64) -> f64 {
        top + (self.hi - v) / (self.hi - self.lo) * height
    }

    /// The value at `y` in that pane.
    pub fn value_at(&self, y: f64, top: f64, height: f64) -> f64 {
        self.hi - (y - top) / height * (self.hi - self.lo)
    }

    /// Round tick values inside the range, about `target` of them (steps of 1, 2 or 5
    /// times a power of ten).
    pub fn ticks(&self, target: usize) -> Vec<f64> {
        let range = self.hi - self.lo;
        if !(range.is_finite() && range > 0.0) || target == 0 {
            return Vec::new();
        }
        let raw = range / target as f64;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        // Integer multiples, divided rather than multiplied for steps below 1 so that
        // 3 × 0.1 reads 0.3, not 0.30000000000000004.
        let at = |k: f64| {
            if step < 1.0 {
                k / (1.0 / step).round()
            } else {
                k * step
            }
        };
        let first = (self.lo / step - 1e-9).ceil();
        let mut out = Vec::new();
        let mut k = first;
        while at(k) <= self.hi + step * 1e-9 && out.len() < 100 {
            // + 0.0 turns -0.0 into 0.0 (a "-0.00" label otherwise).
            out.push(at(k) + 0.0);
            k += 1.0;
        }
        out
    }
}

/// Decimals that show a price's ticks apart: 2 for ordinary prices, more for small ones.
pub fn decimals_for(step_or_price: f64) -> usize {
    let v = step_or_price.abs();
    if v >= 1.0 || v == 0.0 || !v.is_finite() {
        2
    } else {
        ((-v.log10()).ceil() as usize + 2).min(8)
    }
}

/// Short human form of large numbers on volume and OBV axes: 1.2K, 3.4M, 5.6B.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    let (div, unit) = if a >= 1e9 {
        (1e9, "B")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e3 {
        (1e3, "K")
    } else {
        return format!("{v:.2}");
    };
    format!("{:.1}{unit}", v / div)
}

/// Label of the bar at `t_ms` on the time axis, given the previous labelled bar: the year
/// when it changes, else the month (daily and weekly bars) or the time of day (intraday),
/// with the day when the day changes.
pub fn time_label(t_ms: i64, prev_ms: Option<i64>, intraday: bool) -> String {
    let Some(t) = DateTime::<Utc>::from_timestamp_millis(t_ms) else {
        return String::new();
    };
    let prev = prev_ms.and_then(DateTime::<Utc>::from_timestamp_millis);
    match prev {
        Some(p) if p.year() != t.year() => t.format("%Y").to_string(),
        Some(p) if intraday && p.date_naive() == t.date_naive() => t.format("%H:%M").to_string(),
        Some(p) if !intraday && p.month() == t.month() => t.format("%b %-d").to_string(),
        _ if intraday => t.format("%b %-d").to_string(),
        _ => t.format("%b %Y").to_string(),
    }
}

/// The date (and time, intraday) of a bar in the readout.
pub fn readout_time(t_ms: i64, intraday: bool) -> String {
    DateTime::<Utc>::from_timestamp_millis(t_ms)
        .map(|t| {
            if intraday {
                t.format("%Y-%m-%d %H:%M UTC").to_string()
            } else {
                t.format("%Y-%m-%d").to_string()
            }
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_the_visible_range() {
        let s = Scale::fit([10.0, 20.0, f64::NAN, 15.0], 0.05);
        assert_eq!(s, Scale { lo: 9.5, hi: 20.5 });
        assert_eq!(Scale::fit([], 0.05), Scale { lo: 0.0, hi: 1.0 });
        let flat = Scale::fit([100.0, 100.0], 0.05);
        assert_eq!(
            flat,
            Scale {
                lo: 99.0,
                hi: 101.0
            }
        );
    }

    #[test]
    fn values_and_pixels_round_trip() {
        let s = Scale {
            lo: 100.0,
            hi: 200.0,
        };
        assert_eq!(s.y(200.0, 10.0, 400.0), 10.0);
        assert_eq!(s.y(100.0, 10.0, 400.0), 410.0);
        assert_eq!(s.y(150.0, 10.0, 400.0), 210.0);
        assert!((s.value_at(s.y(123.4, 10.0, 400.0), 10.0, 400.0) - 123.4).abs() < 1e-9);
    }

    #[test]
    fn ticks_are_round_numbers_inside_the_range() {
        let s = Scale {
            lo: 97.3,
            hi: 131.8,
        };
        assert_eq!(s.ticks(6), vec![100.0, 110.0, 120.0, 130.0]);
        assert_eq!(
            s.ticks(8),
            vec![100.0, 105.0, 110.0, 115.0, 120.0, 125.0, 130.0]
        );
        let small = Scale { lo: 0.12, hi: 0.58 };
        assert_eq!(small.ticks(5), vec![0.2, 0.3, 0.4, 0.5]);
        let rsi = Scale { lo: 0.0, hi: 100.0 };
        assert_eq!(rsi.ticks(4), vec![0.0, 50.0, 100.0]);
        assert!(Scale { lo: 1.0, hi: 1.0 }.ticks(5).is_empty());
        let macd = Scale { lo: -12.0, hi: 9.0 };
        assert_eq!(format!("{:.2}", macd.ticks(2)[0]), "0.00");
    }

    #[test]
    fn labels_say_what_changed() {
        let d = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis();
        assert_eq!(
            time_label(
                d("2012-01-03T00:00:00Z"),
                Some(d("2011-12-15T00:00:00Z")),
                false
            ),
            "2012"
        );
        assert_eq!(
            time_label(
                d("2012-03-01T00:00:00Z"),
                Some(d("2012-02-01T00:00:00Z")),
                false
            ),
            "Mar 2012"
        );
        assert_eq!(
            time_label(
                d("2012-03-15T00:00:00Z"),
                Some(d("2012-03-01T00:00:00Z")),
                false
            ),
            "Mar 15"
        );
        assert_eq!(
            time_label(
                d("2012-03-15T14:30:00Z"),
                Some(d("2012-03-15T10:00:00Z")),
                true
            ),
            "14:30"
        );
        assert_eq!(
            time_label(
                d("2012-03-16T09:30:00Z"),
                Some(d("2012-03-15T15:00:00Z")),
                true
            ),
            "Mar 16"
        );
        assert_eq!(
            time_label(d("2012-03-16T09:30:00Z"), None, false),
            "Mar 2012"
        );
        assert_eq!(readout_time(d("2012-03-16T09:30:00Z"), false), "2012-03-16");
        assert_eq!(
            readout_time(d("2012-03-16T09:30:00Z"), true),
            "2012-03-16 09:30 UTC"
        );
    }

    #[test]
    fn numbers_read_short() {
        assert_eq!(compact(21_634_000.0), "21.6M");
        assert_eq!(compact(-4_500.0), "-4.5K");
        assert_eq!(compact(2.5e9), "2.5B");
        assert_eq!(compact(12.0), "12.00");
        assert_eq!(decimals_for(702.1), 2);
        assert_eq!(decimals_for(0.05), 4);
    }
}
