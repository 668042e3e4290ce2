//! What a person typed into a form that could not be saved, kept in their session so the form
//! comes back filled in (without JavaScript the browser reloads the page). One draft per form: a
//! new one replaces the last, every text in it is cut to `FIELD_MAX` characters (the largest cap
//! of any field), so a session never grows with what is posted to it; and a new sign-in starts
//! without any.

use crate::backend::auth::session_failed;
use crate::domain::text::cut;
use crate::error::AppError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tower_sessions::Session;

/// The longest text a draft keeps in one field (a claim message or a review's text).
pub const FIELD_MAX: usize = 4000;

fn key(form: &str) -> String {
    format!("draft:{form}")
}

fn cut_texts(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(cut(&s, FIELD_MAX)),
        Value::Array(items) => Value::Array(items.into_iter().take(16).map(cut_texts).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, cut_texts(v))).collect()),
        other => other,
    }
}

/// Keeps `draft` of `form` for `target` (which order, which product), replacing any earlier one.
pub async fn keep<T: Serialize>(session: &Session, form: &str, target: &str, draft: &T) -> Result<(), AppError> {
    let value = serde_json::to_value(draft).map_err(crate::backend::internal)?;
    session.insert(&key(form), serde_json::json!({ "for": target, "draft": cut_texts(value) })).await.map_err(session_failed)
}

/// The draft of `form` for `target`, if one is kept.
pub async fn get<T: DeserializeOwned>(session: &Session, form: &str, target: &str) -> Result<Option<T>, AppError> {
    let Some(kept) = session.get::<Value>(&key(form)).await.map_err(session_failed)? else { return Ok(None) };
    if kept.get("for").and_then(Value::as_str) != Some(target) {
        return Ok(None);
    }
    Ok(kept.get("draft").cloned().and_then(|d| serde_json::from_value(d).ok()))
}

/// Forgets the draft of `form` (it was saved).
pub async fn forget(session: &Session, form: &str) -> Result<(), AppError> {
    session.remove_value(&key(form)).await.map_err(session_failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_of_a_draft_is_cut_to_the_largest_field() {
        let long = "x".repeat(FIELD_MAX * 3);
        let cut = cut_texts(serde_json::json!({ "title": long, "nested": { "body": long }, "stars": 5 }));
        assert_eq!(cut["title"].as_str().map(|s| s.len()), Some(FIELD_MAX));
        assert_eq!(cut["nested"]["body"].as_str().map(|s| s.len()), Some(FIELD_MAX));
        assert_eq!(cut["stars"], 5);
    }
}
