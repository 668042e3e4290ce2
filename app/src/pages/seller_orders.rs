use crate::api::orders::{list_shop_orders, AdvanceOrder};
use crate::components::errors::{Alert, ErrorPage};
use crate::domain::order::{ShopOrderCard, ShopOrderTab};
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The seller's orders desk: their shop's orders by what they need next, new ones arriving live.
/// Marketplace staff see every shop here (late orders in particular).
#[component]
pub fn SellerOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let tab = move || query.read().get("tab").and_then(|t| ShopOrderTab::parse(&t)).unwrap_or(ShopOrderTab::ToAccept);
    let accept = ServerAction::<AdvanceOrder>::new();
    let data = Resource::new(
        move || (tab(), accept.version().get()),
        |(tab, ..)| list_shop_orders(tab.as_str().to_string()),
    );
    let error = move || accept.value().get().and_then(Result::err);
    view! {
        <Title text="Orders desk"/>
        <LiveRegion id="orders-desk".to_string() on=LiveTopic::Orders>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <h1>{format!("Orders · {}", d.scope)}</h1>
                        {(d.scope != "All shops").then(|| view! {
                            <p class="sub-nav"><A href="/seller/inbox">"Inbox"</A> " · " <A href="/seller/products">"Products and stock"</A> " · " <A href="/seller/earnings">"Earnings"</A> " · " <A href="/reviews">"Reviews of your products"</A> " · " <A href="/seller/performance">"Performance and Top seller badge"</A></p>
                        })}
                        <nav aria-label="Order tabs" class="tabs">
                            <ul role="list">
                                {d.counts.clone().into_iter().map(|(t, n)| {
                                    let current = t == d.tab;
                                    view! {
                                        <li>
                                            // A plain link: the router's <A> would mark every tab current (same path).
                                            <a href=format!("/seller/orders?tab={}", t.as_str())
                                                class={if t == ShopOrderTab::Late && n > 0 { "tab tab-late" } else { "tab" }}
                                                aria-current=current.then_some("page")>
                                                {t.label()} " " <span class="count" data-testid=format!("tab-count-{}", t.as_str())>{n}</span>
                                            </a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </nav>
                        {move || error().map(|e| view! { <Alert message=e.to_string()/> })}
                        {if d.orders.is_empty() {
                            view! { <p class="empty">"No orders here right now."</p> }.into_any()
                        } else {
                            view! {
                                <ul role="list" class="order-list" data-testid="desk-orders">
                                    {d.orders.into_iter().map(|o| view! { <DeskCard order=o accept/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
        </LiveRegion>
    }
}

#[component]
fn DeskCard(order: ShopOrderCard, accept: ServerAction<AdvanceOrder>) -> impl IntoView {
    let items = order.items.iter().map(|(name, q)| format!("{q} × {name}")).collect::<Vec<_>>().join(", ");
    view! {
        <li class="order-card" data-testid=format!("desk-order-{}", order.id)>
            <h2><A href=format!("/orders/{}", order.id)>{format!("Order #{}", order.id)}</A></h2>
            <p><span class=format!("status status-{}", order.status.as_str())>{order.status.label()}</span>
               " · " <strong>{order.total.to_string()}</strong> " · " <span class="muted">{order.placed_at.clone()}</span></p>
            <p>{items}</p>
            <p class="muted">{format!("Ship to {}", order.ship_to)}</p>
            {order.late.clone().map(|l| view! { <p class="late-flag"><strong>{l}</strong></p> })}
            {order.deadline.clone().map(|d| view! { <p class="deadlines">{d}</p> })}
            <div class="card-actions">
                {order.can_accept.then(|| view! {
                    <ActionForm action=accept attr:class="inline-form">
                        <input type="hidden" name="order_id" value=order.id.0/>
                        <input type="hidden" name="action" value="accept"/>
                        <button type="submit" class="primary">{format!("Accept #{}", order.id)}</button>
                    </ActionForm>
                })}
                <A href=format!("/orders/{}", order.id) attr:class="button">"Open order"</A>
            </div>
        </li>
    }
}
