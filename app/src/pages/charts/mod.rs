//! The Charts area: an interactive chart drawn in the browser; chart images generated on
//! the server from stored bars with studies; the history with the plan's quota; opening,
//! analysing and deleting a chart.

mod explorer;

use crate::charts_wire::{
    AnalysisMetadata, AnalysisView, AnalyzeRequest, ChartRequest, ChartSummary, StudyInput,
};
use crate::server_fns::{
    chart_analyze, chart_delete, chart_generate, chart_history, chart_quota, chart_symbols,
};
use crate::ui::auth::RequireAuth;
use explorer::{ExploreRequest, Explorer};
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::BTreeMap;
use uuid::Uuid;

#[component]
pub fn ChartsPage() -> impl IntoView {
    view! {
        <Title text="Charts"/>
        <RequireAuth children=|_me: crate::model::MeView| view! { <Charts/> }/>
    }
}

/// A study offered in the form: short name, label, default input.
type Offer = (&'static str, &'static str, &'static [(&'static str, f64)]);

const STUDIES: &[Offer] = &[
    ("volume", "Volume", &[]),
    ("sma", "SMA 50", &[("period", 50.0)]),
    ("ema", "EMA 20", &[("period", 20.0)]),
    (
        "bbands",
        "Bollinger 20, 2",
        &[("period", 20.0), ("stddev", 2.0)],
    ),
    ("rsi", "RSI 14", &[("period", 14.0)]),
    ("macd", "MACD 12, 26, 9", &[]),
    ("stoch", "Stochastic 14, 3, 3", &[]),
    ("atr", "ATR 14", &[("period", 14.0)]),
    ("adx", "ADX 14", &[("period", 14.0)]),
];

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
    }
}

#[component]
fn GenerateForm(#[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let symbols = Resource::new(|| (), |_| chart_symbols());
    let symbol = RwSignal::new(String::from("AAPL"));
    let interval = RwSignal::new(String::from("1D"));
    let range = RwSignal::new(String::from("1Y"));
    let theme = RwSignal::new(String::from("light"));
    let style = RwSignal::new(String::from("candles"));
    let chosen = RwSignal::new(vec![
        "volume".to_string(),
        "bbands".to_string(),
        "rsi".to_string(),
    ]);
    let error = RwSignal::new(None::<String>);
    let generate = Action::new(move |req: &ChartRequest| {
        let req = req.clone();
        async move { chart_generate(req).await }
    });
    Effect::new(move |_| {
        if let Some(r) = generate.value().get() {
            match r {
                Ok(_) => {
                    error.set(None);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let studies = chosen
            .get()
            .iter()
            .filter_map(|name| STUDIES.iter().find(|s| s.0 == name))
            .map(|(name, _, input)| StudyInput {
                name: (*name).to_string(),
                input: input
                    .iter()
                    .map(|(k, v)| (k.to_string(), *v))
                    .collect::<BTreeMap<_, _>>(),
                color: None,
            })
            .collect();
        generate.dispatch(ChartRequest {
            symbol: symbol.get(),
            interval: interval.get(),
            range: Some(range.get()),
            theme: theme.get(),
            style: style.get(),
            studies,
            ..Default::default()
        });
    };
    let select = |label: &'static str,
                  id: &'static str,
                  sig: RwSignal<String>,
                  options: &'static [&'static str]| {
        view! {
            <label>{label}
                <select data-testid=id prop:value=move || sig.get() on:change=move |ev| sig.set(event_target_value(&ev))>
                    {options.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <section class="card" aria-labelledby="gen-h">
            <h2 id="gen-h">"New chart"</h2>
            <form class="chart-form" on:submit=submit>
                <label>"Symbol"
                    <input data-testid="chart-symbol" list="chart-symbols" autocomplete="off" required
                        prop:value=move || symbol.get()
                        on:input=move |ev| symbol.set(event_target_value(&ev).to_uppercase())/>
                </label>
                <datalist id="chart-symbols">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let mut names: Vec<String> = symbols.await.unwrap_or_default()
                                .into_iter().map(|s| s.symbol).collect();
                            names.dedup();
                            names.into_iter().map(|n| view! { <option value=n.clone()/> }).collect_view()
                        })}
                    </Transition>
                </datalist>
                {select("Interval", "chart-interval", interval, &["1D", "1W", "1h", "4h", "15m", "5m", "1m"])}
                {select("Range", "chart-range", range, &["1M", "3M", "6M", "1Y", "2Y", "5Y", "ALL"])}
                {select("Style", "chart-style", style, &["candles", "ohlc", "line"])}
                {select("Theme", "chart-theme", theme, &["light", "dark"])}
                <fieldset class="studies">
                    <legend>"Studies"</legend>
                    {STUDIES.iter().map(|(name, label, _)| {
                        let name = name.to_string();
                        let n2 = name.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" data-testid=format!("study-{name}")
                                    prop:checked=move || chosen.get().contains(&n2)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            c.retain(|x| x != &name);
                                            if on { c.push(name.clone()); }
                                        });
                                    }/>
                                {*label}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" data-testid="chart-generate" disabled=move || generate.pending().get()>
                    {move || if generate.pending().get() { "Rendering…" } else { "Generate chart" }}
                </button>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="chart-error">{e}</p> })}
        </section>
    }
}

