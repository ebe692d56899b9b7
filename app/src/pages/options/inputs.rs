//! Inputs of the Strategy Lab: numbers typed freely (a half-typed "1." is not an error
//! until it is left that way), the market, and the legs.

use crate::options::spec::{LegKind, LegSpec, Style};
use crate::options::StrategySpec;
use crate::ui::format;
use leptos::prelude::*;

/// A number box that keeps what the user types, hands valid values to `on_change` as they
/// are typed, and says what is wrong with an invalid one. `scale` converts the shown value
/// to the stored one (percent boxes show 25 for 0.25).
#[component]
pub fn NumberField(
    label: &'static str,
    id: String,
    /// The stored value; when it changes from elsewhere the box follows.
    #[prop(into)]
    value: Signal<Option<f64>>,
    on_change: Callback<Option<f64>>,
    #[prop(default = 1.0)] scale: f64,
    #[prop(default = 0.0)] min: f64,
    #[prop(default = false)] allow_empty: bool,
    #[prop(default = false)] allow_negative: bool,
    #[prop(default = "any")] step: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] hide_label: bool,
) -> impl IntoView {
    let shown = move |v: Option<f64>| v.map(|v| format::input(v * scale)).unwrap_or_default();
    let text = RwSignal::new(shown(value.get_untracked()));
    let error = RwSignal::new(None::<String>);
    // Follow outside changes (a template, a loaded strategy) unless the box already says so.
    Effect::new(move || {
        let v = value.get();
        let current = text
            .get_untracked()
            .trim()
            .parse::<f64>()
            .ok()
            .map(|t| t / scale);
        let same = match (current, v) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * b.abs().max(1.0),
            (None, None) => true,
            _ => false,
        };
        if !same {
            text.set(shown(v));
            error.set(None);
        }
    });
    let err_id = format!("{id}-error");
    let on_input = move |ev| {
        let raw = event_target_value(&ev);
        text.set(raw.clone());
        let t = raw.trim();
        if t.is_empty() {
            if allow_empty {
                error.set(None);
                on_change.run(None);
            } else {
                error.set(Some("Enter a number".into()));
            }
            return;
        }
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() && (allow_negative || v >= min) => {
                error.set(None);
                on_change.run(Some(v / scale));
            }
            Ok(_) if !allow_negative => error.set(Some(format!("At least {}", format::input(min)))),
            _ => error.set(Some("Enter a number".into())),
        }
    };
    view! {
        <div class="field num" class:invalid=move || error.get().is_some()>
            <label for=id.clone() class:visually-hidden=hide_label>{label}</label>
            <input
                id=id
                type="text"
                inputmode="decimal"
                autocomplete="off"
                step=step
                placeholder=placeholder
                prop:value=move || text.get()
                on:input=on_input
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=err_id.clone()
            />
            <p class="field-error" id=err_id role="status">{move || error.get()}</p>
        </div>
    }
}

#[component]
pub fn MarketInputs(spec: RwSignal<StrategySpec>) -> impl IntoView {
    let field = move |f: fn(&StrategySpec) -> f64| Signal::derive(move || Some(spec.with(f)));
    view! {
        <fieldset class="market">
            <legend>"Market"</legend>
            <NumberField label="Underlying price" id="m-spot".into()
                value=field(|s| s.market.spot) min=0.0
                on_change=Callback::new(move |v: Option<f64>| if let Some(v) = v.filter(|v| *v > 0.0) { spec.update(|s| s.market.spot = v) })/>
            <NumberField label="Volatility %" id="m-vol".into() scale=100.0
                value=field(|s| s.market.vol)
                on_change=Callback::new(move |v: Option<f64>| if let Some(v) = v.filter(|v| *v > 0.0 && *v <= 10.0) { spec.update(|s| s.market.vol = v) })/>
            <NumberField label="Rate %" id="m-r".into() scale=100.0 allow_negative=true
                value=field(|s| s.market.r)
                on_change=Callback::new(move |v: Option<f64>| if let Some(v) = v { spec.update(|s| s.market.r = v) })/>
            <NumberField label="Dividend yield %" id="m-q".into() scale=100.0 allow_negative=true
                value=field(|s| s.market.q)
                on_change=Callback::new(move |v: Option<f64>| if let Some(v) = v { spec.update(|s| s.market.q = v) })/>
        </fieldset>
    }
}

