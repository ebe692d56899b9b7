//! The interactive chart: a symbol's stored bars loaded once, drawn on a canvas in the
//! browser, panned (drag, arrow keys, horizontal wheel) and zoomed (wheel, + and −) with
//! a crosshair and an OHLC readout; studies are added and removed with no server round
//! trip, computed by the same `indicators` crate the server uses.

mod canvas;
mod layout;
mod scale;
mod scene;
mod studies;
mod viewport;

use crate::server_fns::chart_bars;
use indicators::{Bar, StudySpec};
use layout::Layout;
use leptos::html;
use leptos::prelude::*;
use scene::{Frame, Style};
use studies::Active;
use viewport::Viewport;
use wasm_bindgen::{closure::Closure, JsCast};

/// What another part of the page asks the interactive chart to show.
#[derive(Clone, Debug, PartialEq)]
pub struct ExploreRequest {
    pub symbol: String,
    pub interval: String,
}

/// Bars shown when a series is loaded (about half a year of daily bars).
const INITIAL_SPAN: usize = 120;
/// Zoom step of one wheel notch or key press.
const ZOOM: f64 = 1.2;
/// Below this width the chart uses the phone layout.
const COMPACT_BELOW: f64 = 600.0;

/// The loaded series: bars and where they came from.
#[derive(Clone, Debug, Default, PartialEq)]
struct Series {
    symbol: String,
    interval: String,
    bars: Vec<Bar>,
    note: Option<String>,
}

