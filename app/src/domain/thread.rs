//! Buyer–seller conversations ("threads") and the seller's answer promise: what a conversation is
//! about, the answer clock (a buyer's message waits for the seller's answer, due after the
//! marketplace's answer window), how the shop's answer time is shown to buyers, the on-time share
//! counted in the seller's performance, and saved replies with placeholders. Pure: no I/O, no clock.

use crate::domain::room::RoomEntry;
use crate::domain::{Money, OrderId, ProductId, ShopId, ThreadId, UserId};
use crate::domain::locale;
use crate::error::AppError;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

pub const HOUR_MS: i64 = 3_600_000;
/// The answer window when the marketplace sets none: 24 hours.
pub const DEFAULT_ANSWER_HOURS: i64 = 24;
/// Answers measured for "usually answers within": the last 90 days, from this many answers on.
pub const USUAL_WINDOW_DAYS: i64 = 90;
pub const USUAL_MIN_ANSWERS: usize = 3;
/// The Top seller badge needs this share of first answers in time (per mille).
pub const MIN_ANSWERS_ON_TIME_PERMILLE: i64 = 900;
/// A saved reply's title and text.
pub const TEMPLATE_TITLE_MAX: usize = 80;
pub const TEMPLATE_BODY_MAX: usize = 2_000;
/// Saved replies per shop.
pub const TEMPLATES_MAX: usize = 50;

/// What a conversation is about. Before buying it is always a product question; after buying the
/// buyer picks one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ThreadTopic {
    Product,
    WhereIsOrder,
    Return,
    Invoice,
    Other,
}

impl ThreadTopic {
    pub const ALL: [ThreadTopic; 5] = [ThreadTopic::WhereIsOrder, ThreadTopic::Return, ThreadTopic::Invoice, ThreadTopic::Product, ThreadTopic::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            ThreadTopic::Product => "product",
            ThreadTopic::WhereIsOrder => "where_is_order",
            ThreadTopic::Return => "return",
            ThreadTopic::Invoice => "invoice",
            ThreadTopic::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ThreadTopic> {
        ThreadTopic::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ThreadTopic::Product => "Question about a product",
            ThreadTopic::WhereIsOrder => "Where is my order?",
            ThreadTopic::Return => "Return or exchange",
            ThreadTopic::Invoice => "Invoice",
            ThreadTopic::Other => "Something else",
        }
    }
}

/// Where a conversation stands, as its inbox shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ThreadState {
    /// A buyer's message waits for the seller's answer (the clock runs).
    Waiting,
    /// The seller answered the last message, or marked it as needing no answer.
    Answered,
    /// It became a claim: the marketplace mediates in the claim's room.
    Claim,
}

impl ThreadState {
    pub const ALL: [ThreadState; 3] = [ThreadState::Waiting, ThreadState::Answered, ThreadState::Claim];

    pub fn as_str(self) -> &'static str {
        match self {
            ThreadState::Waiting => "waiting",
            ThreadState::Answered => "answered",
            ThreadState::Claim => "claim",
        }
    }

    pub fn parse(s: &str) -> Option<ThreadState> {
        ThreadState::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ThreadState::Waiting => "Waiting for an answer",
            ThreadState::Answered => "Answered",
            ThreadState::Claim => "Became a claim",
        }
    }
}

/// When the answer to a message sent at `asked_at` is due, with an answer window of `hours`.
pub fn answer_due(asked_at: i64, hours: i64) -> i64 {
    asked_at + hours.max(1) * HOUR_MS
}

/// "23 h left", "45 min left", "3 h late": the time to a deadline, as the seller's inbox shows it.
pub fn countdown(due: i64, now: i64) -> String {
    countdown_in(crate::domain::locale::Locale::en, due, now)
}

