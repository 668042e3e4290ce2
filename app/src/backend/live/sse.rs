//! The live streams, as server-sent events: `/live/feed` (the signed-in user's order changes, unread
//! count and conversation counts) and `/live/orders/{id}` (one order's timeline, for its parties and staff).
//! A stream subscribes before it reads, reads from the database after its cursor, and resumes
//! after the `Last-Event-ID` header (or `?after=`) so a reconnecting client misses nothing and
//! gets nothing twice; a client too far behind is told to resync.

use super::guard::{refuse, LiveGuard};
use super::{Subscription, Topic};
use crate::backend::db::{feed, orders, Db, DbResult};
use crate::backend::AppState;
use crate::domain::live::{LiveMessage, MAX_REPLAY};
use crate::domain::order::OrderStatus;
use crate::domain::{OrderId, UserId};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tower_sessions::Session;

#[derive(Debug, Default, serde::Deserialize)]
pub struct Resume {
    pub after: Option<i64>,
}

/// What a stream follows, and how it reads it.
#[derive(Clone, Copy)]
enum Source {
    Feed(UserId),
    Order(OrderId),
}

impl Source {
    fn topic(self) -> Topic {
        match self {
            Source::Feed(u) => Topic::User(u),
            Source::Order(o) => Topic::Order(o),
        }
    }

    async fn cursor(self, db: &Db) -> DbResult<i64> {
        match self {
            Source::Feed(u) => feed::cursor(&db.pool, u).await,
            Source::Order(o) => orders::last_event_id(&db.pool, o).await,
        }
    }

    async fn after(self, db: &Db, after: i64) -> DbResult<Vec<(i64, OrderId, OrderStatus)>> {
        match self {
            Source::Feed(u) => feed::after(&db.pool, u, after, MAX_REPLAY + 1).await,
            Source::Order(o) => Ok(orders::events_after(&db.pool, o, after, MAX_REPLAY + 1)
                .await?
                .into_iter()
                .map(|(id, status)| (id, o, status))
                .collect()),
        }
    }

    async fn unread(self, db: &Db) -> DbResult<Option<i64>> {
        match self {
            Source::Feed(u) => Ok(Some(feed::unread_count(&db.pool, u).await?)),
            Source::Order(_) => Ok(None),
        }
    }
}

struct Tail {
    db: Db,
    source: Source,
    sub: Subscription,
    guard: LiveGuard,
    /// The last id sent (or the resume point before anything was sent).
    cursor: i64,
    resume: Option<i64>,
    started: bool,
    queue: VecDeque<LiveMessage>,
    /// Feed: the conversation counts last sent (unread, newest message), sent again when they move.
    messages: Option<(i64, i64)>,
}

impl Tail {
    /// Reads what is new after the cursor into the queue.
    async fn read(&mut self) -> DbResult<()> {
        let first = !self.started;
        self.started = true;
        let after = if first {
            match self.resume {
                Some(after) => after,
                None => {
                    self.cursor = self.source.cursor(&self.db).await?;
                    let unread = self.source.unread(&self.db).await?;
                    self.queue.push_back(LiveMessage::Ready { cursor: self.cursor, unread });
                    return Ok(());
                }
            }
        } else {
            self.cursor
        };
        let rows = self.source.after(&self.db, after).await?;
        let unread = self.source.unread(&self.db).await?;
        // Resync instead of replaying when the client is too far behind, when entries it missed
        // were pruned (feed numbers have no gaps otherwise), or when its cursor is not one of ours
        // (ahead of the stream: the database was reset under it).
        let gap = matches!(self.source, Source::Feed(_)) && rows.first().is_some_and(|r| r.0 > after + 1);
        let stray = first && rows.is_empty() && after != self.source.cursor(&self.db).await?;
        if rows.len() as i64 > MAX_REPLAY || gap || stray {
            self.cursor = self.source.cursor(&self.db).await?;
            self.queue.push_back(LiveMessage::Resync { cursor: self.cursor, unread });
            return Ok(());
        }
        if first {
            self.cursor = after;
            self.queue.push_back(LiveMessage::Ready { cursor: after, unread });
        }
        for (seq, order_id, status) in rows {
            self.cursor = seq;
            self.queue.push_back(LiveMessage::Order { seq, order_id, status, unread });
        }
        Ok(())
    }

