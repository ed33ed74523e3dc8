use agreement_sync_core::view::{CheckProgress, CheckSummary, Connectivity};
use tauri::ipc::Channel;
use tauri::State;

use super::{view_error, CommandResult};
use crate::state::AppState;

#[tauri::command]
pub async fn check_changes(
    state: State<'_, AppState>,
    on_progress: Channel<CheckProgress>,
) -> CommandResult<CheckSummary> {
    let report = move |p: CheckProgress| {
        // A closed window is no reason to stop a check.
        let _ = on_progress.send(p);
    };
    state
        .session()?
        .check_changes(&report)
        .await
        .map_err(view_error)
}

#[tauri::command]
pub async fn check_connectivity(state: State<'_, AppState>) -> CommandResult<Connectivity> {
    Ok(state.session()?.check_connectivity().await)
}

#[tauri::command]
pub async fn set_first_check_days(state: State<'_, AppState>, days: u32) -> CommandResult<()> {
    state
        .session()?
        .set_first_check_days(days)
        .await
        .map_err(view_error)
}
