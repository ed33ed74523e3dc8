//! The window's commands: each parses and checks its input, calls core, and returns a view or an
//! `ErrorView`.

pub mod check;
pub mod profiles;
pub mod sync;
pub mod tasks;
pub mod wizard;

use agreement_sync_core::view::ErrorView;

pub type CommandResult<T> = std::result::Result<T, ErrorView>;

pub fn view_error(e: agreement_sync_core::Error) -> ErrorView {
    ErrorView::from(&e)
}
