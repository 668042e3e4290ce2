use crate::api::catalog::get_shop;
use crate::components::errors::ErrorPage;
use crate::components::product::{ProductGrid, SellerCard};
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ShopPage() -> impl IntoView {
    let params = use_params_map();
    let shop = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_shop);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match shop.await {
                    Ok(data) => view! {
                        <Title text=data.shop.name.clone()/>
                        <h1>{data.shop.name.clone()}</h1>
                        <p class="lead">{data.shop.description.clone()}</p>
                        <SellerCard shop=data.shop.clone()/>
                        <h2>{format!("Products from {} ({})", data.shop.name, data.products.len())}</h2>
                        <ProductGrid products=data.products/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
