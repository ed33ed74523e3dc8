use agreement_sync_core::batch::{
    BatchProgress, BatchResult, BoardView, BulkAction, InterruptedBatch, SavedFile, TaskSelection,
};
use agreement_sync_core::schedule::FailedWork;

use super::{CommandResult, Progress};
use crate::state::AppState;

/// Makes a batch of the selected tasks and returns its board (planned from the cache).
pub async fn open_batch(state: &AppState, selection: TaskSelection) -> CommandResult<BoardView> {
    Ok(state.session()?.open_batch(selection).await?)
}

pub async fn batch_board(state: &AppState, batch_id: i64) -> CommandResult<BoardView> {
    Ok(state.session()?.batch_board(batch_id).await?)
}

pub async fn apply_bulk(
    state: &AppState,
    batch_id: i64,
    task_ids: Vec<i64>,
    action: BulkAction,
) -> CommandResult<BoardView> {
    Ok(state
        .session()?
        .apply_bulk(batch_id, task_ids, action)
        .await?)
}

/// Syncs the batch's ready tasks, reporting on `on_progress`.
pub async fn sync_batch(
    state: &AppState,
    batch_id: i64,
    on_progress: Progress<BatchProgress>,
) -> CommandResult<BatchResult> {
    let report = move |p: BatchProgress| on_progress.report(p);
    let session = state.session()?;
    let result = session.sync_batch(batch_id, &report).await?;
    if result.failed > 0 {
        let work = FailedWork::Batch(batch_id);
        super::tell_failed(state, &session, work, "", &result.message).await;
    }
    Ok(result)
}

pub async fn stop_batch(state: &AppState, batch_id: i64) -> CommandResult<()> {
    Ok(state.session()?.stop_batch(batch_id)?)
}

pub async fn interrupted_batch(state: &AppState) -> CommandResult<Option<InterruptedBatch>> {
    Ok(state.session()?.interrupted_batch().await?)
}

/// Saves the batch as CSV where the person chooses (`None`: they cancelled).
pub async fn save_batch_csv(state: &AppState, batch_id: i64) -> CommandResult<Option<SavedFile>> {
    super::save_as(
        state,
        |today| agreement_sync_core::batch::csv::file_name(batch_id, today),
        |session, to| async move { session.save_batch_csv(batch_id, to).await },
    )
    .await
}
