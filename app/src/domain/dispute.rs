//! Claims (disputes) about an order: the standard process, who may do what, the deadlines every
//! party sees, offers and typed outcomes. Pure rules; `now` is always an argument.
//!
//! open (awaiting the seller) → the seller responds → escalated to mediation → resolved → closed.
//! The buyer may withdraw while the claim is unresolved; either party may escalate once the seller
//! had a fair chance; a seller silent for 24 h is escalated automatically; an idle claim is warned,
//! then closed.

use crate::domain::deadlines::{DAY_MS, HOUR_MS};
use crate::domain::order::OrderStatus;
use crate::domain::Money;
use crate::domain::locale::{self, Locale};
use crate::error::AppError;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

/// The seller must answer a new claim within this time, or it is escalated automatically.
pub const SELLER_REPLY_WITHIN_MS: i64 = 24 * HOUR_MS;
/// After this long without agreement either party may ask a mediator.
pub const ESCALATE_AFTER_MS: i64 = 3 * DAY_MS;
/// A claim with no activity for this long is closed; the parties are warned `IDLE_WARNING_MS` before.
pub const IDLE_CLOSE_AFTER_MS: i64 = 14 * DAY_MS;
pub const IDLE_WARNING_MS: i64 = 3 * DAY_MS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClaimReason {
    NotReceived,
    Late,
    NotAsDescribed,
    Damaged,
    WrongItem,
    MissingParts,
    Other,
}

impl ClaimReason {
    pub const ALL: [ClaimReason; 7] = [
        ClaimReason::NotReceived,
        ClaimReason::Late,
        ClaimReason::NotAsDescribed,
        ClaimReason::Damaged,
        ClaimReason::WrongItem,
        ClaimReason::MissingParts,
        ClaimReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimReason::NotReceived => "not_received",
            ClaimReason::Late => "late",
            ClaimReason::NotAsDescribed => "not_as_described",
            ClaimReason::Damaged => "damaged",
            ClaimReason::WrongItem => "wrong_item",
            ClaimReason::MissingParts => "missing_parts",
            ClaimReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ClaimReason> {
        ClaimReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The reason in `l` (for what the server writes to a person: notifications).
    pub fn label_in(self, l: Locale) -> &'static str {
        match self {
            ClaimReason::NotReceived => td_string!(l, notices.reason.not_received),
            ClaimReason::Late => td_string!(l, notices.reason.late),
            ClaimReason::NotAsDescribed => td_string!(l, notices.reason.not_as_described),
            ClaimReason::Damaged => td_string!(l, notices.reason.damaged),
            ClaimReason::WrongItem => td_string!(l, notices.reason.wrong_item),
            ClaimReason::MissingParts => td_string!(l, notices.reason.missing_parts),
            ClaimReason::Other => td_string!(l, notices.reason.other),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClaimReason::NotReceived => "Not received",
            ClaimReason::Late => "Late",
            ClaimReason::NotAsDescribed => "Not as described",
            ClaimReason::Damaged => "Damaged",
            ClaimReason::WrongItem => "Wrong item",
            ClaimReason::MissingParts => "Missing parts",
            ClaimReason::Other => "Other",
        }
    }
}

/// What would settle a claim: what the buyer asks for, what an offer proposes, what a mediator
/// decides. Amounts are what the buyer gets back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Remedy {
    FullRefund,
    PartialRefund(Money),
    Replacement,
    ReturnAndRefund,
}

impl Remedy {
    /// The remedy in `l` (for what the server writes: notifications, the order's history).
    pub fn label_in(self, l: Locale) -> String {
        match self {
            Remedy::FullRefund => td_string!(l, events.remedy.full_refund).to_string(),
            Remedy::PartialRefund(m) => td_string!(l, events.remedy.partial_refund, amount = locale::money(l, m)).to_string(),
            Remedy::Replacement => td_string!(l, events.remedy.replacement).to_string(),
            Remedy::ReturnAndRefund => td_string!(l, events.remedy.return_and_refund).to_string(),
        }
    }

