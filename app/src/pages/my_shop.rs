use crate::api::shops::{get_my_shop, UpdateMyShop};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::shop_form::ShopProfileFields;
use crate::error::AppError;
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
    let shop = Resource::new(move || save.version().get(), |_| get_my_shop());
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some() && save.value().get().is_none_or(|r| r.is_ok());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let message = move || error.get().map(|e| e.to_string());
    view! {
        <Title text="Your shop"/>
        <h1>"Your shop"</h1>
        {move || saved().then(|| view! { <Alert kind="info" message="Saved. New orders get these policies; earlier orders keep theirs."/> })}
        {move || message().map(|m| view! { <Alert message=m/> })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match shop.await {
                    Ok(shop) => view! {
                        {shop.suspended.clone().map(|reason| view! {
                            <Alert message=format!("Your shop is suspended: buyers cannot see or buy its products. The marketplace's reason: {reason}")/>
                        })}
                        <p class="sub-nav"><A href=format!("/shop/{}", shop.slug)>"See your shop as buyers do"</A> " · "
                            <A href="/seller/products">"Products and stock"</A> " · " <A href="/seller/orders">"Orders desk"</A> " · " <A href="/seller/inbox">"Inbox"</A> " · " <A href="/seller/earnings">"Earnings"</A></p>
                        <ActionForm action=save attr:class="shop-form" attr:novalidate="">
                            <ShopProfileFields form=shop.form.clone() error fixed_name=shop.name.clone()/>
                            <p class="hint" id="policy-note">"A changed return policy or handling time applies to new orders only."</p>
                            <button type="submit" class="primary" aria-describedby="policy-note" disabled=move || save.pending().get()>"Save the shop"</button>
                        </ActionForm>
                    }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <p>"Please " <A href="/signin?next=/seller/shop">"sign in"</A> "."</p> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
