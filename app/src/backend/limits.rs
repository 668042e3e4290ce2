//! Rate limits on signing up and signing in, per client address and per account. The counters live
//! in the database (`rate_limits`), so a limit holds however many app servers share it.

use crate::backend::db::{limits, Db};
use crate::backend::Settings;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use std::net::IpAddr;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

/// What a limit counts, for the refusal's words.
#[derive(Clone, Copy)]
enum Counted {
    NetworkSignIns,
    AccountSignIns,
    NetworkSignUps,
}

/// Counts a hit on `key`; refuses when it is over `max` in its window of `window_ms`.
async fn hit(db: &Db, key: &str, max: u32, window_ms: i64, now: i64, what: Counted) -> Result<(), AppError> {
    let (hits, window_start) = limits::hit(&db.pool, key, now, window_ms).await?;
    if hits <= i64::from(max) {
        return Ok(());
    }
    let wait_s = ((window_start + window_ms - now) + 999) / 1000;
    let retry_after = u32::try_from(wait_s.max(1)).unwrap_or(u32::MAX);
    Err(AppError::TooManyRequests { message: refusal(crate::domain::locale::request(), what, retry_after), retry_after })
}

/// "Too many sign-in attempts from your network. Please wait 45 seconds and try again." in `l`.
fn refusal(l: Locale, what: Counted, retry_after: u32) -> String {
    let wait = if retry_after >= 120 {
        td_string!(l, server.limits.minutes, count = i64::from(retry_after.div_ceil(60))).to_string()
    } else {
        td_string!(l, server.limits.seconds, count = i64::from(retry_after)).to_string()
    };
    match what {
        Counted::NetworkSignIns => td_string!(l, server.limits.sign_in_network, wait = wait).to_string(),
        Counted::AccountSignIns => td_string!(l, server.limits.sign_in_account, wait = wait).to_string(),
        Counted::NetworkSignUps => td_string!(l, server.limits.sign_up_network, wait = wait).to_string(),
    }
}

/// One sign-in attempt from `addr` for `email`: at most `sign_ins_per_minute` per account (from any
/// address) and four times that per address (for any account).
pub async fn sign_in(db: &Db, settings: &Settings, addr: IpAddr, email: &str, now: i64) -> Result<(), AppError> {
    let per_account = settings.sign_ins_per_minute.max(1);
    hit(db, &format!("sign-in:addr:{addr}"), per_account.saturating_mul(4), MINUTE_MS, now, Counted::NetworkSignIns).await?;
    hit(db, &format!("sign-in:account:{email}"), per_account, MINUTE_MS, now, Counted::AccountSignIns).await
}

/// One sign-up from `addr`: at most `sign_ups_per_hour` per address.
pub async fn sign_up(db: &Db, settings: &Settings, addr: IpAddr, now: i64) -> Result<(), AppError> {
    hit(db, &format!("sign-up:addr:{addr}"), settings.sign_ups_per_hour.max(1), HOUR_MS, now, Counted::NetworkSignUps).await
}

/// Forgets counters older than any window (run by the upkeep task).
pub async fn prune(db: &Db, now: i64) -> Result<u64, AppError> {
    Ok(limits::prune(&db.pool, now - 2 * HOUR_MS).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_says_how_long_to_wait_in_the_readers_language() {
        assert_eq!(refusal(Locale::en, Counted::AccountSignIns, 1), "Too many sign-in attempts for this account. Please wait 1 second and try again.");
        assert_eq!(refusal(Locale::en, Counted::NetworkSignUps, 3000), "Too many new accounts from your network. Please wait 50 minutes and try again.");
        assert_eq!(refusal(Locale::fr, Counted::NetworkSignIns, 45), "Trop de tentatives de connexion depuis votre réseau. Patientez 45 secondes puis réessayez.");
        assert_eq!(refusal(Locale::fr, Counted::NetworkSignUps, 121), "Trop de nouveaux comptes depuis votre réseau. Patientez 3 minutes puis réessayez.");
    }
}