    pub fn label(self) -> String {
        match self {
            Remedy::FullRefund => "Full refund".into(),
            Remedy::PartialRefund(m) => format!("Partial refund of {m}"),
            Remedy::Replacement => "Replacement".into(),
            Remedy::ReturnAndRefund => "Return and refund".into(),
        }
    }

    /// What the buyer is refunded under this remedy, for an order of `total`.
    pub fn refund(self, total: Money) -> Money {
        match self {
            Remedy::FullRefund | Remedy::ReturnAndRefund => total,
            Remedy::PartialRefund(m) => m,
            Remedy::Replacement => Money(0),
        }
    }

    /// Checks a remedy against the order's total: a partial refund is more than nothing and less
    /// than the whole (the whole is a full refund).
    pub fn check(self, total: Money) -> Result<Remedy, AppError> {
        match self {
            Remedy::PartialRefund(m) if m.0 <= 0 => Err(AppError::invalid_field("amount", td_string!(locale::request(), server.claim.partial_positive).to_string())),
            Remedy::PartialRefund(m) if m.0 >= total.0 => Err(AppError::invalid_field(
                "amount",
                td_string!(locale::request(), server.claim.partial_below, total = locale::money(locale::request(), total)).to_string(),
            )),
            other => Ok(other),
        }
    }
}

/// How a claim ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// The parties agreed, or a mediator decided, on this remedy.
    Settled(Remedy),
    /// A mediator rejected the claim.
    Rejected,
    Withdrawn,
    /// Closed after a long quiet period without agreement.
    ClosedIdle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClaimState {
    /// Open, waiting for the seller's first answer.
    AwaitingSeller,
    SellerResponded,
    Escalated,
    Resolved,
    Closed,
}

impl ClaimState {
    pub const ALL: [ClaimState; 5] =
        [ClaimState::AwaitingSeller, ClaimState::SellerResponded, ClaimState::Escalated, ClaimState::Resolved, ClaimState::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimState::AwaitingSeller => "awaiting_seller",
            ClaimState::SellerResponded => "seller_responded",
            ClaimState::Escalated => "escalated",
            ClaimState::Resolved => "resolved",
            ClaimState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<ClaimState> {
        ClaimState::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn is_open(self) -> bool {
        matches!(self, ClaimState::AwaitingSeller | ClaimState::SellerResponded | ClaimState::Escalated)
    }
}

/// Who acts in a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Party {
    Buyer,
    Seller,
    Mediator,
    /// The marketplace's jobs: automatic escalation, idle closing.
    System,
}

impl Party {
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Buyer => "buyer",
            Party::Seller => "seller",
            Party::Mediator => "mediator",
            Party::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Party> {
        [Party::Buyer, Party::Seller, Party::Mediator, Party::System].into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Party::Buyer => "Buyer",
            Party::Seller => "Seller",
            Party::Mediator => "Mediator",
            Party::System => "Troika",
        }
    }
}

/// Who may read an entry of the room. A mediator may address one party only; notes are for
/// mediators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Audience {
    All,
    Buyer,
    Seller,
    Mediators,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::All => "all",
            Audience::Buyer => "buyer",
            Audience::Seller => "seller",
            Audience::Mediators => "mediators",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        [Audience::All, Audience::Buyer, Audience::Seller, Audience::Mediators].into_iter().find(|a| a.as_str() == s)
    }

    /// Whether `viewer` reads entries meant for this audience.
    pub fn includes(self, viewer: Party) -> bool {
        matches!(
            (self, viewer),
            (_, Party::Mediator | Party::System) | (Audience::All, _) | (Audience::Buyer, Party::Buyer) | (Audience::Seller, Party::Seller)
        )
    }

    /// The audiences `viewer` reads (for queries).
    pub fn visible_to(viewer: Party) -> &'static [Audience] {
        match viewer {
            Party::Buyer => &[Audience::All, Audience::Buyer],
            Party::Seller => &[Audience::All, Audience::Seller],
            Party::Mediator | Party::System => &[Audience::All, Audience::Buyer, Audience::Seller, Audience::Mediators],
        }
    }

    /// "to the buyer only", for the room to show plainly who a private message is for.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Audience::All => None,
            Audience::Buyer => Some("To the buyer only"),
            Audience::Seller => Some("To the seller only"),
            Audience::Mediators => Some("Mediators' note"),
        }
    }
}

