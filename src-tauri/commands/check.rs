use agreement_sync_core::view::{CheckProgress, CheckSummary, Connectivity};

use super::{view_error, CommandResult, Progress};
use crate::state::AppState;

pub async fn check_changes(
    state: &AppState,
    on_progress: Progress<CheckProgress>,
) -> CommandResult<CheckSummary> {
    let report = move |p: CheckProgress| on_progress.report(p);
    state
        .session()?
        .check_changes(&report)
        .await
        .map_err(view_error)
}

pub async fn check_connectivity(state: &AppState) -> CommandResult<Connectivity> {
    Ok(state.session()?.check_connectivity().await)
}

pub async fn set_first_check_days(state: &AppState, days: u32) -> CommandResult<()> {
    state
        .session()?
        .set_first_check_days(days)
        .await
        .map_err(view_error)
}
