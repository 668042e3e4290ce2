//! Review pieces: the star choice in forms, a published review with its seller's reply, the
//! report form, a product's review section.

use crate::api::reviews::{list_product_reviews, ReportReview};
use crate::components::errors::Alert;
use crate::components::product::{Pagination, Stars};
use crate::domain::review::{PolicyReason, ProductReviews, PublicReply, PublicReview, QueueReason, ReviewState};
use crate::domain::ProductId;
use crate::error::AppError;
use crate::components::lang::use_lang;
use crate::i18n::{td_string, Locale};
use leptos::prelude::*;

/// Where a review stands, as people read it.
pub(crate) fn review_state_label(l: Locale, state: ReviewState) -> &'static str {
    match state {
        ReviewState::Pending => td_string!(l, reviews.state_pending),
        ReviewState::Published => td_string!(l, reviews.state_published),
        ReviewState::Rejected => td_string!(l, reviews.state_rejected),
    }
}

/// Why an item is in the moderation queue, as moderators read it.
pub(crate) fn queue_label(l: Locale, reason: QueueReason) -> &'static str {
    match reason {
        QueueReason::New => td_string!(l, reviews.queue_new),
        QueueReason::Edited => td_string!(l, reviews.queue_edited),
        QueueReason::Reported => td_string!(l, reviews.queue_reported),
        QueueReason::Appeal => td_string!(l, reviews.queue_appeal),
    }
}

/// "3 out of 5 stars" in the page's language, with `{n}` for the count (islands fill it in).
pub(crate) fn stars_template(l: Locale) -> String {
    td_string!(l, reviews.out_of_five, stars = "{n}").to_string()
}

/// "★★★★☆" with the count said in words for screen readers (`label`: the words, `{n}` for the
/// count; by default the page's language, which islands cannot know).
#[component]
pub fn StarLine(stars: u8, #[prop(optional)] label: Option<String>) -> impl IntoView {
    let stars = stars.min(5) as usize;
    let label = label.unwrap_or_else(|| stars_template(use_lang().locale)).replace("{n}", &stars.to_string());
    view! {
        <span class="star-line" role="img" aria-label=label.clone() title=label>
            <span aria-hidden="true">{"★".repeat(stars)}<span class="star-off">{"★".repeat(5 - stars)}</span></span>
        </span>
    }
}

