use crate::api::catalog::get_shop;
use crate::components::errors::ErrorPage;
use crate::components::product::{ProductGrid, SellerCard};
use crate::components::lang::use_lang;
use crate::components::seller_texts::{lang_attr, OriginalLanguageNote};
use crate::i18n::td_string;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ShopPage() -> impl IntoView {
    let params = use_params_map();
    let shop = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_shop);
    let lang = use_lang();
    let l = lang.locale;
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match shop.await {
                    Ok(data) => view! {
                        <Title text=data.shop.name.clone()/>
                        <h1>{data.shop.name.clone()}</h1>
                        <p class="lead" lang=lang_attr(data.shop.text_language)>{data.shop.description.clone()}</p>
                        <OriginalLanguageNote language=data.shop.text_language/>
                        <SellerCard shop=data.shop.clone()/>
                        <h2>{td_string!(l, shop.products_from, shop = data.shop.name.clone(), shown = lang.number(data.products.len() as i64)).to_string()}</h2>
                        <ProductGrid products=data.products/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
