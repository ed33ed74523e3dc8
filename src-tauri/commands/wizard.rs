use agreement_sync_core::view::{CatalogOption, CompanyOption, WizardEdit, WizardView};

use super::{view_error, CommandResult};
use crate::state::AppState;

pub async fn open_wizard(state: &AppState, task_id: i64) -> CommandResult<WizardView> {
    state
        .session()?
        .open_wizard(task_id)
        .await
        .map_err(view_error)
}

pub async fn edit_wizard(
    state: &AppState,
    task_id: i64,
    edit: WizardEdit,
) -> CommandResult<WizardView> {
    state
        .session()?
        .edit_wizard(task_id, edit)
        .await
        .map_err(view_error)
}

pub async fn search_companies(
    state: &AppState,
    task_id: i64,
    text: String,
) -> CommandResult<Vec<CompanyOption>> {
    state
        .session()?
        .search_companies(task_id, text)
        .await
        .map_err(view_error)
}

pub async fn search_catalog(state: &AppState, text: String) -> CommandResult<Vec<CatalogOption>> {
    state
        .session()?
        .search_catalog(text)
        .await
        .map_err(view_error)
}
