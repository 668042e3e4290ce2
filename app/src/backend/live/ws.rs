//! A room's socket: `GET /live/claims/{id}?after=N` (a dispute room: the claim's buyer, its seller
//! and marketplace mediators) or `GET /live/threads/{id}?after=N` (a conversation: its buyer and
//! seller, and mediators once it became a claim), upgraded to a WebSocket; anyone else gets
//! 401/404 before any upgrade.
//!
//! Server → browser: `ready`, then every entry the reader may see after `after` (each with its
//! room sequence number), then new entries as they are committed; `resync` when too far behind;
//! `presence`, `typing` and `seen` signals. Browser → server: only `typing` and `seen`. Messages
//! and every other command go over HTTP, where they are stored before anyone is told.

use super::guard::{refuse, LiveGuard};
use super::sse::Resume;
use super::{SignalSubscription, Subscription, Topic};
use crate::backend::db::{claims, threads, Db, DbResult};
use crate::backend::services::disputes;
use crate::backend::AppState;
use crate::domain::dispute::{may_address, Audience, Party};
use crate::domain::live::MAX_REPLAY;
use crate::domain::room::{ClientFrame, Present, RoomFrame, RoomId, RoomSignal, SignalKind};
use crate::domain::{ClaimId, ThreadId, UserId};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;
use tower_sessions::Session;

/// A present person announces themselves this often; unheard for `PRESENCE_TTL`, they are gone.
const HERE_EVERY: Duration = Duration::from_secs(20);
const PRESENCE_TTL: Duration = Duration::from_secs(50);
/// Larger frames from the browser are refused (it only sends small signals).
const MAX_CLIENT_FRAME: usize = 1024;
/// A socket passes on at most one typing signal this often (the browser sends one every 3 s while
/// its person types) and stores at most one read marker this often (later ones wait, merged).
const TYPING_EVERY: Duration = Duration::from_secs(2);
const SEEN_EVERY: Duration = Duration::from_secs(1);

/// `GET /live/claims/{id}`: a dispute room's socket.
pub async fn claim_socket(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(resume): Query<Resume>,
    upgrade: WebSocketUpgrade,
) -> Response {
    room_socket(state, session, RoomId::Claim(ClaimId(id)), resume, upgrade).await
}

/// `GET /live/threads/{id}`: a conversation's socket (the same room, the same frames).
pub async fn thread_socket(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(resume): Query<Resume>,
    upgrade: WebSocketUpgrade,
) -> Response {
    room_socket(state, session, RoomId::Thread(ThreadId(id)), resume, upgrade).await
}

/// How `user` takes part in `room`, if at all.
async fn party_in(db: &Db, room: RoomId, user: UserId, staff: bool) -> DbResult<Option<Party>> {
    Ok(match room {
        RoomId::Claim(c) => claims::get(&db.pool, c).await?.and_then(|row| row.party_of(user, staff)),
        RoomId::Thread(t) => threads::get(&db.pool, t).await?.and_then(|row| row.party_of(user, staff)),
    })
}

