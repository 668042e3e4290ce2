use crate::domain::notification::NotificationView;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::with_status,
    backend::{app_state, auth, clock, db::feed},
};

/// How many notifications the page lists (newest first).
pub const NOTIFICATIONS_SHOWN: i64 = 100;

#[server(endpoint = "list_notifications")]
pub async fn list_notifications() -> Result<Vec<NotificationView>, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            Ok(feed::list(&app_state()?.db.pool, user.id, NOTIFICATIONS_SHOWN).await?)
        }
        .await,
    )
}

/// Marks one of the signed-in user's notifications read (another user's id changes nothing).
#[server(endpoint = "mark_notification_read")]
pub async fn mark_notification_read(id: i64) -> Result<(), AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            feed::mark_read(&app_state()?.db.pool, user.id, id, clock::now_ms()).await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "mark_all_notifications_read")]
pub async fn mark_all_notifications_read() -> Result<u64, AppError> {
    with_status(
        async {
            let user = auth::require_user().await?;
            Ok(feed::mark_all_read(&app_state()?.db.pool, user.id, clock::now_ms()).await?)
        }
        .await,
    )
}
