//! Bulk review and sync (SPEC §12): many tasks reviewed on one board and synced together, each
//! with the same safety as one task.
//!
//! The types here are what the window sees of a batch; they are exported to TypeScript.

pub mod actions;
pub mod board;
pub mod csv;
pub mod ops;
pub mod run;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::record::batch::BatchTaskState;
use crate::task::{TaskQuery, TaskRow};
use crate::view::PriceSourceView;

/// Which tasks a batch is made of: those ticked, or every task matching the list's search and
/// filters (all of them, not only the rows loaded), less those unticked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum TaskSelection {
    Ids { ids: Vec<i64> },
    Matching { query: TaskQuery, except: Vec<i64> },
}

/// Why a task on the board cannot be synced as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AttentionReason {
    /// The marketplace customer has no ConnectWise company yet.
    CustomerNotMapped,
    /// A product has no ConnectWise catalog item yet.
    ProductNotMapped,
    /// More than one agreement fits: the person chooses.
    SeveralAgreementsFit,
    /// No agreement of the company fits (billing cycle, currency, open).
    NoAgreementFits,
    /// Several active additions match a product: the person picks one.
    AdditionToChoose,
    /// A value of the plan is refused (a date, a quantity, ...).
    Invalid,
    /// The agreement has ConnectWise proration on: amounts would be prorated twice.
    ConnectWiseProration,
    /// Nothing is selected to write.
    NothingToWrite,
    /// The task's saved edits can no longer be planned.
    DraftProblem,
    /// The task is not pending any more (synced, ignored) or has a sync to finish.
    NotPending,
}

/// One reason, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Attention {
    pub reason: AttentionReason,
    pub message: String,
}

/// One task on the board: what Sync would write, and whether it can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoardRow {
    pub task: TaskRow,
    /// The company the customer is mapped to, if any.
    pub company_name: Option<String>,
    /// The agreement chosen (by the person, or the only one that fits).
    pub agreement_id: Option<i64>,
    pub agreement_name: Option<String>,
    /// The agreement's currency (the task's, while no agreement is chosen).
    pub currency: String,
    /// How many writes Sync would make.
    pub writes: u32,
    /// Amounts as decimal strings in `currency`; empty while there is no plan.
    pub prorated: String,
    /// Every one-time charge its sync adds (prorates, usage, fees), as the wizard's Summary
    /// totals them.
    pub one_time: String,
    /// `one_time` by kind, the kinds with an amount only.
    pub one_time_parts: Vec<OneTimePart>,
    /// Per billing period of `billing_cycle`.
    pub recurring_before: String,
    pub recurring_after: String,
    /// `recurring_after - recurring_before`, signed, per billing period of `billing_cycle`.
    pub recurring_change: String,
    /// The agreement's own amount per period, which both recurring figures include (shown as
    /// its own line); empty when it has none or there is no plan.
    pub agreement_amount: String,
    /// The subscription's billing cycle in the wizard's words ("Monthly", "Quarterly"); empty
    /// when it cannot be told.
    pub billing_cycle: String,
    /// One period of that cycle, for "/ quarter" ("month", "quarter", "year"); empty as above.
    pub per: String,
    /// The effective date its plan writes, `yyyy-MM-dd` (as typed in its wizard or set in bulk,
    /// else the order's day); for a Billing Order, the start of the closed period it bills.
    /// Empty while the customer is not mapped.
    pub effective_date: String,
    /// What the date means when it is not simply the effective date (a Billing Order's period).
    pub effective_note: Option<String>,
    /// The agreement's invoice calendar in words ("Invoiced through 2026-04-30 — last invoice
    /// #1042 on 2026-04-01"), once it is planned.
    pub calendar: Option<String>,
    /// The total of the agreement's next invoice before and after this task's sync, and its
    /// date (SPEC §16); empty while there is no plan or no calendar.
    pub next_invoice_before: String,
    pub next_invoice_after: String,
    pub next_invoice_date: String,
    /// Writes of its plan already in ConnectWise, from any desk (SPEC §15), not written again.
    pub written: u32,
    /// Set when every write is already in ConnectWise (not Ready: Sync sends nothing and closes
    /// it as synced): the evidence, in words.
    pub already: Option<String>,
    /// Sync can write it: no problem left and at least one write.
    pub ready: bool,
    /// Why not, when not ready (empty when ready).
    pub attention: Vec<Attention>,
    /// Its state in this batch's sync.
    pub state: BatchTaskState,
    /// Why it failed, or what it is doing.
    pub message: Option<String>,
    /// The ConnectWise additions its sync wrote (created or changed).
    pub addition_ids: Vec<i64>,
    /// Its sync in this batch, once one began (what "Undo this sync…" takes back).
    pub sync_id: Option<i64>,
}

