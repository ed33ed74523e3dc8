//! Scheduled checks while the app is open (SPEC §18): every tick, the open profile's check runs
//! if it is due and nothing else runs (core decides); the window is told to read its list
//! again, and a notice is shown when the outcome changed the profile's state.

use std::time::Duration;

use agreement_sync_core::check::scheduled::Ticked;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::AppState;

/// How often a due check is looked for, unless `AGREEMENT_SYNC_SCHEDULE_TICK_MS` says otherwise
/// (the benchmark runs many scheduled checks on a fast clock).
const TICK: Duration = Duration::from_secs(30);

/// The window's event after a scheduled check: read the status and the list again.
pub const CHECKED_EVENT: &str = "scheduled-check";

/// How often ticks come.
pub fn tick_every() -> Duration {
    std::env::var("AGREEMENT_SYNC_SCHEDULE_TICK_MS")
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .filter(|ms| *ms >= 10)
        .map(Duration::from_millis)
        .unwrap_or(TICK)
}

/// Starts the ticks, for as long as the app runs.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    let every = tick_every();
    tauri::async_runtime::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            tick(&app).await;
        }
    });
}

/// One tick: the open profile's scheduled check, if due.
pub async fn tick<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(session) = state.session() else {
        return;
    };
    match session.scheduled_tick().await {
        Ok(Ticked::Idle) => {}
        Ok(Ticked::Waiting(work)) => {
            tracing::debug!("a scheduled check waits: {} is running", work.words());
        }
        Ok(Ticked::Checked { checked, notice }) => {
            tracing::info!(checked, "scheduled check finished");
            if let Err(e) = app.emit(CHECKED_EVENT, checked) {
                tracing::warn!("the window could not be told of the scheduled check: {e}");
            }
            if let Some(notice) = notice {
                state.notify(notice, true);
            }
        }
        Err(e) => tracing::error!("the scheduled check could not run: {e}"),
    }
}