/// The seller's countdown in the reader's language ("23 h left" / "23 h restantes").
pub fn countdown_in(l: crate::domain::locale::Locale, due: i64, now: i64) -> String {
    use crate::i18n::td_string;
    let left = due - now;
    let text = |ms: i64| {
        let minutes = (ms / 60_000).max(1);
        if minutes < 60 {
            format!("{minutes} min")
        } else if minutes < 48 * 60 {
            format!("{} h", minutes / 60)
        } else {
            td_string!(l, service_views.thread.days, n = minutes / 1440).to_string()
        }
    };
    if left >= 0 {
        td_string!(l, service_views.thread.time_left, time = text(left)).to_string()
    } else {
        td_string!(l, service_views.thread.time_late, time = text(-left)).to_string()
    }
}

/// The shop's usual answer time for buyers ("The seller usually answers within 3 hours"): the
/// median of its answer times over the last 90 days, rounded up to a plain unit; `None` until it has
/// `USUAL_MIN_ANSWERS` answers.
pub fn usually_answers_within(answer_times_ms: &[i64]) -> Option<String> {
    usually_answers_within_in(crate::domain::locale::Locale::en, answer_times_ms)
}

/// The same, in a language ("3 heures", "un jour").
pub fn usually_answers_within_in(l: crate::domain::locale::Locale, answer_times_ms: &[i64]) -> Option<String> {
    use crate::domain::locale::Locale;
    if answer_times_ms.len() < USUAL_MIN_ANSWERS {
        return None;
    }
    let median = crate::domain::review::median(answer_times_ms.to_vec())?;
    let hours = (median + HOUR_MS - 1) / HOUR_MS;
    Some(match (l, hours) {
        (Locale::en, 0 | 1) => "an hour".to_string(),
        (Locale::en, 2..=23) => format!("{hours} hours"),
        (Locale::en, 24) => "a day".to_string(),
        (Locale::en, h) => format!("{} days", (h + 23) / 24),
        (Locale::fr, 0 | 1) => "une heure".to_string(),
        (Locale::fr, 2..=23) => format!("{hours} heures"),
        (Locale::fr, 24) => "un jour".to_string(),
        (Locale::fr, h) => format!("{} jours", (h + 23) / 24),
    })
}

/// Where a conversation stands from its entries (oldest first), as the page follows it live: a
/// buyer's message waits (since when) until the seller answers or marks it as needing no answer;
/// once it became a claim, it is one. The same rules as the server's clock.
pub fn state_from_entries(entries: &[RoomEntry]) -> (ThreadState, Option<i64>) {
    use crate::domain::dispute::Party;
    use crate::domain::room::EntryKind;
    let mut waiting: Option<i64> = None;
    let mut claim = false;
    for e in entries {
        match (e.kind, e.party) {
            (EntryKind::ClaimOpened, _) => claim = true,
            (EntryKind::Message, Party::Buyer) => waiting = waiting.or(Some(e.at)),
            (EntryKind::Message, Party::Seller) | (EntryKind::NoAnswerNeeded, _) => waiting = None,
            _ => {}
        }
    }
    if claim {
        (ThreadState::Claim, None)
    } else if let Some(at) = waiting {
        (ThreadState::Waiting, Some(at))
    } else {
        (ThreadState::Answered, None)
    }
}

/// One run of the answer clock: from a buyer's message to the seller's answer (or "no answer
/// needed"), due after the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerClock {
    pub asked_at: i64,
    pub due_at: i64,
    pub answered_at: Option<i64>,
    pub no_answer_needed_at: Option<i64>,
    /// The conversation became a claim before an answer: the claim's deadline counts instead.
    #[serde(default)]
    pub became_claim_at: Option<i64>,
}

/// How a clock counts for the seller's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockOutcome {
    /// Still within its deadline, unanswered: not counted yet.
    Running,
    OnTime,
    Late,
    /// The deadline passed without an answer.
    Missed,
    /// The seller said no answer was needed (a thank-you): not counted, shown for audit.
    NoAnswerNeeded,
    /// It became a claim first: counted with claims instead.
    BecameClaim,
}

