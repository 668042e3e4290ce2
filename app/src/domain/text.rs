//! Free text people type: every field has a cap, and an error names the field. Drafts kept for a
//! form without JavaScript are cut to the same caps, so a session never holds more than a form can.

use crate::domain::locale;
use crate::error::{AppError, FieldErrors};
use crate::i18n::td_string;

/// Notes with an action (escalating, withdrawing, an approval note).
pub const NOTE_MAX: usize = 1000;
/// A mediator's written reason for a decision.
pub const REASON_MAX: usize = 2000;
/// A search query.
pub const QUERY_MAX: usize = 200;

/// Adds an error for `field` when `text` is shorter than `min` or longer than `max` characters.
pub fn check_len(fields: &mut FieldErrors, field: &str, text: &str, min: usize, max: usize, what: &str) {
    let n = text.chars().count();
    if n < min {
        fields.insert(field.into(), td_string!(locale::request(), server.text.at_least, min = min, what = what).to_string());
    } else if n > max {
        fields.insert(field.into(), td_string!(locale::request(), server.text.at_most, what = what, max = max, n = n).to_string());
    }
}

/// `text` as a whole number from `min` to `max`, or 0 and an error naming `field` (empty, not a
/// number, out of range: each its own message).
pub fn whole_number(fields: &mut FieldErrors, field: &str, text: &str, min: i64, max: i64, what: &str) -> i64 {
    match text.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => n,
        Ok(_) => {
            fields.insert(field.into(), td_string!(locale::request(), server.text.range, what = what, min = min, max = max).to_string());
            0
        }
        Err(_) if text.trim().is_empty() => {
            fields.insert(field.into(), td_string!(locale::request(), server.text.enter, what = what).to_string());
            0
        }
        Err(_) => {
            fields.insert(field.into(), td_string!(locale::request(), server.text.whole, what = what, example = min.max(1)).to_string());
            0
        }
    }
}

/// `text` trimmed, or an error naming `field` when it is longer than `max` characters.
pub fn capped(text: &str, field: &str, max: usize, what: &str) -> Result<String, AppError> {
    let text = text.trim();
    let mut fields = FieldErrors::new();
    check_len(&mut fields, field, text, 0, max, what);
    if fields.is_empty() { Ok(text.to_string()) } else { Err(AppError::from_fields(fields)) }
}

/// The language a seller's texts are written in, from the form (`en`, `fr`; empty is English), or
/// an error on `field`.
pub fn language(fields: &mut FieldErrors, field: &str, code: &str) -> crate::domain::locale::Locale {
    let code = code.trim();
    if code.is_empty() {
        return crate::domain::locale::Locale::en;
    }
    crate::domain::locale::from_code(code).unwrap_or_else(|| {
        fields.insert(field.into(), crate::i18n::td_string!(crate::domain::locale::request(), server.texts.choose_language).to_string());
        crate::domain::locale::Locale::en
    })
}

/// A seller's version of their texts in the other language is whole or absent: when some of
/// `parts` (field, trimmed text) are written and others are empty, each empty one gets an error.
/// Whether it is there.
pub fn whole_translation(fields: &mut FieldErrors, parts: &[(&str, &str)]) -> bool {
    let written = parts.iter().filter(|(_, text)| !text.is_empty()).count();
    if written > 0 && written < parts.len() {
        for (field, _) in parts.iter().filter(|(_, text)| text.is_empty()) {
            fields.insert((*field).into(), crate::i18n::td_string!(crate::domain::locale::request(), server.texts.whole_translation).to_string());
        }
    }
    written == parts.len()
}

/// `text` cut to at most `max` characters (for drafts kept in the session).
pub fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_over_long_text_is_refused_by_its_field_and_drafts_are_cut() {
        assert_eq!(capped("  fine  ", "note", 10, "note").unwrap(), "fine");
        let err = capped(&"é".repeat(11), "note", 10, "note").unwrap_err();
        assert_eq!(err.field("note").as_deref(), Some("The note can be at most 10 characters (it has 11)."));
        assert_eq!(cut("crêpes", 4), "crêp");
        assert_eq!(cut("ok", 4), "ok");
    }
}
