//! Saving strategies to the workspace and opening them again (signed-in users).

use super::Lab;
use crate::client;
use crate::roles::Action;
use crate::server_fns::{list_strategies, DeleteStrategy, SaveStrategy};
use crate::ui::auth::use_auth;
use crate::ui::forms::ConfirmButton;
use leptos::prelude::*;

#[component]
pub fn SavedPanel(lab: Lab) -> impl IntoView {
    let auth = use_auth();
    let save = ServerAction::<SaveStrategy>::new();
    let delete = ServerAction::<DeleteStrategy>::new();
    let copied = RwSignal::new(false);
    view! {
        <section class="card" aria-labelledby="saved-h">
            <h2 id="saved-h">"Share and save"</h2>
            <p class="actions">
                <button class="small" type="button" data-testid="copy-link" on:click=move |_| {
                    client::copy_text(&client::current_href());
                    copied.set(true);
                }>"Copy link"</button>
                <span class="muted" role="status">{move || copied.get().then_some("Link copied: it reopens this strategy.")}</span>
            </p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let me = auth.me.await.ok().flatten();
                    let Some(me) = me else {
                        return view! { <p class="muted"><a href="/signin?next=/options">"Sign in"</a>" to save strategies to your workspace."</p> }.into_any();
                    };
                    let can_save = me.active_workspace.role.can(Action::CreateContent);
                    let list = Resource::new(
                        move || (save.version().get(), delete.version().get()),
                        |_| list_strategies(),
                    );
                    view! {
                        {if can_save {
                            view! {
                                <form class="inline-form" on:submit=move |ev| {
                                    ev.prevent_default();
                                    let spec = lab.snapshot();
                                    save.dispatch(SaveStrategy { id: None, name: spec.name.clone(), spec });
                                }>
                                    <button type="submit" data-testid="save-strategy" disabled=move || save.pending().get()>
                                        {move || format!("Save “{}” to {}", lab.spec.with(|s| if s.name.trim().is_empty() { "Untitled".to_string() } else { s.name.clone() }), me.active_workspace.name.clone())}
                                    </button>
                                </form>
                            }.into_any()
                        } else {
                            view! { <p class="notice">"As a Viewer you can open saved strategies but not save new ones."</p> }.into_any()
                        }}
                        {move || save.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
                        {move || delete.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
                        <Transition fallback=|| view! { <p class="muted">"Loading saved strategies…"</p> }>
                            {move || Suspend::new(async move {
                                match list.await {
                                    Err(e) => view! { <p class="error">{e.message}</p> }.into_any(),
                                    Ok(items) if items.is_empty() => view! { <p class="muted" data-testid="no-saved">"No saved strategies in this workspace yet."</p> }.into_any(),
                                    Ok(items) => view! {
                                        <ul class="list" data-testid="saved-list">
                                            {items.into_iter().map(|st| {
                                                let id = st.id;
                                                let spec = st.spec.clone();
                                                view! {
                                                    <li>
                                                        <span>{st.name.clone()}</span>
                                                        <span class="muted">{st.updated_at.format("%Y-%m-%d %H:%M").to_string()}</span>
                                                        <button class="small" type="button" on:click=move |_| lab.load(spec.clone())>"Open"</button>
                                                        <ConfirmButton label="Delete" confirm="Delete this saved strategy?" on_confirm=move || { delete.dispatch(DeleteStrategy { id }); }/>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any(),
                                }
                            })}
                        </Transition>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}
