//! The chart history of the workspace, newest first, and two charts compared side by side.

use crate::charts_wire::ChartSummary;
use crate::server_fns::chart_history;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn History(refresh: RwSignal<u32>, open: RwSignal<Option<ChartSummary>>) -> impl IntoView {
    let page = Resource::new(move || refresh.get(), |_| chart_history(None, 50, 0));
    // Up to two charts picked for comparison, oldest pick first.
    let compare = RwSignal::new(Vec::<ChartSummary>::new());
    view! {
        <section class="card" aria-labelledby="hist-h">
            <h2 id="hist-h">"History"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading charts…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                        Ok(p) if p.charts.is_empty() => view! {
                            <p class="muted" data-testid="no-charts">"No charts yet. Generate one above: the built-in data has AAPL, IBM, MSFT, GOOG and FB."</p>
                        }.into_any(),
                        Ok(p) => view! {
                            <ul class="chart-grid" data-testid="chart-history">
                                {p.charts.into_iter().map(|c| {
                                    let c2 = c.clone();
                                    view! {
                                        <li>
                                            <button type="button" class="chart-thumb" on:click=move |_| open.set(Some(c2.clone()))
                                                aria-label=format!("Open {} {} chart", c.symbol, c.interval)>
                                                <img src=c.url.clone() alt=format!("{} {} chart", c.symbol, c.interval) loading="lazy"/>
                                                <span>{format!("{} · {}", c.symbol, c.interval)}</span>
                                                <span class="muted">{c.created_at.format("%Y-%m-%d %H:%M UTC").to_string()}
                                                    {(c.analyses_count > 0).then(|| format!(" · {} analyses", c.analyses_count))}</span>
                                            </button>
                                            <label class="check compare-pick">
                                                <input type="checkbox" data-testid="compare-pick"
                                                    prop:checked={
                                                        let id = c.id;
                                                        move || compare.with(|v| v.iter().any(|x| x.id == id))
                                                    }
                                                    on:change={
                                                        let c = c.clone();
                                                        move |ev| pick(compare, c.clone(), event_target_checked(&ev))
                                                    }/>
                                                "Compare"
                                            </label>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Compare picked=compare/>
    }
}

/// Adds or removes a chart from the comparison; a third pick replaces the oldest.
fn pick(compare: RwSignal<Vec<ChartSummary>>, c: ChartSummary, on: bool) {
    compare.update(|v| {
        v.retain(|x| x.id != c.id);
        if on {
            v.push(c);
            if v.len() > 2 {
                v.remove(0);
            }
        }
    });
}

/// Two charts side by side (stacked on phones), each with its symbol, interval and date.
#[component]
fn Compare(picked: RwSignal<Vec<ChartSummary>>) -> impl IntoView {
    let remove = move |id: Uuid| picked.update(|v| v.retain(|x| x.id != id));
    view! {
        {move || {
            let v = picked.get();
            (!v.is_empty()).then(|| view! {
                <section class="card" aria-labelledby="compare-h" data-testid="compare">
                    <div class="compare-head">
                        <h2 id="compare-h">"Compare"</h2>
                        <button type="button" class="small" on:click=move |_| picked.set(Vec::new())>"Clear"</button>
                    </div>
                    {(v.len() < 2).then(|| view! { <p class="muted">"Tick “Compare” on one more chart to see them side by side."</p> })}
                    <div class="compare-grid">
                        {v.into_iter().map(|c| {
                            let id = c.id;
                            view! {
                                <figure>
                                    <img src=c.url.clone() alt=format!("{} {} chart", c.symbol, c.interval)/>
                                    <figcaption>
                                        {format!("{} · {} · {}", c.symbol, c.interval, c.created_at.format("%Y-%m-%d %H:%M UTC"))}
                                        <button type="button" class="link" aria-label=format!("Remove {} from the comparison", c.symbol)
                                            on:click=move |_| remove(id)>"×"</button>
                                    </figcaption>
                                </figure>
                            }
                        }).collect_view()}
                    </div>
                </section>
            })
        }}
    }
}
