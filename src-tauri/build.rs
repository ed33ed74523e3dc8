fn main() {
    // tauri-build leaves this to us for a capabilities folder of our own: without it, an edited
    // capability is not built into the app until something else changes.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(&[
                "app_status",
                "list_tasks",
                "check_changes",
                "check_connectivity",
                "set_task_ignored",
                "set_first_check_days",
                "open_wizard",
                "edit_wizard",
                "search_companies",
                "search_catalog",
                "sync_task",
                "refresh_agreement",
                "discard_sync",
                "list_profiles",
                "get_profile",
                "save_profile",
                "remove_profile",
                "switch_profile",
                "test_connectwise",
                "test_marketplace",
            ])),
    )
    .expect("failed to run tauri-build");
}
