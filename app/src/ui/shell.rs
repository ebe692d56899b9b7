//! The HTML document and the router.

use crate::pages::{
    account::{SignInPage, SignUpPage},
    areas::PortfolioPage,
    charts::ChartsPage,
    home::HomePage,
    invite::InvitePage,
    journal::JournalPage,
    options::StrategyLabPage,
    settings::SettingsPage,
};
use crate::ui::auth::provide_auth;
use crate::ui::layout::{OfflineBanner, TabBar, TopBar};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The theme stored in the `theme` cookie, so the server renders the right colours and
/// no script has to run before first paint.
fn theme_from_request() -> &'static str {
    #[cfg(feature = "ssr")]
    {
        let cookies = use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get(http::header::COOKIE).cloned())
            .and_then(|v| v.to_str().ok().map(str::to_owned))
            .unwrap_or_default();
        for c in cookies.split(';') {
            match c.trim() {
                "theme=light" => return "light",
                "theme=dark" => return "dark",
                _ => {}
            }
        }
    }
    "system"
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme_from_request()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_auth();
    view! {
        <Stylesheet id="leptos" href="/pkg/refract.css"/>
        <Title formatter=|page: String| if page.is_empty() { "Refract".to_string() } else { format!("{page} · Refract") }/>
        <Meta name="description" content="Refract: options analytics, a trading journal and charts in one open-source workstation."/>
        <Meta name="theme-color" content="#0f172a"/>
        <Link rel="manifest" href="/manifest.webmanifest"/>
        <Link rel="icon" href="/icons/icon.svg" type_="image/svg+xml"/>
        <Link rel="apple-touch-icon" href="/icons/icon-192.png"/>
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <TopBar/>
            <OfflineBanner/>
            <main id="main" class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/signin") view=SignInPage/>
                    <Route path=path!("/signup") view=SignUpPage/>
                    <Route path=path!("/settings") view=SettingsPage/>
                    <Route path=path!("/invite/:token") view=InvitePage/>
                    <Route path=path!("/options") view=StrategyLabPage/>
                    <Route path=path!("/journal") view=JournalPage/>
                    <Route path=path!("/charts") view=ChartsPage/>
                    <Route path=path!("/portfolio") view=PortfolioPage/>
                </Routes>
            </main>
            <TabBar/>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found"/>
        <section class="card narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <p><a href="/">"Go to the start page"</a></p>
        </section>
    }
}
