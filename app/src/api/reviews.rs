//! Reviews: the form for a delivered order's product, writing and editing, a product's published
//! reviews, the user's own reviews (and a seller's received ones), sellers' replies, reports,
//! appeals, and the seller's performance. Every command works as a plain form post.

use crate::domain::review::{MyReviews, PerformanceView, ProductReviews, ReviewForm};
use crate::domain::ReviewId;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::with_status,
    backend::{app_state, auth, clock, drafts, services::reviews},
    domain::{review::ReviewInput, OrderId, ProductId},
};

#[cfg(feature = "ssr")]
fn draft_target(order_id: i64, product_id: i64) -> String {
    format!("{order_id}:{product_id}")
}

/// The review form for one product of the buyer's delivered order: empty, the review to edit, or
/// what was typed when saving failed.
#[server(endpoint = "get_review_form")]
pub async fn get_review_form(order_id: i64, product_id: i64) -> Result<ReviewForm, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let mut form = reviews::review_form(&app_state()?.db, &user, OrderId(order_id), ProductId(product_id)).await?;
            let draft = drafts::get::<ReviewInput>(&auth::session().await?, "review", &draft_target(order_id, product_id)).await?;
            if draft.is_some() {
                form.current = draft;
            }
            Ok(form)
        }
        .await,
    )
}

/// Saves the buyer's review (new or edited): 1–5 stars for the product (and for the seller, once
/// per order), a title and a text. It waits for a moderator; goes on to the buyer's reviews.
#[server(endpoint = "save_review")]
pub async fn save_review(
    order_id: i64,
    product_id: i64,
    #[server(default)] stars: String,
    #[server(default)] seller_stars: String,
    #[server(default)] title: String,
    #[server(default)] body: String,
) -> Result<ReviewId, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let session = auth::session().await?;
            let input = ReviewInput { stars, seller_stars, title, body };
            match reviews::save_review(&state.db, &state.live, &user, OrderId(order_id), ProductId(product_id), &input, clock::now_ms()).await {
                Ok(id) => {
                    drafts::forget(&session, "review").await?;
                    crate::api::redirect_to(&format!("/reviews?saved={id}#review-{id}"));
                    Ok(id)
                }
                Err(e) => {
                    // What was typed comes back with the form (without JavaScript too).
                    drafts::keep(&session, "review", &draft_target(order_id, product_id), &input).await?;
                    Err(e)
                }
            }
        }
        .await,
    )
}

/// A product's published reviews, newest first (`page` from 1).
#[server(endpoint = "list_product_reviews")]
pub async fn list_product_reviews(product_id: i64, #[server(default)] page: i64) -> Result<ProductReviews, AppError> {
    with_status(
        async {
            let user = auth::current_user().await?;
            reviews::product_reviews(&app_state()?.db, user.as_ref(), ProductId(product_id), page).await
        }
        .await,
    )
}

/// The signed-in user's reviews, and for a seller the reviews of their products.
#[server(endpoint = "list_my_reviews")]
pub async fn list_my_reviews() -> Result<MyReviews, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            reviews::my_reviews(&app_state()?.db, &user).await
        }
        .await,
    )
}

/// The seller's public reply to a review of their product (one per review; moderated).
#[server(endpoint = "reply_to_review")]
pub async fn reply_to_review(review_id: i64, #[server(default)] body: String) -> Result<ReviewId, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            reviews::save_reply(&state.db, &state.live, &user, ReviewId(review_id), &body, clock::now_ms()).await
        }
        .await,
    )
}

/// Reports a published review: a reason from the policy list, and a note.
#[server(endpoint = "report_review")]
pub async fn report_review(review_id: i64, #[server(default)] reason: String, #[server(default)] note: String) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            reviews::report(&state.db, &state.live, &user, ReviewId(review_id), &reason, &note, clock::now_ms()).await
        }
        .await,
    )
}

/// The author appeals the rejection of their review (or reply), once.
#[server(endpoint = "appeal_review")]
pub async fn appeal_review(review_id: i64, #[server(default)] text: String) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            reviews::appeal(&state.db, &state.live, &user, ReviewId(review_id), &text, clock::now_ms()).await
        }
        .await,
    )
}

/// The seller's measured performance over the trailing window and the Top seller checks.
#[server(endpoint = "get_seller_performance")]
pub async fn get_seller_performance() -> Result<PerformanceView, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            reviews::performance(&app_state()?.db, &user, clock::now_ms()).await
        }
        .await,
    )
}
