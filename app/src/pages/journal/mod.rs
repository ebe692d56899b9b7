//! The Journal area: dashboard, trade list, planned trades and the import wizard. The tab
//! can be opened from a link (`/journal?tab=plans`).

mod attachments;
mod dashboard;
mod import;
mod mapper;
mod plans;
mod tags;
mod trades;
pub(crate) mod upload;

use crate::ui::auth::RequireAuth;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Dashboard,
    Trades,
    Import,
    Plans,
}

#[component]
pub fn JournalPage() -> impl IntoView {
    view! {
        <Title text="Journal"/>
        <RequireAuth children=|_me: crate::model::MeView| view! { <Journal/> }/>
    }
}

#[component]
fn Journal() -> impl IntoView {
    let initial = match use_query_map().with_untracked(|q| q.get("tab")).as_deref() {
        Some("dashboard") => Tab::Dashboard,
        Some("import") => Tab::Import,
        Some("plans") => Tab::Plans,
        _ => Tab::Trades,
    };
    let tab = RwSignal::new(initial);
    let refresh = RwSignal::new(0u32);
    let tab_button = move |t: Tab, label: &'static str, id: &'static str| {
        view! {
            <button type="button" role="tab" data-testid=id aria-selected=move || (tab.get() == t).to_string()
                on:click=move |_| tab.set(t)>{label}</button>
        }
    };
    view! {
        <h1>"Journal"</h1>
        <nav class="tabs" role="tablist" aria-label="Journal">
            {tab_button(Tab::Trades, "Trades", "tab-trades")}
            {tab_button(Tab::Dashboard, "Dashboard", "tab-dashboard")}
            {tab_button(Tab::Plans, "Planned", "tab-plans")}
            {tab_button(Tab::Import, "Import", "tab-import")}
        </nav>
        {move || match tab.get() {
            Tab::Trades => view! { <trades::TradesTab refresh=refresh/> }.into_any(),
            Tab::Dashboard => view! { <dashboard::DashboardTab refresh=refresh/> }.into_any(),
            Tab::Plans => view! { <plans::PlansTab/> }.into_any(),
            Tab::Import => view! {
                <import::ImportTab on_done=move |_| refresh.update(|n| *n += 1)/>
            }.into_any(),
        }}
    }
}
