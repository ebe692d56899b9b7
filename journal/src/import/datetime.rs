//! Dates and times as brokers print them, and their conversion to UTC.
//!
//! Wall-clock times are in the statement's timezone unless the text carries its own offset
//! (`2024-03-04T09:30:15-0500`) or zone abbreviation (`09:30:15 EST`). A wall-clock time that
//! a daylight-saving change skips is an error; one it repeats is read as the earlier instant.

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

/// The time given to fills from date-only exports (Schwab, Robinhood): the US market close.
/// A date-only fill happened some time that day; 16:00 keeps it on that calendar day in the
/// statement's timezone and after every intraday fill with a real time.
pub(crate) const DATE_ONLY_TIME: NaiveTime = match NaiveTime::from_hms_opt(16, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// Parses a date in the forms brokers use: `2024-03-04`, `20240304`, `2024/03/04`,
/// `03/04/2024`, `3/4/24` (US month first), `4-Mar-2024`, `15 MAR 24`, `28MAR25`.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
        let year = i32::try_from(n(0..4)?).ok()?;
        return NaiveDate::from_ymd_opt(year, n(4..6)?, n(6..8)?);
    }
    // `2024-03-04` and `2024/03/04` without chrono's format interpreter (most exports;
    // a large file spent a tenth of its parse there). Anything else takes the slow path.
    if let Some(d) = iso_date(s) {
        return Some(d);
    }
    if let Some(d) = compact_day_month_year(s) {
        return Some(d);
    }
    // chrono reads `%Y` from two digits too (the year 24 AD), so ISO forms are tried only
    // on a leading four-digit year, and two-digit-year forms only when the text ends in one.
    let iso = s.len() >= 8 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    if iso && s.len() > 10 {
        // Longer than any ISO date (a date and time: the caller splits it).
        return None;
    }
    let two_digit_year = s
        .rsplit(['/', '-', ' '])
        .next()
        .is_some_and(|y| y.len() == 2 && y.bytes().all(|b| b.is_ascii_digit()));
    let formats: &[&str] = if iso {
        &["%Y-%m-%d", "%Y/%m/%d"]
    } else if two_digit_year {
        &["%m/%d/%y", "%d-%b-%y", "%d %b %y"]
    } else {
        &["%m/%d/%Y", "%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%b %d %Y"]
    };
    formats
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

/// `YYYY-MM-DD` or `YYYY/MM/DD` with two-digit month and day.
fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || !matches!(b[4], b'-' | b'/') || b[7] != b[4] {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(n(0..4)?).ok()?, n(5..7)?, n(8..10)?)
}

/// `28MAR25` / `28MAR2025` (IBKR option descriptions).
fn compact_day_month_year(s: &str) -> Option<NaiveDate> {
    if !s.is_ascii() || !(7..=9).contains(&s.len()) {
        return None;
    }
    let day_len = s.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&day_len) {
        return None;
    }
    let month = s.get(day_len..day_len + 3)?;
    let year = s.get(day_len + 3..)?;
    let spaced = format!("{} {} {}", s.get(..day_len)?, month, year);
    match year.len() {
        2 => NaiveDate::parse_from_str(&spaced, "%d %b %y").ok(),
        4 => NaiveDate::parse_from_str(&spaced, "%d %b %Y").ok(),
        _ => None,
    }
}

/// Parses a time of day: `09:30:15`, `9:30`, `09:30:15.250`, `093015`, `9:30:15 AM`.
pub(crate) fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
        return NaiveTime::from_hms_opt(n(0..2)?, n(2..4)?, n(4..6)?);
    }
    // `HH:MM:SS` directly (a leap second or a fraction takes the formats below).
    let b = s.as_bytes();
    if b.len() == 8 && b[2] == b':' && b[5] == b':' {
        let n = |i: usize| -> Option<u32> {
            let (h, l) = (b[i], b[i + 1]);
            (h.is_ascii_digit() && l.is_ascii_digit())
                .then(|| u32::from(h - b'0') * 10 + u32::from(l - b'0'))
        };
        if let Some(t) = n(0)
            .zip(n(3))
            .zip(n(6))
            .and_then(|((h, m), sec)| NaiveTime::from_hms_opt(h, m, sec))
        {
            return Some(t);
        }
    }
    [
        "%H:%M:%S%.f",
        "%H:%M",
        "%I:%M:%S %p",
        "%I:%M:%S%p",
        "%I:%M %p",
        "%I:%M%p",
    ]
    .iter()
    .find_map(|f| NaiveTime::parse_from_str(s, f).ok())
}

/// A parsed timestamp: either an instant (the text said its offset) or a wall-clock time
/// still to be placed in a timezone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Stamp {
    Instant(DateTime<FixedOffset>),
    Zoned(NaiveDateTime, Tz),
    Local(NaiveDateTime),
}

impl Stamp {
    /// Converts to UTC, reading wall-clock times in `tz`.
    pub fn to_utc(self, tz: Tz) -> Result<DateTime<Utc>, String> {
        match self {
            Stamp::Instant(t) => Ok(t.with_timezone(&Utc)),
            Stamp::Zoned(naive, zone) => local_to_utc(naive, zone),
            Stamp::Local(naive) => local_to_utc(naive, tz),
        }
    }
}

