use crate::api::shops::{get_shops_admin, ApproveApplication, ReinstateShop, RejectApplication, SuspendShop};
use crate::components::errors::{Alert, ErrorPage};
use crate::domain::shop::{mask_email, mask_phone, ApplicationView, ShopStanding};
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

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
    let notice = move || {
        let q = query.read();
        [
            ("approved", "Approved: the shop is open and its seller is told."),
            ("rejected", "Rejected: the applicant reads your reason."),
            ("suspended", "Suspended: the shop's products left the storefront; its open orders and claims go on."),
            ("reinstated", "Reinstated: the shop is back in the storefront."),
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
        <Title text="Shops"/>
        <h1>"Shops"</h1>
        {crate::pages::admin::admin_nav()}
        {move || notice().map(|m| view! { <Alert kind="info" message=m/> })}
        {move || failure().map(|m| view! { <Alert message=m/> })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        <section aria-labelledby="applications-title">
                            <h2 id="applications-title">{format!("Applications waiting ({})", page.pending.len())}</h2>
                            {if page.pending.is_empty() {
                                view! { <p class="empty">"No application is waiting."</p> }.into_any()
                            } else {
                                view! {
                                    <ol role="list" class="queue" data-testid="applications">
                                        {page.pending.into_iter().map(|a| view! { <ApplicationItem application=a approve reject/> }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                        </section>
                        <section aria-labelledby="shops-title">
                            <h2 id="shops-title">"All shops"</h2>
                            <ul role="list" class="staff-list" data-testid="shops">
                                {page.shops.into_iter().map(|s| view! { <StandingLine shop=s suspend reinstate/> }).collect_view()}
                            </ul>
                        </section>
                        <section aria-labelledby="decisions-title">
                            <h2 id="decisions-title">"Decisions"</h2>
                            {if page.log.is_empty() {
                                view! { <p class="empty">"No decision yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ol role="list" class="decision-log" data-testid="shop-decisions">
                                        {page.log.into_iter().map(|d| view! {
                                            <li class="decision">
                                                <p><strong>{d.action.label()}</strong>{format!(" · {}", d.subject)}</p>
                                                {(!d.reason.is_empty()).then(|| view! { <p>{d.reason.clone()}</p> })}
                                                <p class="muted">{format!("{} · by {}", d.at, d.by)}</p>
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
    let (approve_label, reject_label) = (format!("Approve {}", p.name), format!("Reject {}", p.name));
    view! {
        <li class="queue-item" aria-labelledby=title_id.clone()>
            <h3 id=title_id.clone()>{p.name.clone()}</h3>
            <p class="muted">{format!("{} ({}) · sent {}", a.applicant_name, a.applicant_email, a.submitted_at)}</p>
            <dl class="facts">
                <dt>"Where"</dt><dd>{format!("{}, {}", p.city, p.country)}</dd>
                <dt>"Description"</dt><dd class="review-body">{p.description.clone()}</dd>
                <dt>"Opening hours"</dt><dd>{p.opening_hours.clone()}</dd>
                <dt>"Contact (buyers see)"</dt><dd>{format!("{} · {}", mask_email(&p.contact_email), mask_phone(&p.contact_phone))}</dd>
                <dt>"Contact (full)"</dt><dd>{format!("{} · {}", p.contact_email, p.contact_phone)}</dd>
                <dt>"Returns"</dt><dd>{format!("{} days · {}", p.return_days, p.return_policy)}</dd>
                <dt>"Handling"</dt><dd>{format!("{} business days · shipping {}", p.handling_days, p.shipping)}</dd>
            </dl>
            <ActionForm action=approve attr:class="inline-form">
                <input type="hidden" name="application_id" value=a.id/>
                <button type="submit" class="primary" aria-label=approve_label>"Approve"</button>
            </ActionForm>
            <details class="danger-zone">
                <summary>"Reject…"</summary>
                <ActionForm action=reject attr:class="action-form">
                    <input type="hidden" name="application_id" value=a.id/>
                    <label for=reason_id.clone()>"Reason (the applicant reads it)"</label>
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
    let (reinstate_label, suspend_summary, suspend_label) = (format!("Reinstate {}", s.name), format!("Suspend {}…", s.name), format!("Suspend {}", s.name));
    view! {
        <li class="staff-member">
            <p><A href=format!("/shop/{}", s.slug)><strong>{name}</strong></A>{format!(" · {}", s.owner_email)}
                {s.suspended.as_ref().map(|_| view! { <span class="badge-warn">" Suspended"</span> })}</p>
            {match s.suspended.clone() {
                Some(reason) => view! {
                    <p class="muted">{format!("Why: {reason}")}</p>
                    <ActionForm action=reinstate attr:class="inline-form">
                        <input type="hidden" name="shop_id" value=s.id.0/>
                        <button type="submit" aria-label=reinstate_label>"Reinstate"</button>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <details class="danger-zone">
                        <summary>{suspend_summary}</summary>
                        <ActionForm action=suspend attr:class="action-form">
                            <input type="hidden" name="shop_id" value=s.id.0/>
                            <label for=reason_id.clone()>"Reason (the seller reads it)"</label>
                            <textarea id=reason_id name="reason" rows="3" required minlength="10" maxlength="2000"></textarea>
                            <button type="submit" class="danger">{suspend_label}</button>
                        </ActionForm>
                    </details>
                }.into_any(),
            }}
        </li>
    }
}
