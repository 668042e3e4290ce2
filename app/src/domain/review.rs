//! Reviews (issue 5 groundwork): the automatic screening every new review or seller reply goes
//! through before a moderator sees it, the rating aggregation over published reviews, and the
//! "Top seller" badge rules. Pure rules: the caller gathers the facts (earlier texts, recent
//! counts, who the author is) and passes them in. Flags order the moderation queue; they never
//! publish or reject anything on their own.

use crate::domain::catalog::Rating;
use crate::domain::{OrderId, ProductId, ReviewId};
use crate::domain::search::fold;
use crate::domain::locale;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

/// Why a review was flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Flag {
    Profanity,
    Link,
    Email,
    Phone,
    Shouting,
    NearDuplicate,
    Burst,
    SelfReview,
    RatingMismatch,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Profanity => "profanity",
            Flag::Link => "link",
            Flag::Email => "email",
            Flag::Phone => "phone",
            Flag::Shouting => "shouting",
            Flag::NearDuplicate => "near_duplicate",
            Flag::Burst => "burst",
            Flag::SelfReview => "self_review",
            Flag::RatingMismatch => "rating_mismatch",
        }
    }

    /// How much the flag raises the review in the queue (highest risk first).
    pub fn weight(self) -> u32 {
        match self {
            Flag::SelfReview => 50,
            Flag::Email | Flag::Phone => 30,
            Flag::Profanity => 25,
            Flag::NearDuplicate | Flag::Burst => 20,
            Flag::Link => 15,
            Flag::RatingMismatch => 10,
            Flag::Shouting => 5,
        }
    }
}

/// A flag with what the screening found: `detail` is what a page puts in the flag's words in the
/// reader's language (the words found, a share in %, a count, the stars: `1` or `5`; empty for the
/// others); `reason` is the same in English, for logs and the decisions' record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flagged {
    pub flag: Flag,
    pub reason: String,
    #[serde(default)]
    pub detail: String,
}

impl Flagged {
    fn new(flag: Flag, reason: impl Into<String>, detail: impl Into<String>) -> Self {
        Flagged { flag, reason: reason.into(), detail: detail.into() }
    }

    /// Text screened before the detail was stored apart keeps it only inside its English reason:
    /// taken from there once, when the server reads the row, so no page reads English.
    pub fn with_detail(mut self) -> Self {
        if self.detail.is_empty() {
            let r = self.reason.as_str();
            self.detail = match self.flag {
                Flag::Profanity => r.split_once(": ").map_or("", |(_, words)| words),
                Flag::NearDuplicate | Flag::Burst => r.split_whitespace().next().unwrap_or_default(),
                Flag::RatingMismatch => r.get(..1).unwrap_or_default(),
                _ => "",
            }
            .to_string();
        }
        self
    }
}

/// Insults and profanity, English and French, folded (lower case, no accents). Whole words only, so
/// "class" or "Scunthorpe"-style words inside others are not caught.
const PROFANITY: &[&str] = &[
    // English
    "fuck", "fucking", "fucked", "shit", "shitty", "bullshit", "asshole", "bastard", "bitch", "crap", "idiot", "idiots",
    "moron", "stupid", "scam", "scammer", "scammers", "thief", "thieves", "dick", "wanker", "retard",
    // French
    "merde", "putain", "connard", "connards", "connasse", "con", "cons", "salaud", "salope", "encule", "encules",
    "batard", "abruti", "abrutis", "debile", "escroc", "escrocs", "arnaque", "arnaqueur", "arnaqueurs", "voleur",
    "voleurs", "nul", "nuls", "chiant", "emmerdeur", "foutage",
];

/// Words that say the buyer was pleased / displeased, for the rating–text check (folded).
const POSITIVE: &[&str] = &[
    "great", "excellent", "perfect", "love", "loved", "amazing", "wonderful", "recommend", "happy", "superb", "fantastic",
    "parfait", "parfaite", "excellent", "excellente", "super", "genial", "geniale", "recommande", "ravi", "ravie",
    "adore", "magnifique", "top", "impeccable",
];
const NEGATIVE: &[&str] = &[
    "broken", "terrible", "awful", "bad", "worst", "disappointed", "disappointing", "useless", "never", "refund",
    "poor", "horrible", "casse", "cassee", "decu", "decue", "decevant", "mauvais", "mauvaise", "pire", "inutile",
    "jamais", "rembourse", "remboursement", "nul", "horrible", "defectueux",
];

fn words(text: &str) -> Vec<String> {
    fold(text).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("http://")
        || lower.contains("https://")
        || lower.contains("www.")
        || lower.split_whitespace().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            // "shop.example.com", "bit.ly/x": a dot followed by a known top-level name.
            [".com", ".fr", ".net", ".org", ".io", ".ly", ".be", ".de", ".es", ".pt", ".shop"]
                .iter()
                .any(|tld| w.contains(&format!("{tld}/")) || (w.ends_with(tld) && w.len() > tld.len() + 1 && !w.contains('@')))
        })
}

fn has_email(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '<' | '>'))
        .any(|w| {
            let w = w.trim_matches(|c: char| matches!(c, '.' | ':' | '!' | '?'));
            match w.split_once('@') {
                Some((user, domain)) => !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'),
                None => false,
            }
        })
        // "name at gmail dot com"
        || {
            let f = fold(text);
            f.contains(" at ") && (f.contains(" dot com") || f.contains(" point com") || f.contains(" dot fr") || f.contains(" point fr"))
        }
}

