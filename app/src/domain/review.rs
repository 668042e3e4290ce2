//! Reviews (issue 5 groundwork): the automatic screening every new review or seller reply goes
//! through before a moderator sees it, the rating aggregation over published reviews, and the
//! "Top seller" badge rules. Pure rules: the caller gathers the facts (earlier texts, recent
//! counts, who the author is) and passes them in. Flags order the moderation queue; they never
//! publish or reject anything on their own.

use crate::domain::search::fold;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

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

/// A flag with the reason the moderator reads ("insult: “arnaque”").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flagged {
    pub flag: Flag,
    pub reason: String,
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

/// Word 3-grams of the folded text (short texts: the words themselves).
fn shingles(text: &str) -> HashSet<String> {
    let w = words(text);
    if w.len() < 3 {
        return w.into_iter().collect();
    }
    w.windows(3).map(|g| g.join(" ")).collect()
}

/// How alike two texts are, 0 to 1 (Jaccard similarity of their word 3-grams).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (shingles(a), shingles(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(&b).count() as f64;
    common / ((a.len() + b.len()) as f64 - common)
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

/// Screens a review (title and text) and returns its flags, each with a reason.
pub fn screen(title: &str, body: &str, ctx: &ScreeningContext<'_>) -> Vec<Flagged> {
    let text = format!("{title}\n{body}");
    let mut out = Vec::new();
    let mut push = |flag, reason: String| out.push(Flagged { flag, reason });
    let w = words(&text);
    let insults: Vec<&String> = w.iter().filter(|x| PROFANITY.contains(&x.as_str())).collect();
    if !insults.is_empty() {
        let mut list: Vec<&str> = insults.iter().map(|s| s.as_str()).collect();
        list.dedup();
        push(Flag::Profanity, format!("Insult or profanity: {}", list.join(", ")));
    }
    if has_link(&text) {
        push(Flag::Link, "Contains a link".into());
    }
    if has_email(&text) {
        push(Flag::Email, "Contains an e-mail address (personal data)".into());
    }
    if has_phone(&text) {
        push(Flag::Phone, "Contains a phone number (personal data)".into());
    }
    if is_shouting(&text) {
        push(Flag::Shouting, "Mostly capital letters".into());
    }
    if let Some(best) = ctx.earlier.iter().map(|e| similarity(&text, e)).fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s)))) {
        if best >= NEAR_DUPLICATE {
            push(Flag::NearDuplicate, format!("{:.0} % like an earlier review", best * 100.0));
        }
    }
    if ctx.recent_for_product >= BURST_COUNT || ctx.recent_for_seller >= BURST_COUNT {
        let n = ctx.recent_for_product.max(ctx.recent_for_seller);
        push(Flag::Burst, format!("{n} reviews for this product or seller within an hour"));
    }
    if ctx.author_is_seller {
        push(Flag::SelfReview, "Written by the seller of the reviewed shop".into());
    }
    if let Some(stars) = ctx.stars {
        let pos = w.iter().filter(|x| POSITIVE.contains(&x.as_str())).count();
        let neg = w.iter().filter(|x| NEGATIVE.contains(&x.as_str())).count();
        if stars <= 1 && pos >= 2 && pos > neg * 2 {
            push(Flag::RatingMismatch, "1 star, but the text reads as praise".into());
        } else if stars >= 5 && neg >= 2 && neg > pos * 2 {
            push(Flag::RatingMismatch, "5 stars, but the text reads as a complaint".into());
        }
    }
    out
}

/// The queue order: higher first.
pub fn risk(flags: &[Flagged]) -> u32 {
    flags.iter().map(|f| f.flag.weight()).sum()
}

/// The rating shown on products, seller cards and search results, from **published** reviews only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub sum: i64,
    pub count: i64,
}

impl Rating {
    pub fn of(stars: impl IntoIterator<Item = u8>) -> Rating {
        stars.into_iter().fold(Rating::default(), |r, s| Rating { sum: r.sum + i64::from(s.clamp(1, 5)), count: r.count + 1 })
    }

    /// Average in tenths of a star (4.7 → 47), `None` without reviews.
    pub fn tenths(self) -> Option<i64> {
        (self.count > 0).then(|| (self.sum * 10 + self.count / 2) / self.count)
    }

    pub fn label(self) -> String {
        match self.tenths() {
            Some(t) => format!("{}.{} ★ ({} review{})", t / 10, t % 10, self.count, if self.count == 1 { "" } else { "s" }),
            None => "No reviews yet".into(),
        }
    }
}

/// A seller's measured performance over the trailing window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Performance {
    pub orders: i64,
    pub late_shipments: i64,
    pub refused: i64,
    /// Claims answered by the seller within 24 h / claims opened.
    pub first_replies_in_time: i64,
    pub claims: i64,
    pub rating: Rating,
}

/// One threshold of the "Top seller" badge, as the dashboard explains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgeCheck {
    pub what: &'static str,
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
    let rating = p.rating.tenths();
    vec![
        BadgeCheck { what: "Orders in the window", holds: p.orders >= MIN_ORDERS, near_limit: false, value: p.orders.to_string(), limit: format!("at least {MIN_ORDERS}") },
        BadgeCheck { what: "Late shipments", holds: late <= MAX_LATE_PERMILLE, near_limit: late <= MAX_LATE_PERMILLE && late * 5 > MAX_LATE_PERMILLE * 4, value: pct(late), limit: format!("at most {}", pct(MAX_LATE_PERMILLE)) },
        BadgeCheck { what: "Refused orders", holds: refused <= MAX_REFUSED_PERMILLE, near_limit: refused <= MAX_REFUSED_PERMILLE && refused * 5 > MAX_REFUSED_PERMILLE * 4, value: pct(refused), limit: format!("at most {}", pct(MAX_REFUSED_PERMILLE)) },
        BadgeCheck { what: "Claims answered within 24 h", holds: replies >= MIN_REPLY_PERMILLE, near_limit: (MIN_REPLY_PERMILLE..1000).contains(&replies) && (1000 - replies) * 5 > (1000 - MIN_REPLY_PERMILLE) * 4, value: pct(replies), limit: format!("at least {}", pct(MIN_REPLY_PERMILLE)) },
        BadgeCheck {
            what: "Average rating",
            holds: rating.is_some_and(|r| r >= MIN_RATING_TENTHS),
            near_limit: rating == Some(MIN_RATING_TENTHS),
            value: rating.map(|r| format!("{}.{}", r / 10, r % 10)).unwrap_or_else(|| "no reviews".into()),
            limit: format!("at least {}.{}", MIN_RATING_TENTHS / 10, MIN_RATING_TENTHS % 10),
        },
    ]
}

/// The badge: every threshold holds over the window.
pub fn is_top_seller(p: &Performance) -> bool {
    badge_checks(p).iter().all(|c| c.holds)
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
        assert_eq!(Rating::of([5, 4, 5]).label(), "4.7 ★ (3 reviews)");
        assert_eq!(Rating::of([]).tenths(), None);
        assert_eq!(Rating::of([1]).label(), "1.0 ★ (1 review)");
        assert_eq!(Rating::of([5, 5, 5, 4]).tenths(), Some(48), "4.75 rounds to 4.8");
    }

    fn top() -> Performance {
        Performance { orders: 40, late_shipments: 1, refused: 0, first_replies_in_time: 4, claims: 4, rating: Rating::of([5; 20]) }
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
}
