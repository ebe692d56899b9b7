//! Settings: profile, password, workspaces, members and invites, API keys, account deletion.

use crate::client;
use crate::model::{MeView, WorkspaceView};
use crate::roles::{Action, Role};
use crate::server_fns::*;
use crate::ui::auth::{use_auth, RequireAuth};
use crate::ui::forms::{
    first_error, server_field_error, ConfirmButton, FormError, FormNotice, TextField,
};
use crate::validate::{Email, Name, Password};
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Title text="Settings"/>
        <RequireAuth children=|me: MeView| view! {
            <div class="settings">
                <h1>"Settings"</h1>
                <ProfileSection me=me.clone()/>
                <PasswordSection/>
                <WorkspaceSection me=me.clone()/>
                <MembersSection ws=me.active_workspace.clone() me_id=me.user.id/>
                <ApiKeysSection ws=me.active_workspace.clone()/>
                <DangerSection/>
            </div>
        }/>
    }
}

/// The error of an action's last run, if it failed.
fn err_of<S>(a: ServerAction<S>) -> Signal<Option<crate::error::AppError>>
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || a.value().get().and_then(|r| r.err()))
}

#[component]
fn ProfileSection(me: MeView) -> impl IntoView {
    let auth = use_auth();
    let action = ServerAction::<UpdateProfile>::new();
    let name = RwSignal::new(me.user.name.clone());
    let submitted = RwSignal::new(false);
    let server_err = err_of(action);
    let name_err = Signal::derive(move || {
        Name::parse(&name.get(), "name", "name")
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&server_err.get(), "name"))
    });
    let notice = Signal::derive(move || {
        matches!(action.value().get(), Some(Ok(()))).then(|| "Saved".to_string())
    });
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            auth.reload();
        }
    });
    view! {
        <section class="card" aria-labelledby="profile-h">
            <h2 id="profile-h">"Profile"</h2>
            <p class="muted">{format!("Signed in as {}", me.user.email)}</p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                submitted.set(true);
                if name_err.get().is_none() {
                    action.dispatch(UpdateProfile { name: name.get() });
                }
            }>
                <TextField label="Name" name="name" autocomplete="name" value=name error=name_err submitted=submitted/>
                <FormError error=server_err/>
                <FormNotice text=notice/>
                <button type="submit" disabled=move || action.pending().get()>"Save profile"</button>
            </form>
        </section>
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let server_err = err_of(action);
    let current_err = Signal::derive(move || {
        Password::parse_existing(&current.get(), "current_password")
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&server_err.get(), "current_password"))
    });
    let new_err = Signal::derive(move || {
        Password::parse_new(&new.get(), "new_password")
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&server_err.get(), "new_password"))
    });
    let notice = Signal::derive(move || {
        matches!(action.value().get(), Some(Ok(())))
            .then(|| "Password changed. Other devices have been signed out.".to_string())
    });
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            current.set(String::new());
            new.set(String::new());
            submitted.set(false);
        }
    });
    view! {
        <section class="card" aria-labelledby="password-h">
            <h2 id="password-h">"Password"</h2>
            <form on:submit=move |ev| {
                ev.prevent_default();
                submitted.set(true);
                if first_error(&[current_err.get(), new_err.get()]).is_none() {
                    action.dispatch(ChangePassword { current_password: current.get(), new_password: new.get() });
                }
            }>
                <TextField label="Current password" name="current_password" kind="password"
                    autocomplete="current-password" value=current error=current_err submitted=submitted/>
                <TextField label="New password" name="new_password" kind="password"
                    autocomplete="new-password" value=new error=new_err submitted=submitted
                    hint="At least 10 characters."/>
                <FormError error=server_err/>
                <FormNotice text=notice/>
                <button type="submit" disabled=move || action.pending().get()>"Change password"</button>
            </form>
        </section>
    }
}

