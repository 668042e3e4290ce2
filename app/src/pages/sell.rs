use crate::api::shops::{get_sell_page, ApplyToSell};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::shop_form::ShopProfileFields;
use crate::domain::shop::{ApplicationStatus, SellPage};
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/sell`: "Sell on Troika". A signed-in person applies with their shop's profile; while the
/// application waits they see that it does; a rejected applicant reads why and may apply again.
#[component]
pub fn SellPage() -> impl IntoView {
    let apply = ServerAction::<ApplyToSell>::new();
    let page = Resource::new(move || apply.version().get(), |_| get_sell_page());
    let query = use_query_map();
    let applied = move || query.read().get("applied").is_some();
    view! {
        <Title text="Sell on Troika"/>
        <h1>"Sell on Troika"</h1>
        {move || applied().then(|| view! { <Alert kind="info" message="Thank you! Your application is sent: an administrator reviews it, and you will be told here and in your notifications."/> })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <SellBody page apply/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <p>"Open your own shop on Troika: buyers across Europe, payments handled, disputes refereed. "
                            <A href="/signin?next=/sell">"Sign in"</A> " or " <A href="/signup?next=/sell">"create an account"</A> " to apply."</p>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SellBody(page: SellPage, apply: ServerAction<ApplyToSell>) -> impl IntoView {
    if let Some(slug) = page.shop_slug {
        return view! {
            <p>"You run a shop on Troika. " <A href=format!("/shop/{slug}")>"See your shop"</A> " or " <A href="/seller/shop">"edit its profile"</A> "."</p>
        }
        .into_any();
    }
    if page.staff {
        return view! { <p>"Accounts that work for the marketplace cannot sell on it. Apply with a personal account."</p> }.into_any();
    }
    let waiting = page.latest.as_ref().is_some_and(|a| a.status == ApplicationStatus::Pending);
    let status = page.latest.clone().map(|a| {
        view! {
            <section class="application-status" aria-labelledby="application-title" data-testid="application-status">
                <h2 id="application-title">{format!("Your application for “{}”", a.profile.name)}</h2>
                <p><strong>{a.status.label()}</strong>{format!(" · sent {}", a.submitted_at)}{a.decided_at.map(|d| format!(" · decided {d}"))}</p>
                {(a.status == ApplicationStatus::Rejected).then(|| view! {
                    <p class="reason"><strong>"The marketplace's reason: "</strong>{a.reason.clone()}</p>
                    <p>"You can change what is needed below and apply again."</p>
                })}
            </section>
        }
    });
    let error = Signal::derive(move || apply.value().get().and_then(Result::err));
    let form_message = move || error.get().filter(|e| !matches!(e, AppError::Invalid { fields, .. } if !fields.is_empty())).map(|e| e.to_string());
    let summary = move || {
        error.get().filter(|e| matches!(e, AppError::Invalid { fields, .. } if !fields.is_empty())).map(|_| "Your application is not sent yet: please correct the fields marked below.")
    };
    view! {
        {status}
        {(!waiting).then(|| view! {
            <section aria-labelledby="apply-title">
                <h2 id="apply-title">"Apply to sell"</h2>
                <p>"Tell buyers who you are and how you ship. Every field can be changed later except the shop's name."</p>
                {move || form_message().map(|m| view! { <Alert message=m/> })}
                {move || summary().map(|m| view! { <Alert message=m/> })}
                <ActionForm action=apply attr:class="shop-form" attr:novalidate="">
                    <ShopProfileFields form=page.draft.clone() error/>
                    <button type="submit" class="primary" disabled=move || apply.pending().get()>
                        {move || if apply.pending().get() { "Sending…" } else { "Send my application" }}
                    </button>
                </ActionForm>
            </section>
        })}
    }
    .into_any()
}