#[component]
pub fn Explorer(request: RwSignal<Option<ExploreRequest>>) -> impl IntoView {
    let symbol_in = RwSignal::new(String::from("AAPL"));
    let interval_in = RwSignal::new(String::from("1D"));
    let wanted = RwSignal::new((String::from("AAPL"), String::from("1D")));
    let style = RwSignal::new(Style::Candles);
    // none, splits or all: prices as traded, split-adjusted, or total return.
    let adjust = RwSignal::new(String::from("none"));
    // Requests from the chart history ("Open interactive").
    Effect::new(move |_| {
        if let Some(r) = request.get() {
            symbol_in.set(r.symbol.clone());
            interval_in.set(r.interval.clone());
            wanted.set((r.symbol, r.interval));
        }
    });
    let loaded = LocalResource::new(move || {
        let (s, i) = wanted.get();
        let adj = adjust.get();
        async move {
            chart_bars(s.clone(), i.clone(), adj).await.map(|b| Series {
                symbol: b.symbol,
                interval: b.interval,
                bars: b.bars.into_iter().map(Bar::from).collect(),
                note: b.note,
            })
        }
    });
    let series = Memo::new(move |_| loaded.get().and_then(Result::ok).unwrap_or_default());
    let error = Memo::new(move |_| loaded.get().and_then(|r| r.err()).map(|e| e.message));
    let loading = Memo::new(move |_| loaded.get().is_none());

    let next_id = StoredValue::new(4u32);
    let active = RwSignal::new(vec![
        Active {
            id: 1,
            spec: StudySpec::new(studies::VOLUME),
        },
        Active {
            id: 2,
            spec: StudySpec::new("sma").with("period", 50.0),
        },
        Active {
            id: 3,
            spec: StudySpec::new("rsi").with("period", 14.0),
        },
    ]);
    let computed =
        Memo::new(move |_| series.with(|s| active.with(|a| studies::compute_all(&s.bars, a))));

    let view = RwSignal::new(Viewport::latest(0, INITIAL_SPAN));
    // A new series starts at its newest bars.
    Effect::new(move |_| {
        let n = series.with(|s| s.bars.len());
        view.set(Viewport::latest(n, INITIAL_SPAN));
    });
    let pointer = RwSignal::new(None::<(f64, f64)>);
    let drag = StoredValue::new(None::<(f64, Viewport)>);
    let width = RwSignal::new(0.0f64);
    let wrap = NodeRef::<html::Div>::new();
    let canvas_ref = NodeRef::<html::Canvas>::new();

    // `try_`: the observer's last callbacks can arrive after the page has left.
    let measure = move || {
        if let (Some(Some(el)), Some(old)) = (wrap.try_get_untracked(), width.try_get_untracked()) {
            let w = el.client_width() as f64;
            if w > 0.0 && (w - old).abs() >= 1.0 {
                width.try_set(w);
            }
        }
    };
    // The width follows the card's: a ResizeObserver also catches the first layout (the
    // element can still be detached, 0 px wide, when effects first run) and phones turning.
    Effect::new(move |_| {
        let Some(el) = wrap.get() else { return };
        measure();
        let cb = Closure::<dyn Fn(js_sys::Array)>::new(move |_: js_sys::Array| measure());
        if let Ok(observer) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
            observer.observe(&el);
            // Stop observing when the chart goes (browser-only values: never sent anywhere).
            let observer = send_wrapper::SendWrapper::new(observer);
            on_cleanup(move || observer.disconnect());
        }
        // Lives as long as the element, like the observer that calls it.
        cb.forget();
    });

    let lower_count = Memo::new(move |_| {
        computed.with(|c| c.iter().filter(|s| s.pane == studies::Pane::Lower).count())
    });
    let layout = Memo::new(move |_| {
        let w = width.get();
        Layout::new(w, lower_count.get(), w < COMPACT_BELOW)
    });

    let frames = Frames {
        series,
        computed,
        view,
        layout,
        pointer,
        style,
    };

    // Repaint whenever anything the frame depends on changes.
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let l = layout.get();
        if width.get() <= 0.0 {
            return;
        }
        let theme = canvas::page_theme();
        frames.with(|frame| {
            let sc = scene::build(frame, &theme);
            canvas::paint(&canvas, l.width, l.height, &sc.cmds);
        });
    });

    let n = move || series.with(|s| s.bars.len());
    let plot_w = move || layout.with(|l| l.price.w);
    let zoom_by = move |factor: f64, anchor: f64| view.update(|v| *v = v.zoom(factor, anchor, n()));
    let pan_by = move |bars: f64| view.update(|v| *v = v.pan(bars, n()));

    let on_pointer_down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        if let Some(c) = canvas_ref.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
        }
        drag.set_value(Some((ev.offset_x() as f64, view.get_untracked())));
    };
    let on_pointer_move = move |ev: leptos::ev::PointerEvent| {
        let (x, y) = (ev.offset_x() as f64, ev.offset_y() as f64);
        pointer.set(Some((x, y)));
        if let Some((x0, v0)) = drag.get_value() {
            let slot = v0.slot(plot_w());
            if slot > 0.0 {
                view.set(v0.pan(-(x - x0) / slot, n()));
            }
        }
    };
    let on_pointer_end = move |_| drag.set_value(None);
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        if ev.delta_x().abs() > ev.delta_y().abs() {
            let slot = view.get_untracked().slot(plot_w());
            if slot > 0.0 {
                pan_by(ev.delta_x() / slot);
            }
        } else if ev.delta_y() != 0.0 {
            // One notch of a mouse wheel is about 100 px (3 lines in line mode); trackpads
            // send many small deltas, so the zoom follows the distance scrolled.
            let px = if ev.delta_mode() == 1 {
                ev.delta_y() * 33.0
            } else {
                ev.delta_y()
            };
            let factor = ZOOM.powf((px / 100.0).clamp(-5.0, 5.0));
            zoom_by(factor, ev.offset_x() as f64 / plot_w());
        }
    };
    // The wheel zooms the chart instead of scrolling the page: that needs a listener on the
    // canvas itself that is not passive (a delegated one on the document would be).
    Effect::new(move |_| {
        let Some(c) = canvas_ref.get() else { return };
        let cb = Closure::<dyn Fn(web_sys::WheelEvent)>::new(on_wheel);
        let opts = web_sys::AddEventListenerOptions::new();
        opts.set_passive(false);
        let _ = c.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            cb.as_ref().unchecked_ref(),
            &opts,
        );
        // The listener lives as long as the canvas, which takes it when it goes.
        cb.forget();
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let span = view.get_untracked().span;
        let step = if ev.shift_key() {
            span
        } else {
            (span / 10.0).max(1.0)
        };
        match ev.key().as_str() {
            "ArrowLeft" => pan_by(-step),
            "ArrowRight" => pan_by(step),
            "+" | "=" => zoom_by(1.0 / ZOOM, 1.0),
            "-" | "_" => zoom_by(ZOOM, 1.0),
            "Home" => view.update(|v| *v = Viewport { end: v.span, ..*v }.clamped(n())),
            "End" | "Escape" => view.set(Viewport::latest(n(), view.get_untracked().span as usize)),
            _ => return,
        }
        ev.prevent_default();
    };

    // The readout: the bar under the pointer, else the last one.
    let readout = move || {
        frames.with(|frame| {
            let i = scene::pointer_bar(frame).or(frame.bars.len().checked_sub(1))?;
            Some(readout_text(frame.bars, i, frame.intraday))
        })
    };
    let visible = move || {
        series.with(|s| {
            let r = view.get().visible(s.bars.len());
            if r.is_empty() {
                return String::new();
            }
            let intraday = is_intraday(&s.interval);
            format!(
                "{} – {} · {} bars of {}",
                scale::readout_time(s.bars[r.start].t, intraday),
                scale::readout_time(s.bars[r.end - 1].t, intraday),
                r.len(),
                s.bars.len()
            )
        })
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        wanted.set((
            symbol_in.get_untracked().trim().to_uppercase(),
            interval_in.get_untracked(),
        ));
    };

    view! {
        <section class="card explorer" aria-labelledby="explore-h" data-testid="explorer">
            <h2 id="explore-h">"Interactive chart"</h2>
            <form class="chart-form" on:submit=submit>
                <label>"Symbol"
                    <input data-testid="explore-symbol" list="chart-symbols" autocomplete="off" required
                        prop:value=move || symbol_in.get()
                        on:input=move |ev| symbol_in.set(event_target_value(&ev).to_uppercase())/>
                </label>
                <label>"Interval"
                    <select data-testid="explore-interval" prop:value=move || interval_in.get()
                        on:change=move |ev| interval_in.set(event_target_value(&ev))>
                        {["1D", "1W", "1h", "4h", "15m", "5m", "1m"].into_iter()
                            .map(|o| view! { <option value=o>{o}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Style"
                    <select data-testid="explore-style"
                        on:change=move |ev| style.set(if event_target_value(&ev) == "line" { Style::Line } else { Style::Candles })>
                        <option value="candles">"Candles"</option>
                        <option value="line">"Line"</option>
                    </select>
                </label>
                <label>"Prices"
                    <select data-testid="explore-adjust" title="Adjust earlier prices for splits, or for splits and cash dividends (total return)"
                        on:change=move |ev| adjust.set(event_target_value(&ev))>
                        <option value="none">"As traded"</option>
                        <option value="splits">"Split-adjusted"</option>
                        <option value="all">"Total return"</option>
                    </select>
                </label>
                <button type="submit" data-testid="explore-load">"Show"</button>
            </form>
            <StudyBar active=active next_id=next_id/>
            <div class="explorer-tools">
                <p class="readout" data-testid="chart-readout" aria-live="polite">
                    {move || readout().unwrap_or_default()}
                </p>
                <div class="actions">
                    <button type="button" class="small" aria-label="Zoom out" data-testid="zoom-out"
                        on:click=move |_| zoom_by(ZOOM, 1.0)>"−"</button>
                    <button type="button" class="small" aria-label="Zoom in" data-testid="zoom-in"
                        on:click=move |_| zoom_by(1.0 / ZOOM, 1.0)>"+"</button>
                    <button type="button" class="small" data-testid="zoom-reset"
                        on:click=move |_| view.set(Viewport::latest(n(), INITIAL_SPAN))>"Latest"</button>
                </div>
            </div>
            <div class="explorer-canvas" node_ref=wrap>
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="explore-error">{e}</p> })}
                {move || (loading.get()).then(|| view! { <p class="muted">"Loading bars…"</p> })}
                <canvas node_ref=canvas_ref tabindex="0" data-testid="explore-canvas"
                    role="img"
                    aria-label=move || format!("{} interactive chart. Arrow keys pan, plus and minus zoom, End returns to the latest bar.",
                        series.with(|s| format!("{} {}", s.symbol, s.interval)))
                    data-bars=move || n().to_string()
                    data-visible=move || { let r = view.get().visible(n()); format!("{}..{}", r.start, r.end) }
                    data-studies=move || active.with(|a| a.iter().map(|s| studies::label(&s.spec)).collect::<Vec<_>>().join("|"))
                    hidden=move || n() == 0
                    on:pointerdown=on_pointer_down
                    on:pointermove=on_pointer_move
                    on:pointerup=on_pointer_end
                    on:pointercancel=on_pointer_end
                    on:pointerleave=move |_| pointer.set(None)
                    on:keydown=on_key
                    on:dblclick=move |_| view.set(Viewport::latest(n(), INITIAL_SPAN))/>
            </div>
            <p class="muted small-print" data-testid="explore-range">{visible}</p>
            {move || series.with(|s| s.note.clone()).map(|n| view! { <p class="muted small-print">{n}</p> })}
        </section>
    }
}

