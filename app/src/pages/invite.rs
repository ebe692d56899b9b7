//! Accepting an invite to a workspace.

use crate::client;
use crate::server_fns::{preview_invite, AcceptInvite};
use crate::ui::auth::use_auth;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let preview = Resource::new(token, preview_invite);
    let auth = use_auth();
    let accept = ServerAction::<AcceptInvite>::new();
    Effect::new(move || {
        if let Some(Ok(_)) = accept.value().get() {
            client::reload_to("/settings");
        }
    });

    view! {
        <Title text="Invitation"/>
        <section class="card narrow">
            <Transition fallback=|| view! { <p class="muted">"Checking the invitation…"</p> }>
                {move || Suspend::new(async move {
                    let me = auth.me.await.ok().flatten();
                    match preview.await {
                        Err(e) => view! {
                            <h1>"This invitation cannot be used"</h1>
                            <p class="error" role="alert">{e.details.as_ref().and_then(|d| d.get("reason")).and_then(|r| r.as_str()).map(str::to_owned).unwrap_or(e.message)}</p>
                        }.into_any(),
                        Ok(inv) => {
                            let here = format!("/invite/{}", token());
                            let wrong_account = me.as_ref().is_some_and(|m| m.user.email != inv.email);
                            view! {
                                <h1>{format!("Join {}", inv.workspace_name)}</h1>
                                <p>
                                    "You are invited as "<strong>{inv.role.label()}</strong>
                                    " (for "<strong>{inv.email.clone()}</strong>"). "
                                    {format!("The link works until {}.", inv.expires_at.format("%Y-%m-%d %H:%M UTC"))}
                                </p>
                                {match me {
                                    None => view! {
                                        <p class="actions">
                                            <a class="button primary" href=format!("/signup?next={here}&email={}", inv.email)>"Create an account to accept"</a>
                                            <a class="button" href=format!("/signin?next={here}")>"Sign in to accept"</a>
                                        </p>
                                    }.into_any(),
                                    Some(m) if wrong_account => view! {
                                        <p class="error" role="alert">{format!("You are signed in as {}. Sign out and sign in as {} to accept.", m.user.email, inv.email)}</p>
                                    }.into_any(),
                                    Some(_) => view! {
                                        <p class="actions">
                                            <button class="primary" type="button"
                                                disabled=move || accept.pending().get()
                                                on:click=move |_| { accept.dispatch(AcceptInvite { token: token() }); }>
                                                "Accept invitation"
                                            </button>
                                        </p>
                                        {move || accept.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
                                    }.into_any(),
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
