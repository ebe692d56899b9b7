//! Planned trades: entries, stops and targets sent from chart analyses, before any fill.
//! Each shows its reward/risk and where it came from; deleting asks first.

use crate::journal_wire::PlanView;
use crate::server_fns::{journal_delete_plan, journal_plans};
use leptos::prelude::*;

#[component]
pub fn PlansTab() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    let plans = Resource::new(move || changed.get(), |_| journal_plans());
    let message = RwSignal::new(None::<Result<String, String>>);
    view! {
        <section class="card" aria-labelledby="plans-h" data-testid="plans">
            <h2 id="plans-h">"Planned trades"</h2>
            <p class="muted">"Entry, stop and target written down before the trade, from a chart analysis (Charts › Analyse › Plan in journal). Plans do not count in the analytics."</p>
            <Transition fallback=|| view! { <p class="muted">"Loading plans…"</p> }>
                {move || Suspend::new(async move {
                    match plans.await {
                        Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted" data-testid="plans-empty">"No planned trades. Analyse a chart and choose “Plan in journal” to add one."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="list">
                                {list.into_iter().map(|p| view! { <PlanItem p=p changed=changed message=message/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="form-notice" role="status" data-testid="plan-message">{t}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="plan-message">{e}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn PlanItem(
    p: PlanView,
    changed: RwSignal<u32>,
    message: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let id = p.id;
    let label = format!("{} {}", p.side, p.symbol);
    let side_class = if p.side == "long" { "pos" } else { "neg" };
    let delete = move |_| {
        let sure = web_sys::window()
            .and_then(|w| w.confirm_with_message("Delete this planned trade?").ok())
            .unwrap_or(false);
        if !sure {
            return;
        }
        let label = label.clone();
        leptos::task::spawn_local(async move {
            match journal_delete_plan(id).await {
                Ok(()) => {
                    message.set(Some(Ok(format!("Deleted the plan to go {label}"))));
                    changed.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(Err(e.message))),
            }
        });
    };
    view! {
        <li data-testid="plan">
            <strong class=side_class>{p.side.to_uppercase()}</strong>
            <strong>{p.symbol.clone()}</strong>
            <span>{format!("entry {} · stop {} · target {}", p.entry_price, p.stop_price, p.target_price)}</span>
            <span class="muted">{p.risk_reward.map(|r| format!("reward/risk {r:.2}")).unwrap_or_default()}</span>
            <span class="muted">{p.created_at.format("%Y-%m-%d").to_string()}</span>
            <details class="plan-notes"><summary>"Notes"</summary><p>{p.notes.clone()}</p></details>
            <button type="button" class="danger" data-testid="plan-delete" on:click=delete>"Delete"</button>
        </li>
    }
}
