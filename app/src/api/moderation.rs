//! Review moderation (moderators and admins; anyone else: 403): the queue, claiming an item,
//! approving or rejecting it with a reason, approving clean items in bulk, the audit log.

use crate::domain::review::{DecisionView, ModerationQueue, ReviewState};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::with_status,
    backend::{app_state, auth, clock, services::reviews},
    domain::ReviewId,
};

/// The queue: riskiest first, each item with its flags, product, order and the author's record.
#[server(endpoint = "get_moderation_queue")]
pub async fn get_moderation_queue() -> Result<ModerationQueue, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            reviews::queue_view(&app_state()?.db, &user, clock::now_ms()).await
        }
        .await,
    )
}

/// Claims a review so no other moderator works on it (of two at once, one wins; the other: 409).
#[server(endpoint = "claim_review")]
pub async fn claim_review(review_id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            reviews::claim(&state.db, &state.live, &user, ReviewId(review_id), clock::now_ms()).await
        }
        .await,
    )
}

/// Publishes the review as read (`version`); an optional note goes to the audit log.
#[server(endpoint = "approve_review")]
pub async fn approve_review(review_id: i64, version: i64, #[server(default)] note: String) -> Result<ReviewState, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let verdict = reviews::Verdict { approve: true, reason: "", note: &note, version };
            reviews::decide(&state.db, &state.live, &user, ReviewId(review_id), &verdict, clock::now_ms()).await
        }
        .await,
    )
}

/// Rejects the review as read (`version`) for a reason from the policy list, with an optional
/// note; the author is told why.
#[server(endpoint = "reject_review")]
pub async fn reject_review(review_id: i64, version: i64, #[server(default)] reason: String, #[server(default)] note: String) -> Result<ReviewState, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let verdict = reviews::Verdict { approve: false, reason: &reason, note: &note, version };
            reviews::decide(&state.db, &state.live, &user, ReviewId(review_id), &verdict, clock::now_ms()).await
        }
        .await,
    )
}

/// Publishes the clean items listed (`id:version,id:version…`: no flags, new or edited); skips
/// any that changed meanwhile. Returns how many were published.
#[server(endpoint = "approve_clean_reviews")]
pub async fn approve_clean_reviews(#[server(default)] items: String) -> Result<usize, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let parsed: Option<Vec<(ReviewId, i64)>> = items
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().split_once(':').and_then(|(id, v)| Some((ReviewId(id.parse().ok()?), v.parse().ok()?))))
                .collect();
            let parsed = parsed.ok_or_else(|| AppError::invalid(crate::i18n::td_string!(crate::domain::locale::request(), server.review.bulk_malformed).to_string()))?;
            let state = app_state()?;
            reviews::approve_clean(&state.db, &state.live, &user, &parsed, clock::now_ms()).await
        }
        .await,
    )
}

/// The audit log of decisions, newest first.
#[server(endpoint = "list_moderation_log")]
pub async fn list_moderation_log() -> Result<Vec<DecisionView>, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            reviews::decision_log(&app_state()?.db, &user).await
        }
        .await,
    )
}
