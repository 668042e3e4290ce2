//! Troika: the app, compiled twice: `ssr` (server) and `hydrate` (browser). Islands: the server
//! renders every page; the browser runs only the interactive islands (`#[island]`) in it, and
//! loads the heavy ones (`#[island(lazy)]`: the rooms, the moderation queue) only on their pages.
#![recursion_limit = "512"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod live;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod backend;

use components::layout::{Footer, Header, HydrationMark, SessionCtx};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};
use pages::*;

/// The HTML document around the app (server side only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content"/>
                <meta name="theme-color" content="#1f4e46"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // Content-hashed names when the build hashes files (release): cached for a year.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|text: String| if text.is_empty() { "Troika marketplace".to_string() } else { format!("{text} · Troika") }/>
        <Router>
            <SessionProvider>
                <a class="skip-link" href="#main">"Skip to content"</a>
                <Header/>
                // `data-hydrated` is set once every island of the page runs (`HydrationMark`).
                <main id="main" tabindex="-1">
                    // Every route renders completely before it is sent (SsrMode::Async): the page works
                    // without JavaScript (out-of-order streaming fills suspense holes with scripts), and
                    // statuses decided by data (404, 401) reach the response. The queries take ms.
                    <Routes fallback=|| view! { <NotFoundPage/> }>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                        <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                        <Route path=path!("/category/:slug") view=CategoryPage ssr=SsrMode::Async/>
                        <Route path=path!("/product/:id") view=ProductPage ssr=SsrMode::Async/>
                        <Route path=path!("/shop/:slug") view=ShopPage ssr=SsrMode::Async/>
                        <Route path=path!("/cart") view=CartPage ssr=SsrMode::Async/>
                        <Route path=path!("/checkout") view=CheckoutPage ssr=SsrMode::Async/>
                        <Route path=path!("/orders") view=OrdersPage ssr=SsrMode::Async/>
                        <Route path=path!("/orders/:id") view=OrderPage ssr=SsrMode::Async/>
                        <Route path=path!("/orders/:id/claim") view=OpenClaimPage ssr=SsrMode::Async/>
                        <Route path=path!("/orders/:id/review/:product") view=WriteReviewPage ssr=SsrMode::Async/>
                        <Route path=path!("/reviews") view=MyReviewsPage ssr=SsrMode::Async/>
                        <Route path=path!("/moderation") view=ModerationPage ssr=SsrMode::Async/>
                        <Route path=path!("/moderation/log") view=ModerationLogPage ssr=SsrMode::Async/>
                        <Route path=path!("/seller/performance") view=SellerPerformancePage ssr=SsrMode::Async/>
                        <Route path=path!("/claims") view=ClaimsPage ssr=SsrMode::Async/>
                        <Route path=path!("/claims/:id") view=ClaimRoomPage ssr=SsrMode::Async/>
                        <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async/>
                        <Route path=path!("/messages") view=MessagesPage ssr=SsrMode::Async/>
                        <Route path=path!("/messages/:id") view=ThreadPage ssr=SsrMode::Async/>
                        <Route path=path!("/seller/inbox") view=SellerInboxPage ssr=SsrMode::Async/>
                        <Route path=path!("/seller/replies") view=SavedRepliesPage ssr=SsrMode::Async/>
                        <Route path=path!("/seller/orders") view=SellerOrdersPage ssr=SsrMode::Async/>
                        <Route path=path!("/signin") view=SignInPage ssr=SsrMode::Async/>
                        <Route path=path!("/signup") view=SignUpPage ssr=SsrMode::Async/>
                        <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/roles") view=AdminRolesPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/shops") view=AdminShopsPage ssr=SsrMode::Async/>
                        <Route path=path!("/sell") view=SellPage ssr=SsrMode::Async/>
                        <Route path=path!("/seller/shop") view=MyShopPage ssr=SsrMode::Async/>
                        <Route path=path!("/seller/products") view=InventoryPage ssr=SsrMode::Async/>
                        <Route path=path!("/seller/earnings") view=EarningsPage ssr=SsrMode::Async/>
                        <Route path=path!("/seller/statements/:id") view=StatementPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/commissions") view=AdminCommissionsPage ssr=SsrMode::Async/>
                        <Route path=path!("/seller/products/new") view=ProductEditorPage ssr=SsrMode::Async/>
                        <Route path=path!("/seller/products/:id") view=ProductEditorPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
                <Footer/>
                <HydrationMark/>
            </SessionProvider>
        </Router>
    }
}

#[component]
fn SessionProvider(children: Children) -> impl IntoView {
    provide_context(SessionCtx::new());
    provide_context(live::LiveCtx::new());
    children()
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