/// A phone number: 9 or more digits close together ("06 12 34 56 78", "+33 6 12 34 56 78",
/// "(555) 123-4567"), but not a price or an order number of a few digits.
fn has_phone(text: &str) -> bool {
    let mut digits = 0;
    let mut gap = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            gap = 0;
            if digits >= 9 {
                return true;
            }
        } else if matches!(c, ' ' | '-' | '.' | '(' | ')' | '+' | '/') && gap < 2 {
            gap += 1;
        } else {
            digits = 0;
            gap = 0;
        }
    }
    false
}

/// Mostly capitals: at least 12 letters, more than 70 % of them upper case.
fn is_shouting(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    letters.len() >= 12 && upper * 10 > letters.len() * 7
}

/// Word 3-grams of the folded text (short texts: the words themselves), hashed, sorted, unique.
fn shingles(text: &str) -> Vec<u64> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let w = words(text);
    let hash = |g: &[String]| {
        let mut h = DefaultHasher::new();
        g.hash(&mut h);
        h.finish()
    };
    let mut out: Vec<u64> = if w.len() < 3 { w.chunks(1).map(hash).collect() } else { w.windows(3).map(hash).collect() };
    out.sort_unstable();
    out.dedup();
    out
}

/// Jaccard similarity of two sorted, unique shingle lists.
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// How alike two texts are, 0 to 1 (Jaccard similarity of their word 3-grams).
pub fn similarity(a: &str, b: &str) -> f64 {
    jaccard(&shingles(a), &shingles(b))
}

/// Near-duplicates: at least this similar to an earlier review (the same or another account).
pub const NEAR_DUPLICATE: f64 = 0.6;
/// A burst: this many reviews or more for one product or one seller within `BURST_WINDOW_MS`.
pub const BURST_COUNT: i64 = 5;
pub const BURST_WINDOW_MS: i64 = 60 * 60 * 1000;

/// What the screening needs to know besides the text.
#[derive(Debug, Clone, Default)]
pub struct ScreeningContext<'a> {
    /// Stars, 1–5 (`None` for a seller's reply).
    pub stars: Option<u8>,
    /// Earlier review texts to compare with (same product or seller, and the author's own).
    pub earlier: &'a [String],
    /// Reviews for the same product, and for the same seller, in the last `BURST_WINDOW_MS`
    /// (this one included).
    pub recent_for_product: i64,
    pub recent_for_seller: i64,
    /// The author owns the shop being reviewed.
    pub author_is_seller: bool,
}

/// What the screening finds in a private message that should stay on Troika: a link, an e-mail
/// address, a phone number (the sender is warned before sending; staff see the flag).
pub fn contact_flags(text: &str) -> Vec<Flagged> {
    let mut out = Vec::new();
    if has_link(text) {
        out.push(Flagged::new(Flag::Link, LINK, ""));
    }
    if has_email(text) {
        out.push(Flagged::new(Flag::Email, EMAIL, ""));
    }
    if has_phone(text) {
        out.push(Flagged::new(Flag::Phone, PHONE, ""));
    }
    out
}

/// What the screening of a private message found, in the reader's words ("a link"): the sender's
/// warning and the flag note beside a sent message.
pub fn found_in_message(l: locale::Locale, flag: Flag) -> Option<&'static str> {
    match flag {
        Flag::Link => Some(td_string!(l, server.thread.found_link)),
        Flag::Email => Some(td_string!(l, server.thread.found_email)),
        Flag::Phone => Some(td_string!(l, server.thread.found_phone)),
        _ => None,
    }
}

const LINK: &str = "Contains a link";
const EMAIL: &str = "Contains an e-mail address (personal data)";
const PHONE: &str = "Contains a phone number (personal data)";

/// Screens a review (title and text) and returns its flags, each with a reason.
pub fn screen(title: &str, body: &str, ctx: &ScreeningContext<'_>) -> Vec<Flagged> {
    let text = format!("{title}\n{body}");
    let mut out = Vec::new();
    let mut push = |flag, reason: String, detail: String| out.push(Flagged { flag, reason, detail });
    let w = words(&text);
    let insults: Vec<&String> = w.iter().filter(|x| PROFANITY.contains(&x.as_str())).collect();
    if !insults.is_empty() {
        let mut list: Vec<&str> = insults.iter().map(|s| s.as_str()).collect();
        list.dedup();
        let found = list.join(", ");
        push(Flag::Profanity, format!("Insult or profanity: {found}"), found);
    }
    if has_link(&text) {
        push(Flag::Link, LINK.into(), String::new());
    }
    if has_email(&text) {
        push(Flag::Email, EMAIL.into(), String::new());
    }
    if has_phone(&text) {
        push(Flag::Phone, PHONE.into(), String::new());
    }
    if is_shouting(&text) {
        push(Flag::Shouting, "Mostly capital letters".into(), String::new());
    }
    // The new text's shingles once; each earlier text's as it comes.
    let mine = shingles(&text);
    if let Some(best) = ctx.earlier.iter().map(|e| jaccard(&mine, &shingles(e))).fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s)))) {
        if best >= NEAR_DUPLICATE {
            let share = format!("{:.0}", best * 100.0);
            push(Flag::NearDuplicate, format!("{share} % like an earlier review"), share);
        }
    }
    if ctx.recent_for_product >= BURST_COUNT || ctx.recent_for_seller >= BURST_COUNT {
        let n = ctx.recent_for_product.max(ctx.recent_for_seller);
        push(Flag::Burst, format!("{n} reviews for this product or seller within an hour"), n.to_string());
    }
    if ctx.author_is_seller {
        push(Flag::SelfReview, "Written by the seller of the reviewed shop".into(), String::new());
    }
    if let Some(stars) = ctx.stars {
        let pos = w.iter().filter(|x| POSITIVE.contains(&x.as_str())).count();
        let neg = w.iter().filter(|x| NEGATIVE.contains(&x.as_str())).count();
        if stars <= 1 && pos >= 2 && pos > neg * 2 {
            push(Flag::RatingMismatch, "1 star, but the text reads as praise".into(), "1".into());
        } else if stars >= 5 && neg >= 2 && neg > pos * 2 {
            push(Flag::RatingMismatch, "5 stars, but the text reads as a complaint".into(), "5".into());
        }
    }
    out
}

