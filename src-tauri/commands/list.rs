// The window's commands, each listed once: `module::name(argument: Type, ...) -> Result;`
//
// Everything that names a command is made from this list:
// - `commands/mod.rs`: the `#[tauri::command]` of each one (its arguments, as the window sends
//   them, are the ones listed here) and the app's handler list;
// - `build.rs` (which `include!`s this file, as it cannot use the crate): the app manifest, so
//   Tauri defines an `allow-<name>` permission for each;
// - the bindings test (`commands/bindings.rs`): the window's capability (`capabilities/main.json`)
//   and the typed TypeScript map (`ui/src/bindings/commands.ts`) that `ui/src/ipc.ts` calls
//   through; it fails when either is stale (`make bindings` rewrites them).
//
// `module::name` is the function that does the work: it takes `&AppState` and then the listed
// arguments, and returns `CommandResult<Result>`. Argument names are snake_case here and
// camelCase in the window. `Progress<T>` is a channel the command reports `T`s on while it runs.

/// Hands the list of commands to `$then!`.
macro_rules! with_commands {
    ($then:ident) => {
        $then! {
            tasks::app_status() -> AppStatus;
            tasks::list_tasks(query: TaskQuery, offset: u32, limit: u32) -> TaskPage;
            tasks::task_details(task_id: i64, query: TaskQuery) -> TaskDetailsView;
            tasks::set_task_ignored(id: i64, reason: Option<String>) -> TaskRow;
            tasks::save_tasks_csv(query: TaskQuery) -> Option<SavedFile>;
            tasks::health() -> HealthView;
            check::check_changes(on_progress: Progress<CheckProgress>, read_connectwise_whole: bool) -> CheckSummary;
            check::check_connectivity() -> Connectivity;
            check::set_first_check_days(days: u32) -> ();
            check::set_schedule(every_hours: Option<u32>, notify: bool) -> ScheduleView;
            wizard::open_wizard(task_id: i64) -> WizardView;
            wizard::edit_wizard(task_id: i64, edit: WizardEdit) -> WizardView;
            wizard::search_companies(task_id: i64, text: String) -> Vec<CompanyOption>;
            wizard::search_catalog(text: String) -> Vec<CatalogOption>;
            sync::sync_task(task_id: i64, on_progress: Progress<SyncView>) -> SyncView;
            sync::refresh_agreement(task_id: i64) -> WizardView;
            sync::discard_sync(task_id: i64) -> WizardView;
            batch::open_batch(selection: TaskSelection) -> BoardView;
            batch::batch_board(batch_id: i64) -> BoardView;
            batch::apply_bulk(batch_id: i64, task_ids: Vec<i64>, action: BulkAction) -> BoardView;
            batch::sync_batch(batch_id: i64, on_progress: Progress<BatchProgress>) -> BatchResult;
            batch::stop_batch(batch_id: i64) -> ();
            batch::interrupted_batch() -> Option<InterruptedBatch>;
            batch::save_batch_csv(batch_id: i64) -> Option<SavedFile>;
            reconcile::reconcile(on_progress: Progress<ReconcileProgress>, all_active: bool) -> BookView;
            reconcile::reconcile_book(query: BookQuery) -> BookView;
            reconcile::reconcile_customer(customer_id: String) -> CustomerView;
            reconcile::recompare(price_source: Option<PriceSourceView>) -> BookView;
            reconcile::fix_reconcile(customer_id: String, line_keys: Vec<String>) -> FixResult;
            reconcile::reconcile_companies(customer_id: String, text: String) -> Vec<CompanyOption>;
            reconcile::reconcile_catalog(customer_id: String, product_key: String, text: String) -> Vec<CatalogOption>;
            reconcile::map_reconcile_customer(customer_id: String, company_id: i64) -> CustomerView;
            reconcile::map_reconcile_product(customer_id: String, product_key: String, catalog_id: i64) -> CustomerView;
            reconcile::save_reconcile_csv(query: BookQuery) -> Option<SavedFile>;
            activity::activity(query: ActivityQuery, offset: u32, limit: u32) -> ActivityPage;
            activity::save_activity_csv(query: ActivityQuery) -> Option<SavedFile>;
            activity::open_undo(sync_id: i64) -> UndoView;
            activity::select_undo_row(sync_id: i64, row_key: String, selected: bool) -> UndoView;
            activity::undo_sync(sync_id: i64, on_progress: Progress<SyncView>) -> SyncView;
            activity::open_batch_undo(batch_id: i64) -> UndoBoardView;
            activity::undo_batch(batch_id: i64, sync_ids: Vec<i64>, on_progress: Progress<SyncView>) -> UndoBoardResult;
            profiles::list_profiles() -> ProfilesView;
            profiles::get_profile(id: String) -> ProfileForm;
            profiles::save_profile(input: ProfileInput) -> ProfileForm;
            profiles::remove_profile(id: String) -> ProfilesView;
            profiles::switch_profile(id: String) -> AppStatus;
            profiles::test_connectwise(input: ProfileInput) -> ConnectWiseTestView;
            profiles::test_marketplace(input: ProfileInput) -> MarketplaceTestView;
        }
    };
}
