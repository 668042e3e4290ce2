use crate::api::shops::{get_shops_admin, ApproveApplication, ReinstateShop, RejectApplication, SuspendShop};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::lang::use_lang;
use crate::domain::shop::{mask_email, mask_phone, AdminAction, ApplicationView, ShopStanding};
use crate::i18n::td_string;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// An admin's decision on a shop, as people read it.
fn action_label(l: crate::i18n::Locale, action: AdminAction) -> &'static str {
    match action {
        AdminAction::Approved => td_string!(l, admin.action_approved),
        AdminAction::Rejected => td_string!(l, admin.action_rejected),
        AdminAction::Suspended => td_string!(l, admin.action_suspended),
        AdminAction::Reinstated => td_string!(l, admin.action_reinstated),
    }
}

/// `/admin/shops`: applications to sell waiting for a decision (approve, or reject with a reason
/// the applicant reads), every shop with its standing (suspend with a reason, reinstate), and the
/// log of these decisions. Admins only.
#[component]
pub fn AdminShopsPage() -> impl IntoView {
    let approve = ServerAction::<ApproveApplication>::new();
    let reject = ServerAction::<RejectApplication>::new();
    let suspend = ServerAction::<SuspendShop>::new();
    let reinstate = ServerAction::<ReinstateShop>::new();
    let page = Resource::new(
        move || (approve.version().get(), reject.version().get(), suspend.version().get(), reinstate.version().get()),
        |_| get_shops_admin(),
    );
    let query = use_query_map();
    let l = use_lang().locale;
    let notice = move || {
        let q = query.read();
        [
            ("approved", td_string!(l, admin.notice_approved)),
            ("rejected", td_string!(l, admin.notice_rejected)),
            ("suspended", td_string!(l, admin.notice_suspended)),
            ("reinstated", td_string!(l, admin.notice_reinstated)),
        ]
        .into_iter()
        .find(|(k, _)| q.get(k).is_some())
        .map(|(_, m)| m)
    };
    let failure = move || {
        [approve.value().get().and_then(Result::err), reject.value().get().and_then(Result::err), suspend.value().get().and_then(Result::err), reinstate.value().get().and_then(Result::err)]
            .into_iter()
            .flatten()
            .next()
            .map(|e| e.to_string())
    };
    view! {
        <Title text=td_string!(l, admin.shops)/>
        <h1>{td_string!(l, admin.shops)}</h1>
        {crate::pages::admin::admin_nav()}
        {move || notice().map(|m| view! { <Alert kind="info" message=m/> })}
        {move || failure().map(|m| view! { <Alert message=m/> })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        <section aria-labelledby="applications-title">
                            <h2 id="applications-title">{td_string!(l, admin.applications_waiting, count = page.pending.len().to_string()).to_string()}</h2>
                            {if page.pending.is_empty() {
                                view! { <p class="empty">{td_string!(l, admin.no_application)}</p> }.into_any()
                            } else {
                                view! {
                                    <ol role="list" class="queue" data-testid="applications">
                                        {page.pending.into_iter().map(|a| view! { <ApplicationItem application=a approve reject/> }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                        </section>
                        <section aria-labelledby="shops-title">
                            <h2 id="shops-title">{td_string!(l, admin.all_shops)}</h2>
                            <ul role="list" class="staff-list" data-testid="shops">
                                {page.shops.into_iter().map(|s| view! { <StandingLine shop=s suspend reinstate/> }).collect_view()}
                            </ul>
                        </section>
                        <section aria-labelledby="decisions-title">
                            <h2 id="decisions-title">{td_string!(l, admin.decisions)}</h2>
                            {if page.log.is_empty() {
                                view! { <p class="empty">{td_string!(l, admin.no_decision)}</p> }.into_any()
                            } else {
                                view! {
                                    <ol role="list" class="decision-log" data-testid="shop-decisions">
                                        {page.log.into_iter().map(|d| view! {
                                            <li class="decision">
                                                <p><strong>{action_label(l, d.action)}</strong>{format!(" · {}", d.subject)}</p>
                                                {(!d.reason.is_empty()).then(|| view! { <p>{d.reason.clone()}</p> })}
                                                <p class="muted">{td_string!(l, admin.at_by, at = d.at.clone(), by = d.by.clone()).to_string()}</p>
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ApplicationItem(application: ApplicationView, approve: ServerAction<ApproveApplication>, reject: ServerAction<RejectApplication>) -> impl IntoView {
    let a = application;
    let p = a.profile;
    let title_id = format!("application-{}", a.id);
    let reason_id = format!("reject-reason-{}", a.id);
    let lang = use_lang();
    let l = lang.locale;
    let (approve_label, reject_label) =
        (td_string!(l, admin.approve_shop, name = p.name.clone()).to_string(), td_string!(l, admin.reject_shop, name = p.name.clone()).to_string());
    view! {
        <li class="queue-item" aria-labelledby=title_id.clone()>
            <h3 id=title_id.clone()>{p.name.clone()}</h3>
            <p class="muted">{td_string!(l, admin.applicant, name = a.applicant_name.clone(), email = a.applicant_email.clone(), at = a.submitted_at.clone()).to_string()}</p>
            <dl class="facts">
                <dt>{td_string!(l, admin.where_)}</dt><dd>{format!("{}, {}", p.city, p.country)}</dd>
                <dt>{td_string!(l, admin.description)}</dt><dd class="review-body">{p.description.clone()}</dd>
                <dt>{td_string!(l, admin.opening_hours)}</dt><dd>{p.opening_hours.clone()}</dd>
                <dt>{td_string!(l, admin.contact_masked)}</dt><dd>{format!("{} · {}", mask_email(&p.contact_email), mask_phone(&p.contact_phone))}</dd>
                <dt>{td_string!(l, admin.contact_full)}</dt><dd>{format!("{} · {}", p.contact_email, p.contact_phone)}</dd>
                <dt>{td_string!(l, admin.returns)}</dt><dd>{td_string!(l, admin.returns_days, days = p.return_days.to_string(), policy = p.return_policy.clone()).to_string()}</dd>
                <dt>{td_string!(l, admin.handling)}</dt><dd>{td_string!(l, admin.handling_days, days = p.handling_days.to_string(), shipping = lang.money(p.shipping)).to_string()}</dd>
            </dl>
            <ActionForm action=approve attr:class="inline-form">
                <input type="hidden" name="application_id" value=a.id/>
                <button type="submit" class="primary" aria-label=approve_label>{td_string!(l, admin.approve)}</button>
            </ActionForm>
            <details class="danger-zone">
                <summary>{td_string!(l, admin.reject_more)}</summary>
                <ActionForm action=reject attr:class="action-form">
                    <input type="hidden" name="application_id" value=a.id/>
                    <label for=reason_id.clone()>{td_string!(l, admin.reason_for_applicant)}</label>
                    <textarea id=reason_id name="reason" rows="3" required minlength="10" maxlength="2000"></textarea>
                    <button type="submit" class="danger">{reject_label}</button>
                </ActionForm>
            </details>
        </li>
    }
}

#[component]
fn StandingLine(shop: ShopStanding, suspend: ServerAction<SuspendShop>, reinstate: ServerAction<ReinstateShop>) -> impl IntoView {
    let s = shop;
    let reason_id = format!("suspend-reason-{}", s.id.0);
    let name = s.name.clone();
    let l = use_lang().locale;
    let (reinstate_label, suspend_summary, suspend_label) = (
        td_string!(l, admin.reinstate_shop, name = s.name.clone()).to_string(),
        td_string!(l, admin.suspend_shop_more, name = s.name.clone()).to_string(),
        td_string!(l, admin.suspend_shop, name = s.name.clone()).to_string(),
    );
    view! {
        <li class="staff-member">
            <p><A href=format!("/shop/{}", s.slug)><strong>{name}</strong></A>{format!(" · {}", s.owner_email)}
                {s.suspended.as_ref().map(|_| view! { <span class="badge-warn">{td_string!(l, admin.suspended_badge)}</span> })}</p>
            {match s.suspended.clone() {
                Some(reason) => view! {
                    <p class="muted">{td_string!(l, admin.why, reason = reason.clone()).to_string()}</p>
                    <ActionForm action=reinstate attr:class="inline-form">
                        <input type="hidden" name="shop_id" value=s.id.0/>
                        <button type="submit" aria-label=reinstate_label>{td_string!(l, admin.reinstate)}</button>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <details class="danger-zone">
                        <summary>{suspend_summary}</summary>
                        <ActionForm action=suspend attr:class="action-form">
                            <input type="hidden" name="shop_id" value=s.id.0/>
                            <label for=reason_id.clone()>{td_string!(l, admin.reason_for_seller)}</label>
                            <textarea id=reason_id name="reason" rows="3" required minlength="10" maxlength="2000"></textarea>
                            <button type="submit" class="danger">{suspend_label}</button>
                        </ActionForm>
                    </details>
                }.into_any(),
            }}
        </li>
    }
}
