//! A shop as its seller writes it (applying to sell, editing it later), the standard return
//! policies to start from, how the shop's contact details reach buyers (masked: Troika relays),
//! and the admin's decisions on applications and shops.

use crate::domain::money::Money;
use crate::domain::search::fold;
use crate::domain::locale::{self, Locale};
use crate::domain::text::{check_len, language, whole_number, whole_translation};
use crate::domain::user::check_email;
use crate::domain::{ShopId, UserId};
use crate::error::{AppError, FieldErrors};
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 60;
pub const PLACE_MAX: usize = 60;
pub const DESCRIPTION_MAX: usize = 2000;
pub const HOURS_MAX: usize = 200;
pub const POLICY_MAX: usize = 2000;
pub const MAX_RETURN_DAYS: i64 = 365;
pub const MAX_HANDLING_DAYS: i64 = 30;
/// €100.00: the highest flat shipping fee a shop may charge per order.
pub const MAX_SHIPPING: Money = Money(10_000);

/// The standard return policies a seller starts from (the text stays editable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReturnTemplate {
    FreeThirty,
    BuyerPaysFourteen,
    FaultyOnly,
}

impl ReturnTemplate {
    pub const ALL: [ReturnTemplate; 3] = [ReturnTemplate::FreeThirty, ReturnTemplate::BuyerPaysFourteen, ReturnTemplate::FaultyOnly];

    pub fn as_str(self) -> &'static str {
        match self {
            ReturnTemplate::FreeThirty => "free-30",
            ReturnTemplate::BuyerPaysFourteen => "buyer-pays-14",
            ReturnTemplate::FaultyOnly => "faulty-only",
        }
    }

    pub fn parse(s: &str) -> Option<ReturnTemplate> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            ReturnTemplate::FreeThirty => "30-day returns, return shipping paid by the shop",
            ReturnTemplate::BuyerPaysFourteen => "14-day returns, return shipping paid by the buyer",
            ReturnTemplate::FaultyOnly => "Returns only for faulty or wrongly described items",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            ReturnTemplate::FreeThirty => "Return any unused item within 30 days of delivery for a full refund. We send you a prepaid return label.",
            ReturnTemplate::BuyerPaysFourteen => "Return any unused item in its original packaging within 14 days of delivery. Return shipping is paid by the buyer; we refund the item's price when it arrives.",
            ReturnTemplate::FaultyOnly => "We take back items that arrive faulty or not as described, within 30 days of delivery, and pay the return shipping. Other items cannot be returned.",
        }
    }

    /// The standard text in a language (`text()` is the English one).
    pub fn text_in(self, l: Locale) -> &'static str {
        match self {
            ReturnTemplate::FreeThirty => td_string!(l, shop_form.text_free_30),
            ReturnTemplate::BuyerPaysFourteen => td_string!(l, shop_form.text_buyer_pays_14),
            ReturnTemplate::FaultyOnly => td_string!(l, shop_form.text_faulty_only),
        }
    }

    pub fn days(self) -> i64 {
        match self {
            ReturnTemplate::FreeThirty => 30,
            ReturnTemplate::BuyerPaysFourteen => 14,
            ReturnTemplate::FaultyOnly => 30,
        }
    }
}

/// The shop form as posted: all text, so that a malformed number is a message on its field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShopProfileInput {
    pub name: String,
    pub city: String,
    pub country: String,
    pub description: String,
    pub opening_hours: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// A `ReturnTemplate` key: its text is used when `return_policy` is left empty.
    pub return_template: String,
    pub return_policy: String,
    pub return_days: String,
    pub handling_days: String,
    pub shipping_fee: String,
    /// The language the description and return policy are written in (`en`, `fr`).
    pub language: String,
    /// The description and return policy in the other language (optional, both or neither).
    pub translated_description: String,
    pub translated_return_policy: String,
}

impl ShopProfileInput {
    /// A blank form: the first template's policy filled in, ready to edit.
    pub fn blank() -> Self {
        let t = ReturnTemplate::FreeThirty;
        ShopProfileInput {
            return_template: t.as_str().into(),
            return_policy: t.text().into(),
            return_days: t.days().to_string(),
            handling_days: "2".into(),
            shipping_fee: "4.90".into(),
            ..Default::default()
        }
    }
}

/// A checked shop profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopProfile {
    pub name: String,
    pub city: String,
    pub country: String,
    pub description: String,
    pub opening_hours: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub return_policy: String,
    pub return_days: i64,
    pub handling_days: i64,
    pub shipping: Money,
    /// The language `description` and `return_policy` are written in.
    pub language: Locale,
    /// Both in the other language; both empty when the seller wrote none.
    pub translated_description: String,
    pub translated_return_policy: String,
}

