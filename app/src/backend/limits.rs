//! Rate limits on signing up and signing in, per client address and per account. The counters live
//! in the database (`rate_limits`), so a limit holds however many app servers share it.

use crate::backend::db::{limits, Db};
use crate::backend::Settings;
use crate::error::AppError;
use std::net::IpAddr;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

/// Counts a hit on `key`; refuses when it is over `max` in its window of `window_ms`.
async fn hit(db: &Db, key: &str, max: u32, window_ms: i64, now: i64, what: &str) -> Result<(), AppError> {
    let (hits, window_start) = limits::hit(&db.pool, key, now, window_ms).await?;
    if hits <= i64::from(max) {
        return Ok(());
    }
    let wait_s = ((window_start + window_ms - now) + 999) / 1000;
    let retry_after = u32::try_from(wait_s.max(1)).unwrap_or(u32::MAX);
    let wait = if retry_after >= 120 { format!("{} minutes", retry_after.div_ceil(60)) } else { format!("{retry_after} seconds") };
    Err(AppError::TooManyRequests { message: format!("Too many {what}. Please wait {wait} and try again."), retry_after })
}

/// One sign-in attempt from `addr` for `email`: at most `sign_ins_per_minute` per account (from any
/// address) and four times that per address (for any account).
pub async fn sign_in(db: &Db, settings: &Settings, addr: IpAddr, email: &str, now: i64) -> Result<(), AppError> {
    let per_account = settings.sign_ins_per_minute.max(1);
    hit(db, &format!("sign-in:addr:{addr}"), per_account.saturating_mul(4), MINUTE_MS, now, "sign-in attempts from your network").await?;
    hit(db, &format!("sign-in:account:{email}"), per_account, MINUTE_MS, now, "sign-in attempts for this account").await
}

/// One sign-up from `addr`: at most `sign_ups_per_hour` per address.
pub async fn sign_up(db: &Db, settings: &Settings, addr: IpAddr, now: i64) -> Result<(), AppError> {
    hit(db, &format!("sign-up:addr:{addr}"), settings.sign_ups_per_hour.max(1), HOUR_MS, now, "new accounts from your network").await
}

/// Forgets counters older than any window (run by the upkeep task).
pub async fn prune(db: &Db, now: i64) -> Result<u64, AppError> {
    Ok(limits::prune(&db.pool, now - 2 * HOUR_MS).await?)
}
