//! The desktop shell: builds the window, opens the profile, registers the commands. Logic lives in
//! `agreement-sync-core`; the commands convert and delegate.

mod commands;
mod demo;
#[cfg(test)]
mod mock_window;
mod state;

use tauri::{Manager, Runtime};

/// Environment variable that puts the app's data (cache, logs) somewhere else.
pub const DATA_DIR_ENV: &str = "AGREEMENT_SYNC_DATA_DIR";

/// The window's script engine (JavaScriptCore, in WebKit's web process, which inherits this
/// process's environment) without its optimising compilers: the window's scripts are light —
/// every plan, amount and check is computed in Rust — and the code those compilers make is kept for
/// the process's life. Measured after scrolling all 50,000 cached tasks: the web process holds
/// about 20 MiB less (`make bench`), with start-up unchanged. A value already set is kept.
///
/// Called first thing in `main`, before any other thread exists.
pub fn lighten_web_engine() {
    const DFG: &str = "JSC_useDFGJIT";
    if std::env::var_os(DFG).is_none() {
        std::env::set_var(DFG, "false");
    }
}

pub fn run() {
    with_commands(tauri::Builder::default())
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
            let state = tauri::async_runtime::block_on(state::AppState::open(data_dir, clock))
                .with_download_dir(app.path().download_dir().ok());
            app.manage(state);
            Ok(())
        })
        .run(context())
        .unwrap_or_else(|e| {
            eprintln!("Agreement Sync could not start: {e}");
            std::process::exit(1);
        });
}

/// The app's commands on `builder`, on any runtime (tests use the mock one). The state they use
/// is managed by `run`'s setup, or by the test.
fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(commands::handler())
}

/// The app's configuration, frontend and capabilities (`tauri.conf.json`, `capabilities/`).
fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}
