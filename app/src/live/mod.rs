//! Browser side of real time. One live connection per tab follows the signed-in user's feed (every
//! change to their orders, and their unread count); the parts of a page that show what changed
//! reread themselves when it says so (`region::LiveRegion`). Pages are islands: one `LiveCtx` per
//! tab, shared by every island on it (an island has no context from the page around it).
//! The connection resumes after the last event it saw, retries with back-off when dropped, and says
//! so discreetly ("Reconnecting…"). On the server these functions do nothing: pages render the
//! latest state, and work without JavaScript.

use crate::domain::live::LiveMessage;
use crate::domain::{OrderId, UserId};
use leptos::prelude::*;

pub mod region;
pub mod room;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveStatus {
    /// Not following anything (signed out, or before the app has loaded).
    Off,
    Connecting,
    Live,
    Reconnecting,
}

#[derive(Clone, Copy)]
pub struct LiveCtx {
    pub status: RwSignal<LiveStatus>,
    /// The last order that changed, with its feed sequence number (so each change is distinct).
    pub changed: RwSignal<Option<(OrderId, i64)>>,
    /// Bumped when the connection fell too far behind: everything shown should be reloaded.
    pub epoch: RwSignal<u64>,
    /// The unread notification count, as last pushed (the header falls back to the rendered one).
    pub unread: RwSignal<Option<i64>>,
    /// Conversations with a message not read yet, as last pushed.
    pub messages: RwSignal<Option<i64>>,
    /// When the newest message in the person's conversations came: inboxes reread when it moves.
    pub inbox: RwSignal<i64>,
    /// Items in the cart, as last known in this tab (set after adding to it).
    pub cart: RwSignal<Option<i64>>,
}

impl LiveCtx {
    pub fn new() -> Self {
        LiveCtx {
            status: RwSignal::new(LiveStatus::Off),
            changed: RwSignal::new(None),
            epoch: RwSignal::new(0),
            unread: RwSignal::new(None),
            messages: RwSignal::new(None),
            inbox: RwSignal::new(0),
            cart: RwSignal::new(None),
        }
    }

