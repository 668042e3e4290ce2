use crate::api::auth::{SignIn, SignUp};
use crate::components::errors::Alert;
use crate::components::form::FormField;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

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
    view! {
        <Title text="Sign in"/>
        <section class="narrow">
            <h1>"Sign in"</h1>
            {move || error().and_then(|e| form_message(&e)).map(|m| view! { <Alert message=m/> })}
            <ActionForm action=action attr:class="stack-form">
                <input type="hidden" name="next" value=move || next.get()/>
                <FormField label="Email" name="email" kind="email" autocomplete="username" required=true error=field("email")/>
                <FormField label="Password" name="password" kind="password" autocomplete="current-password" required=true error=field("password")/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            <p>"New to Troika? " <A href=move || format!("/signup?next={}", next.get())>"Create an account"</A></p>
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
            <p>"Already have an account? " <A href=move || format!("/signin?next={}", next.get())>"Sign in"</A></p>
        </section>
    }
}
