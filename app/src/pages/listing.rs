//! Search results and category listings: the same list with sorting, filters and pages.

use crate::api::catalog::{get_category, list_categories, search_products};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::product::{Pagination, ProductGrid};
use crate::domain::catalog::{ListingInput, Sort};
use crate::pages::loading;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let l = use_lang().locale;
    let title = move || if q().trim().is_empty() { td_string!(l, listing.all_products).to_string() } else { td_string!(l, listing.results_for, query = q().trim().to_string()).to_string() };
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <Listing fixed_category=None/>
    }
}

#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let category = Resource::new(slug, get_category);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match category.await {
                    Ok(c) => view! {
                        <Title text=c.name.clone()/>
                        <h1>{c.name.clone()}</h1>
                        <p class="lead">{c.description.clone()}</p>
                        <Listing fixed_category=Some(c.slug.clone())/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Listing(fixed_category: Option<String>) -> impl IntoView {
    let query = use_query_map();
    let lang = use_lang();
    let l = lang.locale;
    let show_category_filter = fixed_category.is_none();
    let fixed = fixed_category.clone();
    let input = move || {
        let m = query.read();
        let get = |k: &str| m.get(k).unwrap_or_default();
        ListingInput {
            q: get("q"),
            category: fixed.clone().unwrap_or_else(|| get("category")),
            sort: get("sort"),
            min: get("min"),
            max: get("max"),
            rating: get("rating"),
            badge: get("badge"),
            page: get("page"),
        }
    };
    let results = Resource::new(input.clone(), search_products);
    let categories = Resource::new(|| (), |_| list_categories());
    let current = input.clone();
    let field = move |f: fn(&ListingInput) -> String| Signal::derive({ let current = current.clone(); move || f(&current()) });
    let sort = field(|i| i.sort.clone());
    let rating = field(|i| i.rating.clone());
    let badge = field(|i| i.badge.clone());
    let category = field(|i| i.category.clone());
    let base = {
        let input = input.clone();
        move || {
            let i = input();
            let mut parts = Vec::new();
            for (k, v) in [("q", &i.q), ("sort", &i.sort), ("min", &i.min), ("max", &i.max), ("rating", &i.rating), ("badge", &i.badge)] {
                if !v.is_empty() {
                    parts.push(format!("{k}={}", urlencode(v)));
                }
            }
            if fixed_category.is_none() && !i.category.is_empty() {
                parts.push(format!("category={}", urlencode(&i.category)));
            }
            let path = match &fixed_category {
                Some(slug) => format!("/category/{slug}"),
                None => "/search".to_string(),
            };
            lang.href(&if parts.is_empty() { path } else { format!("{path}?{}", parts.join("&")) })
        }
    };
    view! {
        <details class="filters" open=move || query.read().get("min").is_some() || query.read().get("max").is_some()>
            <summary>{td_string!(l, listing.sort_filter)}</summary>
            <Form method="GET" action="" attr:class="filter-form">
                // Filtering keeps the search words.
                {move || {
                    let q = query.read().get("q").unwrap_or_default();
                    (!q.is_empty()).then(|| view! { <input type="hidden" name="q" value=q/> })
                }}
                <div class="field">
                    <label for="filter-sort">{td_string!(l, listing.sort_by)}</label>
                    <select id="filter-sort" name="sort">
                        {Sort::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || sort.get() == s.as_str()>{sort_label(l, s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || show_category_filter>
                    <div class="field">
                        <label for="filter-category">{td_string!(l, listing.category)}</label>
                        <select id="filter-category" name="category">
                            <option value="">{td_string!(l, listing.all_categories)}</option>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    categories.await.unwrap_or_default().into_iter().map(|c| {
                                        let slug = c.slug.clone();
                                        view! { <option value=c.slug.clone() selected=move || category.get() == slug>{c.name}</option> }
                                    }).collect_view()
                                })}
                            </Suspense>
                        </select>
                    </div>
                </Show>
                <div class="field-row">
                    <div class="field">
                        <label for="filter-min">{td_string!(l, listing.min_price)}</label>
                        <input id="filter-min" name="min" inputmode="decimal" size="6" value=move || query.read().get("min").unwrap_or_default()/>
                    </div>
                    <div class="field">
                        <label for="filter-max">{td_string!(l, listing.max_price)}</label>
                        <input id="filter-max" name="max" inputmode="decimal" size="6" value=move || query.read().get("max").unwrap_or_default()/>
                    </div>
                </div>
                <div class="field">
                    <label for="filter-rating">{td_string!(l, listing.seller_rating)}</label>
                    <select id="filter-rating" name="rating">
                        <option value="">{td_string!(l, listing.any_rating)}</option>
                        {[4, 3].into_iter().map(|n| view! {
                            <option value=n.to_string() selected=move || rating.get() == n.to_string()>{td_string!(l, listing.stars_and_up, count = n).to_string()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field check">
                    <input type="checkbox" id="filter-badge" name="badge" value="top" checked=move || badge.get() == "top"/>
                    <label for="filter-badge">{td_string!(l, listing.top_sellers_only)}</label>
                </div>
                <button type="submit">{td_string!(l, listing.apply)}</button>
            </Form>
        </details>
        <Suspense fallback=loading>
            {move || {
                let base = base();
                Suspend::new(async move {
                    match results.await {
                        Ok(page) if page.products.is_empty() => view! {
                            <p role="status" class="empty">{td_string!(l, listing.no_match)}</p>
                            {page.suggestion.map(|s| {
                                // Folded words only ([a-z0-9 ]): safe in a query string as they are.
                                let href = lang.href(&format!("/search?q={}", s.replace(' ', "+")));
                                view! { <p class="suggestion">{td_string!(l, listing.did_you_mean)} <a href=href rel="nofollow">{s}</a> {td_string!(l, listing.did_you_mean_end)}</p> }
                            })}
                        }.into_any(),
                        Ok(page) => view! {
                            <p role="status" class="result-count">
                                {if page.more {
                                    td_string!(l, listing.more_than, count = page.total, shown = crate::domain::locale::number(l, page.total)).to_string()
                                } else {
                                    td_string!(l, products_count, count = page.total, shown = crate::domain::locale::number(l, page.total)).to_string()
                                }}
                            </p>
                            <ProductGrid products=page.products/>
                            <Pagination page=page.page pages=page.pages base=base/>
                        }.into_any(),
                        Err(e) => view! { <Alert message=e.to_string()/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A sort order's name in the page's language.
fn sort_label(l: crate::i18n::Locale, sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => td_string!(l, sort.relevance),
        Sort::Newest => td_string!(l, sort.newest),
        Sort::PriceLow => td_string!(l, sort.price_asc),
        Sort::PriceHigh => td_string!(l, sort.price_desc),
        Sort::Rating => td_string!(l, sort.rating),
    }
}

/// Percent-encodes a query value (letters, digits and `-_.~` stay as they are).
fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
