//! The Strategy Lab: build a strategy from a template or leg by leg and see it priced in
//! the browser on every change — no server round trip, so it works offline too.

mod charts;
mod inputs;
mod saved;
mod summary;

use crate::client;
use crate::options::analysis::{analyze, curve_at, Resolution, StrategyReport};
use crate::options::spec::{MarketSpec, StrategySpec};
use crate::options::{templates, url};
use charts::{HeatMap, PayoffChart};
use inputs::{LegsEditor, MarketInputs, NumberField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use saved::SavedPanel;
use summary::{GreeksTable, Summary};

pub const DEFAULT_TEMPLATE: &str = "bull_call_spread";

fn default_spec() -> StrategySpec {
    let market = MarketSpec {
        spot: 100.0,
        r: 0.04,
        q: 0.0,
        vol: 0.25,
    };
    StrategySpec {
        name: "Bull call spread".into(),
        legs: templates::build(DEFAULT_TEMPLATE, market.spot, 30.0).unwrap_or_default(),
        market,
        eval_days: 0.0,
        drift: None,
    }
}

/// The page's state: the strategy (without the evaluation date, so moving the date slider
/// recomputes one curve, not the whole analysis), the date, and a counter bumped when the
/// legs change shape so the legs table is rebuilt.
#[derive(Clone, Copy)]
pub struct Lab {
    pub spec: RwSignal<StrategySpec>,
    pub eval_days: RwSignal<f64>,
    pub structure: RwSignal<u64>,
}

impl Lab {
    /// The whole strategy as shared and saved, evaluation date included.
    pub fn snapshot(&self) -> StrategySpec {
        let mut s = self.spec.get_untracked();
        s.eval_days = self.eval_days.get_untracked();
        s
    }

    pub fn load(&self, mut s: StrategySpec) {
        self.eval_days.set(s.eval_days);
        s.eval_days = 0.0;
        self.spec.set(s);
        self.structure.update(|n| *n += 1);
    }
}

#[component]
pub fn StrategyLabPage() -> impl IntoView {
    let query = use_query_map();
    let from_link = query
        .with_untracked(|q| q.get("s"))
        .map(|s| url::decode(&s));
    let link_error = from_link
        .as_ref()
        .and_then(|r| r.as_ref().err().map(|e| e.message.clone()));
    let mut initial = from_link.and_then(Result::ok).unwrap_or_else(default_spec);
    let lab = Lab {
        eval_days: RwSignal::new(initial.eval_days),
        spec: RwSignal::new({
            initial.eval_days = 0.0;
            initial
        }),
        structure: RwSignal::new(0),
    };
    let Lab {
        spec,
        eval_days,
        structure,
    } = lab;

    let report = Memo::new(move |_| spec.with(|s| analyze(s, Resolution::default())));
    let last_good = RwSignal::new(None::<StrategyReport>);
    Effect::new(move || {
        if let Ok(r) = report.get() {
            last_good.set(Some(r));
        }
    });
    let good = Signal::derive(move || match report.get() {
        Ok(r) => Some(r),
        Err(_) => last_good.get(),
    });
    let max_days = Signal::derive(move || {
        good.with(|r| r.as_ref().map(|r| r.first_expiry_days).unwrap_or(0.0))
    });
    let eval_curve = Memo::new(move |_| {
        let d = eval_days.get().min(max_days.get());
        let prices = good.with(|r| {
            r.as_ref()
                .map(|r| r.curve_prices.clone())
                .unwrap_or_default()
        });
        spec.with(|s| curve_at(s, &prices, d)).unwrap_or_default()
    });

    // Keep the address bar in step, so the link always reopens what is on screen.
    Effect::new(move || {
        spec.track();
        eval_days.track();
        let encoded = url::encode(&lab.snapshot());
        client::replace_query(&format!("?s={encoded}"));
    });

    let template_days = RwSignal::new(30.0);
    let apply_template = move |id: String| {
        let days = template_days.get_untracked();
        spec.update(|s| {
            if let Some(legs) = templates::build(&id, s.market.spot, days) {
                s.legs = legs;
                s.name = templates::TEMPLATES
                    .iter()
                    .find(|t| t.id == id)
                    .map(|t| t.label.to_string())
                    .unwrap_or_default();
            }
        });
        eval_days.set(0.0);
        structure.update(|n| *n += 1);
    };

    let r = move || {
        good.get().unwrap_or_else(|| {
            analyze(&default_spec(), Resolution::default()).unwrap_or_else(|_| unreachable_report())
        })
    };
    let report_signal = Signal::derive(r);

    view! {
        <Title text="Strategy Lab"/>
        <div class="lab">
            <header class="lab-head">
                <h1>"Strategy Lab"</h1>
                <p class="muted">"Every number below is computed in your browser as you type: nothing is sent anywhere, and it works offline."</p>
                {link_error.map(|e| view! { <p class="form-error" role="alert">{e}" — showing the default strategy instead."</p> })}
            </header>

            <section class="card lab-inputs" aria-label="Strategy">
                <div class="lab-row">
                    <div class="field">
                        <label for="template">"Template"</label>
                        <select id="template" data-testid="template" on:change=move |ev| apply_template(event_target_value(&ev))>
                            <option value="" selected=true disabled=true>"Choose a template…"</option>
                            {templates::TEMPLATES.iter().map(|t| view! { <option value=t.id>{t.label}</option> }).collect_view()}
                        </select>
                    </div>
                    <NumberField label="Template days to expiry" id="template-days".into()
                        value=Signal::derive(move || Some(template_days.get()))
                        on_change=Callback::new(move |v: Option<f64>| if let Some(v) = v.filter(|v| *v >= 1.0) { template_days.set(v) })/>
                    <div class="field">
                        <label for="strategy-name">"Name"</label>
                        <input id="strategy-name" type="text" maxlength="100"
                            prop:value=move || spec.with(|s| s.name.clone())
                            on:input=move |ev| spec.update(|s| s.name = event_target_value(&ev))/>
                    </div>
                </div>
                <MarketInputs spec=spec/>
                <LegsEditor spec=spec structure=structure/>
                {move || report.get().err().map(|e| view! {
                    <p class="form-error" role="alert" data-testid="lab-error">{e.message}</p>
                })}
            </section>

            <section class="card" aria-label="Results">
                <Summary report=report_signal/>
                <div class="field slider">
                    <label for="eval-days">
                        {move || {
                            let d = eval_days.get().min(max_days.get());
                            format!("Evaluation date: in {:.0} days ({:.0} days before the first expiry)", d, (max_days.get() - d).max(0.0))
                        }}
                    </label>
                    <input id="eval-days" type="range" min="0" step="1" data-testid="eval-slider"
                        max=move || format!("{:.0}", max_days.get())
                        prop:value=move || format!("{:.0}", eval_days.get())
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                eval_days.set(v);
                            }
                        }/>
                </div>
                <PayoffChart
                    prices=Signal::derive(move || report_signal.with(|r| r.curve_prices.clone()))
                    expiry=Signal::derive(move || report_signal.with(|r| r.expiry_pnl.clone()))
                    eval=eval_curve
                    breakevens=Signal::derive(move || report_signal.with(|r| r.breakevens.clone()))
                    spot=Signal::derive(move || spec.with(|s| s.market.spot))
                    eval_label=Signal::derive(move || format!("In {:.0} days", eval_days.get().min(max_days.get())))
                />
                <h2>"P/L by price and date"</h2>
                <HeatMap grid=Signal::derive(move || report_signal.with(|r| r.grid.clone())) eval_days=eval_days/>
                <h2>"Greeks"</h2>
                <GreeksTable report=report_signal legs=Signal::derive(move || spec.with(|s| s.legs.clone()))/>
            </section>

            <SavedPanel lab=lab/>
        </div>
    }
}

/// Only reachable if the built-in default strategy stopped pricing: an empty report keeps
/// the page alive while the error box says what is wrong.
fn unreachable_report() -> StrategyReport {
    StrategyReport {
        net_debit: 0.0,
        entry_prices: vec![],
        breakevens: vec![],
        max_profit: crate::options::analysis::Extreme {
            value: None,
            at: None,
            unlimited: false,
        },
        max_loss: crate::options::analysis::Extreme {
            value: None,
            at: None,
            unlimited: false,
        },
        probability_of_profit: 0.0,
        expected_move: 0.0,
        one_sigma_range: [0.0, 0.0],
        first_expiry_days: 0.0,
        leg_greeks: vec![],
        total_greeks: Default::default(),
        curve_prices: vec![],
        expiry_pnl: vec![],
        eval_pnl: vec![],
        eval_days: 0.0,
        grid: Default::default(),
    }
}
