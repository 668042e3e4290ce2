use crate::api::orders::{get_order, AdvanceOrder};
use crate::components::errors::ErrorPage;
use crate::components::order_actions::OrderActions;
use crate::components::seller_texts::{lang_attr, OriginalLanguageNote};
use crate::domain::order::{OrderDetail, OrderEvent, OrderStatus, Viewer};
use crate::error::AppError;
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use crate::pages::MessageSellerForm;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
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
    let no_such = td_string!(use_lang().locale, server.common.no_order);
    let order = Resource::new(
        id,
        move |id| async move {
            match id {
                Some(id) => get_order(id).await,
                None => Err(AppError::NotFound(no_such.into())),
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
    let lang = use_lang();
    let l = lang.locale;
    let back = match order.viewer {
        Viewer::Buyer => ("/orders", td_string!(l, order.all_orders)),
        Viewer::Seller | Viewer::Staff => ("/seller/orders", td_string!(l, order.orders_desk)),
    };
    let refunded = (order.refunded.0 > 0).then(|| td_string!(l, order.refunded, amount = lang.money(order.refunded)).to_string());
    let shop_href = lang.href(&format!("/shop/{}", order.shop_slug));
    let shop_name = order.shop_name.clone();
    let title = td_string!(l, order.title, id = order.id).to_string();
    view! {
        <Title text=title.clone()/>
        <p><A href=back.0>{back.1}</A></p>
        <h1>{title}</h1>
        <div class="order-head" aria-live="polite">
            <p>
                <span class=format!("status status-{}", order.status.as_str()) data-testid="order-status">{order.status.label_in(l)}</span>
                " · "{td_string!(l, order.from)}" " <A href=shop_href>{shop_name}</A>
                " · "{td_string!(l, order.placed)}" " {order.placed_at.clone()}
            </p>
            {order.late.clone().map(|l| view! { <p class="late-flag" data-testid="order-late"><strong>{l}</strong></p> })}
            {(!order.deadlines.is_empty()).then(|| view! {
                <p class="deadlines" data-testid="order-deadlines">{order.deadlines.join(" · ")}</p>
            })}
            {order.estimate.clone().map(|e| view! { <p class="estimate" data-testid="order-estimate">{e}</p> })}
            {order.shipment.clone().map(|(carrier, tracking)| view! {
                <p class="shipment" data-testid="order-shipment">
                    {td_string!(l, order.shipped_with)}" " <strong>{carrier}</strong> " · "{td_string!(l, order.tracking)}" " <strong class="tracking">{tracking}</strong>
                </p>
            })}
            {refunded.map(|r| view! { <p class="refund">{r}</p> })}
        </div>
        <OrderActions order=order.id actions=order.actions.clone() advance/>
        {match order.viewer {
            Viewer::Buyer => Some(view! { <MessageSellerForm order=order.id existing=order.thread/> }.into_any()),
            Viewer::Seller => order.thread.map(|t| view! { <p class="message-seller"><A href=format!("/messages/{t}")>{td_string!(l, order.messages_with_buyer)}</A></p> }.into_any()),
            _ => None,
        }}
        <ClaimLink order=order.clone()/>
        <OrderLines order=order.clone()/>
        <section aria-labelledby="address-title">
            <h2 id="address-title">{td_string!(l, order.shipping_to)}</h2>
            <address>{order.address.lines().into_iter().map(|l| view! { {l}<br/> }).collect_view()}</address>
        </section>
        <Timeline history=order.history.clone()/>
    }
}

#[component]
fn OrderLines(order: OrderDetail) -> impl IntoView {
    let (order_id, may_review, reviews) = (order.id, order.may_review, order.reviews.clone());
    let lang = use_lang();
    let l = lang.locale;
    // The buyer's review of a line: where it stands, or the way to write one.
    let review_of = move |product: crate::domain::ProductId| {
        may_review.then(|| {
            let href = format!("/orders/{order_id}/review/{product}");
            match reviews.iter().find(|(p, ..)| *p == product) {
                Some((_, _, state)) => view! {
                    <p class="line-review muted" data-testid=format!("line-review-{product}")>
                        {td_string!(l, order.your_review, state = crate::components::reviews::review_state_label(l, *state)).to_string()}
                        {(*state != crate::domain::review::ReviewState::Rejected).then(|| view! { " · " <A href=href.clone()>{td_string!(l, order.edit)}</A> })}
                    </p>
                }
                .into_any(),
                None => view! {
                    <p class="line-review"><A href=href attr:data-testid=format!("write-review-{product}")>{td_string!(l, order.write_review)}</A></p>
                }
                .into_any(),
            }
        })
    };
    view! {
        <section aria-labelledby="items-title">
            <h2 id="items-title">{td_string!(l, order.items)}</h2>
            <table class="order-lines">
                <thead><tr><th scope="col">{td_string!(l, order.product)}</th><th scope="col">{td_string!(l, order.qty)}</th><th scope="col">{td_string!(l, order.price)}</th></tr></thead>
                <tbody>
                    {order.lines.into_iter().map(|line| {
                        let total = lang.money(line.line_total());
                        view! {
                            <tr>
                                <td><A href=lang.href(&format!("/product/{}", line.product_id))>{line.name}</A>{review_of(line.product_id)}</td>
                                <td>{line.quantity}</td>
                                <td>{total}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <dl class="totals">
                <dt>{td_string!(l, order.items)}</dt><dd>{lang.money(order.subtotal)}</dd>
                <dt>{td_string!(l, shop.shipping)}</dt><dd>{lang.money(order.shipping)}</dd>
                <dt>{td_string!(l, order.total)}</dt><dd><strong>{lang.money(order.total)}</strong></dd>
                <dt>{td_string!(l, order.payment)}</dt><dd>{td_string!(l, order.simulated_ref, reference = order.payment_reference.clone()).to_string()}</dd>
            </dl>
            <h3>{td_string!(l, order.policies)}</h3>
            <dl class="totals" data-testid="order-policy">
                <dt>{td_string!(l, order.handling)}</dt><dd>{td_string!(l, shop.ships_within, count = order.policy.handling_days.max(1)).to_string()}</dd>
                <dt>{td_string!(l, shop.returns)}</dt><dd><strong>{if order.policy.return_days == 0 { td_string!(l, shop.no_returns).to_string() } else { td_string!(l, shop.day_returns, days = order.policy.return_days).to_string() }}</strong>". "
                    <span lang=lang_attr(order.policy.text_language)>{order.policy.return_policy.clone()}</span>
                    <OriginalLanguageNote language=order.policy.text_language/></dd>
            </dl>
            {order.statement.map(|s| view! {
                <h3>{td_string!(l, order.your_earnings)}</h3>
                <dl class="totals" data-testid="order-earnings">
                    <dt>{td_string!(l, earnings.commission)}</dt><dd>{format!("−{} ({})", lang.money(s.commission), s.rates_in(l))}</dd>
                    <dt>{td_string!(l, earnings.net_due)}</dt><dd><strong>{lang.money(s.net)}</strong>" · "{if s.payable { td_string!(l, order.net_payable) } else { td_string!(l, order.net_pending) }}</dd>
                </dl>
                <p><A href=format!("/seller/statements/{}", s.order.0)>{td_string!(l, order.statement_link)}</A></p>
            })}
        </section>
    }
}

#[component]
fn Timeline(history: Vec<OrderEvent>) -> impl IntoView {
    let l = use_lang().locale;
    view! {
        <section aria-labelledby="history-title">
            <h2 id="history-title">{td_string!(l, order.timeline)}</h2>
            <ol class="timeline" reversed data-testid="order-timeline">
                {history.into_iter().map(|e| {
                    let done = e.status == OrderStatus::Completed || e.status == OrderStatus::Delivered;
                    view! {
                        <li class:done=done>
                            <strong>{e.status.label_in(l)}</strong>
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
    let l = use_lang().locale;
    let existing = order.claim.map(|(claim, state)| {
        view! {
            <p class="claim-link" data-testid="order-claim">
                {td_string!(l, order.claim_state, id = claim, state = crate::pages::claims::state_label(l, state)).to_string()} " · " <A href=format!("/claims/{claim}")>{td_string!(l, order.open_room)}</A>
            </p>
        }
    });
    let open = order.may_claim.then(|| {
        view! {
            <p><A href=format!("/orders/{}/claim", order.id) attr:class="button">{td_string!(l, order.report_problem)}</A></p>
        }
    });
    if existing.is_none() && open.is_none() {
        return ().into_any();
    }
    view! {
        <section class="order-claim" aria-labelledby="claim-title">
            <h2 id="claim-title">{td_string!(l, order.problem)}</h2>
            {existing}
            {open}
        </section>
    }
    .into_any()
}