/// The queue order: higher first.
pub fn risk(flags: &[Flagged]) -> u32 {
    flags.iter().map(|f| f.flag.weight()).sum()
}

/// A seller's measured performance over the trailing window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Performance {
    pub orders: i64,
    pub late_shipments: i64,
    pub refused: i64,
    /// Claims answered by the seller within 24 h / claims that count: answered, or past their
    /// 24 h (a claim opened minutes ago is not yet a miss).
    pub first_replies_in_time: i64,
    pub claims: i64,
    pub rating: Rating,
    /// Buyers' messages answered within the answer window / messages that count (answered, or
    /// past their deadline; "no answer needed" never counts).
    #[serde(default)]
    pub messages_in_time: i64,
    #[serde(default)]
    pub messages: i64,
}

/// The thresholds of the "Top seller" badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Threshold {
    Orders,
    LateShipments,
    RefusedOrders,
    ClaimsAnswered,
    MessagesAnswered,
    Rating,
}

/// One threshold of the "Top seller" badge, as the dashboard explains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgeCheck {
    pub threshold: Threshold,
    pub what: String,
    pub holds: bool,
    /// Close to the limit (within a fifth of the allowance): the seller is warned.
    pub near_limit: bool,
    pub value: String,
    pub limit: String,
}

pub const MIN_ORDERS: i64 = 5;
/// Percent limits, in tenths of a percent: late ≤ 3 %, refused ≤ 2.5 %, replies in time ≥ 95 %.
pub const MAX_LATE_PERMILLE: i64 = 30;
pub const MAX_REFUSED_PERMILLE: i64 = 25;
pub const MIN_REPLY_PERMILLE: i64 = 950;
/// Rating ≥ 4.8, in tenths.
pub const MIN_RATING_TENTHS: i64 = 48;

fn permille(part: i64, whole: i64) -> i64 {
    if whole == 0 { 0 } else { part * 1000 / whole }
}

fn pct(permille: i64) -> String {
    format!("{}.{} %", permille / 10, permille % 10)
}

/// Every threshold of the badge with whether it holds and whether it is close to failing.
pub fn badge_checks(p: &Performance) -> Vec<BadgeCheck> {
    let late = permille(p.late_shipments, p.orders);
    let refused = permille(p.refused, p.orders);
    let replies = if p.claims == 0 { 1000 } else { permille(p.first_replies_in_time, p.claims) };
    let answers = if p.messages == 0 { 1000 } else { permille(p.messages_in_time, p.messages) };
    let min_answers = crate::domain::thread::MIN_ANSWERS_ON_TIME_PERMILLE;
    let rating = p.rating.tenths();
    vec![
        BadgeCheck { threshold: Threshold::Orders, what: "Orders in the window".into(), holds: p.orders >= MIN_ORDERS, near_limit: false, value: p.orders.to_string(), limit: format!("at least {MIN_ORDERS}") },
        BadgeCheck { threshold: Threshold::LateShipments, what: "Late shipments".into(), holds: late <= MAX_LATE_PERMILLE, near_limit: late <= MAX_LATE_PERMILLE && late * 5 > MAX_LATE_PERMILLE * 4, value: pct(late), limit: format!("at most {}", pct(MAX_LATE_PERMILLE)) },
        BadgeCheck { threshold: Threshold::RefusedOrders, what: "Refused orders".into(), holds: refused <= MAX_REFUSED_PERMILLE, near_limit: refused <= MAX_REFUSED_PERMILLE && refused * 5 > MAX_REFUSED_PERMILLE * 4, value: pct(refused), limit: format!("at most {}", pct(MAX_REFUSED_PERMILLE)) },
        BadgeCheck { threshold: Threshold::ClaimsAnswered, what: "Claims answered within 24 h".into(), holds: replies >= MIN_REPLY_PERMILLE, near_limit: (MIN_REPLY_PERMILLE..1000).contains(&replies) && (1000 - replies) * 5 > (1000 - MIN_REPLY_PERMILLE) * 4, value: pct(replies), limit: format!("at least {}", pct(MIN_REPLY_PERMILLE)) },
        BadgeCheck {
            threshold: Threshold::MessagesAnswered,
            what: "First answers to messages in time".into(),
            holds: answers >= min_answers,
            near_limit: (min_answers..1000).contains(&answers) && (1000 - answers) * 5 > (1000 - min_answers) * 4,
            value: if p.messages == 0 { "no messages yet".into() } else { pct(answers) },
            limit: format!("at least {}", pct(min_answers)),
        },
        BadgeCheck {
            threshold: Threshold::Rating,
            what: "Average rating".into(),
            holds: rating.is_some_and(|r| r >= MIN_RATING_TENTHS),
            near_limit: rating == Some(MIN_RATING_TENTHS),
            value: rating.map(|r| format!("{}.{}", r / 10, r % 10)).unwrap_or_else(|| "no reviews".into()),
            limit: format!("at least {}.{}", MIN_RATING_TENTHS / 10, MIN_RATING_TENTHS % 10),
        },
    ]
}

