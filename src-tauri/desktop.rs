//! The desktop's own services (SPEC §18): the OS save dialog for every export, and desktop
//! notifications whose click brings the window forward on the view they are about.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use agreement_sync_core::schedule::{Notice, NoticeView};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_notification::NotificationExt;

use crate::state::{Notifier, Saver};

/// Environment variable: save every export straight into this folder, without the dialog (the
/// tests read the files back from it).
pub const SAVE_DIR_ENV: &str = "AGREEMENT_SYNC_SAVE_DIR";

/// The window's event when a notice is clicked: the view to open.
pub const OPEN_VIEW_EVENT: &str = "open-view";

/// How exports are saved: into `AGREEMENT_SYNC_SAVE_DIR` when it is set, else where the person
/// chooses in the save dialog (the download folder and a dated name proposed).
pub fn saver<R: Runtime>(app: &AppHandle<R>) -> Saver {
    if let Some(dir) = std::env::var_os(SAVE_DIR_ENV).filter(|d| !d.is_empty()) {
        return Saver::Folder(PathBuf::from(dir));
    }
    let app = app.clone();
    Saver::Dialog(Arc::new(move |proposed: PathBuf| {
        let mut dialog = app
            .dialog()
            .file()
            .set_title("Save as")
            .add_filter("CSV (comma-separated values)", &["csv"]);
        if let Some(name) = proposed.file_name() {
            dialog = dialog.set_file_name(name.to_string_lossy());
        }
        if let Some(dir) = proposed.parent() {
            dialog = dialog.set_directory(dir);
        }
        if let Some(window) = app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        dialog
            .blocking_save_file()
            .and_then(|chosen| chosen.into_path().ok())
    }))
}

/// Shows notices through the OS notification service; a click on one brings the window
/// forward on its view.
pub fn notifier<R: Runtime>(app: &AppHandle<R>) -> Notifier {
    let views: Arc<Mutex<HashMap<i32, NoticeView>>> = Arc::default();
    let next_id = Arc::new(AtomicI32::new(1));
    {
        let handle = app.clone();
        let views = views.clone();
        let registered = app.notification().on_action(move |performed| {
            if performed.action_id() != "tap" {
                return;
            }
            let view = performed.notification().and_then(|n| {
                views
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get(&n.id())
                    .copied()
            });
            open_view(&handle, view.unwrap_or(NoticeView::Tasks));
        });
        if let Err(e) = registered {
            tracing::warn!("clicks on notifications will not be followed: {e}");
        }
    }
    let app = app.clone();
    Arc::new(move |notice: Notice, always: bool| {
        if !always && window_in_front(&app) {
            return;
        }
        let id = next_id.fetch_add(1, Ordering::Relaxed);
        views
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, notice.view);
        tracing::info!(title = notice.title, body = notice.body, "notification");
        let shown = app
            .notification()
            .builder()
            .id(id)
            .title(&notice.title)
            .body(&notice.body)
            .show();
        if let Err(e) = shown {
            tracing::warn!("the notification could not be shown: {e}");
        }
    })
}

fn window_in_front<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.get_webview_window("main")
        .and_then(|w| w.is_focused().ok())
        .unwrap_or(false)
}

