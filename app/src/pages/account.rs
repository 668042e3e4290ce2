use crate::api::auth::{current_user, ChangePassword, SignIn, SignOutEverywhere, SignUp};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::form::FormField;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use crate::pages::loading;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
use crate::pages::admin::role_label;

fn next_param() -> Signal<String> {
    let query = use_query_map();
    Signal::derive(move || query.read().get("next").unwrap_or_default())
}

/// A form-level message for errors that are not about one field.
fn form_message(e: &AppError) -> Option<String> {
    match e {
        AppError::Invalid { fields, .. } if !fields.is_empty() => None,
        other => Some(other.to_string()),
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let next = next_param();
    let error = move || action.value().get().and_then(Result::err);
    let field = move |name: &'static str| Signal::derive(move || error().and_then(|e| e.field(name)));
    let query = use_query_map();
    let everywhere = move || query.read().get("signed_out").is_some_and(|v| v == "everywhere");
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, account.sign_in)/>
        <section class="narrow">
            <h1>{td_string!(l, account.sign_in)}</h1>
            {move || everywhere().then(|| view! { <Alert kind="info" message=td_string!(l, account.signed_out_everywhere)/> })}
            {move || error().and_then(|e| form_message(&e)).map(|m| view! { <Alert message=m/> })}
            <ActionForm action=action attr:class="stack-form">
                <input type="hidden" name="next" value=move || next.get()/>
                <FormField label=td_string!(l, account.email) name="email" kind="email" autocomplete="username" required=true error=field("email")/>
                <FormField label=td_string!(l, account.password) name="password" kind="password" autocomplete="current-password" required=true error=field("password")/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>{td_string!(l, account.sign_in)}</button>
            </ActionForm>
            <p>{td_string!(l, account.new_to_troika)}" " <A href=move || format!("/signup?next={}", encode_component(&next.get()))>{td_string!(l, account.create_an_account)}</A></p>
        </section>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let next = next_param();
    let error = move || action.value().get().and_then(Result::err);
    let field = move |name: &'static str| Signal::derive(move || error().and_then(|e| e.field(name)));
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, account.create_an_account)/>
        <section class="narrow">
            <h1>{td_string!(l, account.create_an_account)}</h1>
            {move || error().and_then(|e| form_message(&e)).map(|m| view! { <Alert message=m/> })}
            <ActionForm action=action attr:class="stack-form">
                <input type="hidden" name="next" value=move || next.get()/>
                <FormField label=td_string!(l, account.email) name="email" kind="email" autocomplete="email" required=true error=field("email")/>
                <FormField label=td_string!(l, account.your_name) name="display_name" autocomplete="name" required=true hint=td_string!(l, account.your_name_hint) error=field("display_name")/>
                <FormField label=td_string!(l, account.password) name="password" kind="password" autocomplete="new-password" required=true hint=td_string!(l, account.password_hint) error=field("password")/>
                <FormField label=td_string!(l, account.repeat_password) name="password_confirm" kind="password" autocomplete="new-password" required=true error=field("password_confirm")/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>{td_string!(l, account.create_account)}</button>
            </ActionForm>
            <p>{td_string!(l, account.already_have)}" " <A href=move || format!("/signin?next={}", encode_component(&next.get()))>{td_string!(l, account.sign_in)}</A></p>
        </section>
    }
}

/// `value` percent-encoded for a query string (a `next=` path keeps its own `?` and `&`).
fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `/account`: who is signed in, changing the password, and signing out on every device.
#[component]
pub fn AccountPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let query = use_query_map();
    let changed = move || query.read().get("changed").is_some_and(|v| v == "password") || change.value().get().is_some_and(|r| r.is_ok());
    let error = move || change.value().get().and_then(Result::err);
    let field = move |name: &'static str| Signal::derive(move || error().and_then(|e| e.field(name)));
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, account.your_account)/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(me)) => view! {
                        <section class="narrow">
                            <h1>{td_string!(l, account.your_account)}</h1>
                            <p>{td_string!(l, account.signed_in_as, name = me.display_name.clone(), email = me.email.clone(), role = role_label(l, me.role)).to_string()}</p>
                            <h2>{td_string!(l, account.change_your_password)}</h2>
                            {move || changed().then(|| view! {
                                <Alert kind="info" message=td_string!(l, account.password_changed)/>
                            })}
                            {move || error().and_then(|e| form_message(&e)).map(|m| view! { <Alert message=m/> })}
                            <ActionForm action=change attr:class="stack-form">
                                <FormField label=td_string!(l, account.current_password) name="current_password" kind="password" autocomplete="current-password" required=true error=field("current_password")/>
                                <FormField label=td_string!(l, account.new_password) name="new_password" kind="password" autocomplete="new-password" required=true hint=td_string!(l, account.password_hint) error=field("new_password")/>
                                <FormField label=td_string!(l, account.repeat_new_password) name="new_password_confirm" kind="password" autocomplete="new-password" required=true error=field("new_password_confirm")/>
                                <button type="submit" class="primary" disabled=move || change.pending().get()>{td_string!(l, account.change_password)}</button>
                            </ActionForm>
                            <h2>{td_string!(l, account.sign_out_everywhere)}</h2>
                            <p>{td_string!(l, account.sign_out_everywhere_hint)}</p>
                            <ActionForm action=everywhere attr:class="stack-form">
                                <button type="submit" disabled=move || everywhere.pending().get()>{td_string!(l, account.sign_out_everywhere)}</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Ok(None) => view! { <ErrorPage error=AppError::Unauthenticated/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
