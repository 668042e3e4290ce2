//! Conversations between buyers and sellers: ask the seller about a product, message the seller
//! about an order, read and write in a conversation, the inboxes, "no answer needed", and the
//! seller's saved replies. Each works as a plain form post without JavaScript too.

use crate::domain::thread::{Inbox, SavedReply, ThreadView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::{redirect_to, with_status},
    backend::{app_state, auth, clock, services::threads},
    domain::thread::{TemplateInput, ThreadState, ThreadTopic},
    domain::{OrderId, ProductId, ThreadId},
};

/// A checkbox or flag from a form: sent (any value but empty or "false") means yes.
#[cfg(feature = "ssr")]
fn yes(v: &str) -> bool {
    !v.is_empty() && v != "false" && v != "0"
}

/// Keeps what was typed when sending failed (the form comes back with it, without JavaScript too),
/// or forgets it once sent.
#[cfg(feature = "ssr")]
async fn keep_draft<T>(form: &str, target: i64, body: &str, result: Result<T, AppError>) -> Result<T, AppError> {
    let session = crate::backend::auth::session().await?;
    match &result {
        Ok(_) => crate::backend::drafts::forget(&session, form).await?,
        Err(AppError::Invalid { .. }) => crate::backend::drafts::keep(&session, form, &target.to_string(), &body.to_string()).await?,
        Err(_) => {}
    }
    result
}

/// What the person last typed into a message form (`ask`, `order` or `thread`) for `target`, when
/// sending failed.
#[server(endpoint = "get_message_draft")]
pub async fn get_message_draft(form: String, target: i64) -> Result<String, AppError> {
    with_status(
        async {
            // A guest has no draft (and the product page asks for one while rendering for anyone).
            if auth::current_user().await?.is_none() {
                return Ok(String::new());
            }
            if !["ask", "order", "thread"].contains(&form.as_str()) {
                return Err(AppError::invalid_field("form", crate::i18n::td_string!(crate::domain::locale::request(), server.thread.no_form).to_string()));
            }
            let session = crate::backend::auth::session().await?;
            Ok(crate::backend::drafts::get::<String>(&session, &form, &target.to_string()).await?.unwrap_or_default())
        }
        .await,
    )
}

/// "Ask the seller" on a product page: starts (or continues) the buyer's conversation about it and
/// goes on to it. `confirm` sends a message the screening warned about (contact details, a link).
#[server(endpoint = "ask_seller")]
pub async fn ask_seller(
    product_id: i64,
    client_id: String,
    #[server(default)] body: String,
    #[server(default)] confirm: String,
) -> Result<i64, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let msg = threads::MessageInput { client_id: &client_id, body: &body, confirm: yes(&confirm), photo: None };
            let posted = keep_draft("ask", product_id, &body, threads::ask_question(&state, &user, ProductId(product_id), &msg, clock::now_ms()).await).await?;
            redirect_to(&format!("/messages/{}", posted.thread));
            Ok(posted.thread.0)
        }
        .await,
    )
}

/// "Message the seller" on an order page (its buyer): a topic and a message; goes on to the
/// conversation.
#[server(endpoint = "message_seller")]
pub async fn message_seller(
    order_id: i64,
    client_id: String,
    #[server(default)] topic: String,
    #[server(default)] body: String,
    #[server(default)] confirm: String,
) -> Result<i64, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let msg = threads::MessageInput { client_id: &client_id, body: &body, confirm: yes(&confirm), photo: None };
            let posted = keep_draft("order", order_id, &body, threads::message_about_order(&state, &user, OrderId(order_id), &topic, &msg, clock::now_ms()).await).await?;
            redirect_to(&format!("/messages/{}", posted.thread));
            Ok(posted.thread.0)
        }
        .await,
    )
}

/// A conversation as the signed-in user sees it (its parties; mediators once it became a claim;
/// anyone else: not found). Opening it marks it read.
#[server(endpoint = "get_thread")]
pub async fn get_thread(id: i64) -> Result<ThreadView, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let view = threads::thread_view(&state, &user, ThreadId(id), clock::now_ms()).await?;
            if view.cursor > 0 {
                threads::mark_read(&state, &user, view.id, view.cursor).await?;
            }
            Ok(view)
        }
        .await,
    )
}

