use crate::api::cart::{get_cart, RemoveFromCart, UpdateCartItem};
use crate::components::errors::Alert;
use crate::components::layout::use_session;
use crate::domain::checkout::{CartLine, CartView, MAX_QUANTITY};
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn CartPage() -> impl IntoView {
    let update = ServerAction::<UpdateCartItem>::new();
    let remove = ServerAction::<RemoveFromCart>::new();
    let cart = Resource::new(|| (), |_| get_cart());
    let error = move || {
        update.value().get().and_then(Result::err).or_else(|| remove.value().get().and_then(Result::err))
    };
    view! {
        <Title text="Your cart"/>
        <h1>"Your cart"</h1>
        {move || error().map(|e| view! { <Alert message=e.field("quantity").unwrap_or_else(|| e.to_string())/> })}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match cart.await {
                    Ok(cart) if cart.is_empty() => view! {
                        <p class="empty">"Your cart is empty. " <A href="/">"Find something you like"</A></p>
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
    let blocked = cart.groups.iter().flat_map(|g| &g.lines).any(|l| !l.available());
    let total = cart.total();
    let count = cart.item_count();
    view! {
        {cart.groups.into_iter().map(|g| {
            let subtotal = g.subtotal();
            let group_total = g.total();
            let label = format!("Items from {}", g.shop_name);
            let shop_name = g.shop_name.clone();
            view! {
                <section class="cart-group" aria-label=label>
                    <h2>"From " <A href=format!("/shop/{}", g.shop_slug)>{shop_name}</A></h2>
                    <ul role="list" class="cart-lines">
                        {g.lines.into_iter().map(|l| view! { <CartLineView line=l update remove/> }).collect_view()}
                    </ul>
                    <dl class="totals">
                        <dt>"Items"</dt><dd>{subtotal.to_string()}</dd>
                        <dt>"Shipping"</dt><dd>{if g.shipping.0 == 0 { "Free".to_string() } else { g.shipping.to_string() }}</dd>
                        <dt>"Order total"</dt><dd>{group_total.to_string()}</dd>
                    </dl>
                </section>
            }
        }).collect_view()}
        <section class="cart-summary" aria-label="Summary">
            <p class="grand-total">{format!("Total for {count} item{}: ", if count == 1 { "" } else { "s" })}<strong>{total.to_string()}</strong></p>
            <p class="muted">"Each shop ships its own items: you get one order per shop."</p>
            {if blocked {
                view! { <Alert message="Some items have less stock than your cart asks for. Lower those quantities to check out."/> }.into_any()
            } else {
                view! {
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            if session.info.await.user.is_some() {
                                view! { <A href="/checkout" attr:class="button primary">"Check out"</A> }.into_any()
                            } else {
                                view! { <A href="/signin?next=/checkout" attr:class="button primary">"Sign in to check out"</A> }.into_any()
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
    let id = line.product_id.0.to_string();
    let qty_id = format!("qty-{id}");
    let name = line.name.clone();
    let qty_label = format!("Quantity of {}", line.name);
    let remove_label = format!("Remove {} from cart", line.name);
    let line_total = line.line_total().to_string();
    let (id2, id3) = (id.clone(), id.clone());
    let warning = (!line.available()).then(|| {
        if line.stock == 0 { "Sold out".to_string() } else { format!("Only {} left", line.stock) }
    });
    view! {
        <li class="cart-line">
            <img src=line.image.clone() alt="" width="64" height="48"/>
            <div class="cart-line-body">
                <A href=format!("/product/{id}")>{name}</A>
                <p class="muted">{format!("{} each", line.unit_price)}</p>
                {warning.map(|w| view! { <p class="stock stock-out">{w}</p> })}
                <div class="cart-line-actions">
                    <ActionForm action=update attr:class="inline-form">
                        <input type="hidden" name="product_id" value=id2/>
                        <label for=qty_id.clone()>{qty_label}</label>
                        <input id=qty_id type="number" name="quantity" min="1" max=MAX_QUANTITY.to_string() value=line.quantity.to_string() inputmode="numeric"/>
                        <button type="submit">"Update"</button>
                    </ActionForm>
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="product_id" value=id3/>
                        <button type="submit" class="link-button" aria-label=remove_label>"Remove"</button>
                    </ActionForm>
                </div>
            </div>
            <p class="line-total">{line_total}</p>
        </li>
    }
}