/// Who may address whom: buyers and sellers speak to the room; a mediator to the room, to one
/// party, or to the other mediators (notes).
pub fn may_address(party: Party, audience: Audience) -> Result<(), AppError> {
    match (party, audience) {
        (_, Audience::All) => Ok(()),
        (Party::Mediator, _) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Longest message, in characters.
pub const MESSAGE_MAX_CHARS: usize = 4000;

/// A message as typed: trimmed, not empty, not too long.
pub fn check_message(body: &str) -> Result<String, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid_field("body", td_string!(locale::request(), server.claim.write_first).to_string()));
    }
    if body.chars().count() > MESSAGE_MAX_CHARS {
        return Err(AppError::invalid_field("body", td_string!(locale::request(), server.claim.message_long, max = MESSAGE_MAX_CHARS).to_string()));
    }
    Ok(body.to_string())
}

/// A sender's message id (the browser makes one per message; a retry sends it again): 8–64
/// letters, digits and dashes.
pub fn check_client_id(id: &str) -> Result<String, AppError> {
    let id = id.trim();
    if (8..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Ok(id.to_string())
    } else {
        Err(AppError::invalid(td_string!(locale::request(), server.claim.bad_id).to_string()))
    }
}

impl Remedy {
    pub fn kind_str(self) -> &'static str {
        match self {
            Remedy::FullRefund => "full_refund",
            Remedy::PartialRefund(_) => "partial_refund",
            Remedy::Replacement => "replacement",
            Remedy::ReturnAndRefund => "return_and_refund",
        }
    }

    pub fn cents(self) -> i64 {
        match self {
            Remedy::PartialRefund(m) => m.0,
            _ => 0,
        }
    }

    /// From storage: the kind and, for a partial refund, its amount.
    pub fn from_parts(kind: &str, cents: i64) -> Option<Remedy> {
        Some(match kind {
            "full_refund" => Remedy::FullRefund,
            "partial_refund" => Remedy::PartialRefund(Money(cents)),
            "replacement" => Remedy::Replacement,
            "return_and_refund" => Remedy::ReturnAndRefund,
            _ => return None,
        })
    }

    /// From a form: the kind chosen and the amount typed (only a partial refund needs one).
    pub fn from_form(kind: &str, amount: &str, total: Money) -> Result<Remedy, AppError> {
        let remedy = match kind.trim() {
            "partial_refund" => {
                let m = Money::parse(amount)
                    .ok_or_else(|| AppError::invalid_field("amount", td_string!(locale::request(), server.claim.amount).to_string()))?;
                Remedy::PartialRefund(m)
            }
            other => Remedy::from_parts(other, 0).ok_or_else(|| AppError::invalid_field("remedy", td_string!(locale::request(), server.claim.remedy).to_string()))?,
        };
        remedy.check(total)
    }

    pub const KINDS: [(&'static str, &'static str); 4] = [
        ("full_refund", "Full refund"),
        ("partial_refund", "Partial refund"),
        ("replacement", "Replacement"),
        ("return_and_refund", "Return and refund"),
    ];
}

impl Outcome {
    /// How the claim ended, in `l`.
    pub fn label_in(self, l: Locale) -> String {
        match self {
            Outcome::Settled(r) => td_string!(l, notices.outcome.settled, remedy = r.label_in(l)).to_string(),
            Outcome::Rejected => td_string!(l, notices.outcome.rejected).to_string(),
            Outcome::Withdrawn => td_string!(l, notices.outcome.withdrawn).to_string(),
            Outcome::ClosedIdle => td_string!(l, notices.outcome.closed_idle).to_string(),
        }
    }

    pub fn label(self) -> String {
        match self {
            Outcome::Settled(r) => format!("Settled: {}", r.label()),
            Outcome::Rejected => "Claim rejected by the mediator".into(),
            Outcome::Withdrawn => "Withdrawn by the buyer".into(),
            Outcome::ClosedIdle => "Closed after a long quiet period".into(),
        }
    }