async fn room_socket(state: AppState, session: Session, room: RoomId, resume: Resume, upgrade: WebSocketUpgrade) -> Response {
    let (user, guard) = match LiveGuard::open(&state, &session).await {
        Ok(u) => u,
        Err(res) => return res,
    };
    let party = match party_in(&state.db, room, user.id, user.role.is_staff()).await {
        Ok(p) => p,
        Err(e) => {
            crate::backend::internal(e);
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.");
        }
    };
    // The request's language (the visitor's choice): the refusal's, and the room's entries are read in it.
    let l = crate::domain::locale::request();
    let Some(party) = party else {
        let what = match room {
            RoomId::Claim(_) => crate::i18n::td_string!(l, server.claim.no_claim),
            RoomId::Thread(_) => crate::i18n::td_string!(l, server.common.no_conversation),
        };
        return refuse(StatusCode::NOT_FOUND, what);
    };
    let me = Me { user: user.id, party, name: user.display_name, locale: l };
    let after = resume.after.filter(|n| *n >= 0);
    // A small read buffer: the browser sends only small signals, and the default (128 KiB, filled
    // before the first read) made an idle socket cost ~138 KiB instead of ~12 KiB.
    upgrade.max_message_size(MAX_CLIENT_FRAME).read_buffer_size(4096).on_upgrade(move |socket| async move {
        // Subscribe before the first read, so an entry committed in between still wakes us.
        let topic = match room {
            RoomId::Claim(c) => Topic::Claim(c),
            RoomId::Thread(t) => Topic::Thread(t),
        };
        let wake = state.live.subscribe(topic);
        let signals = state.live.room_signals(room);
        let room = Room {
            db: state.db.clone(),
            live: state.live.clone(),
            room,
            me,
            wake,
            signals,
            guard,
            present: HashMap::new(),
            throttle: Throttle::default(),
        };
        room.run(socket, after).await;
    })
}

struct Me {
    user: UserId,
    party: Party,
    name: String,
    locale: crate::domain::locale::Locale,
}

struct Room {
    db: Db,
    live: Arc<super::LiveHub>,
    room: RoomId,
    me: Me,
    wake: Subscription,
    signals: SignalSubscription,
    /// The socket closes when its session ends or its person's role changes.
    guard: LiveGuard,
    /// Who else is here, and when we last heard from them.
    present: HashMap<UserId, (Party, String, Instant)>,
    throttle: Throttle,
}

/// What this socket last passed on, so a flood of signals costs nothing.
#[derive(Default)]
struct Throttle {
    typing_at: Option<Instant>,
    seen_at: Option<Instant>,
    /// A read marker that arrived too soon after the last one, stored when its turn comes.
    seen_pending: Option<i64>,
}

impl Throttle {
    fn typing_allowed(&mut self, now: Instant) -> bool {
        let allowed = self.typing_at.is_none_or(|t| now.duration_since(t) >= TYPING_EVERY);
        if allowed {
            self.typing_at = Some(now);
        }
        allowed
    }

    /// When the waiting read marker may be stored (far away when none waits).
    fn seen_due(&self) -> Instant {
        match (self.seen_pending, self.seen_at) {
            (Some(_), Some(at)) => at + SEEN_EVERY,
            (Some(_), None) => Instant::now(),
            (None, _) => Instant::now() + Duration::from_secs(3600),
        }
    }
}

enum Step {
    Continue,
    Stop,
}

impl Room {
    fn signal(&self, what: SignalKind) -> RoomSignal {
        RoomSignal { user: self.me.user, party: self.me.party, name: self.me.name.clone(), what }
    }

    async fn announce(&self, what: SignalKind) {
        self.live.signal(self.room, self.signal(what)).await;
    }

    fn presence(&self) -> RoomFrame {
        let mut present: Vec<Present> = self.present.iter().map(|(u, (p, n, _))| Present { user: *u, party: *p, name: n.clone() }).collect();
        present.push(Present { user: self.me.user, party: self.me.party, name: self.me.name.clone() });
        present.sort_by_key(|p| p.user);
        present.dedup_by_key(|p| p.user);
        RoomFrame::Presence { present }
    }

    /// Entries after `after` this reader may see, or `None` to resync.
    async fn read(&self, after: i64) -> DbResult<Option<Vec<crate::domain::room::RoomEntry>>> {
        let rows = match self.room {
            RoomId::Claim(c) => claims::entries_after(&self.db.pool, c, self.me.party, self.me.locale, after, MAX_REPLAY + 1).await?,
            RoomId::Thread(t) => threads::entries_after(&self.db.pool, t, self.me.party, self.me.locale, after, MAX_REPLAY + 1).await?,
        };
        Ok((rows.len() as i64 <= MAX_REPLAY).then_some(rows))
    }

