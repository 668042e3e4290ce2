use crate::api::reviews::{get_review_form, SaveReview};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::reviews::StarsInput;
use crate::domain::review::{ReviewForm, ReviewState, BODY_MAX, TITLE_MAX};
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/orders/:id/review/:product`: the buyer reviews a product of their delivered order (or edits
/// the review): stars for the product, stars for the seller (once per order), a title, a text.
#[component]
pub fn WriteReviewPage() -> impl IntoView {
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        (p.get("id").and_then(|s| s.parse::<i64>().ok()), p.get("product").and_then(|s| s.parse::<i64>().ok()))
    };
    let form = Resource::new(ids, |ids| async move {
        match ids {
            (Some(order), Some(product)) => get_review_form(order, product).await,
            _ => Err(AppError::NotFound("There is no such product in your orders.".into())),
        }
    });
    view! {
        <Title text="Write a review"/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) => view! { <ReviewFormView form=f/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewFormView(form: ReviewForm) -> impl IntoView {
    let save = ServerAction::<SaveReview>::new();
    let error = move || save.value().get().and_then(Result::err);
    let field = move |name: &'static str| Signal::derive(move || error().and_then(|e| e.field(name)));
    let form_error = move || error().filter(|e| !matches!(e, AppError::Invalid { fields, .. } if !fields.is_empty()));
    let current = form.current.clone().unwrap_or_default();
    let editing = form.state.is_some();
    let heading = if editing { format!("Edit your review of {}", form.product_name) } else { format!("Review {}", form.product_name) };
    let note = match form.state {
        Some(ReviewState::Published) => "Your review is published. If you change it, it goes back to moderation and is hidden until a moderator checks it again.",
        Some(ReviewState::Pending) => "Your review is waiting for a moderator. You can still change it.",
        _ => "A moderator checks every review before it is published, usually within a day. Please keep it about the product and the purchase, and leave out personal details.",
    };
    let (title_err, body_err) = (field("title"), field("body"));
    view! {
        <p><A href=format!("/orders/{}", form.order_id)>{format!("← Order #{}", form.order_id)}</A></p>
        <h1>{heading}</h1>
        <p class="muted">{format!("Sold by {} · order #{}", form.shop_name, form.order_id)}</p>
        <p class="notice">{note}</p>
        {move || form_error().map(|e| view! { <Alert message=e.to_string()/> })}
        <ActionForm action=save attr:class="review-form" attr:novalidate="">
            <input type="hidden" name="order_id" value=form.order_id.0/>
            <input type="hidden" name="product_id" value=form.product_id.0/>
            <StarsInput name="stars" legend="How would you rate the product?".to_string() value=current.stars.clone() error=field("stars")/>
            {form.asks_seller.then(|| view! {
                <StarsInput name="seller_stars" legend=format!("How would you rate {} as a seller for this order?", form.shop_name)
                    value=current.seller_stars.clone() error=field("seller_stars")/>
            })}
            <div class="field" class:has-error=move || title_err.get().is_some()>
                <label for="review-title">"Title"</label>
                <input id="review-title" name="title" required maxlength=TITLE_MAX value=current.title.clone() autocomplete="off"
                    aria-invalid=move || title_err.get().is_some().then_some("true") aria-describedby="title-error"/>
                {move || title_err.get().map(|e| view! { <p class="field-error" id="title-error">{e}</p> })}
            </div>
            <div class="field" class:has-error=move || body_err.get().is_some()>
                <label for="review-body">"Your review"</label>
                <p class="hint" id="review-body-hint">"What did you like or not? How did it hold up?"</p>
                <textarea id="review-body" name="body" rows="6" required maxlength=BODY_MAX
                    aria-invalid=move || body_err.get().is_some().then_some("true") aria-describedby="review-body-hint body-error">{current.body.clone()}</textarea>
                {move || body_err.get().map(|e| view! { <p class="field-error" id="body-error">{e}</p> })}
            </div>
            <button type="submit" class="primary" disabled=move || save.pending().get()>
                {move || if save.pending().get() { "Sending…" } else if editing { "Save the changes" } else { "Send the review" }}
            </button>
        </ActionForm>
    }
}
