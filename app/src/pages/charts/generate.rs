//! The "New chart" form: a chart image rendered on the server from stored bars with
//! studies; saved configurations (templates) to reuse; the same configuration for a whole
//! watchlist at once (bulk).

use crate::charts_wire::{BulkRequest, ChartRequest, NewTemplate, StudyInput, TemplateView};
use crate::server_fns::{
    chart_bulk, chart_generate, chart_symbols, chart_template_delete, chart_template_save,
    chart_templates,
};
use leptos::prelude::*;
use std::collections::BTreeMap;
use uuid::Uuid;

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

/// The form's fields; `request` reads them as a chart request, `apply` fills them from one.
#[derive(Clone, Copy)]
struct Fields {
    symbol: RwSignal<String>,
    interval: RwSignal<String>,
    range: RwSignal<String>,
    theme: RwSignal<String>,
    style: RwSignal<String>,
    chosen: RwSignal<Vec<String>>,
}

impl Fields {
    fn request(&self) -> ChartRequest {
        let studies = self
            .chosen
            .get_untracked()
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
        ChartRequest {
            symbol: self.symbol.get_untracked(),
            interval: self.interval.get_untracked(),
            range: Some(self.range.get_untracked()),
            theme: self.theme.get_untracked(),
            style: self.style.get_untracked(),
            studies,
            ..Default::default()
        }
    }

    /// Takes a template's settings; its symbol only when the form has none.
    fn apply(&self, c: &ChartRequest) {
        if self.symbol.get_untracked().trim().is_empty() {
            self.symbol.set(c.symbol.clone());
        }
        self.interval.set(c.interval.clone());
        if let Some(r) = &c.range {
            self.range.set(r.clone());
        }
        self.theme.set(c.theme.clone());
        self.style.set(c.style.clone());
        self.chosen.set(
            c.studies
                .iter()
                .map(|s| s.name.to_lowercase())
                .filter(|n| STUDIES.iter().any(|o| o.0 == n))
                .collect(),
        );
    }
}

#[component]
pub fn GenerateForm(#[prop(into)] on_done: Callback<()>) -> impl IntoView {
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
    let fields = Fields {
        symbol,
        interval,
        range,
        theme,
        style,
        chosen,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        generate.dispatch(fields.request());
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
            <Templates fields=fields/>
            <Bulk fields=fields on_done=on_done/>
        </section>
    }
}

/// Saved configurations: pick one to fill the form, save the form as one, delete one.
#[component]
fn Templates(fields: Fields) -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let list = Resource::new(move || refresh.get(), |_| chart_templates());
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let picked = RwSignal::new(String::new());
    let save = Action::new(move |t: &NewTemplate| {
        let t = t.clone();
        async move { chart_template_save(t).await }
    });
    let delete = Action::new(move |id: &Uuid| {
        let id = *id;
        async move { chart_template_delete(id).await }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get() {
            match r {
                Ok(t) => {
                    message.set(Some(Ok(format!("Saved template “{}”.", t.name))));
                    name.set(String::new());
                    refresh.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(Err(e.message))),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(r) = delete.value().get() {
            match r {
                Ok(()) => {
                    message.set(Some(Ok("Template deleted.".into())));
                    picked.set(String::new());
                    refresh.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(Err(e.message))),
            }
        }
    });
    let templates = move || list.get().and_then(Result::ok).unwrap_or_default();
    let find = move |id: &str| -> Option<TemplateView> {
        templates().into_iter().find(|t| t.id.to_string() == id)
    };
    view! {
        <div class="chart-form templates">
            <label>"Template"
                <select data-testid="template-pick" prop:value=move || picked.get()
                    on:change=move |ev| {
                        let id = event_target_value(&ev);
                        if let Some(t) = find(&id) {
                            fields.apply(&t.config);
                            message.set(Some(Ok(format!("Applied “{}”.", t.name))));
                        }
                        picked.set(id);
                    }>
                    <option value="">"Choose a saved template…"</option>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            list.await.unwrap_or_default().into_iter()
                                .map(|t| view! { <option value=t.id.to_string()>{t.name}</option> })
                                .collect_view()
                        })}
                    </Transition>
                </select>
            </label>
            <button type="button" class="small" data-testid="template-delete"
                disabled=move || picked.get().is_empty()
                on:click=move |_| {
                    if let Ok(id) = picked.get_untracked().parse::<Uuid>() {
                        delete.dispatch(id);
                    }
                }>"Delete template"</button>
            <form class="inline" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save.dispatch(NewTemplate { name: name.get_untracked(), config: fields.request() });
            }>
                <label>"Save these settings as"
                    <input data-testid="template-name" placeholder="e.g. Daily swing" maxlength="100"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="small" data-testid="template-save"
                    disabled=move || save.pending().get()>"Save template"</button>
            </form>
        </div>
        {move || message.get().map(|m| match m {
            Ok(t) => view! { <p class="form-notice" role="status" data-testid="template-message">{t}</p> }.into_any(),
            Err(e) => view! { <p class="error" role="alert" data-testid="template-message">{e}</p> }.into_any(),
        })}
    }
}

/// The form's settings for every symbol of a watchlist; each chart counts against the
/// quota and the answer says which symbols failed and why.
#[component]
fn Bulk(fields: Fields, on_done: Callback<()>) -> impl IntoView {
    let symbols = RwSignal::new(String::new());
    let run = Action::new(move |req: &BulkRequest| {
        let req = req.clone();
        async move { chart_bulk(req).await }
    });
    let outcome = RwSignal::new(None::<Result<(usize, Vec<String>), String>>);
    Effect::new(move |_| {
        if let Some(r) = run.value().get() {
            outcome.set(Some(match r {
                Ok(b) => {
                    on_done.run(());
                    let failures = b
                        .results
                        .into_iter()
                        .filter_map(|i| i.error.map(|e| format!("{}: {}", i.symbol, e.message)))
                        .collect();
                    Ok((b.generated, failures))
                }
                Err(e) => Err(e.message),
            }));
        }
    });
    view! {
        <form class="chart-form bulk" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let list: Vec<String> = symbols
                .get_untracked()
                .split([',', ' ', '\n', ';'])
                .map(|s| s.trim().to_uppercase())
                .filter(|s| !s.is_empty())
                .collect();
            run.dispatch(BulkRequest { symbols: list, config: Some(fields.request()), template_id: None });
        }>
            <label>"Watchlist"
                <input data-testid="bulk-symbols" placeholder="AAPL, MSFT, IBM" autocomplete="off"
                    prop:value=move || symbols.get() on:input=move |ev| symbols.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="small" data-testid="bulk-generate" disabled=move || run.pending().get()>
                {move || if run.pending().get() { "Rendering…" } else { "Chart each symbol" }}
            </button>
        </form>
        {move || outcome.get().map(|o| match o {
            Ok((n, failed)) => view! {
                <div class="form-notice" role="status" data-testid="bulk-result">
                    <p>{format!("{n} chart{} generated{}", if n == 1 { "" } else { "s" },
                        if failed.is_empty() { ".".to_string() } else { format!(", {} failed:", failed.len()) })}</p>
                    <ul>{failed.into_iter().map(|f| view! { <li class="error">{f}</li> }).collect_view()}</ul>
                </div>
            }.into_any(),
            Err(e) => view! { <p class="error" role="alert" data-testid="bulk-result">{e}</p> }.into_any(),
        })}
    }
}
