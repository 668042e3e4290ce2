//! The dispute room as the browser sees it: the claim, its entries (messages, offers, decisions:
//! the audit trail), and the frames of the live socket. Shared by the server (which writes them)
//! and the browser (which reads them).

use crate::domain::dispute::{Audience, ClaimReason, ClaimState, Outcome, Party, Remedy};
use crate::domain::{ClaimId, Money, OrderId, UserId};
use serde::{Deserialize, Serialize};

/// What an entry of the room is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryKind {
    Message,
    /// A mediators-only note.
    Note,
    Offer,
    OfferAccepted,
    OfferDeclined,
    Opened,
    Escalated,
    MediatorJoined,
    /// The mediator no longer works on the claim (their role was taken back): back in the queue.
    MediatorLeft,
    Decision,
    Withdrawn,
    IdleWarning,
    Closed,
    /// Conversations: the seller marked the buyer's message as needing no answer.
    NoAnswerNeeded,
    /// Conversations: it became a claim.
    ClaimOpened,
    /// Conversations: the answer window passed without an answer.
    AnswerLate,
}

impl EntryKind {
    pub const ALL: [EntryKind; 16] = [
        EntryKind::Message,
        EntryKind::Note,
        EntryKind::Offer,
        EntryKind::OfferAccepted,
        EntryKind::OfferDeclined,
        EntryKind::Opened,
        EntryKind::Escalated,
        EntryKind::MediatorJoined,
        EntryKind::MediatorLeft,
        EntryKind::Decision,
        EntryKind::Withdrawn,
        EntryKind::IdleWarning,
        EntryKind::Closed,
        EntryKind::NoAnswerNeeded,
        EntryKind::ClaimOpened,
        EntryKind::AnswerLate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Message => "message",
            EntryKind::Note => "note",
            EntryKind::Offer => "offer",
            EntryKind::OfferAccepted => "offer_accepted",
            EntryKind::OfferDeclined => "offer_declined",
            EntryKind::Opened => "opened",
            EntryKind::Escalated => "escalated",
            EntryKind::MediatorJoined => "mediator_joined",
            EntryKind::MediatorLeft => "mediator_left",
            EntryKind::Decision => "decision",
            EntryKind::Withdrawn => "withdrawn",
            EntryKind::IdleWarning => "idle_warning",
            EntryKind::Closed => "closed",
            EntryKind::NoAnswerNeeded => "no_answer_needed",
            EntryKind::ClaimOpened => "claim_opened",
            EntryKind::AnswerLate => "answer_late",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What an event entry is called in the room (plain messages and offers have no label).
    pub fn label(self) -> Option<&'static str> {
        match self {
            EntryKind::Opened => Some("Claim opened"),
            EntryKind::Escalated => Some("Escalated"),
            EntryKind::MediatorJoined => Some("Mediator joined"),
            EntryKind::MediatorLeft => Some("Mediator left"),
            EntryKind::Decision => Some("Decision"),
            EntryKind::Withdrawn => Some("Withdrawn"),
            EntryKind::IdleWarning => Some("Reminder"),
            EntryKind::Closed => Some("Closed"),
            EntryKind::OfferAccepted => Some("Offer accepted"),
            EntryKind::OfferDeclined => Some("Offer declined"),
            EntryKind::NoAnswerNeeded => Some("No answer needed"),
            EntryKind::ClaimOpened => Some("Became a claim"),
            EntryKind::AnswerLate => Some("Answer late"),
            EntryKind::Message | EntryKind::Note | EntryKind::Offer => None,
        }
    }

    /// Plain conversation; everything else is an event of the process (the audit trail), after
    /// which the room's header (state, deadlines, what each party may do) is reloaded.
    pub fn is_chat(self) -> bool {
        matches!(self, EntryKind::Message | EntryKind::Note)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfferState {
    Pending,
    Accepted,
    Declined,
    /// A newer offer replaced it, or the claim ended first.
    Superseded,
}

impl OfferState {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferState::Pending => "pending",
            OfferState::Accepted => "accepted",
            OfferState::Declined => "declined",
            OfferState::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<OfferState> {
        [OfferState::Pending, OfferState::Accepted, OfferState::Declined, OfferState::Superseded].into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            OfferState::Pending => "Waiting for the buyer",
            OfferState::Accepted => "Accepted",
            OfferState::Declined => "Declined",
            OfferState::Superseded => "No longer open",
        }
    }
}

/// One entry of the room, as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomEntry {
    pub seq: i64,
    pub kind: EntryKind,
    pub party: Party,
    pub author: String,
    pub audience: Audience,
    pub body: String,
    pub remedy: Option<Remedy>,
    pub offer_state: Option<OfferState>,
    /// Answers to an offer: the offer's seq.
    pub refers_to: Option<i64>,
    /// The sender's message id (their own pending copy is replaced by this entry).
    pub client_id: Option<String>,
    pub author_id: Option<UserId>,
    /// UTC ms, and as shown ("23 Nov 2026, 14:05 UTC").
    pub at: i64,
    pub at_text: String,
    /// Conversations: what the screening found (contact details, links), shown to the sender and
    /// to staff.
    #[serde(default)]
    pub flags: Vec<crate::domain::review::Flagged>,
    /// Conversations: a photo sent with the message.
    #[serde(default)]
    pub photo: Option<MessagePhoto>,
}

