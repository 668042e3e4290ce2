//! The header (search, cart, account) and footer, and the session context they read.

use crate::api::auth::{current_user, SignOut};
use crate::api::cart::get_cart;
use crate::domain::user::SessionUser;
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_location, use_query_map};

/// Who is signed in and how full the cart is; refreshed on navigation and after cart actions.
#[derive(Clone, Copy)]
pub struct SessionCtx {
    pub version: RwSignal<u32>,
    pub user: Resource<Option<SessionUser>>,
    pub cart_count: Resource<i64>,
}

impl SessionCtx {
    pub fn new() -> Self {
        let version = RwSignal::new(0u32);
        let location = use_location();
        let key = move || (location.pathname.get(), location.search.get(), version.get());
        let user = Resource::new(key, |_| async move { current_user().await.ok().flatten() });
        let cart_count = Resource::new(key, |_| async move { get_cart().await.map(|c| c.item_count()).unwrap_or(0) });
        SessionCtx { version, user, cart_count }
    }

    pub fn refresh(&self) {
        self.version.update(|v| *v += 1);
    }
}

impl Default for SessionCtx {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_session() -> SessionCtx {
    use_context::<SessionCtx>().unwrap_or_default()
}

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let sign_out = ServerAction::<SignOut>::new();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    view! {
        <header class="site-header">
            <div class="bar">
                <A href="/" attr:class="brand">
                    <span aria-hidden="true">"◭ "</span>
                    "Troika"
                </A>
                <nav aria-label="Account" class="account-nav">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            match session.user.await {
                                Some(user) => view! {
                                    <A href="/orders">"Orders"</A>
                                    <ActionForm action=sign_out attr:class="inline-form">
                                        <button type="submit" class="link-button" title=format!("Signed in as {}", user.email)>
                                            "Sign out"
                                        </button>
                                    </ActionForm>
                                }.into_any(),
                                None => view! { <A href="/signin">"Sign in"</A> }.into_any(),
                            }
                        })}
                    </Transition>
                    <A href="/cart" attr:class="cart-link">
                        "Cart "
                        <Transition fallback=|| view! { <span class="badge">"0"</span> }>
                            {move || Suspend::new(async move {
                                let n = session.cart_count.await;
                                view! {
                                    <span class="badge" data-testid="cart-count" aria-label=format!("{n} item{} in cart", if n == 1 { "" } else { "s" })>
                                        {n}
                                    </span>
                                }
                            })}
                        </Transition>
                    </A>
                </nav>
            </div>
            <Form method="GET" action="/search" attr:role="search" attr:class="search-form">
                <label for="site-search" class="visually-hidden">"Search products"</label>
                <input id="site-search" type="search" name="q" placeholder="Search products, shops…" prop:value=q autocomplete="off"/>
                <button type="submit">"Search"</button>
            </Form>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"Troika: a marketplace of independent shops. Every order is between you and the shop named on it; Troika referees."</p>
            <p class="muted">"Payments on this site are simulated: no money moves and no card details are ever asked for."</p>
        </footer>
    }
}
