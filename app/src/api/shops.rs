//! Shops run by their sellers: applying to sell, the admins' queue of applications and their
//! decisions on shops (suspend, reinstate), and the seller's own shop profile.

use crate::domain::shop::{MyShop, SellPage, ShopProfileInput, ShopsAdminPage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::{redirect_to, with_status},
    backend::{app_state, auth, clock, drafts, services::shops},
    domain::shop::ShopProfile,
    domain::user::Role,
    domain::ShopId,
};

/// The "Sell on Troika" page for whoever asks (signed out: 401).
#[server(endpoint = "get_sell_page")]
pub async fn get_sell_page() -> Result<SellPage, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let state = app_state()?;
            let latest = shops::latest_application(&state.db, user.id).await?;
            let shop_slug = match user.role {
                Role::Seller => Some(shops::my_shop(&state.db, &user).await?.1),
                _ => None,
            };
            let kept = drafts::get::<ShopProfileInput>(&auth::session().await?, "sell", "").await?;
            // A rejected applicant starts again from what they sent.
            let draft = kept
                .or_else(|| latest.as_ref().filter(|a| a.status == crate::domain::shop::ApplicationStatus::Rejected).map(|a| a.profile.to_input()))
                .unwrap_or_else(ShopProfileInput::blank);
            Ok(SellPage { latest, draft, shop_slug, staff: user.role.works_for_marketplace() })
        }
        .await,
    )
}

/// Files the signed-in person's application to sell. What they typed is kept when it cannot be
/// sent (the form comes back filled in, with or without JavaScript).
#[server(endpoint = "apply_to_sell")]
pub async fn apply_to_sell(shop: ShopProfileInput) -> Result<i64, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            let session = auth::session().await?;
            let attempt = async {
                let profile = ShopProfile::try_from(shop.clone())?;
                shops::apply(&app_state()?.db, &user, &profile, clock::now_ms()).await
            }
            .await;
            match attempt {
                Ok(application) => {
                    drafts::forget(&session, "sell").await?;
                    redirect_to("/sell?applied=1");
                    Ok(application.id)
                }
                Err(e) => {
                    drafts::keep(&session, "sell", "", &shop).await?;
                    Err(e)
                }
            }
        }
        .await,
    )
}

#[server(endpoint = "get_shops_admin")]
pub async fn get_shops_admin() -> Result<ShopsAdminPage, AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            shops::admin_page(&app_state()?.db, &admin).await
        }
        .await,
    )
}

/// Approves an application: the shop opens and the applicant becomes its seller.
#[server(endpoint = "approve_application")]
pub async fn approve_application(application_id: i64) -> Result<String, AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            let state = app_state()?;
            let slug = shops::approve(&state.db, &state.live, &admin, application_id, clock::now_ms()).await?;
            redirect_to("/admin/shops?approved=1");
            Ok(slug)
        }
        .await,
    )
}

/// Rejects an application with a reason the applicant reads.
#[server(endpoint = "reject_application")]
pub async fn reject_application(application_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            let state = app_state()?;
            shops::reject(&state.db, &state.live, &admin, application_id, &reason, clock::now_ms()).await?;
            redirect_to("/admin/shops?rejected=1");
            Ok(())
        }
        .await,
    )
}

/// Suspends a shop with a reason the seller reads.
#[server(endpoint = "suspend_shop")]
pub async fn suspend_shop(shop_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            let state = app_state()?;
            shops::set_suspended(&state.db, &state.live, &admin, ShopId(shop_id), Some(&reason), clock::now_ms()).await?;
            redirect_to("/admin/shops?suspended=1");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "reinstate_shop")]
pub async fn reinstate_shop(shop_id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let admin = auth::require_user().await?;
            let state = app_state()?;
            shops::set_suspended(&state.db, &state.live, &admin, ShopId(shop_id), None, clock::now_ms()).await?;
            redirect_to("/admin/shops?reinstated=1");
            Ok(())
        }
        .await,
    )
}

/// The seller's own shop, as its edit form shows it (what they typed last if it was not saved).
#[server(endpoint = "get_my_shop")]
pub async fn get_my_shop() -> Result<MyShop, AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            let (_, slug, profile, suspended) = shops::my_shop(&app_state()?.db, &seller).await?;
            let kept = drafts::get::<ShopProfileInput>(&auth::session().await?, "shop", &slug).await?;
            let name = profile.name.clone();
            Ok(MyShop { slug, name, form: kept.unwrap_or_else(|| profile.to_input()), suspended })
        }
        .await,
    )
}

#[server(endpoint = "update_my_shop")]
pub async fn update_my_shop(shop: ShopProfileInput) -> Result<(), AppError> {
    with_status(
        async {
            let seller = auth::require_user().await?;
            let session = auth::session().await?;
            let state = app_state()?;
            let db = &state.db;
            let (shop_id, slug, current, _) = shops::my_shop(db, &seller).await?;
            let city_changed = current.city != shop.city.trim();
            // The name stays as approved, whatever the form says.
            let input = ShopProfileInput { name: current.name, ..shop };
            let attempt = async {
                let profile = ShopProfile::try_from(input.clone())?;
                shops::update(db, shop_id, &profile, city_changed).await
            }
            .await;
            match attempt {
                Ok(()) => {
                    if city_changed {
                        crate::backend::search::catalog_changed(&state).await;
                    }
                    drafts::forget(&session, "shop").await?;
                    redirect_to("/seller/shop?saved=1");
                    Ok(())
                }
                Err(e) => {
                    drafts::keep(&session, "shop", &slug, &input).await?;
                    Err(e)
                }
            }
        }
        .await,
    )
}
