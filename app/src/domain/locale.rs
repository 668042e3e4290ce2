//! The two languages Troika speaks and how each writes numbers, money and dates. The strings
//! themselves live in `locales/*.json` (the generated `crate::i18n` module); this is the part that
//! is rules, not words: which language a browser asks for, where a language sits in an address,
//! and the shapes "49,00 €" and "2 déc. 2026".

use crate::domain::Money;
pub use crate::i18n::Locale;

/// Every language, the default first.
pub const ALL: [Locale; 2] = [Locale::en, Locale::fr];

/// The name of the cookie that keeps a visitor's choice.
pub const COOKIE: &str = "troika_lang";

pub fn code(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::fr => "fr",
    }
}

pub fn from_code(code: &str) -> Option<Locale> {
    match code.trim().to_ascii_lowercase().as_str() {
        "en" => Some(Locale::en),
        "fr" => Some(Locale::fr),
        _ => None,
    }
}

/// The language the server writes its messages in (form and error messages, notes): the request's
/// on the server, English outside a request and in the browser (which never writes them).
pub fn request() -> Locale {
    #[cfg(feature = "ssr")]
    {
        crate::backend::web::locale::current().locale
    }
    #[cfg(not(feature = "ssr"))]
    {
        Locale::en
    }
}

/// A language's own name, as the switcher offers it ("Français" to an English page).
pub fn autonym(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "English",
        Locale::fr => "Français",
    }
}

/// The language a browser prefers among ours (`Accept-Language: fr-CH, fr;q=0.9, en;q=0.8`):
/// the highest weight wins, the earlier one on a tie; `None` when it names none of ours.
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let mut best: Option<(u16, Locale)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let Some(locale) = from_code(primary) else { continue };
        let weight = parts
            .find_map(|p| p.trim().strip_prefix("q=").map(|q| q.trim().to_string()))
            .map(|q| q.parse::<f32>().map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16).unwrap_or(0))
            .unwrap_or(1000);
        if weight > 0 && best.is_none_or(|(w, _)| weight > w) {
            best = Some((weight, locale));
        }
    }
    best.map(|(_, l)| l)
}

/// The storefront's pages, whose addresses may carry a language (`/fr/product/12`) so a shared link
/// opens in the language it was shared in. Personal pages (cart, orders, account…) follow the person.
pub fn is_storefront(path: &str) -> bool {
    path == "/"
        || path == "/search"
        || ["/product/", "/shop/", "/category/"].iter().any(|p| path.strip_prefix(p).is_some_and(|rest| !rest.is_empty()))
}

/// Splits `/fr/product/12` into (fr, `/product/12`); `/fr` is the French home page.
pub fn split_prefix(path: &str) -> Option<(Locale, &str)> {
    let rest = path.strip_prefix('/')?;
    let (first, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let locale = ALL.into_iter().find(|l| code(*l) == first)?;
    Some((locale, tail))
}

/// The address of a storefront page in a language: `/product/12` → `/fr/product/12`, `/` → `/fr`.
/// Other addresses are returned as they are (they follow the person's choice).
pub fn localized(locale: Locale, path_and_query: &str) -> String {
    let path = path_and_query.split(['?', '#']).next().unwrap_or_default();
    if !is_storefront(path) {
        return path_and_query.to_string();
    }
    let prefix = code(locale);
    if path == "/" {
        format!("/{prefix}{}", &path_and_query[1..])
    } else {
        format!("/{prefix}{path_and_query}")
    }
}

/// Whether `n` takes the singular in this language (French counts 0 and 1 as singular).
pub fn is_singular(locale: Locale, n: i64) -> bool {
    match locale {
        Locale::en => n == 1,
        Locale::fr => n == 0 || n == 1,
    }
}

/// A whole number with the language's grouping: "1,234,567" / "1 234 567" (narrow no-break spaces).
pub fn number(locale: Locale, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match locale {
        Locale::en => ',',
        Locale::fr => '\u{202f}',
    };
    let mut out = String::with_capacity(digits.len() + 8);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// An amount of euros: "€1,234.50" / "1 234,50 €" (no-break spaces, so it never wraps).
pub fn money(locale: Locale, amount: Money) -> String {
    let cents = amount.0.unsigned_abs() % 100;
    let whole = number(locale, (amount.0.unsigned_abs() / 100) as i64);
    let sign = if amount.0 < 0 { "-" } else { "" };
    match locale {
        Locale::en => format!("{sign}€{whole}.{cents:02}"),
        Locale::fr => format!("{sign}{whole},{cents:02}\u{a0}€"),
    }
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_FR: [&str; 12] = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_FR: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];

/// A calendar day and time of day (UTC), as the server reads it from a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    pub year: i32,
    /// 1–12.
    pub month: u8,
    pub day: u8,
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    pub hour: u8,
    pub minute: u8,
}

fn month_name(locale: Locale, month: u8) -> &'static str {
    let i = usize::from(month.clamp(1, 12) - 1);
    match locale {
        Locale::en => MONTHS_EN[i],
        Locale::fr => MONTHS_FR[i],
    }
}

