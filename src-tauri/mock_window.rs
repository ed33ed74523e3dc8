//! The app on Tauri's mock runtime, for the shell's tests: its real context (so the window's
//! capability decides what may be called), its commands, and an `AppState` opened on a fresh
//! folder with a pinned clock and credentials in memory — never the user's data or keyring.
//! Commands are called as the window calls them: by name, with camelCase JSON arguments.

use std::sync::Arc;

use agreement_sync_core::clock::Clock;
use agreement_sync_core::credential_store::MemoryStore;
use chrono::NaiveDate;
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

use crate::state::AppState;

/// The day every mock window's clock shows.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("a real date")
}

pub struct MockWindow {
    window: WebviewWindow<MockRuntime>,
    // Dropped after the window: the app, then the data folder.
    app: App<MockRuntime>,
    _data_dir: tempfile::TempDir,
}

impl MockWindow {
    /// A fresh install (Demo open) in a window labelled "main", as the app's is.
    pub fn open() -> MockWindow {
        Self::open_labelled("main")
    }

    /// A fresh install in a window labelled `label`.
    pub fn open_labelled(label: &str) -> MockWindow {
        Self::open_as(label, |state| state)
    }

    /// A fresh install (Demo open), its state set up by `configure` (a save dialog, a
    /// notifier).
    pub fn open_with(configure: impl FnOnce(AppState) -> AppState) -> MockWindow {
        Self::open_as("main", configure)
    }

    fn open_as(label: &str, configure: impl FnOnce(AppState) -> AppState) -> MockWindow {
        let data_dir = tempfile::tempdir().expect("a temporary folder");
        let state = configure(tauri::async_runtime::block_on(AppState::open_with_secrets(
            data_dir.path().to_path_buf(),
            Clock::pinned_to(today()),
            Arc::new(MemoryStore::default()),
        )));
        let app = crate::with_commands(mock_builder())
            .manage(state)
            .build(crate::context())
            .expect("the app builds on the mock runtime");
        let window = WebviewWindowBuilder::new(&app, label, WebviewUrl::default())
            .build()
            .expect("the mock window opens");
        MockWindow {
            window,
            app,
            _data_dir: data_dir,
        }
    }

    /// The app, for what runs without the window (the scheduled checks).
    pub fn handle(&self) -> &tauri::AppHandle<MockRuntime> {
        self.app.handle()
    }

    pub fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }

    /// The window, for calling commands from another thread with `invoke_on`.
    pub fn webview(&self) -> WebviewWindow<MockRuntime> {
        self.window.clone()
    }

    /// See `invoke_on`.
    pub fn invoke(&self, command: &str, args: Value) -> Result<Value, Value> {
        invoke_on(&self.window, command, args)
    }
}

/// Calls `command` with `args` (a JSON object) as the window does, and waits for its answer: the
/// value it returned, or what it was rejected with.
pub fn invoke_on(
    window: &WebviewWindow<MockRuntime>,
    command: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(window, request(command, args)).map(|body| {
        body.deserialize::<Value>()
            .expect("a command's answer is JSON")
    })
}

fn request(command: &str, args: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: command.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        // The app's own frontend: a local origin.
        url: "tauri://localhost".parse().expect("a valid URL"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

/// A channel argument as the window sends one (`new Channel()` in `@tauri-apps/api`).
pub fn channel(id: u32) -> Value {
    Value::String(format!("__CHANNEL__:{id}"))
}
