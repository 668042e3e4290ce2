//! The live room shared by dispute rooms and conversations: entries as they arrive over the
//! room's socket, the outbox of messages this browser is sending (kept and resent with the same id
//! while the connection is down), who is here and typing, who read how far, and the pieces of the
//! page that show them.

use crate::api::disputes::post_claim_message;
use crate::api::threads::post_thread_message;
use crate::domain::dispute::{Audience, Party};
use crate::domain::room::{ClientFrame, EntryKind, OfferState, Present, RoomEntry, RoomFrame, RoomId};
use crate::domain::UserId;
use crate::error::AppError;
use crate::live::room::new_client_id;
#[cfg(feature = "hydrate")]
use crate::live::room::RoomConn;
use crate::live::LiveStatus;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The words of a live room (claims and conversations), in the page's language. The room runs in
/// the browser, which carries no translations: the server builds them and the room's island takes
/// them as a prop, then provides them to its pieces (`provide_room_text`, `room_text`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoomText {
    /// The language's code (amounts of money are written its way in the browser too).
    pub lang: String,
    pub role_buyer: String,
    pub role_seller: String,
    pub role_mediator: String,
    pub role_system: String,
    /// A party in lower case, beside a name: "Ana (buyer)".
    pub who_buyer: String,
    pub who_seller: String,
    pub who_mediator: String,
    pub who_system: String,
    /// Buyer, seller, mediator in "Seen by {{ names }}".
    pub seen_who: [String; 3],
    pub seen_by: String,
    pub and: String,
    pub only_you: String,
    pub here_now: String,
    pub reconnecting: String,
    pub sending: String,
    pub sent: String,
    pub queued: String,
    pub not_sent: String,
    pub not_sent_yet: String,
    pub send_anyway: String,
    pub edit_it: String,
    pub to_buyer: String,
    pub to_seller: String,
    pub mediators_note: String,
    pub typing: String,
    pub conversation: String,
    pub message: String,
    pub write_message: String,
    pub send: String,
    pub what_you_can_do: String,
    pub optional: String,
    pub kind_opened: String,
    pub kind_escalated: String,
    pub kind_mediator_joined: String,
    pub kind_mediator_left: String,
    pub kind_decision: String,
    pub kind_withdrawn: String,
    pub kind_idle_warning: String,
    pub kind_closed: String,
    pub kind_offer_accepted: String,
    pub kind_offer_declined: String,
    pub kind_no_answer_needed: String,
    pub kind_claim_opened: String,
    pub kind_answer_late: String,
    /// Durations to a claim's deadline: "under a minute", "{{ m }} min", "{{ h }} h {{ m }} min",
    /// "1 day {{ h }} h", "{{ d }} days {{ h }} h".
    pub under_a_minute: String,
    pub minutes: String,
    pub hours_minutes: String,
    pub one_day_hours: String,
    pub days_hours: String,
    /// Durations to a conversation's answer: "{{ n }} min", "{{ n }} h", "{{ n }} days", and
    /// "{{ time }} left" / "{{ time }} late".
    pub short_minutes: String,
    pub short_hours: String,
    pub short_days: String,
    pub left: String,
    pub late: String,
}

