fn main() {
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
            ])),
    )
    .expect("failed to run tauri-build");
}
