//! Accounts and roles, and the rules for what a person may type when signing up.

use crate::domain::locale;
use crate::error::{AppError, FieldErrors};
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Buyer,
    Seller,
    Mediator,
    Moderator,
    Admin,
}

impl Role {
    /// Marketplace staff: mediators and admins (they read every order and every claim).
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Mediator | Role::Admin)
    }

    /// Review moderators: moderators and admins.
    pub fn moderates_reviews(self) -> bool {
        matches!(self, Role::Moderator | Role::Admin)
    }

    /// People who work for the marketplace (mediators, moderators, admins): their sessions close
    /// after a shorter idle time.
    pub fn works_for_marketplace(self) -> bool {
        matches!(self, Role::Mediator | Role::Moderator | Role::Admin)
    }

    /// The roles an admin gives and takes back from the admin page.
    pub const GRANTABLE: [Role; 2] = [Role::Mediator, Role::Moderator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::Seller => "seller",
            Role::Mediator => "mediator",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "buyer" => Role::Buyer,
            "seller" => Role::Seller,
            "mediator" => Role::Mediator,
            "moderator" => Role::Moderator,
            "admin" => Role::Admin,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Buyer => "Buyer",
            Role::Seller => "Seller",
            Role::Mediator => "Mediator",
            Role::Moderator => "Moderator",
            Role::Admin => "Administrator",
        }
    }
}

/// Who is signed in, as the browser may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: crate::domain::UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// What every page's header needs, in one call: who is signed in, the cart and notification
/// badges, and where the live feed stands (the browser resumes the feed after it, so nothing that
/// happens between this page's render and the live connection is missed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<SessionUser>,
    pub cart_count: i64,
    pub unread: i64,
    pub feed_cursor: i64,
    /// Conversations with a message the person has not read.
    #[serde(default)]
    pub messages: i64,
}

pub const MIN_PASSWORD_LEN: usize = 10;
pub const MAX_PASSWORD_LEN: usize = 256;
pub const MAX_DISPLAY_NAME_LEN: usize = 60;

const HOUR_MS: i64 = 3_600_000;
/// A session unused this long ends (sign in again).
pub const SESSION_IDLE_MS: i64 = 14 * 24 * HOUR_MS;
/// Mediators', moderators' and admins' sessions end sooner when unused.
pub const STAFF_SESSION_IDLE_MS: i64 = 12 * HOUR_MS;
/// Every session ends this long after sign-in, however much it is used.
pub const SESSION_LIFETIME_MS: i64 = 30 * 24 * HOUR_MS;

fn check_new_password(fields: &mut FieldErrors, password: &str, confirm: &str, field: &str, confirm_field: &str) {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        fields.insert(field.into(), td_string!(locale::request(), server.account.password_short, min = MIN_PASSWORD_LEN).to_string());
    } else if len > MAX_PASSWORD_LEN {
        fields.insert(field.into(), td_string!(locale::request(), server.account.password_long, max = MAX_PASSWORD_LEN).to_string());
    }
    if password != confirm {
        fields.insert(confirm_field.into(), td_string!(locale::request(), server.account.passwords_differ).to_string());
    }
}

/// The change-password form, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PasswordChangeInput {
    pub current_password: String,
    pub new_password: String,
    pub new_password_confirm: String,
}

/// A checked password change: the current password (to verify) and the new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

impl TryFrom<PasswordChangeInput> for PasswordChange {
    type Error = AppError;

    fn try_from(input: PasswordChangeInput) -> Result<Self, AppError> {
        let mut fields = FieldErrors::new();
        if input.current_password.is_empty() {
            fields.insert("current_password".into(), td_string!(locale::request(), server.account.current_missing).to_string());
        } else if input.current_password.chars().count() > MAX_PASSWORD_LEN {
            fields.insert("current_password".into(), td_string!(locale::request(), server.account.current_wrong).to_string());
        }
        check_new_password(&mut fields, &input.new_password, &input.new_password_confirm, "new_password", "new_password_confirm");
        if fields.is_empty() && input.new_password == input.current_password {
            fields.insert("new_password".into(), td_string!(locale::request(), server.account.same_password).to_string());
        }
        if fields.is_empty() { Ok(PasswordChange { current: input.current_password, new: input.new_password }) } else { Err(AppError::from_fields(fields)) }
    }
}

