//! The window's commands: each parses and checks its input, calls core, and returns a view or an
//! `ErrorView`. They are listed once, in `list.rs`; the `#[tauri::command]`s and the handler
//! list are made from it here.

pub mod activity;
pub mod batch;
pub mod check;
pub mod profiles;
pub mod reconcile;
pub mod sync;
pub mod tasks;
pub mod wizard;

use agreement_sync_core::batch::{
    BatchProgress, BatchResult, BoardView, BulkAction, InterruptedBatch, SavedFile, TaskSelection,
};
use agreement_sync_core::check::CheckProgress;
use agreement_sync_core::health::HealthView;
use agreement_sync_core::reconcile::present::{
    BookQuery, BookView, CustomerView, FixResult, ReconcileProgress,
};
use agreement_sync_core::saving::Destination;
use agreement_sync_core::schedule::ScheduleView;
use agreement_sync_core::view::{
    ActivityPage, ActivityQuery, AppStatus, CatalogOption, CheckSummary, CompanyOption,
    ConnectWiseTestView, Connectivity, ErrorView, MarketplaceTestView, PriceSourceView,
    ProfileForm, ProfileInput, ProfilesView, SyncView, TaskDetailsView, TaskPage, TaskQuery,
    TaskRow, UndoBoardResult, UndoBoardView, UndoView, WizardEdit, WizardView,
};
use tauri::ipc::{Channel, CommandArg, CommandItem, InvokeError, IpcResponse};
use tauri::Runtime;

use crate::state::AppState;

include!("list.rs");

// Below the list, whose macro it uses.
#[cfg(test)]
mod bindings;

pub type CommandResult<T> = std::result::Result<T, ErrorView>;

/// Tells a failed sync or batch sync by a desktop notification when the window is not in front
/// (once each, if notifications are on).
pub async fn tell_failed(
    state: &AppState,
    session: &agreement_sync_core::session::Session,
    work: agreement_sync_core::schedule::FailedWork,
    what: &str,
    message: &str,
) {
    match session.notice_after_failed(work, what, message).await {
        Ok(Some(notice)) => state.notify(notice, false),
        Ok(None) => {}
        Err(e) => tracing::warn!("the failure's notice could not be decided: {e}"),
    }
}

/// Saves a file where the person chooses (the save dialog proposes the download folder and
/// `name`; tests name a folder instead): what `save` wrote, or `None` when they cancelled.
pub async fn save_as<F, Fut>(
    state: &AppState,
    name: impl FnOnce(chrono::NaiveDate) -> String,
    save: F,
) -> CommandResult<Option<SavedFile>>
where
    F: FnOnce(std::sync::Arc<agreement_sync_core::session::Session>, Destination) -> Fut,
    Fut: std::future::Future<Output = agreement_sync_core::Result<SavedFile>>,
{
    let session = state.session()?;
    let name = name(session.clock().today());
    match state.save_destination(&name).await? {
        Some(to) => Ok(Some(save(session, to).await?)),
        None => Ok(None),
    }
}

/// A channel a command reports its progress on (a `Channel<T>` in the window).
pub struct Progress<T>(Channel<T>);

impl<T: IpcResponse> Progress<T> {
    /// Sends `value` to the window. A closed window is no reason to stop the work: what could
    /// not be sent is dropped.
    pub fn report(&self, value: T) {
        let _ = self.0.send(value);
    }
}

impl<'de, R: Runtime, T> CommandArg<'de, R> for Progress<T> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        Channel::from_command(command).map(Progress)
    }
}

/// Makes, for each listed command, the `#[tauri::command]` that takes the window's arguments by
/// their listed names and calls the command's function; and the handler of them all.
macro_rules! tauri_commands {
    ($($module:ident :: $name:ident ($($arg:ident : $ty:ty),*) -> $result:ty;)*) => {
        /// The functions Tauri invokes; each only hands its arguments on.
        mod invoked {
            use super::*;
            $(
                #[tauri::command]
                pub async fn $name(
                    state: tauri::State<'_, AppState>,
                    $($arg: $ty),*
                ) -> CommandResult<$result> {
                    super::$module::$name(&state, $($arg),*).await
                }
            )*
        }

        /// The names of the listed commands, in the list's order.
        #[cfg(test)]
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Invokes the listed commands (and answers any other name with an error).
        pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(invoked::$name),*]
        }
    };
}

with_commands!(tauri_commands);