fn leg_value(
    spec: RwSignal<StrategySpec>,
    i: usize,
    f: fn(&LegSpec) -> Option<f64>,
) -> Signal<Option<f64>> {
    Signal::derive(move || spec.with(|s| s.legs.get(i).and_then(f)))
}

fn set_leg(
    spec: RwSignal<StrategySpec>,
    i: usize,
    f: impl Fn(&mut LegSpec) + Send + Sync + 'static,
) -> impl Fn() + Send + Sync + 'static {
    move || {
        spec.update(|s| {
            if let Some(l) = s.legs.get_mut(i) {
                f(l)
            }
        })
    }
}

/// One row of the legs table. Structural changes (add, remove, template) re-render the
/// whole table; edits inside a row only update the spec.
#[component]
fn LegRow(spec: RwSignal<StrategySpec>, i: usize, on_remove: Callback<usize>) -> impl IntoView {
    let leg = spec.with_untracked(|s| s.legs[i].clone());
    let is_stock = RwSignal::new(leg.kind == LegKind::Stock);
    let cb = move |f: fn(&mut LegSpec, Option<f64>)| {
        Callback::new(move |v: Option<f64>| {
            spec.update(|s| {
                if let Some(l) = s.legs.get_mut(i) {
                    f(l, v)
                }
            })
        })
    };
    let kind_str = |k: LegKind| match k {
        LegKind::Call => "call",
        LegKind::Put => "put",
        LegKind::Stock => "stock",
    };
    view! {
        <tr class="leg" data-testid=format!("leg-{i}")>
            <td>
                <label class="visually-hidden" for=format!("leg-{i}-type")>"Type"</label>
                <select id=format!("leg-{i}-type") on:change=move |ev| {
                    let k = match event_target_value(&ev).as_str() { "put" => LegKind::Put, "stock" => LegKind::Stock, _ => LegKind::Call };
                    is_stock.set(k == LegKind::Stock);
                    spec.update(|s| {
                        let step = crate::options::templates::strike_step(s.market.spot);
                        let atm = ((s.market.spot / step).round() * step).max(step);
                        if let Some(l) = s.legs.get_mut(i) {
                            l.kind = k;
                            if k == LegKind::Stock {
                                l.strike = None;
                                l.days = None;
                                l.quantity = l.quantity.signum() * 100.0;
                            } else {
                                l.strike.get_or_insert(atm);
                                l.days.get_or_insert(30.0);
                            }
                        }
                    });
                }>
                    {["call", "put", "stock"].into_iter().map(|k| view! {
                        <option value=k selected=kind_str(leg.kind) == k>{k}</option>
                    }).collect_view()}
                </select>
            </td>
            <td><NumberField label="Quantity" hide_label=true id=format!("leg-{i}-qty") allow_negative=true
                value=leg_value(spec, i, |l| Some(l.quantity))
                on_change=cb(|l, v| if let Some(v) = v.filter(|v| *v != 0.0) { l.quantity = v })/></td>
            <td><Show when=move || !is_stock.get() fallback=|| view! { <span class="muted">"—"</span> }>
                <NumberField label="Strike" hide_label=true id=format!("leg-{i}-strike")
                    value=leg_value(spec, i, |l| l.strike)
                    on_change=cb(|l, v| if let Some(v) = v.filter(|v| *v > 0.0) { l.strike = Some(v) })/>
            </Show></td>
            <td><Show when=move || !is_stock.get() fallback=|| view! { <span class="muted">"—"</span> }>
                <NumberField label="Days to expiry" hide_label=true id=format!("leg-{i}-days")
                    value=leg_value(spec, i, |l| l.days)
                    on_change=cb(|l, v| if let Some(v) = v { l.days = Some(v) })/>
            </Show></td>
            <td><Show when=move || !is_stock.get() fallback=|| view! { <span class="muted">"—"</span> }>
                <label class="visually-hidden" for=format!("leg-{i}-style")>"Exercise"</label>
                <select id=format!("leg-{i}-style") on:change=move |ev| {
                    let st = if event_target_value(&ev) == "american" { Style::American } else { Style::European };
                    set_leg(spec, i, move |l| l.style = st)();
                }>
                    <option value="european" selected=leg.style == Style::European>"European"</option>
                    <option value="american" selected=leg.style == Style::American>"American"</option>
                </select>
            </Show></td>
            <td><Show when=move || !is_stock.get() fallback=|| view! { <span class="muted">"—"</span> }>
                <NumberField label="Leg volatility %" hide_label=true id=format!("leg-{i}-vol") scale=100.0 allow_empty=true placeholder="flat"
                    value=leg_value(spec, i, |l| l.vol)
                    on_change=cb(|l, v| l.vol = v.filter(|v| *v > 0.0))/>
            </Show></td>
            <td><NumberField label="Entry price" hide_label=true id=format!("leg-{i}-entry") allow_empty=true placeholder="theo"
                value=leg_value(spec, i, |l| l.entry_price)
                on_change=cb(|l, v| l.entry_price = v)/></td>
            <td>
                <button class="small icon" type="button" title="Remove this leg"
                    on:click=move |_| on_remove.run(i)>
                    <span aria-hidden="true">"✕"</span><span class="visually-hidden">"Remove leg"</span>
                </button>
            </td>
        </tr>
    }
}

