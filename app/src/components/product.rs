//! Product cards, star ratings, the seller card and pagination.

use crate::domain::catalog::{ProductSummary, Rating, ShopCard, StockLevel};
use crate::components::lang::use_lang;
use crate::components::seller_texts::{lang_attr, language_name};
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Stars(rating: Rating) -> impl IntoView {
    let l = use_lang().locale;
    match rating.score_in(l) {
        Some(score) => {
            let text = rating.describe_in(l);
            view! {
            <span class="stars" role="img" aria-label=text.clone() title=text>
                <span aria-hidden="true">{format!("★ {score}")}</span>
                <span class="muted" aria-hidden="true">{format!(" ({})", rating.count)}</span>
            </span>
            }
            .into_any()
        }
        None => view! { <span class="stars muted">{td_string!(l, rating.none)}</span> }.into_any(),
    }
}

/// The Top seller badge, where the seller holds it.
#[component]
pub fn TopSeller(holds: bool) -> impl IntoView {
    let l = use_lang().locale;
    holds.then(|| {
        view! {
            <span class="top-seller" title=td_string!(l, shop.top_seller_title) data-testid="top-seller">
                {td_string!(l, shop.top_seller)}
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
    let l = use_lang().locale;
    let label = match level {
        StockLevel::OutOfStock => td_string!(l, stock.out).to_string(),
        StockLevel::Low(n) => td_string!(l, stock.low, count = n).to_string(),
        StockLevel::InStock => td_string!(l, stock.in_stock).to_string(),
    };
    view! { <span class=class>{label}</span> }
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
    let lang = use_lang();
    let href = lang.href(&format!("/product/{}", product.id));
    view! {
        <li class="product-card">
            <ProductPicture picture=product.picture.clone() alt="" sizes="(min-width: 40rem) 240px, 96px"/>
            <div class="product-card-body">
                <h3 lang=lang_attr(product.name_language)><A href=href>{product.name.clone()}</A></h3>
                {product.name_language.map(|of| view! {
                    <p class="muted original-language">{td_string!(lang.locale, seller_texts.in_language, language = language_name(lang.locale, of)).to_string()}</p>
                })}
                <p class="price">{lang.money(product.price)}</p>
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
    let lang = use_lang();
    let l = lang.locale;
    let href = lang.href(&format!("/shop/{}", shop.slug));
    let name = shop.name.clone();
    view! {
        <section class="seller-card" aria-labelledby="seller-card-title">
            <h2 id="seller-card-title">
                <span class="muted">{td_string!(l, shop.sold_by)}" "</span>
                {if link { view! { <A href=href>{name}</A> }.into_any() } else { view! { <span>{name}</span> }.into_any() }}
                " " <TopSeller holds=shop.top_seller/>
            </h2>
            <dl>
                <dt>{td_string!(l, shop.location)}</dt>
                <dd>{format!("{}, {}", shop.city, shop.country)}</dd>
                <dt>{td_string!(l, shop.rating)}</dt>
                <dd><Stars rating=shop.rating/></dd>
                <dt>{td_string!(l, shop.handling_time)}</dt>
                <dd>{td_string!(l, shop.ships_within, count = shop.handling_days.max(1)).to_string()}</dd>
                <dt>{td_string!(l, shop.shipping)}</dt>
                <dd>{if shop.shipping.0 == 0 { td_string!(l, shop.free).to_string() } else { td_string!(l, shop.per_order, price = lang.money(shop.shipping)).to_string() }}</dd>
                <dt>{td_string!(l, shop.returns)}</dt>
                <dd><strong>{if shop.return_days == 0 { td_string!(l, shop.no_returns).to_string() } else { td_string!(l, shop.day_returns, days = shop.return_days).to_string() }}</strong>". "<span lang=lang_attr(shop.text_language)>{shop.return_policy.clone()}</span></dd>
                <dt>{td_string!(l, shop.since)}</dt>
                <dd>{shop.member_since.clone()}</dd>
                {shop.usually_answers.clone().map(|u| view! {
                    <dt>{td_string!(l, shop.answers_messages)}</dt>
                    <dd data-testid="seller-usually-answers">{td_string!(l, shop.usually_within, time = u).to_string()}</dd>
                })}
                {(!shop.opening_hours.is_empty()).then(|| view! {
                    <dt>{td_string!(l, shop.opening_hours)}</dt>
                    <dd>{shop.opening_hours.clone()}</dd>
                })}
                {(!shop.contact.is_empty()).then(|| view! {
                    <dt>{td_string!(l, shop.contact)}</dt>
                    <dd>{shop.contact.clone()}<span class="muted">{td_string!(l, shop.masked)}</span></dd>
                })}
            </dl>
        </section>
    }
}

/// Previous/next links that keep the rest of the query string.
#[component]
pub fn Pagination(page: i64, pages: i64, base: String) -> impl IntoView {
    let l = use_lang().locale;
    let link = move |p: i64| {
        let sep = if base.contains('?') { "&" } else { "?" };
        format!("{base}{sep}page={p}")
    };
    view! {
        <nav class="pagination" aria-label=td_string!(l, pages.label)>
            {(page > 1).then(|| view! { <A href=link(page - 1) attr:rel="prev">{td_string!(l, pages.previous)}</A> })}
            <span aria-current="page">{td_string!(l, pages.page_of, page = page, pages = pages).to_string()}</span>
            {(page < pages).then(|| view! { <A href=link(page + 1) attr:rel="next">{td_string!(l, pages.next)}</A> })}
        </nav>
    }
}
