use crate::api::auth::{current_user, ChangePassword, SignIn, SignOutEverywhere, SignUp};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::form::FormField;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use crate::pages::loading;

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
    view! {
        <Title text="Sign in"/>
        <section class="narrow">
            <h1>"Sign in"</h1>
            {move || everywhere().then(|| view! { <Alert kind="info" message="You are signed out on every device."/> })}
            {move || error().and_then(|e| form_message(&e)).map(|m| view! { <Alert message=m/> })}
            <ActionForm action=action attr:class="stack-form">
                <input type="hidden" name="next" value=move || next.get()/>
                <FormField label="Email" name="email" kind="email" autocomplete="username" required=true error=field("email")/>
                <FormField label="Password" name="password" kind="password" autocomplete="current-password" required=true error=field("password")/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            <p>"New to Troika? " <A href=move || format!("/signup?next={}", encode_component(&next.get()))>"Create an account"</A></p>
        </section>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let next = next_param();
    let error = move || action.value().get().and_then(Result::err);
    let field = move |name: &'static str| Signal::derive(move || error().and_then(|e| e.field(name)));
    view! {
        <Title text="Create an account"/>
        <section class="narrow">
            <h1>"Create an account"</h1>
            {move || error().and_then(|e| form_message(&e)).map(|m| view! { <Alert message=m/> })}
            <ActionForm action=action attr:class="stack-form">
                <input type="hidden" name="next" value=move || next.get()/>
                <FormField label="Email" name="email" kind="email" autocomplete="email" required=true error=field("email")/>
                <FormField label="Your name" name="display_name" autocomplete="name" required=true hint="Shown to shops you buy from." error=field("display_name")/>
                <FormField label="Password" name="password" kind="password" autocomplete="new-password" required=true hint="At least 10 characters." error=field("password")/>
                <FormField label="Repeat password" name="password_confirm" kind="password" autocomplete="new-password" required=true error=field("password_confirm")/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Create account"</button>
            </ActionForm>
            <p>"Already have an account? " <A href=move || format!("/signin?next={}", encode_component(&next.get()))>"Sign in"</A></p>
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
    view! {
        <Title text="Your account"/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(me)) => view! {
                        <section class="narrow">
                            <h1>"Your account"</h1>
                            <p>{format!("Signed in as {} ({}) · {}", me.display_name, me.email, me.role.label())}</p>
                            <h2>"Change your password"</h2>
                            {move || changed().then(|| view! {
                                <Alert kind="info" message="Your password is changed. Your other devices are signed out."/>
                            })}
                            {move || error().and_then(|e| form_message(&e)).map(|m| view! { <Alert message=m/> })}
                            <ActionForm action=change attr:class="stack-form">
                                <FormField label="Current password" name="current_password" kind="password" autocomplete="current-password" required=true error=field("current_password")/>
                                <FormField label="New password" name="new_password" kind="password" autocomplete="new-password" required=true hint="At least 10 characters." error=field("new_password")/>
                                <FormField label="Repeat the new password" name="new_password_confirm" kind="password" autocomplete="new-password" required=true error=field("new_password_confirm")/>
                                <button type="submit" class="primary" disabled=move || change.pending().get()>"Change password"</button>
                            </ActionForm>
                            <h2>"Sign out everywhere"</h2>
                            <p>"Ends every session of your account, on every phone and computer, this one included. Use it when you lost a device or signed in somewhere you should not have."</p>
                            <ActionForm action=everywhere attr:class="stack-form">
                                <button type="submit" disabled=move || everywhere.pending().get()>"Sign out everywhere"</button>
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
