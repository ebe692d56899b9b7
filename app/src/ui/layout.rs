//! The frame around every page: top bar (brand, areas, workspace, account, theme), the
//! offline banner, and on phones a bottom tab bar.

use crate::client;
use crate::server_fns::{SignOut, SwitchWorkspace};
use crate::ui::auth::use_auth;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use uuid::Uuid;

/// The product areas, in navigation order: (path, label, short label for the tab bar).
pub const AREAS: [(&str, &str, &str); 4] = [
    ("/options", "Options", "Options"),
    ("/journal", "Journal", "Journal"),
    ("/charts", "Charts", "Charts"),
    ("/portfolio", "Portfolio", "Portfolio"),
];

fn area_links(class: &'static str) -> impl IntoView {
    let location = use_location();
    AREAS
        .iter()
        .map(|(path, label, _)| {
            let path = *path;
            let current = move || location.pathname.get().starts_with(path);
            view! {
                <a
                    class=class
                    href=path
                    aria-current=move || if current() { Some("page") } else { None }
                >
                    {*label}
                </a>
            }
        })
        .collect_view()
}

#[component]
pub fn TopBar() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/" aria-label="Refract home">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                <span class="brand-name">"Refract"</span>
            </a>
            <nav class="areas" aria-label="Areas">{area_links("area-link")}</nav>
            <div class="topbar-end">
                <WorkspaceSwitcher/>
                <AccountLinks/>
                <ThemeToggle/>
            </div>
        </header>
    }
}

/// The bottom tab bar on narrow screens (hidden by CSS on wide ones).
#[component]
pub fn TabBar() -> impl IntoView {
    view! { <nav class="tabbar" aria-label="Areas">{area_links("tab")}</nav> }
}

#[component]
fn AccountLinks() -> impl IntoView {
    let auth = use_auth();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move || {
        if let Some(Ok(())) = sign_out.value().get() {
            client::reload_to("/");
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.me.await {
                    Ok(Some(me)) => view! {
                        <a class="account" href="/settings" title=me.user.email.clone()>
                            {me.user.name.clone()}
                        </a>
                        <button
                            class="link"
                            type="button"
                            on:click=move |_| { sign_out.dispatch(SignOut {}); }
                        >
                            "Sign out"
                        </button>
                    }
                    .into_any(),
                    _ => view! {
                        <a class="account" href="/signin">"Sign in"</a>
                        <a class="button small primary" href="/signup">"Sign up"</a>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn WorkspaceSwitcher() -> impl IntoView {
    let auth = use_auth();
    let switch = ServerAction::<SwitchWorkspace>::new();
    Effect::new(move || {
        if let Some(Ok(_)) = switch.value().get() {
            client::reload_to("/");
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(Some(me)) = auth.me.await else { return ().into_any() };
                let active = me.active_workspace.id;
                view! {
                    <label class="visually-hidden" for="workspace-switch">"Workspace"</label>
                    <select
                        id="workspace-switch"
                        class="workspace-switch"
                        on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse::<Uuid>() {
                                switch.dispatch(SwitchWorkspace { workspace_id: id });
                            }
                        }
                    >
                        {me
                            .workspaces
                            .into_iter()
                            .map(|w| {
                                view! {
                                    <option value=w.id.to_string() selected=w.id == active>
                                        {format!("{} · {}", w.name, w.role.label())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                }
                .into_any()
            })}
        </Transition>
    }
}

#[component]
fn ThemeToggle() -> impl IntoView {
    // Cycles system → light → dark; the server renders the chosen theme from the cookie.
    let cycle = move |_| {
        let current = document_theme();
        let next = match current.as_str() {
            "light" => "dark",
            "dark" => "system",
            _ => "light",
        };
        client::set_theme(next);
    };
    view! {
        <button class="icon theme-toggle" type="button" on:click=cycle title="Theme: system, light or dark">
            <span aria-hidden="true">"◐"</span>
            <span class="visually-hidden">"Change theme"</span>
        </button>
    }
}

fn document_theme() -> String {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("data-theme"))
            .unwrap_or_else(|| "system".into())
    }
    #[cfg(not(feature = "hydrate"))]
    "system".into()
}

/// A visible notice while the browser is offline. Starts "online" on both sides so the
/// hydrated page matches the server's HTML, then follows the browser's events.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let online = RwSignal::new(true);
    Effect::new(move || {
        online.set(client::is_online());
    });
    #[cfg(feature = "hydrate")]
    {
        let _ =
            leptos::prelude::window_event_listener(leptos::ev::online, move |_| online.set(true));
        let _ =
            leptos::prelude::window_event_listener(leptos::ev::offline, move |_| online.set(false));
    }
    view! {
        <Show when=move || !online.get()>
            <div class="offline-banner" role="status" data-testid="offline-banner">
                "You are offline. Pages you have opened still work; saving needs a connection."
            </div>
        </Show>
    }
}
