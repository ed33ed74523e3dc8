use agreement_sync_core::view::{AppStatus, TaskPage, TaskQuery, TaskRow};
use tauri::State;

use super::{view_error, CommandResult};
use crate::state::AppState;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> CommandResult<AppStatus> {
    state.session()?.status().await.map_err(view_error)
}

#[tauri::command]
pub async fn list_tasks(
    state: State<'_, AppState>,
    query: TaskQuery,
    offset: u32,
    limit: u32,
) -> CommandResult<TaskPage> {
    state
        .session()?
        .list_tasks(query, offset, limit)
        .await
        .map_err(view_error)
}

#[tauri::command]
pub async fn set_task_ignored(
    state: State<'_, AppState>,
    id: i64,
    reason: Option<String>,
) -> CommandResult<TaskRow> {
    state
        .session()?
        .set_task_ignored(id, reason)
        .await
        .map_err(view_error)
}