#[component]
fn WorkspaceSection(me: MeView) -> impl IntoView {
    let ws = me.active_workspace.clone();
    let can_rename = ws.role.can(Action::ManageWorkspace);
    let rename = ServerAction::<RenameWorkspace>::new();
    let create = ServerAction::<CreateWorkspace>::new();
    let switch = ServerAction::<SwitchWorkspace>::new();
    let ws_name = RwSignal::new(ws.name.clone());
    let new_name = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let submitted_new = RwSignal::new(false);
    let rename_err = err_of(rename);
    let create_err = err_of(create);
    let ws_name_err = Signal::derive(move || {
        Name::parse(&ws_name.get(), "name", "workspace name")
            .err()
            .map(|e| e.message)
    });
    let new_name_err = Signal::derive(move || {
        Name::parse(&new_name.get(), "name", "workspace name")
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&create_err.get(), "name"))
    });
    Effect::new(move || {
        let done = matches!(rename.value().get(), Some(Ok(())))
            || matches!(create.value().get(), Some(Ok(_)))
            || matches!(switch.value().get(), Some(Ok(_)));
        if done {
            client::reload_to("/settings");
        }
    });
    let ws_id = ws.id;
    view! {
        <section class="card" aria-labelledby="ws-h">
            <h2 id="ws-h">"Workspace"</h2>
            <p>
                "Active: " <strong data-testid="active-workspace">{ws.name.clone()}</strong>
                " · your role: " <span class="role-badge" data-testid="active-role">{ws.role.label()}</span>
            </p>
            {(ws.role == Role::Viewer).then(|| view! {
                <p class="notice" data-testid="viewer-notice">
                    "As a Viewer you can read this workspace's data but not change it. Ask an owner or admin for more access."
                </p>
            })}
            {can_rename.then(|| view! {
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    submitted.set(true);
                    if ws_name_err.get().is_none() {
                        rename.dispatch(RenameWorkspace { workspace_id: ws_id, name: ws_name.get() });
                    }
                }>
                    <TextField label="Workspace name" name="ws_name" value=ws_name error=ws_name_err submitted=submitted/>
                    <FormError error=rename_err/>
                    <button type="submit">"Rename"</button>
                </form>
            })}
            <h3>"Your workspaces"</h3>
            <ul class="list">
                {me.workspaces.iter().map(|w: &WorkspaceView| {
                    let id = w.id;
                    let active = w.id == ws_id;
                    view! {
                        <li>
                            <span>{w.name.clone()}</span>
                            <span class="role-badge">{w.role.label()}</span>
                            {if active {
                                view! { <span class="muted">"active"</span> }.into_any()
                            } else {
                                view! {
                                    <button class="small" type="button"
                                        on:click=move |_| { switch.dispatch(SwitchWorkspace { workspace_id: id }); }>
                                        "Switch"
                                    </button>
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                submitted_new.set(true);
                if new_name_err.get().is_none() {
                    create.dispatch(CreateWorkspace { name: new_name.get() });
                }
            }>
                <TextField label="New workspace" name="new_workspace" value=new_name error=new_name_err submitted=submitted_new/>
                <FormError error=create_err/>
                <button type="submit">"Create workspace"</button>
            </form>
        </section>
    }
}

#[component]
fn MembersSection(ws: WorkspaceView, me_id: Uuid) -> impl IntoView {
    let ws_id = ws.id;
    let manage = ws.role.can(Action::ManageMembers);
    let my_role = ws.role;
    let change = ServerAction::<ChangeMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let invite = ServerAction::<CreateInvite>::new();
    let revoke = ServerAction::<RevokeInvite>::new();
    let members = Resource::new(
        move || (change.version().get(), remove.version().get()),
        move |_| list_members(ws_id),
    );
    let invites = Resource::new(
        move || (invite.version().get(), revoke.version().get()),
        move |_| async move {
            if manage {
                list_invites(ws_id).await
            } else {
                Ok(vec![])
            }
        },
    );
    let action_err = Signal::derive(move || {
        change
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| remove.value().get().and_then(|r| r.err()))
            .or_else(|| revoke.value().get().and_then(|r| r.err()))
    });
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("member".to_string());
    let submitted = RwSignal::new(false);
    let invite_err = err_of(invite);
    let email_err = Signal::derive(move || {
        Email::parse(&email.get())
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&invite_err.get(), "email"))
    });
    let assignable: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| crate::roles::may_invite_as(my_role, *r))
        .collect();
    let assignable_for_select = assignable.clone();

    view! {
        <section class="card" aria-labelledby="members-h">
            <h2 id="members-h">"Members"</h2>
            <FormError error=action_err/>
            <Transition fallback=|| view! { <p class="muted">"Loading members…"</p> }>
                {move || {
                    let assignable = assignable_for_select.clone();
                    Suspend::new(async move {
                    match members.await {
                        Err(e) => view! { <p class="error">{e.message}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="table" data-testid="members">
                                <thead><tr><th>"Name"</th><th>"E-mail"</th><th>"Role"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                                <tbody>
                                {list.into_iter().map(|m| {
                                    let uid = m.user_id;
                                    let is_me = uid == me_id;
                                    let editable = manage && !is_me && crate::roles::may_assign_role(my_role, m.role, Role::Viewer);
                                    let opts = assignable.clone();
                                    view! {
                                        <tr>
                                            <td>{m.name.clone()}{is_me.then_some(" (you)")}</td>
                                            <td>{m.email.clone()}</td>
                                            <td>
                                                {if editable {
                                                    view! {
                                                        <label class="visually-hidden" for=format!("role-{uid}")>"Role"</label>
                                                        <select id=format!("role-{uid}") on:change=move |ev| {
                                                            change.dispatch(ChangeMemberRole { workspace_id: ws_id, user_id: uid, role: event_target_value(&ev) });
                                                        }>
                                                            {opts.iter().map(|r| view! {
                                                                <option value=r.as_str() selected=*r == m.role>{r.label()}</option>
                                                            }).collect_view()}
                                                        </select>
                                                    }.into_any()
                                                } else {
                                                    view! { <span class="role-badge">{m.role.label()}</span> }.into_any()
                                                }}
                                            </td>
                                            <td>
                                                {if is_me {
                                                    view! { <ConfirmButton label="Leave" confirm="Leave this workspace?" on_confirm=move || {
                                                        remove.dispatch(RemoveMember { workspace_id: ws_id, user_id: uid });
                                                        client::reload_to("/settings");
                                                    }/> }.into_any()
                                                } else if editable {
                                                    view! { <ConfirmButton label="Remove" confirm="Remove this member?" on_confirm=move || {
                                                        remove.dispatch(RemoveMember { workspace_id: ws_id, user_id: uid });
                                                    }/> }.into_any()
                                                } else {
                                                    ().into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}}
            </Transition>

            {manage.then(|| view! {
                <h3>"Invite someone"</h3>
                <form class="inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    submitted.set(true);
                    if email_err.get().is_none() {
                        invite.dispatch(CreateInvite { workspace_id: ws_id, email: email.get(), role: role.get() });
                    }
                }>
                    <TextField label="E-mail" name="invite_email" kind="email" value=email error=email_err submitted=submitted/>
                    <div class="field">
                        <label for="invite-role">"Role"</label>
                        <select id="invite-role" name="invite_role" on:change=move |ev| role.set(event_target_value(&ev))>
                            {assignable.iter().map(|r| view! {
                                <option value=r.as_str() selected=*r == Role::Member>{r.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <FormError error=invite_err/>
                    <button type="submit" disabled=move || invite.pending().get()>"Create invite link"</button>
                </form>
                {move || invite.value().get().and_then(|r| r.ok()).map(|created| {
                    let url = created.url.clone();
                    view! {
                        <div class="secret" role="status">
                            <p>"Send this link to the person you invited. It works once, until "
                                {created.expires_at.format("%Y-%m-%d %H:%M UTC").to_string()}"."</p>
                            <code data-testid="invite-url">{created.url.clone()}</code>
                            <button class="small" type="button" on:click=move |_| client::copy_text(&url)>"Copy"</button>
                        </div>
                    }
                })}
                <h3>"Pending invites"</h3>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match invites.await {
                            Err(e) => view! { <p class="error">{e.message}</p> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="muted">"No pending invites."</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="list">
                                    {list.into_iter().map(|i| {
                                        let id = i.id;
                                        view! {
                                            <li>
                                                <span>{i.email.clone()}</span>
                                                <span class="role-badge">{i.role.label()}</span>
                                                <span class="muted">{format!("until {}", i.expires_at.format("%Y-%m-%d"))}</span>
                                                <ConfirmButton label="Revoke" confirm="Revoke this invite?" on_confirm=move || {
                                                    revoke.dispatch(RevokeInvite { workspace_id: ws_id, invite_id: id });
                                                }/>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }
                    })}
                </Transition>
            })}
        </section>
    }
}

#[component]
fn ApiKeysSection(ws: WorkspaceView) -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    let name = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let create_err = err_of(create);
    let revoke_err = err_of(revoke);
    let name_err = Signal::derive(move || {
        Name::parse(&name.get(), "name", "key name")
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&create_err.get(), "name"))
    });
    Effect::new(move || {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
            submitted.set(false);
        }
    });
    view! {
        <section class="card" aria-labelledby="keys-h">
            <h2 id="keys-h">"API keys"</h2>
            <p class="muted">
                {format!("Keys act as you, with your role, in {} only. Send one in the X-API-Key header.", ws.name)}
            </p>
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                submitted.set(true);
                if name_err.get().is_none() {
                    create.dispatch(CreateApiKey { name: name.get() });
                }
            }>
                <TextField label="Key name" name="key_name" value=name error=name_err submitted=submitted
                    hint="For example the script or machine that will use it."/>
                <FormError error=create_err/>
                <button type="submit" disabled=move || create.pending().get()>"Create key"</button>
            </form>
            {move || create.value().get().and_then(|r| r.ok()).map(|k| {
                let key = k.key.clone();
                view! {
                    <div class="secret" role="status">
                        <p><strong>"Copy this key now."</strong>" It is shown only once; Refract keeps only a hash of it."</p>
                        <code data-testid="new-api-key">{k.key.clone()}</code>
                        <button class="small" type="button" on:click=move |_| client::copy_text(&key)>"Copy"</button>
                    </div>
                }
            })}
            <FormError error=revoke_err/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match keys.await {
                        Err(e) => view! { <p class="error">{e.message}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="muted" data-testid="no-keys">"No keys yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="table" data-testid="api-keys">
                                <thead><tr><th>"Name"</th><th>"Key"</th><th>"Created"</th><th>"Last used"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                                <tbody>
                                {list.into_iter().map(|k| {
                                    let id = k.id;
                                    view! {
                                        <tr>
                                            <td>{k.name.clone()}</td>
                                            <td><code>{format!("{}…", k.prefix)}</code></td>
                                            <td>{k.created_at.format("%Y-%m-%d").to_string()}</td>
                                            <td>{k.last_used_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "never".into())}</td>
                                            <td><ConfirmButton label="Revoke" confirm="Revoke this key? Scripts using it will stop working." on_confirm=move || {
                                                revoke.dispatch(RevokeApiKey { id });
                                            }/></td>
                                        </tr>
                                    }
                                }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DangerSection() -> impl IntoView {
    let action = ServerAction::<DeleteAccount>::new();
    let password = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let server_err = err_of(action);
    let password_err = Signal::derive(move || {
        Password::parse_existing(&password.get(), "password")
            .err()
            .map(|e| e.message)
            .or_else(|| server_field_error(&server_err.get(), "password"))
    });
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            client::reload_to("/");
        }
    });
    view! {
        <section class="card danger-zone" aria-labelledby="danger-h">
            <h2 id="danger-h">"Delete account"</h2>
            <p>"This deletes your account, your personal workspace and every workspace where you are the only member, with all their data. It cannot be undone."</p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                submitted.set(true);
                if password_err.get().is_none() {
                    action.dispatch(DeleteAccount { password: password.get() });
                }
            }>
                <TextField label="Your password, to confirm" name="delete_password" kind="password"
                    autocomplete="current-password" value=password error=password_err submitted=submitted/>
                <FormError error=server_err/>
                <button class="danger" type="submit" disabled=move || action.pending().get()>"Delete my account"</button>
            </form>
        </section>
    }
}
