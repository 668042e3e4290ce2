//! The header (search, cart, account) and footer, and the session context they read.

use crate::api::auth::{get_session_info, SignOut};
use crate::domain::user::{Role, SessionInfo};
use crate::domain::UserId;
use crate::live::{follow_feed, use_live, LiveStatus};
use serde::{Deserialize, Serialize};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_location, use_query_map};

/// Who is signed in, the cart and notification badges and the live feed's cursor, in one call per
/// page the server renders (in the browser the header's islands keep the counts current).
#[derive(Clone, Copy)]
pub struct SessionCtx {
    pub info: Resource<SessionInfo>,
}

impl SessionCtx {
    pub fn new() -> Self {
        let location = use_location();
        let key = move || (location.pathname.get(), location.search.get());
        let info = Resource::new(key, |_| async move { get_session_info().await.unwrap_or_default() });
        SessionCtx { info }
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
                            let info = session.info.await;
                            match info.user {
                                Some(user) => {
                                    view! {
                                        {matches!(user.role, Role::Seller | Role::Mediator | Role::Admin).then(|| view! {
                                            <A href="/seller/orders">{if user.role == Role::Seller { "Shop" } else { "Orders desk" }}</A>
                                        })}
                                        {user.role.moderates_reviews().then(|| view! { <A href="/moderation">"Moderation"</A> })}
                                        {(user.role == Role::Seller).then(|| view! { <A href="/seller/shop">"Your shop"</A> })}
                                        {(user.role == Role::Admin).then(|| view! { <A href="/admin/shops">"Shops"</A> <A href="/admin/roles">"Roles"</A> })}
                                        <A href="/orders">"Orders"</A>
                                        <A href="/claims">"Claims"</A>
                                        <A href="/messages" attr:class="messages-link">
                                            "Messages"
                                            <CountBadge count=Count::Messages initial=info.messages/>
                                        </A>
                                        <A href="/notifications" attr:class="alerts-link">
                                            <span class="visually-hidden">"Notifications"</span>
                                            <svg class="bell" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                                                <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6v-5a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z"/>
                                            </svg>
                                            <CountBadge count=Count::Unread initial=info.unread/>
                                        </A>
                                        <A href="/account">"Account"</A>
                                        <ActionForm action=sign_out attr:class="inline-form">
                                            <button type="submit" class="link-button" title=format!("Signed in as {}", user.email)>
                                                "Sign out"
                                            </button>
                                        </ActionForm>
                                    }.into_any()
                                }
                                None => view! { <A href="/signin">"Sign in"</A> }.into_any(),
                            }
                        })}
                    </Transition>
                    <A href="/cart" attr:class="cart-link">
                        "Cart "
                        <Transition fallback=|| view! { <span class="badge">"0"</span> }>
                            {move || Suspend::new(async move {
                                let n = session.info.await.cart_count;
                                view! { <CountBadge count=Count::Cart initial=n/> }
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
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let info = session.info.await;
                match info.user {
                    Some(u) => view! { <SiteLive who=(u.id, info.feed_cursor)/> }.into_any(),
                    None => view! { <p class="live-status" role="status" data-testid="live-status" data-live="off"></p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A count in the header, kept current by the live feed (and by adding to the cart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Count {
    Cart,
    Unread,
    Messages,
}

#[island]
fn CountBadge(count: Count, initial: i64) -> impl IntoView {
    let live = use_live();
    let n = move || {
        match count {
            Count::Cart => live.cart.get(),
            Count::Unread => live.unread.get(),
            Count::Messages => live.messages.get(),
        }
        .unwrap_or(initial)
    };
    let plural = move || if n() == 1 { "" } else { "s" };
    let (testid, label): (&str, fn(i64, &str) -> String) = match count {
        Count::Cart => ("cart-count", |n, s| format!("{n} item{s} in cart")),
        Count::Unread => ("unread-count", |n, _| format!("{n} unread")),
        Count::Messages => ("messages-count", |n, s| format!("{n} unread conversation{s}")),
    };
    view! {
        <span class="badge" class:badge-zero=move || count != Count::Cart && n() == 0 data-testid=testid aria-label=move || label(n(), plural())>
            {n}
        </span>
    }
}

/// The header's live part, for a signed-in person: follows their feed from the cursor the page was
/// rendered at, and says so discreetly while the connection is down (it retries by itself). Its
/// code loads only for people signed in: a guest has no feed, and the storefront stays light.
#[island(lazy)]
fn SiteLive(who: (UserId, i64)) -> impl IntoView {
    let live = use_live();
    follow_feed(live, Signal::derive(move || Some(who)));
    view! {
        <p class="live-status" role="status" data-testid="live-status" data-live=move || match live.status.get() {
            LiveStatus::Off => "off",
            LiveStatus::Connecting => "connecting",
            LiveStatus::Live => "live",
            LiveStatus::Reconnecting => "reconnecting",
        }>
            {move || (live.status.get() == LiveStatus::Reconnecting).then_some("Reconnecting… updates will resume by themselves.")}
        </p>
    }
}

/// The last island of every page. Islands come to life one after the other in the order of the
/// page, each lazy one once its code has arrived, so when this one does, every island before it
/// has: it marks the page (`main[data-hydrated]`), which browser tests wait for.
#[island]
pub fn HydrationMark() -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(main) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main")) {
            let _ = main.set_attribute("data-hydrated", "true");
        }
    });
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"Troika: a marketplace of independent shops. Every order is between you and the shop named on it; Troika referees."</p>
            <p><A href="/sell">"Sell on Troika"</A>": open your own shop."</p>
            <p class="muted">"Payments on this site are simulated: no money moves and no card details are ever asked for."</p>
        </footer>
    }
}
