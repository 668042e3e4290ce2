//! The buttons and small forms that move an order, for whoever may act on it now. Every form is a
//! plain HTML form posting to `advance_order` (it works before the app loads and without
//! JavaScript); the state machine on the server decides what is allowed.

use crate::api::orders::AdvanceOrder;
use crate::components::errors::Alert;
use crate::domain::order::ActionKind;
use crate::domain::OrderId;
use crate::error::AppError;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
use leptos::prelude::*;

/// Carriers offered as suggestions when shipping (any name may be typed).
const CARRIERS: [&str; 8] = ["La Poste / Colissimo", "DHL", "UPS", "DPD", "GLS", "Posten Bring", "CTT", "Correos"];

#[component]
pub fn OrderActions(order: OrderId, actions: Vec<ActionKind>, advance: ServerAction<AdvanceOrder>) -> impl IntoView {
    if actions.is_empty() {
        return ().into_any();
    }
    let error = move || advance.value().get().and_then(Result::err);
    let messages = move || {
        error().map(|e| match e {
            AppError::Invalid { fields, .. } if !fields.is_empty() => fields.into_values().collect::<Vec<_>>(),
            AppError::Invalid { message, .. } => vec![message],
            other => vec![other.to_string()],
        })
    };
    let l = use_lang().locale;
    view! {
        <section class="order-actions" aria-labelledby="actions-title">
            <h2 id="actions-title">{td_string!(l, actions.title)}</h2>
            {move || messages().map(|m| view! { <Alert message=m.join(" ")/> })}
            {actions.into_iter().map(|a| view! { <ActionFormFor order action=a advance/> }).collect_view()}
        </section>
    }
    .into_any()
}

#[component]
fn ActionFormFor(order: OrderId, action: ActionKind, advance: ServerAction<AdvanceOrder>) -> impl IntoView {
    let id = format!("{}-{}", action.as_str(), order);
    let note_id = format!("note-{id}");
    let pending = advance.pending();
    let primary = matches!(action, ActionKind::Accept | ActionKind::Ship | ActionKind::MarkDelivered | ActionKind::ConfirmReceipt);
    let danger = matches!(action, ActionKind::Refuse | ActionKind::CancelBySeller | ActionKind::CancelByBuyer);
    let l = use_lang().locale;
    let note_label = match action {
        ActionKind::Refuse | ActionKind::CancelBySeller => Some((td_string!(l, actions.reason_for_buyer), true)),
        ActionKind::DeliveryProblem => Some((td_string!(l, actions.what_went_wrong), true)),
        ActionKind::CancelByBuyer => Some((td_string!(l, actions.why_cancel), false)),
        ActionKind::InTransit => Some((td_string!(l, actions.where_now), false)),
        _ => None,
    };
    let label = action_label(l, action);
    let fields = match action {
        ActionKind::Ship => {
            let carrier_id = format!("carrier-{order}");
            let tracking_id = format!("tracking-{order}");
            let list_id = format!("carriers-{order}");
            view! {
                <div class="field">
                    <label for=carrier_id.clone()>{td_string!(l, actions.carrier)}</label>
                    <input id=carrier_id name="carrier" list=list_id.clone() required autocomplete="off"/>
                    <datalist id=list_id>{CARRIERS.map(|c| view! { <option value=c/> }).collect_view()}</datalist>
                </div>
                <div class="field">
                    <label for=tracking_id.clone()>{td_string!(l, actions.tracking_number)}</label>
                    <input id=tracking_id name="tracking_number" required autocomplete="off" autocapitalize="characters" spellcheck="false"/>
                </div>
            }
            .into_any()
        }
        _ => ().into_any(),
    };
    let note = note_label.map(|(label, required)| {
        view! {
            <div class="field">
                <label for=note_id.clone()>{label}{(!required).then_some(view! { <span class="optional">{td_string!(l, form.optional)}</span> })}</label>
                <textarea id=note_id.clone() name="note" rows="2" maxlength="500" required=required></textarea>
            </div>
        }
    });
    let class = format!("action-form action-{}", action.as_str());
    let button_class = if primary { "primary" } else if danger { "danger" } else { "" };
    let form = view! {
        <ActionForm action=advance attr:class=class>
            <input type="hidden" name="order_id" value=order.0/>
            <input type="hidden" name="action" value=action.as_str()/>
            {fields}
            {note}
            <button type="submit" class=button_class disabled=move || pending.get()>{label}</button>
        </ActionForm>
    };
    // Actions that end the order sit behind one more tap, so they are never taken by accident.
    if danger {
        view! { <details class="danger-zone"><summary>{format!("{label}…")}</summary>{form}</details> }.into_any()
    } else {
        form.into_any()
    }
}

/// An action's button text in the page's language.
fn action_label(l: crate::i18n::Locale, action: ActionKind) -> &'static str {
    match action {
        ActionKind::Accept => td_string!(l, actions.accept),
        ActionKind::Refuse => td_string!(l, actions.refuse),
        ActionKind::Ship => td_string!(l, actions.ship),
        ActionKind::InTransit => td_string!(l, actions.in_transit),
        ActionKind::OutForDelivery => td_string!(l, actions.out_for_delivery),
        ActionKind::DeliveryProblem => td_string!(l, actions.delivery_problem),
        ActionKind::MarkDelivered => td_string!(l, actions.mark_delivered),
        ActionKind::ConfirmReceipt => td_string!(l, actions.confirm_receipt),
        ActionKind::CancelByBuyer => td_string!(l, actions.cancel_by_buyer),
        ActionKind::CancelBySeller => td_string!(l, actions.cancel_by_seller),
        ActionKind::Complete => td_string!(l, actions.complete),
        ActionKind::CancelUnaccepted => td_string!(l, actions.cancel_unaccepted),
    }
}
