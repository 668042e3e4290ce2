use crate::api::catalog::{list_categories, newest_products};
use crate::components::errors::Alert;
use crate::components::product::ProductGrid;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let categories = Resource::new(|| (), |_| list_categories());
    let newest = Resource::new(|| (), |_| newest_products());
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>"Independent shops, one honest marketplace"</h1>
            <p>"Every product page tells you who you buy from, where they are and how returns work."</p>
        </section>
        <section aria-labelledby="categories-title">
            <h2 id="categories-title">"Shop by category"</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match categories.await {
                        Ok(list) => view! {
                            <ul class="category-grid" role="list">
                                {list.into_iter().map(|c| view! {
                                    <li>
                                        <A href=format!("/category/{}", c.slug)>
                                            <img src=format!("/img/{}.svg", c.slug) alt="" width="48" height="48"/>
                                            <span class="category-name">{c.name}</span>
                                            <span class="muted">{format!("{} products", c.product_count)}</span>
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
            <h2 id="newest-title">"New in the shops"</h2>
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