/// Claims as counted for "answered within 24 h": (answered in time, counted). A claim counts once
/// the seller answered it or once its 24 hours have passed, so a claim opened minutes ago is never
/// a miss. Each claim is (opened at, the seller's first answer).
pub fn claim_replies(claims: &[(i64, Option<i64>)], now: i64) -> (i64, i64) {
    use crate::domain::thread::AnswerClock;
    const DAY: i64 = 24 * 3_600_000;
    let clocks: Vec<AnswerClock> = claims.iter().map(|(opened, reply)| AnswerClock { asked_at: *opened, due_at: opened + DAY, answered_at: *reply, no_answer_needed_at: None, became_claim_at: None }).collect();
    let (in_time, counted, _) = crate::domain::thread::answer_record(&clocks, now);
    (in_time, counted)
}

/// The badge: every threshold holds over the window.
pub fn is_top_seller(p: &Performance) -> bool {
    badge_checks(p).iter().all(|c| c.holds)
}


/// Where a review (or reply) stands for the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewState {
    /// Written or edited, waiting for a moderator: not shown, not counted.
    Pending,
    Published,
    Rejected,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Pending => "pending",
            ReviewState::Published => "published",
            ReviewState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> ReviewState {
        match s {
            "published" => ReviewState::Published,
            "rejected" => ReviewState::Rejected,
            _ => ReviewState::Pending,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewState::Pending => "Awaiting moderation",
            ReviewState::Published => "Published",
            ReviewState::Rejected => "Not published",
        }
    }
}

/// Why an item waits in the moderation queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QueueReason {
    New,
    /// Edited by its author after a moderator had published it.
    Edited,
    /// A published review somebody reported (it stays published meanwhile).
    Reported,
    /// The author appealed a rejection: for another moderator.
    Appeal,
}

impl QueueReason {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueReason::New => "new",
            QueueReason::Edited => "edited",
            QueueReason::Reported => "reported",
            QueueReason::Appeal => "appeal",
        }
    }

    pub fn parse(s: &str) -> Option<QueueReason> {
        [QueueReason::New, QueueReason::Edited, QueueReason::Reported, QueueReason::Appeal].into_iter().find(|q| q.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            QueueReason::New => "New",
            QueueReason::Edited => "Edited after publication",
            QueueReason::Reported => "Reported",
            QueueReason::Appeal => "Appeal",
        }
    }
}

/// The content policy: why a review may be rejected, and why one may be reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyReason {
    Offensive,
    PersonalData,
    Spam,
    OffTopic,
    NotGenuine,
    ConflictOfInterest,
    Other,
}

impl PolicyReason {
    pub const ALL: [PolicyReason; 7] = [
        PolicyReason::Offensive,
        PolicyReason::PersonalData,
        PolicyReason::Spam,
        PolicyReason::OffTopic,
        PolicyReason::NotGenuine,
        PolicyReason::ConflictOfInterest,
        PolicyReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PolicyReason::Offensive => "offensive",
            PolicyReason::PersonalData => "personal_data",
            PolicyReason::Spam => "spam",
            PolicyReason::OffTopic => "off_topic",
            PolicyReason::NotGenuine => "not_genuine",
            PolicyReason::ConflictOfInterest => "conflict_of_interest",
            PolicyReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PolicyReason> {
        PolicyReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            PolicyReason::Offensive => "Insults, hate or profanity",
            PolicyReason::PersonalData => "Personal data (e-mail, phone, address)",
            PolicyReason::Spam => "Advertising, links or spam",
            PolicyReason::OffTopic => "Not about the product or the purchase",
            PolicyReason::NotGenuine => "Not a genuine experience (copied, paid or fake)",
            PolicyReason::ConflictOfInterest => "Written by the seller or someone acting for them",
            PolicyReason::Other => "Other (see the note)",
        }
    }

    /// The reason in `l` (for what the server writes to a person: notifications).
    pub fn label_in(self, l: crate::i18n::Locale) -> &'static str {
        match self {
            PolicyReason::Offensive => td_string!(l, notices.policy.offensive),
            PolicyReason::PersonalData => td_string!(l, notices.policy.personal_data),
            PolicyReason::Spam => td_string!(l, notices.policy.spam),
            PolicyReason::OffTopic => td_string!(l, notices.policy.off_topic),
            PolicyReason::NotGenuine => td_string!(l, notices.policy.not_genuine),
            PolicyReason::ConflictOfInterest => td_string!(l, notices.policy.conflict),
            PolicyReason::Other => td_string!(l, notices.policy.other),
        }
    }
}

pub const TITLE_MIN: usize = 3;
pub const TITLE_MAX: usize = 120;
pub const BODY_MIN: usize = 10;
pub const BODY_MAX: usize = 4000;
pub const REPLY_MIN: usize = 2;
pub const REPLY_MAX: usize = 2000;
pub use super::text::NOTE_MAX;
/// A moderator's claim on a review lapses after this long (they left; somebody else may take it).
pub const CLAIM_LEASE_MS: i64 = 15 * 60 * 1000;

/// A review as typed into the form: all text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInput {
    pub stars: String,
    pub seller_stars: String,
    pub title: String,
    pub body: String,
}

