use crate::api::cart::{get_cart, RemoveFromCart, UpdateCartItem};
use crate::components::errors::Alert;
use crate::components::layout::use_session;
use crate::domain::checkout::{CartLine, CartView, MAX_QUANTITY};
use crate::pages::loading;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn CartPage() -> impl IntoView {
    let update = ServerAction::<UpdateCartItem>::new();
    let remove = ServerAction::<RemoveFromCart>::new();
    let cart = Resource::new(|| (), |_| get_cart());
    let lang = use_lang();
    let l = lang.locale;
    let error = move || {
        update.value().get().and_then(Result::err).or_else(|| remove.value().get().and_then(Result::err))
    };
    view! {
        <Title text=td_string!(l, cart.title)/>
        <h1>{td_string!(l, cart.title)}</h1>
        {move || error().map(|e| view! { <Alert message=e.field("quantity").unwrap_or_else(|| e.to_string())/> })}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match cart.await {
                    Ok(cart) if cart.is_empty() => view! {
                        <p class="empty">{td_string!(l, cart.empty)}" " <A href=lang.href("/")>{td_string!(l, cart.find_something)}</A></p>
                    }.into_any(),
                    Ok(cart) => view! { <CartContents cart update remove/> }.into_any(),
                    Err(e) => view! { <Alert message=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CartContents(cart: CartView, update: ServerAction<UpdateCartItem>, remove: ServerAction<RemoveFromCart>) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let l = lang.locale;
    let blocked = cart.groups.iter().flat_map(|g| &g.lines).any(|l| !l.available());
    let total = cart.total();
    let count = cart.item_count();
    view! {
        {cart.groups.into_iter().map(|g| {
            let subtotal = g.subtotal();
            let group_total = g.total();
            let label = td_string!(l, cart.items_from, shop = g.shop_name.clone()).to_string();
            let shop_name = g.shop_name.clone();
            view! {
                <section class="cart-group" aria-label=label>
                    <h2>{td_string!(l, cart.from)}" " <A href=lang.href(&format!("/shop/{}", g.shop_slug))>{shop_name}</A></h2>
                    <ul role="list" class="cart-lines">
                        {g.lines.into_iter().map(|l| view! { <CartLineView line=l update remove/> }).collect_view()}
                    </ul>
                    <dl class="totals">
                        <dt>{td_string!(l, cart.items)}</dt><dd>{lang.money(subtotal)}</dd>
                        <dt>{td_string!(l, shop.shipping)}</dt><dd>{if g.shipping.0 == 0 { td_string!(l, shop.free).to_string() } else { lang.money(g.shipping) }}</dd>
                        <dt>{td_string!(l, cart.order_total)}</dt><dd>{lang.money(group_total)}</dd>
                    </dl>
                </section>
            }
        }).collect_view()}
        <section class="cart-summary" aria-label=td_string!(l, cart.summary)>
            <p class="grand-total">{td_string!(l, cart.total_for, count = count, shown = lang.number(count)).to_string()}" "<strong>{lang.money(total)}</strong></p>
            <p class="muted">{td_string!(l, cart.one_order_per_shop)}</p>
            {if blocked {
                view! { <Alert message=td_string!(l, cart.blocked)/> }.into_any()
            } else {
                view! {
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            if session.info.await.user.is_some() {
                                view! { <A href="/checkout" attr:class="button primary">{td_string!(l, cart.check_out)}</A> }.into_any()
                            } else {
                                view! { <A href="/signin?next=/checkout" attr:class="button primary">{td_string!(l, cart.sign_in_to_check_out)}</A> }.into_any()
                            }
                        })}
                    </Transition>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CartLineView(line: CartLine, update: ServerAction<UpdateCartItem>, remove: ServerAction<RemoveFromCart>) -> impl IntoView {
    let lang = use_lang();
    let l = lang.locale;
    let id = line.product_id.0.to_string();
    let qty_id = format!("qty-{id}");
    let name = line.name.clone();
    let qty_label = td_string!(l, cart.quantity_of, name = line.name.clone()).to_string();
    let remove_label = td_string!(l, cart.remove_label, name = line.name.clone()).to_string();
    let line_total = lang.money(line.line_total());
    let (id2, id3) = (id.clone(), id.clone());
    let warning = (!line.available()).then(|| {
        if line.stock == 0 { td_string!(l, cart.sold_out).to_string() } else { td_string!(l, stock.low, count = line.stock).to_string() }
    });
    view! {
        <li class="cart-line">
            <img src=line.image.clone() alt="" width="64" height="48"/>
            <div class="cart-line-body">
                <A href=lang.href(&format!("/product/{id}"))>{name}</A>
                <p class="muted">{td_string!(l, cart.each, price = lang.money(line.unit_price)).to_string()}</p>
                {warning.map(|w| view! { <p class="stock stock-out">{w}</p> })}
                <div class="cart-line-actions">
                    <ActionForm action=update attr:class="inline-form">
                        <input type="hidden" name="product_id" value=id2/>
                        <label for=qty_id.clone()>{qty_label}</label>
                        <input id=qty_id type="number" name="quantity" min="1" max=MAX_QUANTITY.to_string() value=line.quantity.to_string() inputmode="numeric"/>
                        <button type="submit">{td_string!(l, cart.update)}</button>
                    </ActionForm>
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="product_id" value=id3/>
                        <button type="submit" class="link-button" aria-label=remove_label>{td_string!(l, cart.remove)}</button>
                    </ActionForm>
                </div>
            </div>
            <p class="line-total">{line_total}</p>
        </li>
    }
}
