//! Importing bars into the workspace from a CSV (a file or pasted text): date or time,
//! open, high, low, close, volume, and optionally a symbol column. All rows or none; the
//! server's message names the line at fault.

use crate::charts_wire::BarsImported;
use crate::pages::journal::upload::upload_bars;
use leptos::prelude::*;

const FILE_INPUT: &str = "bars-file";

#[component]
pub fn ImportBars(#[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let symbol = RwSignal::new(String::new());
    let interval = RwSignal::new(String::new());
    let pasted = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<Vec<BarsImported>, String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = upload_bars(
                FILE_INPUT,
                &pasted.get_untracked(),
                &symbol.get_untracked(),
                &interval.get_untracked(),
            )
            .await;
            busy.set(false);
            if r.is_ok() {
                on_done.run(());
            }
            outcome.set(Some(r.map_err(|e| e.message)));
        });
    };
    view! {
        <details class="card" data-testid="import-bars">
            <summary><h2 class="inline-h">"Import bars (CSV)"</h2></summary>
            <p class="hint">"Columns: date or time (YYYY-MM-DD, RFC 3339, unix seconds or ms, MM/DD/YYYY), open, high, low, close, volume, and optionally symbol. Comma, semicolon or tab. Bars at times you already have replace them."</p>
            <form class="chart-form" on:submit=submit>
                <label>"Symbol (when the file has no symbol column)"
                    <input data-testid="bars-symbol" autocomplete="off" prop:value=move || symbol.get()
                        on:input=move |ev| symbol.set(event_target_value(&ev).to_uppercase())/>
                </label>
                <label>"Interval"
                    <select data-testid="bars-interval" on:change=move |ev| interval.set(event_target_value(&ev))>
                        <option value="">"From the bar spacing"</option>
                        {["1m", "5m", "15m", "1h", "4h", "1D", "1W"].into_iter()
                            .map(|o| view! { <option value=o>{o}</option> }).collect_view()}
                    </select>
                </label>
                <label>"File"<input type="file" id=FILE_INPUT accept=".csv,.txt,text/csv" data-testid="bars-file"/></label>
                <label class="wide">"…or paste"
                    <textarea rows="4" data-testid="bars-paste" placeholder="date,open,high,low,close,volume"
                        prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" data-testid="bars-import" disabled=move || busy.get()>
                    {move || if busy.get() { "Importing…" } else { "Import" }}
                </button>
            </form>
            {move || outcome.get().map(|o| match o {
                Ok(done) => view! {
                    <ul class="form-notice" role="status" data-testid="bars-result">
                        {done.into_iter().map(|d| view! {
                            <li>{format!("{} {}: {} bars{}", d.symbol, d.interval, d.bars,
                                match (d.first, d.last) {
                                    (Some(a), Some(b)) => format!(", {} to {}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d")),
                                    _ => String::new(),
                                })}</li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="bars-result">{e}</p> }.into_any(),
            })}
        </details>
    }
}
