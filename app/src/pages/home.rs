use crate::api::catalog::{list_categories, newest_products};
use crate::components::errors::Alert;
use crate::components::product::ProductGrid;
use crate::pages::loading;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let categories = Resource::new(|| (), |_| list_categories());
    let newest = Resource::new(|| (), |_| newest_products());
    let lang = use_lang();
    let l = lang.locale;
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>{td_string!(l, home.title)}</h1>
            <p>{td_string!(l, home.lead)}</p>
        </section>
        <section aria-labelledby="categories-title">
            <h2 id="categories-title">{td_string!(l, home.categories)}</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match categories.await {
                        Ok(list) => view! {
                            <ul class="category-grid" role="list">
                                {list.into_iter().map(|c| view! {
                                    <li>
                                        <A href=lang.href(&format!("/category/{}", c.slug))>
                                            <img src=format!("/img/{}.svg", c.slug) alt="" width="48" height="48"/>
                                            <span class="category-name">{c.name}</span>
                                            <span class="muted">{td_string!(l, products_count, count = c.product_count, shown = crate::domain::locale::number(l, c.product_count)).to_string()}</span>
                                        </A>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <Alert message=e.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section aria-labelledby="newest-title">
            <h2 id="newest-title">{td_string!(l, home.newest)}</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match newest.await {
                        Ok(products) => view! { <ProductGrid products/> }.into_any(),
                        Err(e) => view! { <Alert message=e.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