/// A photo in a conversation: stored like a product's (WebP copies, no metadata), served only to
/// the conversation's readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePhoto {
    pub id: i64,
    /// Of its largest stored copy.
    pub width: u32,
    pub height: u32,
}

impl MessagePhoto {
    /// The stored copy closest to `wanted` px wide.
    pub fn url_for(&self, wanted: u32) -> String {
        let widths = crate::domain::photo::variant_widths(self.width);
        let w = widths.iter().copied().find(|w| *w >= wanted).or(widths.last().copied()).unwrap_or(self.width);
        format!("/messages/photos/{}/{w}.webp", self.id)
    }
}

/// Which room a socket, a signal or a page is about: a claim's, or a conversation's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoomId {
    Claim(ClaimId),
    Thread(crate::domain::ThreadId),
}

impl RoomId {
    /// "c12" / "t7": how it travels between app servers.
    pub fn encode(self) -> String {
        match self {
            RoomId::Claim(c) => format!("c{c}"),
            RoomId::Thread(t) => format!("t{t}"),
        }
    }

    pub fn decode(s: &str) -> Option<RoomId> {
        let (kind, id) = s.split_at_checked(1)?;
        let id: i64 = id.parse().ok()?;
        match kind {
            "c" => Some(RoomId::Claim(ClaimId(id))),
            "t" => Some(RoomId::Thread(crate::domain::ThreadId(id))),
            _ => None,
        }
    }

    /// The room's socket.
    pub fn socket_path(self) -> String {
        match self {
            RoomId::Claim(c) => format!("/live/claims/{c}"),
            RoomId::Thread(t) => format!("/live/threads/{t}"),
        }
    }
}

/// A deadline every party sees, counted down live: "Seller must answer within 5 h 12 min".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// "Seller must answer within", "Closes for inactivity in".
    pub label: String,
    pub at: i64,
    pub at_text: String,
}

/// What the reader may do in the room now (the server decides; the page shows the controls).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomPermissions {
    pub message: bool,
    /// A mediator may address one party, or write a note.
    pub address_one: bool,
    pub offer: bool,
    /// The buyer answers the pending offer (its seq).
    pub answer: Option<i64>,
    pub escalate: bool,
    /// Why escalation is not open yet ("you can ask a mediator in 2 days 3 h").
    pub escalate_later: Option<String>,
    pub withdraw: bool,
    pub take: bool,
    pub decide: bool,
}

/// The claim at the top of the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimView {
    pub id: ClaimId,
    pub order_id: OrderId,
    pub order_total: Money,
    pub shop_name: String,
    pub buyer_name: String,
    pub seller_name: String,
    pub mediator_name: Option<String>,
    pub reason: ClaimReason,
    pub wanted: Remedy,
    pub state: ClaimState,
    pub outcome: Option<Outcome>,
    pub opened_at: String,
    pub deadlines: Vec<Deadline>,
    /// The seller asked the marketplace to step in (from a conversation): `wanted` is what the
    /// seller proposes.
    #[serde(default)]
    pub opened_by_seller: bool,
    /// "The buyer reads French": the language of the other parties who chose one.
    #[serde(default)]
    pub others_read: Vec<String>,
}

/// The room as one party sees it when the page loads; the socket continues after `cursor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRoom {
    pub claim: ClaimView,
    pub viewer: Party,
    pub viewer_id: UserId,
    pub entries: Vec<RoomEntry>,
    /// The room's newest sequence number (entries the reader may not see still count).
    pub cursor: i64,
    /// How far each other party has read: "seen by seller".
    pub reads: Vec<(Party, i64)>,
    pub can: RoomPermissions,
    /// The server's clock when this was read (countdowns start from it).
    pub now: i64,
    /// A fresh message id for the page's forms (a re-posted form is stored once).
    pub form_id: String,
    /// The conversation the claim grew out of, if any (its parties and the mediator read it).
    #[serde(default)]
    pub thread: Option<crate::domain::ThreadId>,
}

