//! The trade list: filters, pagination, and an inline detail to edit setup, stop,
//! target, tags and notes, or to delete (with undo).

use crate::error::AppError;
use crate::journal_wire::{TradeFilter, TradePatch, TradeView};
use crate::server_fns::{
    journal_delete_trade, journal_patch_trade, journal_restore_trade, journal_tags, journal_trades,
};
use leptos::prelude::*;
use uuid::Uuid;

const PAGE: i64 = 50;

fn pnl_class(s: &str) -> &'static str {
    if s.starts_with('-') {
        "num neg"
    } else if s.trim_start_matches(['0', '.']).is_empty() {
        "num"
    } else {
        "num pos"
    }
}

#[component]
pub fn TradesTab(#[prop(into)] refresh: Signal<u32>) -> impl IntoView {
    let symbol = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let side = RwSignal::new(String::new());
    let offset = RwSignal::new(0i64);
    let changed = RwSignal::new(0u32);
    let open = RwSignal::new(None::<Uuid>);
    let undo = RwSignal::new(None::<Uuid>);
    // Saving refreshes the list, which re-creates the open detail: the "Saved" note lives
    // here so it survives that.
    provide_context(SavedTrade(RwSignal::new(None::<Uuid>)));
    let filter = move || TradeFilter {
        symbol: Some(symbol.get()),
        tag: Some(tag.get()),
        status: Some(status.get()),
        side: Some(side.get()),
        limit: Some(PAGE),
        offset: Some(offset.get()),
        ..TradeFilter::default()
    };
    // A new filter or page closes the open detail, so a click always opens the row clicked.
    Effect::new(move |prev: Option<()>| {
        let _ = (
            symbol.get(),
            tag.get(),
            status.get(),
            side.get(),
            offset.get(),
        );
        if prev.is_some() {
            open.set(None);
        }
    });
    let page = Resource::new(
        move || (filter(), refresh.get(), changed.get()),
        |(f, _, _)| journal_trades(f),
    );
    let tags = Resource::new(move || (refresh.get(), changed.get()), |_| journal_tags());
    let export = move || {
        let mut q = vec!["format=csv".to_string()];
        for (k, v) in [
            ("symbol", symbol.get()),
            ("tag", tag.get()),
            ("status", status.get()),
            ("side", side.get()),
        ] {
            if !v.is_empty() {
                q.push(format!("{k}={v}"));
            }
        }
        format!("/api/v1/trades/export?{}", q.join("&"))
    };
    let restore = move |id: Uuid| {
        leptos::task::spawn_local(async move {
            if journal_restore_trade(id).await.is_ok() {
                undo.set(None);
                changed.update(|n| *n += 1);
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="trades-h">
            <h2 id="trades-h">"Trades"</h2>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <label>"Symbol"<input type="search" data-testid="filter-symbol" prop:value=move || symbol.get()
                    on:change=move |ev| { offset.set(0); symbol.set(event_target_value(&ev)); }/></label>
                <label>"Tag"
                    <select data-testid="filter-tag" on:change=move |ev| { offset.set(0); tag.set(event_target_value(&ev)); }>
                        <option value="">"Any"</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                tags.await.unwrap_or_default().into_iter().map(|t| view! {
                                    <option value=t.name.clone() selected=t.name == tag.get_untracked()>{t.name.clone()}</option>
                                }).collect_view()
                            })}
                        </Transition>
                    </select>
                </label>
                <label>"Status"
                    <select data-testid="filter-status" on:change=move |ev| { offset.set(0); status.set(event_target_value(&ev)); }>
                        <option value="">"Any"</option><option value="open">"Open"</option><option value="closed">"Closed"</option>
                    </select>
                </label>
                <label>"Side"
                    <select on:change=move |ev| { offset.set(0); side.set(event_target_value(&ev)); }>
                        <option value="">"Any"</option><option value="long">"Long"</option><option value="short">"Short"</option>
                    </select>
                </label>
                <a class="button small" href=export download data-testid="export-csv" rel="external">"Export CSV"</a>
            </form>
            {move || undo.get().map(|id| view! {
                <p class="notice" role="status" data-testid="undo-banner">"Trade moved to the trash (kept 30 days). "
                    <button type="button" class="small" data-testid="undo-delete" on:click=move |_| restore(id)>"Undo"</button>
                </p>
            })}
            <Transition fallback=|| view! { <p class="muted">"Loading trades…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                        Ok(p) if p.trades.is_empty() => view! {
                            <p class="muted" data-testid="no-trades">"No trades match. Import a broker file or clear the filters."</p>
                        }.into_any(),
                        Ok(p) => {
                            let total = p.pagination.total;
                            let has_more = p.pagination.has_more;
                            let start = p.pagination.offset;
                            let shown = p.trades.len() as i64;
                            view! {
                                <div class="table-wrap">
                                <table class="data trades" data-testid="trades-table">
                                    <thead><tr><th>"Opened (UTC)"</th><th>"Symbol"</th><th>"Side"</th><th class="num">"Qty"</th><th class="num">"Entry"</th><th class="num">"Exit"</th><th class="num">"P&L"</th><th class="num">"R"</th><th>"Tags"</th></tr></thead>
                                    <tbody>
                                        {p.trades.into_iter().map(|t| view! { <TradeRow t=t open=open changed=changed undo=undo/> }).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                                <p class="pager">
                                    <span class="muted" data-testid="trades-count">{format!("{}–{} of {total}", start + 1, start + shown)}</span>
                                    <button type="button" class="small" disabled={start == 0} on:click=move |_| offset.update(|o| *o = (*o - PAGE).max(0))>"Previous"</button>
                                    <button type="button" class="small" disabled={!has_more} on:click=move |_| offset.update(|o| *o += PAGE)>"Next"</button>
                                </p>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
        <super::tags::TagManager tags=tags changed=changed/>
    }
}

/// The trade whose edits were saved last.
#[derive(Clone, Copy)]
struct SavedTrade(RwSignal<Option<Uuid>>);

#[component]
fn TradeRow(
    t: TradeView,
    open: RwSignal<Option<Uuid>>,
    changed: RwSignal<u32>,
    undo: RwSignal<Option<Uuid>>,
) -> impl IntoView {
    let id = t.id;
    let pnl = t.pnl.to_string();
    let tags = t.tags.clone();
    let detail = t.clone();
    view! {
        <tr class="clickable" data-testid="trade-row" data-symbol=t.symbol.clone()
            tabindex="0" aria-expanded=move || (open.get() == Some(id)).to_string()
            on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })
            on:keydown=move |ev| if ev.key() == "Enter" { open.update(|o| *o = if *o == Some(id) { None } else { Some(id) }) }>
            <td>{t.opened_at.format("%Y-%m-%d %H:%M").to_string()}</td>
            <td>{t.symbol.clone()}{(t.legs.len() > 1).then(|| format!(" ({} legs)", t.legs.len()))}</td>
            <td>{t.side.clone()}{(t.status == "open").then_some(" · open")}</td>
            <td class="num">{t.quantity.to_string()}</td>
            <td class="num">{t.entry_price.to_string()}</td>
            <td class="num">{t.exit_price.map(|p| p.to_string()).unwrap_or_default()}</td>
            <td class=pnl_class(&pnl) data-testid="trade-pnl">{pnl.clone()}</td>
            <td class="num">{t.r_multiple.map(|r| format!("{r:.2}R")).unwrap_or_default()}</td>
            <td>{tags.iter().map(|g| view! { <span class="tag" data-color=g.color.clone()>{g.name.clone()}</span> }).collect_view()}</td>
        </tr>
        {move || (open.get() == Some(id)).then(|| view! {
            <tr class="detail"><td colspan="9"><TradeDetail t=detail.clone() changed=changed undo=undo/></td></tr>
        })}
    }
}

#[component]
fn TradeDetail(
    t: TradeView,
    changed: RwSignal<u32>,
    undo: RwSignal<Option<Uuid>>,
) -> impl IntoView {
    let id = t.id;
    let setup = RwSignal::new(t.setup.clone().unwrap_or_default());
    let stop = RwSignal::new(t.stop.map(|d| d.to_string()).unwrap_or_default());
    let target = RwSignal::new(t.target.map(|d| d.to_string()).unwrap_or_default());
    let tags = RwSignal::new(
        t.tags
            .iter()
            .map(|g| g.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let notes = RwSignal::new(t.notes.clone());
    let error = RwSignal::new(None::<AppError>);
    let saved = use_context::<SavedTrade>().map(|s| s.0);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let opt = |s: String| {
            if s.trim().is_empty() {
                Some(None)
            } else {
                Some(Some(s))
            }
        };
        let patch = TradePatch {
            setup: opt(setup.get_untracked()),
            notes: Some(notes.get_untracked()),
            stop: opt(stop.get_untracked()),
            target: opt(target.get_untracked()),
            tags: Some(
                tags.get_untracked()
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            ),
        };
        leptos::task::spawn_local(async move {
            match journal_patch_trade(id, patch).await {
                Ok(_) => {
                    error.set(None);
                    if let Some(s) = saved {
                        s.set(Some(id));
                    }
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let delete = move |_| {
        leptos::task::spawn_local(async move {
            match journal_delete_trade(id).await {
                Ok(()) => {
                    undo.set(Some(id));
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let field_error = move |f: &str| {
        error
            .get()
            .filter(|e| e.field() == Some(f))
            .map(|e| e.message)
    };
    view! {
        <div class="trade-detail" data-testid="trade-detail">
            <p class="muted">
                {format!("{} · {} · gross {} · fees {} · {}", t.account, t.instrument, t.gross_pnl, t.fees,
                    t.pnl_pct.map(|p| format!("{p}%")).unwrap_or_default())}
                {t.hold_seconds.map(|s| format!(" · held {}", hold(s)))}
                {t.incomplete.then_some(" · opening fill missing from the imported file")}
            </p>
            <Excursion id=id/>
            {(t.legs.len() > 1).then(|| view! {
                <ul class="legs">{t.legs.iter().map(|l| view! {
                    <li>{format!("{} {} × {} @ {}{}", l.side, l.quantity, l.contract, l.avg_entry.round_dp(4),
                        l.avg_exit.map(|x| format!(" → {}", x.round_dp(4))).unwrap_or_default())}</li>
                }).collect_view()}</ul>
            })}
            <form class="form-grid" on:submit=save>
                <label>"Setup"<input type="text" data-testid="edit-setup" prop:value=move || setup.get() on:input=move |ev| setup.set(event_target_value(&ev))/></label>
                <label>"Stop"<input type="text" inputmode="decimal" data-testid="edit-stop" prop:value=move || stop.get() on:input=move |ev| stop.set(event_target_value(&ev))/>
                    {move || field_error("stop").map(|m| view! { <span class="field-error">{m}</span> })}</label>
                <label>"Target"<input type="text" inputmode="decimal" data-testid="edit-target" prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev))/>
                    {move || field_error("target").map(|m| view! { <span class="field-error">{m}</span> })}</label>
                <label>"Tags (comma separated)"<input type="text" data-testid="edit-tags" prop:value=move || tags.get() on:input=move |ev| tags.set(event_target_value(&ev))/></label>
                <label class="wide">"Notes (Markdown)"<textarea rows="3" data-testid="edit-notes" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea></label>
                {move || (!notes.with(|n| n.trim().is_empty())).then(|| view! {
                    <div class="wide markdown" data-testid="notes-preview" aria-label="Notes as shown"
                        inner_html=move || crate::ui::markdown::to_safe_html(&notes.get())></div>
                })}
                <p class="actions">
                    <button type="submit" class="primary" data-testid="save-trade">"Save"</button>
                    <button type="button" class="danger small" data-testid="delete-trade" on:click=delete>"Delete"</button>
                    <span role="status" class="muted">{move || (saved.and_then(|s| s.get()) == Some(id)).then_some("Saved")}</span>
                </p>
                {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
            </form>
            <super::attachments::Attachments trade_id=id/>
        </div>
    }
}

/// MAE / MFE from the stored bars, read when the detail opens (one request per trade).
#[component]
fn Excursion(id: Uuid) -> impl IntoView {
    let excursion = LocalResource::new(move || crate::server_fns::journal_trade_excursion(id));
    let in_r = |r: Option<f64>| r.map(|r| format!(" ({r:+.2}R)")).unwrap_or_default();
    view! {
        <Suspense fallback=|| ()>
            {move || excursion.get().and_then(Result::ok).flatten().map(|e| view! {
                <p class="muted" data-testid="trade-excursion">
                    {format!(
                        "MAE {}{} at {} · MFE +{}{} at {} · from {} {} bars{}",
                        e.mae, in_r(e.mae_r), e.worst_price, e.mfe, in_r(e.mfe_r), e.best_price,
                        e.bars, e.interval,
                        if e.interval == "1D" { " (whole days: upper bounds)" } else { "" }
                    )}
                </p>
            })}
        </Suspense>
    }
}

/// A hold time: minutes, hours and minutes, or days and hours.
pub fn hold(s: i64) -> String {
    match s {
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h {}m", s / 3600, (s % 3600) / 60),
        s => format!("{}d {}h", s / 86_400, (s % 86_400) / 3600),
    }
}
