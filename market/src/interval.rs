//! Chart intervals and their wire strings.

use std::fmt;
use std::str::FromStr;

/// One minute in milliseconds.
pub const MINUTE_MS: i64 = 60_000;
/// One hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;
/// One UTC day in milliseconds (unix time has no leap seconds).
pub const DAY_MS: i64 = 86_400_000;
/// One week in milliseconds.
pub const WEEK_MS: i64 = 7 * DAY_MS;

/// A bar interval. Wire strings: `"1m"`, `"5m"`, `"15m"`, `"1h"`, `"4h"`, `"1D"`, `"1W"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Interval {
    M1,
    M5,
    M15,
    H1,
    H4,
    D1,
    W1,
}

/// The error of [`Interval::from_str`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown interval {0:?}: expected one of 1m, 5m, 15m, 1h, 4h, 1D, 1W (1d and 1w are also accepted)")]
pub struct ParseIntervalError(pub String);

impl Interval {
    /// Every interval, finest first.
    pub const ALL: [Interval; 7] = [
        Interval::M1,
        Interval::M5,
        Interval::M15,
        Interval::H1,
        Interval::H4,
        Interval::D1,
        Interval::W1,
    ];

    /// The wire string.
    pub const fn as_str(self) -> &'static str {
        match self {
            Interval::M1 => "1m",
            Interval::M5 => "5m",
            Interval::M15 => "15m",
            Interval::H1 => "1h",
            Interval::H4 => "4h",
            Interval::D1 => "1D",
            Interval::W1 => "1W",
        }
    }

    /// The fixed length of an intraday interval; `None` for `1D` and `1W`, whose
    /// buckets are calendar days and ISO weeks.
    pub const fn duration_ms(self) -> Option<i64> {
        match self {
            Interval::M1 => Some(MINUTE_MS),
            Interval::M5 => Some(5 * MINUTE_MS),
            Interval::M15 => Some(15 * MINUTE_MS),
            Interval::H1 => Some(HOUR_MS),
            Interval::H4 => Some(4 * HOUR_MS),
            Interval::D1 | Interval::W1 => None,
        }
    }

    /// The nominal length of every interval, including `1D` (24 h) and `1W` (7 days);
    /// exact in UTC, which has no daylight saving time.
    pub const fn nominal_ms(self) -> i64 {
        match self {
            Interval::D1 => DAY_MS,
            Interval::W1 => WEEK_MS,
            Interval::M1 => MINUTE_MS,
            Interval::M5 => 5 * MINUTE_MS,
            Interval::M15 => 15 * MINUTE_MS,
            Interval::H1 => HOUR_MS,
            Interval::H4 => 4 * HOUR_MS,
        }
    }

    /// Whether bars of `self` can be aggregated into bars of `coarser` (every bucket of
    /// `coarser` is a union of whole buckets of `self`). True for the same interval.
    /// All intervals here nest (4h buckets align to UTC midnight, days to ISO weeks), so
    /// this is "not finer".
    pub fn can_aggregate_to(self, coarser: Interval) -> bool {
        coarser >= self
    }

    /// The start (unix ms, UTC) of the bucket of this interval containing `t`:
    /// `floor(t / duration)` for intraday intervals, the UTC midnight for `1D`, and the
    /// Monday 00:00 UTC of the ISO week for `1W`. Works for times before 1970; saturates
    /// instead of overflowing at the ends of the `i64` range.
    pub fn bucket_start(self, t: i64) -> i64 {
        match self.duration_ms() {
            Some(d) => t.div_euclid(d) * d,
            None => {
                let days = t.div_euclid(DAY_MS);
                match self {
                    Interval::W1 => {
                        // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7.
                        (days - (days + 3).rem_euclid(7)).saturating_mul(DAY_MS)
                    }
                    _ => days * DAY_MS,
                }
            }
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Interval {
    type Err = ParseIntervalError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "1m" => Ok(Interval::M1),
            "5m" => Ok(Interval::M5),
            "15m" => Ok(Interval::M15),
            "1h" => Ok(Interval::H1),
            "4h" => Ok(Interval::H4),
            "1D" | "1d" => Ok(Interval::D1),
            "1W" | "1w" => Ok(Interval::W1),
            other => Err(ParseIntervalError(other.to_string())),
        }
    }
}