#[component]
pub fn LegsEditor(spec: RwSignal<StrategySpec>, structure: RwSignal<u64>) -> impl IntoView {
    let remove = Callback::new(move |i: usize| {
        spec.update(|s| {
            if i < s.legs.len() && s.legs.len() > 1 {
                s.legs.remove(i);
            }
        });
        structure.update(|n| *n += 1);
    });
    let add = move |kind: LegKind| {
        spec.update(|s| {
            let days = s.first_expiry_days().unwrap_or(30.0);
            let strike = crate::options::templates::strike_step(s.market.spot);
            let atm = ((s.market.spot / strike).round() * strike).max(strike);
            s.legs.push(LegSpec {
                kind,
                quantity: if kind == LegKind::Stock { 100.0 } else { 1.0 },
                strike: (kind != LegKind::Stock).then_some(atm),
                days: (kind != LegKind::Stock).then_some(days),
                style: Style::European,
                vol: None,
                entry_price: None,
                multiplier: None,
            });
        });
        structure.update(|n| *n += 1);
    };
    view! {
        <div class="legs">
            <table class="table legs-table">
                <thead><tr>
                    <th>"Type"</th><th>"Qty (− short)"</th><th>"Strike"</th><th>"Days"</th>
                    <th>"Exercise"</th><th>"Vol %"</th><th>"Entry"</th><th><span class="visually-hidden">"Remove"</span></th>
                </tr></thead>
                <tbody>
                    {move || {
                        structure.get();
                        let n = spec.with_untracked(|s| s.legs.len());
                        (0..n).map(|i| view! { <LegRow spec=spec i=i on_remove=remove/> }).collect_view()
                    }}
                </tbody>
            </table>
            <p class="actions">
                <button class="small" type="button" on:click=move |_| add(LegKind::Call)>"+ Call"</button>
                <button class="small" type="button" on:click=move |_| add(LegKind::Put)>"+ Put"</button>
                <button class="small" type="button" on:click=move |_| add(LegKind::Stock)>"+ Stock"</button>
            </p>
        </div>
    }
}
