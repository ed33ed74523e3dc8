//! What the UI sees: plain, serialisable view types. TypeScript bindings are generated from these
//! (`ui/src/bindings/`), so the webview never hand-writes a shape. Money and dates cross as strings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::context::Connectivity;
pub use crate::draft::EditableField;
pub use crate::error::ErrorView;
pub use crate::health::{Failure, HealthState, HealthView, Refusal, ServiceHealth};
pub use crate::plan::{FoundKind, WriteAction};
pub use crate::reading::UnreadableRecord;
pub use crate::record::batch::BatchTaskState;
pub use crate::record::check::{CheckSummary, FutureOrder, SkipCount};
pub use crate::record::reconcile::{Note, Outcome, SubscriptionState};
pub use crate::record::sync::{SyncState, WriteState};
pub use crate::review::Problem;
pub use crate::schedule::{Notice, NoticeView, ScheduleView};
pub use crate::suggest::Likeness;
pub use crate::task::{
    OrderLine, OrderLineKind, TaskDetailsView, TaskPage, TaskQuery, TaskRow, TaskSort,
};
pub use crate::validate::ReviewField;

/// What the main window shows around the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub profile_name: String,
    pub demo: bool,
    /// When Check Changes last completed, ISO-8601, if ever.
    pub last_checked_at: Option<String>,
    pub last_summary: Option<CheckSummary>,
    pub connectivity: Connectivity,
    pub task_count: u32,
    /// How many days back the first Check Changes reads.
    pub first_check_days: u32,
    /// Where the cache and logs live.
    pub data_dir: String,
    /// Syncs stopped part-way when the app last closed; each needs a Retry to finish.
    pub unfinished_syncs: Vec<SyncView>,
    /// The app's clock now, ISO-8601: the window measures ages ("12 min ago") against it, so
    /// a pinned clock (`AGREEMENT_SYNC_TODAY`) reads the same in both.
    pub now: String,
    /// Each service's last contact, refusal and failure, and the marketplace token's end.
    pub health: crate::health::HealthView,
    /// The profile's scheduled checks, and when the next is due.
    pub schedule: crate::schedule::ScheduleView,
}

// ---------------------------------------------------------------------------------------------
// The review wizard (SPEC §2.4). Everything is computed in Rust; the window only shows it and
// sends edits back. Amounts and dates cross as strings.

/// A value a row's Billing may take: ConnectWise's `billCustomer` value and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BillChoice {
    pub value: String,
    pub label: String,
}

/// A ConnectWise company offered for a marketplace customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompanyOption {
    pub id: i64,
    pub identifier: String,
    pub name: String,
    /// How well it fits the customer, 0–100 (absent for a search result without ranking).
    pub score: Option<u8>,
    /// What the score means: a match, or only a guess (absent with the score).
    pub likeness: Option<Likeness>,
}

/// Step 1: the marketplace customer and the ConnectWise company it is mapped to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerStep {
    pub customer_id: String,
    pub customer_name: String,
    pub company: Option<CompanyOption>,
    pub suggestions: Vec<CompanyOption>,
}

/// An agreement of the company, and whether it can take this task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgreementOption {
    pub id: i64,
    pub name: String,
    pub billing_cycle: String,
    pub currency: String,
    pub prorate_flag: bool,
    pub fits: bool,
    /// Why it cannot be chosen ("Yearly — subscription is Monthly").
    pub reason: Option<String>,
}

/// Step 2: the company's agreements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgreementStep {
    pub options: Vec<AgreementOption>,
    pub chosen: Option<i64>,
    /// Set when no agreement fits: what is wrong and what to do.
    pub message: Option<String>,
    /// The subscription's billing period and currency, in words ("Monthly", "USD").
    pub subscription_cycle: String,
    pub subscription_currency: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RowAction {
    Add,
    Cancel,
    Change,
    Prorate,
    Unchanged,
    /// An addition removed (an undo, SPEC §17).
    Remove,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PriceSourceView {
    CloudMarketplace,
    ConnectWise,
}

/// One planned change (or an unchanged addition) as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanRowView {
    pub key: String,
    pub action: RowAction,
    pub selected: bool,
    pub product_key: String,
    pub product_name: String,
    /// The ConnectWise catalog item, e.g. `M365-BP`, if mapped.
    pub catalog_identifier: Option<String>,
    pub existing_addition_id: Option<i64>,
    /// Field values as the user sees (or typed) them; dates `yyyy-MM-dd`.
    pub effective_date: String,
    pub cancel_date: String,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub unit_cost: String,
    /// ConnectWise's `billCustomer` value (what was typed, while it is refused).
    pub bill_customer: String,
    /// It in words ("Do not bill"); a refused value as it is.
    pub bill_label: String,
    /// The values Billing may take, in their order on screen.
    pub bill_choices: Vec<BillChoice>,
    pub taxable: bool,
    pub price_source: PriceSourceView,
    /// `quantity × unit price`, empty while an input is invalid.
    pub ext_price: String,
    pub note: Option<String>,
    /// For a row that sets a cancel date: what stops being billed, and from when ("stops 440.00 /
    /// period from 2026-11-16") — shown instead of an amount, which would read as billed.
    pub stops: Option<String>,
    /// Which fields the user changed from the plan.
    pub edited: Vec<EditableField>,
    /// What ConnectWise already holds of this row, from any desk (SPEC §15).
    pub found: Option<FoundView>,
}