impl ShopProfile {
    /// The description and return policy in the other language, when the seller wrote them.
    pub fn translated(&self) -> Option<(&str, &str)> {
        (!self.translated_description.is_empty()).then_some((self.translated_description.as_str(), self.translated_return_policy.as_str()))
    }

    /// The form as it shows this profile (editing it).
    pub fn to_input(&self) -> ShopProfileInput {
        ShopProfileInput {
            name: self.name.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
            description: self.description.clone(),
            opening_hours: self.opening_hours.clone(),
            contact_email: self.contact_email.clone(),
            contact_phone: self.contact_phone.clone(),
            return_template: String::new(),
            return_policy: self.return_policy.clone(),
            return_days: self.return_days.to_string(),
            handling_days: self.handling_days.to_string(),
            shipping_fee: self.shipping.plain(),
            language: locale::code(self.language).into(),
            translated_description: self.translated_description.clone(),
            translated_return_policy: self.translated_return_policy.clone(),
        }
    }
}

/// The digits of a phone number as people write it ("+33 4 78 12 34 56", "(030) 1234-567").
fn check_phone(phone: &str) -> Result<String, String> {
    let phone = phone.trim();
    let allowed = phone.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if phone.is_empty() {
        Err(crate::i18n::td_string!(crate::domain::locale::request(), server.shop.phone_missing).to_string())
    } else if !allowed || phone[1..].contains('+') || !(6..=15).contains(&digits) {
        Err(crate::i18n::td_string!(crate::domain::locale::request(), server.shop.phone_format).to_string())
    } else {
        Ok(phone.to_string())
    }
}

impl TryFrom<ShopProfileInput> for ShopProfile {
    type Error = AppError;

    fn try_from(input: ShopProfileInput) -> Result<Self, AppError> {
        let mut fields = FieldErrors::new();
        let text = |s: &str| s.trim().to_string();
        let (name, city, country, description, opening_hours) =
            (text(&input.name), text(&input.city), text(&input.country), text(&input.description), text(&input.opening_hours));
        check_len(&mut fields, "name", &name, 3, NAME_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.shop_name));
        if !fields.contains_key("name") && slug_of(&name).len() < 3 {
            fields.insert("name".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.shop.name_letters).to_string());
        }
        check_len(&mut fields, "city", &city, 1, PLACE_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.city));
        check_len(&mut fields, "country", &country, 2, PLACE_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.country));
        check_len(&mut fields, "description", &description, 20, DESCRIPTION_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.description));
        check_len(&mut fields, "opening_hours", &opening_hours, 3, HOURS_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.opening_hours));
        let contact_email = check_email(&input.contact_email)
            .map_err(|e| fields.insert("contact_email".into(), e.replace(crate::i18n::td_string!(crate::domain::locale::request(), server.what.your_email), crate::i18n::td_string!(crate::domain::locale::request(), server.what.shops_email))))
            .unwrap_or_default();
        let contact_phone = check_phone(&input.contact_phone).map_err(|e| fields.insert("contact_phone".into(), e)).unwrap_or_default();
        let template = ReturnTemplate::parse(&input.return_template);
        let mut return_policy = text(&input.return_policy);
        if return_policy.is_empty() {
            match template {
                Some(t) => return_policy = t.text_in(locale::from_code(&input.language).unwrap_or(Locale::en)).to_string(),
                None => {
                    fields.insert("return_policy".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.shop.return_policy).to_string());
                }
            }
        }
        check_len(&mut fields, "return_policy", &return_policy, 20, POLICY_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.return_policy));
        let return_days = if input.return_days.trim().is_empty() && template.is_some() {
            template.map(ReturnTemplate::days).unwrap_or_default()
        } else {
            whole_number(&mut fields, "return_days", &input.return_days, 0, MAX_RETURN_DAYS, crate::i18n::td_string!(crate::domain::locale::request(), server.what.return_days))
        };
        let handling_days = whole_number(&mut fields, "handling_days", &input.handling_days, 1, MAX_HANDLING_DAYS, crate::i18n::td_string!(crate::domain::locale::request(), server.what.handling_days));
        let shipping = match Money::parse(&input.shipping_fee) {
            Some(m) if m <= MAX_SHIPPING => m,
            Some(_) => {
                fields.insert("shipping_fee".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.shop.shipping_max, max = crate::domain::locale::money(crate::domain::locale::request(), MAX_SHIPPING)).to_string());
                Money(0)
            }
            None => {
                fields.insert("shipping_fee".into(), crate::i18n::td_string!(crate::domain::locale::request(), server.shop.shipping_format).to_string());
                Money(0)
            }
        };
        let language = language(&mut fields, "language", &input.language);
        let (translated_description, translated_return_policy) = (text(&input.translated_description), text(&input.translated_return_policy));
        if whole_translation(&mut fields, &[("translated_description", &translated_description), ("translated_return_policy", &translated_return_policy)]) {
            check_len(&mut fields, "translated_description", &translated_description, 20, DESCRIPTION_MAX, "description");
            check_len(&mut fields, "translated_return_policy", &translated_return_policy, 20, POLICY_MAX, "return policy");
        }
        if !fields.is_empty() {
            return Err(AppError::from_fields(fields));
        }
        Ok(ShopProfile {
            name,
            city,
            country,
            description,
            opening_hours,
            contact_email,
            contact_phone,
            return_policy,
            return_days,
            handling_days,
            shipping,
            language,
            translated_description,
            translated_return_policy,
        })
    }
}

