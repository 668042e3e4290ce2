//! The header (search, cart, account) and footer, and the session context they read.

use crate::api::auth::{get_session_info, SignOut};
use crate::domain::user::{Role, SessionInfo};
use crate::domain::UserId;
use crate::components::lang::{use_lang, LanguageSwitch};
use crate::i18n::td_string;
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
    let lang = use_lang();
    let l = lang.locale;
    let badges = BadgeText::new(l);
    let badges2 = badges.clone();
    view! {
        <header class="site-header">
            <div class="bar">
                <A href=lang.href("/") attr:class="brand">
                    <span aria-hidden="true">"◭ "</span>
                    "Troika"
                </A>
                <nav aria-label=td_string!(l, nav.label) class="account-nav">
                    <Transition fallback=|| ()>
                        {move || { let badges = badges.clone(); Suspend::new(async move {
                            let info = session.info.await;
                            let (for_messages, for_unread) = (badges.clone(), badges);
                            match info.user {
                                Some(user) => {
                                    view! {
                                        {matches!(user.role, Role::Seller | Role::Mediator | Role::Admin).then(|| view! {
                                            <A href="/seller/orders">{if user.role == Role::Seller { td_string!(l, nav.shop) } else { td_string!(l, nav.orders_desk) }}</A>
                                        })}
                                        {user.role.moderates_reviews().then(|| view! { <A href="/moderation">{td_string!(l, nav.moderation)}</A> })}
                                        {(user.role == Role::Seller).then(|| view! { <A href="/seller/shop">{td_string!(l, nav.your_shop)}</A> })}
                                        {(user.role == Role::Admin).then(|| view! { <A href="/admin/shops">{td_string!(l, nav.shops)}</A> <A href="/admin/roles">{td_string!(l, nav.roles)}</A> })}
                                        <A href="/orders">{td_string!(l, nav.orders)}</A>
                                        <A href="/claims">{td_string!(l, nav.claims)}</A>
                                        <A href="/messages" attr:class="messages-link">
                                            {td_string!(l, nav.messages)}
                                            <CountBadge count=Count::Messages initial=info.messages text=for_messages/>
                                        </A>
                                        <A href="/notifications" attr:class="alerts-link">
                                            <span class="visually-hidden">{td_string!(l, nav.notifications)}</span>
                                            <svg class="bell" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                                                <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6v-5a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z"/>
                                            </svg>
                                            <CountBadge count=Count::Unread initial=info.unread text=for_unread/>
                                        </A>
                                        <A href="/account">{td_string!(l, nav.account)}</A>
                                        <ActionForm action=sign_out attr:class="inline-form">
                                            <button type="submit" class="link-button" title=td_string!(l, nav.signed_in_as, email = user.email.clone()).to_string()>
                                                {td_string!(l, nav.sign_out)}
                                            </button>
                                        </ActionForm>
                                    }.into_any()
                                }
                                None => view! { <A href="/signin">{td_string!(l, nav.sign_in)}</A> }.into_any(),
                            }
                        })}}
                    </Transition>
                    <A href="/cart" attr:class="cart-link">
                        {td_string!(l, nav.cart)} " "
                        <Transition fallback=|| view! { <span class="badge">"0"</span> }>
                            {move || { let badges = badges2.clone(); Suspend::new(async move {
                                let n = session.info.await.cart_count;
                                view! { <CountBadge count=Count::Cart initial=n text=badges/> }
                            })}}
                        </Transition>
                    </A>
                </nav>
                <LanguageSwitch/>
            </div>
            <Form method="GET" action=lang.href("/search") attr:role="search" attr:class="search-form">
                <label for="site-search" class="visually-hidden">{td_string!(l, search.label)}</label>
                <input id="site-search" type="search" name="q" placeholder=td_string!(l, search.placeholder) prop:value=q autocomplete="off"/>
                <button type="submit">{td_string!(l, search.button)}</button>
            </Form>
        </header>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let info = session.info.await;
                match info.user {
                    Some(u) => view! { <SiteLive who=(u.id, info.feed_cursor) reconnecting=td_string!(l, live.reconnecting).to_string()/> }.into_any(),
                    None => view! { <p class="live-status" role="status" data-testid="live-status" data-live="off"></p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The words of the header's counts, in the page's language, for the islands that keep them
/// current ("{n}" stands for the number): the browser's code carries no translations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeText {
    /// Whether 0 takes the singular (French).
    zero_is_one: bool,
    cart: (String, String),
    unread: (String, String),
    messages: (String, String),
}

impl BadgeText {
    fn new(l: crate::domain::locale::Locale) -> Self {
        let pair = |one: &str, other: &str| (one.to_string(), other.to_string());
        BadgeText {
            zero_is_one: crate::domain::locale::is_singular(l, 0),
            cart: pair(&td_string!(l, badge.cart, count = 1i64).to_string(), &td_string!(l, badge.cart, count = 2i64).to_string()),
            unread: pair(&td_string!(l, badge.unread, count = 1i64).to_string(), &td_string!(l, badge.unread, count = 2i64).to_string()),
            messages: pair(&td_string!(l, badge.messages, count = 1i64).to_string(), &td_string!(l, badge.messages, count = 2i64).to_string()),
        }
        .with_placeholders()
    }

    /// "1 item in cart" → "{n} item in cart" (the counts above were rendered with 1 and 2).
    fn with_placeholders(mut self) -> Self {
        for (one, other) in [&mut self.cart, &mut self.unread, &mut self.messages] {
            *one = one.replacen('1', "{n}", 1);
            *other = other.replacen('2', "{n}", 1);
        }
        self
    }

    fn label(&self, count: Count, n: i64) -> String {
        let (one, other) = match count {
            Count::Cart => &self.cart,
            Count::Unread => &self.unread,
            Count::Messages => &self.messages,
        };
        let singular = n == 1 || (n == 0 && self.zero_is_one);
        if singular { one } else { other }.replace("{n}", &n.to_string())
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
fn CountBadge(count: Count, initial: i64, text: BadgeText) -> impl IntoView {
    let live = use_live();
    let n = move || {
        match count {
            Count::Cart => live.cart.get(),
            Count::Unread => live.unread.get(),
            Count::Messages => live.messages.get(),
        }
        .unwrap_or(initial)
    };
    let testid = match count {
        Count::Cart => "cart-count",
        Count::Unread => "unread-count",
        Count::Messages => "messages-count",
    };
    view! {
        <span class="badge" class:badge-zero=move || count != Count::Cart && n() == 0 data-testid=testid aria-label=move || text.label(count, n())>
            {n}
        </span>
    }
}

/// The header's live part, for a signed-in person: follows their feed from the cursor the page was
/// rendered at, and says so discreetly while the connection is down (it retries by itself). Its
/// code loads only for people signed in: a guest has no feed, and the storefront stays light.
#[island(lazy)]
fn SiteLive(who: (UserId, i64), reconnecting: String) -> impl IntoView {
    let live = use_live();
    follow_feed(live, Signal::derive(move || Some(who)));
    view! {
        <p class="live-status" role="status" data-testid="live-status" data-live=move || match live.status.get() {
            LiveStatus::Off => "off",
            LiveStatus::Connecting => "connecting",
            LiveStatus::Live => "live",
            LiveStatus::Reconnecting => "reconnecting",
        }>
            {move || (live.status.get() == LiveStatus::Reconnecting).then(|| reconnecting.clone())}
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
    let l = use_lang().locale;
    view! {
        <footer class="site-footer">
            <p>{td_string!(l, footer.about)}</p>
            <p><A href="/sell">{td_string!(l, footer.sell)}</A>{td_string!(l, footer.sell_more)}</p>
            <p class="muted">{td_string!(l, footer.payments)}</p>
        </footer>
    }
}
