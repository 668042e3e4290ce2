use crate::api::orders::list_my_orders;
use crate::components::errors::{Alert, ErrorPage};
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The buyer's orders, newest first; statuses update live.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let placed = move || query.read().get("placed");
    let orders = Resource::new(|| (), |_| list_my_orders());
    view! {
        <Title text="Your orders"/>
        <h1>"Your orders"</h1>
        <p class="sub-nav"><A href="/reviews">"Your reviews"</A></p>
        {move || placed().map(|p| view! {
            <Alert kind="success" message=format!("Thank you! Purchase #{p} is placed and paid (simulated). The shops have been told; each order below shows its progress.")/>
        })}
        <LiveRegion id="my-orders".to_string() on=LiveTopic::Orders>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">"You have no orders yet. " <A href="/">"Start shopping"</A></p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul role="list" class="order-list">
                            {list.into_iter().map(|o| view! {
                                <li class="order-card" data-testid=format!("order-{}", o.id)>
                                    <h2><A href=format!("/orders/{}", o.id)>{format!("Order #{}", o.id)}</A></h2>
                                    <p>{format!("From {} · {} item{} · ", o.shop_name, o.item_count, if o.item_count == 1 { "" } else { "s" })}<strong>{o.total.to_string()}</strong></p>
                                    <p><span class=format!("status status-{}", o.status.as_str())>{o.status.label()}</span>" · "<span class="muted">{format!("Placed {}", o.placed_at)}</span></p>
                                    {o.late.map(|l| view! { <p class="late-flag">{l}</p> })}
                                    {o.estimate.map(|e| view! { <p class="estimate">{e}</p> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
        </LiveRegion>
    }
}