impl RoomText {
    /// The words in `l` (on the server, when the page renders).
    pub fn new(l: crate::i18n::Locale) -> Self {
        use crate::i18n::td_string;
        let s = |x: &str| x.to_string();
        RoomText {
            lang: s(crate::domain::locale::code(l)),
            role_buyer: s(td_string!(l, room.role_buyer)),
            role_seller: s(td_string!(l, room.role_seller)),
            role_mediator: s(td_string!(l, room.role_mediator)),
            role_system: s(td_string!(l, room.role_system)),
            who_buyer: s(td_string!(l, room.who_buyer)),
            who_seller: s(td_string!(l, room.who_seller)),
            who_mediator: s(td_string!(l, room.who_mediator)),
            who_system: s(td_string!(l, room.who_system)),
            seen_who: [s(td_string!(l, room.seen_buyer)), s(td_string!(l, room.seen_seller)), s(td_string!(l, room.seen_mediator))],
            seen_by: td_string!(l, room.seen_by, names = "{{ names }}").to_string(),
            and: s(td_string!(l, room.and)),
            only_you: s(td_string!(l, room.only_you)),
            here_now: td_string!(l, room.here_now, names = "{{ names }}").to_string(),
            reconnecting: s(td_string!(l, room.reconnecting)),
            sending: s(td_string!(l, room.sending)),
            sent: s(td_string!(l, room.sent)),
            queued: s(td_string!(l, room.queued)),
            not_sent: td_string!(l, room.not_sent, error = "{{ error }}").to_string(),
            not_sent_yet: s(td_string!(l, room.not_sent_yet)),
            send_anyway: s(td_string!(l, room.send_anyway)),
            edit_it: s(td_string!(l, room.edit_it)),
            to_buyer: s(td_string!(l, room.to_buyer)),
            to_seller: s(td_string!(l, room.to_seller)),
            mediators_note: s(td_string!(l, room.mediators_note)),
            typing: td_string!(l, room.typing, name = "{{ name }}", party = "{{ party }}").to_string(),
            conversation: s(td_string!(l, room.conversation)),
            message: s(td_string!(l, room.message)),
            write_message: s(td_string!(l, room.write_message)),
            send: s(td_string!(l, room.send)),
            what_you_can_do: s(td_string!(l, room.what_you_can_do)),
            optional: s(td_string!(l, form.optional)),
            kind_opened: s(td_string!(l, room.kind_opened)),
            kind_escalated: s(td_string!(l, room.kind_escalated)),
            kind_mediator_joined: s(td_string!(l, room.kind_mediator_joined)),
            kind_mediator_left: s(td_string!(l, room.kind_mediator_left)),
            kind_decision: s(td_string!(l, room.kind_decision)),
            kind_withdrawn: s(td_string!(l, room.kind_withdrawn)),
            kind_idle_warning: s(td_string!(l, room.kind_idle_warning)),
            kind_closed: s(td_string!(l, room.kind_closed)),
            kind_offer_accepted: s(td_string!(l, room.kind_offer_accepted)),
            kind_offer_declined: s(td_string!(l, room.kind_offer_declined)),
            kind_no_answer_needed: s(td_string!(l, room.kind_no_answer_needed)),
            kind_claim_opened: s(td_string!(l, room.kind_claim_opened)),
            kind_answer_late: s(td_string!(l, room.kind_answer_late)),
            under_a_minute: s(td_string!(l, room.under_a_minute)),
            minutes: td_string!(l, room.minutes, m = "{{ m }}").to_string(),
            hours_minutes: td_string!(l, room.hours_minutes, h = "{{ h }}", m = "{{ m }}").to_string(),
            one_day_hours: td_string!(l, room.one_day_hours, h = "{{ h }}").to_string(),
            days_hours: td_string!(l, room.days_hours, d = "{{ d }}", h = "{{ h }}").to_string(),
            short_minutes: td_string!(l, room.short_minutes, n = "{{ n }}").to_string(),
            short_hours: td_string!(l, room.short_hours, n = "{{ n }}").to_string(),
            short_days: td_string!(l, room.short_days, n = "{{ n }}").to_string(),
            left: td_string!(l, room.left, time = "{{ time }}").to_string(),
            late: td_string!(l, room.late, time = "{{ time }}").to_string(),
        }
    }

    /// The room's language.
    pub fn locale(&self) -> crate::domain::locale::Locale {
        crate::domain::locale::from_code(&self.lang).unwrap_or_default()
    }

    /// An amount of money, the language's way.
    pub fn money(&self, amount: crate::domain::Money) -> String {
        crate::domain::locale::money(self.locale(), amount)
    }

    /// A party in lower case ("buyer"), beside a name.
    pub fn who(&self, party: Party) -> &str {
        match party {
            Party::Buyer => &self.who_buyer,
            Party::Seller => &self.who_seller,
            Party::Mediator => &self.who_mediator,
            Party::System => &self.who_system,
        }
    }

    /// Who a private message is for ("To the buyer only"); nothing for the whole room.
    pub fn audience(&self, audience: Audience) -> Option<String> {
        match audience {
            Audience::All => None,
            Audience::Buyer => Some(self.to_buyer.clone()),
            Audience::Seller => Some(self.to_seller.clone()),
            Audience::Mediators => Some(self.mediators_note.clone()),
        }
    }