/// What a one-time charge is for (SPEC §4): each kind of charge billed once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum OneTimeKind {
    /// The rest of the current period of a change or a new subscription (a credit when negative).
    Prorate,
    /// Usage above the included amount of a closed period (a Billing Order).
    Usage,
    /// A cancellation fee from the order.
    Fee,
    /// A setup fee of a new subscription.
    SetupFee,
    /// Any other addition that starts and ends in one period.
    Other,
}

/// The one-time charges of one kind, a decimal string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OneTimePart {
    pub kind: OneTimeKind,
    pub amount: String,
}

/// The change of the recurring amount per period of one billing cycle (never added to another
/// cycle's: a quarter's amount and a month's are different things).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CycleChange {
    /// The cycle in the wizard's words ("Quarterly"); empty when it cannot be told.
    pub cycle: String,
    /// One period of it ("quarter"); "period" when it cannot be told.
    pub per: String,
    /// Signed decimal string, per `per`.
    pub change: String,
}

/// What the ready tasks of one currency would write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CurrencyTotals {
    pub currency: String,
    pub tasks: u32,
    pub writes: u32,
    /// Every one-time charge (prorates, usage, fees).
    pub one_time: String,
    /// `one_time` by kind, the kinds with an amount only.
    pub one_time_parts: Vec<OneTimePart>,
    /// The prorated part of `one_time`.
    pub prorated: String,
    /// The recurring change per billing cycle, the shortest cycle first.
    pub recurring: Vec<CycleChange>,
}

/// The board of one batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoardView {
    pub batch_id: i64,
    /// When the batch was made, ISO-8601 UTC.
    pub created_at: String,
    /// The app's day (its clock, which can be pinned), `yyyy-MM-dd`: what the bulk effective
    /// date starts from.
    pub today: String,
    pub rows: Vec<BoardRow>,
    /// Totals of the ready rows, per currency.
    pub totals: Vec<CurrencyTotals>,
    pub ready: u32,
    /// Rows whose every write is already in ConnectWise.
    pub already: u32,
    pub needs_attention: u32,
    /// The batch's sync has started (and may be finished again after an interruption).
    pub sync_started: bool,
}

/// A change to many rows of the board at once; each re-plans those rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum BulkAction {
    /// `value`: `yyyy-MM-dd`, as typed.
    SetEffectiveDate {
        value: String,
    },
    SetPriceSource {
        source: PriceSourceView,
    },
    /// Unselects the rows that credit a prorated amount back.
    LeaveOutProrateCredits,
    /// Ignores the tasks (they leave the board's sync) with a reason.
    Ignore {
        reason: String,
    },
}

/// A batch sync as it moves on, streamed to the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BatchProgress {
    pub batch_id: i64,
    pub tasks_done: u32,
    pub tasks_total: u32,
    pub writes_done: u32,
    pub writes_total: u32,
    /// A Stop was asked for: the writes under way finish, the rest is left.
    pub stopping: bool,
    /// The rows whose state changed since the last report (all of them in the first).
    pub rows: Vec<BoardRow>,
}

/// The end of a batch sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BatchResult {
    pub board: BoardView,
    pub synced: u32,
    pub failed: u32,
    pub not_started: u32,
    /// Writes sent to ConnectWise by this run (0 when the batch was already synced).
    pub writes_made: u32,
    /// One sentence: "118 of 120 tasks synced; 2 failed." / "Nothing new to write: ...".
    pub message: String,
}

/// A batch whose sync did not finish (the app was closed or killed while it ran).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InterruptedBatch {
    pub batch_id: i64,
    pub synced: u32,
    pub total: u32,
    /// When its sync started, ISO-8601 UTC.
    pub started_at: String,
    /// The batch's tasks (their own unfinished syncs are finished with it, not one by one).
    pub task_ids: Vec<i64>,
}

/// Where a batch's result was saved as CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    pub path: String,
    pub rows: u32,
}
