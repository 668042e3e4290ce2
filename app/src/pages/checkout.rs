use crate::api::cart::get_cart;
use crate::api::orders::{checkout_defaults, new_checkout_key, PlaceOrder};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::form::FormField;
use crate::domain::checkout::{CartView, ShippingAddressInput};
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async move {
            let defaults = checkout_defaults().await?;
            let cart = get_cart().await?;
            let key = new_checkout_key().await?;
            Ok::<_, AppError>((defaults, cart, key))
        },
    );
    view! {
        <Title text="Checkout"/>
        <h1>"Checkout"</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((defaults, cart, key)) => view! { <CheckoutForm defaults cart key/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <p>"Please " <A href="/signin?next=/checkout">"sign in"</A> " or " <A href="/signup?next=/checkout">"create an account"</A> " to check out. Your cart is kept."</p>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CheckoutForm(defaults: ShippingAddressInput, cart: CartView, key: String) -> impl IntoView {
    let place = ServerAction::<PlaceOrder>::new();
    let error = move || place.value().get().and_then(Result::err);
    let field = move |name: &'static str| Signal::derive(move || error().and_then(|e| e.field(name)));
    let form_error = move || error().filter(|e| !matches!(e, AppError::Invalid { fields, .. } if !fields.is_empty()));
    if cart.is_empty() {
        return view! { <p class="empty">"Your cart is empty. " <A href="/">"Keep shopping"</A></p> }.into_any();
    }
    let orders = cart.groups.len();
    let d = defaults;
    view! {
        <section aria-labelledby="summary-title" class="checkout-summary">
            <h2 id="summary-title">"Your orders"</h2>
            <p class="muted">{if orders == 1 { "This purchase makes one order.".to_string() } else { format!("This purchase makes {orders} orders, one per shop; each shop ships its own.") }}</p>
            <ul role="list">
                {cart.groups.iter().map(|g| view! {
                    <li>
                        <strong>{g.shop_name.clone()}</strong>
                        {format!(": {} item{} · shipping {} · {}", g.lines.iter().map(|l| l.quantity).sum::<i64>(),
                            if g.lines.iter().map(|l| l.quantity).sum::<i64>() == 1 { "" } else { "s" },
                            if g.shipping.0 == 0 { "free".to_string() } else { g.shipping.to_string() }, g.total())}
                    </li>
                }).collect_view()}
            </ul>
            <p class="grand-total">"Total to pay: " <strong data-testid="checkout-total">{cart.total().to_string()}</strong></p>
        </section>
        {move || form_error().map(|e| view! { <Alert message=e.to_string()/> })}
        <ActionForm action=place attr:class="checkout-form" attr:novalidate="">
            <input type="hidden" name="idempotency_key" value=key/>
            <fieldset>
                <legend>"Shipping address"</legend>
                <FormField label="Full name" name="full_name" autocomplete="name" required=true value=d.full_name error=field("full_name")/>
                <FormField label="Street and number" name="line1" autocomplete="address-line1" required=true value=d.line1 error=field("line1")/>
                <FormField label="Apartment, floor, etc." name="line2" autocomplete="address-line2" value=d.line2 error=field("line2")/>
                <FormField label="Postcode" name="postcode" autocomplete="postal-code" required=true value=d.postcode error=field("postcode")/>
                <FormField label="Town or city" name="city" autocomplete="address-level2" required=true value=d.city error=field("city")/>
                <FormField label="Country" name="country" autocomplete="country-name" required=true value=d.country error=field("country")/>
                <FormField label="Phone" name="phone" kind="tel" autocomplete="tel" hint="Only for the carrier, if they need to reach you." value=d.phone error=field("phone")/>
            </fieldset>
            <fieldset>
                <legend>"Payment"</legend>
                <p class="notice" id="payment-notice">
                    <strong>"Simulated payment. "</strong>
                    "This is a demonstration marketplace: placing the order approves a simulated payment. No money moves, and no card details are asked for or stored."
                </p>
            </fieldset>
            <button type="submit" class="primary" aria-describedby="payment-notice" disabled=move || place.pending().get()>
                {move || if place.pending().get() { "Placing your order…" } else { "Place order and pay" }}
            </button>
        </ActionForm>
    }
    .into_any()
}
