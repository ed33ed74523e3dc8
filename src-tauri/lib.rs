//! The desktop shell: builds the window, opens the profile, registers the commands. Logic lives in
//! `agreement-sync-core`; the commands convert and delegate.

mod commands;
mod demo;
mod desktop;
#[cfg(test)]
mod mock_window;
mod scheduler;
mod state;

use std::path::{Path, PathBuf};
use std::time::Duration;

use agreement_sync_core::data_lock::{DataLock, DataLockError};
use tauri::{AppHandle, Manager, Runtime};

/// Environment variable that puts the app's data (cache, logs) somewhere else.
pub const DATA_DIR_ENV: &str = "AGREEMENT_SYNC_DATA_DIR";

/// How long a start waits for the app that held its data folder to finish closing.
const CLOSING_GRACE: Duration = Duration::from_secs(3);

/// What `agreement-sync --version` (or `-V`) prints, when the command line asks for it: the
/// program's name and version, as a package manager and a support call read them.
pub fn version_asked(args: impl IntoIterator<Item = String>) -> Option<String> {
    args.into_iter()
        .skip(1)
        .any(|a| a == "--version" || a == "-V")
        .then(|| format!("agreement-sync {}", env!("CARGO_PKG_VERSION")))
}

#[cfg(test)]
mod version_tests {
    #[test]
    fn the_version_is_printed_when_asked_and_only_then() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            super::version_asked(args(&["agreement-sync", "--version"])).as_deref(),
            Some(concat!("agreement-sync ", env!("CARGO_PKG_VERSION")))
        );
        assert!(super::version_asked(args(&["agreement-sync", "-V"])).is_some());
        assert_eq!(super::version_asked(args(&["agreement-sync"])), None);
        // The program's own name is not an argument.
        assert_eq!(super::version_asked(args(&["--version"])), None);
    }
}

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

/// Starts the app on its data folder, which one process at a time may use (SPEC §15): a second
/// start on the same folder brings the first one's window forward and ends quietly; where that
/// cannot be done, it says the folder is in use and ends (exit code 1) without touching it. Apps
/// on different data folders run side by side.
pub fn run() {
    let data_dir_from_env = data_dir_from_env();
    // Without a display no window can open, nor be brought forward: a folder in use is said at
    // once, before anything else starts.
    if !display_available() {
        if let Some(Err(in_use)) = data_dir_from_env.as_deref().map(DataLock::check) {
            exit_with(&in_use);
        }
    }
    let app = with_commands(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let data_dir = app.state::<DataLock>().folder().to_path_buf();
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
                // Proposed in the save dialog: Downloads, else the home folder.
                .with_download_dir(
                    app.path()
                        .download_dir()
                        .or_else(|_| app.path().home_dir())
                        .ok(),
                )
                .with_saver(desktop::saver(app.handle()))
                .with_notifier(desktop::notifier(app.handle()));
            app.manage(state);
            scheduler::start(app.handle().clone());
            Ok(())
        })
        .build(context())
        .unwrap_or_else(|e| exit_with(&format!("Agreement Sync could not start: {e}")));
    let data_dir = match data_dir_from_env {
        Some(dir) => dir,
        None => app
            .path()
            .app_data_dir()
            .unwrap_or_else(|e| exit_with(&format!("Agreement Sync could not start: {e}"))),
    };
    // Before any window, log or cache: the folder is this process's, or the process ends here.
    let lock = claim(app.handle(), &data_dir, CLOSING_GRACE).unwrap_or_else(|in_use| {
        app.handle().cleanup_before_exit();
        exit_with(&in_use)
    });
    // Held for the process's life (the setup above reads the folder from it).
    app.manage(lock);
    app.run(|_, _| {});
}

/// The data folder `AGREEMENT_SYNC_DATA_DIR` names, if any (else Tauri's `app_data_dir`).
fn data_dir_from_env() -> Option<PathBuf> {
    std::env::var_os(DATA_DIR_ENV)
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
}

/// Says `message` where a person starting the app from a terminal (or its launcher's log) sees
/// it, and ends the process.
fn exit_with(message: &dyn std::fmt::Display) -> ! {
    eprintln!("{message}");
    std::process::exit(1)
}

/// Whether a window can be shown here (on Linux and the BSDs: an X11 or Wayland display).
fn display_available() -> bool {
    if cfg!(all(unix, not(target_os = "macos"))) {
        ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
    } else {
        true
    }
}

/// Makes `data_dir` this process's, for as long as the returned lock lives.
///
/// First the single-instance plugin, named after the folder: when an app on this folder already
/// answers on the session bus, its window is brought forward and this process ends here, quietly
/// (exit code 0). Then the lock file, which decides in every case — no session bus, another app
/// that is not on it, two starts at once: it is waited for up to `patience` (an app that is
/// closing lets go within moments), else the folder is in use and the name taken on the bus is
/// given back.
#[cfg_attr(not(target_os = "linux"), allow(unused_variables))]
fn claim<R: Runtime>(
    app: &AppHandle<R>,
    data_dir: &Path,
    patience: Duration,
) -> Result<DataLock, DataLockError> {
    #[cfg(target_os = "linux")]
    {
        // The folder's name on the bus comes from its canonical path, which needs it to exist
        // (a folder that cannot be made is reported by the lock below).
        let _ = std::fs::create_dir_all(data_dir);
        let single_instance = tauri_plugin_single_instance::Builder::new()
            .dbus_id(instance_id(&app.config().identifier, data_dir))
            .callback(|app, _args, _cwd| bring_forward(app))
            .build();
        // It fails when the app holding the name does not answer: the lock decides below.
        if let Err(e) = app.plugin(single_instance) {
            eprintln!(
                "Agreement Sync: another start on this data folder could not be reached: {e}"
            );
        }
    }
    DataLock::take(data_dir, patience).inspect_err(|_| {
        #[cfg(target_os = "linux")]
        tauri_plugin_single_instance::destroy(app);
    })
}

