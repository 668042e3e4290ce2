//! Claims (disputes) and their rooms: open a claim, read the room, write, offer, answer an offer,
//! escalate, take, decide, withdraw, list. Every command is a server function (the socket only
//! pushes); each works as a plain form post without JavaScript (the browser comes back to the room).

use crate::domain::dispute::{ClaimDraft, ClaimState};
use crate::domain::room::{ClaimList, ClaimRoom};
use crate::domain::ClaimId;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::with_status,
    backend::{app_state, auth, clock, drafts, services::disputes},
    domain::{dispute::Audience, room::ClaimTab, OrderId},
};

/// The buyer opens a claim on an order: what went wrong, what would settle it, a first message.
/// Goes on to the claim's room.
#[server(endpoint = "open_claim")]
pub async fn open_claim(
    order_id: i64,
    #[server(default)] reason: String,
    #[server(default)] remedy: String,
    #[server(default)] amount: String,
    #[server(default)] message: String,
) -> Result<ClaimId, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let session = auth::session().await?;
            let input = disputes::OpenClaimInput { order: OrderId(order_id), reason: &reason, wanted: &remedy, amount: &amount, message: &message };
            match disputes::open_claim(&state.db, &state.live, &user, &input, clock::now_ms()).await {
                Ok(claim) => {
                    drafts::forget(&session, "claim").await?;
                    crate::api::redirect_to(&format!("/claims/{claim}"));
                    Ok(claim)
                }
                Err(e) => {
                    // What was typed is kept for the form when it comes back (without JavaScript too).
                    let draft = ClaimDraft { reason, remedy, amount, message };
                    drafts::keep(&session, "claim", &order_id.to_string(), &draft).await?;
                    Err(e)
                }
            }
        }
        .await,
    )
}

/// What the buyer last typed into the claim form for this order, when opening failed.
#[server(endpoint = "get_claim_draft")]
pub async fn get_claim_draft(order_id: i64) -> Result<ClaimDraft, AppError> {
    with_status(
        async {
            auth::require_user().await?;
            let session = auth::session().await?;
            Ok(drafts::get::<ClaimDraft>(&session, "claim", &order_id.to_string()).await?.unwrap_or_default())
        }
        .await,
    )
}

/// The room as the signed-in user sees it (parties and mediators only; anyone else: not found).
#[server(endpoint = "get_claim_room")]
pub async fn get_claim_room(id: i64) -> Result<ClaimRoom, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            disputes::room_view(&app_state()?.db, &user, ClaimId(id), clock::now_ms()).await
        }
        .await,
    )
}

/// Writes in the room. `client_id` is the sender's id for this message: sending it again (a retry
/// after a lost connection) stores nothing new and answers with the same place in the room.
/// `audience`: `all` (default), or for a mediator `buyer`, `seller` or `mediators` (a note).
#[server(endpoint = "post_claim_message")]
pub async fn post_claim_message(
    claim_id: i64,
    client_id: String,
    #[server(default)] body: String,
    #[server(default)] audience: String,
) -> Result<i64, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let audience = if audience.is_empty() { Audience::All } else { Audience::parse(&audience).ok_or_else(|| AppError::invalid_field("audience", crate::i18n::td_string!(crate::domain::locale::request(), server.claim.audience).to_string()))? };
            let state = app_state()?;
            let posted = disputes::post_message(&state.db, &state.live, &user, ClaimId(claim_id), &client_id, &body, audience, clock::now_ms()).await?;
            Ok(posted.seq)
        }
        .await,
    )
}

/// The seller (or the mediator on an escalated claim) offers a remedy: `full_refund`,
/// `partial_refund` (with `amount`), `replacement` or `return_and_refund`.
#[server(endpoint = "make_claim_offer")]
pub async fn make_claim_offer(
    claim_id: i64,
    client_id: String,
    #[server(default)] remedy: String,
    #[server(default)] amount: String,
    #[server(default)] note: String,
) -> Result<i64, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let posted = disputes::make_offer(&state.db, &state.live, &user, ClaimId(claim_id), &client_id, &remedy, &amount, &note, clock::now_ms()).await?;
            Ok(posted.seq)
        }
        .await,
    )
}

/// The buyer answers the offer `offer` (its place in the room): `answer` is `accept` or `decline`.
#[server(endpoint = "answer_claim_offer")]
pub async fn answer_claim_offer(claim_id: i64, offer: i64, answer: String) -> Result<ClaimState, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let accept = match answer.as_str() {
                "accept" => true,
                "decline" => false,
                _ => return Err(AppError::invalid(crate::i18n::td_string!(crate::domain::locale::request(), server.claim.accept_or_decline).to_string())),
            };
            let state = app_state()?;
            disputes::answer_offer(&state.db, &state.live, &user, ClaimId(claim_id), offer, accept, clock::now_ms()).await
        }
        .await,
    )
}

/// The buyer or the seller asks a mediator to step in.
#[server(endpoint = "escalate_claim")]
pub async fn escalate_claim(claim_id: i64, #[server(default)] note: String) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            disputes::escalate(&state.db, &state.live, &user, ClaimId(claim_id), &note, clock::now_ms()).await
        }
        .await,
    )
}

/// A mediator takes an escalated claim (no two mediators work the same claim).
#[server(endpoint = "take_claim")]
pub async fn take_claim(claim_id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            disputes::take(&state.db, &state.live, &user, ClaimId(claim_id), clock::now_ms()).await
        }
        .await,
    )
}

/// The mediator decides an escalated claim they have taken: `decision` is a remedy kind or
/// `reject`; `reason` is required and every party reads it.
#[server(endpoint = "decide_claim")]
pub async fn decide_claim(
    claim_id: i64,
    #[server(default)] decision: String,
    #[server(default)] amount: String,
    #[server(default)] reason: String,
) -> Result<ClaimState, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let outcome = disputes::decide(&state.db, &state.live, &user, ClaimId(claim_id), &decision, &amount, &reason, clock::now_ms()).await?;
            Ok(outcome.final_state())
        }
        .await,
    )
}

/// The buyer withdraws their claim.
#[server(endpoint = "withdraw_claim")]
pub async fn withdraw_claim(claim_id: i64, #[server(default)] note: String) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            disputes::withdraw(&state.db, &state.live, &user, ClaimId(claim_id), &note, clock::now_ms()).await
        }
        .await,
    )
}

/// Claims: a buyer's or seller's own; for mediators the queue (`queue`), `mine`, `open`, `ended`.
#[server(endpoint = "list_claims")]
pub async fn list_claims(#[server(default)] tab: String) -> Result<ClaimList, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            disputes::list_claims(&app_state()?.db, &user, ClaimTab::parse(&tab), clock::now_ms()).await
        }
        .await,
    )
}
