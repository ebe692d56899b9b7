//! The import wizard: choose or paste a file, preview what it holds (rows, errors with
//! line numbers, resulting trades, duplicates), then import it with a progress bar.

use super::upload::{self, UploadOptions};
use crate::error::AppError;
use crate::journal_wire::ImportReport;
use journal::import::{ColumnMapping, Format};
use leptos::prelude::*;

const FILE_INPUT: &str = "import-file";
/// How much of a file the column mapper reads (the header and the first rows).
const HEAD_BYTES: usize = 64 * 1024;

#[component]
pub fn ImportTab(#[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let format = RwSignal::new(String::from("auto"));
    let timezone = RwSignal::new(String::from("America/New_York"));
    let account = RwSignal::new(String::new());
    let pasted = RwSignal::new(String::new());
    let report = RwSignal::new(None::<ImportReport>);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let mapping = RwSignal::new(ColumnMapping::default());
    // The start of the chosen or pasted file, for the column mapper.
    let head = RwSignal::new(String::new());
    let read_head = move || {
        let pasted_text = pasted.get_untracked();
        leptos::task::spawn_local(async move {
            match upload::file_head(FILE_INPUT, HEAD_BYTES).await {
                Ok(Some(text)) => head.set(text),
                _ => head.set(pasted_text.chars().take(HEAD_BYTES).collect()),
            }
        });
    };
    let mapping_json = move || {
        if format.get_untracked() == "mapped" {
            serde_json::to_string(&mapping.get_untracked()).unwrap_or_default()
        } else {
            String::new()
        }
    };

    let opts = move |dry_run: bool, skip_errors: bool| UploadOptions {
        format: if format.get_untracked() == "auto" {
            String::new()
        } else {
            format.get_untracked()
        },
        timezone: timezone.get_untracked(),
        account: account.get_untracked(),
        dry_run,
        skip_errors,
        mapping: mapping_json(),
    };
    let run = move |dry_run: bool, skip_errors: bool| {
        busy.set(true);
        error.set(None);
        let o = opts(dry_run, skip_errors);
        let text = pasted.get_untracked();
        leptos::task::spawn_local(async move {
            let mut result = upload::upload(FILE_INPUT, &text, &o).await;
            // A large file answers 202: follow its progress until it ends.
            while let Ok((_, r)) = &result {
                if r.status != "running" {
                    break;
                }
                report.set(Some(r.clone()));
                gloo_timers::future::TimeoutFuture::new(400).await;
                let Some(id) = r.id else { break };
                result = upload::poll(id).await;
            }
            match result {
                Ok((_, r)) => {
                    let finished = r.status == "done";
                    report.set(Some(r));
                    if finished {
                        on_done.run(());
                    }
                }
                Err(e) => {
                    // A refused file still shows its row errors.
                    if let Some(errors) = e.details.as_ref().and_then(|d| d.get("errors")) {
                        if let Ok(errors) = serde_json::from_value(errors.clone()) {
                            report.update(|r| {
                                if let Some(r) = r {
                                    r.errors = errors;
                                }
                            });
                        }
                    }
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let cancel = move |_| {
        if let Some(id) = report.get_untracked().and_then(|r| r.id) {
            leptos::task::spawn_local(async move {
                let _ = upload::cancel(id).await;
            });
        }
    };
    view! {
        <section class="card" aria-labelledby="import-h">
            <h2 id="import-h">"Import trades"</h2>
            <p class="muted">"Interactive Brokers (Flex and Activity Statement), thinkorswim, Schwab, Tastytrade, Robinhood, Webull or a generic CSV (Date, Time, Symbol, Quantity, Price, Side, Commission). The format is detected; re-importing a file adds nothing twice."</p>
            <form class="form-grid" on:submit=move |ev| { ev.prevent_default(); run(true, false); }>
                <label>"CSV file"
                    <input id=FILE_INPUT type="file" accept=".csv,.txt,text/csv" data-testid="import-file"
                        on:change=move |_| read_head()/>
                </label>
                <label>"…or paste the file"
                    <textarea rows="4" data-testid="import-paste" placeholder="Date,Time,Symbol,Quantity,Price,Side"
                        prop:value=move || pasted.get()
                        on:input=move |ev| { pasted.set(event_target_value(&ev)); read_head(); }></textarea>
                </label>
                <label>"Format"
                    <select data-testid="import-format" prop:value=move || format.get()
                        on:change=move |ev| format.set(event_target_value(&ev))>
                        <option value="auto">"Detect automatically"</option>
                        {Format::ALL.iter().filter(|f| **f != Format::Mapped).map(|f| view! {
                            <option value=f.id()>{f.label()}</option>
                        }).collect_view()}
                        <option value="mapped">"Other: map the columns myself"</option>
                    </select>
                </label>
                <label>"Statement timezone"
                    <input type="text" list="tz-list" data-testid="import-tz" prop:value=move || timezone.get()
                        on:input=move |ev| timezone.set(event_target_value(&ev))/>
                    <datalist id="tz-list">
                        {["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney", "UTC"]
                            .into_iter().map(|z| view! { <option value=z/> }).collect_view()}
                    </datalist>
                </label>
                <label>"Account (when the file names none)"
                    <input type="text" data-testid="import-account" placeholder="default"
                        prop:value=move || account.get() on:input=move |ev| account.set(event_target_value(&ev))/>
                </label>
                {move || (format.get() == "mapped").then(|| view! {
                    <super::mapper::Mapper head=head.into() timezone=timezone mapping=mapping/>
                })}
                <p class="actions">
                    <button type="submit" data-testid="import-preview" disabled=move || busy.get()>"Preview"</button>
                    <button type="button" class="primary" data-testid="import-commit" disabled=move || busy.get()
                        on:click=move |_| run(false, false)>"Import"</button>
                </p>
            </form>
            {move || error.get().map(|e| {
                let refused = e.details.as_ref().is_some_and(|d| d.get("errors").is_some());
                let unknown = e.message.contains("not recognised") && format.get_untracked() != "mapped";
                view! {
                    <p class="form-error" role="alert" data-testid="import-error">{e.message}</p>
                    {unknown.then(|| view! {
                        <button type="button" class="small" data-testid="import-map-columns"
                            on:click=move |_| { format.set("mapped".into()); error.set(None); }>"Map the columns myself"</button>
                    })}
                    {refused.then(|| view! {
                        <button type="button" class="small" data-testid="import-skip-errors" disabled=move || busy.get()
                            on:click=move |_| run(false, true)>"Import the readable rows, leaving out the bad ones"</button>
                    })}
                }
            })}
            {move || report.get().map(|r| view! { <Report report=r on_cancel=cancel/> })}
        </section>
    }
}

#[component]
fn Report<F>(report: ImportReport, on_cancel: F) -> impl IntoView
where
    F: Fn(leptos::ev::MouseEvent) + 'static,
{
    let running = report.status == "running";
    let pct = (report.processed * 100)
        .checked_div(report.to_process)
        .unwrap_or(0)
        .min(100);
    let headline = match report.status.as_str() {
        "preview" => format!(
            "{}: {} rows, {} new, {} already imported, {} trades",
            report.format_label,
            report.total_rows,
            report.executions,
            report.duplicates,
            report.trades
        ),
        "running" => format!("Importing… {pct}%"),
        _ => report.message.clone(),
    };
    view! {
        <div class="import-report" data-testid="import-report" data-status=report.status.clone()>
            <p role="status"><strong>{headline}</strong></p>
            {running.then(|| view! {
                <progress max="100" value=pct data-testid="import-progress"></progress>
                <button type="button" class="small" on:click=on_cancel>"Cancel import"</button>
            })}
            {(!report.errors.is_empty()).then(|| view! {
                <h3>{format!("{} row(s) could not be read", report.errors.len())}</h3>
                <table class="data" data-testid="import-errors">
                    <thead><tr><th>"Line"</th><th>"Problem"</th></tr></thead>
                    <tbody>{report.errors.iter().take(200).map(|e| view! {
                        <tr><td>{e.line}</td><td>{e.message.clone()}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            })}
            {(!report.preview_trades.is_empty()).then(|| view! {
                <h3>"Trades in this file"</h3>
                <div class="table-wrap"><table class="data" data-testid="import-trades">
                    <thead><tr><th>"Opened"</th><th>"Account"</th><th>"Symbol"</th><th>"Side"</th><th>"Legs"</th><th>"Qty"</th><th>"Status"</th><th class="num">"P&L"</th></tr></thead>
                    <tbody>{report.preview_trades.iter().map(|t| view! {
                        <tr>
                            <td>{t.opened_at.format("%Y-%m-%d %H:%M").to_string()}</td>
                            <td>{t.account.clone()}</td>
                            <td>{t.symbol.clone()}</td>
                            <td>{t.side.clone()}</td>
                            <td>{t.legs}</td>
                            <td>{t.quantity.to_string()}</td>
                            <td>{t.status.clone()}</td>
                            <td class="num" class:pos={t.pnl.is_sign_positive() && !t.pnl.is_zero()} class:neg={t.pnl.is_sign_negative() && !t.pnl.is_zero()}>{t.pnl.to_string()}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table></div>
            })}
        </div>
    }
}
