//! What the list of commands (`list.rs`) makes outside Rust, kept in the repository and checked
//! here: the main window's capability (`capabilities/main.json`: an `allow-<name>` of each
//! command) and the typed TypeScript map of the commands (`ui/src/bindings/commands.ts`) that
//! `ui/src/ipc.ts` calls through. The tests fail when either is stale; `make bindings`
//! (`UPDATE_BINDINGS=1 cargo test -p agreement-sync --lib commands::bindings`) rewrites them.
//! Also checked: every listed command can be called from the main window, and only from it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::{Config, Dependency, TypeVisitor, TS};

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

// ---------- The TypeScript map ----------

/// How a type reads in TypeScript, and the bindings its name uses.
trait TsType {
    fn ts_name(cfg: &Config) -> String;
    fn ts_imports(cfg: &Config, imports: &mut Imports);
}

#[derive(Default)]
struct Imports {
    /// Types from `ui/src/bindings/<name>.ts`.
    bindings: BTreeSet<String>,
    /// `Channel`, from `@tauri-apps/api/core`.
    channel: bool,
}

impl<T: TS + 'static> TsType for T {
    fn ts_name(cfg: &Config) -> String {
        T::name(cfg)
    }

    fn ts_imports(cfg: &Config, imports: &mut Imports) {
        /// The type itself when it has a file of its own, else its type arguments'.
        struct Visit<'a>(&'a Config, &'a mut BTreeSet<String>);
        impl TypeVisitor for Visit<'_> {
            fn visit<U: TS + 'static + ?Sized>(&mut self) {
                match Dependency::from_ty::<U>(self.0) {
                    Some(dependency) => {
                        assert_eq!(
                            dependency.output_path,
                            PathBuf::from(format!("{}.ts", dependency.ts_name)),
                            "every binding is a file of its own in ui/src/bindings"
                        );
                        self.1.insert(dependency.ts_name);
                    }
                    None => U::visit_generics(self),
                }
            }
        }
        Visit(cfg, &mut imports.bindings).visit::<T>();
    }
}

impl<T: TS + 'static> TsType for Progress<T> {
    fn ts_name(cfg: &Config) -> String {
        format!("Channel<{}>", T::ts_name(cfg))
    }

    fn ts_imports(cfg: &Config, imports: &mut Imports) {
        imports.channel = true;
        T::ts_imports(cfg, imports);
    }
}

/// A command as the TypeScript map shows it.
struct TsCommand {
    name: &'static str,
    /// (camelCase name, type)
    args: Vec<(String, String)>,
    result: String,
}

fn camel_case(snake: &str) -> String {
    let mut parts = snake.split('_');
    let mut out = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

macro_rules! ts_commands {
    ($($module:ident :: $name:ident ($($arg:ident : $ty:ty),*) -> $result:ty;)*) => {
        fn listed_commands(cfg: &Config, imports: &mut Imports) -> Vec<TsCommand> {
            vec![$({
                $(<$ty as TsType>::ts_imports(cfg, imports);)*
                <$result as TsType>::ts_imports(cfg, imports);
                TsCommand {
                    name: stringify!($name),
                    args: vec![$((camel_case(stringify!($arg)), <$ty as TsType>::ts_name(cfg))),*],
                    result: <$result as TsType>::ts_name(cfg),
                }
            }),*]
        }
    };
}

with_commands!(ts_commands);

const COMMANDS_TS: &str = "ui/src/bindings/commands.ts";

fn commands_ts() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut imports = Imports::default();
    let commands = listed_commands(&cfg, &mut imports);
    let mut out = String::from(
        "// Generated from the list of commands (src-tauri/commands/list.rs) by `make bindings`. \
         Do not edit.\n",
    );
    if imports.channel {
        out.push_str("import type { Channel } from \"@tauri-apps/api/core\";\n");
    }
    for name in &imports.bindings {
        out.push_str(&format!("import type {{ {name} }} from \"./{name}\";\n"));
    }
    out.push_str("\n/** Each command's arguments, named as the window sends them. */\n");
    out.push_str("export type CommandArgs = {\n");
    for c in &commands {
        let args = if c.args.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            let fields: Vec<String> = c.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!("  {}: {args};\n", c.name));
    }
    out.push_str("};\n\n");
    out.push_str(
        "/** What each command answers with; a command that fails rejects with an `ErrorView`. */\n",
    );
    out.push_str("export type CommandResults = {\n");
    for c in &commands {
        out.push_str(&format!("  {}: {};\n", c.name, c.result));
    }
    out.push_str("};\n\n");
    out.push_str("export type CommandName = keyof CommandArgs;\n");
    out
}

#[test]
fn typescript_command_map_is_current() {
    check_generated(COMMANDS_TS, &commands_ts());
}

#[test]
fn typescript_map_names_arguments_as_tauri_reads_them() {
    assert_eq!(camel_case("task_id"), "taskId");
    assert_eq!(camel_case("on_progress"), "onProgress");
    assert_eq!(camel_case("id"), "id");
    let text = commands_ts();
    assert!(text.contains("  sync_task: { taskId: number; onProgress: Channel<SyncView> };\n"));
    assert!(text.contains("  app_status: Record<string, never>;\n"));
    assert!(text.contains("  set_first_check_days: null;\n"));
    assert!(text.contains("  set_task_ignored: { id: number; reason: string | null };\n"));
    assert!(text.contains("  search_catalog: Array<CatalogOption>;\n"));
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