    pub fn kind_str(self) -> &'static str {
        match self {
            Outcome::Settled(_) => "settled",
            Outcome::Rejected => "rejected",
            Outcome::Withdrawn => "withdrawn",
            Outcome::ClosedIdle => "closed_idle",
        }
    }

    pub fn from_parts(kind: &str, remedy: Option<Remedy>) -> Option<Outcome> {
        Some(match (kind, remedy) {
            ("settled", Some(r)) => Outcome::Settled(r),
            ("rejected", _) => Outcome::Rejected,
            ("withdrawn", _) => Outcome::Withdrawn,
            ("closed_idle", _) => Outcome::ClosedIdle,
            _ => return None,
        })
    }

    /// The state a claim ends in: settled and rejected claims are resolved (a decision was made),
    /// withdrawn and idle ones are closed.
    pub fn final_state(self) -> ClaimState {
        match self {
            Outcome::Settled(_) | Outcome::Rejected => ClaimState::Resolved,
            Outcome::Withdrawn | Outcome::ClosedIdle => ClaimState::Closed,
        }
    }
}

impl ClaimState {
    pub fn label(self) -> &'static str {
        match self {
            ClaimState::AwaitingSeller => "Awaiting the seller",
            ClaimState::SellerResponded => "Seller responded",
            ClaimState::Escalated => "With a mediator",
            ClaimState::Resolved => "Resolved",
            ClaimState::Closed => "Closed",
        }
    }
}

/// A mediator answers an escalated claim within this time (the queue is ordered by it).
pub const MEDIATOR_ANSWER_WITHIN_MS: i64 = 2 * DAY_MS;

/// A mediator takes an escalated claim nobody is working on (so two never work the same claim).
pub fn may_take(state: ClaimState, taken_by: Option<i64>, mediator: i64) -> Result<(), AppError> {
    match (state, taken_by) {
        (ClaimState::Escalated, None) => Ok(()),
        (ClaimState::Escalated, Some(m)) if m == mediator => Ok(()),
        (ClaimState::Escalated, Some(_)) => Err(AppError::Conflict(td_string!(locale::request(), server.claim.other_mediator).to_string())),
        (s, _) if s.is_open() => Err(AppError::Conflict(td_string!(locale::request(), server.claim.take_escalated).to_string())),
        _ => Err(AppError::Conflict(td_string!(locale::request(), server.claim.not_open).to_string())),
    }
}

/// The claim form as typed, kept when opening fails so nothing typed is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimDraft {
    pub reason: String,
    pub remedy: String,
    pub amount: String,
    pub message: String,
}

/// Whether a claim may be opened on an order now: once it has shipped (and until it completes), or
/// while it is late, or after it completed while its return period runs (`returns_open`); and only
/// one open claim per order.
pub fn may_open_claim(status: OrderStatus, late: bool, has_open_claim: bool, returns_open: bool) -> Result<(), AppError> {
    if has_open_claim {
        return Err(AppError::Conflict(td_string!(locale::request(), server.claim.already_open).to_string()));
    }
    let shipped = status.is_on_the_way() || status == OrderStatus::Delivered;
    let waiting_late = late && matches!(status, OrderStatus::Placed | OrderStatus::Accepted);
    let returning = returns_open && status == OrderStatus::Completed;
    if shipped || waiting_late || returning {
        Ok(())
    } else if status == OrderStatus::Completed {
        Err(AppError::Conflict(td_string!(locale::request(), server.claim.returns_over).to_string()))
    } else if status.is_closed() {
        Err(AppError::Conflict(td_string!(locale::request(), server.claim.closed_status, status = status.label_in(locale::request())).to_string()))
    } else {
        Err(AppError::Conflict(td_string!(locale::request(), server.claim.too_early).to_string()))
    }
}

/// The times that decide a claim's deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimTimes {
    pub state: ClaimState,
    pub opened_at: i64,
    /// The last message, offer or decision in the room.
    pub last_activity_at: i64,
    /// Whether an idle warning was already sent for the current quiet spell.
    pub idle_warned: bool,
}

