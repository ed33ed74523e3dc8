//! Activity and undo (SPEC §17).

use agreement_sync_core::batch::SavedFile;
use agreement_sync_core::view::{
    ActivityPage, ActivityQuery, SyncView, UndoBoardResult, UndoBoardView, UndoView,
};

use super::{CommandResult, Progress};
use crate::state::AppState;

pub async fn activity(
    state: &AppState,
    query: ActivityQuery,
    offset: u32,
    limit: u32,
) -> CommandResult<ActivityPage> {
    Ok(state.session()?.activity(query, offset, limit).await?)
}

pub async fn save_activity_csv(
    state: &AppState,
    query: ActivityQuery,
) -> CommandResult<Option<SavedFile>> {
    super::save_as(
        state,
        agreement_sync_core::activity::csv::file_name,
        |session, to| async move { session.save_activity_csv(query, to).await },
    )
    .await
}

pub async fn open_undo(state: &AppState, sync_id: i64) -> CommandResult<UndoView> {
    Ok(state.session()?.open_undo(sync_id).await?)
}

pub async fn select_undo_row(
    state: &AppState,
    sync_id: i64,
    row_key: String,
    selected: bool,
) -> CommandResult<UndoView> {
    Ok(state
        .session()?
        .select_undo_row(sync_id, row_key, selected)
        .await?)
}

/// Writes the undo of a sync, reporting each write's progress on `on_progress`.
pub async fn undo_sync(
    state: &AppState,
    sync_id: i64,
    on_progress: Progress<SyncView>,
) -> CommandResult<SyncView> {
    let report = move |v: SyncView| on_progress.report(v);
    Ok(state.session()?.undo_sync(sync_id, &report).await?)
}

pub async fn open_batch_undo(state: &AppState, batch_id: i64) -> CommandResult<UndoBoardView> {
    Ok(state.session()?.open_batch_undo(batch_id).await?)
}

pub async fn undo_batch(
    state: &AppState,
    batch_id: i64,
    sync_ids: Vec<i64>,
    on_progress: Progress<SyncView>,
) -> CommandResult<UndoBoardResult> {
    let report = move |v: SyncView| on_progress.report(v);
    Ok(state
        .session()?
        .undo_batch(batch_id, sync_ids, &report)
        .await?)
}