/// What ConnectWise already holds of a planned row, and what that means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FoundView {
    pub kind: FoundKind,
    pub addition_id: i64,
    pub words: String,
}

/// A catalog item offered for a marketplace product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CatalogOption {
    pub id: i64,
    pub identifier: String,
    pub description: String,
    pub price: String,
    /// How well it fits the product, 0–100 (absent for a search result without ranking).
    pub score: Option<u8>,
    /// What the score means: a match, or only a guess (absent with the score).
    pub likeness: Option<Likeness>,
}

/// A marketplace product to map to a catalog item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProductMapping {
    pub product_key: String,
    pub name: String,
    pub catalog: Option<CatalogOption>,
    pub suggestions: Vec<CatalogOption>,
}

/// Several active additions match a product: the user picks one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AdditionChoice {
    pub product_key: String,
    pub product_name: String,
    pub addition_ids: Vec<i64>,
    /// A reconcile fix's duplicates: the addition kept (the others get a cancel date); `None`
    /// while the person has to choose.
    #[ts(type = "number | null")]
    pub kept: Option<i64>,
}

/// What a reconcile fix fixes (SPEC §13), shown above the wizard's steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FixView {
    pub outcome: Outcome,
    /// "Quantity differs".
    pub label: String,
    /// What Reconcile found, in words.
    pub words: String,
    pub product_name: String,
    /// The fix only ends additions (the subscription is no longer active, or another agreement
    /// keeps the product).
    pub ends_only: bool,
    /// The effective date when none is typed: the next period's start.
    pub default_effective_date: String,
}

/// One write Sync will make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlannedWrite {
    pub row_key: String,
    pub kind: WriteAction,
    pub description: String,
}

/// An agreement's invoice calendar in words (SPEC §16): "Invoiced through 2026-04-30 — last
/// invoice #1042 on 2026-04-01".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CalendarView {
    pub words: String,
    /// The last invoiced day, when periods are invoiced.
    pub invoiced_through: Option<String>,
    /// The calendar could not be read (the words say why and name the permission): nothing is
    /// dated before today.
    pub unreadable: bool,
}

impl CalendarView {
    pub fn of(invoiced: &crate::calendar::Invoiced) -> CalendarView {
        CalendarView {
            words: invoiced.words(),
            invoiced_through: invoiced
                .calendar()
                .and_then(|c| c.invoiced_through())
                .map(|d| d.to_string()),
            unreadable: matches!(invoiced, crate::calendar::Invoiced::Unreadable { .. }),
        }
    }
}

/// One line of an invoice, its amounts as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceLineView {
    pub kind: crate::invoice::LineKind,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub amount: String,
    /// The days it bills, `yyyy-MM-dd`.
    pub from: String,
    pub to: String,
    /// The plan row that adds it, when a plan does.
    pub row_key: Option<String>,
    #[ts(type = "number | null")]
    pub addition_id: Option<i64>,
}

/// An invoice ConnectWise will make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceView {
    pub date: String,
    pub from: String,
    pub to: String,
    pub lines: Vec<InvoiceLineView>,
    pub recurring: String,
    pub one_time: String,
    pub total: String,
}

/// What ConnectWise will bill on the agreement's next invoice, before → after the sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NextInvoiceView {
    pub currency: String,
    pub before: InvoiceView,
    pub after: InvoiceView,
}