/// A line of the claims list (and the mediators' queue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimSummary {
    pub id: ClaimId,
    pub order_id: OrderId,
    pub shop_name: String,
    pub buyer_name: String,
    pub reason: ClaimReason,
    pub state: ClaimState,
    pub mediator_name: Option<String>,
    pub opened_at: String,
    /// The next deadline, as text ("Mediator answers by 25 Nov 2026, 10:00 UTC").
    pub next_deadline: Option<String>,
    pub taken_by_me: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimTab {
    /// Escalated claims, oldest deadline first (mediators).
    Queue,
    /// Claims this mediator is working on.
    Mine,
    Open,
    Ended,
}

impl ClaimTab {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimTab::Queue => "queue",
            ClaimTab::Mine => "mine",
            ClaimTab::Open => "open",
            ClaimTab::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<ClaimTab> {
        [ClaimTab::Queue, ClaimTab::Mine, ClaimTab::Open, ClaimTab::Ended].into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ClaimTab::Queue => "Mediation queue",
            ClaimTab::Mine => "Mine",
            ClaimTab::Open => "Open",
            ClaimTab::Ended => "Ended",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimList {
    pub tab: ClaimTab,
    pub tabs: Vec<ClaimTab>,
    pub claims: Vec<ClaimSummary>,
}

/// What the socket sends (JSON text frames).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum RoomFrame {
    /// The socket is open and caught up to `cursor`.
    Ready { cursor: i64 },
    /// A new entry; `entry.seq` is where a reconnecting client resumes after.
    Entry { entry: RoomEntry },
    /// Too far behind to replay: reload the room.
    Resync { cursor: i64 },
    /// Who has the room open now (one line per person).
    Presence { present: Vec<Present> },
    /// Someone is typing (sent every few seconds while they do).
    Typing { party: Party, name: String },
    /// How far a party has read.
    Seen { party: Party, seq: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Present {
    pub user: UserId,
    pub party: Party,
    pub name: String,
}

/// What the browser sends on the socket: only signals. Messages, offers and decisions go over
/// HTTP (server functions), which store them before anyone is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ClientFrame {
    /// The sender is typing to `audience`.
    Typing { audience: Audience },
    /// The sender has read everything up to `seq`.
    Seen { seq: i64 },
}

/// What one app server tells the others (and its own sockets) about a room, without storing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomSignal {
    pub user: UserId,
    pub party: Party,
    pub name: String,
    pub what: SignalKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignalKind {
    /// Joined: everyone present answers `Here`.
    Hello,
    /// Still here (repeated while connected).
    Here,
    Left,
    Typing(Audience),
    Seen(i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_kinds_round_trip_and_chat_is_told_apart_from_the_process() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
        }
        assert!(EntryKind::Message.is_chat() && EntryKind::Note.is_chat());
        assert!(!EntryKind::Offer.is_chat() && !EntryKind::Decision.is_chat());
    }

    #[test]
    fn room_ids_travel_as_short_text() {
        for r in [RoomId::Claim(ClaimId(12)), RoomId::Thread(crate::domain::ThreadId(7))] {
            assert_eq!(RoomId::decode(&r.encode()), Some(r));
        }
        assert_eq!(RoomId::decode("x1"), None);
        assert_eq!(RoomId::decode("t"), None);
        assert_eq!(RoomId::Thread(crate::domain::ThreadId(7)).socket_path(), "/live/threads/7");
    }

    #[test]
    fn frames_are_tagged_json() {
        let f = RoomFrame::Seen { party: Party::Seller, seq: 4 };
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(json, r#"{"t":"seen","party":"Seller","seq":4}"#);
        assert_eq!(serde_json::from_str::<RoomFrame>(&json).unwrap(), f);
        let c: ClientFrame = serde_json::from_str(r#"{"t":"typing","audience":"All"}"#).unwrap();
        assert_eq!(c, ClientFrame::Typing { audience: Audience::All });
        assert!(serde_json::from_str::<ClientFrame>(r#"{"t":"send","body":"x"}"#).is_err(), "messages do not travel up the socket");
    }
}
