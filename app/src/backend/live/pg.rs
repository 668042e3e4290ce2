//! Wake-ups across app servers: every server LISTENs on one Postgres channel and wakes its own
//! streams when another server publishes. Notifications are transient, so whenever the listening
//! connection is (re)established every local stream is woken to reread from its cursor.

use super::{LiveHub, CHANNEL};
use sqlx::postgres::PgListener;
use std::sync::Arc;
use std::time::Duration;

/// Listens until the hub closes. `ready` is sent once the first LISTEN is in place.
pub fn spawn_listener(hub: Arc<LiveHub>, url: String, ready: tokio::sync::oneshot::Sender<()>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ready = Some(ready);
        let mut closing = hub.closing.subscribe();
        while !hub.is_closing() {
            match listen(&url).await {
                Ok(mut listener) => {
                    hub.wake_all();
                    if let Some(r) = ready.take() {
                        let _ = r.send(());
                    }
                    loop {
                        tokio::select! {
                            _ = closing.wait_for(|c| *c) => return,
                            got = listener.try_recv() => match got {
                                Ok(Some(n)) => hub.on_notification(n.payload()),
                                // The connection dropped; it reconnects on the next call. Wake
                                // everyone: anything published meanwhile is read from the database.
                                Ok(None) => {
                                    tracing::warn!("live channel connection lost; reconnecting");
                                    hub.wake_all();
                                }
                                Err(e) => {
                                    tracing::warn!(error = %e, "live channel failed; reconnecting");
                                    break;
                                }
                            },
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not listen on the live channel; retrying"),
            }
            tokio::select! {
                _ = closing.wait_for(|c| *c) => return,
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    })
}

async fn listen(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}