impl InvoiceView {
    pub fn of(i: &crate::invoice::NextInvoice, currency: &crate::money::Currency) -> Self {
        let places = currency.amount_places();
        InvoiceView {
            date: i.date.to_string(),
            from: i.from.to_string(),
            to: i.to.to_string(),
            lines: i
                .lines
                .iter()
                .map(|l| InvoiceLineView {
                    kind: l.kind,
                    description: l.description.clone(),
                    quantity: l.quantity.normalize().to_string(),
                    unit_price: crate::money::format_price(l.unit_price, currency),
                    amount: crate::money::format(l.amount, places),
                    from: l.from.to_string(),
                    to: l.to.to_string(),
                    row_key: l.row_key.clone(),
                    addition_id: l.addition_id,
                })
                .collect(),
            recurring: crate::money::format(i.recurring, places),
            one_time: crate::money::format(i.one_time, places),
            total: crate::money::format(i.total, places),
        }
    }
}

impl NextInvoiceView {
    pub fn of(change: &crate::invoice::InvoiceChange, currency: &crate::money::Currency) -> Self {
        NextInvoiceView {
            currency: currency.code.clone(),
            before: InvoiceView::of(&change.before, currency),
            after: InvoiceView::of(&change.after, currency),
        }
    }
}

/// Step 5: what Sync will do, in amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    /// The agreement Sync writes to, and its company.
    pub agreement_name: String,
    pub company_name: String,
    pub currency: String,
    pub prorated: String,
    /// Every one-time charge the sync adds (prorates, usage, fees), once.
    pub one_time: String,
    /// The agreement's own amount per period (billed besides its additions), when it has one:
    /// included in both recurring figures, and shown as its own line.
    pub agreement_amount: Option<String>,
    pub recurring_before: String,
    pub recurring_after: String,
    pub writes: Vec<PlannedWrite>,
    /// Set when the agreement has ConnectWise proration on.
    pub proration_warning: Option<String>,
    /// The agreement's next invoice before → after the sync, when its calendar is known.
    pub next_invoice: Option<NextInvoiceView>,
    /// Sync can write this plan: no problem is left and at least one change is selected (or
    /// every write is already in ConnectWise, and Sync closes the task as synced).
    pub ready: bool,
    /// The writes already in ConnectWise (from any desk), not written again.
    pub written: Vec<PlannedWrite>,
    /// Set when every write of the task is already in ConnectWise: the evidence, in words.
    pub already: Option<String>,
    /// What blocks Sync, each where it is. While there is any, the amounts are empty and no
    /// write is listed: a refused value leaves the planned one in the plan, which is not what
    /// the person typed.
    pub problems: Vec<SummaryProblem>,
}

/// A problem as the Summary lists it: where it is in words, and what is wrong. `row_key` and
/// `field` lead back to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SummaryProblem {
    pub row_key: Option<String>,
    pub field: ReviewField,
    /// "Microsoft 365 Business Premium, new addition — Quantity", "Effective date".
    pub place: String,
    pub message: String,
}

/// Steps 3–5: the plan, its mappings and its amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanStep {
    pub effective_date: String,
    /// Why the task takes no effective date, when it takes none (a Billing Order bills the
    /// period that closed before it, whatever date is typed).
    pub effective_date_not_used: Option<String>,
    pub price_source: PriceSourceView,
    pub rows: Vec<PlanRowView>,
    pub products: Vec<ProductMapping>,
    pub choices: Vec<AdditionChoice>,
    pub notes: Vec<String>,
    /// The chosen agreement's invoice calendar (SPEC §16).
    pub calendar: CalendarView,
    pub summary: PlanSummary,
}

/// The whole wizard of one task, as saved in its draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WizardView {
    pub task: TaskRow,
    /// When the ConnectWise data was read, ISO-8601 (how old the review's data is).
    pub connectwise_fetched_at: Option<String>,
    pub customer: CustomerStep,
    /// Absent until a company is mapped.
    pub agreements: Option<AgreementStep>,
    /// Absent until an agreement is chosen.
    pub plan: Option<PlanStep>,
    /// Everything that blocks Sync; empty when the plan can be written.
    pub problems: Vec<Problem>,
    /// The task's syncs, newest first.
    pub history: Vec<SyncView>,
    /// Why the task's saved edits can no longer be planned (e.g. saved by an older version):
    /// the view then shows the plan without them, and Sync waits until they are reset.
    pub draft_problem: Option<String>,
    /// Present for a reconcile fix: what it fixes.
    pub fix: Option<FixView>,
}

