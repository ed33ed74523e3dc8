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
use agreement_sync_core::error::{ErrorCode, ErrorField, ReviewField, Service};
use agreement_sync_core::invoice::LineKind;
use agreement_sync_core::reconcile::present::{
    AdditionView, AgreementInvoiceView, BookQuery, BookRow, BookView, ConnectWiseView,
    CustomerView, FixRefusal, FixResult, MarketplaceView, OutcomeCount, ProductRow,
    ReconcileProgress, RecurringView,
};
use agreement_sync_core::task::{SkipReason, TaskStatus, TaskType};
use agreement_sync_core::undo::UndoKind;
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

/// A value's name as it crosses to the window: `"effectiveDate"`.
fn wire_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("a name")
}

/// The error codes and fields as values the window checks an answer against (types alone are
/// not there at run time), from the same enums as their types.
fn error_names() -> String {
    let list = |names: Vec<String>| {
        names
            .iter()
            .map(|n| format!("  {n},"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "// Generated from the core's ErrorCode and ErrorField (tests/bindings.rs). Do not edit.\n\
         import type {{ ErrorCode }} from \"./ErrorCode\";\n\
         import type {{ ErrorField }} from \"./ErrorField\";\n\n\
         /** Every code an error may have. */\n\
         export const ERROR_CODES: readonly ErrorCode[] = [\n{}\n];\n\n\
         /** Every field an error may name. */\n\
         export const ERROR_FIELDS: readonly ErrorField[] = [\n{}\n];\n",
        list(ErrorCode::ALL.iter().map(wire_name).collect()),
        list(error_fields()),
    )
}

/// Every name an error's field may have: its own fields', then the review's.
fn error_fields() -> Vec<String> {
    let own = ErrorField::ALL.iter().map(wire_name);
    own.chain(ReviewField::ALL.iter().map(wire_name)).collect()
}

/// The lists hold every value of their types: the names of the TypeScript union, one by one.
#[test]
fn the_error_name_lists_are_whole() {
    let cfg = Config::new();
    let union = |text: String| -> Vec<String> {
        let mut names: Vec<String> = text.split(" | ").map(str::to_owned).collect();
        names.sort();
        names
    };
    let sorted = |mut names: Vec<String>| {
        names.sort();
        names
    };
    assert_eq!(
        union(ErrorCode::inline(&cfg)),
        sorted(ErrorCode::ALL.iter().map(wire_name).collect())
    );
    // The review's fields stand in the union under their type's name.
    let mut fields = union(ErrorField::inline(&cfg));
    let review = fields.iter().position(|n| n == "ReviewField");
    fields.remove(review.expect("the review's fields are among an error's"));
    fields.extend(union(ReviewField::inline(&cfg)));
    assert_eq!(sorted(fields), sorted(error_fields()));
}

#[test]
fn ui_bindings_are_current() {
    let cfg = Config::new().with_large_int("number");
    let files = all_bindings!(&cfg;
        TaskType, TaskStatus, TaskRow, TaskSort, TaskQuery, TaskPage, OrderLineKind, OrderLine,
        TaskDetailsView, SkipCount, CheckSummary,
        CheckProgress, Connectivity, AppStatus, ErrorView, ErrorCode, ErrorField, CompanyOption, CustomerStep,
        AgreementOption, AgreementStep, RowAction, PriceSourceView, BillChoice, PlanRowView, CatalogOption,
        ProductMapping, AdditionChoice, Problem, PlannedWrite, PlanSummary, PlanStep, WizardView, CalendarView, InvoiceLineView, InvoiceView, NextInvoiceView, LineKind,
        WizardEdit, SyncState, WriteState, WriteView, SyncView, KeyringState, ProfileSummary,
        ProfilesView, ConnectWiseForm, MarketplaceForm, ProfileForm, SecretEdit, ConnectWiseInput,
        MarketplaceInput, ProfileInput, ConnectWiseTestView, MarketplaceTestView, FutureOrder,
        UnreadableRecord, Service, ReviewField, EditableField, WriteAction, FoundKind, FoundView, SkipReason,
        TaskSelection, AttentionReason, Attention, BatchTaskState, BoardRow, CurrencyTotals,
        OneTimeKind, OneTimePart, CycleChange,
        BoardView, BulkAction, BatchProgress, BatchResult, InterruptedBatch, SavedFile, Outcome,
        Note, SubscriptionState, ReconcileProgress, BookQuery, RecurringView, OutcomeCount,
        BookRow, BookView, MarketplaceView, AdditionView, ConnectWiseView, ProductRow,
        CustomerView, AgreementInvoiceView, FixView, FixRefusal, FixResult, Likeness, SummaryProblem,
        ActivityKind, ActivityResult, ActivityQuery, ActivityRow, ActivityPage, UndoKind, UndoRowView,
        UndoView, UndoBoardView, UndoBoardResult, HealthState, Refusal, Failure, ServiceHealth,
        HealthView, ScheduleView, NoticeView,
    );
    let mut files = files;
    files.push(("errorNames.ts".to_owned(), error_names()));
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
