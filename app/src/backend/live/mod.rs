//! The live hub: wakes the streams that follow a topic (a user's feed, an order's timeline) after a
//! change is committed. The database is the truth: a wake-up carries no data, the woken stream reads
//! what is new after its cursor, so a missed or doubled wake-up can never lose or repeat an event.
//! With Postgres, wake-ups also travel to the other app servers through LISTEN/NOTIFY.

pub mod guard;
pub mod pg;
pub mod sse;
pub mod ws;

use crate::backend::db::{self, Backend, Db};
use crate::domain::room::{RoomId, RoomSignal};
use crate::domain::{ClaimId, OrderId, ThreadId, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{broadcast, watch};

/// The Postgres channel the app servers wake each other on.
pub const CHANNEL: &str = "troika_live";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    User(UserId),
    Order(OrderId),
    /// A dispute room.
    Claim(ClaimId),
    /// A conversation's room.
    Thread(ThreadId),
    /// The review moderation queue.
    Moderation,
    /// A person's account: their sessions or role changed (live connections recheck theirs).
    Account(UserId),
    /// Products' searchable text changed: each app server's search index catches up.
    Catalog,
}

impl Topic {
    fn encode(self) -> String {
        match self {
            Topic::User(u) => format!("u{u}"),
            Topic::Order(o) => format!("o{o}"),
            Topic::Claim(c) => format!("c{c}"),
            Topic::Thread(t) => format!("t{t}"),
            Topic::Moderation => "m0".into(),
            Topic::Account(u) => format!("a{u}"),
            Topic::Catalog => "k0".into(),
        }
    }

    fn decode(s: &str) -> Option<Topic> {
        let (kind, id) = s.split_at_checked(1)?;
        let id = id.parse().ok()?;
        match kind {
            "u" => Some(Topic::User(UserId(id))),
            "o" => Some(Topic::Order(OrderId(id))),
            "c" => Some(Topic::Claim(ClaimId(id))),
            "t" => Some(Topic::Thread(ThreadId(id))),
            "m" => Some(Topic::Moderation),
            "a" => Some(Topic::Account(UserId(id))),
            "k" => Some(Topic::Catalog),
            _ => None,
        }
    }
}

pub struct LiveHub {
    topics: Mutex<HashMap<Topic, watch::Sender<()>>>,
    /// Rooms' passing signals (presence, typing, read markers): data that is not stored, so it
    /// travels as it is; losing one costs nothing (presence repeats, typing expires).
    signals: Mutex<HashMap<RoomId, broadcast::Sender<RoomSignal>>>,
    /// Set when the server shuts down: every stream ends so connections can close.
    closing: watch::Sender<bool>,
    /// This server's id in NOTIFY payloads, so it skips its own (it woke its streams directly).
    instance: String,
    db: Db,
    /// Open live connections per person on this server, and how many one person may hold.
    connections: Mutex<HashMap<UserId, usize>>,
    max_per_user: usize,
}

/// One of a person's live connections; dropping it frees the place.
pub struct LiveSlot {
    hub: Arc<LiveHub>,
    user: UserId,
}

impl Drop for LiveSlot {
    fn drop(&mut self) {
        let mut map = self.hub.connections.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.user);
            }
        }
    }
}

/// A stream's interest in one topic; dropping it forgets the topic when nobody else follows it.
pub struct Subscription {
    pub rx: watch::Receiver<()>,
    closing: watch::Receiver<bool>,
    hub: Arc<LiveHub>,
    topic: Topic,
}

impl Subscription {
    /// Waits for the next wake-up; `false` when the server is shutting down.
    pub async fn woken(&mut self) -> bool {
        let woken = tokio::select! {
            changed = self.rx.changed() => changed.is_ok(),
            _ = self.closing.wait_for(|c| *c) => false,
        };
        woken && !*self.closing.borrow()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut topics = self.hub.topics.lock().unwrap_or_else(PoisonError::into_inner);
        // This subscription's receiver is still alive here: it is the last one when the count is 1.
        if topics.get(&self.topic).is_some_and(|s| s.receiver_count() <= 1) {
            topics.remove(&self.topic);
        }
    }
}

/// A socket's interest in a room's signals; dropping it forgets the room when nobody else is in it.
pub struct SignalSubscription {
    pub rx: broadcast::Receiver<RoomSignal>,
    hub: Arc<LiveHub>,
    room: RoomId,
}

impl Drop for SignalSubscription {
    fn drop(&mut self) {
        let mut map = self.hub.signals.lock().unwrap_or_else(PoisonError::into_inner);
        if map.get(&self.room).is_some_and(|s| s.receiver_count() <= 1) {
            map.remove(&self.room);
        }
    }
}

impl LiveHub {
    /// A hub where one person may hold `max_per_user` live connections at once.
    pub fn new(db: Db, max_per_user: usize) -> Arc<LiveHub> {
        Arc::new(LiveHub {
            topics: Mutex::new(HashMap::new()),
            signals: Mutex::new(HashMap::new()),
            closing: watch::Sender::new(false),
            instance: uuid::Uuid::new_v4().simple().to_string(),
            db,
            connections: Mutex::new(HashMap::new()),
            max_per_user: max_per_user.max(1),
        })
    }

