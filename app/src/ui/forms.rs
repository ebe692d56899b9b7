//! Form parts with inline validation: a field shows its problem once the user has left
//! it or tried to submit, and a server error that names the field lands beside it.

use crate::error::AppError;
use leptos::prelude::*;

/// The server's message for `field`, when the error names that field.
pub fn server_field_error(err: &Option<AppError>, field: &str) -> Option<String> {
    err.as_ref()
        .filter(|e| e.field() == Some(field))
        .map(|e| e.message.clone())
}

/// The first error among a form's checks, for deciding whether to submit.
pub fn first_error(checks: &[Option<String>]) -> Option<String> {
    checks.iter().flatten().next().cloned()
}

#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    /// The problem with the current value (client check or server answer), if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Set when the user tries to submit: every field then shows its problem.
    submitted: RwSignal<bool>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let touched = RwSignal::new(false);
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let shown = move || {
        if touched.get() || submitted.get() {
            error.get()
        } else {
            None
        }
    };
    view! {
        <div class="field" class:invalid=move || shown().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                autofocus=autofocus
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:blur=move |_| touched.set(true)
                aria-invalid=move || if shown().is_some() { "true" } else { "false" }
                aria-describedby=err_id.clone()
            />
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <p class="field-error" id=err_id role="status">
                {shown}
            </p>
        </div>
    }
}

/// A form-level error (one that names no field), announced to screen readers.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| e.field().is_none())
            .map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })
    }
}

/// A one-line success message that disappears on the next change.
#[component]
pub fn FormNotice(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    move || {
        text.get()
            .map(|t| view! { <p class="form-notice" role="status">{t}</p> })
    }
}

/// A button that asks once more before doing something that cannot be undone.
#[component]
pub fn ConfirmButton(
    label: &'static str,
    confirm: &'static str,
    on_confirm: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let on_confirm = StoredValue::new(on_confirm);
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! { <button class="small" type="button" on:click=move |_| asking.set(true)>{label}</button> }
        >
            <span class="confirm">
                {confirm}" "
                <button class="small danger" type="button" on:click=move |_| { asking.set(false); on_confirm.with_value(|f| f()); }>"Yes"</button>
                <button class="small" type="button" on:click=move |_| asking.set(false)>"No"</button>
            </span>
        </Show>
    }
}
