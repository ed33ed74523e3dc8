use agreement_sync_core::batch::{
    BatchProgress, BatchResult, BoardView, BulkAction, InterruptedBatch, SavedFile, TaskSelection,
};

use super::{view_error, CommandResult, Progress};
use crate::state::AppState;

/// Makes a batch of the selected tasks and returns its board (planned from the cache).
pub async fn open_batch(state: &AppState, selection: TaskSelection) -> CommandResult<BoardView> {
    state
        .session()?
        .open_batch(selection)
        .await
        .map_err(view_error)
}

pub async fn batch_board(state: &AppState, batch_id: i64) -> CommandResult<BoardView> {
    state
        .session()?
        .batch_board(batch_id)
        .await
        .map_err(view_error)
}

pub async fn apply_bulk(
    state: &AppState,
    batch_id: i64,
    task_ids: Vec<i64>,
    action: BulkAction,
) -> CommandResult<BoardView> {
    state
        .session()?
        .apply_bulk(batch_id, task_ids, action)
        .await
        .map_err(view_error)
}

/// Syncs the batch's ready tasks, reporting on `on_progress`.
pub async fn sync_batch(
    state: &AppState,
    batch_id: i64,
    on_progress: Progress<BatchProgress>,
) -> CommandResult<BatchResult> {
    let report = move |p: BatchProgress| on_progress.report(p);
    state
        .session()?
        .sync_batch(batch_id, &report)
        .await
        .map_err(view_error)
}

pub async fn stop_batch(state: &AppState, batch_id: i64) -> CommandResult<()> {
    state.session()?.stop_batch(batch_id).map_err(view_error)
}

pub async fn interrupted_batch(state: &AppState) -> CommandResult<Option<InterruptedBatch>> {
    state
        .session()?
        .interrupted_batch()
        .await
        .map_err(view_error)
}

/// Saves the batch as CSV in the download folder (the app's data folder when there is none).
pub async fn save_batch_csv(state: &AppState, batch_id: i64) -> CommandResult<SavedFile> {
    state
        .session()?
        .save_batch_csv(batch_id, state.download_dir())
        .await
        .map_err(view_error)
}
