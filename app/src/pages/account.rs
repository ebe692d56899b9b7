//! Sign-in and sign-up.

use crate::client;
use crate::pages::safe_next;
use crate::server_fns::{SignIn, SignUp};
use crate::ui::forms::{first_error, server_field_error, FormError, TextField};
use crate::validate::{Email, Name, Password, PASSWORD_MIN_CHARS};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn query(name: &'static str) -> Signal<Option<String>> {
    let q = use_query_map();
    Signal::derive(move || q.with(|q| q.get(name)))
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let next = query("next");
    let action = ServerAction::<SignIn>::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let server_err = Signal::derive(move || action.value().get().and_then(|r| r.err()));

    let email_err = Signal::derive(move || {
        Email::parse(&email.get())
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&server_err.get(), "email"))
    });
    let password_err = Signal::derive(move || {
        Password::parse_existing(&password.get(), "password")
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&server_err.get(), "password"))
    });

    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            client::reload_to(&safe_next(next.get_untracked()));
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if first_error(&[email_err.get(), password_err.get()]).is_none() {
            action.dispatch(SignIn {
                email: email.get(),
                password: password.get(),
            });
        }
    };

    view! {
        <Title text="Sign in"/>
        <section class="card narrow auth">
            <h1>"Sign in"</h1>
            <form action=SignIn::url() method="post" on:submit=on_submit novalidate>
                <TextField label="E-mail" name="email" kind="email" autocomplete="email"
                    value=email error=email_err submitted=submitted autofocus=true/>
                <TextField label="Password" name="password" kind="password"
                    autocomplete="current-password" value=password error=password_err
                    submitted=submitted/>
                <FormError error=server_err/>
                <button class="primary wide" type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
            <p class="muted">
                "New to Refract? "
                <a href=move || format!("/signup{}", next.get().map(|n| format!("?next={n}")).unwrap_or_default())>
                    "Create an account"
                </a>
            </p>
        </section>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let next = query("next");
    let preset_email = query("email");
    let action = ServerAction::<SignUp>::new();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(preset_email.get_untracked().unwrap_or_default());
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let server_err = Signal::derive(move || action.value().get().and_then(|r| r.err()));

    let name_err = Signal::derive(move || {
        Name::parse(&name.get(), "name", "name")
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&server_err.get(), "name"))
    });
    let email_err = Signal::derive(move || {
        Email::parse(&email.get())
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&server_err.get(), "email"))
    });
    let password_err = Signal::derive(move || {
        Password::parse_new(&password.get(), "password")
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&server_err.get(), "password"))
    });

    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            client::reload_to(&safe_next(next.get_untracked()));
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if first_error(&[name_err.get(), email_err.get(), password_err.get()]).is_none() {
            action.dispatch(SignUp {
                email: email.get(),
                password: password.get(),
                name: name.get(),
            });
        }
    };

    view! {
        <Title text="Create an account"/>
        <section class="card narrow auth">
            <h1>"Create your account"</h1>
            <p class="muted">"You get a personal workspace; invite others to it or to new ones later."</p>
            <form action=SignUp::url() method="post" on:submit=on_submit novalidate>
                <TextField label="Name" name="name" autocomplete="name" value=name
                    error=name_err submitted=submitted autofocus=true/>
                <TextField label="E-mail" name="email" kind="email" autocomplete="email"
                    value=email error=email_err submitted=submitted/>
                <TextField label="Password" name="password" kind="password"
                    autocomplete="new-password" value=password error=password_err
                    submitted=submitted
                    hint="At least 10 characters. A few unrelated words make a strong password."/>
                <p class="hint" aria-live="polite">
                    {move || {
                        let n = password.get().chars().count();
                        if n == 0 { String::new() }
                        else if n < PASSWORD_MIN_CHARS { format!("{n} of {PASSWORD_MIN_CHARS} characters") }
                        else { "Length is fine".to_string() }
                    }}
                </p>
                <FormError error=server_err/>
                <button class="primary wide" type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creating…" } else { "Create account" }}
                </button>
            </form>
            <p class="muted">"Already have an account? " <a href="/signin">"Sign in"</a></p>
        </section>
    }
}