/// Chips for the studies on the chart, each removable, and a form to add one with its
/// parameters (checked as the API checks them).
#[component]
fn StudyBar(active: RwSignal<Vec<Active>>, next_id: StoredValue<u32>) -> impl IntoView {
    let choice = RwSignal::new(String::from("ema"));
    let fields = RwSignal::new(Vec::<(String, String)>::new());
    let error = RwSignal::new(None::<String>);
    // The parameter inputs follow the chosen study, prefilled with its defaults.
    Effect::new(move |_| {
        let name = choice.get();
        fields.set(
            studies::params_of(&name)
                .iter()
                .map(|(p, d)| (p.to_string(), format!("{d}")))
                .collect(),
        );
        error.set(None);
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match studies::spec_from_form(&choice.get_untracked(), &fields.get_untracked()) {
            Ok(spec) => {
                if active.with_untracked(|a| a.iter().any(|s| s.spec == spec)) {
                    error.set(Some(format!(
                        "{} is already on the chart.",
                        studies::label(&spec)
                    )));
                    return;
                }
                let id = next_id.get_value();
                next_id.set_value(id + 1);
                active.update(|a| a.push(Active { id, spec }));
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <ul class="study-chips" aria-label="Studies on the chart" data-testid="study-chips">
            <For each=move || active.get() key=|s| s.id let:s>
                {
                    let label = studies::label(&s.spec);
                    let id = s.id;
                    view! {
                        <li class="chip">
                            <span>{label.clone()}</span>
                            <button type="button" class="link" aria-label=format!("Remove {label}")
                                data-testid=format!("remove-study-{}", label.replace([' ', ','], "").to_lowercase())
                                on:click=move |_| active.update(|a| a.retain(|x| x.id != id))>"×"</button>
                        </li>
                    }
                }
            </For>
        </ul>
        <form class="chart-form add-study" on:submit=add aria-label="Add a study">
            <label>"Add study"
                <select data-testid="add-study-name" prop:value=move || choice.get()
                    on:change=move |ev| choice.set(event_target_value(&ev))>
                    {studies::offered().into_iter().map(|(name, long)| view! { <option value=name>{long}</option> }).collect_view()}
                </select>
            </label>
            {move || fields.get().into_iter().enumerate().map(|(k, (param, value))| view! {
                <label>{param.replace('_', " ")}
                    <input inputmode="decimal" class="param" data-testid=format!("add-study-{param}")
                        prop:value=value
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            fields.update(|f| if let Some(e) = f.get_mut(k) { e.1 = v; });
                        }/>
                </label>
            }).collect_view()}
            <button type="submit" data-testid="add-study">"Add"</button>
        </form>
        {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="add-study-error">{e}</p> })}
    }
}

