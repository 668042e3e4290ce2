use crate::api::cart::get_cart;
use crate::api::orders::{checkout_defaults, new_checkout_key, PlaceOrder};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::form::FormField;
use crate::domain::checkout::{CartView, ShippingAddressInput};
use crate::error::AppError;
use crate::pages::loading;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
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
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, checkout.title)/>
        <h1>{td_string!(l, checkout.title)}</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((defaults, cart, key)) => view! { <CheckoutForm defaults cart key/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <p>{td_string!(l, checkout.please)}" " <A href="/signin?next=/checkout">{td_string!(l, checkout.sign_in)}</A>" "{td_string!(l, checkout.or)}" " <A href="/signup?next=/checkout">{td_string!(l, checkout.create_account)}</A>" "{td_string!(l, checkout.to_check_out)}</p>
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
    let lang = use_lang();
    let l = lang.locale;
    if cart.is_empty() {
        return view! { <p class="empty">{td_string!(l, cart.empty)}" " <A href=lang.href("/")>{td_string!(l, checkout.keep_shopping)}</A></p> }.into_any();
    }
    let orders = cart.groups.len();
    let d = defaults;
    view! {
        <section aria-labelledby="summary-title" class="checkout-summary">
            <h2 id="summary-title">{td_string!(l, checkout.your_orders)}</h2>
            <p class="muted">{if orders == 1 { td_string!(l, checkout.one_order).to_string() } else { td_string!(l, checkout.many_orders, count = orders).to_string() }}</p>
            <ul role="list">
                {cart.groups.iter().map(|g| view! {
                    <li>
                        <strong>{g.shop_name.clone()}</strong>
                        {td_string!(l, checkout.group_line,
                            count = g.lines.iter().map(|line| line.quantity).sum::<i64>(),
                            shipping = if g.shipping.0 == 0 { td_string!(l, checkout.free).to_string() } else { lang.money(g.shipping) },
                            total = lang.money(g.total())).to_string()}
                    </li>
                }).collect_view()}
            </ul>
            <p class="grand-total">{td_string!(l, checkout.total_to_pay)}" " <strong data-testid="checkout-total">{lang.money(cart.total())}</strong></p>
        </section>
        {move || form_error().map(|e| view! { <Alert message=e.to_string()/> })}
        <ActionForm action=place attr:class="checkout-form" attr:novalidate="">
            <input type="hidden" name="idempotency_key" value=key/>
            <fieldset>
                <legend>{td_string!(l, checkout.address)}</legend>
                <FormField label=td_string!(l, checkout.full_name) name="full_name" autocomplete="name" required=true value=d.full_name error=field("full_name")/>
                <FormField label=td_string!(l, checkout.line1) name="line1" autocomplete="address-line1" required=true value=d.line1 error=field("line1")/>
                <FormField label=td_string!(l, checkout.line2) name="line2" autocomplete="address-line2" value=d.line2 error=field("line2")/>
                <FormField label=td_string!(l, checkout.postcode) name="postcode" autocomplete="postal-code" required=true value=d.postcode error=field("postcode")/>
                <FormField label=td_string!(l, checkout.city) name="city" autocomplete="address-level2" required=true value=d.city error=field("city")/>
                <FormField label=td_string!(l, checkout.country) name="country" autocomplete="country-name" required=true value=d.country error=field("country")/>
                <FormField label=td_string!(l, checkout.phone) name="phone" kind="tel" autocomplete="tel" hint=td_string!(l, checkout.phone_hint) value=d.phone error=field("phone")/>
            </fieldset>
            <fieldset>
                <legend>{td_string!(l, checkout.payment)}</legend>
                <p class="notice" id="payment-notice">
                    <strong>{td_string!(l, checkout.simulated)}" "</strong>
                    {td_string!(l, checkout.simulated_body)}
                </p>
            </fieldset>
            <button type="submit" class="primary" aria-describedby="payment-notice" disabled=move || place.pending().get()>
                {move || if place.pending().get() { td_string!(l, checkout.placing) } else { td_string!(l, checkout.place) }}
            </button>
        </ActionForm>
    }
    .into_any()
}
