use crate::api::orders::{list_shop_orders, AdvanceOrder};
use crate::components::errors::{Alert, ErrorPage};
use crate::domain::order::{ShopOrderCard, ShopOrderTab};
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// A tab of the orders desk, as people read it.
fn tab_label(l: crate::i18n::Locale, tab: ShopOrderTab) -> &'static str {
    match tab {
        ShopOrderTab::ToAccept => td_string!(l, seller_orders.tab_to_accept),
        ShopOrderTab::ToShip => td_string!(l, seller_orders.tab_to_ship),
        ShopOrderTab::Late => td_string!(l, seller_orders.tab_late),
        ShopOrderTab::OnTheWay => td_string!(l, seller_orders.tab_on_the_way),
        ShopOrderTab::Done => td_string!(l, seller_orders.tab_done),
    }
}

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
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, seller_orders.title)/>
        <LiveRegion id="orders-desk".to_string() on=LiveTopic::Orders>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        // Staff see every shop: no shop's name.
                        <h1>{td_string!(l, seller_orders.heading, scope = d.shop_name.clone().unwrap_or_else(|| td_string!(l, admin.all_shops).to_string())).to_string()}</h1>
                        {d.shop_name.is_some().then(|| view! {
                            <p class="sub-nav"><A href="/seller/inbox">{td_string!(l, seller_orders.inbox)}</A> " · " <A href="/seller/products">{td_string!(l, earnings.products_and_stock)}</A> " · " <A href="/seller/earnings">{td_string!(l, earnings.title)}</A> " · " <A href="/reviews">{td_string!(l, seller_orders.reviews_of_products)}</A> " · " <A href="/seller/performance">{td_string!(l, seller_orders.performance)}</A></p>
                        })}
                        <nav aria-label=td_string!(l, seller_orders.tabs_label) class="tabs">
                            <ul role="list">
                                {d.counts.clone().into_iter().map(|(t, n)| {
                                    let current = t == d.tab;
                                    view! {
                                        <li>
                                            // A plain link: the router's <A> would mark every tab current (same path).
                                            <a href=format!("/seller/orders?tab={}", t.as_str())
                                                class={if t == ShopOrderTab::Late && n > 0 { "tab tab-late" } else { "tab" }}
                                                aria-current=current.then_some("page")>
                                                {tab_label(l, t)} " " <span class="count" data-testid=format!("tab-count-{}", t.as_str())>{n}</span>
                                            </a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </nav>
                        {move || error().map(|e| view! { <Alert message=e.to_string()/> })}
                        {if d.orders.is_empty() {
                            view! { <p class="empty">{td_string!(l, seller_orders.none)}</p> }.into_any()
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
    let lang = use_lang();
    let l = lang.locale;
    view! {
        <li class="order-card" data-testid=format!("desk-order-{}", order.id)>
            <h2><A href=format!("/orders/{}", order.id)>{td_string!(l, earnings.order_number, id = order.id).to_string()}</A></h2>
            <p><span class=format!("status status-{}", order.status.as_str())>{order.status.label_in(l)}</span>
               " · " <strong>{lang.money(order.total)}</strong> " · " <span class="muted">{order.placed_at.clone()}</span></p>
            <p>{items}</p>
            <p class="muted">{td_string!(l, seller_orders.ship_to, address = order.ship_to.clone()).to_string()}</p>
            {order.late.clone().map(|l| view! { <p class="late-flag"><strong>{l}</strong></p> })}
            {order.deadline.clone().map(|d| view! { <p class="deadlines">{d}</p> })}
            <div class="card-actions">
                {order.can_accept.then(|| view! {
                    <ActionForm action=accept attr:class="inline-form">
                        <input type="hidden" name="order_id" value=order.id.0/>
                        <input type="hidden" name="action" value="accept"/>
                        <button type="submit" class="primary">{td_string!(l, seller_orders.accept, id = order.id).to_string()}</button>
                    </ActionForm>
                })}
                <A href=format!("/orders/{}", order.id) attr:class="button">{td_string!(l, seller_orders.open_order)}</A>
            </div>
        </li>
    }
}
