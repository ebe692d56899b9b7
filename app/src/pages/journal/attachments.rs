//! A trade's attachments in its detail: thumbnails (or a PDF tile) linking to the file,
//! an upload that starts as soon as a file is chosen, and a delete that asks first.

use crate::error::AppError;
use crate::journal_wire::AttachmentView;
use crate::server_fns::{journal_delete_attachment, journal_trade_attachments};
use leptos::prelude::*;
use uuid::Uuid;

fn size_label(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{:.0} KB", (bytes as f64 / 1024.0).ceil())
    } else {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    }
}

#[component]
pub fn Attachments(trade_id: Uuid) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let files = LocalResource::new(move || {
        reload.track();
        journal_trade_attachments(trade_id)
    });
    let busy = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<AppError>);
    let input_id = format!("attach-{}", trade_id.simple());
    let on_pick = {
        let input_id = input_id.clone();
        move |ev: leptos::ev::Event| {
            let name = event_target_value(&ev);
            if name.is_empty() {
                return;
            }
            let shown = name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or_default()
                .to_string();
            busy.set(Some(shown));
            error.set(None);
            let input_id = input_id.clone();
            leptos::task::spawn_local(async move {
                let r = super::upload::attach(&input_id, trade_id).await;
                busy.set(None);
                // Clear the picker so choosing the same file again uploads again.
                if let Some(i) = document().get_element_by_id(&input_id).and_then(|e| {
                    wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok()
                }) {
                    i.set_value("");
                }
                match r {
                    Ok(_) => reload.update(|n| *n += 1),
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    // Pasted screenshots and dropped files upload at once, like a picked file.
    let upload_file = move |file: web_sys::File| {
        busy.set(Some(file.name()));
        error.set(None);
        leptos::task::spawn_local(async move {
            let r = super::upload::attach_file(&file, trade_id).await;
            busy.set(None);
            match r {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let first_file = |files: Option<web_sys::FileList>| files.and_then(|f| f.get(0));
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        if let Some(file) = first_file(ev.clipboard_data().and_then(|d| d.files())) {
            ev.prevent_default();
            upload_file(file);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(file) = first_file(ev.data_transfer().and_then(|d| d.files())) {
            upload_file(file);
        }
    };
    view! {
        <section class="attachments" data-testid="attachments" aria-label="Attachments">
            <h4>"Attachments"</h4>
            <Transition fallback=|| ()>
                {move || files.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted" data-testid="attachments-empty">
                            "No files yet: attach chart screenshots or confirmations (PNG, JPEG, WebP or PDF, up to 5 MB)."
                        </p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="attachment-grid">
                            {list.into_iter().map(|a| view! { <Tile a=a reload=reload error=error/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                })}
            </Transition>
            <div class="drop-zone" tabindex="0" data-testid="attach-paste"
                aria-label="Paste a screenshot or drop a file here to attach it"
                on:paste=on_paste on:drop=on_drop on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()>
                "Paste a screenshot here (click, then Ctrl+V) or drop a file"
            </div>
            <label class="button small attach-button">
                "Attach a file"
                <input id=input_id type="file" class="visually-hidden" data-testid="attach-file"
                    accept=".png,.jpg,.jpeg,.webp,.pdf,image/png,image/jpeg,image/webp,application/pdf"
                    on:change=on_pick/>
            </label>
            <span role="status" class="muted" data-testid="attach-status">
                {move || busy.get().map(|n| format!(" Uploading {n}…"))}
            </span>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="attach-error">{e.message}</p> })}
        </section>
    }
}

#[component]
fn Tile(
    a: AttachmentView,
    reload: RwSignal<u32>,
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let id = a.id;
    let remove = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        leptos::task::spawn_local(async move {
            match journal_delete_attachment(id).await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let dims = a
        .width
        .zip(a.height)
        .map(|(w, h)| format!(" · {w}×{h}"))
        .unwrap_or_default();
    let caption = format!("{}{}", size_label(a.size_bytes), dims);
    view! {
        <li class="attachment" data-testid="attachment" data-name=a.file_name.clone()>
            <a href=a.url.clone() target="_blank" rel="noopener" title=a.file_name.clone()>
                {match a.thumbnail_url.clone() {
                    Some(t) => view! { <img src=t alt=a.file_name.clone() loading="lazy" data-testid="attachment-thumb"/> }.into_any(),
                    None => view! { <span class="file-tile" aria-hidden="true">"PDF"</span> }.into_any(),
                }}
                <span class="attachment-name">{a.file_name.clone()}</span>
            </a>
            <span class="muted">{caption}</span>
            <button type="button" class="danger small" data-testid="attachment-delete"
                on:click=remove on:blur=move |_| confirming.set(false)>
                {move || if confirming.get() { "Really delete?" } else { "Delete" }}
            </button>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::size_label;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_label(1850), "2 KB");
        assert_eq!(size_label(1024 * 1024 * 5), "5.0 MB");
    }
}
