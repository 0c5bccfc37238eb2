//! Work the simulator does on its own, once a minute: expiring uploads (tus expiration) and
//! reminding parties of deadlines.

use chrono::Utc;

use crate::state::AppState;

/// Every minute: remove expired uploads (tus expiration) and send deadline reminders.
pub async fn every_minute(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_mins(1));
    loop {
        tick.tick().await;
        let expired: Vec<String> = {
            let db = state.store.db();
            let found = db
                .prepare("SELECT id FROM uploads WHERE expires_at <= ?1")
                .and_then(|mut s| {
                    s.query_map([Utc::now()], |r| r.get(0))?
                        .collect::<rusqlite::Result<Vec<String>>>()
                });
            found.unwrap_or_default()
        };
        for id in expired {
            if let Some(_writing) = state.uploads.claim(&id) {
                let _ = state
                    .store
                    .db()
                    .execute("DELETE FROM uploads WHERE id = ?1", [&id]);
                let _ = tokio::fs::remove_file(state.store.upload_path(&id)).await;
                tracing::info!(upload = %id, "expired upload removed");
            }
        }
        match crate::events::remind_deadlines(&state.store.db()) {
            Ok(0) => {}
            Ok(_) => state.events.notify_waiters(),
            Err(error) => tracing::warn!(%error, "deadline reminders failed"),
        }
    }
}