impl ClockOutcome {
    pub fn label(self) -> &'static str {
        match self {
            ClockOutcome::Running => "Waiting, still in time",
            ClockOutcome::OnTime => "Answered in time",
            ClockOutcome::Late => "Answered late",
            ClockOutcome::Missed => "Not answered in time",
            ClockOutcome::NoAnswerNeeded => "Marked “no answer needed”",
            ClockOutcome::BecameClaim => "Became a claim (counted with claims)",
        }
    }

    /// Whether it counts in the on-time share: once answered or once its deadline has passed.
    pub fn counts(self) -> bool {
        matches!(self, ClockOutcome::OnTime | ClockOutcome::Late | ClockOutcome::Missed)
    }
}

impl AnswerClock {
    pub fn outcome(&self, now: i64) -> ClockOutcome {
        if self.became_claim_at.is_some() && self.answered_at.is_none() {
            return ClockOutcome::BecameClaim;
        }
        match (self.answered_at, self.no_answer_needed_at) {
            (_, Some(_)) => ClockOutcome::NoAnswerNeeded,
            (Some(a), None) if a <= self.due_at => ClockOutcome::OnTime,
            (Some(_), None) => ClockOutcome::Late,
            (None, None) if now >= self.due_at => ClockOutcome::Missed,
            (None, None) => ClockOutcome::Running,
        }
    }
}

/// The seller's answer record over some clocks: (answered in time, counted) and the median time
/// to a first answer. A clock counts only once answered or once its deadline has passed, so
/// messages that arrived minutes ago never count as missed.
pub fn answer_record(clocks: &[AnswerClock], now: i64) -> (i64, i64, Option<i64>) {
    let mut on_time = 0;
    let mut counted = 0;
    let mut times = Vec::new();
    for c in clocks {
        let o = c.outcome(now);
        if o.counts() {
            counted += 1;
        }
        if o == ClockOutcome::OnTime {
            on_time += 1;
        }
        if let (Some(a), None) = (c.answered_at, c.no_answer_needed_at) {
            times.push(a - c.asked_at);
        }
    }
    (on_time, counted, crate::domain::review::median(times))
}

/// What a saved reply's placeholders are filled with (from the conversation's order, when it has
/// one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateValues {
    pub buyer: String,
    pub order: Option<OrderId>,
    pub tracking: Option<String>,
    pub return_policy: String,
}

/// The placeholders a saved reply may use.
pub const PLACEHOLDERS: [&str; 4] = ["{buyer}", "{order}", "{tracking}", "{return_policy}"];

/// Fills a saved reply's placeholders; one without a value says so in words.
pub fn fill_template(body: &str, v: &TemplateValues) -> String {
    let order = v.order.map(|o| format!("#{o}")).unwrap_or_else(|| "your order".to_string());
    let tracking = v.tracking.clone().unwrap_or_else(|| "(no tracking number yet)".to_string());
    body.replace("{buyer}", &v.buyer).replace("{order}", &order).replace("{tracking}", &tracking).replace("{return_policy}", &v.return_policy)
}

/// A saved reply as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateInput {
    pub title: String,
    pub body: String,
}

/// Checks a saved reply: both fields present and within their caps; unknown `{placeholders}` named.
pub fn check_template(input: &TemplateInput) -> Result<(String, String), AppError> {
    let mut fields = std::collections::BTreeMap::new();
    let title = input.title.trim();
    let body = input.body.trim();
    if title.is_empty() {
        fields.insert("title".to_string(), td_string!(locale::request(), server.thread.template_title).to_string());
    } else if title.chars().count() > TEMPLATE_TITLE_MAX {
        fields.insert("title".to_string(), td_string!(locale::request(), server.at_most, max = TEMPLATE_TITLE_MAX).to_string());
    }
    if body.is_empty() {
        fields.insert("body".to_string(), td_string!(locale::request(), server.thread.template_body).to_string());
    } else if body.chars().count() > TEMPLATE_BODY_MAX {
        fields.insert("body".to_string(), td_string!(locale::request(), server.at_most, max = TEMPLATE_BODY_MAX).to_string());
    } else if let Some(bad) = unknown_placeholder(body) {
        fields.insert("body".to_string(), td_string!(locale::request(), server.thread.placeholder, bad = bad, list = PLACEHOLDERS.join(", ")).to_string());
    }
    if fields.is_empty() {
        Ok((title.to_string(), body.to_string()))
    } else {
        Err(AppError::from_fields(fields))
    }
}

