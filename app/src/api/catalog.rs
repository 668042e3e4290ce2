use crate::domain::catalog::{Category, ListingInput, ProductDetail, ProductPage, ProductSummary, ShopPageData};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::with_status,
    backend::{app_state, db::catalog, web::locale::current},
    domain::{catalog::ListingQuery, ProductId},
};

/// Catalog reads are public: anyone, signed in or not, may browse.
#[server(endpoint = "list_categories")]
pub async fn list_categories() -> Result<Vec<Category>, AppError> {
    with_status(async { Ok(catalog::categories(&app_state()?.db.pool, current().locale).await?) }.await)
}

#[server(endpoint = "get_category")]
pub async fn get_category(slug: String) -> Result<Category, AppError> {
    with_status(
        async {
            catalog::category_by_slug(&app_state()?.db.pool, &slug, current().locale)
                .await?
                .ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_category).to_string()))
        }
        .await,
    )
}

#[server(endpoint = "newest_products")]
pub async fn newest_products() -> Result<Vec<ProductSummary>, AppError> {
    with_status(async { Ok(catalog::newest_products(&app_state()?.db.pool, 8, current().locale).await?) }.await)
}

#[server(endpoint = "search_products")]
pub async fn search_products(input: ListingInput) -> Result<ProductPage, AppError> {
    with_status(
        async {
            let query = ListingQuery::try_from(input)?;
            let state = app_state()?;
            let matched = match query.terms.is_empty() {
                true => None,
                false => Some(state.search.find(query.terms.clone()).await?),
            };
            let (products, total) = catalog::list_products(&state.db, &query, matched.as_ref().map(|m| m.products.as_slice()), current().locale).await?;
            let suggestion = match &matched {
                Some(m) if m.products.is_empty() => state.search.suggest(query.terms.clone()).await?,
                _ => None,
            };
            let more = matched.as_ref().is_some_and(|m| m.more);
            Ok(ProductPage { products, total, page: query.page, pages: ProductPage::pages_for(total), suggestion, more })
        }
        .await,
    )
}

#[server(endpoint = "get_product")]
pub async fn get_product(id: i64) -> Result<ProductDetail, AppError> {
    with_status(
        async {
            let state = app_state()?;
            let mut product = catalog::product_detail(&state.db.pool, ProductId(id), current().locale)
                .await?
                .ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.not_for_sale).to_string()))?;
            if product.shop.suspended {
                return Err(temporarily_unavailable(&product.shop.name));
            }
            product.shop.usually_answers = crate::backend::services::threads::usually_answers(&state, product.shop.id, crate::backend::clock::now_ms()).await?;
            Ok(product)
        }
        .await,
    )
}

#[server(endpoint = "get_shop")]
pub async fn get_shop(slug: String) -> Result<ShopPageData, AppError> {
    with_status(
        async {
            let state = app_state()?;
            let pool = &state.db.pool;
            let mut shop = catalog::shop_by_slug(pool, &slug, current().locale).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.common.no_shop).to_string()))?;
            if shop.suspended {
                return Err(temporarily_unavailable(&shop.name));
            }
            shop.usually_answers = crate::backend::services::threads::usually_answers(&state, shop.id, crate::backend::clock::now_ms()).await?;
            let products = catalog::products_of_shop(pool, shop.id, current().locale).await?;
            Ok(ShopPageData { shop, products })
        }
        .await,
    )
}

/// A suspended shop and its products: not for sale meanwhile (404, so they leave search engines too).
#[cfg(feature = "ssr")]
fn temporarily_unavailable(shop: &str) -> AppError {
    AppError::NotFound(format!("{shop} is temporarily unavailable. Orders already placed with it go on as usual."))
}
