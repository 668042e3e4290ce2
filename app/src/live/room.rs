//! Browser side of a room (a dispute's or a conversation's): one WebSocket per open room that resumes after the last entry
//! it saw, retries with back-off when dropped, and carries typing and read signals up. Messages
//! themselves are sent over HTTP (`post_claim_message`, `post_thread_message`) with a client id, so a send that is
//! retried after a reconnect is stored once. On the server these functions do nothing.

use crate::domain::room::{ClientFrame, RoomFrame, RoomId};
use crate::live::LiveStatus;

/// A fresh id for a message this browser sends (kept across retries of that message).
pub fn new_client_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        if let Some(id) = web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()) {
            return id;
        }
        let a = (js_sys::Math::random() * 1e15) as u64;
        let b = (js_sys::Date::now()) as u64;
        format!("m{a:x}-{b:x}")
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// An open room connection; dropping it does not close it: call `stop`.
#[derive(Clone)]
pub struct RoomConn {
    #[cfg(feature = "hydrate")]
    inner: std::rc::Rc<browser::Socket>,
}

impl RoomConn {
    /// Connects to `room` after `after`, calling `on_frame` for each frame and `on_status` when
    /// the connection comes and goes.
    pub fn start(room: RoomId, after: i64, on_frame: impl Fn(RoomFrame) + 'static, on_status: impl Fn(LiveStatus) + 'static) -> Option<RoomConn> {
        #[cfg(feature = "hydrate")]
        {
            Some(RoomConn { inner: browser::Socket::start(room, after, Box::new(on_frame), Box::new(on_status)) })
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (room, after, on_frame, on_status);
            None
        }
    }

    /// Sends a signal if connected (signals are passing: one lost while offline costs nothing).
    pub fn send(&self, frame: &ClientFrame) {
        #[cfg(feature = "hydrate")]
        self.inner.send(frame);
        #[cfg(not(feature = "hydrate"))]
        let _ = frame;
    }

    pub fn stop(&self) {
        #[cfg(feature = "hydrate")]
        self.inner.stop();
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use leptos::prelude::set_timeout;
    use std::cell::{Cell, RefCell};
    use std::rc::{Rc, Weak};
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

    type Handlers = (Closure<dyn FnMut(Event)>, Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(CloseEvent)>);

    pub struct Socket {
        room: RoomId,
        last: Cell<i64>,
        attempts: Cell<u32>,
        stopped: Cell<bool>,
        ws: RefCell<Option<WebSocket>>,
        handlers: RefCell<Option<Handlers>>,
        on_frame: Box<dyn Fn(RoomFrame)>,
        on_status: Box<dyn Fn(LiveStatus)>,
    }

    impl Socket {
        pub fn start(room: RoomId, after: i64, on_frame: Box<dyn Fn(RoomFrame)>, on_status: Box<dyn Fn(LiveStatus)>) -> Rc<Socket> {
            let s = Rc::new(Socket {
                room,
                last: Cell::new(after),
                attempts: Cell::new(0),
                stopped: Cell::new(false),
                ws: RefCell::new(None),
                handlers: RefCell::new(None),
                on_frame,
                on_status,
            });
            (s.on_status)(LiveStatus::Connecting);
            Socket::connect(&s);
            s
        }

        fn url(&self) -> Option<String> {
            let loc = web_sys::window()?.location();
            let scheme = if loc.protocol().ok()? == "https:" { "wss" } else { "ws" };
            Some(format!("{scheme}://{}{}?after={}", loc.host().ok()?, self.room.socket_path(), self.last.get()))
        }

        fn connect(this: &Rc<Socket>) {
            if this.stopped.get() {
                return;
            }
            let Some(ws) = this.url().and_then(|u| WebSocket::new(&u).ok()) else {
                Socket::retry_later(Rc::downgrade(this));
                return;
            };
            let weak = Rc::downgrade(this);
            let on_open = Closure::<dyn FnMut(Event)>::new({
                let weak = weak.clone();
                move |_| {
                    if let Some(s) = weak.upgrade() {
                        s.attempts.set(0);
                    }
                }
            });
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
                let weak = weak.clone();
                move |e: MessageEvent| {
                    let Some(s) = weak.upgrade() else { return };
                    let Some(text) = e.data().as_string() else { return };
                    let Ok(frame) = serde_json::from_str::<RoomFrame>(&text) else { return };
                    match &frame {
                        // Never step back: an entry already seen is dropped.
                        RoomFrame::Entry { entry } if entry.seq <= s.last.get() => return,
                        RoomFrame::Entry { entry } => s.last.set(entry.seq),
                        RoomFrame::Ready { cursor } => {
                            s.last.set(*cursor);
                            (s.on_status)(LiveStatus::Live);
                        }
                        RoomFrame::Resync { cursor } => s.last.set(*cursor),
                        _ => {}
                    }
                    (s.on_frame)(frame);
                }
            });
            let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_| {
                let Some(s) = weak.upgrade() else { return };
                if s.stopped.get() {
                    return;
                }
                (s.on_status)(LiveStatus::Reconnecting);
                Socket::retry_later(weak.clone());
            });
            ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
            if let Some(old) = this.ws.replace(Some(ws)) {
                old.set_onclose(None);
                let _ = old.close();
            }
            // The old handlers are dropped here, outside their own calls (reconnects run from a timer).
            this.handlers.replace(Some((on_open, on_message, on_close)));
        }

        /// Reconnects after a back-off (see `next_backoff`).
        fn retry_later(weak: Weak<Socket>) {
            let Some(s) = weak.upgrade() else { return };
            let delay = crate::live::next_backoff(&s.attempts);
            set_timeout(
                move || {
                    if let Some(s) = weak.upgrade() {
                        Socket::connect(&s);
                    }
                },
                delay,
            );
        }

        pub fn send(&self, frame: &ClientFrame) {
            if let (Some(ws), Ok(text)) = (self.ws.borrow().as_ref(), serde_json::to_string(frame)) {
                if ws.ready_state() == WebSocket::OPEN {
                    let _ = ws.send_with_str(&text);
                }
            }
        }

        pub fn stop(&self) {
            self.stopped.set(true);
            if let Some(ws) = self.ws.borrow_mut().take() {
                ws.set_onclose(None);
                let _ = ws.close();
            }
        }
    }
}
