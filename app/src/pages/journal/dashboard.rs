//! The journal dashboard: summary figures with sample sizes, equity curve with drawdown,
//! daily P&L calendar and breakdowns. Days are in the browser's timezone.

use crate::journal_wire::{money, TradeFilter};
use crate::server_fns::{journal_dashboard, Dashboard};
use journal::analytics::{BreakdownRow, CalendarDay, EquityPoint, Summary};
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

#[component]
pub fn DashboardTab(#[prop(into)] refresh: Signal<u32>) -> impl IntoView {
    let tz = RwSignal::new(String::from("UTC"));
    let period = RwSignal::new(String::from("day"));
    // The browser's zone is known only after hydration; start from UTC on both sides.
    Effect::new(move |_| {
        if let Some(z) = super::upload::timezone() {
            tz.set(z);
        }
    });
    let data = Resource::new(
        move || (tz.get(), period.get(), refresh.get()),
        |(tz, period, _)| journal_dashboard(TradeFilter::default(), tz, period, None),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading analytics…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                    Ok(d) if d.summary.total_trades == 0 => view! {
                        <section class="card"><h2>"Dashboard"</h2>
                            <p class="muted" data-testid="no-stats">"No closed trades yet. Import a broker file to see your statistics."</p>
                        </section>
                    }.into_any(),
                    Ok(d) => view! { <Board d=d period=period tz=tz/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn m(d: Decimal) -> String {
    money(d.round_dp(2)).to_string()
}

fn om(d: Option<Decimal>) -> String {
    d.map(m).unwrap_or_else(|| "—".into())
}

fn ratio(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "—".into())
}

#[component]
fn Board(d: Dashboard, period: RwSignal<String>, tz: RwSignal<String>) -> impl IntoView {
    let s = d.summary.clone();
    view! {
        <section class="card" aria-labelledby="dash-h">
            <h2 id="dash-h">"Dashboard"</h2>
            <p class="muted">{move || format!("Closed trades; days in {}.", tz.get())}</p>
            <Stats s=s/>
        </section>
        <section class="card" aria-labelledby="curve-h">
            <h2 id="curve-h">"Equity curve"</h2>
            <p class="actions" role="group" aria-label="Period">
                {["day", "week", "month"].into_iter().map(|p| view! {
                    <button type="button" class="small" aria-pressed=move || (period.get() == p).to_string()
                        on:click=move |_| period.set(p.to_string())>{p}</button>
                }).collect_view()}
            </p>
            <Curve points=d.curve.clone()/>
        </section>
        <section class="card" aria-labelledby="cal-h">
            <h2 id="cal-h">{format!("Daily P&L, {}", d.year)}</h2>
            <Calendar days=d.calendar.clone() year=d.year/>
        </section>
        <section class="card grid-2">
            <Breakdown title="By symbol" rows=d.by_symbol.clone()/>
            <Breakdown title="By weekday (entry)" rows=d.by_weekday.clone()/>
        </section>
    }
}

#[component]
fn Stats(s: Summary) -> impl IntoView {
    let n = s.total_trades;
    let hold = |x: Option<i64>| {
        x.map(|s| format!("{}m", s / 60))
            .unwrap_or_else(|| "—".into())
    };
    let cells: Vec<(&str, String, String)> = vec![
        (
            "Net P&L",
            m(s.net_pnl),
            format!("{n} trades, after {} fees", m(s.fees)),
        ),
        (
            "Win rate",
            s.win_rate
                .map(|w| format!("{:.1}%", w * 100.0))
                .unwrap_or_else(|| "—".into()),
            format!(
                "{} won, {} lost, {} scratch",
                s.winners, s.losers, s.scratches
            ),
        ),
        (
            "Profit factor",
            ratio(s.profit_factor, 2),
            format!("{} / {}", m(s.gross_profit), m(s.gross_loss)),
        ),
        (
            "Expectancy",
            om(s.expectancy),
            format!("per trade, n = {n}"),
        ),
        (
            "Average win",
            om(s.avg_win),
            format!("largest {}", om(s.largest_win)),
        ),
        (
            "Average loss",
            om(s.avg_loss),
            format!("largest {}", om(s.largest_loss)),
        ),
        (
            "Max drawdown",
            m(s.max_drawdown),
            s.max_drawdown_pct
                .map(|p| format!("{:.1}% of peak", p * 100.0))
                .unwrap_or_default(),
        ),
        (
            "Streaks",
            format!(
                "{} W / {} L",
                s.max_consecutive_wins, s.max_consecutive_losses
            ),
            "longest in a row".into(),
        ),
        (
            "Hold time",
            format!(
                "{} / {}",
                hold(s.avg_hold_seconds_winners),
                hold(s.avg_hold_seconds_losers)
            ),
            "winners / losers".into(),
        ),
        (
            "Sharpe / Sortino",
            format!("{} / {}", ratio(s.sharpe, 2), ratio(s.sortino, 2)),
            format!("daily, n = {} days", s.trading_days),
        ),
        (
            "Average R",
            ratio(s.avg_r, 2),
            format!("SQN {}, n = {} with stops", ratio(s.sqn, 2), s.r_trades),
        ),
        (
            "Kelly",
            s.kelly_pct
                .map(|k| format!("{k:.1}%"))
                .unwrap_or_else(|| "—".into()),
            "of capital per trade".into(),
        ),
    ];
    view! {
        <dl class="stats" data-testid="stats">
            {cells.into_iter().map(|(k, v, note)| view! {
                <div class="stat"><dt>{k}</dt><dd data-stat=k>{v}</dd><small class="muted">{note}</small></div>
            }).collect_view()}
        </dl>
    }
}

/// Cumulative P&L as a line, drawdown as a shaded area below zero.
#[component]
fn Curve(points: Vec<EquityPoint>) -> impl IntoView {
    let (w, h, pad) = (720.0, 220.0, 8.0);
    let ys: Vec<f64> = points
        .iter()
        .map(|p| p.cumulative.to_f64().unwrap_or(0.0))
        .collect();
    let dds: Vec<f64> = points
        .iter()
        .map(|p| -p.drawdown.to_f64().unwrap_or(0.0))
        .collect();
    let lo = ys.iter().chain(dds.iter()).cloned().fold(0.0, f64::min);
    let hi = ys.iter().cloned().fold(0.0, f64::max);
    let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
    let n = points.len().max(2) - 1;
    let x = move |i: usize| pad + (w - 2.0 * pad) * i as f64 / n as f64;
    let y = move |v: f64| pad + (h - 2.0 * pad) * (hi - v) / span;
    let line: String = ys
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let mut dd = format!("{:.1},{:.1} ", x(0), y(0.0));
    dd.push_str(
        &dds.iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect::<Vec<_>>()
            .join(" "),
    );
    dd.push_str(&format!(
        " {:.1},{:.1}",
        x(dds.len().saturating_sub(1)),
        y(0.0)
    ));
    let last = points.last().map(|p| m(p.cumulative)).unwrap_or_default();
    let first = points
        .first()
        .map(|p| p.period.to_string())
        .unwrap_or_default();
    let end = points
        .last()
        .map(|p| p.period.to_string())
        .unwrap_or_default();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" data-testid="equity-curve"
                aria-label=format!("Cumulative P&L from {first} to {end}, ending at {last}")>
                <line x1=pad x2=w - pad y1=y(0.0) y2=y(0.0) class="axis"/>
                <polygon points=dd class="drawdown"/>
                <polyline points=line class="equity"/>
            </svg>
            <figcaption class="muted">{format!("{first} → {end}: {last}")}</figcaption>
        </figure>
    }
}

#[component]
fn Calendar(days: Vec<CalendarDay>, year: i32) -> impl IntoView {
    use chrono::{Datelike, NaiveDate};
    let max = days
        .iter()
        .filter_map(|d| d.pnl.abs().to_f64())
        .fold(0.0, f64::max)
        .max(1.0);
    let months = (1..=12u32).filter_map(move |mo| {
        let first = NaiveDate::from_ymd_opt(year, mo, 1)?;
        let in_month: Vec<&CalendarDay> = days.iter().filter(|d| d.date.month() == mo).collect();
        if in_month.is_empty() {
            return None;
        }
        let cells = (0..first.weekday().num_days_from_monday()).map(|_| view! { <span class="day blank"></span> }.into_any())
            .chain(first.iter_days().take_while(|d| d.month() == mo).map(|d| {
                match in_month.iter().find(|c| c.date == d) {
                    Some(c) => {
                        // Four shades each way; classes, not inline styles (the CSP allows none).
                        let v = c.pnl.to_f64().unwrap_or(0.0);
                        let level = 1 + ((v.abs() / max) * 3.999) as u32;
                        let class = if v >= 0.0 { format!("day pos{level}") } else { format!("day neg{level}") };
                        view! { <span class=class title=format!("{d}: {} ({} trades)", m(c.pnl), c.trades)
                            data-date=d.to_string()>{d.day()}</span> }.into_any()
                    }
                    None => view! { <span class="day">{d.day()}</span> }.into_any(),
                }
            }))
            .collect_view();
        let total: Decimal = in_month.iter().map(|c| c.pnl).sum();
        Some(view! {
            <div class="month"><h3>{format!("{} · {}", first.format("%B"), m(total))}</h3><div class="days">{cells}</div></div>
        })
    }).collect_view();
    view! { <div class="calendar" data-testid="calendar">{months}</div> }
}

#[component]
fn Breakdown(title: &'static str, rows: Vec<BreakdownRow>) -> impl IntoView {
    view! {
        <div>
            <h3>{title}</h3>
            <table class="data">
                <thead><tr><th>""</th><th class="num">"Trades"</th><th class="num">"Win %"</th><th class="num">"Net"</th></tr></thead>
                <tbody>{rows.into_iter().map(|r| view! {
                    <tr><td>{r.key}</td><td class="num">{r.trades}</td><td class="num">{format!("{:.0}%", r.win_rate * 100.0)}</td>
                        <td class="num" class:pos={r.net_pnl > Decimal::ZERO} class:neg={r.net_pnl < Decimal::ZERO}>{m(r.net_pnl)}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}
