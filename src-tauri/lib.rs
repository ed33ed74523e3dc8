//! The desktop shell: builds the window, opens the profile, registers the commands. Logic lives in
//! `agreement-sync-core`; the commands convert and delegate.

mod commands;
mod demo;
mod state;

use tauri::Manager;

/// Environment variable that puts the app's data (cache, logs) somewhere else.
pub const DATA_DIR_ENV: &str = "AGREEMENT_SYNC_DATA_DIR";

pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let data_dir = match std::env::var_os(DATA_DIR_ENV) {
                Some(dir) if !dir.is_empty() => std::path::PathBuf::from(dir),
                _ => app.path().app_data_dir()?,
            };
            app.manage(agreement_sync_core::logging::init(
                &data_dir.join("logs"),
                "info",
            ));
            tracing::info!(data_dir = %data_dir.display(), "Agreement Sync starting");
            let clock = agreement_sync_core::clock::Clock::from_env().unwrap_or_else(|e| {
                tracing::error!("{e}; the computer's clock is used");
                agreement_sync_core::clock::Clock::system()
            });
            if clock.is_pinned() {
                tracing::info!(today = %clock.today(), "the app's clock is pinned");
            }
            let state = tauri::async_runtime::block_on(state::AppState::open(data_dir, clock));
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::tasks::app_status,
            commands::tasks::list_tasks,
            commands::tasks::set_task_ignored,
            commands::check::check_changes,
            commands::check::check_connectivity,
            commands::check::set_first_check_days,
            commands::wizard::open_wizard,
            commands::wizard::edit_wizard,
            commands::wizard::search_companies,
            commands::wizard::search_catalog,
            commands::sync::sync_task,
            commands::sync::refresh_agreement,
            commands::sync::discard_sync,
            commands::profiles::list_profiles,
            commands::profiles::get_profile,
            commands::profiles::save_profile,
            commands::profiles::remove_profile,
            commands::profiles::switch_profile,
            commands::profiles::test_connectwise,
            commands::profiles::test_marketplace,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Agreement Sync could not start: {e}");
            std::process::exit(1);
        });
}
