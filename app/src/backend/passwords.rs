//! Password hashing (argon2id, the crate's defaults: 19 MiB, 2 passes) through a bounded queue:
//! about one hash per core runs at a time, a few more may wait, and past that a request is told
//! at once that Troika is busy (503 with `Retry-After`) instead of piling up memory and CPU.
//! The rest of the site keeps its speed during a flood of sign-ups or sign-ins.

use crate::backend::internal;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a request may wait for a hashing slot before it is told to come back.
const MAX_WAIT: Duration = Duration::from_secs(4);
/// Requests that may wait per slot (a hash takes ~50 ms: at most about a second of waiting). Waiting
/// costs no memory: the 19 MiB work area exists only while a hash runs.
pub const QUEUED_PER_SLOT: usize = 16;

pub struct Passwords {
    /// Hashes running now (one per slot).
    running: Semaphore,
    /// Requests hashing or waiting to (running + queued).
    admitted: Semaphore,
}

impl Passwords {
    /// `slots` hashes at a time, and up to `queued` more waiting.
    pub fn new(slots: usize, queued: usize) -> Arc<Passwords> {
        let slots = slots.max(1);
        Arc::new(Passwords { running: Semaphore::new(slots), admitted: Semaphore::new(slots + queued) })
    }

    /// The default for this machine: one hash per core but one (so a core is left for everything
    /// else on small machines), and `QUEUED_PER_SLOT` waiting per slot.
    pub fn for_this_machine() -> Arc<Passwords> {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let slots = if cores > 2 { cores - 1 } else { 1 };
        Passwords::new(slots, slots * QUEUED_PER_SLOT)
    }

    fn busy() -> AppError {
        AppError::Unavailable {
            message: "Troika is very busy right now and could not check the password. Please try again in a few seconds.".into(),
            retry_after: 2,
        }
    }

    /// Runs `work` (a hash or a verification) when a slot is free; refuses at once when the queue
    /// is full, and after `MAX_WAIT` in it.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let _admitted = self.admitted.try_acquire().map_err(|_| Self::busy())?;
        let _slot = tokio::time::timeout(MAX_WAIT, self.running.acquire()).await.map_err(|_| Self::busy())?.map_err(internal)?;
        tokio::task::spawn_blocking(work).await.map_err(internal)
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
        })
        .await?
        .map_err(internal)
    }

    /// Checks a password against a stored hash. With no hash (unknown email) it still spends the
    /// same work on a dummy hash, so response times do not reveal which emails have accounts.
    pub async fn verify(&self, hash: Option<String>, password: String) -> Result<bool, AppError> {
        self.run(move || {
            let (hash, known) = match hash {
                Some(h) => (h, true),
                None => (dummy_hash().to_string(), false),
            };
            let ok = PasswordHash::new(&hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok());
            ok && known
        })
        .await
    }
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(b"not a real password", &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_with_retry_after() {
        let passwords = Passwords::new(1, 0);
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let first = {
            let p = passwords.clone();
            tokio::spawn(async move {
                p.run(move || {
                    let _ = started_tx.send(());
                    let _ = release_rx.recv();
                })
                .await
            })
        };
        started_rx.await.unwrap();
        let refused = passwords.hash("a long enough password".into()).await.unwrap_err();
        assert_eq!(refused.status(), 503);
        assert_eq!(refused.retry_after(), Some(2));
        release_tx.send(()).unwrap();
        first.await.unwrap().unwrap();
        let hash = passwords.hash("a long enough password".into()).await.unwrap();
        assert!(passwords.verify(Some(hash), "a long enough password".into()).await.unwrap());
        assert!(!passwords.verify(None, "a long enough password".into()).await.unwrap());
    }
}
