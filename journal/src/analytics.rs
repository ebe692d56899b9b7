//! Performance statistics over closed trades: the summary, the equity curve with drawdown,
//! the daily calendar and breakdowns. Money stays exact (`Decimal`); only ratios that are
//! statistics by nature (Sharpe, Sortino, SQN) are `f64`.
//!
//! Days are calendar days in the display timezone, and a trade belongs to the day it closed.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What the statistics need to know about one closed trade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosedTrade {
    /// P&L after fees.
    pub pnl: Decimal,
    pub fees: Decimal,
    pub opened_at: DateTime<Utc>,
    pub closed_at: DateTime<Utc>,
    /// Money at risk at entry (|entry − stop| × size × multiplier), when a stop was planned.
    pub risk: Option<Decimal>,
    pub symbol: String,
    pub instrument: String,
    pub setup: Option<String>,
    pub tags: Vec<String>,
}

impl ClosedTrade {
    /// The R-multiple: P&L in units of the planned risk.
    pub fn r_multiple(&self) -> Option<Decimal> {
        self.risk
            .filter(|r| *r > Decimal::ZERO)
            .map(|r| self.pnl / r)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Summary {
    pub total_trades: usize,
    pub winners: usize,
    pub losers: usize,
    pub scratches: usize,
    /// Winners over closed trades (0..1); `None` with no trades.
    pub win_rate: Option<f64>,
    pub gross_profit: Decimal,
    /// Sum of the losing trades' P&L (zero or negative).
    pub gross_loss: Decimal,
    pub net_pnl: Decimal,
    pub fees: Decimal,
    /// Gross profit over |gross loss|; `None` when there is no loss to divide by.
    pub profit_factor: Option<f64>,
    /// Average P&L per trade.
    pub expectancy: Option<Decimal>,
    pub avg_win: Option<Decimal>,
    /// Average losing trade (negative).
    pub avg_loss: Option<Decimal>,
    pub largest_win: Option<Decimal>,
    pub largest_loss: Option<Decimal>,
    /// Deepest fall of cumulative P&L from a running peak (positive amount).
    pub max_drawdown: Decimal,
    /// `max_drawdown` over the equity at that peak (starting equity + cumulative P&L);
    /// `None` without a starting equity (a percentage of P&L alone misleads).
    pub max_drawdown_pct: Option<f64>,
    pub max_consecutive_wins: usize,
    pub max_consecutive_losses: usize,
    pub avg_hold_seconds_winners: Option<i64>,
    pub avg_hold_seconds_losers: Option<i64>,
    /// Annualised (√252) on daily P&L, sample standard deviation.
    pub sharpe: Option<f64>,
    pub sortino: Option<f64>,
    pub trading_days: usize,
    /// Trades with a planned stop: the sample size of every R figure.
    pub r_trades: usize,
    pub avg_r: Option<f64>,
    pub expectancy_r: Option<f64>,
    /// System Quality Number: √n × mean(R) / sd(R).
    pub sqn: Option<f64>,
    /// Kelly fraction W − (1 − W) / (avg win / |avg loss|), in percent.
    pub kelly_pct: Option<f64>,
}

fn ratio(a: Decimal, b: Decimal) -> Option<f64> {
    if b.is_zero() {
        None
    } else {
        (a / b).to_f64()
    }
}

fn mean_sd(xs: &[f64]) -> Option<(f64, f64)> {
    if xs.len() < 2 {
        return None;
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Some((mean, var.sqrt()))
}

/// The calendar day a trade counts on, in the display timezone.
pub fn close_day(t: &ClosedTrade, tz: Tz) -> NaiveDate {
    t.closed_at.with_timezone(&tz).date_naive()
}

/// Local calendar days of UTC instants, looking the zone's offset up once per UTC hour: the
/// tz database never changes an offset twice within an hour, so an hour whose first and
/// last second share an offset has it throughout (otherwise each instant is converted).
/// Over a hundred thousand trades this is most of the summary's time saved.
pub struct DayFinder {
    tz: Tz,
    hour: i64,
    offset: Option<i64>,
}

impl DayFinder {
    pub fn new(tz: Tz) -> Self {
        DayFinder {
            tz,
            hour: i64::MIN,
            offset: None,
        }
    }

    fn offset_at(&self, secs: i64) -> Option<i64> {
        let utc = DateTime::from_timestamp(secs, 0)?;
        Some(i64::from(
            self.tz
                .offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc(),
        ))
    }

    pub fn day(&mut self, t: DateTime<Utc>) -> NaiveDate {
        let secs = t.timestamp();
        let hour = secs.div_euclid(3600);
        if hour != self.hour {
            self.hour = hour;
            let (a, b) = (
                self.offset_at(hour * 3600),
                self.offset_at(hour * 3600 + 3599),
            );
            self.offset = a.filter(|a| Some(*a) == b);
        }
        self.offset
            .and_then(|o| DateTime::from_timestamp(secs + o, 0))
            .map(|local| local.date_naive())
            .unwrap_or_else(|| t.with_timezone(&self.tz).date_naive())
    }
}

/// Net P&L per calendar day (days with closed trades only), in date order.
pub fn daily_pnl(trades: &[ClosedTrade], tz: Tz) -> BTreeMap<NaiveDate, (Decimal, usize)> {
    daily_of(trades.iter(), tz)
}

fn daily_of<'a>(
    trades: impl Iterator<Item = &'a ClosedTrade>,
    tz: Tz,
) -> BTreeMap<NaiveDate, (Decimal, usize)> {
    // Runs of one day first (trades come mostly in time order), then the map.
    let mut finder = DayFinder::new(tz);
    let mut runs: Vec<(NaiveDate, Decimal, usize)> = Vec::new();
    for t in trades {
        let day = finder.day(t.closed_at);
        match runs.last_mut() {
            Some(last) if last.0 == day => {
                last.1 += t.pnl;
                last.2 += 1;
            }
            _ => runs.push((day, t.pnl, 1)),
        }
    }
    let mut days: BTreeMap<NaiveDate, (Decimal, usize)> = BTreeMap::new();
    for (day, pnl, n) in runs {
        let d = days.entry(day).or_default();
        d.0 += pnl;
        d.1 += n;
    }
    days
}

/// The sign of a decimal without a comparison (rust_decimal's compares rescale).
fn sign(d: &Decimal) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    if d.is_zero() {
        Equal
    } else if d.is_sign_negative() {
        Less
    } else {
        Greater
    }
}

fn by_close(trades: &[ClosedTrade]) -> Vec<&ClosedTrade> {
    let mut v: Vec<&ClosedTrade> = trades.iter().collect();
    if !v.is_sorted_by_key(|t| t.closed_at) {
        v.sort_by_key(|t| t.closed_at);
    }
    v
}

/// Largest peak-to-trough fall of cumulative P&L, and that fall over the peak equity.
fn drawdown(sorted: &[&ClosedTrade], starting_equity: Decimal) -> (Decimal, Option<f64>) {
    let (mut cum, mut peak, mut worst, mut worst_pct) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, None);
    for t in sorted {
        cum += t.pnl;
        peak = peak.max(cum);
        let dd = peak - cum;
        if dd > worst {
            worst = dd;
            let base = starting_equity + peak;
            worst_pct = (starting_equity > Decimal::ZERO && base > Decimal::ZERO)
                .then(|| (dd / base).to_f64())
                .flatten();
        }
    }
    (worst, worst_pct)
}

