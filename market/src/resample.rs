//! Aggregation of bars into a coarser interval.

use crate::{Bar, Interval, MarketError};

/// Aggregates `bars` of interval `from` into bars of interval `to`.
///
/// `bars` must be sorted strictly ascending by `t`. Buckets are UTC: intraday ones are
/// `floor(t / duration)` (so 4h buckets start at 00:00, 04:00, … UTC), `1D` is the UTC
/// calendar date and `1W` the ISO week starting Monday 00:00 UTC. Each output bar has
/// `t` = bucket start (for weeks the Monday even when the first bar is later in the
/// week), open = first open, high = max high, low = min low, close = last close and
/// volume = sum of volumes. Empty buckets produce no bar. `from == to` re-buckets and
/// therefore also merges bars that share a bucket.
pub fn aggregate(bars: &[Bar], from: Interval, to: Interval) -> Result<Vec<Bar>, MarketError> {
    if !from.can_aggregate_to(to) {
        return Err(MarketError::CannotAggregate { from, to });
    }
    for (index, pair) in bars.windows(2).enumerate() {
        if pair[1].t <= pair[0].t {
            return Err(MarketError::Unsorted {
                index: index + 1,
                t: pair[1].t,
                prev: pair[0].t,
            });
        }
    }
    let mut out: Vec<Bar> = Vec::new();
    for bar in bars {
        let start = to.bucket_start(bar.t);
        match out.last_mut() {
            Some(cur) if cur.t == start => {
                cur.h = cur.h.max(bar.h);
                cur.l = cur.l.min(bar.l);
                cur.c = bar.c;
                cur.v += bar.v;
            }
            _ => out.push(Bar {
                t: start,
                o: bar.o,
                h: bar.h,
                l: bar.l,
                c: bar.c,
                v: bar.v,
            }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interval::{DAY_MS, HOUR_MS, MINUTE_MS};

    /// 2024-01-02 00:00 UTC (a Tuesday).
    const JAN2: i64 = 1_704_153_600_000;

    fn bar(t: i64, o: f64, h: f64, l: f64, c: f64, v: f64) -> Bar {
        Bar { t, o, h, l, c, v }
    }

    #[test]
    fn five_minute_to_fifteen() {
        let bars = [
            bar(JAN2, 10.0, 11.0, 9.5, 10.5, 100.0),
            bar(JAN2 + 5 * MINUTE_MS, 10.5, 12.0, 10.0, 11.0, 200.0),
            bar(JAN2 + 10 * MINUTE_MS, 11.0, 11.5, 9.0, 9.25, 50.0),
            bar(JAN2 + 15 * MINUTE_MS, 9.25, 9.75, 9.0, 9.5, 10.0),
        ];
        let out = aggregate(&bars, Interval::M5, Interval::M15).expect("aggregate");
        assert_eq!(
            out,
            vec![
                bar(JAN2, 10.0, 12.0, 9.0, 9.25, 350.0),
                bar(JAN2 + 15 * MINUTE_MS, 9.25, 9.75, 9.0, 9.5, 10.0),
            ]
        );
    }

    #[test]
    fn four_hour_buckets_align_to_utc_midnight() {
        // Hourly bars 02:00..06:00: 02:00 and 03:00 fall in the 00:00 bucket,
        // 04:00..06:00 in the 04:00 bucket.
        let bars: Vec<Bar> = (2..7)
            .map(|h| {
                let x = h as f64;
                bar(JAN2 + h * HOUR_MS, x, x + 1.0, x - 1.0, x + 0.5, x * 10.0)
            })
            .collect();
        let out = aggregate(&bars, Interval::H1, Interval::H4).expect("aggregate");
        assert_eq!(
            out,
            vec![
                bar(JAN2, 2.0, 4.0, 1.0, 3.5, 50.0),
                bar(JAN2 + 4 * HOUR_MS, 4.0, 7.0, 3.0, 6.5, 150.0),
            ]
        );
    }

    #[test]
    fn daily_by_utc_date() {
        let bars = [
            bar(JAN2 + 23 * HOUR_MS, 1.0, 2.0, 0.5, 1.5, 1.0),
            bar(JAN2 + 24 * HOUR_MS, 1.5, 1.8, 1.2, 1.6, 2.0),
            bar(JAN2 + 47 * HOUR_MS, 1.6, 3.0, 1.1, 2.5, 3.0),
        ];
        let out = aggregate(&bars, Interval::H1, Interval::D1).expect("aggregate");
        assert_eq!(
            out,
            vec![
                bar(JAN2, 1.0, 2.0, 0.5, 1.5, 1.0),
                bar(JAN2 + DAY_MS, 1.5, 3.0, 1.1, 2.5, 5.0),
            ]
        );
    }

    #[test]
    fn weekly_spanning_month_boundary_starts_on_monday() {
        // ISO week Monday 2024-01-29 .. Sunday 2024-02-04; data starts Tuesday 01-30.
        let mon = 1_706_486_400_000; // 2024-01-29 00:00 UTC
        let days = [
            (1, 100.0, 105.0, 99.0, 104.0, 1000.0),  // Tue 01-30
            (2, 104.0, 106.0, 101.0, 102.0, 1500.0), // Wed 01-31
            (3, 102.0, 103.0, 97.5, 98.0, 2000.0),   // Thu 02-01
            (4, 98.0, 101.0, 97.0, 100.5, 1200.0),   // Fri 02-02
            (7, 100.5, 108.0, 100.0, 107.0, 900.0),  // Mon 02-05: next week
        ];
        let bars: Vec<Bar> = days
            .iter()
            .map(|&(d, o, h, l, c, v)| bar(mon + d * DAY_MS, o, h, l, c, v))
            .collect();
        let out = aggregate(&bars, Interval::D1, Interval::W1).expect("aggregate");
        assert_eq!(
            out,
            vec![
                bar(mon, 100.0, 106.0, 97.0, 100.5, 5700.0),
                bar(mon + 7 * DAY_MS, 100.5, 108.0, 100.0, 107.0, 900.0),
            ]
        );
    }

    #[test]
    fn sunday_belongs_to_the_previous_monday() {
        let sun = 1_706_400_000_000; // Sunday 2024-01-28 00:00 UTC
        let out = aggregate(
            &[bar(sun, 1.0, 1.0, 1.0, 1.0, 0.0)],
            Interval::D1,
            Interval::W1,
        )
        .expect("aggregate");
        assert_eq!(out[0].t, sun - 6 * DAY_MS);
    }

    #[test]
    fn empty_and_identity() {
        assert_eq!(aggregate(&[], Interval::M1, Interval::W1), Ok(vec![]));
        let bars = [bar(JAN2, 1.0, 2.0, 0.5, 1.5, 3.0)];
        assert_eq!(
            aggregate(&bars, Interval::D1, Interval::D1),
            Ok(bars.to_vec())
        );
    }

    #[test]
    fn rejects_finer_target() {
        let err = aggregate(&[], Interval::D1, Interval::H1).expect_err("finer");
        assert_eq!(
            err.to_string(),
            "cannot aggregate 1D bars to 1h: the target interval must be the same as or coarser than the source"
        );
    }

    #[test]
    fn rejects_unsorted_and_duplicates() {
        let a = bar(JAN2, 1.0, 1.0, 1.0, 1.0, 1.0);
        let b = bar(JAN2 + MINUTE_MS, 1.0, 1.0, 1.0, 1.0, 1.0);
        assert_eq!(
            aggregate(&[b, a], Interval::M1, Interval::M5),
            Err(MarketError::Unsorted {
                index: 1,
                t: JAN2,
                prev: JAN2 + MINUTE_MS
            })
        );
        assert!(matches!(
            aggregate(&[a, b, b], Interval::M1, Interval::M5),
            Err(MarketError::Unsorted { index: 2, .. })
        ));
    }
}