    /// What an event entry is called in the room (plain messages and offers have no label).
    pub fn kind(&self, kind: EntryKind) -> Option<String> {
        let k = match kind {
            EntryKind::Opened => &self.kind_opened,
            EntryKind::Escalated => &self.kind_escalated,
            EntryKind::MediatorJoined => &self.kind_mediator_joined,
            EntryKind::MediatorLeft => &self.kind_mediator_left,
            EntryKind::Decision => &self.kind_decision,
            EntryKind::Withdrawn => &self.kind_withdrawn,
            EntryKind::IdleWarning => &self.kind_idle_warning,
            EntryKind::Closed => &self.kind_closed,
            EntryKind::OfferAccepted => &self.kind_offer_accepted,
            EntryKind::OfferDeclined => &self.kind_offer_declined,
            EntryKind::NoAnswerNeeded => &self.kind_no_answer_needed,
            EntryKind::ClaimOpened => &self.kind_claim_opened,
            EntryKind::AnswerLate => &self.kind_answer_late,
            EntryKind::Message | EntryKind::Note | EntryKind::Offer => return None,
        };
        Some(k.clone())
    }

    /// "Ana (buyer) is typing…".
    pub fn typing(&self, party: Party, name: &str) -> String {
        fill(&self.typing, &[("name", name), ("party", self.who(party))])
    }

    /// "5 h 12 min", "2 days 3 h", "under a minute": a claim's deadline (as `dispute::countdown`).
    pub fn countdown(&self, ms: i64) -> String {
        if ms < 60_000 {
            return self.under_a_minute.clone();
        }
        let minutes = ms / 60_000;
        let (days, hours, mins) = (minutes / (24 * 60), (minutes / 60) % 24, minutes % 60);
        let (h, m, d) = (hours.to_string(), mins.to_string(), days.to_string());
        match (days, hours) {
            (0, 0) => fill(&self.minutes, &[("m", &m)]),
            (0, _) => fill(&self.hours_minutes, &[("h", &h), ("m", &m)]),
            (1, _) => fill(&self.one_day_hours, &[("h", &h)]),
            _ => fill(&self.days_hours, &[("d", &d), ("h", &h)]),
        }
    }

    /// "23 h", "45 min", "4 days": a time to an answer (as `thread::countdown`).
    pub fn short_duration(&self, ms: i64) -> String {
        let minutes = (ms / 60_000).max(1);
        if minutes < 60 {
            fill(&self.short_minutes, &[("n", &minutes.to_string())])
        } else if minutes < 48 * 60 {
            fill(&self.short_hours, &[("n", &(minutes / 60).to_string())])
        } else {
            fill(&self.short_days, &[("n", &(minutes / 1440).to_string())])
        }
    }

    /// "23 h left", "3 h late" (as `thread::countdown`).
    pub fn answer_countdown(&self, due: i64, now: i64) -> String {
        let left = due - now;
        if left >= 0 {
            fill(&self.left, &[("time", &self.short_duration(left))])
        } else {
            fill(&self.late, &[("time", &self.short_duration(-left))])
        }
    }
}

/// Puts the values into a template of `RoomText` ("Seen by {{ names }}").
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{{ {name} }}}}"), value);
    }
    out
}

/// Gives a room's pieces its words (in the island's body).
pub fn provide_room_text(text: RoomText) {
    provide_context(Arc::new(text));
}

/// The room's words, as its island provided them.
pub fn room_text() -> Arc<RoomText> {
    use_context::<Arc<RoomText>>().unwrap_or_default()
}

/// A message this browser is sending: shown at once, replaced by the stored entry when it comes
/// back over the socket. Kept (and resent with the same id) while the connection is down.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub client_id: String,
    pub body: String,
    pub audience: Audience,
    pub state: SendState,
    /// Sent again after the sender saw the screening's warning (contact details, a link).
    pub confirm: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SendState {
    Sending,
    /// The server has it; its entry is on the way.
    Sent,
    /// No connection: sent again when the room reconnects.
    Queued,
    Failed(String),
    /// The screening warns (contact details, a link): the sender may send it anyway.
    Warned(String),
}

/// A room as its page loaded it.
pub struct Loaded<'a> {
    pub entries: &'a [RoomEntry],
    /// The room's newest sequence number when loaded: the socket resumes after it.
    pub cursor: i64,
    pub reads: &'a [(Party, i64)],
    /// The viewer and how they take part.
    pub me: (UserId, Party),
    /// The seller's next message changes the room's state: reload the header then.
    pub awaiting_seller: bool,
    /// The server's clock (countdowns).
    pub now: i64,
}

