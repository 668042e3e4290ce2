use crate::api::disputes::{get_claim_draft, OpenClaim};
use crate::api::orders::get_order;
use crate::components::errors::{Alert, ErrorPage};
use crate::domain::dispute::{ClaimDraft, ClaimReason, Remedy, MESSAGE_MAX_CHARS};
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
    let order = Resource::new(id, |id| async move {
        match id {
            Some(id) => Ok((get_order(id).await?, get_claim_draft(id).await.unwrap_or_default())),
            None => Err(AppError::NotFound("There is no such order in your account.".into())),
        }
    });
    view! {
        <Title text="Report a problem"/>
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
    let back = format!("/orders/{}", order.id);
    let heading = format!("Report a problem with order #{}", order.id);
    if let Some((claim, state)) = order.claim.filter(|(_, s)| s.is_open()) {
        return view! {
            <h1>{heading}</h1>
            <p>{format!("This order already has an open claim ({}).", state.label().to_lowercase())}</p>
            <p><A href=format!("/claims/{claim}")>"Continue in the claim's room"</A></p>
        }
        .into_any();
    }
    if !order.may_claim {
        return view! {
            <h1>{heading}</h1>
            <p>"A claim can be opened once the order has shipped (or if it is late), by its buyer, until it is completed."</p>
            <p><A href=back>"Back to the order"</A></p>
        }
        .into_any();
    }
    let items: Vec<String> = order.lines.iter().map(|l| format!("{} × {}", l.quantity, l.name)).collect();
    let total = order.total;
    view! {
        <p><A href=back.clone()>"← Back to the order"</A></p>
        <h1>{heading}</h1>
        <p class="muted">{format!("From {} · {} · total {}", order.shop_name, items.join(", "), total)}</p>
        <p class="notice">"The seller has 24 hours to answer. If you do not agree within 3 days, either of you can ask a Troika mediator to decide."</p>
        {move || form_error().map(|e| view! { <Alert message=e.to_string()/> })}
        <ActionForm action=open attr:class="claim-form" attr:novalidate="">
            <input type="hidden" name="order_id" value=order.id.0/>
            <fieldset aria-describedby="reason-error">
                <legend>"What went wrong?"</legend>
                {ClaimReason::ALL.into_iter().map(|r| {
                    let id = format!("reason-{}", r.as_str());
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="reason" value=r.as_str() required checked=draft.reason == r.as_str()/>
                            <label for=id>{r.label()}</label>
                        </div>
                    }
                }).collect_view()}
                {move || field("reason")().map(|e| view! { <p class="field-error" id="reason-error">{e}</p> })}
            </fieldset>
            <fieldset aria-describedby="remedy-error">
                <legend>"What would settle it?"</legend>
                {Remedy::KINDS.into_iter().map(|(kind, label)| {
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
                    <label for="claim-amount">"Amount, for a partial refund" <span class="optional">{format!(" (less than {total})")}</span></label>
                    <input id="claim-amount" name="amount" inputmode="decimal" autocomplete="off" placeholder="e.g. 15.00" value=draft.amount.clone()
                        aria-invalid=move || field("amount")().is_some().then_some("true") aria-describedby="amount-error"/>
                    {move || field("amount")().map(|e| view! { <p class="field-error" id="amount-error">{e}</p> })}
                </div>
            </fieldset>
            <div class="field" class:has-error=move || field("message")().is_some()>
                <label for="claim-message">"Your message to the seller"</label>
                <p class="hint" id="claim-message-hint">"Say what happened. The seller and, later, a mediator read it."</p>
                <textarea id="claim-message" name="message" rows="5" required maxlength=MESSAGE_MAX_CHARS
                    aria-invalid=move || field("message")().is_some().then_some("true") aria-describedby="claim-message-hint message-error">{draft.message.clone()}</textarea>
                {move || field("message")().map(|e| view! { <p class="field-error" id="message-error">{e}</p> })}
            </div>
            <button type="submit" class="primary" disabled=move || open.pending().get()>
                {move || if open.pending().get() { "Opening the claim…" } else { "Open the claim" }}
            </button>
        </ActionForm>
    }
    .into_any()
}