    async fn run(mut self, socket: WebSocket, after: Option<i64>) {
        let (mut tx, mut rx) = socket.split();
        let send = |frame: &RoomFrame| Message::Text(serde_json::to_string(frame).unwrap_or_default().into());
        // Catch up: from the resume point, or from now.
        let mut cursor = match self.start(after).await {
            Ok((cursor, frames)) => {
                for f in &frames {
                    if tx.send(send(f)).await.is_err() {
                        return;
                    }
                }
                cursor
            }
            Err(e) => {
                tracing::warn!(error = %e, "room socket: could not read the room");
                let _ = tx.send(Message::Close(None)).await;
                return;
            }
        };
        self.announce(SignalKind::Hello).await;
        if tx.send(send(&self.presence())).await.is_err() {
            self.announce(SignalKind::Left).await;
            return;
        }
        let mut tick = tokio::time::interval_at(Instant::now() + HERE_EVERY, HERE_EVERY);
        loop {
            let mut out: Vec<RoomFrame> = Vec::new();
            let step = tokio::select! {
                woken = self.wake.woken() => {
                    if !woken {
                        Step::Stop
                    } else {
                        match self.read(cursor).await {
                            Ok(Some(entries)) => {
                                for entry in entries {
                                    cursor = entry.seq;
                                    out.push(RoomFrame::Entry { entry });
                                }
                                Step::Continue
                            }
                            Ok(None) => match self.cursor().await {
                                Ok(c) => {
                                    cursor = c;
                                    out.push(RoomFrame::Resync { cursor: c });
                                    Step::Continue
                                }
                                Err(_) => Step::Stop,
                            },
                            Err(e) => {
                                // The browser reconnects and resumes after its last entry.
                                tracing::warn!(error = %e, "room socket: could not read new entries");
                                Step::Stop
                            }
                        }
                    }
                }
                signal = self.signals.rx.recv() => match signal {
                    Ok(s) => self.on_signal(s, &mut out).await,
                    // Signals are passing information: a lagging socket simply skips some.
                    Err(RecvError::Lagged(_)) => Step::Continue,
                    Err(RecvError::Closed) => Step::Stop,
                },
                _ = self.guard.ended() => Step::Stop,
                _ = tokio::time::sleep_until(self.throttle.seen_due()), if self.throttle.seen_pending.is_some() => {
                    if let Some(seq) = self.throttle.seen_pending.take() {
                        self.store_seen(seq).await;
                    }
                    Step::Continue
                }
                incoming = rx.next() => match incoming {
                    Some(Ok(Message::Text(text))) => self.on_client_frame(text.as_str(), cursor).await,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => Step::Stop,
                    Some(Ok(_)) => Step::Continue, // pings are answered by the socket itself
                },
                _ = tick.tick() => {
                    self.announce(SignalKind::Here).await;
                    let before = self.present.len();
                    self.present.retain(|_, (_, _, heard)| heard.elapsed() < PRESENCE_TTL);
                    if self.present.len() != before {
                        out.push(self.presence());
                    }
                    match tx.send(Message::Ping(Vec::new().into())).await {
                        Ok(()) => Step::Continue,
                        Err(_) => Step::Stop,
                    }
                }
            };
            for f in &out {
                if tx.send(send(f)).await.is_err() {
                    self.announce(SignalKind::Left).await;
                    return;
                }
            }
            if let Step::Stop = step {
                break;
            }
        }
        self.announce(SignalKind::Left).await;
        let _ = tx.send(Message::Close(None)).await;
    }

    /// The room's newest sequence number.
    async fn cursor(&self) -> DbResult<i64> {
        match self.room {
            RoomId::Claim(c) => claims::cursor(&self.db.pool, c).await,
            RoomId::Thread(t) => threads::cursor(&self.db.pool, t).await,
        }
    }