/// The live part of the room: entries as they arrive, the outbox, who is here and typing, who
/// read how far, and the connection.
#[derive(Clone, Copy)]
pub struct RoomLive {
    pub entries: RwSignal<Vec<RoomEntry>>,
    pub outbox: RwSignal<Vec<Pending>>,
    pub status: RwSignal<LiveStatus>,
    pub present: RwSignal<Vec<Present>>,
    pub typing: RwSignal<Option<(Party, String)>>,
    pub reads: RwSignal<Vec<(Party, i64)>>,
    pub me: RwSignal<Option<(UserId, Party)>>,
    /// The seller's first message moves the claim on: reload the header then.
    pub awaiting_seller: RwSignal<bool>,
    pub reload: RwSignal<u64>,
    /// The server's clock, moved on in the browser (countdowns).
    pub clock: RwSignal<i64>,
    /// The socket: browser only (its value belongs to the browser's one thread; the server never
    /// creates it, since even dropping it on another thread would panic).
    #[cfg(feature = "hydrate")]
    conn: StoredValue<Option<(RoomId, RoomConn)>, LocalStorage>,
    /// The highest entry seen and not yet reported (0: nothing waiting).
    #[cfg(feature = "hydrate")]
    seen_pending: StoredValue<i64>,
}

// On the server only the rendering half is used; the live half runs in the browser.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
impl RoomLive {
    pub fn new() -> Self {
        RoomLive {
            entries: RwSignal::new(Vec::new()),
            outbox: RwSignal::new(Vec::new()),
            status: RwSignal::new(LiveStatus::Off),
            present: RwSignal::new(Vec::new()),
            typing: RwSignal::new(None),
            reads: RwSignal::new(Vec::new()),
            me: RwSignal::new(None),
            awaiting_seller: RwSignal::new(false),
            reload: RwSignal::new(0),
            clock: RwSignal::new(0),
            #[cfg(feature = "hydrate")]
            conn: StoredValue::new_local(None),
            #[cfg(feature = "hydrate")]
            seen_pending: StoredValue::new(0),
        }
    }

    /// Takes a freshly loaded room: its entries, plus any newer ones the socket already brought;
    /// then follows it live.
    pub fn merge(&self, room: RoomId, loaded: Loaded<'_>) {
        let newer: Vec<RoomEntry> = self.entries.get_untracked().into_iter().filter(|e| e.seq > loaded.cursor).collect();
        let mut entries = loaded.entries.to_vec();
        entries.extend(newer);
        self.entries.set(entries);
        self.reads.set(loaded.reads.to_vec());
        self.me.set(Some(loaded.me));
        self.awaiting_seller.set(loaded.awaiting_seller);
        self.clock.set(loaded.now);
        self.connect(room, loaded.cursor);
    }

    #[cfg(not(feature = "hydrate"))]
    fn connect(&self, _room: RoomId, _cursor: i64) {}

