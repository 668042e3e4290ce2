use crate::api::reviews::{get_review_form, SaveReview};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::lang::use_lang;
use crate::components::reviews::StarsInput;
use crate::i18n::td_string;
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
    let l = use_lang().locale;
    let ids = move || {
        let p = params.read();
        (p.get("id").and_then(|s| s.parse::<i64>().ok()), p.get("product").and_then(|s| s.parse::<i64>().ok()))
    };
    let form = Resource::new(ids, move |ids| async move {
        match ids {
            (Some(order), Some(product)) => get_review_form(order, product).await,
            _ => Err(AppError::NotFound(td_string!(l, review_pages.no_such_product).into())),
        }
    });
    view! {
        <Title text=td_string!(l, order.write_review)/>
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
    let l = use_lang().locale;
    let heading = if editing {
        td_string!(l, review_pages.edit_heading, product = form.product_name.clone()).to_string()
    } else {
        td_string!(l, review_pages.review_heading, product = form.product_name.clone()).to_string()
    };
    let note = match form.state {
        Some(ReviewState::Published) => td_string!(l, review_pages.note_published),
        Some(ReviewState::Pending) => td_string!(l, review_pages.note_pending),
        _ => td_string!(l, review_pages.note_new),
    };
    let (title_err, body_err) = (field("title"), field("body"));
    view! {
        <p><A href=format!("/orders/{}", form.order_id)>{td_string!(l, review_pages.back_to_order, id = form.order_id).to_string()}</A></p>
        <h1>{heading}</h1>
        <p class="muted">{td_string!(l, review_pages.sold_by, shop = form.shop_name.clone(), id = form.order_id).to_string()}</p>
        <p class="notice">{note}</p>
        {move || form_error().map(|e| view! { <Alert message=e.to_string()/> })}
        <ActionForm action=save attr:class="review-form" attr:novalidate="">
            <input type="hidden" name="order_id" value=form.order_id.0/>
            <input type="hidden" name="product_id" value=form.product_id.0/>
            <StarsInput name="stars" legend=td_string!(l, review_pages.rate_product).to_string() value=current.stars.clone() error=field("stars")/>
            {form.asks_seller.then(|| view! {
                <StarsInput name="seller_stars" legend=td_string!(l, review_pages.rate_seller, shop = form.shop_name.clone()).to_string()
                    value=current.seller_stars.clone() error=field("seller_stars")/>
            })}
            <div class="field" class:has-error=move || title_err.get().is_some()>
                <label for="review-title">{td_string!(l, review_pages.title)}</label>
                <input id="review-title" name="title" required maxlength=TITLE_MAX value=current.title.clone() autocomplete="off"
                    aria-invalid=move || title_err.get().is_some().then_some("true") aria-describedby="title-error"/>
                {move || title_err.get().map(|e| view! { <p class="field-error" id="title-error">{e}</p> })}
            </div>
            <div class="field" class:has-error=move || body_err.get().is_some()>
                <label for="review-body">{td_string!(l, review_pages.your_review)}</label>
                <p class="hint" id="review-body-hint">{td_string!(l, review_pages.body_hint)}</p>
                <textarea id="review-body" name="body" rows="6" required maxlength=BODY_MAX
                    aria-invalid=move || body_err.get().is_some().then_some("true") aria-describedby="review-body-hint body-error">{current.body.clone()}</textarea>
                {move || body_err.get().map(|e| view! { <p class="field-error" id="body-error">{e}</p> })}
            </div>
            <button type="submit" class="primary" disabled=move || save.pending().get()>
                {move || if save.pending().get() { td_string!(l, review_pages.sending) } else if editing { td_string!(l, review_pages.save_changes) } else { td_string!(l, review_pages.send_review) }}
            </button>
        </ActionForm>
    }
}