    /// The first frames: `ready` and what was missed, or `resync`.
    async fn start(&self, after: Option<i64>) -> DbResult<(i64, Vec<RoomFrame>)> {
        let newest = self.cursor().await?;
        let Some(after) = after else {
            return Ok((newest, vec![RoomFrame::Ready { cursor: newest }]));
        };
        // A cursor ahead of the room was never ours (the database was reset under the client).
        if after > newest {
            return Ok((newest, vec![RoomFrame::Resync { cursor: newest }]));
        }
        match self.read(after).await? {
            None => Ok((newest, vec![RoomFrame::Resync { cursor: newest }])),
            Some(entries) => {
                let mut cursor = after;
                let mut frames = vec![RoomFrame::Ready { cursor: after }];
                for entry in entries {
                    cursor = entry.seq;
                    frames.push(RoomFrame::Entry { entry });
                }
                Ok((cursor, frames))
            }
        }
    }

    async fn on_signal(&mut self, s: RoomSignal, out: &mut Vec<RoomFrame>) -> Step {
        let mine = s.user == self.me.user;
        match s.what {
            SignalKind::Hello | SignalKind::Here => {
                if s.what == SignalKind::Hello && !mine {
                    self.announce(SignalKind::Here).await;
                }
                if !mine {
                    let known = self.present.insert(s.user, (s.party, s.name, Instant::now())).is_some();
                    if !known {
                        out.push(self.presence());
                    }
                }
            }
            SignalKind::Left => {
                if mine {
                    // Another tab of ours closed: we are still here.
                    self.announce(SignalKind::Here).await;
                } else if self.present.remove(&s.user).is_some() {
                    out.push(self.presence());
                }
            }
            SignalKind::Typing(audience) => {
                if !mine && audience.includes(self.me.party) {
                    out.push(RoomFrame::Typing { party: s.party, name: s.name });
                }
            }
            SignalKind::Seen(seq) => {
                if !mine {
                    out.push(RoomFrame::Seen { party: s.party, seq });
                }
            }
        }
        Step::Continue
    }

    /// Stores a read marker and tells the room.
    async fn store_seen(&mut self, seq: i64) {
        self.throttle.seen_at = Some(Instant::now());
        let stored = match self.room {
            RoomId::Claim(c) => disputes::mark_read(&self.db, c, self.me.user, seq).await,
            RoomId::Thread(t) => threads::mark_read(&self.db.pool, t, self.me.user, seq).await.map_err(crate::error::AppError::from),
        };
        if let Err(e) = stored {
            tracing::warn!(error = %e, "room socket: could not store a read marker");
        } else {
            self.announce(SignalKind::Seen(seq)).await;
        }
    }

    async fn on_client_frame(&mut self, text: &str, cursor: i64) -> Step {
        match serde_json::from_str::<ClientFrame>(text) {
            Ok(ClientFrame::Typing { audience }) => {
                // In a conversation only its two parties write (a mediator reads it once it became a claim).
                let may = match self.room {
                    RoomId::Claim(_) => may_address(self.me.party, audience).is_ok(),
                    RoomId::Thread(_) => self.me.party != Party::Mediator && audience == Audience::All,
                };
                if may && self.throttle.typing_allowed(Instant::now()) {
                    self.announce(SignalKind::Typing(audience)).await;
                }
            }
            Ok(ClientFrame::Seen { seq }) => {
                // Only as far as this socket has delivered.
                let seq = seq.min(cursor);
                if seq > 0 {
                    let now = Instant::now();
                    if self.throttle.seen_at.is_some_and(|t| now.duration_since(t) < SEEN_EVERY) {
                        self.throttle.seen_pending = Some(self.throttle.seen_pending.map_or(seq, |p| p.max(seq)));
                    } else {
                        self.store_seen(seq).await;
                    }
                }
            }
            Err(_) => tracing::debug!("room socket: ignored a frame it does not understand"),
        }
        Step::Continue
    }
}
