use agreement_sync_core::view::{SyncView, WizardView};
use tauri::ipc::Channel;
use tauri::State;

use super::{view_error, CommandResult};
use crate::state::AppState;

/// Writes the task's reviewed plan to ConnectWise (or finishes its unfinished sync), reporting
/// each write's progress on `on_progress`.
#[tauri::command]
pub async fn sync_task(
    state: State<'_, AppState>,
    task_id: i64,
    on_progress: Channel<SyncView>,
) -> CommandResult<SyncView> {
    let report = move |v: SyncView| {
        // A closed window is no reason to stop a sync half-way.
        let _ = on_progress.send(v);
    };
    state
        .session()?
        .sync_task(task_id, &report)
        .await
        .map_err(view_error)
}

#[tauri::command]
pub async fn refresh_agreement(
    state: State<'_, AppState>,
    task_id: i64,
) -> CommandResult<WizardView> {
    state
        .session()?
        .refresh_agreement(task_id)
        .await
        .map_err(view_error)
}

#[tauri::command]
pub async fn discard_sync(state: State<'_, AppState>, task_id: i64) -> CommandResult<WizardView> {
    state
        .session()?
        .discard_sync(task_id)
        .await
        .map_err(view_error)
}
