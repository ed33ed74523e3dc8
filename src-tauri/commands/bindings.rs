//! What the list of commands (`list.rs`) makes outside Rust, kept in the repository and checked
//! here: the main window's capability (`capabilities/main.json`: an `allow-<name>` of each
//! command). The test fails when it is stale; `UPDATE_BINDINGS=1 cargo test -p agreement-sync
//! --lib commands::bindings` rewrites it. Also checked: every listed command can be called from
//! the main window, and only from it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::*;
use crate::mock_window::MockWindow;

fn updating() -> bool {
    std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1")
}

fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Compares `path` with what it should hold; rewrites it when updating, else fails.
fn check_generated(relative: &str, expected: &str) {
    let path = repo_path(relative);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == expected {
        return;
    }
    if updating() {
        std::fs::write(&path, expected).expect("write the generated file");
    } else {
        panic!(
            "{relative} is stale: it no longer matches src-tauri/commands/list.rs. Run \
             `make bindings` and commit it.\n--- expected ---\n{expected}\n--- found ---\n{current}"
        );
    }
}

// ---------- The main window's capability ----------

const CAPABILITY: &str = "src-tauri/capabilities/main.json";

/// `capabilities/main.json`, its fields in the order they are written.
#[derive(Serialize, Deserialize)]
struct Capability {
    #[serde(rename = "$schema")]
    schema: String,
    identifier: String,
    description: String,
    windows: Vec<String>,
    permissions: Vec<Value>,
}

/// The permission that lets a window call `command` (Tauri's name for it).
fn allow(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

/// The capability with an `allow-` of each listed command, after any other permission it grants
/// (a plugin's, written `plugin:permission`).
fn capability_from_list(current: Capability) -> Capability {
    let mut permissions: Vec<Value> = current
        .permissions
        .into_iter()
        .filter(|p| p.as_str().is_none_or(|p| p.contains(':')))
        .collect();
    permissions.extend(NAMES.iter().map(|name| Value::String(allow(name))));
    Capability {
        permissions,
        ..current
    }
}

#[test]
fn main_window_capability_allows_each_listed_command() {
    let text = std::fs::read_to_string(repo_path(CAPABILITY)).expect("read the capability");
    let current: Capability = serde_json::from_str(&text).expect("a capability file");
    let expected = capability_from_list(current);
    let mut out = serde_json::to_string_pretty(&expected).expect("serialize the capability");
    out.push('\n');
    check_generated(CAPABILITY, &out);
}

// ---------- Through the window ----------

/// What a command answers when called with no arguments: its value if it takes none, else a
/// complaint about its first argument — either way, the window reached it.
fn reached(window: &MockWindow, command: &str) -> bool {
    match window.invoke(command, json!({})) {
        Ok(_) => true,
        Err(Value::String(e)) => {
            e.starts_with("invalid args `") && e.contains(&format!("for command `{command}`"))
        }
        Err(_) => true,
    }
}

#[test]
fn main_window_reaches_every_listed_command() {
    let window = MockWindow::open();
    let unreached: Vec<&str> = NAMES
        .iter()
        .copied()
        .filter(|name| !reached(&window, name))
        .collect();
    assert!(
        unreached.is_empty(),
        "not callable from the window: {unreached:?}"
    );
}

#[test]
fn a_command_not_listed_is_refused() {
    let window = MockWindow::open();
    assert!(!reached(&window, "delete_all_profiles"));
    let refusal = window
        .invoke("delete_all_profiles", json!({}))
        .expect_err("refused");
    assert!(
        refusal
            .as_str()
            .is_some_and(|e| e.contains("delete_all_profiles")),
        "{refusal}"
    );
}

#[test]
fn another_window_may_call_no_command() {
    let window = MockWindow::open_labelled("other");
    let reachable: Vec<&str> = NAMES
        .iter()
        .copied()
        .filter(|name| reached(&window, name))
        .collect();
    assert!(
        reachable.is_empty(),
        "callable from a window not granted them: {reachable:?}"
    );
}