fn streaks(sorted: &[&ClosedTrade]) -> (usize, usize) {
    let (mut w, mut l, mut best_w, mut best_l) = (0, 0, 0, 0);
    for t in sorted {
        let s = sign(&t.pnl);
        if s == std::cmp::Ordering::Greater {
            w += 1;
            l = 0;
        } else if s == std::cmp::Ordering::Less {
            l += 1;
            w = 0;
        } else {
            // A scratch ends both streaks.
            w = 0;
            l = 0;
        }
        best_w = usize::max(best_w, w);
        best_l = usize::max(best_l, l);
    }
    (best_w, best_l)
}

/// Annualised Sharpe and Sortino ratios of daily P&L (risk-free rate zero).
fn sharpe_sortino(daily: &[f64]) -> (Option<f64>, Option<f64>) {
    let Some((mean, sd)) = mean_sd(daily) else {
        return (None, None);
    };
    let ann = 252f64.sqrt();
    let sharpe = (sd > 0.0).then(|| mean / sd * ann);
    let downside =
        (daily.iter().map(|x| x.min(0.0).powi(2)).sum::<f64>() / daily.len() as f64).sqrt();
    let sortino = (downside > 0.0).then(|| mean / downside * ann);
    (sharpe, sortino)
}

/// Every summary metric over closed trades. `starting_equity` is the account size the
/// drawdown percentage is measured against (zero leaves the percentage out).
pub fn summary(trades: &[ClosedTrade], tz: Tz, starting_equity: Decimal) -> Summary {
    use std::cmp::Ordering::{Greater, Less};
    let sorted = by_close(trades);
    let n = trades.len();
    // One pass over the trades in closing order: counts, sums, extremes, hold times and R.
    let (mut winners, mut losers) = (0usize, 0usize);
    let (mut gross_profit, mut gross_loss, mut fees) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut scratch = Decimal::ZERO;
    let (mut largest_win, mut largest_loss) = (None::<Decimal>, None::<Decimal>);
    let (mut hold_w, mut hold_l) = (0i64, 0i64);
    let mut rs: Vec<f64> = Vec::new();
    for t in &sorted {
        fees += t.fees;
        let hold = (t.closed_at - t.opened_at).num_seconds();
        match sign(&t.pnl) {
            Greater => {
                winners += 1;
                gross_profit += t.pnl;
                hold_w += hold;
                largest_win = Some(largest_win.map_or(t.pnl, |w| w.max(t.pnl)));
            }
            Less => {
                losers += 1;
                gross_loss += t.pnl;
                hold_l += hold;
                largest_loss = Some(largest_loss.map_or(t.pnl, |l| l.min(t.pnl)));
            }
            // Scratches add nothing but their scale (0.000 keeps net_pnl's digits as before).
            _ => scratch += t.pnl,
        }
        // R as a float: every R figure is one (mean, SQN).
        if let Some(risk) = t.risk.filter(|r| sign(r) == Greater) {
            if let (Some(p), Some(r)) = (t.pnl.to_f64(), risk.to_f64()) {
                rs.push(p / r);
            }
        }
    }
    let net = gross_profit + gross_loss + scratch;
    let avg = |sum: Decimal, k: usize| (k > 0).then(|| sum / Decimal::from(k));
    let avg_win = avg(gross_profit, winners);
    let avg_loss = avg(gross_loss, losers);
    let avg_secs = |total: i64, k: usize| (k > 0).then(|| total / k as i64);
    let (max_drawdown, max_drawdown_pct) = drawdown(&sorted, starting_equity);
    let (max_consecutive_wins, max_consecutive_losses) = streaks(&sorted);
    let daily: Vec<f64> = daily_of(sorted.iter().copied(), tz)
        .values()
        .filter_map(|(p, _)| p.to_f64())
        .collect();
    let (sharpe, sortino) = sharpe_sortino(&daily);
    let avg_r = (!rs.is_empty()).then(|| rs.iter().sum::<f64>() / rs.len() as f64);
    let sqn = mean_sd(&rs)
        .filter(|(_, sd)| *sd > 0.0)
        .map(|(m, sd)| (rs.len() as f64).sqrt() * m / sd);
    let win_rate = (n > 0).then(|| winners as f64 / n as f64);
    let kelly_pct = match (win_rate, avg_win, avg_loss) {
        (Some(w), Some(aw), Some(al)) if !al.is_zero() => {
            ratio(aw, -al).map(|payoff| (w - (1.0 - w) / payoff) * 100.0)
        }
        _ => None,
    };
    Summary {
        total_trades: n,
        winners,
        losers,
        scratches: n - winners - losers,
        win_rate,
        gross_profit,
        gross_loss,
        net_pnl: net,
        fees,
        profit_factor: ratio(gross_profit, -gross_loss),
        expectancy: avg(net, n),
        avg_win,
        avg_loss,
        largest_win,
        largest_loss,
        max_drawdown,
        max_drawdown_pct,
        max_consecutive_wins,
        max_consecutive_losses,
        avg_hold_seconds_winners: avg_secs(hold_w, winners),
        avg_hold_seconds_losers: avg_secs(hold_l, losers),
        sharpe,
        sortino,
        trading_days: daily.len(),
        r_trades: rs.len(),
        avg_r,
        expectancy_r: avg_r,
        sqn,
        kelly_pct,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    Month,
}

impl Period {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "day" => Some(Period::Day),
            "week" => Some(Period::Week),
            "month" => Some(Period::Month),
            _ => None,
        }
    }

    /// The first day of the period holding `d` (weeks start on Monday).
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => d,
            Period::Week => d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64),
            Period::Month => d.with_day(1).unwrap_or(d),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EquityPoint {
    pub period: NaiveDate,
    pub pnl: Decimal,
    pub cumulative: Decimal,
    /// Fall from the running peak of cumulative P&L (zero or positive).
    pub drawdown: Decimal,
    pub trades: usize,
}

