//! The Charts area: an interactive chart drawn in the browser; chart images generated on
//! the server from stored bars with studies; the history with the plan's quota; opening,
//! analysing and deleting a chart.

mod explorer;
mod generate;
mod history;
mod import;
mod view;

use crate::charts_wire::ChartSummary;
use crate::server_fns::chart_quota;
use crate::ui::auth::RequireAuth;
use explorer::{ExploreRequest, Explorer};
use generate::GenerateForm;
use history::History;
use import::ImportBars;
use leptos::prelude::*;
use leptos_meta::Title;
use view::ChartView;

#[component]
pub fn ChartsPage() -> impl IntoView {
    view! {
        <Title text="Charts"/>
        <RequireAuth children=|_me: crate::model::MeView| view! { <Charts/> }/>
    }
}

#[component]
fn Charts() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let open = RwSignal::new(None::<ChartSummary>);
    let explore = RwSignal::new(None::<ExploreRequest>);
    let quota = Resource::new(move || refresh.get(), |_| chart_quota());
    view! {
        <h1>"Charts"</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                quota.await.ok().map(|q| {
                    let c = q.quota.charts;
                    let a = q.quota.analyses;
                    let lim = |l: Option<i64>| l.map(|l| l.to_string()).unwrap_or_else(|| "unlimited".into());
                    view! {
                        <p class="muted" data-testid="quota">
                            {format!("Plan {}: {} of {} charts and {} of {} analyses used this month.",
                                q.plan, c.used, lim(c.limit), a.used, lim(a.limit))}
                        </p>
                    }
                })
            })}
        </Transition>
        <Explorer request=explore/>
        <GenerateForm on_done=move |_| refresh.update(|n| *n += 1)/>
        {move || open.get().map(|c| view! {
            <ChartView chart=c explore=explore on_close=move |_| open.set(None) on_change=move |_| refresh.update(|n| *n += 1)/>
        })}
        <History refresh=refresh open=open/>
        <ImportBars on_done=move |_| refresh.update(|n| *n += 1)/>
    }
}

/// Where the bars came from, said plainly under every chart.
fn source_label(source: &str) -> String {
    match source {
        "sample" => "Data: built-in sample, daily prices 2000–2013 from Quandl WIKI Prices (public domain) via bokeh-sampledata; not adjusted for splits.".into(),
        "simulated" => "SIMULATED data (geometric Brownian motion with jumps), not real prices.".into(),
        "import" => "Data: bars imported into this workspace.".into(),
        other => format!("Data: {other}"),
    }
}