impl serde::Serialize for Interval {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Interval {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_wire_string() {
        let strings: Vec<&str> = Interval::ALL.iter().map(|i| i.as_str()).collect();
        assert_eq!(strings, ["1m", "5m", "15m", "1h", "4h", "1D", "1W"]);
        for i in Interval::ALL {
            assert_eq!(i.as_str().parse::<Interval>(), Ok(i));
            assert_eq!(i.to_string(), i.as_str());
        }
        assert_eq!("1d".parse::<Interval>(), Ok(Interval::D1));
        assert_eq!("1w".parse::<Interval>(), Ok(Interval::W1));
    }

    #[test]
    fn rejects_unknown_with_precise_message() {
        let err = "1H".parse::<Interval>().expect_err("1H is not valid");
        assert_eq!(
            err.to_string(),
            "unknown interval \"1H\": expected one of 1m, 5m, 15m, 1h, 4h, 1D, 1W (1d and 1w are also accepted)"
        );
        assert!("".parse::<Interval>().is_err());
        assert!("1M".parse::<Interval>().is_err());
    }

    #[test]
    fn serde_uses_wire_strings() {
        let json = serde_json::to_string(&Interval::ALL).expect("serialize");
        assert_eq!(json, r#"["1m","5m","15m","1h","4h","1D","1W"]"#);
        let back: Vec<Interval> = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, Interval::ALL.to_vec());
        let lower: Interval = serde_json::from_str("\"1w\"").expect("lowercase");
        assert_eq!(lower, Interval::W1);
        let err = serde_json::from_str::<Interval>("\"2h\"").expect_err("2h");
        assert!(err.to_string().contains("unknown interval \"2h\""), "{err}");
    }

    #[test]
    fn durations() {
        assert_eq!(Interval::M1.duration_ms(), Some(60_000));
        assert_eq!(Interval::M15.duration_ms(), Some(900_000));
        assert_eq!(Interval::H4.duration_ms(), Some(14_400_000));
        assert_eq!(Interval::D1.duration_ms(), None);
        assert_eq!(Interval::W1.duration_ms(), None);
        assert_eq!(Interval::W1.nominal_ms(), 604_800_000);
    }

    #[test]
    fn aggregation_order() {
        assert!(Interval::M1.can_aggregate_to(Interval::W1));
        assert!(Interval::H1.can_aggregate_to(Interval::H4));
        assert!(Interval::D1.can_aggregate_to(Interval::D1));
        assert!(!Interval::D1.can_aggregate_to(Interval::H4));
        assert!(!Interval::M15.can_aggregate_to(Interval::M5));
    }

    #[test]
    fn bucket_starts() {
        // 2024-01-03 (Wednesday) 05:17:00 UTC = 1704259020000.
        let t = 1_704_259_020_000;
        assert_eq!(Interval::M5.bucket_start(t), 1_704_258_900_000); // 05:15
        assert_eq!(Interval::H4.bucket_start(t), 1_704_254_400_000); // 04:00
        assert_eq!(Interval::D1.bucket_start(t), 1_704_240_000_000); // 2024-01-03 00:00
        assert_eq!(Interval::W1.bucket_start(t), 1_704_067_200_000); // Monday 2024-01-01
                                                                     // Before 1970: 1969-12-31 23:00 UTC belongs to the week of Monday 1969-12-29.
        assert_eq!(Interval::D1.bucket_start(-3_600_000), -DAY_MS);
        assert_eq!(Interval::W1.bucket_start(-3_600_000), -3 * DAY_MS);
        assert_eq!(Interval::W1.bucket_start(i64::MIN), i64::MIN);
        assert!(Interval::W1.bucket_start(i64::MAX) <= i64::MAX - DAY_MS);
    }
}
