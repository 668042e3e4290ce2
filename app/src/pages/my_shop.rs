use crate::api::shops::{get_my_shop, UpdateMyShop};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::lang::use_lang;
use crate::components::shop_form::ShopProfileFields;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/seller/shop`: the seller edits their shop's profile. A changed return policy or handling
/// time applies to orders placed from now on; earlier orders keep the one they were bought under.
#[component]
pub fn MyShopPage() -> impl IntoView {
    let save = ServerAction::<UpdateMyShop>::new();
    let lang = use_lang();
    let l = lang.locale;
    let shop = Resource::new(move || save.version().get(), |_| get_my_shop());
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some() && save.value().get().is_none_or(|r| r.is_ok());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let message = move || error.get().map(|e| e.to_string());
    view! {
        <Title text=td_string!(l, my_shop.title)/>
        <h1>{td_string!(l, my_shop.title)}</h1>
        {move || saved().then(|| view! { <Alert kind="info" message=td_string!(l, my_shop.saved)/> })}
        {move || message().map(|m| view! { <Alert message=m/> })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match shop.await {
                    Ok(shop) => view! {
                        {shop.suspended.clone().map(|reason| view! {
                            <Alert message=td_string!(l, my_shop.suspended, reason = reason).to_string()/>
                        })}
                        <p class="sub-nav"><A href=lang.href(&format!("/shop/{}", shop.slug))>{td_string!(l, my_shop.see_as_buyers)}</A> " · "
                            <A href="/seller/products">{td_string!(l, my_shop.products)}</A> " · " <A href="/seller/orders">{td_string!(l, nav.orders_desk)}</A> " · "
                            <A href="/seller/inbox">{td_string!(l, my_shop.inbox)}</A> " · " <A href="/seller/earnings">{td_string!(l, my_shop.earnings)}</A></p>
                        <ActionForm action=save attr:class="shop-form" attr:novalidate="">
                            <ShopProfileFields form=shop.form.clone() error fixed_name=shop.name.clone()/>
                            <p class="hint" id="policy-note">{td_string!(l, my_shop.policy_note)}</p>
                            <button type="submit" class="primary" aria-describedby="policy-note" disabled=move || save.pending().get()>{td_string!(l, my_shop.save)}</button>
                        </ActionForm>
                    }.into_any(),
                    Err(AppError::Unauthenticated) => view! {
                        <p>{td_string!(l, my_shop.please)} <A href="/signin?next=/seller/shop">{td_string!(l, my_shop.sign_in)}</A> {td_string!(l, my_shop.end)}</p>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