    /// A place for one more live connection of `user`, unless they hold the most already.
    pub fn admit(self: &Arc<Self>, user: UserId) -> Option<LiveSlot> {
        let mut map = self.connections.lock().unwrap_or_else(PoisonError::into_inner);
        let n = map.entry(user).or_insert(0);
        if *n >= self.max_per_user {
            return None;
        }
        *n += 1;
        Some(LiveSlot { hub: self.clone(), user })
    }

    pub fn subscribe(self: &Arc<Self>, topic: Topic) -> Subscription {
        let mut topics = self.topics.lock().unwrap_or_else(PoisonError::into_inner);
        let rx = topics.entry(topic).or_insert_with(|| watch::Sender::new(())).subscribe();
        Subscription { rx, closing: self.closing.subscribe(), hub: self.clone(), topic }
    }

    /// Wakes this server's streams on `topics`.
    pub fn wake(&self, topics: &[Topic]) {
        let map = self.topics.lock().unwrap_or_else(PoisonError::into_inner);
        for t in topics {
            if let Some(s) = map.get(t) {
                s.send_replace(());
            }
        }
    }

    /// Wakes every stream on this server (after the cross-server channel was down: each stream
    /// rereads from its cursor, so whatever was missed is delivered).
    pub fn wake_all(&self) {
        let map = self.topics.lock().unwrap_or_else(PoisonError::into_inner);
        for s in map.values() {
            s.send_replace(());
        }
    }

    /// After a commit: wakes the streams on `topics` here and, with Postgres, on every server.
    pub async fn publish(&self, topics: &[Topic]) {
        self.wake(topics);
        if self.db.backend == Backend::Postgres {
            let list: Vec<String> = topics.iter().map(|t| t.encode()).collect();
            let payload = format!("{}|{}", self.instance, list.join(","));
            if let Err(e) = db::notify_channel(&self.db.pool, CHANNEL, &payload).await {
                // Committed already; other servers' streams catch up on their next wake-up.
                tracing::warn!(error = %e, "could not notify the other app servers");
            }
        }
    }

    /// Follows a room's passing signals on this server (and, with Postgres, from the others).
    pub fn room_signals(self: &Arc<Self>, room: RoomId) -> SignalSubscription {
        let mut map = self.signals.lock().unwrap_or_else(PoisonError::into_inner);
        let rx = map.entry(room).or_insert_with(|| broadcast::Sender::new(64)).subscribe();
        SignalSubscription { rx, hub: self.clone(), room }
    }

    fn deliver_signal(&self, room: RoomId, signal: RoomSignal) {
        let map = self.signals.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(s) = map.get(&room) {
            let _ = s.send(signal);
        }
    }

    /// Passes a signal to the room's sockets here and, with Postgres, on every server.
    pub async fn signal(&self, room: RoomId, signal: RoomSignal) {
        if self.db.backend == Backend::Postgres {
            if let Ok(json) = serde_json::to_string(&signal) {
                let payload = format!("{}|s|{}|{}", self.instance, room.encode(), json);
                if let Err(e) = db::notify_channel(&self.db.pool, CHANNEL, &payload).await {
                    tracing::debug!(error = %e, "could not pass a room signal to the other app servers");
                }
            }
        }
        self.deliver_signal(room, signal);
    }

    /// A NOTIFY payload from another server: wakes the topics it names, or passes a room signal.
    pub fn on_notification(&self, payload: &str) {
        let Some((instance, list)) = payload.split_once('|') else { return };
        if instance == self.instance {
            return;
        }
        if let Some(rest) = list.strip_prefix("s|") {
            let Some((room, json)) = rest.split_once('|') else { return };
            if let (Some(room), Ok(signal)) = (RoomId::decode(room), serde_json::from_str::<RoomSignal>(json)) {
                self.deliver_signal(room, signal);
            }
            return;
        }
        let topics: Vec<Topic> = list.split(',').filter_map(Topic::decode).collect();
        self.wake(&topics);
    }

    /// Ends every stream (graceful shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    pub fn is_closing(&self) -> bool {
        *self.closing.borrow()
    }

    /// How many topics have at least one stream on this server.
    pub fn topic_count(&self) -> usize {
        self.topics.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_encode_and_decode() {
        for t in [Topic::User(UserId(3)), Topic::Order(OrderId(12)), Topic::Claim(ClaimId(5)), Topic::Thread(ThreadId(9)), Topic::Moderation, Topic::Account(UserId(7))] {
            assert_eq!(Topic::decode(&t.encode()), Some(t));
        }
        assert_eq!(Topic::decode("x1"), None);
        assert_eq!(Topic::decode("u"), None);
        assert_eq!(Topic::decode(""), None);
    }

    #[tokio::test]
    async fn a_person_holds_a_bounded_number_of_live_connections() {
        sqlx::any::install_default_drivers();
        let db = Db { pool: sqlx::any::AnyPoolOptions::new().connect_lazy("sqlite::memory:").unwrap(), backend: Backend::Sqlite, url: String::new() };
        let hub = LiveHub::new(db, 2);
        let (a, b) = (hub.admit(UserId(1)).unwrap(), hub.admit(UserId(1)).unwrap());
        assert!(hub.admit(UserId(1)).is_none(), "a third connection is refused");
        assert!(hub.admit(UserId(2)).is_some(), "others are not affected");
        drop(a);
        assert!(hub.admit(UserId(1)).is_some(), "a closed connection frees its place");
        drop(b);
    }
}