/// Places a wall-clock time in `tz`: the earlier instant when a fall-back repeats it, an
/// error when a spring-forward skips it.
pub(crate) fn local_to_utc(naive: NaiveDateTime, tz: Tz) -> Result<DateTime<Utc>, String> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Ok(a.min(b).with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "time {} does not exist in {} (skipped by the daylight-saving change)",
            naive.format("%Y-%m-%d %H:%M:%S"),
            tz.name()
        )),
    }
}

/// Parses a date and time written together (`2024-03-04 09:30:15`, `20240304;093015`,
/// `"2024-03-04, 09:30:15"`, `03/04/2024 09:30:15 EST`, `2024-03-04T09:30:15-0500`) or a
/// date alone, which gets [`DATE_ONLY_TIME`].
pub(crate) fn parse_stamp(s: &str) -> Option<Stamp> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(t) = parse_with_offset(s) {
        return Some(Stamp::Instant(t));
    }
    // A trailing zone word: EST/EDT are fixed offsets, ET/CT are the zones themselves.
    if let Some((rest, word)) = s.rsplit_once(' ') {
        if word.len() <= 4 && word.bytes().all(|b| b.is_ascii_alphabetic()) {
            if let Some(zone) = zone_word(word) {
                let naive = parse_naive(rest.trim())?;
                return Some(match zone {
                    ZoneWord::Fixed(off) => match off.from_local_datetime(&naive) {
                        LocalResult::Single(t) => Stamp::Instant(t),
                        _ => return None,
                    },
                    ZoneWord::Zone(tz) => Stamp::Zoned(naive, tz),
                });
            }
        }
    }
    parse_naive(s).map(Stamp::Local)
}

/// Date and time without a zone; a date alone gets [`DATE_ONLY_TIME`].
pub(crate) fn parse_naive(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Some(d) = parse_date(s) {
        return Some(d.and_time(DATE_ONLY_TIME));
    }
    for sep in [";", ", ", ",", "T", " "] {
        if let Some((d, t)) = s.split_once(sep) {
            if let (Some(d), Some(t)) = (parse_date(d), parse_time(t)) {
                return Some(d.and_time(t));
            }
        }
    }
    None
}

fn parse_with_offset(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t);
    }
    // Only texts that end in an offset are worth the format attempts below.
    let tail = s.get(s.len().saturating_sub(6)..).unwrap_or("");
    if !(tail.contains('+') || tail.contains('-') || s.ends_with('Z')) {
        return None;
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M%z",
    ]
    .iter()
    .find_map(|f| DateTime::parse_from_str(s, f).ok())
}

enum ZoneWord {
    Fixed(FixedOffset),
    Zone(Tz),
}

/// US zone abbreviations brokers append. EST/EDT name a fixed offset (the statement says
/// which half of the year it is); ET/CT name the zone, whose offset depends on the date.
fn zone_word(word: &str) -> Option<ZoneWord> {
    let hours = match word.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" => 0,
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" => -6,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        "ET" => return Some(ZoneWord::Zone(chrono_tz::America::New_York)),
        "CT" => return Some(ZoneWord::Zone(chrono_tz::America::Chicago)),
        "MT" => return Some(ZoneWord::Zone(chrono_tz::America::Denver)),
        "PT" => return Some(ZoneWord::Zone(chrono_tz::America::Los_Angeles)),
        _ => return None,
    };
    FixedOffset::east_opt(hours * 3600).map(ZoneWord::Fixed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates() {
        for s in [
            "2024-03-04",
            "20240304",
            "03/04/2024",
            "3/4/24",
            "3/4/2024",
            "4-Mar-2024",
            "04 MAR 24",
            "4 Mar 2024",
            "04MAR24",
            "4MAR2024",
        ] {
            assert_eq!(parse_date(s), Some(d(2024, 3, 4)), "{s}");
        }
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("13/01/2024"), None);
    }

    #[test]
    fn stamps() {
        let utc = |s: &str| {
            parse_stamp(s)
                .unwrap()
                .to_utc(New_York)
                .unwrap()
                .to_rfc3339()
        };
        assert_eq!(utc("20240304;093015"), "2024-03-04T14:30:15+00:00");
        assert_eq!(utc("2024-03-04, 09:30:15"), "2024-03-04T14:30:15+00:00");
        assert_eq!(utc("3/4/24 09:30:15"), "2024-03-04T14:30:15+00:00");
        assert_eq!(utc("2024-03-04T09:30:15-0500"), "2024-03-04T14:30:15+00:00");
        assert_eq!(
            utc("2024-03-04T09:30:15-05:00"),
            "2024-03-04T14:30:15+00:00"
        );
        assert_eq!(utc("03/04/2024 09:30:15 EDT"), "2024-03-04T13:30:15+00:00");
        assert_eq!(utc("03/04/2024 09:30:15 EST"), "2024-03-04T14:30:15+00:00");
        assert_eq!(utc("03/04/2024"), "2024-03-04T21:00:00+00:00");
        assert_eq!(utc("2024-03-04 9:30:15 PM"), "2024-03-05T02:30:15+00:00");
    }

    #[test]
    fn daylight_saving_edges() {
        let gap = parse_stamp("2024-03-10 02:30:00").unwrap().to_utc(New_York);
        assert!(gap
            .unwrap_err()
            .contains("does not exist in America/New_York"));
        let fold = parse_stamp("2024-11-03 01:30:00").unwrap().to_utc(New_York);
        assert_eq!(fold.unwrap().to_rfc3339(), "2024-11-03T05:30:00+00:00");
    }
}
