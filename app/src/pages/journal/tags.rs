//! Managing the workspace's tags (Admin and Owner; others see why they cannot): rename,
//! pick a colour from the palette, delete with a confirmation. Tags are created by typing
//! them on a trade.

use crate::error::AppError;
use crate::journal_wire::{TagPatch, TagView, TAG_COLORS};
use crate::server_fns::{journal_delete_tag, journal_update_tag};
use leptos::prelude::*;

#[component]
pub fn TagManager(
    tags: Resource<Result<Vec<TagView>, AppError>>,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let message = RwSignal::new(None::<Result<String, String>>);
    view! {
        <details class="card tag-manager" data-testid="tag-manager">
            <summary><h2 class="inline-h">"Tags"</h2></summary>
            <Transition fallback=|| view! { <p class="muted">"Loading tags…"</p> }>
                {move || Suspend::new(async move {
                    match tags.await {
                        Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">"No tags yet: type them on a trade (comma separated) to create them."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="list">
                                {list.into_iter().map(|t| view! { <TagEditor t=t changed=changed message=message/> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            {move || message.get().map(|m| match m {
                Ok(t) => view! { <p class="form-notice" role="status" data-testid="tag-message">{t}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="tag-message">{e}</p> }.into_any(),
            })}
        </details>
    }
}

#[component]
fn TagEditor(
    t: TagView,
    changed: RwSignal<u32>,
    message: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let id = t.id;
    let original = t.name.clone();
    let name = RwSignal::new(t.name.clone());
    let color = RwSignal::new(t.color.clone());
    let confirming = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let patch = TagPatch {
            name: Some(name.get_untracked()),
            color: Some(color.get_untracked()),
        };
        leptos::task::spawn_local(async move {
            match journal_update_tag(id, patch).await {
                Ok(t) => {
                    message.set(Some(Ok(format!("Saved tag “{}”.", t.name))));
                    changed.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(Err(e.message))),
            }
        });
    };
    let delete = move |_| {
        leptos::task::spawn_local(async move {
            match journal_delete_tag(id).await {
                Ok(()) => {
                    message.set(Some(Ok("Tag deleted; it is off every trade.".into())));
                    changed.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(Err(e.message))),
            }
        });
    };
    view! {
        <li data-testid="tag-editor" data-tag=original.clone()>
            <form class="tag-form" on:submit=save aria-label=format!("Tag {original}")>
                <input class="tag-name" data-testid="tag-name" aria-label="Tag name" maxlength="50"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <fieldset class="swatches">
                    <legend class="visually-hidden">"Colour"</legend>
                    {TAG_COLORS.iter().map(|c| {
                        let c = c.to_string();
                        let c2 = c.clone();
                        let c3 = c.clone();
                        view! {
                            <label class="swatch tag" data-color=c.clone()>
                                <input type="radio" name=format!("color-{id}") value=c.clone()
                                    data-testid=format!("tag-color-{}", c.trim_start_matches('#'))
                                    prop:checked=move || color.get() == c2
                                    on:change=move |_| color.set(c3.clone())/>
                                <span class="visually-hidden">{c.clone()}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="small" data-testid="tag-save">"Save"</button>
                {move || if confirming.get() {
                    view! {
                        <span class="confirm">
                            "Delete from every trade?"
                            <button type="button" class="danger small" data-testid="tag-delete-confirm" on:click=delete>"Delete"</button>
                            <button type="button" class="small" on:click=move |_| confirming.set(false)>"Keep"</button>
                        </span>
                    }.into_any()
                } else {
                    view! { <button type="button" class="small" data-testid="tag-delete" on:click=move |_| confirming.set(true)>"Delete…"</button> }.into_any()
                }}
            </form>
        </li>
    }
}
