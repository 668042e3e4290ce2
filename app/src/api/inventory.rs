//! The seller's catalogue and stock: the stock page, the product form (create, edit), status moves
//! (list, hide, archive, bring back), stock changes, and buyers asking to hear when a sold-out
//! product is back. Only a shop's own seller reaches its products; anyone else gets 404.

use crate::domain::inventory::{InventoryPage, ProductEditor, ProductInput, StockInput};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::{redirect_to, with_status},
    backend::{app_state, auth, clock, drafts, services::inventory},
    domain::inventory::{ProductDraft, ProductStatus, StockChange},
    domain::ProductId,
};

#[server(endpoint = "get_inventory")]
pub async fn get_inventory() -> Result<InventoryPage, AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            inventory::page(&app_state()?.db, &seller, clock::now_ms()).await
        }
        .await,
    )
}

/// Why the seller's last catalogue import changed nothing (the problems, by line and column), if
/// it was refused.
#[server(endpoint = "last_import_report")]
pub async fn last_import_report() -> Result<Option<crate::domain::inventory::ImportReport>, AppError> {
    with_status(
        async {
            auth::require_user().await?;
            crate::backend::catalog_csv::last_report(&auth::session().await?).await
        }
        .await,
    )
}

/// The product form: `id` 0 for a new product.
#[server(endpoint = "get_product_editor")]
pub async fn get_product_editor(#[server(default)] id: i64) -> Result<ProductEditor, AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            let product = (id > 0).then_some(ProductId(id));
            let kept = drafts::get::<ProductInput>(&auth::session().await?, "product", &id.to_string()).await?;
            inventory::editor(&app_state()?.db, &seller, product, kept).await
        }
        .await,
    )
}

/// Saves the product form: `id` 0 lists a new product, otherwise it rewrites that product of the
/// seller's. What was typed is kept when it cannot be saved (with and without JavaScript).
#[server(endpoint = "save_product")]
pub async fn save_product(#[server(default)] id: i64, product: ProductInput) -> Result<i64, AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            let session = auth::session().await?;
            let state = app_state()?;
            let db = &state.db;
            let now = clock::now_ms();
            let attempt = async {
                let draft = ProductDraft::try_from(product.clone())?;
                if id > 0 {
                    inventory::update(db, &seller, ProductId(id), &draft, now).await?;
                    Ok(ProductId(id))
                } else {
                    inventory::create(db, &seller, &draft, now).await
                }
            }
            .await;
            match attempt {
                Ok(saved) => {
                    crate::backend::search::catalog_changed(&state).await;
                    drafts::forget(&session, "product").await?;
                    // A new product goes on to its photos; an edit back to the list.
                    redirect_to(&if id > 0 { format!("/seller/products?saved={saved}") } else { format!("/seller/products/{saved}?listed=1#photos") });
                    Ok(saved.0)
                }
                Err(e) => {
                    drafts::keep(&session, "product", &id.to_string(), &product).await?;
                    Err(e)
                }
            }
        }
        .await,
    )
}

/// Moves one of the seller's products to `status` (listed, hidden, archived).
#[server(endpoint = "set_product_status")]
pub async fn set_product_status(product_id: i64, status: String) -> Result<(), AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            let to = ProductStatus::parse(&status).ok_or_else(|| AppError::invalid_field("status", crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.status).to_string()))?;
            let state = app_state()?;
            inventory::set_status(&state.db, &state.live, &seller, ProductId(product_id), to, clock::now_ms()).await?;
            redirect_to(&format!("/seller/products?moved={product_id}"));
            Ok(())
        }
        .await,
    )
}

/// Adds, removes or sets (against the level seen) the stock of one of the seller's products: the
/// new level.
#[server(endpoint = "change_stock")]
pub async fn change_stock(product_id: i64, stock: StockInput) -> Result<i64, AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            let change = StockChange::try_from(&stock)?;
            let state = app_state()?;
            let level = inventory::change_stock(&state.db, &state.live, &seller, ProductId(product_id), change, clock::now_ms()).await?;
            redirect_to(&format!("/seller/products?stocked={product_id}#product-{product_id}"));
            Ok(level)
        }
        .await,
    )
}

/// A signed-in buyer asks to be told when a sold-out product is back (once).
#[server(endpoint = "notify_when_back")]
pub async fn notify_when_back(product_id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            inventory::ask_back_in_stock(&app_state()?.db, &user, ProductId(product_id), clock::now_ms()).await?;
            redirect_to(&format!("/product/{product_id}?asked=1"));
            Ok(())
        }
        .await,
    )
}

/// Whether the signed-in person waits to hear that this product is back (signed out: false).
#[server(endpoint = "waiting_for_product")]
pub async fn waiting_for_product(product_id: i64) -> Result<bool, AppError> {
    with_status(
        async {
            let Ok(user) = auth::require_user().await else { return Ok(false) };
            inventory::is_waiting(&app_state()?.db, user.id, ProductId(product_id)).await
        }
        .await,
    )
}

/// Makes one of the product's photos its main picture.
#[server(endpoint = "set_main_photo")]
pub async fn set_main_photo(product_id: i64, photo_id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            inventory::arrange_photo(&app_state()?.db, &seller, ProductId(product_id), photo_id, false).await?;
            redirect_to(&format!("/seller/products/{product_id}#photos"));
            Ok(())
        }
        .await,
    )
}

/// Removes one of the product's photos (its stored copies too).
#[server(endpoint = "remove_photo")]
pub async fn remove_photo(product_id: i64, photo_id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            inventory::arrange_photo(&app_state()?.db, &seller, ProductId(product_id), photo_id, true).await?;
            redirect_to(&format!("/seller/products/{product_id}#photos"));
            Ok(())
        }
        .await,
    )
}