/// What the marketplace must do about a claim at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimDue {
    /// The seller did not answer in 24 h: escalate, and count it against their response record.
    AutoEscalate,
    WarnIdle,
    CloseIdle,
}

impl ClaimTimes {
    pub fn seller_reply_by(&self) -> i64 {
        self.opened_at + SELLER_REPLY_WITHIN_MS
    }

    /// From when either party may escalate (earlier if the seller missed the reply deadline).
    pub fn escalation_open_from(&self) -> i64 {
        self.opened_at + ESCALATE_AFTER_MS
    }

    pub fn idle_close_at(&self) -> i64 {
        self.last_activity_at + IDLE_CLOSE_AFTER_MS
    }

    pub fn may_escalate(&self, by: Party, now: i64) -> Result<(), AppError> {
        match (self.state, by) {
            (ClaimState::AwaitingSeller | ClaimState::SellerResponded, Party::Buyer | Party::Seller) => {
                let seller_silent = self.state == ClaimState::AwaitingSeller && now > self.seller_reply_by();
                if now >= self.escalation_open_from() || seller_silent {
                    Ok(())
                } else {
                    {
                        let l = locale::request();
                        let wait = countdown_in(l, self.escalation_open_from() - now);
                        Err(AppError::Conflict(td_string!(l, server.claim.fair_chance, wait = wait).to_string()))
                    }
                }
            }
            (ClaimState::Escalated, _) => Err(AppError::Conflict(td_string!(locale::request(), server.claim.mediator_on).to_string())),
            (s, _) if !s.is_open() => Err(AppError::Conflict(td_string!(locale::request(), server.claim.not_open).to_string())),
            _ => Err(AppError::Forbidden),
        }
    }

    pub fn due(&self, now: i64) -> Option<ClaimDue> {
        if !self.state.is_open() {
            return None;
        }
        if self.state == ClaimState::AwaitingSeller && now > self.seller_reply_by() {
            return Some(ClaimDue::AutoEscalate);
        }
        if now >= self.idle_close_at() {
            return Some(ClaimDue::CloseIdle);
        }
        if !self.idle_warned && now >= self.idle_close_at() - IDLE_WARNING_MS {
            return Some(ClaimDue::WarnIdle);
        }
        None
    }
}

/// The state after `party` posts a message: the seller's first answer moves the claim on.
pub fn after_message(state: ClaimState, party: Party) -> ClaimState {
    match (state, party) {
        (ClaimState::AwaitingSeller, Party::Seller) => ClaimState::SellerResponded,
        (s, _) => s,
    }
}

/// Who may put an offer in the room: the seller while the claim is open, a mediator once escalated.
pub fn may_offer(state: ClaimState, party: Party) -> Result<(), AppError> {
    match (state, party) {
        (ClaimState::AwaitingSeller | ClaimState::SellerResponded | ClaimState::Escalated, Party::Seller) => Ok(()),
        (ClaimState::Escalated, Party::Mediator) => Ok(()),
        (_, Party::Mediator) if state.is_open() => Err(AppError::Conflict(td_string!(locale::request(), server.claim.offer_escalated).to_string())),
        (s, _) if !s.is_open() => Err(AppError::Conflict(td_string!(locale::request(), server.claim.not_open).to_string())),
        _ => Err(AppError::Forbidden),
    }
}

/// Only the buyer answers an offer, while the claim is open; accepting resolves it.
pub fn may_answer_offer(state: ClaimState, party: Party) -> Result<(), AppError> {
    match (state.is_open(), party) {
        (true, Party::Buyer) => Ok(()),
        (false, _) => Err(AppError::Conflict(td_string!(locale::request(), server.claim.not_open).to_string())),
        _ => Err(AppError::Forbidden),
    }
}

/// A mediator decides an escalated claim, with a written reason.
pub fn may_decide(state: ClaimState, party: Party, reason: &str) -> Result<(), AppError> {
    if party != Party::Mediator {
        return Err(AppError::Forbidden);
    }
    if state != ClaimState::Escalated {
        return Err(AppError::Conflict(td_string!(locale::request(), server.claim.decide_escalated).to_string()));
    }
    if reason.trim().is_empty() {
        return Err(AppError::invalid_field("reason", td_string!(locale::request(), server.claim.decision_reason).to_string()));
    }
    Ok(())
}

