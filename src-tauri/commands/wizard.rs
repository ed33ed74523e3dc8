use agreement_sync_core::view::{CatalogOption, CompanyOption, WizardEdit, WizardView};

use super::CommandResult;
use crate::state::AppState;

pub async fn open_wizard(state: &AppState, task_id: i64) -> CommandResult<WizardView> {
    Ok(state.session()?.open_wizard(task_id).await?)
}

pub async fn edit_wizard(
    state: &AppState,
    task_id: i64,
    edit: WizardEdit,
) -> CommandResult<WizardView> {
    Ok(state.session()?.edit_wizard(task_id, edit).await?)
}

pub async fn search_companies(
    state: &AppState,
    task_id: i64,
    text: String,
) -> CommandResult<Vec<CompanyOption>> {
    Ok(state.session()?.search_companies(task_id, text).await?)
}

pub async fn search_catalog(state: &AppState, text: String) -> CommandResult<Vec<CatalogOption>> {
    Ok(state.session()?.search_catalog(text).await?)
}