/// An edit of the wizard, sent from the window. Values arrive as typed and are validated in Rust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum WizardEdit {
    MapCustomer {
        company_id: i64,
    },
    ChooseAgreement {
        agreement_id: i64,
    },
    MapProduct {
        product_key: String,
        catalog_id: i64,
    },
    ChooseAddition {
        product_key: String,
        addition_id: i64,
    },
    SetEffectiveDate {
        value: String,
    },
    SetPriceSourceAll {
        source: PriceSourceView,
    },
    SelectRow {
        row_key: String,
        selected: bool,
    },
    /// `field`: effectiveDate, cancelDate, description, quantity, unitPrice, unitCost,
    /// billCustomer, taxable ("true"/"false"), priceSource.
    EditRow {
        row_key: String,
        field: EditableField,
        value: String,
    },
    ResetRow {
        row_key: String,
    },
    /// Drops every edit of the task (agreement choice, dates, rows); mappings stay.
    ResetTask,
}

// ---------------------------------------------------------------------------------------------
// Sync (SPEC §7): writing a reviewed plan to ConnectWise, its journal and history.

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WriteView {
    pub seq: u32,
    pub kind: WriteAction,
    pub description: String,
    /// The extended amount, in the agreement's currency.
    pub amount: String,
    pub state: WriteState,
    /// The ConnectWise addition written (created or changed).
    pub addition_id: Option<i64>,
    pub message: Option<String>,
    pub attempts: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncView {
    pub id: i64,
    pub task_id: i64,
    pub task_label: String,
    pub profile_name: String,
    pub agreement_id: i64,
    pub agreement_name: String,
    pub currency: String,
    pub state: SyncState,
    /// Writes are still to finish (running, interrupted or failed part-way).
    pub open: bool,
    pub message: Option<String>,
    /// What the sync is doing right now (progress only; not kept).
    pub activity: Option<String>,
    /// What changed in ConnectWise since the review (state `changed`).
    pub changes: Vec<String>,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub writes: Vec<WriteView>,
    /// The desk it ran on ("ana on BILLING-PC"); `None` when it was not recorded.
    pub desk: Option<String>,
    /// The sync it undoes, for an undo (SPEC §17).
    pub undoes: Option<i64>,
    /// The undo that took it back, if one wrote everything.
    pub undone_by: Option<i64>,
    /// "Undo this sync…" is offered: it wrote something and is finished.
    pub undoable: bool,
}

// ---------------------------------------------------------------------------------------------
// Activity and undo (SPEC §17).

pub use crate::record::activity::{ActivityKind, ActivityQuery, ActivityResult};

/// One write in the activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActivityRow {
    /// Unique in the log: `w<write id>` for this desk's writes, `a<addition id>` for another
    /// desk's.
    pub id: String,
    /// When, ISO-8601.
    pub at: String,
    pub profile_name: String,
    /// "ana on BILLING-PC"; "another desk" for a write recognised by its key.
    pub desk: String,
    pub other_desk: bool,
    pub sync_id: Option<i64>,
    pub task_id: Option<i64>,
    /// What wrote it: "Change Order 1000231", "Reconcile fix", "Undo of sync 12".
    pub source: String,
    pub customer: String,
    pub order_id: Option<String>,
    pub agreement_id: i64,
    pub agreement_name: String,
    pub kind: ActivityKind,
    pub addition_id: Option<i64>,
    pub product: String,
    /// The addition before → after, in words ("—" for none).
    pub before: String,
    pub after: String,
    pub result: ActivityResult,
    pub message: Option<String>,
    /// Its sync can be undone from here.
    pub undoable: bool,
}

/// A window of the activity log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActivityPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<ActivityRow>,
    /// The profiles found in the log (for its filter).
    pub profiles: Vec<String>,
}

/// One row of an undo's compensating plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UndoRowView {
    pub key: String,
    pub kind: crate::undo::UndoKind,
    pub selected: bool,
    /// A person may select it or leave it out (a credit); other rows are written as shown.
    pub optional: bool,
    /// The write of the sync it undoes.
    pub seq: u32,
    pub addition_id: Option<i64>,
    pub product_name: String,
    /// The addition as ConnectWise has it now, in words ("—" for none).
    pub now: String,
    /// As the undo leaves it.
    pub after: String,
    /// The credit's amount, for a credit.
    pub amount: Option<String>,
    /// Why, in words.
    pub words: String,
}

/// The compensating plan of a sync (SPEC §17), shown in the wizard like any plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UndoView {
    /// The sync it undoes.
    pub sync: SyncView,
    pub task: TaskRow,
    pub company_name: String,
    pub rows: Vec<UndoRowView>,
    /// How many writes Sync sends.
    pub writes: u32,
    /// When nothing is left to write: why ("Undone already by sync 14").
    pub nothing_to_write: Option<String>,
    pub calendar: CalendarView,
    /// The agreement's next invoice before → after the undo, when its calendar is known.
    pub next_invoice: Option<NextInvoiceView>,
    /// When the agreement's additions were read; the plan is made from them.
    pub connectwise_fetched_at: Option<String>,
    /// Set when ConnectWise could not be read now: the plan is made from the cache, and Sync
    /// reads it again before writing.
    pub offline: Option<String>,
}

