//! Review pieces: the star choice in forms, a published review with its seller's reply, the
//! report form, a product's review section.

use crate::api::reviews::{list_product_reviews, ReportReview};
use crate::components::errors::Alert;
use crate::components::product::{Pagination, Stars};
use crate::domain::review::{PolicyReason, ProductReviews, PublicReply, PublicReview};
use crate::domain::ProductId;
use crate::error::AppError;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
use leptos::prelude::*;

/// "★★★★☆" with the count said in words for screen readers.
#[component]
pub fn StarLine(stars: u8) -> impl IntoView {
    let stars = stars.min(5) as usize;
    let label = format!("{stars} out of 5 stars");
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
    view! {
        <fieldset class="stars-input" class:has-error=move || error.get().is_some() aria-describedby=described>
            <legend>{legend}</legend>
            <div class="star-choices">
                {(1..=5u8).map(|n| {
                    let id = format!("{name}-{n}");
                    let label = if n == 1 { "1 star".to_string() } else { format!("{n} stars") };
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

/// The reasons of the content policy, as a select (with a first empty choice).
#[component]
pub fn PolicySelect(id: String, #[prop(optional)] label: Option<&'static str>) -> impl IntoView {
    view! {
        <label for=id.clone()>{label.unwrap_or("Reason")}</label>
        <select id=id name="reason" required>
            <option value="">"Choose a reason…"</option>
            {PolicyReason::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
        </select>
    }
}

/// Reporting a published review: a reason from the policy list and a note (works without
/// JavaScript: a `<details>` opens the form).
#[component]
fn ReportForm(review: PublicReview) -> impl IntoView {
    let report = ServerAction::<ReportReview>::new();
    let id = review.id;
    view! {
        <details class="report">
            <summary>{td_string!(use_lang().locale, reviews.report)}</summary>
            {move || match report.value().get() {
                Some(Ok(())) => view! { <p class="alert alert-success" role="status">"Thank you. A moderator will look at this review."</p> }.into_any(),
                Some(Err(e)) => view! { <Alert message=e.to_string()/> }.into_any(),
                None => ().into_any(),
            }}
            <ActionForm action=report attr:class="report-form">
                <input type="hidden" name="review_id" value=id.0/>
                <div class="field"><PolicySelect id=format!("report-reason-{id}")/></div>
                <div class="field">
                    <label for=format!("report-note-{id}")>"What is wrong" <span class="optional">" (optional)"</span></label>
                    <textarea id=format!("report-note-{id}") name="note" rows="2" maxlength="1000"></textarea>
                </div>
                <button type="submit" disabled=move || report.pending().get()>"Send the report"</button>
            </ActionForm>
        </details>
    }
}

/// The seller's published reply under a review.
#[component]
pub fn SellerReply(reply: PublicReply) -> impl IntoView {
    view! {
        <div class="seller-reply" data-testid="seller-reply">
            <p class="muted">{format!("Reply from {} · {}", reply.shop_name, reply.at)}</p>
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
