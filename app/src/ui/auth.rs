//! Who is signed in, shared by every component through context.

use crate::error::AppError;
use crate::model::MeView;
use crate::server_fns::get_me;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct AuthCtx {
    pub me: Resource<Result<Option<MeView>, AppError>>,
    /// Bump to re-read the signed-in user after a change (name, workspace switch).
    pub refresh: RwSignal<u32>,
}

pub fn provide_auth() -> AuthCtx {
    let refresh = RwSignal::new(0u32);
    let me = Resource::new(move || refresh.get(), |_| get_me());
    let ctx = AuthCtx { me, refresh };
    provide_context(ctx);
    ctx
}

pub fn use_auth() -> AuthCtx {
    expect_context::<AuthCtx>()
}

impl AuthCtx {
    pub fn reload(&self) {
        self.refresh.update(|n| *n += 1);
    }
}

/// Renders `signed_in` with the user when there is one, else a prompt to sign in.
#[component]
pub fn RequireAuth<F, V>(children: F) -> impl IntoView
where
    F: Fn(MeView) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let auth = use_auth();
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match auth.me.await {
                        Ok(Some(me)) => children(me).into_any(),
                        Ok(None) => view! { <SignInPrompt/> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
pub fn SignInPrompt() -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Sign in to continue"</h1>
            <p>"This part of Refract keeps your data in your workspace, so it needs an account."</p>
            <p class="actions">
                <a class="button primary" href="/signin">"Sign in"</a>
                <a class="button" href="/signup">"Create an account"</a>
            </p>
        </section>
    }
}
