use crate::api::shops::{get_sell_page, ApplyToSell};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::lang::use_lang;
use crate::components::shop_form::ShopProfileFields;
use crate::domain::shop::{ApplicationStatus, SellPage};
use crate::domain::locale::Locale;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// An application's status as the applicant reads it.
fn status_label(l: Locale, status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Pending => td_string!(l, sell.status_pending),
        ApplicationStatus::Approved => td_string!(l, sell.status_approved),
        ApplicationStatus::Rejected => td_string!(l, sell.status_rejected),
    }
}

/// `/sell`: "Sell on Troika". A signed-in person applies with their shop's profile; while the
/// application waits they see that it does; a rejected applicant reads why and may apply again.
#[component]
pub fn SellPage() -> impl IntoView {
    let apply = ServerAction::<ApplyToSell>::new();
    let l = use_lang().locale;
    let page = Resource::new(move || apply.version().get(), |_| get_sell_page());
    let query = use_query_map();
    let applied = move || query.read().get("applied").is_some();
    view! {
        <Title text=td_string!(l, sell.title)/>
        <h1>{td_string!(l, sell.title)}</h1>
        {move || applied().then(|| view! { <Alert kind="info" message=td_string!(l, sell.applied)/> })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <SellBody page apply/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <p>{td_string!(l, sell.pitch)}
                            <A href="/signin?next=/sell">{td_string!(l, sell.sign_in)}</A> {td_string!(l, sell.or)} <A href="/signup?next=/sell">{td_string!(l, sell.create_account)}</A> {td_string!(l, sell.to_apply)}</p>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SellBody(page: SellPage, apply: ServerAction<ApplyToSell>) -> impl IntoView {
    let lang = use_lang();
    let l = lang.locale;
    if let Some(slug) = page.shop_slug {
        return view! {
            <p>{td_string!(l, sell.you_sell)} <A href=lang.href(&format!("/shop/{slug}"))>{td_string!(l, sell.see_shop)}</A> {td_string!(l, sell.or)}
                <A href="/seller/shop">{td_string!(l, sell.edit_profile)}</A> {td_string!(l, sell.end)}</p>
        }
        .into_any();
    }
    if page.staff {
        return view! { <p>{td_string!(l, sell.staff)}</p> }.into_any();
    }
    let waiting = page.latest.as_ref().is_some_and(|a| a.status == ApplicationStatus::Pending);
    let status = page.latest.clone().map(|a| {
        view! {
            <section class="application-status" aria-labelledby="application-title" data-testid="application-status">
                <h2 id="application-title">{td_string!(l, sell.application_for, name = a.profile.name.clone()).to_string()}</h2>
                <p><strong>{status_label(l, a.status)}</strong>{td_string!(l, sell.sent, when = a.submitted_at.clone()).to_string()}{a.decided_at.map(|d| td_string!(l, sell.decided, when = d).to_string())}</p>
                {(a.status == ApplicationStatus::Rejected).then(|| view! {
                    <p class="reason"><strong>{td_string!(l, sell.reason)}</strong>{a.reason.clone()}</p>
                    <p>{td_string!(l, sell.apply_again)}</p>
                })}
            </section>
        }
    });
    let error = Signal::derive(move || apply.value().get().and_then(Result::err));
    let form_message = move || error.get().filter(|e| !matches!(e, AppError::Invalid { fields, .. } if !fields.is_empty())).map(|e| e.to_string());
    let summary = move || {
        error.get().filter(|e| matches!(e, AppError::Invalid { fields, .. } if !fields.is_empty())).map(|_| td_string!(l, sell.not_sent))
    };
    view! {
        {status}
        {(!waiting).then(|| view! {
            <section aria-labelledby="apply-title">
                <h2 id="apply-title">{td_string!(l, sell.apply_title)}</h2>
                <p>{td_string!(l, sell.apply_intro)}</p>
                {move || form_message().map(|m| view! { <Alert message=m/> })}
                {move || summary().map(|m| view! { <Alert message=m/> })}
                <ActionForm action=apply attr:class="shop-form" attr:novalidate="">
                    <ShopProfileFields form=page.draft.clone() error/>
                    <button type="submit" class="primary" disabled=move || apply.pending().get()>
                        {move || if apply.pending().get() { td_string!(l, sell.sending) } else { td_string!(l, sell.send) }}
                    </button>
                </ActionForm>
            </section>
        })}
    }
    .into_any()
}