/// The buyer may withdraw an open claim.
pub fn may_withdraw(state: ClaimState, party: Party) -> Result<(), AppError> {
    match (state.is_open(), party) {
        (true, Party::Buyer) => Ok(()),
        (false, _) => Err(AppError::Conflict(td_string!(locale::request(), server.claim.not_open).to_string())),
        _ => Err(AppError::Forbidden),
    }
}

/// "5 h 12 min", "2 days 3 h", "under a minute": a deadline as the parties see it.
pub fn countdown(ms: i64) -> String {
    countdown_in(Locale::en, ms)
}

/// A countdown the way each language says it ("2 days 5 h" / "2 jours 5 h").
pub fn countdown_in(l: Locale, ms: i64) -> String {
    if ms < 60_000 {
        return td_string!(l, server.claim.under_a_minute).to_string();
    }
    let minutes = ms / 60_000;
    let (days, hours, mins) = (minutes / (24 * 60), (minutes / 60) % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) => format!("{h} h {mins} min"),
        (1, h) => td_string!(l, server.claim.one_day, h = h).to_string(),
        (d, h) => td_string!(l, server.claim.days, d = d, h = h).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_795_428_000_000;

    fn times(state: ClaimState) -> ClaimTimes {
        ClaimTimes { state, opened_at: T0, last_activity_at: T0, idle_warned: false }
    }

    #[test]
    fn names_round_trip() {
        for r in ClaimReason::ALL {
            assert_eq!(ClaimReason::parse(r.as_str()), Some(r));
        }
        for s in ClaimState::ALL {
            assert_eq!(ClaimState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_claim_opens_once_shipped_when_late_or_within_the_return_period_and_only_once() {
        assert!(may_open_claim(OrderStatus::Shipped, false, false, false).is_ok());
        assert!(may_open_claim(OrderStatus::Delivered, false, false, false).is_ok());
        assert!(may_open_claim(OrderStatus::Accepted, true, false, false).is_ok(), "late to ship");
        assert!(may_open_claim(OrderStatus::Accepted, false, false, false).is_err());
        assert!(may_open_claim(OrderStatus::Completed, false, false, false).is_err(), "return period over");
        assert!(may_open_claim(OrderStatus::Completed, false, false, true).is_ok(), "a return within the shop's period");
        assert!(may_open_claim(OrderStatus::CancelledByBuyer, true, false, true).is_err());
        assert_eq!(may_open_claim(OrderStatus::Shipped, false, true, false).unwrap_err().status(), 409, "one open claim per order");
        assert_eq!(may_open_claim(OrderStatus::Completed, false, true, true).unwrap_err().status(), 409);
    }

    #[test]
    fn the_sellers_first_answer_moves_the_claim_on() {
        assert_eq!(after_message(ClaimState::AwaitingSeller, Party::Buyer), ClaimState::AwaitingSeller);
        assert_eq!(after_message(ClaimState::AwaitingSeller, Party::Seller), ClaimState::SellerResponded);
        assert_eq!(after_message(ClaimState::Escalated, Party::Seller), ClaimState::Escalated);
    }

    #[test]
    fn escalation_waits_for_the_sellers_fair_chance() {
        let t = times(ClaimState::SellerResponded);
        let err = t.may_escalate(Party::Buyer, T0 + DAY_MS).unwrap_err();
        assert_eq!(err.to_string(), "The seller gets a fair chance first: you can ask a mediator in 2 days 0 h.");
        assert!(t.may_escalate(Party::Seller, T0 + ESCALATE_AFTER_MS).is_ok());
        assert!(times(ClaimState::AwaitingSeller).may_escalate(Party::Buyer, T0 + SELLER_REPLY_WITHIN_MS + 1).is_ok(), "silent seller");
        assert_eq!(t.may_escalate(Party::Mediator, T0 + 5 * DAY_MS).unwrap_err().status(), 403);
        assert!(times(ClaimState::Escalated).may_escalate(Party::Buyer, T0 + 5 * DAY_MS).is_err());
        assert!(times(ClaimState::Resolved).may_escalate(Party::Buyer, T0 + 5 * DAY_MS).is_err());
    }

    #[test]
    fn a_silent_seller_is_escalated_and_idle_claims_are_warned_then_closed() {
        let t = times(ClaimState::AwaitingSeller);
        assert_eq!(t.due(T0 + SELLER_REPLY_WITHIN_MS), None);
        assert_eq!(t.due(T0 + SELLER_REPLY_WITHIN_MS + 1), Some(ClaimDue::AutoEscalate));
        let r = times(ClaimState::SellerResponded);
        assert_eq!(r.due(T0 + IDLE_CLOSE_AFTER_MS - IDLE_WARNING_MS - 1), None);
        assert_eq!(r.due(T0 + IDLE_CLOSE_AFTER_MS - IDLE_WARNING_MS), Some(ClaimDue::WarnIdle));
        let warned = ClaimTimes { idle_warned: true, ..r };
        assert_eq!(warned.due(T0 + IDLE_CLOSE_AFTER_MS - 1), None, "warned once");
        assert_eq!(warned.due(T0 + IDLE_CLOSE_AFTER_MS), Some(ClaimDue::CloseIdle));
        assert_eq!(times(ClaimState::Closed).due(T0 + 100 * DAY_MS), None);
    }

    #[test]
    fn offers_come_from_the_seller_or_an_escalated_mediator_and_the_buyer_answers() {
        assert!(may_offer(ClaimState::SellerResponded, Party::Seller).is_ok());
        assert!(may_offer(ClaimState::Escalated, Party::Mediator).is_ok());
        assert_eq!(may_offer(ClaimState::SellerResponded, Party::Mediator).unwrap_err().status(), 409);
        assert_eq!(may_offer(ClaimState::SellerResponded, Party::Buyer).unwrap_err().status(), 403);
        assert!(may_offer(ClaimState::Resolved, Party::Seller).is_err());
        assert!(may_answer_offer(ClaimState::Escalated, Party::Buyer).is_ok());
        assert_eq!(may_answer_offer(ClaimState::Escalated, Party::Seller).unwrap_err().status(), 403);
        assert!(may_answer_offer(ClaimState::Closed, Party::Buyer).is_err());
    }

    #[test]
    fn partial_refunds_are_more_than_nothing_and_less_than_the_total() {
        let total = Money(5390);
        assert!(Remedy::PartialRefund(Money(0)).check(total).is_err());
        assert!(Remedy::PartialRefund(Money(5390)).check(total).unwrap_err().field("amount").is_some());
        assert_eq!(Remedy::PartialRefund(Money(1500)).check(total).unwrap().refund(total), Money(1500));
        assert_eq!(Remedy::FullRefund.refund(total), total);
        assert_eq!(Remedy::Replacement.refund(total), Money(0));
    }

    #[test]
    fn only_a_mediator_decides_an_escalated_claim_and_says_why() {
        assert!(may_decide(ClaimState::Escalated, Party::Mediator, "Photos show the damage.").is_ok());
        assert!(may_decide(ClaimState::Escalated, Party::Mediator, "  ").unwrap_err().field("reason").is_some());
        assert_eq!(may_decide(ClaimState::Escalated, Party::Seller, "x").unwrap_err().status(), 403);
        assert_eq!(may_decide(ClaimState::SellerResponded, Party::Mediator, "x").unwrap_err().status(), 409);
        assert!(may_withdraw(ClaimState::Escalated, Party::Buyer).is_ok());
        assert_eq!(may_withdraw(ClaimState::Escalated, Party::Seller).unwrap_err().status(), 403);
    }

    #[test]
    fn private_messages_and_notes_reach_only_their_audience() {
        assert!(Audience::All.includes(Party::Buyer) && Audience::All.includes(Party::Seller));
        assert!(Audience::Buyer.includes(Party::Buyer) && !Audience::Buyer.includes(Party::Seller));
        assert!(Audience::Seller.includes(Party::Seller) && !Audience::Seller.includes(Party::Buyer));
        assert!(!Audience::Mediators.includes(Party::Buyer) && !Audience::Mediators.includes(Party::Seller));
        assert!(Audience::Mediators.includes(Party::Mediator) && Audience::Buyer.includes(Party::Mediator));
        for p in [Party::Buyer, Party::Seller, Party::Mediator] {
            for a in [Audience::All, Audience::Buyer, Audience::Seller, Audience::Mediators] {
                assert_eq!(Audience::visible_to(p).contains(&a), a.includes(p), "{p:?} {a:?}");
            }
        }
        assert!(may_address(Party::Mediator, Audience::Buyer).is_ok());
        assert_eq!(may_address(Party::Buyer, Audience::Mediators).unwrap_err().status(), 403);
        assert_eq!(may_address(Party::Seller, Audience::Buyer).unwrap_err().status(), 403);
    }

    #[test]
    fn messages_and_client_ids_are_checked() {
        assert_eq!(check_message("  hello \n").unwrap(), "hello");
        assert!(check_message("   ").unwrap_err().field("body").is_some());
        assert!(check_message(&"é".repeat(MESSAGE_MAX_CHARS + 1)).is_err());
        assert!(check_message(&"é".repeat(MESSAGE_MAX_CHARS)).is_ok());
        assert!(check_client_id("3f2a9c1e-77aa-4bcd-9e01-aa00bb11cc22").is_ok());
        assert!(check_client_id("short").is_err());
        assert!(check_client_id("<script>alert(1)</script>").is_err());
    }

    #[test]
    fn remedies_come_from_forms_and_storage() {
        let total = Money(5390);
        assert_eq!(Remedy::from_form("partial_refund", "15,50", total).unwrap(), Remedy::PartialRefund(Money(1550)));
        assert!(Remedy::from_form("partial_refund", "abc", total).unwrap_err().field("amount").is_some());
        assert!(Remedy::from_form("partial_refund", "60", total).unwrap_err().field("amount").is_some());
        assert_eq!(Remedy::from_form("replacement", "", total).unwrap(), Remedy::Replacement);
        assert!(Remedy::from_form("cash", "", total).unwrap_err().field("remedy").is_some());
        for r in [Remedy::FullRefund, Remedy::PartialRefund(Money(100)), Remedy::Replacement, Remedy::ReturnAndRefund] {
            assert_eq!(Remedy::from_parts(r.kind_str(), r.cents()), Some(r));
        }
        assert_eq!(Outcome::Settled(Remedy::FullRefund).final_state(), ClaimState::Resolved);
        assert_eq!(Outcome::Rejected.final_state(), ClaimState::Resolved);
        assert_eq!(Outcome::Withdrawn.final_state(), ClaimState::Closed);
        for o in [Outcome::Settled(Remedy::Replacement), Outcome::Rejected, Outcome::Withdrawn, Outcome::ClosedIdle] {
            let remedy = match o { Outcome::Settled(r) => Some(r), _ => None };
            assert_eq!(Outcome::from_parts(o.kind_str(), remedy), Some(o));
        }
    }

    #[test]
    fn one_mediator_works_a_claim() {
        assert!(may_take(ClaimState::Escalated, None, 7).is_ok());
        assert!(may_take(ClaimState::Escalated, Some(7), 7).is_ok(), "taking it again is harmless");
        assert_eq!(may_take(ClaimState::Escalated, Some(8), 7).unwrap_err().status(), 409);
        assert!(may_take(ClaimState::SellerResponded, None, 7).is_err());
        assert!(may_take(ClaimState::Resolved, None, 7).is_err());
    }

    #[test]
    fn countdowns_read_like_a_person_would_say_them() {
        assert_eq!(countdown(5 * HOUR_MS + 12 * 60_000), "5 h 12 min");
        assert_eq!(countdown(30_000), "under a minute");
        assert_eq!(countdown(42 * 60_000), "42 min");
        assert_eq!(countdown(DAY_MS + 3 * HOUR_MS), "1 day 3 h");
        assert_eq!(countdown(2 * DAY_MS + 5 * HOUR_MS + 59 * 60_000), "2 days 5 h");
    }
}
