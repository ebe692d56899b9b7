//! The product areas. Each says plainly what it will hold until it is built.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn Coming(
    title: &'static str,
    lead: &'static str,
    items: &'static [&'static str],
) -> impl IntoView {
    view! {
        <Title text=title/>
        <section class="card">
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
            <p class="badge">"Coming next"</p>
            <ul class="checklist">
                {items.iter().map(|i| view! { <li>{*i}</li> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn PortfolioPage() -> impl IntoView {
    view! {
        <Coming
            title="Portfolio"
            lead="Everything you hold in one view, with its Greeks and risk."
            items=&[
                "Aggregated Greeks across positions",
                "Scenario P/L over price and volatility",
                "Monte Carlo value at risk",
            ]
        />
    }
}