/// A checked review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub stars: u8,
    /// `None` when the seller was rated in another review of the same order.
    pub seller_stars: Option<u8>,
    pub title: String,
    pub body: String,
}

use super::text::check_len;

fn parse_stars(fields: &mut crate::error::FieldErrors, name: &str, raw: &str, whom: &str) -> Option<u8> {
    match raw.trim().parse::<u8>() {
        Ok(n @ 1..=5) => Some(n),
        _ => {
            fields.insert(name.into(), td_string!(locale::request(), server.review.stars, whom = whom).to_string());
            None
        }
    }
}

impl NewReview {
    /// Checks the form; `asks_seller`: the seller's stars are asked on this review.
    pub fn parse(input: &ReviewInput, asks_seller: bool) -> Result<NewReview, crate::error::AppError> {
        let mut fields = crate::error::FieldErrors::new();
        let stars = parse_stars(&mut fields, "stars", &input.stars, td_string!(locale::request(), server.what.the_product));
        let seller_stars = if asks_seller { parse_stars(&mut fields, "seller_stars", &input.seller_stars, td_string!(locale::request(), server.what.the_seller)) } else { None };
        let title = input.title.trim().to_string();
        let body = input.body.trim().to_string();
        check_len(&mut fields, "title", &title, TITLE_MIN, TITLE_MAX, td_string!(locale::request(), server.what.title));
        check_len(&mut fields, "body", &body, BODY_MIN, BODY_MAX, td_string!(locale::request(), server.what.review));
        match stars {
            Some(stars) if fields.is_empty() => Ok(NewReview { stars, seller_stars, title, body }),
            _ => Err(crate::error::AppError::from_fields(fields)),
        }
    }
}

/// Trims a text and checks its length; the message names `what` and goes with form field `field`.
fn checked_text(text: &str, field: &str, (min, max): (usize, usize), what: &str) -> Result<String, crate::error::AppError> {
    let text = text.trim().to_string();
    let mut fields = crate::error::FieldErrors::new();
    check_len(&mut fields, field, &text, min, max, what);
    if fields.is_empty() { Ok(text) } else { Err(crate::error::AppError::from_fields(fields)) }
}

/// Checks a seller's reply.
pub fn check_reply(body: &str) -> Result<String, crate::error::AppError> {
    checked_text(body, "body", (REPLY_MIN, REPLY_MAX), td_string!(locale::request(), server.what.reply))
}

/// Checks a report or a moderator's rejection: a reason from the policy list, an optional note
/// (required for "Other").
pub fn check_reason(reason: &str, note: &str) -> Result<(PolicyReason, String), crate::error::AppError> {
    let mut fields = crate::error::FieldErrors::new();
    let note = note.trim().to_string();
    let reason = PolicyReason::parse(reason.trim());
    if reason.is_none() {
        fields.insert("reason".into(), td_string!(locale::request(), server.review.reason).to_string());
    }
    if reason == Some(PolicyReason::Other) && note.is_empty() {
        fields.insert("note".into(), td_string!(locale::request(), server.review.other_note).to_string());
    }
    check_len(&mut fields, "note", &note, 0, NOTE_MAX, td_string!(locale::request(), server.what.note));
    match reason {
        Some(r) if fields.is_empty() => Ok((r, note)),
        _ => Err(crate::error::AppError::from_fields(fields)),
    }
}

/// Checks an appeal's text.
pub fn check_appeal(text: &str) -> Result<String, crate::error::AppError> {
    checked_text(text, "text", (BODY_MIN, NOTE_MAX), td_string!(locale::request(), server.what.appeal))
}

/// How a review's author is named in public: first name and initial ("Ana B.").
pub fn public_name(display_name: &str) -> String {
    let mut parts = display_name.split_whitespace();
    match (parts.next(), parts.last()) {
        (Some(first), Some(last)) => format!("{first} {}.", last.chars().next().unwrap_or(' ')),
        (Some(first), None) => first.to_string(),
        _ => "A buyer".into(),
    }
}

/// A seller's public reply under a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicReply {
    pub shop_name: String,
    pub body: String,
    pub at: String,
}

/// A published review as everyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicReview {
    pub id: ReviewId,
    pub stars: u8,
    pub title: String,
    pub body: String,
    pub author: String,
    pub at: String,
    /// Every published review comes from a delivered order.
    pub verified: bool,
    pub reply: Option<PublicReply>,
}

pub const REVIEWS_PER_PAGE: i64 = 10;

/// A buyer's question and the seller's answer, published on the product page (the buyer is not
/// named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicQuestion {
    pub id: ReviewId,
    pub question: String,
    pub answer: String,
    pub at: String,
}

/// A product's published reviews, newest first (never ordered or filtered by stars).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductReviews {
    pub rating: Rating,
    pub reviews: Vec<PublicReview>,
    pub page: i64,
    pub pages: i64,
    /// The viewer may report reviews (signed in).
    pub may_report: bool,
}

/// What the review form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewForm {
    pub order_id: OrderId,
    pub product_id: ProductId,
    pub product_name: String,
    pub shop_name: String,
    /// The seller's stars are asked on this review (once per order).
    pub asks_seller: bool,
    /// The review as it stands, when editing.
    pub current: Option<ReviewInput>,
    pub state: Option<ReviewState>,
}

/// A moderation outcome as the author (or the seller, for a reply) reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub reason: PolicyReason,
    pub note: String,
}

