//! One page component per file.

mod account;
mod admin;
mod admin_shops;
mod cart;
mod checkout;
mod claim;
mod claims;
mod earnings;
mod home;
mod inventory;
mod listing;
mod messages;
mod moderation;
mod moderation_log;
mod my_shop;
mod not_found;
mod notifications;
mod open_claim;
pub(crate) mod order;
mod orders;
mod performance;
mod product;
mod reviews;
mod sell;
mod seller_orders;
mod shop;
mod write_review;

pub use account::{AccountPage, SignInPage, SignUpPage};
pub use admin::AdminRolesPage;
pub use admin_shops::AdminShopsPage;
pub use inventory::{InventoryPage, ProductEditorPage};
pub use my_shop::MyShopPage;
pub use sell::SellPage;
pub use cart::CartPage;
pub use checkout::CheckoutPage;
pub use claim::ClaimRoomPage;
pub use claims::ClaimsPage;
pub use open_claim::OpenClaimPage;
pub use earnings::{AdminCommissionsPage, EarningsPage, StatementPage};
pub use home::HomePage;
pub use listing::{CategoryPage, SearchPage};
pub use messages::{MessagesPage, SavedRepliesPage, SellerInboxPage, ThreadPage};
pub(crate) use messages::{ask_draft, AskSellerForm, MessageSellerForm};
pub use moderation::ModerationPage;
pub use moderation_log::ModerationLogPage;
pub use not_found::NotFoundPage;
pub use notifications::NotificationsPage;
pub use order::OrderPage;
pub use orders::OrdersPage;
pub use performance::SellerPerformancePage;
pub use product::ProductPage;
pub use reviews::MyReviewsPage;
pub use seller_orders::SellerOrdersPage;
pub use shop::ShopPage;
pub use write_review::WriteReviewPage;

/// "Loading…" for suspense fallbacks, announced politely.
pub(crate) fn loading() -> impl leptos::IntoView {
    use leptos::prelude::*;
    let l = crate::components::lang::use_locale();
    view! { <p class="loading" role="status">{crate::i18n::td_string!(l, loading)}</p> }
}