pub fn equity_curve(trades: &[ClosedTrade], tz: Tz, period: Period) -> Vec<EquityPoint> {
    let mut buckets: BTreeMap<NaiveDate, (Decimal, usize)> = BTreeMap::new();
    for (day, (pnl, count)) in daily_pnl(trades, tz) {
        let b = buckets.entry(period.start(day)).or_default();
        b.0 += pnl;
        b.1 += count;
    }
    let (mut cum, mut peak) = (Decimal::ZERO, Decimal::ZERO);
    buckets
        .into_iter()
        .map(|(p, (pnl, trades))| {
            cum += pnl;
            peak = peak.max(cum);
            EquityPoint {
                period: p,
                pnl,
                cumulative: cum,
                drawdown: peak - cum,
                trades,
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub pnl: Decimal,
    pub trades: usize,
}

/// Daily P&L of one year, for the heat map.
pub fn calendar(trades: &[ClosedTrade], tz: Tz, year: i32) -> Vec<CalendarDay> {
    daily_pnl(trades, tz)
        .into_iter()
        .filter(|(d, _)| d.year() == year)
        .map(|(date, (pnl, trades))| CalendarDay { date, pnl, trades })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BreakdownBy {
    Symbol,
    Tag,
    Setup,
    Instrument,
    Weekday,
    Hour,
}

impl BreakdownBy {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "symbol" => BreakdownBy::Symbol,
            "tag" => BreakdownBy::Tag,
            "setup" => BreakdownBy::Setup,
            "instrument" => BreakdownBy::Instrument,
            "weekday" => BreakdownBy::Weekday,
            "hour" => BreakdownBy::Hour,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakdownRow {
    pub key: String,
    pub trades: usize,
    pub winners: usize,
    pub win_rate: f64,
    pub net_pnl: Decimal,
    pub avg_pnl: Decimal,
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

/// Groups trades by a key. Weekday and hour are of the *entry* in the display timezone
/// (when the decision was made); a trade with several tags counts under each.
pub fn breakdown(trades: &[ClosedTrade], tz: Tz, by: BreakdownBy) -> Vec<BreakdownRow> {
    let mut groups: BTreeMap<(u32, String), Vec<&ClosedTrade>> = BTreeMap::new();
    for t in trades {
        let opened = t.opened_at.with_timezone(&tz);
        let keys: Vec<(u32, String)> = match by {
            BreakdownBy::Symbol => vec![(0, t.symbol.clone())],
            BreakdownBy::Instrument => vec![(0, t.instrument.clone())],
            BreakdownBy::Setup => vec![(0, t.setup.clone().unwrap_or_else(|| "(none)".into()))],
            BreakdownBy::Tag if t.tags.is_empty() => vec![(0, "(untagged)".into())],
            BreakdownBy::Tag => t.tags.iter().map(|g| (0, g.clone())).collect(),
            BreakdownBy::Weekday => {
                let w = opened.weekday();
                vec![(w.num_days_from_monday(), weekday_name(w).into())]
            }
            BreakdownBy::Hour => vec![(opened.hour(), format!("{:02}:00", opened.hour()))],
        };
        for k in keys {
            groups.entry(k).or_default().push(t);
        }
    }
    groups
        .into_iter()
        .map(|((_, key), ts)| {
            let net: Decimal = ts.iter().map(|t| t.pnl).sum();
            let winners = ts.iter().filter(|t| t.pnl > Decimal::ZERO).count();
            BreakdownRow {
                key,
                trades: ts.len(),
                winners,
                win_rate: winners as f64 / ts.len() as f64,
                net_pnl: net,
                avg_pnl: net / Decimal::from(ts.len()),
            }
        })
        .collect()
}

/// Counts of trades per P&L bucket of width `bucket` (the win/loss distribution chart);
/// each key is the bucket's lower bound.
pub fn distribution(trades: &[ClosedTrade], bucket: Decimal) -> Vec<(Decimal, usize)> {
    if bucket <= Decimal::ZERO {
        return Vec::new();
    }
    let mut m: BTreeMap<Decimal, usize> = BTreeMap::new();
    for t in trades {
        *m.entry((t.pnl / bucket).floor() * bucket).or_default() += 1;
    }
    m.into_iter().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    const NY: Tz = chrono_tz::America::New_York;

    fn t(pnl: Decimal, open: (u32, u32, u32), close: (u32, u32, u32)) -> ClosedTrade {
        let at = |(d, h, m): (u32, u32, u32)| Utc.with_ymd_and_hms(2024, 3, d, h, m, 0).unwrap();
        ClosedTrade {
            pnl,
            fees: dec!(1),
            opened_at: at(open),
            closed_at: at(close),
            risk: None,
            symbol: "AAPL".into(),
            instrument: "equity".into(),
            setup: None,
            tags: vec![],
        }
    }

    #[test]
    fn empty_set_has_no_ratios() {
        let s = summary(&[], NY, Decimal::ZERO);
        assert_eq!(s.total_trades, 0);
        assert_eq!(s.win_rate, None);
        assert_eq!(s.profit_factor, None);
        assert_eq!(s.expectancy, None);
        assert_eq!(s.net_pnl, Decimal::ZERO);
        assert_eq!(s.max_drawdown, Decimal::ZERO);
        assert_eq!(s.sharpe, None);
        assert_eq!(s.kelly_pct, None);
    }

    #[test]
    fn hand_worked_mixed_set() {
        // Closed in order: +300, −100, 0, −50, +150, +100 on five days (14:00–20:00 UTC).
        let trades = vec![
            t(dec!(300), (4, 14, 0), (4, 15, 0)),
            t(dec!(-100), (4, 16, 0), (4, 16, 30)),
            t(dec!(0), (5, 14, 0), (5, 14, 10)),
            t(dec!(-50), (5, 15, 0), (5, 17, 0)),
            t(dec!(150), (6, 14, 0), (6, 14, 20)),
            t(dec!(100), (7, 14, 0), (7, 14, 40)),
        ];
        let s = summary(&trades, NY, dec!(10000));
        assert_eq!(
            (s.total_trades, s.winners, s.losers, s.scratches),
            (6, 3, 2, 1)
        );
        assert_eq!(s.win_rate, Some(0.5));
        assert_eq!(s.gross_profit, dec!(550));
        assert_eq!(s.gross_loss, dec!(-150));
        assert_eq!(s.net_pnl, dec!(400));
        assert_eq!(s.fees, dec!(6));
        assert!((s.profit_factor.unwrap() - 550.0 / 150.0).abs() < 1e-12);
        assert_eq!(s.expectancy.unwrap().round_dp(6), dec!(66.666667));
        assert_eq!(s.avg_win.unwrap().round_dp(6), dec!(183.333333));
        assert_eq!(s.avg_loss, Some(dec!(-75)));
        assert_eq!(s.largest_win, Some(dec!(300)));
        assert_eq!(s.largest_loss, Some(dec!(-100)));
        // Peak 300 after the first trade, trough 150 after −100 and −50.
        assert_eq!(s.max_drawdown, dec!(150));
        // Against the equity at the peak: 10,000 + 300.
        assert!((s.max_drawdown_pct.unwrap() - 150.0 / 10300.0).abs() < 1e-15);
        assert_eq!(summary(&trades, NY, Decimal::ZERO).max_drawdown_pct, None);
        assert_eq!((s.max_consecutive_wins, s.max_consecutive_losses), (2, 1));
        // Winners held 60, 20, 40 minutes; losers 30 and 120.
        assert_eq!(s.avg_hold_seconds_winners, Some(2400));
        assert_eq!(s.avg_hold_seconds_losers, Some(4500));
        // Daily P&L 200, −50, 150, 100: mean 100, sample sd √(35000/3).
        assert_eq!(s.trading_days, 4);
        let sd = (35000.0f64 / 3.0).sqrt();
        assert!((s.sharpe.unwrap() - 100.0 / sd * 252f64.sqrt()).abs() < 1e-9);
        // Downside deviation √(2500/4) = 25.
        assert!((s.sortino.unwrap() - 4.0 * 252f64.sqrt()).abs() < 1e-9);
        // Kelly: 0.5 − 0.5 / (183.33/75).
        let payoff = (550.0 / 3.0) / 75.0;
        assert!((s.kelly_pct.unwrap() - (0.5 - 0.5 / payoff) * 100.0).abs() < 1e-9);
    }

    #[test]
    fn only_losers() {
        let trades = vec![
            t(dec!(-10), (4, 14, 0), (4, 15, 0)),
            t(dec!(-30), (4, 16, 0), (4, 17, 0)),
        ];
        let s = summary(&trades, NY, dec!(1000));
        assert_eq!(s.win_rate, Some(0.0));
        assert_eq!(s.profit_factor, Some(0.0));
        assert_eq!(s.avg_win, None);
        assert_eq!(s.max_drawdown, dec!(40));
        assert_eq!(s.max_drawdown_pct, Some(0.04));
        assert_eq!(s.max_consecutive_losses, 2);
        assert_eq!(s.kelly_pct, None);
        assert_eq!(s.largest_win, None);
    }

    #[test]
    fn r_multiples_and_sqn_use_only_trades_with_stops() {
        let mut a = t(dec!(200), (4, 14, 0), (4, 15, 0));
        a.risk = Some(dec!(100));
        let mut b = t(dec!(-100), (4, 14, 0), (4, 15, 0));
        b.risk = Some(dec!(100));
        let mut c = t(dec!(50), (4, 14, 0), (4, 15, 0));
        c.risk = Some(dec!(50));
        let no_stop = t(dec!(999), (4, 14, 0), (4, 15, 0));
        let s = summary(&[a, b, c, no_stop], NY, Decimal::ZERO);
        assert_eq!(s.r_trades, 3);
        // R = 2, −1, 1: mean 2/3, sample sd √(7/3); SQN = √3 × mean / sd.
        assert!((s.avg_r.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        let sqn = 3f64.sqrt() * (2.0 / 3.0) / (7.0f64 / 3.0).sqrt();
        assert!((s.sqn.unwrap() - sqn).abs() < 1e-12);
    }

    #[test]
    fn the_hourly_offset_cache_gives_the_same_days_as_chrono_tz() {
        // Every 7 minutes (and a few seconds) over two years, in zones with DST, half-hour
        // DST shifts (Lord Howe), 45-minute offsets (Kathmandu, Chatham) and none (UTC).
        let zones: [Tz; 6] = [
            chrono_tz::America::New_York,
            chrono_tz::Europe::London,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::Asia::Kathmandu,
            chrono_tz::Pacific::Chatham,
            chrono_tz::UTC,
        ];
        let start = Utc
            .with_ymd_and_hms(2023, 1, 1, 0, 0, 0)
            .unwrap()
            .timestamp();
        for tz in zones {
            let mut f = DayFinder::new(tz);
            let mut secs = start;
            while secs < start + 2 * 366 * 86_400 {
                let t = DateTime::from_timestamp(secs, 0).unwrap();
                assert_eq!(f.day(t), t.with_timezone(&tz).date_naive(), "{tz} {t}");
                secs += 7 * 60 + 13;
            }
        }
    }

    #[test]
    fn days_follow_the_display_timezone_across_midnight_and_dst() {
        // 2024-03-10 is the US spring-forward day. A trade closing 03:30 UTC on the 11th is
        // still the 10th in New York (23:30 EDT); one at 04:30 UTC is the 11th (00:30).
        let late = t(dec!(10), (10, 22, 0), (11, 3, 30));
        let after = t(dec!(20), (10, 22, 0), (11, 4, 30));
        // In winter (before the switch) 04:30 UTC is 23:30 EST the previous day.
        let winter = t(dec!(5), (9, 20, 0), (10, 4, 30));
        let cal = calendar(&[late.clone(), after.clone(), winter.clone()], NY, 2024);
        let days: Vec<(String, Decimal)> =
            cal.iter().map(|d| (d.date.to_string(), d.pnl)).collect();
        assert_eq!(
            days,
            vec![
                ("2024-03-09".into(), dec!(5)),
                ("2024-03-10".into(), dec!(10)),
                ("2024-03-11".into(), dec!(20)),
            ]
        );
        // In UTC the same trades fall on other days.
        let utc = calendar(&[late, after, winter], chrono_tz::UTC, 2024);
        assert_eq!(utc.len(), 2);
        assert_eq!(utc[1].pnl, dec!(30));
    }

    #[test]
    fn equity_curve_by_week_and_month_with_drawdown() {
        let trades = vec![
            t(dec!(100), (4, 14, 0), (4, 15, 0)),   // Mon 4th
            t(dec!(-250), (8, 14, 0), (8, 15, 0)),  // Fri 8th
            t(dec!(300), (11, 14, 0), (11, 15, 0)), // Mon 11th
        ];
        let weeks = equity_curve(&trades, NY, Period::Week);
        assert_eq!(weeks.len(), 2);
        assert_eq!(weeks[0].period.to_string(), "2024-03-04");
        assert_eq!(weeks[0].pnl, dec!(-150));
        assert_eq!(weeks[0].drawdown, dec!(150));
        assert_eq!(weeks[1].cumulative, dec!(150));
        assert_eq!(weeks[1].drawdown, dec!(0));
        let days = equity_curve(&trades, NY, Period::Day);
        assert_eq!(days[1].drawdown, dec!(250));
        let months = equity_curve(&trades, NY, Period::Month);
        assert_eq!(months.len(), 1);
        assert_eq!((months[0].pnl, months[0].trades), (dec!(150), 3));
    }

    #[test]
    fn breakdowns_by_tag_weekday_and_hour() {
        let mut a = t(dec!(100), (4, 14, 45), (4, 15, 0));
        a.tags = vec!["breakout".into(), "a+".into()];
        let mut b = t(dec!(-40), (5, 19, 5), (5, 19, 30));
        b.tags = vec!["breakout".into()];
        let c = t(dec!(10), (5, 14, 0), (5, 14, 30));
        let tags = breakdown(&[a.clone(), b.clone(), c.clone()], NY, BreakdownBy::Tag);
        let brk = tags.iter().find(|r| r.key == "breakout").unwrap();
        assert_eq!((brk.trades, brk.winners, brk.net_pnl), (2, 1, dec!(60)));
        assert!(tags.iter().any(|r| r.key == "(untagged)" && r.trades == 1));
        let hours = breakdown(&[a.clone(), b.clone(), c.clone()], NY, BreakdownBy::Hour);
        let keys: Vec<&str> = hours.iter().map(|r| r.key.as_str()).collect();
        // EST (UTC−5) before 10 March: 09:45, 14:05 and 09:00 local.
        assert_eq!(keys, vec!["09:00", "14:00"]);
        assert_eq!(hours[0].trades, 2);
        let days = breakdown(&[a, b, c], NY, BreakdownBy::Weekday);
        assert_eq!(days[0].key, "Mon");
        assert_eq!(days[1].key, "Tue");
        assert_eq!(days[1].net_pnl, dec!(-30));
    }

    #[test]
    fn distribution_buckets_by_lower_bound() {
        let trades = vec![
            t(dec!(-120), (4, 14, 0), (4, 15, 0)),
            t(dec!(-20), (4, 14, 0), (4, 15, 0)),
            t(dec!(0), (4, 14, 0), (4, 15, 0)),
            t(dec!(99.99), (4, 14, 0), (4, 15, 0)),
            t(dec!(100), (4, 14, 0), (4, 15, 0)),
        ];
        let d = distribution(&trades, dec!(100));
        assert_eq!(
            d,
            vec![
                (dec!(-200), 1),
                (dec!(-100), 1),
                (dec!(0), 2),
                (dec!(100), 1)
            ]
        );
    }
}
