use crate::api::orders::list_my_orders;
use crate::components::errors::{Alert, ErrorPage};
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
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
    let lang = use_lang();
    let l = lang.locale;
    view! {
        <Title text=td_string!(l, orders.title)/>
        <h1>{td_string!(l, orders.title)}</h1>
        <p class="sub-nav"><A href="/reviews">{td_string!(l, orders.your_reviews)}</A></p>
        {move || placed().map(|p| view! {
            <Alert kind="success" message=td_string!(l, orders.thank_you, purchase = p).to_string()/>
        })}
        <LiveRegion id="my-orders".to_string() on=LiveTopic::Orders>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">{td_string!(l, orders.none)}" " <A href=lang.href("/")>{td_string!(l, orders.start_shopping)}</A></p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul role="list" class="order-list">
                            {list.into_iter().map(|o| view! {
                                <li class="order-card" data-testid=format!("order-{}", o.id)>
                                    <h2><A href=format!("/orders/{}", o.id)>{td_string!(l, order.title, id = o.id).to_string()}</A></h2>
                                    <p>{td_string!(l, orders.summary, shop = o.shop_name.clone(), count = o.item_count).to_string()}" · "<strong>{lang.money(o.total)}</strong></p>
                                    <p><span class=format!("status status-{}", o.status.as_str())>{o.status.label_in(l)}</span>" · "<span class="muted">{td_string!(l, order.placed_on, when = o.placed_at.clone()).to_string()}</span></p>
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
