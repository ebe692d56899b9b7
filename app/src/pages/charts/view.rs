//! One chart opened from the history: its image and data source, analysis (technical or
//! LLM, with the analyst named and any fallback explained), download, delete, and the
//! way into the interactive chart.

use super::explorer::ExploreRequest;
use super::source_label;
use crate::charts_wire::{AnalysisMetadata, AnalysisView, AnalyzeRequest, ChartSummary};
use crate::server_fns::{chart_analyze, chart_delete, journal_plan_from_analysis};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn ChartView(
    chart: ChartSummary,
    explore: RwSignal<Option<ExploreRequest>>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_change: Callback<()>,
) -> impl IntoView {
    let id: Uuid = chart.id;
    let analysis = RwSignal::new(None::<(Uuid, AnalysisView, AnalysisMetadata)>);
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
                    analysis.set(Some((a.analysis_id, a.analysis, a.metadata)));
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
            {move || analysis.get().map(|(id, a, meta)| view! { <AnalysisCard id=id a=a meta=meta/> })}
        </section>
    }
}

fn price(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
}

#[component]
fn AnalysisCard(id: Uuid, a: AnalysisView, meta: AnalysisMetadata) -> impl IntoView {
    let plannable = matches!(a.recommendation.as_str(), "LONG" | "SHORT")
        && a.entry_price.is_some()
        && a.stop_loss.is_some()
        && a.take_profit.is_some();
    let plan = Action::new(move |_: &()| async move { journal_plan_from_analysis(id).await });
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
                {format!(
                    "Analyst: {} · {:.2} s{}",
                    meta.model,
                    meta.processing_time,
                    meta.tokens_used.map(|t| format!(" · {t} tokens")).unwrap_or_default()
                )}
            </p>
            {meta.note.map(|n| view! { <p class="notice" role="status" data-testid="analysis-note">{n}</p> })}
            {plannable.then(|| view! {
                <div class="row">
                    <button type="button" data-testid="plan-trade"
                        disabled=move || plan.pending().get() || matches!(plan.value().get(), Some(Ok(_)))
                        on:click=move |_| { plan.dispatch(()); }>
                        {move || if plan.pending().get() { "Planning…" } else { "Plan in journal" }}
                    </button>
                    {move || plan.value().get().map(|r| match r {
                        Ok(p) => view! {
                            <p class="form-notice" role="status" data-testid="plan-result">
                                {format!("Planned: {} {} at {}, stop {}, target {}. ", p.side, p.symbol, p.entry_price, p.stop_price, p.target_price)}
                                <a href="/journal?tab=plans">"See it in the journal"</a>
                            </p>
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert" data-testid="plan-result">{e.message}</p> }.into_any(),
                    })}
                </div>
            })}
        </div>
    }
}