/// The name of the app of `data_dir` on the session bus (the plugin adds `.SingleInstance`): the
/// app's identifier and the folder's key, so two data folders never share one. On Windows and
/// macOS the plugin names the app after its identifier alone (a named mutex, a socket in /tmp),
/// with no way to add the folder, so it is not used there and the lock file alone decides.
#[cfg(target_os = "linux")]
fn instance_id(identifier: &str, data_dir: &Path) -> String {
    format!(
        "{identifier}.data_{}",
        agreement_sync_core::data_lock::folder_key(data_dir)
    )
}

/// What a second start on this data folder does to the first: shows its window.
#[cfg(target_os = "linux")]
fn bring_forward<R: Runtime>(app: &AppHandle<R>) {
    tracing::info!("Agreement Sync was started again on this data folder: its window is shown");
    show_window(app);
}

/// Brings the main window forward: out of the taskbar, shown, focused.
fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let shown = window
            .unminimize()
            .and_then(|()| window.show())
            .and_then(|()| window.set_focus());
        if let Err(e) = shown {
            tracing::warn!("the window could not be brought forward: {e}");
        }
    }
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

#[cfg(all(test, target_os = "linux"))]
mod one_process_per_data_folder {
    use std::time::Duration;

    use agreement_sync_core::data_lock::{DataLock, DataLockError, LOCK_FILE};
    use tauri::test::{mock_builder, MockRuntime};
    use tauri::{App, WebviewUrl, WebviewWindowBuilder};

    use super::{bring_forward, claim, context, instance_id};

    fn mock_app() -> App<MockRuntime> {
        mock_builder()
            .build(context())
            .expect("the app builds on the mock runtime")
    }

    /// A well-known bus name by the D-Bus specification: dot-separated elements of ASCII
    /// letters, digits, `_` and `-`, none empty or starting with a digit, at least two, 255
    /// bytes at most.
    fn is_bus_name(name: &str) -> bool {
        let elements: Vec<&str> = name.split('.').collect();
        name.len() <= 255
            && elements.len() >= 2
            && elements.iter().all(|element| {
                !element.is_empty()
                    && !element.starts_with(|c: char| c.is_ascii_digit())
                    && element
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
    }

    /// An object path by the D-Bus specification: `/`-separated non-empty elements of ASCII
    /// letters, digits and `_`.
    fn is_object_path(path: &str) -> bool {
        path.strip_prefix('/').is_some_and(|rest| {
            rest.split('/').all(|element| {
                !element.is_empty()
                    && element
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        })
    }

    #[test]
    fn each_data_folder_has_a_name_of_its_own_on_the_session_bus() {
        let identifier = context::<MockRuntime>().config().identifier.clone();
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let id = instance_id(&identifier, &a);
        assert!(id.starts_with(&format!("{identifier}.data_")), "{id}");
        // What the plugin makes of it (SingleInstance added; its object path from the name).
        let name = format!("{id}.SingleInstance");
        assert!(is_bus_name(&name), "{name}");
        let path = format!("/{}", name.replace('.', "/").replace('-', "_"));
        assert!(is_object_path(&path), "{path}");
        // The same folder by another spelling has the same name; another folder has another.
        assert_eq!(instance_id(&identifier, &b.join("..").join("a")), id);
        assert_ne!(instance_id(&identifier, &b), id);
    }

    #[test]
    fn a_folder_another_process_holds_is_refused_with_nothing_written_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let held = DataLock::take(dir.path(), Duration::ZERO).unwrap();
        let app = mock_app();
        let refused = claim(app.handle(), dir.path(), Duration::from_millis(200)).unwrap_err();
        assert_eq!(
            refused,
            DataLockError::InUse {
                folder: dir.path().to_path_buf(),
                pid: Some(std::process::id()),
            }
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, [LOCK_FILE]);
        // The refused start kept nothing: once the holder lets go, the folder is free. (Not
        // claimed again here: were the refused start's bus name still held, the plugin would
        // hand over to it and end this test process.)
        drop(held);
        DataLock::take(dir.path(), Duration::ZERO).unwrap();
    }

    #[test]
    fn a_claimed_folder_is_held_until_its_lock_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let app = mock_app();
        let lock = claim(app.handle(), dir.path(), Duration::ZERO).unwrap();
        assert_eq!(lock.folder(), dir.path());
        assert!(DataLock::check(dir.path()).is_err());
        // A start that is patient gets it once the holder closes.
        let closing = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            drop(lock);
        });
        DataLock::take(dir.path(), Duration::from_secs(10)).unwrap();
        closing.join().unwrap();
    }

    #[test]
    fn bringing_the_window_forward_works_with_or_without_the_window() {
        let app = mock_app();
        bring_forward(app.handle());
        let _window = WebviewWindowBuilder::new(&app, "main", WebviewUrl::default())
            .build()
            .expect("the mock window opens");
        bring_forward(app.handle());
    }
}