/// Writes in a conversation. `client_id` is the sender's id for this message: sending it again
/// stores nothing new. `confirm` sends a message the screening warned about.
#[server(endpoint = "post_thread_message")]
pub async fn post_thread_message(
    thread_id: i64,
    client_id: String,
    #[server(default)] body: String,
    #[server(default)] confirm: String,
) -> Result<i64, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let msg = threads::MessageInput { client_id: &client_id, body: &body, confirm: yes(&confirm), photo: None };
            let posted = keep_draft("thread", thread_id, &body, threads::post_message(&state, &user, ThreadId(thread_id), &msg, clock::now_ms()).await).await?;
            Ok(posted.seq)
        }
        .await,
    )
}

/// The seller marks the waiting message as needing no answer (a thank-you).
#[server(endpoint = "mark_no_answer_needed")]
pub async fn mark_no_answer_needed(thread_id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            threads::no_answer_needed(&app_state()?, &user, ThreadId(thread_id), clock::now_ms()).await
        }
        .await,
    )
}

/// An inbox: `shop` for the seller's (their shop's conversations), otherwise the buyer's; filtered
/// by `topic` and `state` when given.
#[server(endpoint = "get_inbox")]
pub async fn get_inbox(#[server(default)] of: String, #[server(default)] topic: String, #[server(default)] state: String) -> Result<Inbox, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let kind = if of == "shop" { threads::InboxKind::Shop } else { threads::InboxKind::Buyer };
            let topic = match topic.as_str() {
                "" => None,
                t => Some(ThreadTopic::parse(t).ok_or_else(|| AppError::invalid_field("topic", crate::i18n::td_string!(crate::domain::locale::request(), server.thread.topic_list).to_string()))?),
            };
            let wanted = match state.as_str() {
                "" => None,
                s => Some(ThreadState::parse(s).ok_or_else(|| AppError::invalid_field("state", crate::i18n::td_string!(crate::domain::locale::request(), server.thread.state_list).to_string()))?),
            };
            threads::inbox(&app_state()?, &user, kind, topic, wanted, clock::now_ms()).await
        }
        .await,
    )
}

/// The seller's saved replies, as written.
#[server(endpoint = "get_saved_replies")]
pub async fn get_saved_replies() -> Result<Vec<SavedReply>, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            threads::saved_replies(&app_state()?, &user).await
        }
        .await,
    )
}

/// Saves a new reply (`id` empty) or changes one.
#[server(endpoint = "save_reply")]
pub async fn save_reply(#[server(default)] id: String, #[server(default)] title: String, #[server(default)] body: String) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let id = match id.trim() {
                "" => None,
                v => Some(v.parse::<i64>().map_err(|_| AppError::invalid_field("id", crate::i18n::td_string!(crate::domain::locale::request(), server.thread.no_reply).to_string()))?),
            };
            threads::save_reply(&app_state()?, &user, id, &TemplateInput { title, body }, clock::now_ms()).await
        }
        .await,
    )
}

#[server(endpoint = "delete_reply")]
pub async fn delete_reply(id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            threads::delete_reply(&app_state()?, &user, id).await
        }
        .await,
    )
}

/// The seller publishes the buyer's question and their answer on the product page; a moderator
/// approves it first.
#[server(endpoint = "publish_question")]
pub async fn publish_question(thread_id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            crate::backend::services::reviews::publish_question(&state.db, &state.live, &user, ThreadId(thread_id), clock::now_ms()).await?;
            Ok(())
        }
        .await,
    )
}

/// A product's published questions and answers.
#[server(endpoint = "get_product_questions")]
pub async fn get_product_questions(product_id: i64) -> Result<Vec<crate::domain::review::PublicQuestion>, AppError> {
    with_status(async { crate::backend::services::reviews::product_questions(&app_state()?.db, ProductId(product_id)).await }.await)
}

/// The seller asks Troika to step in on an order's conversation: a claim opens for a mediator,
/// with what the seller proposes (`remedy`, `amount` for a partial refund) and why (`message`);
/// goes on to the claim's room.
#[server(endpoint = "ask_troika_to_step_in")]
pub async fn ask_troika_to_step_in(
    thread_id: i64,
    #[server(default)] remedy: String,
    #[server(default)] amount: String,
    #[server(default)] message: String,
) -> Result<i64, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let input = crate::backend::services::disputes::StepInInput { thread: ThreadId(thread_id), remedy: &remedy, amount: &amount, message: &message };
            let claim = crate::backend::services::disputes::open_claim_as_seller(&state.db, &state.live, &user, &input, clock::now_ms()).await?;
            redirect_to(&format!("/claims/{claim}"));
            Ok(claim.0)
        }
        .await,
    )
}