/// The signals one frame is drawn from; `with` lends the frame (tracking them all).
#[derive(Clone, Copy)]
struct Frames {
    series: Memo<Series>,
    computed: Memo<Vec<studies::Computed>>,
    view: RwSignal<Viewport>,
    layout: Memo<Layout>,
    pointer: RwSignal<Option<(f64, f64)>>,
    style: RwSignal<Style>,
}

impl Frames {
    fn with<R>(&self, f: impl FnOnce(&Frame) -> R) -> R {
        let l = self.layout.get();
        self.series.with(|s| {
            self.computed.with(|c| {
                let title = format!("{} · {}", s.symbol, s.interval);
                f(&Frame {
                    bars: &s.bars,
                    studies: c,
                    view: self.view.get(),
                    layout: &l,
                    pointer: self.pointer.get(),
                    style: self.style.get(),
                    intraday: is_intraday(&s.interval),
                    title: &title,
                })
            })
        })
    }
}

fn is_intraday(interval: &str) -> bool {
    !matches!(interval, "1D" | "1W")
}

/// "2012-09-19  O 702.41  H 702.80  L 688.02  C 702.10  +0.45%  V 21.6M"
fn readout_text(bars: &[Bar], i: usize, intraday: bool) -> String {
    let b = bars[i];
    let change = i
        .checked_sub(1)
        .map(|p| bars[p].c)
        .filter(|p| *p != 0.0)
        .map(|p| format!("  {:+.2}%", (b.c / p - 1.0) * 100.0))
        .unwrap_or_default();
    format!(
        "{}  O {:.2}  H {:.2}  L {:.2}  C {:.2}{change}  V {}",
        scale::readout_time(b.t, intraday),
        b.o,
        b.h,
        b.l,
        b.c,
        scale::compact(b.v)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readout_gives_the_bar_and_its_change() {
        let bars = [
            Bar::new(1_348_012_800_000, 699.0, 701.0, 695.0, 699.0, 1.0e7),
            Bar::new(
                1_348_099_200_000,
                702.41,
                702.80,
                688.02,
                702.10,
                21_634_000.0,
            ),
        ];
        assert_eq!(
            readout_text(&bars, 1, false),
            "2012-09-20  O 702.41  H 702.80  L 688.02  C 702.10  +0.44%  V 21.6M"
        );
        assert_eq!(
            readout_text(&bars, 0, false),
            "2012-09-19  O 699.00  H 701.00  L 695.00  C 699.00  V 10.0M"
        );
        assert!(is_intraday("5m") && !is_intraday("1D"));
    }
}
