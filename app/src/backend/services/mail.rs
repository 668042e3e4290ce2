//! E-mail notices about conversations, through an outbox: a notice is queued in the same
//! transaction as the message it is about, at most one per person and conversation per batch
//! window (later messages fold into the one waiting), and sent by the job on any server (each
//! claimed with a lease, retried with back-off, marked sent once). The e-mail says a message
//! waits, with a link; never the message itself. Without `TROIKA_SMTP_URL` nothing is queued:
//! notices are in the app only.

use crate::backend::db::mail::{self, NewMail};
use crate::backend::db::{DbError, Tx};
use crate::backend::AppState;
use crate::backend::clock;
use crate::backend::services::notices::language_of;
use crate::domain::locale::Locale;
use crate::domain::{ThreadId, UserId};
use crate::i18n::td_string;
use crate::error::AppError;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// At most one e-mail per person and conversation in this window.
pub const BATCH_WINDOW_MS: i64 = 15 * 60_000;
/// A send is held this long by the server trying it.
const LEASE_MS: i64 = 60_000;
/// The first retry after a failure; doubled each time, at most `RETRY_MAX_MS`.
const RETRY_FIRST_MS: i64 = 30_000;
const RETRY_MAX_MS: i64 = 3_600_000;
/// Stands for the site's address in a queued body; filled when it is sent.
const SITE: &str = "%SITE%";

/// What a conversation is about, as a notice names it: written in the recipient's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// "order #12"
    Order(i64),
    /// "“Walnut bowl”"
    Product(String),
    /// A product whose name is gone: "a product".
    SomeProduct,
    Conversation,
}

impl Subject {
    pub fn text(&self, l: Locale) -> String {
        match self {
            Subject::Order(o) => td_string!(l, notices.subject.order, order = o).to_string(),
            Subject::Product(name) => td_string!(l, notices.subject.product, name = name).to_string(),
            Subject::SomeProduct => td_string!(l, notices.subject.some_product).to_string(),
            Subject::Conversation => td_string!(l, notices.subject.conversation).to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// A buyer wrote to the seller.
    Message,
    /// The seller answered the buyer.
    Answer,
    /// The seller's answer is late.
    Late,
}

impl MailKind {
    fn as_str(self) -> &'static str {
        match self {
            MailKind::Message => "message",
            MailKind::Answer => "answer",
            MailKind::Late => "answer_late",
        }
    }

    /// Subject and text in the recipient's language `l`: that something waits, and where; not the
    /// message.
    fn wording(self, l: Locale, subject: &Subject, due: Option<i64>, thread: ThreadId) -> (String, String) {
        let link = format!("{SITE}/messages/{thread}");
        let subject = subject.text(l);
        match self {
            MailKind::Message => {
                let due = due.map(|d| format!(" {}", td_string!(l, notices.mail.answer_by, when = clock::display_in(l, d)))).unwrap_or_default();
                (
                    td_string!(l, notices.mail.message_subject, subject = &subject).to_string(),
                    td_string!(l, notices.mail.message_body, subject = &subject, due = due, link = &link).to_string(),
                )
            }
            MailKind::Answer => (
                td_string!(l, notices.mail.answer_subject, subject = &subject).to_string(),
                td_string!(l, notices.mail.answer_body, subject = &subject, link = &link).to_string(),
            ),
            MailKind::Late => (
                td_string!(l, notices.mail.late_subject, subject = &subject).to_string(),
                td_string!(l, notices.mail.late_body, subject = &subject, link = &link).to_string(),
            ),
        }
    }
}

/// Queues an e-mail notice for `to` about `thread` (in the caller's transaction, which holds the
/// thread's lock). One already waiting takes the new wording instead; after one was sent, the
/// next waits until the batch window has passed.
#[allow(clippy::too_many_arguments)]
pub async fn enqueue(tx: &mut Tx, state: &AppState, to: UserId, thread: ThreadId, kind: MailKind, subject: &Subject, due: Option<i64>, now: i64) -> Result<(), DbError> {
    if state.settings.smtp_url.is_none() {
        return Ok(());
    }
    let l = language_of(tx, to).await?;
    let (title, body) = kind.wording(l, subject, due, thread);
    let latest = mail::latest_for(tx, to, thread).await?;
    if let Some((id, None, _)) = latest {
        // Still waiting to go: it now says what is newest (a late answer outranks a message).
        if kind == MailKind::Late || kind == MailKind::Answer {
            mail::refresh(tx, id, kind.as_str(), &title, &body).await?;
        }
        return Ok(());
    }
    let send_after = match latest {
        Some((_, Some(sent), _)) => now.max(sent + BATCH_WINDOW_MS),
        _ => now,
    };
    let key = format!("u{to}:t{thread}:after:{}", latest.map(|l| l.0).unwrap_or(0));
    let m = NewMail { user: to, thread, kind: kind.as_str(), subject: &title, body: &body, batch_key: &key, send_after };
    mail::insert(tx, &m, now).await?;
    Ok(())
}

/// When a notice that failed `attempts` times is tried again.
pub fn retry_delay(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 20) as u32;
    RETRY_FIRST_MS.saturating_mul(1i64 << doublings).min(RETRY_MAX_MS)
}

