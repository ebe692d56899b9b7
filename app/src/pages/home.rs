//! The start page: what Refract is, and for a signed-in user where to go next.

use crate::ui::auth::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;

const AREA_CARDS: [(&str, &str, &str); 4] = [
    (
        "/options",
        "Options",
        "Price options, solve implied volatility and try strategies in your browser, even offline.",
    ),
    (
        "/journal",
        "Journal",
        "Import fills from your broker, rebuild round trips with exact P&L, and study what works.",
    ),
    (
        "/charts",
        "Charts",
        "Chart real price history with studies and drawings, and get a reasoned technical read.",
    ),
    (
        "/portfolio",
        "Portfolio",
        "See the Greeks and risk of everything you hold, across strategies.",
    ),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Title text=""/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.me.await {
                    Ok(Some(me)) => view! {
                        <section class="hero">
                            <h1>{format!("Welcome back, {}", me.user.name)}</h1>
                            <p class="muted">
                                "You are working in "
                                <strong>{me.active_workspace.name.clone()}</strong>
                                {format!(" as {}.", me.active_workspace.role.label())}
                            </p>
                        </section>
                    }.into_any(),
                    _ => view! {
                        <section class="hero">
                            <h1>"One workstation for options, your journal and charts"</h1>
                            <p class="lead">"Refract prices options exactly, keeps an honest trading journal and draws charts with technical analysis. Open source; your data stays in your workspace."</p>
                            <p class="actions">
                                <a class="button primary" href="/signup">"Create a free account"</a>
                                <a class="button" href="/signin">"Sign in"</a>
                            </p>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
        <section class="grid areas-grid" aria-label="Areas">
            {AREA_CARDS.iter().map(|(href, title, text)| view! {
                <a class="card area-card" href=*href>
                    <h2>{*title}</h2>
                    <p>{*text}</p>
                </a>
            }).collect_view()}
        </section>
    }
}