/// Undoing a batch: one undo per synced task of it, on one board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UndoBoardView {
    pub batch_id: i64,
    pub undos: Vec<UndoView>,
    /// Tasks of the batch with no sync to undo, and why.
    pub skipped: Vec<String>,
}

/// What undoing a batch did: each undo's sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UndoBoardResult {
    pub syncs: Vec<SyncView>,
    pub message: String,
}

// ---------------------------------------------------------------------------------------------
// Profiles and connections (SPEC §2.1, §9). Secrets go from the window to Rust (`SecretEdit`)
// but never back: the window only learns whether each one is set.

/// Whether the OS keyring (Secret Service, Keychain, Credential Manager) can be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum KeyringState {
    Available,
    /// `message` says why and how to fix it.
    Unavailable {
        message: String,
    },
}

/// One profile in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    pub id: String,
    pub name: String,
    /// The built-in Demo profile (the simulator; nothing to set up, cannot be removed).
    pub demo: bool,
    /// The ConnectWise site, empty when not set.
    pub connectwise_site: String,
    /// The marketplace code or base URL, empty when not set.
    pub marketplace: String,
}

/// The profiles, which one is open, and whether credentials can be kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfilesView {
    pub active_id: String,
    pub profiles: Vec<ProfileSummary>,
    pub keyring: KeyringState,
    /// Set when the saved list of profiles could not be read: Demo is open, and profiles cannot
    /// be changed until the file is fixed or moved away (it is never overwritten).
    pub problem: Option<String>,
}

/// A profile's ConnectWise settings as the form shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectWiseForm {
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    /// Empty: found by Test connection (`/login/companyinfo`).
    pub codebase: String,
    /// The addition custom field (Text) for the app's keys; empty: Serial Number (SPEC §15).
    pub addition_key_field: String,
    /// The currency the ConnectWise company's catalog prices are in; empty: not known.
    pub catalog_currency: String,
    pub public_key_set: bool,
    pub private_key_set: bool,
}

/// A profile's Cloud Marketplace settings as the form shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MarketplaceForm {
    /// A marketplace code (`us`, `eu`, `uk`, ...) or a full base URL.
    pub code_or_url: String,
    pub username: String,
    pub password_set: bool,
    pub subscription_key_set: bool,
}

/// A saved profile, without its secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileForm {
    pub id: String,
    pub name: String,
    pub demo: bool,
    pub connectwise: ConnectWiseForm,
    pub marketplace: MarketplaceForm,
}

/// What to do with one secret on Save or Test connection.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(
    tag = "action",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum SecretEdit {
    /// Leave it as it is in the keyring (set or not).
    Keep,
    /// Set or replace it.
    Replace {
        #[ts(type = "string")]
        value: crate::secret::Secret,
    },
    /// Remove it from the keyring.
    Remove,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectWiseInput {
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    pub codebase: String,
    /// The addition custom field (Text) for the app's keys; empty: Serial Number.
    #[serde(default)]
    pub addition_key_field: String,
    /// The currency the ConnectWise company's catalog prices are in; empty: not known.
    #[serde(default)]
    pub catalog_currency: String,
    pub public_key: SecretEdit,
    pub private_key: SecretEdit,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MarketplaceInput {
    pub code_or_url: String,
    pub username: String,
    pub password: SecretEdit,
    pub subscription_key: SecretEdit,
}

/// The Connections form as the window sends it: a new profile (`id` null) or changes to one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub id: Option<String>,
    pub name: String,
    pub connectwise: ConnectWiseInput,
    pub marketplace: MarketplaceInput,
}

/// What Test connection reached in ConnectWise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectWiseTestView {
    pub company_name: String,
    pub codebase: String,
    /// Permissions the API member's security role lacks, each with what it is needed for.
    pub missing_permissions: Vec<String>,
    /// Where Agreement Sync keys go (SPEC §15): the named addition custom field when it exists
    /// and is Text, else Serial Number — in words.
    pub key_field: String,
    /// The named custom field was found and is Text.
    pub key_field_ok: bool,
}

/// What Test connection reached in the Cloud Marketplace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MarketplaceTestView {
    pub base_url: String,
}