/// The first `{word}` in `body` that is not one of the placeholders.
fn unknown_placeholder(body: &str) -> Option<String> {
    let mut rest = body;
    while let Some(start) = rest.find('{') {
        let after = &rest[start..];
        let end = after.find('}')?;
        let candidate = &after[..=end];
        let word = &candidate[1..candidate.len() - 1];
        if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !PLACEHOLDERS.contains(&candidate) {
            return Some(candidate.to_string());
        }
        rest = &after[1..];
    }
    None
}

/// A saved reply of a shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReply {
    pub id: i64,
    pub title: String,
    pub body: String,
}

/// The order beside a conversation about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPanel {
    pub id: OrderId,
    pub status: String,
    pub placed_at: String,
    /// (name, quantity)
    pub items: Vec<(String, i64)>,
    pub total: Money,
    /// (carrier, tracking number) once shipped.
    pub shipment: Option<(String, String)>,
    pub estimate: Option<String>,
}

/// A conversation as one of its parties (or a mediator, once it became a claim) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub id: ThreadId,
    pub topic: ThreadTopic,
    /// "Crêpe pan, 24 cm" or "Order #12".
    pub subject: String,
    pub shop_id: ShopId,
    pub shop_name: String,
    pub shop_slug: String,
    /// The buyer's display name: all the seller learns of them.
    pub buyer_name: String,
    pub product: Option<(ProductId, String)>,
    pub order: Option<OrderPanel>,
    pub viewer: crate::domain::dispute::Party,
    pub viewer_id: UserId,
    pub entries: Vec<RoomEntry>,
    /// The room's newest sequence number: the socket resumes after it.
    pub cursor: i64,
    /// How far each side has read: (party, seq).
    pub reads: Vec<(crate::domain::dispute::Party, i64)>,
    pub state: ThreadState,
    /// "Answer expected by 5 Dec 2026, 14:05 UTC" while a message waits.
    pub answer_expected: Option<String>,
    /// For the seller: "23 h left".
    pub countdown: Option<String>,
    /// The marketplace's answer window (ms): the page counts down a message that arrives live.
    #[serde(default)]
    pub answer_window_ms: i64,
    /// "The seller usually answers within 3 hours."
    pub usually: Option<String>,
    /// "The buyer reads French": the language of the other side, for each other side who chose one.
    #[serde(default)]
    pub others_read: Vec<String>,
    pub claim: Option<crate::domain::ClaimId>,
    /// The buyer may turn it into a claim (an order whose claim may open now).
    pub may_claim: bool,
    /// The seller may ask the marketplace to step in (an order, no claim yet).
    pub may_escalate: bool,
    /// The seller's saved replies, filled for this conversation.
    pub replies: Vec<SavedReply>,
    /// The seller may publish a question and its answer (a product question with an answer).
    pub may_publish: bool,
    /// Where its public Q&A stands ("Waiting for a moderator", "Published on the product page").
    #[serde(default)]
    pub public_qa: Option<String>,
    pub now: i64,
}

/// One line of an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadSummary {
    pub id: ThreadId,
    pub topic: ThreadTopic,
    pub subject: String,
    /// The other side: the shop (buyer's inbox) or the buyer's name (seller's inbox).
    pub with: String,
    pub state: ThreadState,
    pub unread: bool,
    pub last_message_at: String,
    /// The newest message, cut short.
    pub preview: String,
    /// Seller's inbox: "23 h left" / "3 h late" while it waits.
    pub countdown: Option<String>,
    pub late: bool,
}

