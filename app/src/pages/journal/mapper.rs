//! The column mapper: for a CSV no parser knows, pick which header is the date, symbol,
//! side, quantity, price and fees. It starts from a guess (`journal::import::suggest_mapping`),
//! shows the first rows read through the real parser as the trader edits (in the browser,
//! no round trip), and saves mappings per workspace for the next file.

use crate::error::AppError;
use crate::server_fns::{journal_mappings, journal_save_mapping};
use journal::import::{
    parse, suggest_mapping, ColumnMapping, Format, ImportOptions, ParseOutput, SAMPLE_ROWS,
};
use leptos::prelude::*;

/// Common date formats offered in the format field (any chrono format is accepted).
const FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%m/%d/%Y",
];

/// The header and the first rows of `text`, enough for the live preview.
fn sample_text(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .take(SAMPLE_ROWS + 1)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sample read with `mapping`, in `timezone` (UTC when it is not a zone name).
fn read_sample(text: &str, mapping: &ColumnMapping, timezone: &str) -> Result<ParseOutput, String> {
    let opts = ImportOptions {
        timezone: timezone.trim().parse().unwrap_or(chrono_tz::UTC),
        account: None,
        format: Some(Format::Mapped),
        mapping: Some(mapping.clone()),
    };
    parse(sample_text(text).as_bytes(), &opts).map_err(|e| e.to_string())
}

#[component]
pub fn Mapper(
    /// The start of the chosen or pasted file.
    head: Signal<String>,
    /// The import form's statement timezone: saved with a mapping, set by loading one.
    timezone: RwSignal<String>,
    mapping: RwSignal<ColumnMapping>,
) -> impl IntoView {
    let headers = RwSignal::new(Vec::<String>::new());
    // A new file brings a new guess.
    Effect::new(move |_| {
        let text = head.get();
        match suggest_mapping(&text) {
            Some(s) => {
                headers.set(s.headers);
                mapping.set(s.mapping);
            }
            None => headers.set(Vec::new()),
        }
    });
    let saved_changed = RwSignal::new(0u32);
    let saved = LocalResource::new(move || {
        saved_changed.track();
        journal_mappings()
    });
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<String, AppError>>);
    // Not a <form>: the mapper sits inside the import form.
    let save = move || {
        let (n, mut m) = (name.get_untracked(), mapping.get_untracked());
        let tz = timezone.get_untracked();
        m.timezone = (!tz.trim().is_empty()).then_some(tz);
        leptos::task::spawn_local(async move {
            let r = journal_save_mapping(n, m).await;
            if r.is_ok() {
                saved_changed.update(|c| *c += 1);
            }
            message.set(Some(r.map(|s| format!("Saved mapping “{}”.", s.name))));
        });
    };
    let load = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        let found = saved
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|s| s.name == chosen));
        if let Some(s) = found {
            name.set(s.name);
            if let Some(tz) = s.mapping.timezone.clone() {
                timezone.set(tz);
            }
            mapping.set(s.mapping);
        }
    };
    let preview = Memo::new(move |_| {
        let text = head.get();
        (!text.trim().is_empty()).then(|| mapping.with(|m| read_sample(&text, m, &timezone.get())))
    });
    let column = move |label: &'static str,
                       id: &'static str,
                       required: bool,
                       get: fn(&ColumnMapping) -> String,
                       set: fn(&mut ColumnMapping, String)| {
        view! {
            <label>{label}{required.then_some(" *")}
                <select data-testid=format!("map-{id}")
                    prop:value=move || mapping.with(get)
                    on:change=move |ev| { let v = event_target_value(&ev); mapping.update(|m| set(m, v)); }>
                    <option value="">{if required { "Choose a column" } else { "(none)" }}</option>
                    {move || headers.get().into_iter().map(|h| view! {
                        <option value=h.clone() selected=mapping.with(|m| get(m) == h)>{h.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <fieldset class="mapper" data-testid="mapper">
            <legend>"Map the columns"</legend>
            {move || headers.with(Vec::is_empty).then(|| view! {
                <p class="muted" data-testid="mapper-empty">"Choose or paste a file above: its header row fills these lists, with a first guess."</p>
            })}
            <Transition fallback=|| ()>
                {move || saved.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|list| view! {
                    <label>"Start from a saved mapping"
                        <select data-testid="map-saved" on:change=load>
                            <option value="">"—"</option>
                            {list.into_iter().map(|s| view! { <option value=s.name.clone()>{s.name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                })}
            </Transition>
            <div class="form-grid">
                {column("Date (or date and time)", "date", true, |m| m.date.clone(), |m, v| m.date = v)}
                {column("Time, when separate", "time", false, |m| m.time.clone().unwrap_or_default(), |m, v| m.time = (!v.is_empty()).then_some(v))}
                {column("Symbol", "symbol", true, |m| m.symbol.clone(), |m, v| m.symbol = v)}
                {column("Side (none: the quantity's sign)", "side", false, |m| m.side.clone(), |m, v| m.side = v)}
                {column("Quantity", "quantity", true, |m| m.quantity.clone(), |m, v| m.quantity = v)}
                {column("Price", "price", true, |m| m.price.clone(), |m, v| m.price = v)}
                {column("Account", "account", false, |m| m.account.clone().unwrap_or_default(), |m, v| m.account = (!v.is_empty()).then_some(v))}
                {column("Execution id", "exec_id", false, |m| m.exec_id.clone().unwrap_or_default(), |m, v| m.exec_id = (!v.is_empty()).then_some(v))}
                {column("Order id", "order_id", false, |m| m.order_id.clone().unwrap_or_default(), |m, v| m.order_id = (!v.is_empty()).then_some(v))}
                <label>"Date format (chrono; empty reads the usual forms)"
                    <input type="text" list="map-formats" data-testid="map-format" placeholder="%m/%d/%Y %H:%M:%S"
                        prop:value=move || mapping.with(|m| m.datetime_format.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); mapping.update(|m| m.datetime_format = v); }/>
                    <datalist id="map-formats">{FORMATS.iter().map(|f| view! { <option value=*f/> }).collect_view()}</datalist>
                </label>
            </div>
            {move || (!headers.with(Vec::is_empty)).then(|| view! {
                <div class="fees" role="group" aria-label="Fee columns (added up)">
                    <span class="hint">"Fee columns (added up): "</span>
                    {headers.get().into_iter().map(|h| {
                        let h2 = h.clone();
                        let h3 = h.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" data-testid="map-fee" value=h.clone()
                                    prop:checked=move || mapping.with(|m| m.fees.contains(&h2))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let h = h3.clone();
                                        mapping.update(|m| {
                                            m.fees.retain(|f| *f != h);
                                            if on { m.fees.push(h); }
                                        });
                                    }/>
                                {h.clone()}
                            </label>
                        }
                    }).collect_view()}
                </div>
            })}
            {move || preview.get().map(|r| view! { <SamplePreview result=r timezone=timezone.get()/> })}
            <div class="inline-form">
                <label class="field">"Save this mapping as"
                    <input type="text" data-testid="map-name" placeholder="My broker"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); save(); }/>
                </label>
                <button type="button" data-testid="map-save" on:click=move |_| save()>"Save mapping"</button>
                <span class="hint">{move || format!("Saved with the statement timezone ({}); loading it sets that timezone again.", timezone.get())}</span>
            </div>
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="form-notice" role="status" data-testid="map-message">{t}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert" data-testid="map-message">{e.message}</p> }.into_any(),
            })}
        </fieldset>
    }
}