/// Sends the notices that are due, through the configured SMTP server; `site` is the address
/// links point to. Returns how many were sent. A failed send is kept and tried again later.
pub async fn run_mail_job(state: &AppState, site: &str, now: i64) -> Result<usize, AppError> {
    let Some(url) = state.settings.smtp_url.as_deref() else { return Ok(0) };
    let due = mail::due(&state.db.pool, now, 50).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| crate::backend::internal(format!("TROIKA_SMTP_URL is not a valid SMTP address: {e}")))?
        .timeout(Some(Duration::from_secs(10)))
        .build();
    let from: Mailbox = state.settings.mail_from.parse().map_err(|e| crate::backend::internal(format!("TROIKA_MAIL_FROM is not an address: {e}")))?;
    let mut sent = 0;
    for id in due {
        let Some(m) = mail::lease(&state.db.pool, id, now, LEASE_MS).await? else { continue };
        let to = format!("{} <{}>", m.display_name.replace(['<', '>', '"', ',', ';'], " "), m.email).parse::<Mailbox>().or_else(|_| m.email.parse::<Mailbox>());
        let outcome = match to {
            Err(e) => Err(format!("not an address: {e}")),
            Ok(to) => {
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(m.subject.clone())
                    // The same id for every attempt: a receiver can tell a resend from a new notice.
                    .message_id(Some(format!("<troika-notice-{}@troika.invalid>", m.id)))
                    .header(ContentType::TEXT_PLAIN)
                    .body(m.body.replace(SITE, site.trim_end_matches('/')));
                match message {
                    Err(e) => Err(format!("could not build the e-mail: {e}")),
                    Ok(message) => transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
                }
            }
        };
        match outcome {
            Ok(()) => {
                mail::mark_sent(&state.db.pool, m.id, crate::backend::clock::now_ms().max(now)).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(mail = m.id, attempts = m.attempts, error = %e, "e-mail notice not sent; trying again later");
                mail::mark_failed(&state.db.pool, m.id, now + retry_delay(m.attempts), &e).await?;
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mails_are_worded_in_the_recipients_language() {
        let (subject, body) = MailKind::Message.wording(Locale::en, &Subject::Order(12), None, ThreadId(3));
        assert_eq!(subject, "A buyer is waiting for your answer about order #12");
        assert!(body.starts_with("Hello,\n\nA buyer wrote to your shop on Troika about order #12.\n\nRead and answer it here: %SITE%/messages/3\n"), "{body}");
        let (_, body) = MailKind::Message.wording(Locale::en, &Subject::Conversation, Some(0), ThreadId(3));
        assert!(body.ends_with("answer on Troika, where the conversation is kept.\n"), "{body:?}");
        assert!(body.contains("about a conversation. Please answer by 1 Jan 1970, 00:00 UTC.\n\n"), "{body}");
        let (subject, body) = MailKind::Late.wording(Locale::fr, &Subject::Product("Bol en noyer".into()), None, ThreadId(3));
        assert_eq!(subject, "Une réponse est en retard : « Bol en noyer »");
        assert!(body.starts_with("Bonjour,\n\n") && body.contains("%SITE%/messages/3"), "{body}");
    }

    #[test]
    fn failed_sends_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(retry_delay(1), 30_000);
        assert_eq!(retry_delay(2), 60_000);
        assert_eq!(retry_delay(3), 120_000);
        assert_eq!(retry_delay(12), RETRY_MAX_MS);
        assert_eq!(retry_delay(1000), RETRY_MAX_MS);
    }

    #[test]
    fn notices_say_that_a_message_waits_and_link_to_it_not_what_it_says() {
        let (subject, body) = MailKind::Message.wording(Locale::en, &Subject::Product("Crêpe pan".into()), Some(1796479500000), ThreadId(7));
        assert!(body.contains("about “Crêpe pan”."));
        assert!(subject.contains("waiting for your answer"));
        assert!(body.contains("%SITE%/messages/7"));
        assert!(body.contains("Please answer by 5 Dec 2026, 14:05 UTC."));
    }
}