/// A person's inbox: threads (unanswered first, oldest deadline first, for the seller), the
/// filters in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub threads: Vec<ThreadSummary>,
    pub topic: Option<ThreadTopic>,
    pub state: Option<ThreadState>,
    /// Seller's inbox: how many wait for an answer, and how many of those are late.
    pub waiting: i64,
    pub late: i64,
    pub shop_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = HOUR_MS;

    fn clock(asked: i64, answered: Option<i64>, no_answer: Option<i64>) -> AnswerClock {
        AnswerClock { asked_at: asked, due_at: answer_due(asked, 24), answered_at: answered, no_answer_needed_at: no_answer, became_claim_at: None }
    }

    #[test]
    fn an_answer_is_due_a_window_after_the_question() {
        assert_eq!(answer_due(1_000, 24), 1_000 + 24 * H);
        assert_eq!(answer_due(0, 48), 48 * H);
        assert_eq!(answer_due(0, 0), H, "a window of at least an hour");
        assert_eq!(countdown(24 * H, H), "23 h left");
        assert_eq!(countdown(24 * H, 24 * H - 10 * 60_000), "10 min left");
        assert_eq!(countdown(24 * H, 27 * H), "3 h late");
        assert_eq!(countdown(24 * H, 24 * H + 20_000), "1 min late");
        assert_eq!(countdown(100 * H, 0), "4 days left");
    }

    #[test]
    fn the_usual_answer_time_is_the_median_rounded_up_once_there_are_enough_answers() {
        assert_eq!(usually_answers_within(&[H, 2 * H]), None, "two answers are not enough");
        assert_eq!(usually_answers_within(&[10 * 60_000, 20 * 60_000, 30 * 60_000]).as_deref(), Some("an hour"));
        assert_eq!(usually_answers_within(&[H, 2 * H + 1, 30 * H]).as_deref(), Some("3 hours"));
        assert_eq!(usually_answers_within(&[20 * H, 24 * H, 23 * H + 1]).as_deref(), Some("a day"));
        assert_eq!(usually_answers_within(&[30 * H, 40 * H, 50 * H, 60 * H]).as_deref(), Some("2 days"));
        let french = crate::domain::locale::Locale::fr;
        assert_eq!(usually_answers_within_in(french, &[H, 2 * H + 1, 30 * H]).as_deref(), Some("3 heures"));
        assert_eq!(usually_answers_within_in(french, &[30 * H, 40 * H, 50 * H, 60 * H]).as_deref(), Some("2 jours"));
    }

    #[test]
    fn a_clock_counts_once_answered_or_once_its_deadline_has_passed() {
        let now = 100 * H;
        // Three fresh messages, minutes old: nothing counts, nothing is missed.
        let fresh = [clock(now - 60_000, None, None), clock(now - 120_000, None, None), clock(now - 5 * 60_000, None, None)];
        assert_eq!(answer_record(&fresh, now), (0, 0, None));
        assert!(fresh.iter().all(|c| c.outcome(now) == ClockOutcome::Running));
        // In time, late, missed, and a thank-you that needed no answer.
        let clocks = [
            clock(0, Some(2 * H), None),
            clock(0, Some(30 * H), None),
            clock(10 * H, None, None),
            clock(20 * H, None, Some(21 * H)),
            clock(now - H, None, None),
        ];
        let outcomes: Vec<ClockOutcome> = clocks.iter().map(|c| c.outcome(now)).collect();
        assert_eq!(outcomes, vec![ClockOutcome::OnTime, ClockOutcome::Late, ClockOutcome::Missed, ClockOutcome::NoAnswerNeeded, ClockOutcome::Running]);
        let (on_time, counted, median) = answer_record(&clocks, now);
        assert_eq!((on_time, counted), (1, 3), "the running and the no-answer-needed ones do not count");
        assert_eq!(median, Some(16 * H), "median of the first answers (2 h and 30 h)");
        // A conversation that became a claim before any answer is counted with claims, not here.
        let claimed = AnswerClock { became_claim_at: Some(2 * H), ..clock(0, None, None) };
        assert_eq!(claimed.outcome(now), ClockOutcome::BecameClaim);
        assert_eq!(answer_record(&[claimed], now), (0, 0, None));
        // Exactly at the deadline the answer is in time; a missed clock counts from its deadline on.
        assert_eq!(clock(0, Some(24 * H), None).outcome(now), ClockOutcome::OnTime);
        assert_eq!(clock(0, None, None).outcome(24 * H - 1), ClockOutcome::Running);
        assert_eq!(clock(0, None, None).outcome(24 * H), ClockOutcome::Missed);
    }

    #[test]
    fn saved_replies_fill_their_placeholders_from_the_order() {
        let v = TemplateValues { buyer: "Ana".into(), order: Some(OrderId(12)), tracking: Some("JD0146".into()), return_policy: "30-day returns".into() };
        assert_eq!(
            fill_template("Hello {buyer}, order {order} left today: {tracking}. {return_policy}.", &v),
            "Hello Ana, order #12 left today: JD0146. 30-day returns."
        );
        let before = TemplateValues { buyer: "Ana".into(), ..Default::default() };
        assert_eq!(fill_template("{order}: {tracking}", &before), "your order: (no tracking number yet)");
        assert_eq!(fill_template("Plain {braces} stay", &v), "Plain {braces} stay");
    }

    #[test]
    fn saved_replies_are_checked_with_a_message_per_field() {
        assert!(check_template(&TemplateInput { title: "Shipped".into(), body: "Hi {buyer}, it left: {tracking}".into() }).is_ok());
        let e = check_template(&TemplateInput { title: " ".into(), body: "Hi {name}".into() }).unwrap_err();
        assert!(e.field("title").is_some());
        assert!(e.field("body").unwrap().contains("{name} is not a placeholder"));
        let long = "x".repeat(TEMPLATE_BODY_MAX + 1);
        assert!(check_template(&TemplateInput { title: "a".into(), body: long }).unwrap_err().field("body").unwrap().contains("At most"));
        assert!(check_template(&TemplateInput { title: "a".into(), body: "JSON {\"a\": 1} is fine".into() }).is_ok());
    }

    #[test]
    fn a_conversation_waits_from_the_buyers_first_unanswered_message() {
        use crate::domain::dispute::{Audience, Party};
        use crate::domain::room::EntryKind;
        let e = |seq: i64, kind: EntryKind, party: Party| RoomEntry {
            seq,
            kind,
            party,
            author: String::new(),
            audience: Audience::All,
            body: String::new(),
            remedy: None,
            offer_state: None,
            refers_to: None,
            client_id: None,
            author_id: None,
            at: seq * 1000,
            at_text: String::new(),
            flags: Vec::new(),
            photo: None,
        };
        assert_eq!(state_from_entries(&[]), (ThreadState::Answered, None));
        let asked = [e(1, EntryKind::Message, Party::Buyer), e(2, EntryKind::Message, Party::Buyer)];
        assert_eq!(state_from_entries(&asked), (ThreadState::Waiting, Some(1000)), "from the first unanswered message");
        let answered = [e(1, EntryKind::Message, Party::Buyer), e(2, EntryKind::Message, Party::Seller)];
        assert_eq!(state_from_entries(&answered).0, ThreadState::Answered);
        let thanks = [e(1, EntryKind::Message, Party::Buyer), e(2, EntryKind::Message, Party::Seller), e(3, EntryKind::Message, Party::Buyer), e(4, EntryKind::NoAnswerNeeded, Party::Seller)];
        assert_eq!(state_from_entries(&thanks).0, ThreadState::Answered);
        let late = [e(1, EntryKind::Message, Party::Buyer), e(2, EntryKind::AnswerLate, Party::System)];
        assert_eq!(state_from_entries(&late), (ThreadState::Waiting, Some(1000)), "late is still waiting");
        let claim = [e(1, EntryKind::Message, Party::Buyer), e(2, EntryKind::ClaimOpened, Party::System)];
        assert_eq!(state_from_entries(&claim).0, ThreadState::Claim);
    }

    #[test]
    fn topics_and_states_round_trip() {
        for t in ThreadTopic::ALL {
            assert_eq!(ThreadTopic::parse(t.as_str()), Some(t));
        }
        for s in ThreadState::ALL {
            assert_eq!(ThreadState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ThreadTopic::parse("nope"), None);
    }
}