    /// Changes whenever any of the user's orders changes: lists and dashboards refetch on it.
    pub fn orders_version(&self) -> (Option<(OrderId, i64)>, u64) {
        (self.changed.get(), self.epoch.get())
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn apply(&self, msg: &LiveMessage) {
        if let Some(n) = msg.unread() {
            self.unread.set(Some(n));
        }
        match msg {
            LiveMessage::Order { seq, order_id, .. } => self.changed.set(Some((*order_id, *seq))),
            LiveMessage::Resync { .. } => self.epoch.update(|e| *e += 1),
            LiveMessage::Messages { messages, stamp, .. } => {
                self.messages.set(Some(*messages));
                if self.inbox.get_untracked() != *stamp {
                    self.inbox.set(*stamp);
                }
            }
            LiveMessage::Ready { .. } => {}
        }
    }
}

impl Default for LiveCtx {
    fn default() -> Self {
        Self::new()
    }
}

/// The tab's live state: the page's on the server, the one shared by every island in the browser.
pub fn use_live() -> LiveCtx {
    if let Some(ctx) = use_context::<LiveCtx>() {
        return ctx;
    }
    #[cfg(feature = "hydrate")]
    {
        thread_local! {
            // Owned by a root that is never disposed: it lives as long as the tab.
            static TAB: LiveCtx = {
                let owner = Owner::new_root(None);
                let ctx = owner.with(LiveCtx::new);
                std::mem::forget(owner);
                ctx
            };
        }
        TAB.with(|ctx| *ctx)
    }
    #[cfg(not(feature = "hydrate"))]
    LiveCtx::new()
}

/// Follows `who`'s feed (user, and the feed cursor the page was rendered at) for as long as they
/// are signed in; switches when someone else signs in, stops on sign-out.
pub fn follow_feed(live: LiveCtx, who: Signal<Option<(UserId, i64)>>) {
    #[cfg(feature = "hydrate")]
    {
        use std::rc::Rc;
        let current: StoredValue<Option<(UserId, Rc<browser::Tail>)>, LocalStorage> = StoredValue::new_local(None);
        Effect::new(move |_| {
            let next = who.get();
            let same = current.with_value(|c| c.as_ref().map(|(u, _)| *u) == next.map(|(u, _)| u));
            if same {
                return;
            }
            current.update_value(|c| {
                if let Some((_, tail)) = c.take() {
                    tail.stop();
                }
                live.status.set(LiveStatus::Off);
                if let Some((user, cursor)) = next {
                    let on_message = move |msg: LiveMessage| live.apply(&msg);
                    let on_status = move |s: LiveStatus| live.status.set(s);
                    *c = Some((user, browser::Tail::start("/live/feed".into(), cursor, on_message, on_status)));
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (live, who);
}

/// Follows one order's timeline (for marketplace staff, who have no feed entry for other people's
/// orders), calling `on_change` for every new history entry after `after`. Stops with the view.
pub fn follow_order(order: OrderId, after: i64, on_change: impl Fn() + Send + Sync + 'static) {
    follow_stream(format!("/live/orders/{order}"), after, on_change);
}

/// Follows the review moderation queue (moderators), calling `on_change` whenever it changes.
/// Stops with the view.
pub fn follow_moderation(on_change: impl Fn() + Send + Sync + 'static) {
    follow_stream("/live/moderation".into(), 0, on_change);
}

/// Follows a stream whose events say "something changed, reread it" (with resume after `after`).
fn follow_stream(url: String, after: i64, on_change: impl Fn() + Send + Sync + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let tail = browser::Tail::start(
            url,
            after,
            move |msg: LiveMessage| {
                if matches!(msg, LiveMessage::Order { .. } | LiveMessage::Resync { .. }) {
                    on_change()
                }
            },
            |_| {},
        );
        let tail = leptos::__reexports::send_wrapper::SendWrapper::new(tail);
        on_cleanup(move || tail.stop());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, after, on_change);
}

/// Posts `form` as a server function call (asking for JSON, as the hydrated forms do) and gives the
/// answer's status and text; `None` when the server could not be reached. Far lighter than a
/// `ServerAction` (no server-function client, no error types): the storefront's code stays small.
#[cfg(feature = "hydrate")]
pub async fn post_form(form: &web_sys::HtmlFormElement) -> Option<(u16, String)> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    let headers = web_sys::Headers::new().ok()?;
    headers.set("accept", "application/json").ok()?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&body);
    let response: web_sys::Response = JsFuture::from(web_sys::window()?.fetch_with_str_and_init(&form.action(), &init)).await.ok()?.dyn_into().ok()?;
    let text = JsFuture::from(response.text().ok()?).await.ok()?.as_string().unwrap_or_default();
    Some((response.status(), text))
}

/// The wait before the next reconnect: 0.5 s, 1 s, 2 s … up to 30 s, with jitter so that clients
/// do not all come back at once; counts the attempt.
#[cfg(feature = "hydrate")]
pub(crate) fn next_backoff(attempts: &std::cell::Cell<u32>) -> std::time::Duration {
    let n = attempts.get().min(6);
    attempts.set(n + 1);
    let base = 500u64 << n;
    let jitter = (js_sys::Math::random() * base as f64 * 0.3) as u64;
    std::time::Duration::from_millis((base + jitter).min(30_000))
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::LiveStatus;
    use crate::domain::live::LiveMessage;
    use leptos::prelude::set_timeout;
    use std::cell::{Cell, RefCell};
    use std::rc::{Rc, Weak};
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{Event, EventSource, MessageEvent};

    type Handlers = (Closure<dyn FnMut(Event)>, Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(Event)>);

    /// One server-sent event stream that resumes after the last id it saw.
    pub struct Tail {
        url: String,
        last: Cell<i64>,
        attempts: Cell<u32>,
        stopped: Cell<bool>,
        source: RefCell<Option<EventSource>>,
        handlers: RefCell<Option<Handlers>>,
        on_message: Box<dyn Fn(LiveMessage)>,
        on_status: Box<dyn Fn(LiveStatus)>,
    }

    impl Tail {
        pub fn start(url: String, after: i64, on_message: impl Fn(LiveMessage) + 'static, on_status: impl Fn(LiveStatus) + 'static) -> Rc<Tail> {
            let tail = Rc::new(Tail {
                url,
                last: Cell::new(after),
                attempts: Cell::new(0),
                stopped: Cell::new(false),
                source: RefCell::new(None),
                handlers: RefCell::new(None),
                on_message: Box::new(on_message),
                on_status: Box::new(on_status),
            });
            (tail.on_status)(LiveStatus::Connecting);
            Tail::connect(&tail);
            tail
        }

        fn connect(this: &Rc<Tail>) {
            if this.stopped.get() {
                return;
            }
            let url = format!("{}?after={}", this.url, this.last.get());
            let Ok(es) = EventSource::new(&url) else {
                Tail::retry_later(Rc::downgrade(this));
                return;
            };
            let weak = Rc::downgrade(this);
            let on_open = Closure::<dyn FnMut(Event)>::new({
                let weak = weak.clone();
                move |_| {
                    if let Some(t) = weak.upgrade() {
                        t.attempts.set(0);
                        (t.on_status)(LiveStatus::Live);
                    }
                }
            });
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
                let weak = weak.clone();
                move |e: MessageEvent| {
                    let Some(t) = weak.upgrade() else { return };
                    let Some(text) = e.data().as_string() else { return };
                    if let Ok(msg) = serde_json::from_str::<LiveMessage>(&text) {
                        // Never step back: a replayed or duplicate event is dropped.
                        if msg.cursor() <= t.last.get() && matches!(msg, LiveMessage::Order { .. }) {
                            return;
                        }
                        t.last.set(msg.cursor());
                        (t.on_message)(msg);
                    }
                }
            });
            let on_error = Closure::<dyn FnMut(Event)>::new(move |_| {
                let Some(t) = weak.upgrade() else { return };
                if t.stopped.get() {
                    return;
                }
                (t.on_status)(LiveStatus::Reconnecting);
                let closed = t.source.borrow().as_ref().map(|s| s.ready_state() == EventSource::CLOSED).unwrap_or(true);
                if closed {
                    // The browser gave up (an error status, say): reconnect ourselves, later.
                    Tail::retry_later(weak.clone());
                }
                // Otherwise the browser reconnects by itself, sending Last-Event-ID.
            });
            es.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            es.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            if let Some(old) = this.source.replace(Some(es)) {
                old.close();
            }
            // The old handlers are dropped here, outside any of their own calls (reconnects run
            // from a timer), which wasm-bindgen requires.
            this.handlers.replace(Some((on_open, on_message, on_error)));
        }

        /// Reconnects after 0.5 s, 1 s, 2 s … up to 30 s, with jitter so clients do not stampede.
        fn retry_later(weak: Weak<Tail>) {
            let Some(t) = weak.upgrade() else { return };
            if let Some(es) = t.source.borrow().as_ref() {
                es.close();
            }
            let delay = super::next_backoff(&t.attempts);
            set_timeout(
                move || {
                    if let Some(t) = weak.upgrade() {
                        Tail::connect(&t);
                    }
                },
                delay,
            );
        }

        pub fn stop(&self) {
            self.stopped.set(true);
            if let Some(es) = self.source.borrow_mut().take() {
                es.close();
            }
        }
    }
}
