use crate::api::reviews::{list_my_reviews, AppealReview, ReplyToReview};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::lang::use_lang;
use crate::components::reviews::{review_state_label, SellerReply, StarLine};
use crate::i18n::td_string;
use crate::domain::review::{MyReview, MyReviews, Rejection, ReviewState, ShopReview, NOTE_MAX, REPLY_MAX};
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/reviews`: the reviews the user wrote, where each stands (waiting, published, not published
/// and why, with an appeal), and for a seller the reviews of their products, to reply to.
#[component]
pub fn MyReviewsPage() -> impl IntoView {
    let appeal = ServerAction::<AppealReview>::new();
    let reply = ServerAction::<ReplyToReview>::new();
    // Decisions reach the author as notifications: the list follows the live feed (a live region).
    let data = Resource::new(|| (), |_| list_my_reviews());
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, orders.your_reviews)/>
        <h1>{td_string!(l, orders.your_reviews)}</h1>
        {move || saved().then(|| view! {
            <p class="alert alert-success" role="status" data-testid="review-saved">{td_string!(l, review_pages.saved)}</p>
        })}
        {move || appeal.value().get().and_then(Result::err).or_else(|| reply.value().get().and_then(Result::err)).map(|e| view! { <Alert message=e.to_string()/> })}
        <LiveRegion id="my-reviews".to_string() on=LiveTopic::Notifications>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Lists data=d appeal reply/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
        </LiveRegion>
    }
}

#[component]
fn Lists(data: MyReviews, appeal: ServerAction<AppealReview>, reply: ServerAction<ReplyToReview>) -> impl IntoView {
    let empty = data.written.is_empty();
    let l = use_lang().locale;
    view! {
        {data.is_seller.then(|| view! {
            <section aria-labelledby="received-title">
                <h2 id="received-title">{td_string!(l, seller_orders.reviews_of_products)}</h2>
                <p class="muted">{td_string!(l, review_pages.one_reply)}" " <A href="/seller/performance">{td_string!(l, review_pages.your_performance)}</A></p>
                {data.received.is_empty().then(|| view! { <p class="empty">{td_string!(l, review_pages.no_published)}</p> })}
                <ul class="review-list" role="list" data-testid="received-reviews">
                    {data.received.clone().into_iter().map(|r| view! { <ReceivedReview r reply appeal/> }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="written-title">
            <h2 id="written-title">{td_string!(l, review_pages.you_wrote)}</h2>
            {empty.then(|| view! { <p class="empty">{td_string!(l, review_pages.none_written)}" " <A href="/orders">{td_string!(l, review_pages.your_orders)}</A>"."</p> })}
            <ul class="review-list" role="list" data-testid="written-reviews">
                {data.written.into_iter().map(|r| view! { <WrittenReview r appeal/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn RejectionNote(rejection: Rejection) -> impl IntoView {
    let l = use_lang().locale;
    view! {
        <p class="rejection" data-testid="rejection">
            <strong>{td_string!(l, review_pages.not_published)}</strong>{rejection.reason.label_in(l)}
            {(!rejection.note.is_empty()).then(|| view! { <span>{format!(" — {}", rejection.note)}</span> })}
        </p>
    }
}

/// The author's appeal (once): a text for the moderator who will look again.
#[component]
fn AppealForm(id: crate::domain::ReviewId, appeal: ServerAction<AppealReview>) -> impl IntoView {
    let l = use_lang().locale;
    view! {
        <details class="appeal">
            <summary>{td_string!(l, review_pages.appeal)}</summary>
            <ActionForm action=appeal>
                <input type="hidden" name="review_id" value=id.0/>
                <div class="field">
                    <label for=format!("appeal-{id}")>{td_string!(l, review_pages.why_publish)}</label>
                    <textarea id=format!("appeal-{id}") name="text" rows="3" required maxlength=NOTE_MAX></textarea>
                </div>
                <button type="submit">{td_string!(l, review_pages.send_appeal)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn WrittenReview(r: MyReview, appeal: ServerAction<AppealReview>) -> impl IntoView {
    let l = use_lang().locale;
    let status = match (r.state, r.in_queue) {
        (ReviewState::Rejected, Some(_)) => td_string!(l, review_pages.appeal_waiting),
        (state, _) => review_state_label(l, state),
    };
    view! {
        <li class="review" id=format!("review-{}", r.id) data-testid="written-review">
            <p class="review-head">
                <StarLine stars=r.stars/> " " <strong>{r.title.clone()}</strong> " "
                <span class=format!("status review-{}", r.state.as_str()) data-testid="review-state">{status}</span>
            </p>
            <p class="muted"><A href=format!("/product/{}", r.product_id)>{r.product_name.clone()}</A>{td_string!(l, review_pages.order_ref, id = r.order_id).to_string()}</p>
            <p class="review-body">{r.body.clone()}</p>
            {r.rejection.clone().map(|rej| view! { <RejectionNote rejection=rej/> })}
            {r.reply.clone().map(|reply| view! { <SellerReply reply/> })}
            {r.may_edit.then(|| view! { <p><A href=format!("/orders/{}/review/{}", r.order_id, r.product_id)>{td_string!(l, review_pages.edit)}</A></p> })}
            {r.may_appeal.then(|| view! { <AppealForm id=r.id appeal/> })}
        </li>
    }
}

#[component]
fn ReceivedReview(r: ShopReview, reply: ServerAction<ReplyToReview>, appeal: ServerAction<AppealReview>) -> impl IntoView {
    let existing = r.reply.clone();
    let has_reply = existing.is_some();
    let id = r.id;
    let l = use_lang().locale;
    view! {
        <li class="review" id=format!("review-{}", r.id) data-testid="received-review">
            <p class="review-head"><StarLine stars=r.stars/> " " <strong>{r.title.clone()}</strong></p>
            <p class="muted">{format!("{} · {} · ", r.author, r.at)}<A href=format!("/product/{}", r.product_id)>{r.product_name.clone()}</A>{td_string!(l, review_pages.order_ref, id = r.order_id).to_string()}</p>
            <p class="review-body">{r.body.clone()}</p>
            {existing.clone().map(|p| view! {
                <div class="seller-reply">
                    <p class="muted">{td_string!(l, review_pages.your_reply, state = review_state_label(l, p.state)).to_string()}</p>
                    <p>{p.body.clone()}</p>
                    {p.rejection.map(|rej| view! { <RejectionNote rejection=rej/> })}
                </div>
            })}
            {r.may_reply.then(|| view! {
                <details class="reply" open=!has_reply>
                    <summary>{if has_reply { td_string!(l, review_pages.edit_reply) } else { td_string!(l, review_pages.reply_publicly) }}</summary>
                    <ActionForm action=reply>
                        <input type="hidden" name="review_id" value=id.0/>
                        <div class="field">
                            <label for=format!("reply-{id}")>{td_string!(l, review_pages.public_reply)}</label>
                            <textarea id=format!("reply-{id}") name="body" rows="3" required maxlength=REPLY_MAX>{existing.map(|p| p.body).unwrap_or_default()}</textarea>
                        </div>
                        <button type="submit">{td_string!(l, review_pages.send_reply)}</button>
                    </ActionForm>
                </details>
            })}
            {r.reply.as_ref().filter(|p| p.may_appeal).map(|p| view! { <AppealForm id=p.id appeal/> })}
        </li>
    }
}
