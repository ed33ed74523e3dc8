use agreement_sync_core::batch::SavedFile;
use agreement_sync_core::health::HealthView;
use agreement_sync_core::view::{AppStatus, TaskDetailsView, TaskPage, TaskQuery, TaskRow};

use super::CommandResult;
use crate::state::AppState;

pub async fn app_status(state: &AppState) -> CommandResult<AppStatus> {
    Ok(state.session()?.status().await?)
}

pub async fn list_tasks(
    state: &AppState,
    query: TaskQuery,
    offset: u32,
    limit: u32,
) -> CommandResult<TaskPage> {
    Ok(state.session()?.list_tasks(query, offset, limit).await?)
}

pub async fn task_details(
    state: &AppState,
    task_id: i64,
    query: TaskQuery,
) -> CommandResult<TaskDetailsView> {
    Ok(state.session()?.task_details(task_id, query).await?)
}

pub async fn set_task_ignored(
    state: &AppState,
    id: i64,
    reason: Option<String>,
) -> CommandResult<TaskRow> {
    Ok(state.session()?.set_task_ignored(id, reason).await?)
}

/// Saves the tasks the list shows (its search, filters and sort) as CSV where the person
/// chooses (`None`: they cancelled).
pub async fn save_tasks_csv(
    state: &AppState,
    query: TaskQuery,
) -> CommandResult<Option<SavedFile>> {
    super::save_as(
        state,
        agreement_sync_core::export::file_name,
        |session, to| async move { session.save_tasks_csv(query, to).await },
    )
    .await
}

/// Both services' health: last contact, last refusal and what to do, the token's end.
pub async fn health(state: &AppState) -> CommandResult<HealthView> {
    Ok(state.session()?.health())
}
