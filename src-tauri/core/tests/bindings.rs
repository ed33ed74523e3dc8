//! The UI's TypeScript types are generated from the Rust view types and committed in
//! `ui/src/bindings/`. This test fails when they are stale; `UPDATE_BINDINGS=1 cargo test -p
//! agreement-sync-core --test bindings` (or `make bindings`) rewrites them.

use std::path::PathBuf;

use agreement_sync_core::batch::{
    Attention, AttentionReason, BatchProgress, BatchResult, BatchTaskState, BoardRow, BoardView,
    BulkAction, CurrencyTotals, CycleChange, InterruptedBatch, OneTimeKind, OneTimePart, SavedFile,
    TaskSelection,
};
use agreement_sync_core::check::CheckProgress;
use agreement_sync_core::error::Service;
use agreement_sync_core::reconcile::present::{
    AdditionView, BookQuery, BookRow, BookView, ConnectWiseView, CustomerView, FixRefusal,
    FixResult, MarketplaceView, OutcomeCount, ProductRow, ReconcileProgress, RecurringView,
};
use agreement_sync_core::task::{SkipReason, TaskStatus, TaskType};
use agreement_sync_core::view::*;
use ts_rs::{Config, TS};

/// Files in the same folder that come from something other than a core type: the typed map of
/// the window's commands, made from the shell's list of commands (`src-tauri/commands/bindings.rs`).
const OTHER_GENERATORS: &[&str] = &["commands.ts"];

fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings")
}

fn generated<T: TS + 'static>(cfg: &Config) -> (String, String) {
    let name = format!("{}.ts", T::ident(cfg));
    let text = T::export_to_string(cfg).expect("type exports");
    (name, text)
}

macro_rules! all_bindings {
    ($cfg:expr; $($t:ty),* $(,)?) => { vec![$(generated::<$t>($cfg)),*] };
}

#[test]
fn ui_bindings_are_current() {
    let cfg = Config::new().with_large_int("number");
    let files = all_bindings!(&cfg;
        TaskType, TaskStatus, TaskRow, TaskSort, TaskQuery, TaskPage, OrderLineKind, OrderLine,
        TaskDetailsView, SkipCount, CheckSummary,
        CheckProgress, Connectivity, AppStatus, ErrorView, CompanyOption, CustomerStep,
        AgreementOption, AgreementStep, RowAction, PriceSourceView, BillChoice, PlanRowView, CatalogOption,
        ProductMapping, AdditionChoice, Problem, PlannedWrite, PlanSummary, PlanStep, WizardView,
        WizardEdit, SyncState, WriteState, WriteView, SyncView, KeyringState, ProfileSummary,
        ProfilesView, ConnectWiseForm, MarketplaceForm, ProfileForm, SecretEdit, ConnectWiseInput,
        MarketplaceInput, ProfileInput, ConnectWiseTestView, MarketplaceTestView, FutureOrder,
        UnreadableRecord, Service, ReviewField, EditableField, WriteAction, FoundKind, FoundView, SkipReason,
        TaskSelection, AttentionReason, Attention, BatchTaskState, BoardRow, CurrencyTotals,
        OneTimeKind, OneTimePart, CycleChange,
        BoardView, BulkAction, BatchProgress, BatchResult, InterruptedBatch, SavedFile, Outcome,
        Note, SubscriptionState, ReconcileProgress, BookQuery, RecurringView, OutcomeCount,
        BookRow, BookView, MarketplaceView, AdditionView, ConnectWiseView, ProductRow,
        CustomerView, FixView, FixRefusal, FixResult, Likeness, SummaryProblem,
    );
    let dir = bindings_dir();
    let update = std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    if update {
        std::fs::create_dir_all(&dir).expect("create bindings dir");
    }
    for (name, text) in &files {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != *text {
            if update {
                std::fs::write(&path, text).expect("write binding");
            } else {
                stale.push(name.clone());
            }
        }
    }
    // No binding file may be left over from a type that no longer exists.
    let expected: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".ts")
                && !expected.contains(&name.as_str())
                && !OTHER_GENERATORS.contains(&name.as_str())
            {
                if update {
                    std::fs::remove_file(entry.path()).expect("remove stale binding");
                } else {
                    stale.push(format!("{name} (no such type)"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "UI bindings are stale: {stale:?}. Run `make bindings` and commit ui/src/bindings/."
    );
}