/// The shop's address in URLs: its name folded to lowercase ASCII words joined by dashes.
pub fn slug_of(name: &str) -> String {
    let folded = fold(name);
    let mut slug = String::new();
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug.chars().take(NAME_MAX).collect::<String>().trim_end_matches('-').to_string()
}

/// The shop's email as buyers see it: the first letter of the mailbox and the domain
/// ("c•••@atelier.example"); messages to the shop go through Troika.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}•••@{domain}", local.chars().next().unwrap_or('•')),
        None => "•••".into(),
    }
}

/// The shop's phone as buyers see it: everything but the last two digits hidden.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let keep = digits.len().saturating_sub(2);
    let tail: String = digits[keep..].iter().collect();
    let lead = if phone.trim_start().starts_with('+') { "+" } else { "" };
    format!("{lead}{}{tail}", "•".repeat(keep.min(8)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplicationStatus {
    Pending,
    Approved,
    Rejected,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 3] = [ApplicationStatus::Pending, ApplicationStatus::Approved, ApplicationStatus::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Pending => "pending",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<ApplicationStatus> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Pending => "Waiting for review",
            ApplicationStatus::Approved => "Approved",
            ApplicationStatus::Rejected => "Not approved",
        }
    }
}

/// An application to sell, as the applicant and the admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: i64,
    pub applicant: UserId,
    pub applicant_name: String,
    pub applicant_email: String,
    pub profile: ShopProfile,
    pub status: ApplicationStatus,
    /// The admin's reason, for a rejection.
    pub reason: String,
    pub submitted_at: String,
    pub decided_at: Option<String>,
    /// The shop it opened, once approved.
    pub shop_slug: Option<String>,
}

/// The "Sell on Troika" page for the person asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellPage {
    /// Their latest application, if any.
    pub latest: Option<ApplicationView>,
    /// What the form starts with: what they typed last (kept when it could not be sent).
    pub draft: ShopProfileInput,
    /// They sell already (their shop's slug) or work for the marketplace: no form.
    pub shop_slug: Option<String>,
    pub staff: bool,
}

/// The seller's own shop as its edit form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyShop {
    pub slug: String,
    pub name: String,
    pub form: ShopProfileInput,
    /// Why the marketplace suspended it, if it did.
    pub suspended: Option<String>,
}

/// What an admin did about an application or a shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminAction {
    Approved,
    Rejected,
    Suspended,
    Reinstated,
}

impl AdminAction {
    pub const ALL: [AdminAction; 4] = [AdminAction::Approved, AdminAction::Rejected, AdminAction::Suspended, AdminAction::Reinstated];

    pub fn as_str(self) -> &'static str {
        match self {
            AdminAction::Approved => "approved",
            AdminAction::Rejected => "rejected",
            AdminAction::Suspended => "suspended",
            AdminAction::Reinstated => "reinstated",
        }
    }

    pub fn parse(s: &str) -> Option<AdminAction> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AdminAction::Approved => "Application approved",
            AdminAction::Rejected => "Application rejected",
            AdminAction::Suspended => "Shop suspended",
            AdminAction::Reinstated => "Shop reinstated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminActionView {
    pub action: AdminAction,
    /// The shop's or the applied-for shop's name.
    pub subject: String,
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// A shop in the admin's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopStanding {
    pub id: ShopId,
    pub slug: String,
    pub name: String,
    pub owner_email: String,
    /// The reason it is suspended, if it is.
    pub suspended: Option<String>,
}

/// The admin's shops page: applications waiting, the shops, and the decisions made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopsAdminPage {
    pub pending: Vec<ApplicationView>,
    pub shops: Vec<ShopStanding>,
    pub log: Vec<AdminActionView>,
}

