//! Product cards, star ratings, the seller card and pagination.

use crate::domain::catalog::{ProductSummary, Rating, ShopCard, StockLevel};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Stars(rating: Rating) -> impl IntoView {
    let text = rating.describe();
    match rating.tenths() {
        Some(t) => view! {
            <span class="stars" role="img" aria-label=text.clone() title=text>
                <span aria-hidden="true">{format!("★ {}.{}", t / 10, t % 10)}</span>
                <span class="muted" aria-hidden="true">{format!(" ({})", rating.count)}</span>
            </span>
        }
        .into_any(),
        None => view! { <span class="stars muted">{text}</span> }.into_any(),
    }
}

/// The Top seller badge, where the seller holds it.
#[component]
pub fn TopSeller(holds: bool) -> impl IntoView {
    holds.then(|| {
        view! {
            <span class="top-seller" title="Top seller: on time, responsive and highly rated over the last 90 days" data-testid="top-seller">
                "Top seller"
            </span>
        }
    })
}

#[component]
pub fn StockBadge(stock: i64) -> impl IntoView {
    let level = StockLevel::of(stock);
    let class = match level {
        StockLevel::OutOfStock => "stock stock-out",
        StockLevel::Low(_) => "stock stock-low",
        StockLevel::InStock => "stock stock-ok",
    };
    view! { <span class=class>{level.label()}</span> }
}

/// A product's picture: a photo with its stored widths (`srcset`, so a phone loads the small one)
/// and its size (no layout shift), or the category's drawing. Lazy unless `eager` (above the fold).
#[component]
pub fn ProductPicture(
    picture: crate::domain::photo::Picture,
    #[prop(into)] alt: String,
    sizes: &'static str,
    #[prop(optional)] eager: bool,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    let src = picture.url_for(640);
    let srcset = picture.srcset();
    let sizes = srcset.is_some().then_some(sizes);
    view! {
        <img class=class src=src srcset=srcset sizes=sizes alt=alt width=picture.width height=picture.height
            loading=if eager { "eager" } else { "lazy" } decoding="async"/>
    }
}

#[component]
pub fn ProductCard(product: ProductSummary) -> impl IntoView {
    let href = format!("/product/{}", product.id);
    view! {
        <li class="product-card">
            <ProductPicture picture=product.picture.clone() alt="" sizes="(min-width: 40rem) 240px, 96px"/>
            <div class="product-card-body">
                <h3><A href=href>{product.name.clone()}</A></h3>
                <p class="price">{product.price.to_string()}</p>
                <StockBadge stock=product.stock/>
                <p class="seller-line">{format!("{} · {}", product.shop_name, product.shop_city)} " " <TopSeller holds=product.shop_top_seller/></p>
                <Stars rating=product.rating/>
            </div>
        </li>
    }
}

#[component]
pub fn ProductGrid(products: Vec<ProductSummary>) -> impl IntoView {
    view! {
        <ul class="product-grid" role="list">
            {products.into_iter().map(|p| view! { <ProductCard product=p/> }).collect_view()}
        </ul>
    }
}

/// Who the buyer deals with: name, location, returns, handling time, rating.
#[component]
pub fn SellerCard(shop: ShopCard, #[prop(optional)] link: bool) -> impl IntoView {
    let href = format!("/shop/{}", shop.slug);
    let name = shop.name.clone();
    view! {
        <section class="seller-card" aria-labelledby="seller-card-title">
            <h2 id="seller-card-title">
                <span class="muted">"Sold by "</span>
                {if link { view! { <A href=href>{name}</A> }.into_any() } else { view! { <span>{name}</span> }.into_any() }}
                " " <TopSeller holds=shop.top_seller/>
            </h2>
            <dl>
                <dt>"Location"</dt>
                <dd>{format!("{}, {}", shop.city, shop.country)}</dd>
                <dt>"Rating"</dt>
                <dd><Stars rating=shop.rating/></dd>
                <dt>"Handling time"</dt>
                <dd>{shop.handling_label()}</dd>
                <dt>"Shipping"</dt>
                <dd>{if shop.shipping.0 == 0 { "Free".to_string() } else { format!("{} per order", shop.shipping) }}</dd>
                <dt>"Returns"</dt>
                <dd><strong>{shop.returns_label()}</strong>". "{shop.return_policy.clone()}</dd>
                <dt>"On Troika since"</dt>
                <dd>{shop.member_since.clone()}</dd>
                {shop.usually_answers.clone().map(|u| view! {
                    <dt>"Answers messages"</dt>
                    <dd data-testid="seller-usually-answers">{format!("Usually within {u}")}</dd>
                })}
                {(!shop.opening_hours.is_empty()).then(|| view! {
                    <dt>"Opening hours"</dt>
                    <dd>{shop.opening_hours.clone()}</dd>
                })}
                {(!shop.contact.is_empty()).then(|| view! {
                    <dt>"Contact"</dt>
                    <dd>{shop.contact.clone()}<span class="muted">" (masked: Troika relays messages)"</span></dd>
                })}
            </dl>
        </section>
    }
}

/// Previous/next links that keep the rest of the query string.
#[component]
pub fn Pagination(page: i64, pages: i64, base: String) -> impl IntoView {
    let link = move |p: i64| {
        let sep = if base.contains('?') { "&" } else { "?" };
        format!("{base}{sep}page={p}")
    };
    view! {
        <nav class="pagination" aria-label="Pages">
            {(page > 1).then(|| view! { <A href=link(page - 1) attr:rel="prev">"← Previous"</A> })}
            <span aria-current="page">{format!("Page {page} of {pages}")}</span>
            {(page < pages).then(|| view! { <A href=link(page + 1) attr:rel="next">"Next →"</A> })}
        </nav>
    }
}