/// A required choice of 1–5 stars, as radio buttons (keyboard: arrows move the choice).
#[component]
pub fn StarsInput(name: &'static str, legend: String, #[prop(optional)] value: String, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let error_id = format!("{name}-error");
    let described = error_id.clone();
    let l = use_lang().locale;
    view! {
        <fieldset class="stars-input" class:has-error=move || error.get().is_some() aria-describedby=described>
            <legend>{legend}</legend>
            <div class="star-choices">
                {(1..=5u8).map(|n| {
                    let id = format!("{name}-{n}");
                    let label = td_string!(l, reviews.stars, count = n as i64, shown = n).to_string();
                    view! {
                        <span class="star-choice">
                            <input type="radio" id=id.clone() name=name value=n.to_string() required checked=value == n.to_string()/>
                            <label for=id>{label}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
            {move || error.get().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
        </fieldset>
    }
}

/// The words of a policy reason select, in the page's language (built on the server: islands
/// receive it as a prop).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyChoice {
    pub label: String,
    pub choose: String,
    /// (value, words) for each reason of the policy.
    pub reasons: Vec<(String, String)>,
}

impl PolicyChoice {
    pub fn new(l: Locale, label: &str) -> Self {
        PolicyChoice {
            label: label.to_string(),
            choose: td_string!(l, reviews.choose_reason).to_string(),
            reasons: PolicyReason::ALL.into_iter().map(|r| (r.as_str().to_string(), r.label_in(l).to_string())).collect(),
        }
    }
}

/// The reasons of the content policy, as a select (with a first empty choice).
#[component]
pub fn PolicySelect(id: String, choice: PolicyChoice) -> impl IntoView {
    view! {
        <label for=id.clone()>{choice.label}</label>
        <select id=id name="reason" required>
            <option value="">{choice.choose}</option>
            {choice.reasons.into_iter().map(|(value, words)| view! { <option value=value>{words}</option> }).collect_view()}
        </select>
    }
}

/// Reporting a published review: a reason from the policy list and a note (works without
/// JavaScript: a `<details>` opens the form).
#[component]
fn ReportForm(review: PublicReview) -> impl IntoView {
    let report = ServerAction::<ReportReview>::new();
    let id = review.id;
    let l = use_lang().locale;
    view! {
        <details class="report">
            <summary>{td_string!(l, reviews.report)}</summary>
            {move || match report.value().get() {
                Some(Ok(())) => view! { <p class="alert alert-success" role="status">{td_string!(l, reviews.reported)}</p> }.into_any(),
                Some(Err(e)) => view! { <Alert message=e.to_string()/> }.into_any(),
                None => ().into_any(),
            }}
            <ActionForm action=report attr:class="report-form">
                <input type="hidden" name="review_id" value=id.0/>
                <div class="field"><PolicySelect id=format!("report-reason-{id}") choice=PolicyChoice::new(l, td_string!(l, reviews.reason))/></div>
                <div class="field">
                    <label for=format!("report-note-{id}")>{td_string!(l, reviews.what_is_wrong)} <span class="optional">{td_string!(l, form.optional)}</span></label>
                    <textarea id=format!("report-note-{id}") name="note" rows="2" maxlength="1000"></textarea>
                </div>
                <button type="submit" disabled=move || report.pending().get()>{td_string!(l, reviews.send_report)}</button>
            </ActionForm>
        </details>
    }
}

/// The seller's published reply under a review.
#[component]
pub fn SellerReply(reply: PublicReply) -> impl IntoView {
    view! {
        <div class="seller-reply" data-testid="seller-reply">
            <p class="muted">{td_string!(use_lang().locale, reviews.reply_from, shop = reply.shop_name.clone(), at = reply.at.clone()).to_string()}</p>
            <p>{reply.body}</p>
        </div>
    }
}

/// A published review: stars, title, text, who and when, "Verified purchase", the seller's reply.
#[component]
pub fn ReviewCard(review: PublicReview, may_report: bool) -> impl IntoView {
    let reply = review.reply.clone();
    let l = use_lang().locale;
    view! {
        <li class="review" id=format!("review-{}", review.id) data-testid="review">
            <p class="review-head"><StarLine stars=review.stars/> " " <strong>{review.title.clone()}</strong></p>
            <p class="muted">
                {format!("{} · {}", review.author, review.at)}
                {review.verified.then(|| view! { " · " <span class="verified">{td_string!(l, reviews.verified)}</span> })}
            </p>
            <p class="review-body">{review.body.clone()}</p>
            {reply.map(|reply| view! { <SellerReply reply/> })}
            {may_report.then(|| view! { <ReportForm review=review.clone()/> })}
        </li>
    }
}

/// A product's reviews: the rating they make and the published reviews, newest first.
#[component]
pub fn ProductReviewsSection(product: ProductId, page: Signal<i64>) -> impl IntoView {
    let reviews = Resource::new(move || page.get(), move |page| list_product_reviews(product.0, page));
    let l = use_lang().locale;
    view! {
        <section class="product-reviews" aria-labelledby="reviews-title">
            <h2 id="reviews-title">{td_string!(l, reviews.title)}</h2>
            <p class="muted">{td_string!(l, reviews.only_buyers)}</p>
            <Suspense fallback=crate::pages::loading>
                {move || Suspend::new(async move {
                    match reviews.await {
                        Ok(r) => view! { <ReviewList data=r product/> }.into_any(),
                        Err(AppError::NotFound(_)) => ().into_any(),
                        Err(e) => view! { <Alert message=e.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ReviewList(data: ProductReviews, product: ProductId) -> impl IntoView {
    let empty = data.reviews.is_empty();
    let may_report = data.may_report;
    let lang = use_lang();
    view! {
        <p><Stars rating=data.rating/></p>
        {empty.then(|| view! { <p class="empty">{td_string!(lang.locale, reviews.none)}</p> })}
        <ul class="review-list" role="list">
            {data.reviews.into_iter().map(|r| view! { <ReviewCard review=r may_report/> }).collect_view()}
        </ul>
        {(data.pages > 1).then(|| view! { <Pagination page=data.page pages=data.pages base=lang.href(&format!("/product/{product}")) /> })}
    }
}
