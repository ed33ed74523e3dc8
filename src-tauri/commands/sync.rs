use agreement_sync_core::schedule::FailedWork;
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
    if synced.state == SyncState::Failed {
        let message = synced.message.as_deref().unwrap_or("a write failed");
        let work = FailedWork::Sync(synced.id);
        super::tell_failed(state, &session, work, &synced.task_label, message).await;
    }
    Ok(synced)
}

pub async fn refresh_agreement(state: &AppState, task_id: i64) -> CommandResult<WizardView> {
    Ok(state.session()?.refresh_agreement(task_id).await?)
}

pub async fn discard_sync(state: &AppState, task_id: i64) -> CommandResult<WizardView> {
    Ok(state.session()?.discard_sync(task_id).await?)
}