/// The first rows as the parser reads them with the current mapping, or why it cannot.
#[component]
fn SamplePreview(result: Result<ParseOutput, String>, timezone: String) -> impl IntoView {
    let tz: chrono_tz::Tz = timezone.trim().parse().unwrap_or(chrono_tz::UTC);
    match result {
        Err(e) => view! { <p class="form-error" data-testid="map-preview-error">{format!("Cannot read the file yet: {e}")}</p> }.into_any(),
        Ok(out) => view! {
            <div class="table-wrap">
                <table class="data" data-testid="map-preview">
                    <caption class="hint">{format!("The first rows as they will be imported (times in {tz})")}</caption>
                    <thead><tr><th>"Line"</th><th>"Time"</th><th>"Symbol"</th><th>"Side"</th><th class="num">"Qty"</th><th class="num">"Price"</th><th class="num">"Fees"</th></tr></thead>
                    <tbody>
                        {out.rows.iter().map(|r| {
                            let e = &r.execution;
                            view! {
                                <tr data-testid="map-preview-row">
                                    <td>{r.line}</td>
                                    <td>{e.time.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                    <td>{e.symbol.clone()}</td>
                                    <td>{e.side.as_str()}</td>
                                    <td class="num">{e.quantity.to_string()}</td>
                                    <td class="num">{e.price.to_string()}</td>
                                    <td class="num">{e.fees.to_string()}</td>
                                </tr>
                            }
                        }).collect_view()}
                        {out.errors.iter().map(|e| view! {
                            <tr class="row-error" data-testid="map-preview-row-error"><td>{e.line}</td><td colspan="6">{e.message.clone()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_read_with_the_mapping_in_the_statement_timezone() {
        let csv = "When,What,Dir,N,Px,Fee\n2024-03-04 09:30:00,AAPL,B,100,170,1\n\n2024-03-04 10:00:00,AAPL,S,100,171,1\nmore,rows,past,the,sample,x\n";
        let mut m = suggest_mapping(csv).expect("header").mapping;
        m.date = "When".into();
        m.symbol = "What".into();
        m.side = "Dir".into();
        m.quantity = "N".into();
        m.price = "Px".into();
        m.fees = vec!["Fee".into()];
        let out = read_sample(csv, &m, "America/New_York").expect("reads");
        assert_eq!(out.rows.len(), 2);
        assert_eq!(
            out.rows[0].execution.time.to_rfc3339(),
            "2024-03-04T14:30:00+00:00"
        );
        assert_eq!(
            out.errors.len(),
            1,
            "the third data row is within the sample: {:?}",
            out.errors
        );
        m.price = "Nope".into();
        assert!(read_sample(csv, &m, "UTC").unwrap_err().contains("Nope"));
    }
}