/// The signed-in buyer's review, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReview {
    pub id: ReviewId,
    pub order_id: OrderId,
    pub product_id: ProductId,
    pub product_name: String,
    pub stars: u8,
    pub title: String,
    pub body: String,
    pub state: ReviewState,
    pub in_queue: Option<QueueReason>,
    pub rejection: Option<Rejection>,
    pub may_edit: bool,
    pub may_appeal: bool,
    pub appealed: bool,
    pub reply: Option<PublicReply>,
}

/// A seller's reply as the seller sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReply {
    pub id: ReviewId,
    pub body: String,
    pub state: ReviewState,
    pub rejection: Option<Rejection>,
    pub may_appeal: bool,
}

/// A review of the seller's products (published), for the seller to answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopReview {
    pub id: ReviewId,
    pub product_id: ProductId,
    pub product_name: String,
    pub order_id: OrderId,
    pub stars: u8,
    pub title: String,
    pub body: String,
    pub author: String,
    pub at: String,
    pub reply: Option<MyReply>,
    /// One reply per review: none yet, or the last one was not published.
    pub may_reply: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReviews {
    pub written: Vec<MyReview>,
    /// Sellers: reviews of their shop's products.
    pub received: Vec<ShopReview>,
    pub is_seller: bool,
}

/// An author's record, shown to moderators beside each item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorHistory {
    pub name: String,
    pub member_since: String,
    pub written: i64,
    pub published: i64,
    pub rejected: i64,
    pub orders: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub reason: PolicyReason,
    pub note: String,
    pub at: String,
}

/// One item in the moderation queue: a review or a reply, with everything needed to judge it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: ReviewId,
    pub is_reply: bool,
    pub queue: QueueReason,
    pub risk: u32,
    pub flags: Vec<Flagged>,
    pub stars: Option<u8>,
    pub seller_stars: Option<u8>,
    pub title: String,
    pub body: String,
    pub version: i64,
    pub product_id: ProductId,
    pub product_name: String,
    pub shop_name: String,
    /// Reviews and replies: the order reviewed. Public questions: none.
    pub order_id: Option<OrderId>,
    pub order_summary: String,
    /// A buyer's question and the seller's answer, for the product page.
    #[serde(default)]
    pub is_question: bool,
    pub author: AuthorHistory,
    pub reports: Vec<ReportView>,
    pub appeal: Option<String>,
    pub earlier_rejection: Option<Rejection>,
    /// Replies: the review answered (title, text).
    pub parent: Option<(String, String)>,
    pub queued_at: String,
    pub claimed_by: Option<String>,
    pub claimed_by_me: bool,
    /// This moderator rejected it before: an appeal is for somebody else.
    pub excluded: bool,
    /// This moderator wrote it: somebody else decides.
    pub own: bool,
}

impl QueueItem {
    /// Bulk approval takes it: no flags, and new or edited (not reported, not an appeal), and not
    /// the moderator's own.
    pub fn is_clean(&self) -> bool {
        self.risk == 0 && matches!(self.queue, QueueReason::New | QueueReason::Edited) && !self.own
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationQueue {
    pub items: Vec<QueueItem>,
    /// Everything waiting (the page shows the riskiest first, up to a limit).
    pub waiting: i64,
}

pub const QUEUE_PAGE: i64 = 50;

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub review_id: ReviewId,
    pub moderator: String,
    pub approved: bool,
    pub reason: Option<PolicyReason>,
    pub note: String,
    pub queue: QueueReason,
    pub title: String,
    pub body: String,
    pub stars: Option<u8>,
    pub at: String,
}

/// One measured figure on the seller's dashboard, with how it is computed and the orders behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub label: String,
    pub value: String,
    pub explanation: String,
    pub orders: Vec<OrderId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformanceView {
    pub shop_name: String,
    pub window_days: i64,
    pub figures: Vec<Figure>,
    pub checks: Vec<BadgeCheck>,
    pub top_seller: bool,
    /// The buyers' messages behind the answer figure, newest first, each with how it counted
    /// (in time, late, missed, still running, or marked "no answer needed"), for audit.
    #[serde(default)]
    pub messages: Vec<MessageClockLine>,
}

/// One buyer's message waiting for (or given) the seller's first answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageClockLine {
    pub thread: crate::domain::ThreadId,
    pub subject: String,
    pub asked_at: String,
    pub outcome: crate::domain::thread::ClockOutcome,
    /// "answered after 3 h", "marked 5 Dec 2026, 10:00 UTC".
    pub detail: String,
}

/// The trailing window the performance figures and the badge are measured over.
pub const WINDOW_DAYS: i64 = 90;