    #[cfg(feature = "hydrate")]
    fn connect(&self, room: RoomId, cursor: i64) {
        if self.conn.with_value(|c| c.as_ref().map(|(id, _)| *id) == Some(room)) {
            return;
        }
        let live = *self;
        let conn = RoomConn::start(room, cursor, move |frame| live.on_frame(frame), move |s| {
            live.status.set(s);
            if s == LiveStatus::Live {
                live.flush(room);
            }
        });
        self.conn.update_value(|c| {
            if let Some((_, old)) = c.take() {
                old.stop();
            }
            *c = conn.map(|conn| (room, conn));
        });
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn send_signal(&self, _frame: &ClientFrame) {}

    #[cfg(feature = "hydrate")]
    pub fn send_signal(&self, frame: &ClientFrame) {
        self.conn.with_value(|c| {
            if let Some((_, conn)) = c {
                conn.send(frame);
            }
        });
    }

    fn on_frame(&self, frame: RoomFrame) {
        match frame {
            RoomFrame::Ready { .. } => {}
            RoomFrame::Entry { entry } => {
                let seq = entry.seq;
                let chat = entry.kind.is_chat() && !(entry.party == Party::Seller && self.awaiting_seller.get_untracked());
                let mine = self.me.get_untracked().map(|(u, _)| u) == entry.author_id;
                if let (true, Some(id)) = (mine, entry.client_id.clone()) {
                    self.outbox.update(|o| o.retain(|p| p.client_id != id));
                }
                self.entries.update(|list| {
                    if list.iter().any(|e| e.seq == seq) {
                        return;
                    }
                    match entry.kind {
                        EntryKind::Offer => list.iter_mut().filter(|e| e.offer_state == Some(OfferState::Pending)).for_each(|e| e.offer_state = Some(OfferState::Superseded)),
                        EntryKind::OfferAccepted | EntryKind::OfferDeclined => {
                            let to = if entry.kind == EntryKind::OfferAccepted { OfferState::Accepted } else { OfferState::Declined };
                            list.iter_mut().filter(|e| Some(e.seq) == entry.refers_to).for_each(|e| e.offer_state = Some(to));
                        }
                        _ => {}
                    }
                    list.push(entry);
                });
                if !chat {
                    // A step of the process: state, deadlines and what each party may do changed.
                    self.reload.update(|r| *r += 1);
                }
                self.typing.set(None);
                self.mark_seen(seq);
                scroll_to_latest();
            }
            RoomFrame::Resync { .. } => self.reload.update(|r| *r += 1),
            RoomFrame::Presence { present } => self.present.set(present),
            RoomFrame::Typing { party, name } => {
                self.typing.set(Some((party, name)));
                let typing = self.typing;
                set_timeout(move || typing.set(None), std::time::Duration::from_secs(4));
            }
            RoomFrame::Seen { party, seq } => self.reads.update(|r| match r.iter_mut().find(|(p, _)| *p == party) {
                Some(x) => x.1 = x.1.max(seq),
                None => r.push((party, seq)),
            }),
        }
    }

    /// Tells the room how far this reader has seen, once for a burst of entries.
    #[cfg(feature = "hydrate")]
    fn mark_seen(&self, seq: i64) {
        let first = self.seen_pending.get_value() == 0;
        self.seen_pending.update_value(|s| *s = (*s).max(seq));
        if first {
            let live = *self;
            set_timeout(
                move || {
                    let seq = live.seen_pending.get_value();
                    live.seen_pending.set_value(0);
                    live.send_signal(&ClientFrame::Seen { seq });
                },
                std::time::Duration::from_millis(300),
            );
        }
    }

    #[cfg(not(feature = "hydrate"))]
    fn mark_seen(&self, _seq: i64) {}

    fn set_state(&self, client_id: &str, state: SendState) {
        let arrived = self.entries.with_untracked(|e| e.iter().any(|x| x.client_id.as_deref() == Some(client_id)));
        self.outbox.update(|o| {
            if arrived {
                o.retain(|p| p.client_id != client_id);
            } else if let Some(p) = o.iter_mut().find(|p| p.client_id == client_id) {
                p.state = state;
            }
        });
    }

    /// Sends one message of the outbox over HTTP; a lost connection leaves it queued.
    fn deliver(&self, room: RoomId, p: Pending) {
        let live = *self;
        leptos::task::spawn_local(async move {
            let result = match room {
                RoomId::Claim(claim) => post_claim_message(claim.0, p.client_id.clone(), p.body.clone(), p.audience.as_str().to_string()).await,
                RoomId::Thread(thread) => post_thread_message(thread.0, p.client_id.clone(), p.body.clone(), if p.confirm { "yes".to_string() } else { String::new() }).await,
            };
            match result {
                Ok(_) => live.set_state(&p.client_id, SendState::Sent),
                Err(AppError::Transport(_)) | Err(AppError::Internal { .. }) => {
                    live.set_state(&p.client_id, SendState::Queued);
                    // Try again shortly even if the socket never noticed (a reconnect also flushes).
                    set_timeout(move || live.flush(room), std::time::Duration::from_secs(3));
                }
                Err(AppError::Invalid { fields, .. }) if matches!(room, RoomId::Thread(_)) && fields.contains_key("body") && !p.confirm => {
                    live.set_state(&p.client_id, SendState::Warned(fields.get("body").cloned().unwrap_or_default()))
                }
                Err(e) => live.set_state(&p.client_id, SendState::Failed(e.to_string())),
            }
        });
    }

    /// Shows the message at once and sends it.
    pub fn send(&self, room: RoomId, body: String, audience: Audience) {
        let p = Pending { client_id: new_client_id(), body, audience, state: SendState::Sending, confirm: false };
        self.outbox.update(|o| o.push(p.clone()));
        scroll_to_latest();
        self.deliver(room, p);
    }

    /// The sender read the warning and sends the message as it is.
    pub fn send_anyway(&self, room: RoomId, client_id: &str) {
        let Some(mut p) = self.outbox.get_untracked().into_iter().find(|p| p.client_id == client_id) else { return };
        p.confirm = true;
        p.state = SendState::Sending;
        let sent = p.clone();
        self.outbox.update(|o| {
            if let Some(x) = o.iter_mut().find(|x| x.client_id == sent.client_id) {
                *x = sent.clone();
            }
        });
        self.deliver(room, p);
    }

    /// Takes a message back out of the outbox (not sent), returning its text.
    pub fn take_back(&self, client_id: &str) -> Option<String> {
        let body = self.outbox.get_untracked().into_iter().find(|p| p.client_id == client_id).map(|p| p.body);
        self.outbox.update(|o| o.retain(|p| p.client_id != client_id));
        body
    }

    /// After a reconnect: everything still queued goes again, with its same id.
    fn flush(&self, room: RoomId) {
        let queued: Vec<Pending> = self.outbox.get_untracked().into_iter().filter(|p| p.state == SendState::Queued).collect();
        for p in queued {
            self.set_state(&p.client_id, SendState::Sending);
            self.deliver(room, p);
        }
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn stop(&self) {}

    #[cfg(feature = "hydrate")]
    pub fn stop(&self) {
        self.conn.update_value(|c| {
            if let Some((_, conn)) = c.take() {
                conn.stop();
            }
        });
    }
}

pub fn scroll_to_latest() {
    #[cfg(feature = "hydrate")]
    set_timeout(
        || {
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("room-end")) {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::End);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        },
        std::time::Duration::from_millis(30),
    );
}

/// "Seen by seller": for each other party, my latest entry they have read, as (seq, label). Worked
/// out once per change of entries or read markers, not once per entry.
pub fn seen_marks(live: RoomLive) -> Memo<Vec<(i64, String)>> {
    let t = room_text();
    Memo::new(move |_| {
        let Some((me, my_party)) = live.me.get() else { return Vec::new() };
        let mine: Vec<i64> = live.entries.with(|es| es.iter().filter(|e| e.author_id == Some(me)).map(|e| e.seq).collect());
        let mut marks: Vec<(i64, Vec<usize>)> = Vec::new();
        for (party, read) in live.reads.get() {
            if party == my_party {
                continue;
            }
            let Some(at) = mine.iter().copied().filter(|m| *m <= read).max() else { continue };
            let who = match party {
                Party::Buyer => 0,
                Party::Seller => 1,
                _ => 2,
            };
            match marks.iter_mut().find(|(s, _)| *s == at) {
                Some((_, names)) => names.push(who),
                None => marks.push((at, vec![who])),
            }
        }
        marks
            .into_iter()
            .map(|(s, names)| {
                let names: Vec<&str> = names.into_iter().map(|i| t.seen_who[i].as_str()).collect();
                (s, fill(&t.seen_by, &[("names", &names.join(&t.and))]))
            })
            .collect()
    })
}

#[component]
pub fn PresenceLine(live: RoomLive) -> impl IntoView {
    let t = room_text();
    let t2 = t.clone();
    let text = move || {
        let me = live.me.get().map(|(u, _)| u);
        let others: Vec<String> = live
            .present
            .get()
            .into_iter()
            .filter(|p| Some(p.user) != me)
            .map(|p| format!("{} ({})", p.name, t.who(p.party)))
            .collect();
        if others.is_empty() { t.only_you.clone() } else { fill(&t.here_now, &[("names", &others.join(", "))]) }
    };
    let status = move || match live.status.get() {
        LiveStatus::Reconnecting => Some(t2.reconnecting.clone()),
        _ => None,
    };
    view! {
        <p class="presence muted" data-testid="presence">{text}</p>
        <p class="room-status" role="status" data-testid="room-status">{status}</p>
    }
}

/// A party's role beside an author's name ("Buyer").
pub fn role_label(t: &RoomText, party: Party) -> String {
    match party {
        Party::Buyer => t.role_buyer.clone(),
        Party::Seller => t.role_seller.clone(),
        Party::Mediator => t.role_mediator.clone(),
        Party::System => t.role_system.clone(),
    }
}

#[component]
pub fn PendingView(p: Pending, room: RoomId, live: RoomLive) -> impl IntoView {
    let t = room_text();
    let note = match &p.state {
        SendState::Sending => t.sending.clone(),
        SendState::Sent => t.sent.clone(),
        SendState::Queued => t.queued.clone(),
        SendState::Failed(e) => fill(&t.not_sent, &[("error", e)]),
        SendState::Warned(_) => t.not_sent_yet.clone(),
    };
    let failed = matches!(p.state, SendState::Failed(_) | SendState::Warned(_));
    let warning = match &p.state {
        SendState::Warned(w) => Some(w.clone()),
        _ => None,
    };
    let id = p.client_id.clone();
    let id2 = p.client_id.clone();
    view! {
        <li class="entry entry-message mine pending" class:failed=failed data-testid="pending-message">
            <p class="entry-meta">{t.audience(p.audience).map(|a| view! { <span class="audience">{a}</span> " " })}<span class="muted">{note}</span></p>
            <p class="entry-body">{p.body}</p>
            {warning.map(|w| view! {
                <div class="send-warning" role="alert" data-testid="send-warning">
                    <p>{w}</p>
                    <button type="button" class="primary" on:click=move |_| live.send_anyway(room, &id)>{t.send_anyway.clone()}</button>
                    " "
                    <button type="button" on:click=move |_| {
                        if let Some(text) = live.take_back(&id2) {
                            put_back_in_composer(&text);
                        }
                    }>{t.edit_it.clone()}</button>
                </div>
            })}
        </li>
    }
}

/// Puts text back into the room's message box (a message taken back to edit).
fn put_back_in_composer(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(area) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("composer-body"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        {
            area.set_value(text);
            let _ = area.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// Moves the room's clock (countdowns) on with the browser's, from the server's.
pub fn run_room_clock(live: RoomLive) {
    #[cfg(feature = "hydrate")]
    {
        let started = js_sys::Date::now();
        let base = RwSignal::new(None::<i64>);
        Effect::new(move |_| {
            if base.get_untracked().is_none() && live.clock.get() > 0 {
                base.set(Some(live.clock.get_untracked()));
            }
        });
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if let Some(b) = base.get_untracked() {
                    live.clock.set(b + (js_sys::Date::now() - started) as i64);
                }
            },
            std::time::Duration::from_secs(20),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = live;
}

impl Default for RoomLive {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dispute::{countdown, Audience, Party};
    use crate::domain::room::EntryKind;
    use crate::i18n::Locale;

    #[test]
    fn the_english_room_says_what_the_domain_labels_say() {
        let t = RoomText::new(Locale::en);
        for kind in EntryKind::ALL {
            assert_eq!(t.kind(kind).as_deref(), kind.label());
        }
        for a in [Audience::All, Audience::Buyer, Audience::Seller, Audience::Mediators] {
            assert_eq!(t.audience(a).as_deref(), a.label());
        }
        for p in [Party::Buyer, Party::Seller, Party::Mediator, Party::System] {
            assert_eq!(role_label(&t, p), p.label());
            assert_eq!(t.who(p), p.label().to_lowercase());
        }
        assert_eq!(t.typing(Party::Seller, "Bo"), "Bo (seller) is typing…");
    }

    #[test]
    fn english_countdowns_read_as_the_domain_writes_them() {
        let t = RoomText::new(Locale::en);
        let h = 3_600_000;
        for ms in [0, 59_999, 60_000, 5 * 60_000, h, h + 12 * 60_000, 24 * h, 25 * h, 49 * h + 60_000, 100 * h] {
            assert_eq!(t.countdown(ms), countdown(ms));
            for now in [0, h / 2, 30 * h, 200 * h] {
                assert_eq!(t.answer_countdown(ms, now), crate::domain::thread::countdown(ms, now));
            }
        }
        let fr = RoomText::new(Locale::fr);
        assert_eq!(fr.countdown(49 * h), "2 jours 1 h");
        assert_eq!(fr.answer_countdown(0, 3 * h), "3 h de retard");
        assert_eq!(fr.money(crate::domain::Money(1550)), "15,50\u{a0}€");
    }
}
