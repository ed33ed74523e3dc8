// The list of commands, shared with the crate (a build script cannot use the crate itself).
include!("commands/list.rs");

/// The names of the listed commands.
macro_rules! command_names {
    ($($module:ident :: $name:ident ($($arg:ident : $ty:ty),*) -> $result:ty;)*) => {
        &[$(stringify!($name)),*]
    };
}

/// Each gets an `allow-<name>` permission in the app manifest; `capabilities/main.json` grants
/// them to the main window.
const COMMANDS: &[&str] = with_commands!(command_names);

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/commands/list.rs");
    // tauri-build leaves this to us for a capabilities folder of our own: without it, an edited
    // capability is not built into the app until something else changes.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
