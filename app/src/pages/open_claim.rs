use crate::api::disputes::{get_claim_draft, OpenClaim};
use crate::api::orders::get_order;
use crate::components::errors::{Alert, ErrorPage};
use crate::components::lang::use_lang;
use crate::i18n::td_string;
use crate::pages::claims::{reason_label, remedy_kinds, state_label};
use crate::domain::dispute::{ClaimDraft, ClaimReason, MESSAGE_MAX_CHARS};
use crate::domain::order::OrderDetail;
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/orders/:id/claim`: the buyer reports a problem with an order: what went wrong, what would
/// settle it, and a first message to the seller. Opening it leads to the claim's room.
#[component]
pub fn OpenClaimPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let l = use_lang().locale;
    let no_such = td_string!(l, claim.no_such_order);
    let order = Resource::new(id, move |id| async move {
        match id {
            Some(id) => Ok((get_order(id).await?, get_claim_draft(id).await.unwrap_or_default())),
            None => Err(AppError::NotFound(no_such.into())),
        }
    });
    view! {
        <Title text=td_string!(l, claim.report_title)/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match order.await {
                    Ok((o, draft)) => view! { <OpenClaimForm order=o draft/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OpenClaimForm(order: OrderDetail, draft: ClaimDraft) -> impl IntoView {
    let open = ServerAction::<OpenClaim>::new();
    let error = move || open.value().get().and_then(Result::err);
    let field = move |name: &'static str| move || error().and_then(|e| e.field(name));
    let form_error = move || error().filter(|e| !matches!(e, AppError::Invalid { fields, .. } if !fields.is_empty()));
    let lang = use_lang();
    let l = lang.locale;
    let back = format!("/orders/{}", order.id);
    let heading = td_string!(l, claim.report_heading, order = order.id.to_string()).to_string();
    if let Some((claim, state)) = order.claim.filter(|(_, s)| s.is_open()) {
        return view! {
            <h1>{heading}</h1>
            <p>{td_string!(l, claim.already_open, state = state_label(l, state).to_lowercase()).to_string()}</p>
            <p><A href=format!("/claims/{claim}")>{td_string!(l, claim.continue_in_room)}</A></p>
        }
        .into_any();
    }
    if !order.may_claim {
        return view! {
            <h1>{heading}</h1>
            <p>{td_string!(l, claim.not_yet)}</p>
            <p><A href=back>{td_string!(l, claim.back_to_order)}</A></p>
        }
        .into_any();
    }
    let items: Vec<String> = order.lines.iter().map(|line| format!("{} × {}", line.quantity, line.name)).collect();
    let total = order.total;
    view! {
        <p><A href=back.clone()>{td_string!(l, claim.back_arrow)}</A></p>
        <h1>{heading}</h1>
        <p class="muted">{td_string!(l, claim.order_facts, shop = order.shop_name.clone(), items = items.join(", "), total = lang.money(total)).to_string()}</p>
        <p class="notice">{td_string!(l, claim.how_it_goes)}</p>
        {move || form_error().map(|e| view! { <Alert message=e.to_string()/> })}
        <ActionForm action=open attr:class="claim-form" attr:novalidate="">
            <input type="hidden" name="order_id" value=order.id.0/>
            <fieldset aria-describedby="reason-error">
                <legend>{td_string!(l, claim.what_went_wrong)}</legend>
                {ClaimReason::ALL.into_iter().map(|r| {
                    let id = format!("reason-{}", r.as_str());
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="reason" value=r.as_str() required checked=draft.reason == r.as_str()/>
                            <label for=id>{reason_label(l, r)}</label>
                        </div>
                    }
                }).collect_view()}
                {move || field("reason")().map(|e| view! { <p class="field-error" id="reason-error">{e}</p> })}
            </fieldset>
            <fieldset aria-describedby="remedy-error">
                <legend>{td_string!(l, claim.what_settles)}</legend>
                {remedy_kinds(l).into_iter().map(|(kind, label)| {
                    let id = format!("remedy-{kind}");
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="remedy" value=kind required
                                checked=if draft.remedy.is_empty() { kind == "full_refund" } else { draft.remedy == kind }/>
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view()}
                {move || field("remedy")().map(|e| view! { <p class="field-error" id="remedy-error">{e}</p> })}
                <div class="field" class:has-error=move || field("amount")().is_some()>
                    <label for="claim-amount">{td_string!(l, claim.amount)} <span class="optional">{td_string!(l, claim.less_than, total = lang.money(total)).to_string()}</span></label>
                    <input id="claim-amount" name="amount" inputmode="decimal" autocomplete="off" placeholder=td_string!(l, claim.amount_example) value=draft.amount.clone()
                        aria-invalid=move || field("amount")().is_some().then_some("true") aria-describedby="amount-error"/>
                    {move || field("amount")().map(|e| view! { <p class="field-error" id="amount-error">{e}</p> })}
                </div>
            </fieldset>
            <div class="field" class:has-error=move || field("message")().is_some()>
                <label for="claim-message">{td_string!(l, claim.message_to_seller)}</label>
                <p class="hint" id="claim-message-hint">{td_string!(l, claim.message_hint)}</p>
                <textarea id="claim-message" name="message" rows="5" required maxlength=MESSAGE_MAX_CHARS
                    aria-invalid=move || field("message")().is_some().then_some("true") aria-describedby="claim-message-hint message-error">{draft.message.clone()}</textarea>
                {move || field("message")().map(|e| view! { <p class="field-error" id="message-error">{e}</p> })}
            </div>
            <button type="submit" class="primary" disabled=move || open.pending().get()>
                {move || if open.pending().get() { td_string!(l, claim.opening) } else { td_string!(l, claim.open) }}
            </button>
        </ActionForm>
    }
    .into_any()
}
