use agreement_sync_core::view::{SyncState, SyncView, WizardView};

use super::{CommandResult, Progress};
use crate::state::AppState;

/// Writes the task's reviewed plan to ConnectWise (or finishes its unfinished sync), reporting
/// each write's progress on `on_progress`.
pub async fn sync_task(
    state: &AppState,
    task_id: i64,
    on_progress: Progress<SyncView>,
) -> CommandResult<SyncView> {
    let report = move |v: SyncView| on_progress.report(v);
    let session = state.session()?;
    let synced = session.sync_task(task_id, &report).await?;
    notify_if_failed(state, &session, &synced).await;
    Ok(synced)
}

/// A sync that failed is told by a desktop notification when the window is not in front (once
/// per sync, if notifications are on).
pub async fn notify_if_failed(
    state: &AppState,
    session: &agreement_sync_core::session::Session,
    synced: &SyncView,
) {
    if synced.state != SyncState::Failed {
        return;
    }
    let message = synced.message.as_deref().unwrap_or("a write failed");
    match session
        .notice_after_failed_sync(synced.id, &synced.task_label, message)
        .await
    {
        Ok(Some(notice)) => state.notify(notice, false),
        Ok(None) => {}
        Err(e) => tracing::warn!("the failed sync's notice could not be decided: {e}"),
    }
}

pub async fn refresh_agreement(state: &AppState, task_id: i64) -> CommandResult<WizardView> {
    Ok(state.session()?.refresh_agreement(task_id).await?)
}

pub async fn discard_sync(state: &AppState, task_id: i64) -> CommandResult<WizardView> {
    Ok(state.session()?.discard_sync(task_id).await?)
}
