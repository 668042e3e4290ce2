use crate::api::orders::{get_order, AdvanceOrder};
use crate::components::errors::ErrorPage;
use crate::components::order_actions::OrderActions;
use crate::domain::order::{OrderDetail, OrderEvent, OrderStatus, Viewer};
use crate::error::AppError;
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use crate::pages::MessageSellerForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// One order: status, deadlines, estimate, shipment, the timeline (newest first) and what the
/// viewer may do now. Updates live, without a reload, when anyone moves the order (a live region).
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let advance = ServerAction::<AdvanceOrder>::new();
    let order = Resource::new(
        id,
        |id| async move {
            match id {
                Some(id) => get_order(id).await,
                None => Err(AppError::NotFound("There is no such order in your account.".into())),
            }
        },
    );
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(o) => {
                        // Staff follow the order's own stream (they have no feed entry for it).
                        let follow = (o.viewer == Viewer::Staff).then_some(o.last_event_id);
                        let on = LiveTopic::Order { id: o.id, follow };
                        view! { <LiveRegion id="order-live".to_string() on><OrderView order=o advance/></LiveRegion> }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderView(order: OrderDetail, advance: ServerAction<AdvanceOrder>) -> impl IntoView {
    let back = match order.viewer {
        Viewer::Buyer => ("/orders", "← All your orders"),
        Viewer::Seller | Viewer::Staff => ("/seller/orders", "← Orders desk"),
    };
    let refunded = (order.refunded.0 > 0).then(|| format!("Refunded {} (simulated)", order.refunded));
    let shop_href = format!("/shop/{}", order.shop_slug);
    let shop_name = order.shop_name.clone();
    view! {
        <Title text=format!("Order #{}", order.id)/>
        <p><A href=back.0>{back.1}</A></p>
        <h1>{format!("Order #{}", order.id)}</h1>
        <div class="order-head" aria-live="polite">
            <p>
                <span class=format!("status status-{}", order.status.as_str()) data-testid="order-status">{order.status.label()}</span>
                " · from " <A href=shop_href>{shop_name}</A>
                " · placed " {order.placed_at.clone()}
            </p>
            {order.late.clone().map(|l| view! { <p class="late-flag" data-testid="order-late"><strong>{l}</strong></p> })}
            {(!order.deadlines.is_empty()).then(|| view! {
                <p class="deadlines" data-testid="order-deadlines">{order.deadlines.join(" · ")}</p>
            })}
            {order.estimate.clone().map(|e| view! { <p class="estimate" data-testid="order-estimate">{e}</p> })}
            {order.shipment.clone().map(|(carrier, tracking)| view! {
                <p class="shipment" data-testid="order-shipment">
                    "Shipped with " <strong>{carrier}</strong> " · tracking number " <strong class="tracking">{tracking}</strong>
                </p>
            })}
            {refunded.map(|r| view! { <p class="refund">{r}</p> })}
        </div>
        <OrderActions order=order.id actions=order.actions.clone() advance/>
        {match order.viewer {
            Viewer::Buyer => Some(view! { <MessageSellerForm order=order.id existing=order.thread/> }.into_any()),
            Viewer::Seller => order.thread.map(|t| view! { <p class="message-seller"><A href=format!("/messages/{t}")>"Messages with the buyer"</A></p> }.into_any()),
            _ => None,
        }}
        <ClaimLink order=order.clone()/>
        <OrderLines order=order.clone()/>
        <section aria-labelledby="address-title">
            <h2 id="address-title">"Shipping to"</h2>
            <address>{order.address.lines().into_iter().map(|l| view! { {l}<br/> }).collect_view()}</address>
        </section>
        <Timeline history=order.history.clone()/>
    }
}

#[component]
fn OrderLines(order: OrderDetail) -> impl IntoView {
    let (order_id, may_review, reviews) = (order.id, order.may_review, order.reviews.clone());
    // The buyer's review of a line: where it stands, or the way to write one.
    let review_of = move |product: crate::domain::ProductId| {
        may_review.then(|| {
            let href = format!("/orders/{order_id}/review/{product}");
            match reviews.iter().find(|(p, ..)| *p == product) {
                Some((_, _, state)) => view! {
                    <p class="line-review muted" data-testid=format!("line-review-{product}")>
                        {format!("Your review: {}", state.label())}
                        {(*state != crate::domain::review::ReviewState::Rejected).then(|| view! { " · " <A href=href.clone()>"Edit"</A> })}
                    </p>
                }
                .into_any(),
                None => view! {
                    <p class="line-review"><A href=href attr:data-testid=format!("write-review-{product}")>"Write a review"</A></p>
                }
                .into_any(),
            }
        })
    };
    view! {
        <section aria-labelledby="items-title">
            <h2 id="items-title">"Items"</h2>
            <table class="order-lines">
                <thead><tr><th scope="col">"Product"</th><th scope="col">"Qty"</th><th scope="col">"Price"</th></tr></thead>
                <tbody>
                    {order.lines.into_iter().map(|l| {
                        let total = l.line_total().to_string();
                        view! {
                            <tr>
                                <td><A href=format!("/product/{}", l.product_id)>{l.name}</A>{review_of(l.product_id)}</td>
                                <td>{l.quantity}</td>
                                <td>{total}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <dl class="totals">
                <dt>"Items"</dt><dd>{order.subtotal.to_string()}</dd>
                <dt>"Shipping"</dt><dd>{order.shipping.to_string()}</dd>
                <dt>"Total"</dt><dd><strong>{order.total.to_string()}</strong></dd>
                <dt>"Payment"</dt><dd>{format!("Simulated, reference {}", order.payment_reference)}</dd>
            </dl>
            <h3>"The shop's policies for this order"</h3>
            <dl class="totals" data-testid="order-policy">
                <dt>"Handling"</dt><dd>{order.policy.handling_label()}</dd>
                <dt>"Returns"</dt><dd><strong>{order.policy.returns_label()}</strong>". "{order.policy.return_policy.clone()}</dd>
            </dl>
            {order.statement.map(|s| view! {
                <h3>"Your earnings on this order"</h3>
                <dl class="totals" data-testid="order-earnings">
                    <dt>"Commission"</dt><dd>{format!("−{} ({})", s.commission, s.rates_text())}</dd>
                    <dt>"Net due to you"</dt><dd><strong>{s.net.to_string()}</strong>{if s.payable { " · payable" } else { " · pending until the order completes" }}</dd>
                </dl>
                <p><A href=format!("/seller/statements/{}", s.order.0)>"The order's statement"</A></p>
            })}
        </section>
    }
}

#[component]
fn Timeline(history: Vec<OrderEvent>) -> impl IntoView {
    view! {
        <section aria-labelledby="history-title">
            <h2 id="history-title">"Timeline"</h2>
            <ol class="timeline" reversed data-testid="order-timeline">
                {history.into_iter().map(|e| {
                    let done = e.status == OrderStatus::Completed || e.status == OrderStatus::Delivered;
                    view! {
                        <li class:done=done>
                            <strong>{e.status.label()}</strong>
                            <span class="muted">{format!(" · {} · {}", e.at, e.actor)}</span>
                            {(!e.note.is_empty()).then(|| view! { <p>{e.note.clone()}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The order's claim, if any, and the way to open one when the buyer may.
#[component]
fn ClaimLink(order: OrderDetail) -> impl IntoView {
    let existing = order.claim.map(|(claim, state)| {
        view! {
            <p class="claim-link" data-testid="order-claim">
                {format!("Claim #{claim}: {}", state.label())} " · " <A href=format!("/claims/{claim}")>"Open the claim's room"</A>
            </p>
        }
    });
    let open = order.may_claim.then(|| {
        view! {
            <p><A href=format!("/orders/{}/claim", order.id) attr:class="button">"Report a problem with this order"</A></p>
        }
    });
    if existing.is_none() && open.is_none() {
        return ().into_any();
    }
    view! {
        <section class="order-claim" aria-labelledby="claim-title">
            <h2 id="claim-title">"Problem with this order?"</h2>
            {existing}
            {open}
        </section>
    }
    .into_any()
}