/// The reason an admin gives for a rejection or a suspension: required, capped.
pub fn check_reason(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    let mut fields = FieldErrors::new();
    check_len(&mut fields, "reason", reason, 10, crate::domain::text::REASON_MAX, crate::i18n::td_string!(crate::domain::locale::request(), server.what.reason));
    if fields.is_empty() { Ok(reason.to_string()) } else { Err(AppError::from_fields(fields)) }
}

/// The policies an order was bought under: copied from its shop when it is placed, so a later
/// change of the shop's policy applies to new orders only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPolicy {
    /// The return policy in the reader's language when the seller wrote it, else the original…
    pub return_policy: String,
    /// …and then the language it is in.
    pub text_language: Option<crate::domain::locale::Locale>,
    pub return_days: i64,
    pub handling_days: i64,
}

impl OrderPolicy {
    pub fn returns_label(&self) -> String {
        returns_label(self.return_days)
    }

    pub fn handling_label(&self) -> String {
        handling_label(self.handling_days)
    }
}

/// "30-day returns", or "No returns".
pub fn returns_label(return_days: i64) -> String {
    if return_days == 0 { "No returns".into() } else { format!("{return_days}-day returns") }
}

/// "Ships within 3 business days".
pub fn handling_label(handling_days: i64) -> String {
    match handling_days {
        0 | 1 => "Ships within 1 business day".into(),
        n => format!("Ships within {n} business days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> ShopProfileInput {
        ShopProfileInput {
            name: "Atelier Été".into(),
            city: "Lyon".into(),
            country: "France".into(),
            description: "Hand-thrown stoneware from our workshop by the Saône.".into(),
            opening_hours: "Mon–Fri 9:00–17:00".into(),
            contact_email: "Hello@Atelier.example".into(),
            contact_phone: "+33 4 78 12 34 56".into(),
            return_template: "free-30".into(),
            return_policy: String::new(),
            return_days: String::new(),
            handling_days: "3".into(),
            shipping_fee: "4,90".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_filled_in_shop_form_becomes_a_profile_with_the_templates_policy() {
        let p = ShopProfile::try_from(filled()).unwrap();
        assert_eq!(p.return_policy, ReturnTemplate::FreeThirty.text());
        assert_eq!(p.return_days, 30);
        assert_eq!(p.handling_days, 3);
        assert_eq!(p.shipping, Money(490));
        assert_eq!(p.contact_email, "hello@atelier.example");
        assert_eq!(slug_of(&p.name), "atelier-ete");
    }

    #[test]
    fn a_french_shop_that_keeps_the_template_gets_its_french_text() {
        for t in ReturnTemplate::ALL {
            assert_eq!(t.text_in(Locale::en), t.text());
            assert_ne!(t.text_in(Locale::fr), t.text());
        }
        let p = ShopProfile::try_from(ShopProfileInput { language: "fr".into(), ..filled() }).unwrap();
        assert_eq!(p.return_policy, ReturnTemplate::FreeThirty.text_in(Locale::fr));
    }

    #[test]
    fn every_bad_field_of_the_shop_form_gets_its_own_message() {
        let input = ShopProfileInput {
            name: "!!".into(),
            description: "short".into(),
            contact_email: "nope".into(),
            contact_phone: "12ab".into(),
            return_days: "ten".into(),
            handling_days: "0".into(),
            shipping_fee: "4.999".into(),
            ..Default::default()
        };
        let AppError::Invalid { fields, .. } = ShopProfile::try_from(input).unwrap_err() else { panic!("not a field error") };
        for f in ["name", "city", "country", "description", "opening_hours", "contact_email", "contact_phone", "return_policy", "return_days", "handling_days", "shipping_fee"] {
            assert!(fields.contains_key(f), "{f} has no message: {fields:?}");
        }
        assert_eq!(fields["handling_days"], "The handling time in business days is a whole number from 1 to 30.");
        assert_eq!(fields["return_days"], "The number of days for returns is a whole number, like 1.");
    }

    #[test]
    fn contact_details_are_masked_for_buyers() {
        assert_eq!(mask_email("hello@atelier.example"), "h•••@atelier.example");
        assert_eq!(mask_phone("+33 4 78 12 34 56"), "+••••••••56");
        assert_eq!(mask_phone("0301234"), "•••••34");
    }

    #[test]
    fn slugs_are_folded_words_joined_by_dashes() {
        assert_eq!(slug_of("  Café   Sol & Co. "), "cafe-sol-co");
        assert_eq!(slug_of("Nordlys Outfitters"), "nordlys-outfitters");
    }

    #[test]
    fn an_edited_profile_round_trips_through_its_form() {
        let p = ShopProfile::try_from(filled()).unwrap();
        assert_eq!(ShopProfile::try_from(p.to_input()).unwrap(), p);
    }
}
