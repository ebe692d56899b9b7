//! The Strategy Lab's numbers: summary figures and the Greeks per leg and in total.

use crate::options::analysis::{Extreme, GreeksView, StrategyReport};
use crate::options::spec::{LegKind, LegSpec};
use crate::ui::format;
use leptos::prelude::*;

fn extreme(e: &Extreme) -> String {
    match e.value {
        _ if e.unlimited => "Unlimited".into(),
        Some(v) => format::signed_money(v),
        None => "—".into(),
    }
}

#[component]
pub fn Summary(#[prop(into)] report: Signal<StrategyReport>) -> impl IntoView {
    let item = move |label: &'static str, id: &'static str, f: fn(&StrategyReport) -> String| {
        view! {
            <div class="stat">
                <dt>{label}</dt>
                <dd data-testid=id>{move || report.with(f)}</dd>
            </div>
        }
    };
    view! {
        <dl class="stats" aria-label="Strategy summary">
            {item("Net debit / credit", "net", |r| {
                if r.net_debit >= 0.0 { format!("{} debit", format::money(r.net_debit)) }
                else { format!("{} credit", format::money(-r.net_debit)) }
            })}
            {item("Max profit", "max-profit", |r| extreme(&r.max_profit))}
            {item("Max loss", "max-loss", |r| extreme(&r.max_loss))}
            {item("Breakevens", "breakevens", |r| {
                if r.breakevens.is_empty() { "none".into() }
                else { r.breakevens.iter().map(|b| format::price(*b)).collect::<Vec<_>>().join(", ") }
            })}
            {item("Probability of profit", "pop", |r| format::percent(r.probability_of_profit, 1))}
            {item("Expected move (1σ)", "expected-move", |r| {
                format!("±{} ({} – {})", format::price(r.expected_move), format::price(r.one_sigma_range[0]), format::price(r.one_sigma_range[1]))
            })}
            {item("Days to first expiry", "days", |r| format!("{:.0}", r.first_expiry_days))}
        </dl>
    }
}

fn describe(l: &LegSpec) -> String {
    let side = if l.quantity > 0.0 { "+" } else { "" };
    match l.kind {
        LegKind::Stock => format!("{side}{} shares", format::input(l.quantity)),
        k => format!(
            "{side}{} {} {} · {}d",
            format::input(l.quantity),
            if k == LegKind::Call { "call" } else { "put" },
            l.strike.map(format::price).unwrap_or_default(),
            l.days.map(format::input).unwrap_or_default()
        ),
    }
}

fn cells(g: &GreeksView) -> impl IntoView {
    view! {
        <td class="num">{format!("{:.2}", g.delta)}</td>
        <td class="num">{format!("{:.4}", g.gamma)}</td>
        <td class="num">{format::money(g.theta_per_day)}</td>
        <td class="num">{format::money(g.vega_per_pct)}</td>
        <td class="num">{format::money(g.rho_per_pct)}</td>
    }
}

#[component]
pub fn GreeksTable(
    #[prop(into)] report: Signal<StrategyReport>,
    #[prop(into)] legs: Signal<Vec<LegSpec>>,
) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="table greeks" data-testid="greeks">
                <caption class="muted">"Position Greeks today: delta in shares, theta per day, vega and rho per 1 point."</caption>
                <thead><tr><th>"Leg"</th><th>"Delta"</th><th>"Gamma"</th><th>"Theta/day"</th><th>"Vega/1%"</th><th>"Rho/1%"</th></tr></thead>
                <tbody>
                    {move || {
                        let legs = legs.get();
                        report.with(|r| r.leg_greeks.iter().zip(legs.iter()).map(|(g, l)| view! {
                            <tr><td>{describe(l)}</td>{cells(g)}</tr>
                        }).collect_view())
                    }}
                </tbody>
                <tfoot>
                    <tr class="total"><th scope="row">"Total"</th>{move || report.with(|r| cells(&r.total_greeks))}</tr>
                </tfoot>
            </table>
        </div>
    }
}