/// A person as the admin's roles page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: crate::domain::UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// One line of the roles audit log: who gave or took back which role, from whom, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChangeView {
    pub at: String,
    /// The admin's name and e-mail, or "the server's command line".
    pub by: String,
    pub person: String,
    pub from: Role,
    pub to: Role,
}

/// The admin's roles page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPage {
    pub staff: Vec<StaffMember>,
    pub log: Vec<RoleChangeView>,
}

/// Raw sign-up form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SignUpInput {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub password_confirm: String,
}

/// A validated sign-up: the email is normalised to lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub password: String,
}

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn check_email(email: &str) -> Result<String, String> {
    let email = normalise_email(email);
    if email.is_empty() {
        return Err(td_string!(locale::request(), server.account.email_missing).to_string());
    }
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && matches!(email.split_once('@'), Some((local, domain))
            if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@'));
    if valid { Ok(email) } else { Err(td_string!(locale::request(), server.account.email_format).to_string()) }
}

impl TryFrom<SignUpInput> for NewAccount {
    type Error = AppError;

    fn try_from(input: SignUpInput) -> Result<Self, AppError> {
        let mut fields = FieldErrors::new();
        let email = check_email(&input.email).map_err(|e| fields.insert("email".into(), e)).ok();
        let display_name = input.display_name.trim().to_string();
        if display_name.is_empty() {
            fields.insert("display_name".into(), td_string!(locale::request(), server.account.name_missing).to_string());
        } else if display_name.chars().count() > MAX_DISPLAY_NAME_LEN {
            fields.insert("display_name".into(), td_string!(locale::request(), server.account.name_long, max = MAX_DISPLAY_NAME_LEN).to_string());
        }
        check_new_password(&mut fields, &input.password, &input.password_confirm, "password", "password_confirm");
        match email {
            Some(email) if fields.is_empty() => Ok(NewAccount { email, display_name, password: input.password }),
            _ => Err(AppError::from_fields(fields)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(email: &str, name: &str, pw: &str, confirm: &str) -> SignUpInput {
        SignUpInput { email: email.into(), display_name: name.into(), password: pw.into(), password_confirm: confirm.into() }
    }

    #[test]
    fn sign_up_normalises_the_email() {
        let ok = NewAccount::try_from(input(" Ana@Example.COM ", "Ana", "long enough pw", "long enough pw")).unwrap();
        assert_eq!(ok.email, "ana@example.com");
    }

    #[test]
    fn sign_up_reports_every_bad_field_by_name() {
        let err = NewAccount::try_from(input("not-an-email", " ", "short", "other")).unwrap_err();
        assert!(err.field("email").is_some());
        assert!(err.field("display_name").is_some());
        assert!(err.field("password").is_some());
        assert!(err.field("password_confirm").is_some());
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(check_email("a@b.co").is_ok());
        for bad in ["", "a@", "@b.co", "a@b", "a b@c.de", "a@.com", "a@b.com."] {
            assert!(check_email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn a_password_change_needs_the_current_password_and_a_new_different_one() {
        let change = |current: &str, new: &str, confirm: &str| {
            PasswordChange::try_from(PasswordChangeInput { current_password: current.into(), new_password: new.into(), new_password_confirm: confirm.into() })
        };
        assert_eq!(change("old password 1", "new password 2", "new password 2").unwrap().new, "new password 2");
        assert!(change("", "new password 2", "new password 2").unwrap_err().field("current_password").is_some());
        assert!(change("old password 1", "short", "short").unwrap_err().field("new_password").is_some());
        assert!(change("old password 1", "new password 2", "new password 3").unwrap_err().field("new_password_confirm").is_some());
        assert!(change("same password", "same password", "same password").unwrap_err().field("new_password").is_some());
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for r in [Role::Buyer, Role::Seller, Role::Mediator, Role::Moderator, Role::Admin] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