/// The median of some durations (ms), `None` for none.
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(title: &str, body: &str, ctx: &ScreeningContext<'_>) -> Vec<Flag> {
        screen(title, body, ctx).into_iter().map(|f| f.flag).collect()
    }

    fn plain(title: &str, body: &str) -> Vec<Flag> {
        flags(title, body, &ScreeningContext { stars: Some(4), ..Default::default() })
    }

    #[test]
    fn insults_are_caught_in_english_and_french_as_whole_words() {
        assert_eq!(plain("Total scam", "The seller is a thief."), vec![Flag::Profanity]);
        assert_eq!(plain("Arnaque", "Vendeur escroc, quelle merde."), vec![Flag::Profanity]);
        assert_eq!(plain("Encul\u{e9}", "pas poli"), vec![Flag::Profanity], "accents folded");
        assert!(plain("Classic pan", "A scunthorpe-proof classical assessment: consistent.").is_empty(), "not inside words");
        let reason = &screen("Nul", "c'est de la merde", &ScreeningContext::default())[0].reason;
        assert!(reason.contains("nul") && reason.contains("merde"), "{reason}");
    }

    #[test]
    fn links_emails_and_phone_numbers_are_personal_data_or_spam() {
        assert_eq!(plain("Good", "See https://cheap-pans.example for more"), vec![Flag::Link]);
        assert_eq!(plain("Good", "better on www.autre-boutique.fr"), vec![Flag::Link]);
        assert_eq!(plain("Good", "write me: ana.lima@example.com"), vec![Flag::Email]);
        assert_eq!(plain("Bien", "écrivez-moi à ana point lima at gmail dot com"), vec![Flag::Email]);
        assert_eq!(plain("Good", "call me on 06 12 34 56 78"), vec![Flag::Phone]);
        assert_eq!(plain("Bien", "appelez le +33 6 12 34 56 78"), vec![Flag::Phone]);
        assert!(plain("Good value", "Paid €49.00 for order #1234, arrived in 2 days, 24 cm").is_empty(), "prices and numbers are fine");
    }

    #[test]
    fn shouting_is_mostly_capitals_over_a_few_words() {
        assert_eq!(plain("WORST PAN EVER", "DO NOT BUY THIS"), vec![Flag::Shouting]);
        assert!(plain("OK", "Works with my IKEA stove, USB lamp").is_empty());
        assert!(plain("TOP", "TOP").is_empty(), "too short to shout");
    }

    #[test]
    fn near_duplicates_of_earlier_reviews_are_flagged() {
        let earlier = vec!["Great pan, heats evenly and the crêpes come out perfect every time.".to_string()];
        let ctx = ScreeningContext { stars: Some(5), earlier: &earlier, ..Default::default() };
        assert_eq!(flags("Great", "Great pan, heats evenly and the crepes come out perfect every single time!", &ctx), vec![Flag::NearDuplicate]);
        assert!(flags("Nice", "Heavy, took a while to season, but now it works well.", &ctx).is_empty());
        assert!(similarity("a b c d e", "a b c d e") > 0.99);
        assert_eq!(similarity("", "a b c"), 0.0);
    }

    #[test]
    fn bursts_self_reviews_and_ratings_that_contradict_the_text() {
        let burst = ScreeningContext { stars: Some(5), recent_for_seller: BURST_COUNT, ..Default::default() };
        assert_eq!(flags("Fine", "ok", &burst), vec![Flag::Burst]);
        let own = ScreeningContext { stars: Some(5), author_is_seller: true, ..Default::default() };
        assert_eq!(flags("Fine", "ok", &own), vec![Flag::SelfReview]);
        let one = ScreeningContext { stars: Some(1), ..Default::default() };
        assert_eq!(flags("Excellent", "Perfect pan, I love it, highly recommend", &one), vec![Flag::RatingMismatch]);
        assert_eq!(flags("Parfait", "Génial, je recommande, impeccable", &one), vec![Flag::RatingMismatch]);
        let five = ScreeningContext { stars: Some(5), ..Default::default() };
        assert_eq!(flags("Déçu", "Arrivée cassée, mauvaise qualité, remboursement demandé", &five), vec![Flag::RatingMismatch]);
        assert!(flags("Broken", "Arrived broken, awful", &one).is_empty(), "a 1-star complaint is consistent");
    }

    #[test]
    fn each_flag_keeps_its_detail_apart_and_older_rows_get_it_from_their_reason() {
        let details = |title: &str, body: &str, ctx: &ScreeningContext<'_>| screen(title, body, ctx).into_iter().map(|f| (f.flag, f.detail)).collect::<Vec<_>>();
        assert_eq!(details("Arnaque", "vendeur nul", &ScreeningContext::default()), vec![(Flag::Profanity, "arnaque, nul".to_string())]);
        let earlier = vec!["Great pan, heats evenly and the crêpes come out perfect every time.".to_string()];
        let ctx = ScreeningContext { stars: Some(5), earlier: &earlier, recent_for_product: BURST_COUNT + 2, ..Default::default() };
        let found = details("Great", "Great pan, heats evenly and the crêpes come out perfect every time.", &ctx);
        assert_eq!(found, vec![(Flag::NearDuplicate, "91".to_string()), (Flag::Burst, (BURST_COUNT + 2).to_string())]);
        let one = ScreeningContext { stars: Some(1), ..Default::default() };
        assert_eq!(details("Excellent", "Perfect pan, I love it, highly recommend", &one), vec![(Flag::RatingMismatch, "1".to_string())]);
        assert_eq!(details("Good", "call me on 06 12 34 56 78", &ScreeningContext::default()), vec![(Flag::Phone, String::new())]);

        // A row stored before `detail` existed: the same detail, from its English reason.
        for f in screen("Arnaque", "vendeur nul", &ScreeningContext::default()).into_iter().chain(screen("Great", "Great pan, heats evenly and the crêpes come out perfect every time.", &ctx)).chain(screen("Excellent", "Perfect pan, I love it, highly recommend", &one)) {
            let stored = serde_json::json!({ "flag": f.flag, "reason": f.reason }).to_string();
            let old: Flagged = serde_json::from_str(&stored).unwrap();
            assert_eq!(old.detail, "");
            assert_eq!(old.with_detail(), f);
        }
    }

    #[test]
    fn risk_orders_the_queue() {
        let ctx = ScreeningContext { stars: Some(1), author_is_seller: true, ..Default::default() };
        let worse = screen("Scam", "mail me a@b.co", &ctx);
        let mild = screen("LOUD BUT KIND WORDS", "REALLY", &ScreeningContext::default());
        assert!(risk(&worse) > risk(&mild));
        assert_eq!(risk(&[]), 0);
    }

    #[test]
    fn ratings_average_published_stars_to_a_tenth() {
        assert_eq!(Rating::of([5, 4, 5]).tenths(), Some(47));
        assert_eq!(Rating::of([5, 4, 5]).describe(), "4.7 out of 5 (3 ratings)");
        assert_eq!(Rating::of([]).tenths(), None);
        assert_eq!(Rating::of([1]).describe(), "1.0 out of 5 (1 rating)");
        assert_eq!(Rating::of([5, 5, 5, 4]).tenths(), Some(48), "4.75 rounds to 4.8");
    }

    fn top() -> Performance {
        Performance { orders: 40, late_shipments: 1, refused: 0, first_replies_in_time: 4, claims: 4, rating: Rating::of([5; 20]), messages_in_time: 10, messages: 10 }
    }

    #[test]
    fn claims_and_messages_count_only_once_answered_or_past_their_deadline() {
        const H: i64 = 3_600_000;
        let now = 100 * H;
        // Three claims opened minutes ago: nothing counts yet, and the badge is not at risk.
        let fresh = [(now - 60_000, None), (now - 120_000, None), (now - 300_000, None)];
        assert_eq!(claim_replies(&fresh, now), (0, 0));
        let (in_time, claims) = claim_replies(&fresh, now);
        let p = Performance { first_replies_in_time: in_time, claims, ..top() };
        assert!(is_top_seller(&p), "fresh claims are not misses");
        let check = badge_checks(&p).into_iter().find(|c| c.what == "Claims answered within 24 h").unwrap();
        assert!(check.holds && check.value == "100.0 %", "{check:?}");
        // Answered in time, answered late, and one past its 24 h unanswered: all three count.
        let mixed = [(0, Some(2 * H)), (0, Some(30 * H)), (10 * H, None), (now - H, None)];
        assert_eq!(claim_replies(&mixed, now), (1, 3));
        // Messages: 9 of 10 in time holds the 90 % line; 8 of 10 does not.
        assert!(is_top_seller(&Performance { messages_in_time: 9, messages: 10, ..top() }));
        assert!(!is_top_seller(&Performance { messages_in_time: 8, messages: 10, ..top() }));
        assert!(is_top_seller(&Performance { messages_in_time: 0, messages: 0, ..top() }), "no messages counted yet");
    }

    #[test]
    fn the_top_seller_badge_needs_every_threshold_and_warns_near_a_limit() {
        assert!(is_top_seller(&top()));
        assert!(!is_top_seller(&Performance { orders: 4, ..top() }), "too few orders");
        assert!(!is_top_seller(&Performance { late_shipments: 2, ..top() }), "5 % late");
        assert!(!is_top_seller(&Performance { refused: 2, ..top() }), "5 % refused");
        assert!(!is_top_seller(&Performance { first_replies_in_time: 3, ..top() }), "75 % replies in time");
        assert!(!is_top_seller(&Performance { rating: Rating::of([5, 4, 4]), ..top() }), "4.3");
        assert!(!is_top_seller(&Performance { rating: Rating::default(), ..top() }), "no reviews");
        let checks = badge_checks(&top());
        let late = checks.iter().find(|c| c.what == "Late shipments").unwrap();
        assert!(late.holds && late.near_limit, "2.5 % of a 3 % allowance: warned: {late:?}");
        assert_eq!(late.value, "2.5 %");
        assert!(checks.iter().find(|c| c.what == "Refused orders").is_some_and(|c| !c.near_limit));
    }

    #[test]
    fn a_review_needs_stars_a_title_and_some_text_and_says_what_is_missing() {
        let ok = ReviewInput { stars: "4".into(), seller_stars: "5".into(), title: " Solid pan ".into(), body: "Heats evenly, easy to season.".into() };
        let r = NewReview::parse(&ok, true).unwrap();
        assert_eq!((r.stars, r.seller_stars, r.title.as_str()), (4, Some(5), "Solid pan"));
        assert_eq!(NewReview::parse(&ReviewInput { seller_stars: String::new(), ..ok.clone() }, false).unwrap().seller_stars, None);
        let bad = ReviewInput { stars: "6".into(), seller_stars: "".into(), title: "ok".into(), body: "short".into() };
        let err = NewReview::parse(&bad, true).unwrap_err();
        for (field, says) in [("stars", "1 to 5 stars for the product"), ("seller_stars", "the seller"), ("title", "at least 3"), ("body", "at least 10")] {
            assert!(err.field(field).is_some_and(|m| m.contains(says)), "{field}: {err:?}");
        }
        assert!(check_reply(" ").is_err());
        assert_eq!(check_reply(" Thank you! ").unwrap(), "Thank you!");
    }

    #[test]
    fn reasons_come_from_the_policy_list_and_other_needs_a_note() {
        assert_eq!(check_reason("spam", "").unwrap().0, PolicyReason::Spam);
        assert!(check_reason("because", "").is_err());
        assert!(check_reason("other", " ").is_err());
        assert_eq!(check_reason("other", "Mentions a competitor").unwrap().1, "Mentions a competitor");
        for r in PolicyReason::ALL {
            assert_eq!(PolicyReason::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn figures_read_well() {
        assert_eq!(public_name("Ana Buyer"), "Ana B.");
        assert_eq!(public_name("Zoé"), "Zoé");
        assert_eq!(median(vec![5, 1, 3]), Some(3));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
        assert_eq!(median(vec![]), None);
    }
}