/// Brings the window forward on `view`.
pub fn open_view<R: Runtime>(app: &AppHandle<R>, view: NoticeView) {
    crate::show_window(app);
    if let Err(e) = app.emit(OPEN_VIEW_EVENT, view) {
        tracing::warn!("the window could not be told which view to open: {e}");
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::{Arc, Mutex};

    use agreement_sync_core::schedule::{Notice, NoticeView};
    use serde_json::json;

    use crate::mock_window::{channel, MockWindow};
    use crate::state::Saver;

    const QUERY: &str = r#"{ "search": "", "types": [], "statuses": [], "sort": "dateDesc" }"#;

    fn query() -> serde_json::Value {
        serde_json::from_str(QUERY).unwrap()
    }

    fn checked(window: &MockWindow) {
        window
            .invoke(
                "check_changes",
                json!({ "onProgress": channel(1), "readConnectwiseWhole": false }),
            )
            .expect("Demo's Check Changes");
    }

    #[test]
    fn an_export_asks_where_proposing_downloads_and_a_dated_name_and_saves_there() {
        let dir = tempfile::tempdir().unwrap();
        let chosen = dir.path().join("tasks for Anna.csv");
        let asked: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
        let (seen, answer) = (asked.clone(), chosen.clone());
        let downloads = dir.path().join("Downloads");
        let window = MockWindow::open_with(move |state| {
            state
                .with_download_dir(Some(downloads))
                .with_saver(Saver::Dialog(Arc::new(move |proposed| {
                    seen.lock().unwrap().push(proposed);
                    Some(answer.clone())
                })))
        });
        checked(&window);
        let saved = window
            .invoke("save_tasks_csv", json!({ "query": query() }))
            .expect("saved");
        assert_eq!(saved["path"], chosen.display().to_string());
        assert_eq!(
            asked.lock().unwrap().as_slice(),
            [dir.path()
                .join("Downloads")
                .join("agreement-sync-tasks-2026-11-24.csv")]
        );
        let text = std::fs::read_to_string(&chosen).unwrap();
        assert_eq!(
            text.trim_end().split("\r\n").count() as u64,
            saved["rows"].as_u64().unwrap() + 1
        );
    }

    #[test]
    fn a_cancelled_dialog_saves_nothing_and_says_so_with_null() {
        let dir = tempfile::tempdir().unwrap();
        let downloads = dir.path().to_path_buf();
        let window = MockWindow::open_with(move |state| {
            state
                .with_download_dir(Some(downloads))
                .with_saver(Saver::Dialog(Arc::new(|_| None)))
        });
        checked(&window);
        for (command, args) in [
            ("save_tasks_csv", json!({ "query": query() })),
            ("save_activity_csv", json!({ "query": { "search": "" } })),
        ] {
            assert_eq!(window.invoke(command, args), Ok(json!(null)), "{command}");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_folder_chosen_as_the_file_is_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().to_path_buf();
        let window = MockWindow::open_with(move |state| {
            state.with_saver(Saver::Dialog(Arc::new(move |_| Some(folder.clone()))))
        });
        let refused = window
            .invoke("save_tasks_csv", json!({ "query": query() }))
            .expect_err("a folder is no file");
        assert_eq!(refused["code"], "file");
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("is a folder: choose a file name"),
            "{refused}"
        );
    }

    #[test]
    fn the_tests_folder_takes_every_export_without_a_dialog() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("saved");
        let into = folder.clone();
        let window = MockWindow::open_with(move |state| state.with_saver(Saver::Folder(into)));
        checked(&window);
        let saved = window
            .invoke("save_tasks_csv", json!({ "query": query() }))
            .expect("saved");
        assert_eq!(
            saved["path"],
            folder
                .join("agreement-sync-tasks-2026-11-24.csv")
                .display()
                .to_string()
        );
    }

    #[test]
    fn a_due_scheduled_check_runs_on_a_tick_and_its_news_is_told_once() {
        let told: Arc<Mutex<Vec<(Notice, bool)>>> = Arc::default();
        let sink = told.clone();
        let window = MockWindow::open_with(move |state| {
            state.with_notifier(Arc::new(move |notice, always| {
                sink.lock().unwrap().push((notice, always))
            }))
        });
        // Off: a tick does nothing.
        tauri::async_runtime::block_on(crate::scheduler::tick(window.handle()));
        assert_eq!(
            window.invoke("app_status", json!({})).unwrap()["taskCount"],
            0
        );
        let schedule = window
            .invoke("set_schedule", json!({ "everyHours": 2, "notify": true }))
            .expect("scheduled");
        assert_eq!(schedule["everyHours"], 2);
        let refused = window
            .invoke("set_schedule", json!({ "everyHours": 500, "notify": true }))
            .expect_err("a week at most");
        assert_eq!(refused["field"], "checkEvery");
        tauri::async_runtime::block_on(crate::scheduler::tick(window.handle()));
        let status = window.invoke("app_status", json!({})).unwrap();
        let tasks = status["taskCount"].as_u64().unwrap();
        assert!(tasks > 0);
        {
            let told = told.lock().unwrap();
            assert_eq!(told.len(), 1);
            let (notice, always) = &told[0];
            assert!(always);
            assert_eq!(notice.view, NoticeView::Tasks);
            assert!(
                notice
                    .body
                    .starts_with(&format!("{tasks} new tasks for Demo")),
                "{}",
                notice.body
            );
        }
        let next = status["schedule"]["nextDueAt"].as_str().unwrap();
        assert!(next.starts_with("2026-11-24T14:00"), "{next}");
        // Not due again for two hours: the next tick neither checks nor tells.
        tauri::async_runtime::block_on(crate::scheduler::tick(window.handle()));
        assert_eq!(told.lock().unwrap().len(), 1);
        assert_eq!(status["health"]["services"][1]["state"], "ok");
    }
}