    async fn next(mut self) -> Option<(Result<Event, Infallible>, Tail)> {
        loop {
            if let Some(msg) = self.queue.pop_front() {
                let event = Event::default().id(msg.cursor().to_string()).data(serde_json::to_string(&msg).unwrap_or_default());
                return Some((Ok(event), self));
            }
            if self.started {
                tokio::select! {
                    woken = self.sub.woken() => {
                        if !woken {
                            return None; // shutting down
                        }
                    }
                    // Signed out, password changed, role lost: the stream closes.
                    _ = self.guard.ended() => return None,
                }
            }
            if let Err(e) = self.read().await {
                // The client reconnects (with back-off) and resumes from its last id.
                tracing::warn!(error = %e, "live stream ended: could not read from the database");
                return None;
            }
            if let Source::Feed(user) = self.source {
                match crate::backend::db::threads::unread(&self.db.pool, user).await {
                    Ok(counts) if Some(counts) != self.messages => {
                        self.messages = Some(counts);
                        let unread = self.queue.back().and_then(LiveMessage::unread);
                        self.queue.push_back(LiveMessage::Messages { cursor: self.cursor, unread, messages: counts.0, stamp: counts.1 });
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "live stream ended: could not read the conversations");
                        return None;
                    }
                }
            }
        }
    }
}

fn stream_response(state: &AppState, guard: LiveGuard, source: Source, headers: &HeaderMap, resume: Resume) -> Response {
    // Subscribe before the first read, so a change committed in between still wakes the stream.
    let sub = state.live.subscribe(source.topic());
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(resume.after)
        .filter(|n| *n >= 0);
    let tail = Tail { db: state.db.clone(), source, sub, guard, cursor: 0, resume, started: false, queue: VecDeque::new(), messages: None };
    sse(stream::unfold(tail, Tail::next))
}

/// An event stream as a response: kept alive through proxies, never buffered or stored.
fn sse(events: impl Stream<Item = Result<Event, Infallible>> + Send + 'static) -> Response {
    let mut res = Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response();
    res.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    res.headers_mut().insert("cache-control", HeaderValue::from_static("no-store"));
    res
}

/// `GET /live/feed`: the signed-in user's live feed.
pub async fn feed_stream(State(state): State<AppState>, session: Session, headers: HeaderMap, Query(resume): Query<Resume>) -> Response {
    match LiveGuard::open(&state, &session).await {
        Ok((user, guard)) => stream_response(&state, guard, Source::Feed(user.id), &headers, resume),
        Err(res) => res,
    }
}

/// `GET /live/orders/{id}`: one order's timeline, for its buyer, its seller and marketplace staff.
/// Anyone else gets 404, like the order page, so order numbers reveal nothing.
pub async fn order_stream(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Query(resume): Query<Resume>,
) -> Response {
    let (user, guard) = match LiveGuard::open(&state, &session).await {
        Ok(u) => u,
        Err(res) => return res,
    };
    let order = OrderId(id);
    match orders::parties(&state.db.pool, order).await {
        Ok(Some(p)) if p.buyer_id == user.id.0 || p.shop_owner_id == user.id.0 || user.role.is_staff() => {
            stream_response(&state, guard, Source::Order(order), &headers, resume)
        }
        Ok(_) => refuse(StatusCode::NOT_FOUND, "There is no such order in your account."),
        Err(e) => {
            crate::backend::internal(e);
            refuse(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.")
        }
    }
}

/// `GET /live/moderation`: tells moderators' queue pages when the queue changes (a new review, an
/// edit, a report, an appeal, a claim, a decision): `ready`, then a `resync` for each change, each
/// with how many items wait. The page rereads the queue; a wake-up carries no data, so a missed
/// or doubled one costs nothing; a reconnecting page (`Last-Event-ID` or `?after=` of 1 or more)
/// starts with a `resync`, as it may have missed changes. Moderators and admins only.
pub async fn moderation_stream(State(state): State<AppState>, session: Session, headers: HeaderMap, Query(resume): Query<Resume>) -> Response {
    let (user, guard) = match LiveGuard::open(&state, &session).await {
        Ok(u) => u,
        Err(res) => return res,
    };
    if !user.role.moderates_reviews() {
        return refuse(StatusCode::FORBIDDEN, "Only moderators follow the review queue.");
    }
    let reconnect = headers.contains_key("last-event-id") || resume.after.is_some_and(|a| a >= 1);
    let sub = state.live.subscribe(Topic::Moderation);
    let events = stream::unfold((state.db.clone(), sub, guard, 1i64), move |(db, mut sub, mut guard, n)| async move {
        if n > 1 {
            tokio::select! {
                woken = sub.woken() => {
                    if !woken {
                        return None; // shutting down
                    }
                }
                _ = guard.ended() => return None,
            }
        }
        let waiting = match crate::backend::db::reviews::waiting(&db.pool).await {
            Ok(w) => w,
            Err(e) => {
                tracing::warn!(error = %e, "moderation stream ended: could not read from the database");
                return None;
            }
        };
        let msg = if n == 1 && !reconnect {
            LiveMessage::Ready { cursor: n, unread: Some(waiting) }
        } else {
            LiveMessage::Resync { cursor: n, unread: Some(waiting) }
        };
        let event = Event::default().id(n.to_string()).data(serde_json::to_string(&msg).unwrap_or_default());
        Some((Ok::<_, Infallible>(event), (db, sub, guard, n + 1)))
    });
    sse(events)
}