#[component]
fn History(refresh: RwSignal<u32>, open: RwSignal<Option<ChartSummary>>) -> impl IntoView {
    let page = Resource::new(move || refresh.get(), |_| chart_history(None, 50, 0));
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
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ChartView(
    chart: ChartSummary,
    explore: RwSignal<Option<ExploreRequest>>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_change: Callback<()>,
) -> impl IntoView {
    let id: Uuid = chart.id;
    let analysis = RwSignal::new(None::<(AnalysisView, AnalysisMetadata)>);
    let error = RwSignal::new(None::<String>);
    let analyze =
        Action::new(
            move |_: &()| async move { chart_analyze(id, AnalyzeRequest::default()).await },
        );
    let delete = Action::new(move |_: &()| async move { chart_delete(id).await });
    Effect::new(move |_| {
        if let Some(r) = analyze.value().get() {
            match r {
                Ok(a) => {
                    error.set(None);
                    analysis.set(Some((a.analysis, a.metadata)));
                    on_change.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(r) = delete.value().get() {
            match r {
                Ok(()) => {
                    on_close.run(());
                    on_change.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
        }
    });
    view! {
        <section class="card chart-view" aria-label="Chart" data-testid="chart-view">
            <div class="row">
                <h2>{format!("{} · {}", chart.symbol, chart.interval)}</h2>
                <button type="button" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            <img class="chart-full" src=chart.url.clone() alt=format!("{} {} chart", chart.symbol, chart.interval)/>
            <p class="muted" data-testid="chart-source">{source_label(&chart.data_source)}</p>
            <div class="row">
                <button type="button" data-testid="chart-analyze" disabled=move || analyze.pending().get()
                    on:click=move |_| { analyze.dispatch(()); }>
                    {move || if analyze.pending().get() { "Analysing…" } else { "Analyse" }}
                </button>
                <button type="button" data-testid="chart-explore"
                    on:click={
                        let (symbol, interval) = (chart.symbol.clone(), chart.interval.clone());
                        move |_| {
                            explore.set(Some(ExploreRequest { symbol: symbol.clone(), interval: interval.clone() }));
                            if let Some(el) = document().get_element_by_id("explore-h") {
                                el.scroll_into_view();
                            }
                        }
                    }>"Open interactive"</button>
                <a href=chart.url.clone() download>"Download"</a>
                <button type="button" class="danger" data-testid="chart-delete"
                    on:click=move |_| {
                        let sure = web_sys::window()
                            .and_then(|w| w.confirm_with_message("Delete this chart and its analyses?").ok())
                            .unwrap_or(false);
                        if sure { delete.dispatch(()); }
                    }>"Delete"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="chart-error">{e}</p> })}
            {move || analysis.get().map(|(a, meta)| view! { <AnalysisCard a=a meta=meta/> })}
        </section>
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

fn price(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
}

#[component]
fn AnalysisCard(a: AnalysisView, meta: AnalysisMetadata) -> impl IntoView {
    let rec_class = match a.recommendation.as_str() {
        "LONG" => "pos",
        "SHORT" => "neg",
        _ => "muted",
    };
    view! {
        <div class="analysis" data-testid="analysis">
            <p><strong class=rec_class data-testid="recommendation">{a.recommendation.clone()}</strong>
                {format!(" · trend {} · confidence {}/10", a.trend, a.confidence)}</p>
            <dl class="figures">
                <dt>"Entry"</dt><dd>{price(a.entry_price)}</dd>
                <dt>"Stop"</dt><dd>{price(a.stop_loss)}</dd>
                <dt>"Target"</dt><dd>{price(a.take_profit)}</dd>
                <dt>"Reward/risk"</dt><dd>{a.risk_reward_ratio.map(|r| format!("{r:.2}")).unwrap_or_else(|| "—".into())}</dd>
                <dt>"Support"</dt><dd>{a.key_levels.support.iter().map(|x| format!("{x:.2}")).collect::<Vec<_>>().join(", ")}</dd>
                <dt>"Resistance"</dt><dd>{a.key_levels.resistance.iter().map(|x| format!("{x:.2}")).collect::<Vec<_>>().join(", ")}</dd>
            </dl>
            <ul>{a.signals.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}</ul>
            <p>{a.analysis_text.clone()}</p>
            <p class="muted small-print" data-testid="analysis-model">
                {format!("Analyst: {} · {:.2} s", meta.model, meta.processing_time)}
            </p>
            {meta.note.map(|n| view! { <p class="notice" role="status" data-testid="analysis-note">{n}</p> })}
        </div>
    }
}