/// "2 Dec 2026" / "2 déc. 2026".
pub fn date(locale: Locale, d: DateParts) -> String {
    format!("{} {} {}", d.day, month_name(locale, d.month), d.year)
}

/// "2 Dec 2026, 14:05 UTC" / "2 déc. 2026 à 14:05 UTC".
pub fn date_time(locale: Locale, d: DateParts) -> String {
    match locale {
        Locale::en => format!("{}, {:02}:{:02} UTC", date(locale, d), d.hour, d.minute),
        Locale::fr => format!("{} à {:02}:{:02} UTC", date(locale, d), d.hour, d.minute),
    }
}

/// "Wed 2 Dec" / "mer. 2 déc.": a day, for estimates.
pub fn day(locale: Locale, d: DateParts) -> String {
    let i = usize::from(d.weekday.min(6));
    match locale {
        Locale::en => format!("{} {} {}", WEEKDAYS_EN[i], d.day, month_name(locale, d.month)),
        Locale::fr => format!("{} {} {}", WEEKDAYS_FR[i], d.day, month_name(locale, d.month)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEC_2: DateParts = DateParts { year: 2026, month: 12, day: 2, weekday: 2, hour: 9, minute: 5 };

    #[test]
    fn money_is_written_the_way_each_language_writes_it() {
        assert_eq!(money(Locale::fr, Money(4900)), "49,00\u{a0}€");
        assert_eq!(money(Locale::en, Money(4900)), "€49.00");
        assert_eq!(money(Locale::fr, Money(123_456_789)), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(money(Locale::en, Money(123_456_789)), "€1,234,567.89");
        assert_eq!(money(Locale::fr, Money(-5)), "-0,05\u{a0}€");
        assert_eq!(money(Locale::en, Money(0)), "€0.00");
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(number(Locale::en, 999), "999");
        assert_eq!(number(Locale::en, 10_000), "10,000");
        assert_eq!(number(Locale::fr, 10_000), "10\u{202f}000");
        assert_eq!(number(Locale::fr, -1_000_000), "-1\u{202f}000\u{202f}000");
    }

    #[test]
    fn dates_use_each_languages_month_names_and_order() {
        assert_eq!(date(Locale::fr, DEC_2), "2 déc. 2026");
        assert_eq!(date(Locale::en, DEC_2), "2 Dec 2026");
        assert_eq!(date_time(Locale::fr, DEC_2), "2 déc. 2026 à 09:05 UTC");
        assert_eq!(date_time(Locale::en, DEC_2), "2 Dec 2026, 09:05 UTC");
        assert_eq!(day(Locale::fr, DEC_2), "mer. 2 déc.");
        assert_eq!(day(Locale::en, DEC_2), "Wed 2 Dec");
        let feb = DateParts { month: 2, ..DEC_2 };
        assert_eq!(date(Locale::fr, feb), "2 févr. 2026");
    }

    #[test]
    fn french_counts_zero_and_one_as_singular() {
        assert!(is_singular(Locale::fr, 0) && is_singular(Locale::fr, 1) && !is_singular(Locale::fr, 2));
        assert!(!is_singular(Locale::en, 0) && is_singular(Locale::en, 1) && !is_singular(Locale::en, 3));
    }

    #[test]
    fn the_browsers_preferred_language_is_found_by_weight() {
        assert_eq!(from_accept_language("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Locale::fr));
        assert_eq!(from_accept_language("de-DE, en;q=0.5, fr;q=0.8"), Some(Locale::fr));
        assert_eq!(from_accept_language("en-GB"), Some(Locale::en));
        assert_eq!(from_accept_language("de, es"), None);
        assert_eq!(from_accept_language("fr;q=0, en;q=0.1"), Some(Locale::en));
        assert_eq!(from_accept_language(""), None);
        assert_eq!(from_accept_language("*"), None);
    }

    #[test]
    fn storefront_addresses_carry_the_language_and_personal_ones_do_not() {
        assert_eq!(split_prefix("/fr/product/12"), Some((Locale::fr, "/product/12")));
        assert_eq!(split_prefix("/fr"), Some((Locale::fr, "/")));
        assert_eq!(split_prefix("/en/"), Some((Locale::en, "/")));
        assert_eq!(split_prefix("/france"), None);
        assert_eq!(split_prefix("/product/12"), None);
        assert_eq!(localized(Locale::fr, "/product/12"), "/fr/product/12");
        assert_eq!(localized(Locale::fr, "/"), "/fr");
        assert_eq!(localized(Locale::en, "/search?q=tea"), "/en/search?q=tea");
        assert_eq!(localized(Locale::fr, "/?page=2"), "/fr?page=2");
        assert_eq!(localized(Locale::fr, "/cart"), "/cart");
        assert_eq!(localized(Locale::fr, "/orders/3"), "/orders/3");
        assert!(is_storefront("/shop/lyon-linen") && !is_storefront("/shop/") && !is_storefront("/signin"));
    }
}
