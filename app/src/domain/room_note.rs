//! What Troika itself writes in a room (a claim's or a conversation's): who opened the claim and
//! what they ask for, a mediator stepping in, a decision, a missed answer… Kept as a kind and its
//! values (`note_args`, JSON) and written in each reader's language when read, like the notes of an
//! order's history (`order::SystemNote`). People's own words in it (a reason, a note) stay as written.

use crate::domain::dispute::{countdown_in, ClaimReason, Outcome, Party, Remedy};
use crate::domain::locale::Locale;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoomNote {
    /// "Léa opened a claim: Damaged. They ask for: Replacement. The seller has 24 hours to answer."
    ClaimOpened { name: String, reason: ClaimReason, remedy: Remedy },
    /// The seller asked Troika to step in on the order's conversation, proposing `remedy`.
    SellerSteppedIn { name: String, remedy: Remedy },
    /// "Accepted the offer: Full refund." / "Declined the offer: …"
    OfferAnswered { accepted: bool, remedy: Remedy },
    /// "Léa (buyer) asked a mediator to step in." and what they added.
    AskedMediator {
        name: String,
        party: Party,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// "Sam (mediator) is now working on this claim and will answer within 2 days."
    MediatorJoined { name: String, within_ms: i64 },
    /// The mediator's role was taken back: the claim goes back to the queue.
    MediatorLeft { name: String },
    /// "Decision: Settled: Full refund." and the mediator's reason, as written.
    Decision { outcome: Outcome, reason: String },
    /// "Léa withdrew the claim." and what they added.
    Withdrew {
        name: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// The seller let 24 hours pass: a mediator takes over.
    SellerMissedReply,
    /// Nothing happened for a while: the claim closes at `closes_at` (UTC ms) unless someone writes.
    IdleWarning { closes_at: i64 },
    /// Closed after a long quiet period.
    ClosedIdle,
    /// Conversations: the seller marked the buyer's message as needing no answer.
    NoAnswerNeeded { name: String },
    /// Conversations: it became claim `claim`, opened by `name`.
    BecameClaim { name: String, claim: i64 },
    /// Conversations: the seller's answer window (`hours`) passed.
    AnswerLate { hours: i64 },
}

impl RoomNote {
    /// As stored in `note_args`.
    pub fn args(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored note, when there is one Troika can read (rows written before have only their text).
    pub fn stored(args: Option<&str>) -> Option<RoomNote> {
        serde_json::from_str(args?).ok()
    }

    /// The English text, kept in `body` beside the values.
    pub fn english(&self, date_time: fn(Locale, i64) -> String) -> String {
        self.text(Locale::en, date_time)
    }

    /// The note in `l`; `date_time` writes a moment the language's way.
    pub fn text(&self, l: Locale, date_time: fn(Locale, i64) -> String) -> String {
        let with_note = |said: String, note: &str| if note.is_empty() { said } else { format!("{said} {note}") };
        match self {
            RoomNote::ClaimOpened { name, reason, remedy } => {
                td_string!(l, room_notes.opened, name = name, reason = reason.label_in(l), remedy = remedy.label_in(l)).to_string()
            }
            RoomNote::SellerSteppedIn { name, remedy } => td_string!(l, room_notes.seller_stepped_in, name = name, remedy = remedy.label_in(l)).to_string(),
            RoomNote::OfferAnswered { accepted: true, remedy } => td_string!(l, notices.claim.offer_accepted, remedy = remedy.label_in(l)).to_string(),
            RoomNote::OfferAnswered { accepted: false, remedy } => td_string!(l, notices.claim.offer_declined, remedy = remedy.label_in(l)).to_string(),
            RoomNote::AskedMediator { name, party, note } => {
                let who = match party {
                    Party::Buyer => td_string!(l, notices.claim.the_buyer),
                    Party::Seller => td_string!(l, notices.claim.the_seller),
                    Party::Mediator | Party::System => td_string!(l, room_notes.the_mediator),
                };
                with_note(td_string!(l, notices.claim.asked_mediator, name = name, party = who).to_string(), note)
            }
            RoomNote::MediatorJoined { name, within_ms } => {
                td_string!(l, notices.claim.taken_body, name = name, within = countdown_in(l, *within_ms)).to_string()
            }
            RoomNote::MediatorLeft { name } => td_string!(l, room_notes.mediator_left, name = name).to_string(),
            RoomNote::Decision { outcome, reason } => td_string!(l, room_notes.decision, outcome = outcome.label_in(l), reason = reason).to_string(),
            RoomNote::Withdrew { name, note } => with_note(td_string!(l, notices.claim.withdrew, name = name).to_string(), note),
            RoomNote::SellerMissedReply => td_string!(l, notices.claim.auto_escalated).to_string(),
            RoomNote::IdleWarning { closes_at } => td_string!(l, notices.claim.idle_warning, at = date_time(l, *closes_at)).to_string(),
            RoomNote::ClosedIdle => td_string!(l, notices.claim.closed_idle).to_string(),
            RoomNote::NoAnswerNeeded { name } => td_string!(l, room_notes.no_answer_needed, name = name).to_string(),
            RoomNote::BecameClaim { name, claim } => td_string!(l, room_notes.became_claim, name = name, claim = claim).to_string(),
            RoomNote::AnswerLate { hours } => td_string!(l, room_notes.answer_late, hours = hours).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    fn at(_: Locale, ms: i64) -> String {
        format!("<{ms}>")
    }

    #[test]
    fn notes_keep_their_values_and_read_in_each_language() {
        let notes = [
            RoomNote::ClaimOpened { name: "Léa".into(), reason: ClaimReason::Damaged, remedy: Remedy::Replacement },
            RoomNote::SellerSteppedIn { name: "Ana".into(), remedy: Remedy::PartialRefund(Money(1250)) },
            RoomNote::OfferAnswered { accepted: true, remedy: Remedy::FullRefund },
            RoomNote::OfferAnswered { accepted: false, remedy: Remedy::FullRefund },
            RoomNote::AskedMediator { name: "Léa".into(), party: Party::Buyer, note: "It is still broken.".into() },
            RoomNote::MediatorJoined { name: "Sam".into(), within_ms: 2 * 24 * 3_600_000 },
            RoomNote::MediatorLeft { name: "Sam".into() },
            RoomNote::Decision { outcome: Outcome::Rejected, reason: "No proof of damage.".into() },
            RoomNote::Withdrew { name: "Léa".into(), note: String::new() },
            RoomNote::SellerMissedReply,
            RoomNote::IdleWarning { closes_at: 42 },
            RoomNote::ClosedIdle,
            RoomNote::NoAnswerNeeded { name: "Ana".into() },
            RoomNote::BecameClaim { name: "Léa".into(), claim: 7 },
            RoomNote::AnswerLate { hours: 24 },
        ];
        for note in notes {
            assert_eq!(RoomNote::stored(Some(note.args().as_str())), Some(note.clone()), "{note:?} comes back from its values");
            let (en, fr) = (note.text(Locale::en, at), note.text(Locale::fr, at));
            assert!(!en.is_empty() && !fr.is_empty() && en != fr, "{note:?}: {en} / {fr}");
            assert!(!fr.contains("{{") && !en.contains("{{"), "{note:?}: every value is filled in");
        }
        let opened = RoomNote::ClaimOpened { name: "Léa".into(), reason: ClaimReason::Damaged, remedy: Remedy::Replacement };
        assert_eq!(opened.english(at), "Léa opened a claim: Damaged. They ask for: Replacement. The seller has 24 hours to answer.");
        assert!(opened.text(Locale::fr, at).starts_with("Léa a ouvert une réclamation"));
        let asked = RoomNote::AskedMediator { name: "Léa".into(), party: Party::Buyer, note: "It is still broken.".into() };
        assert_eq!(asked.english(at), "Léa (buyer) asked a mediator to step in. It is still broken.");
        assert_eq!(asked.text(Locale::fr, at), "Léa (acheteur) a demandé l’intervention d’un médiateur. It is still broken.");
        assert!(RoomNote::IdleWarning { closes_at: 42 }.text(Locale::fr, at).contains("<42>"));
        assert_eq!(RoomNote::stored(Some("not json")), None);
        assert_eq!(RoomNote::stored(None), None);
    }
}
