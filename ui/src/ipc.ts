// The only module that talks to the Rust side. Every command is a typed function, called through the
// map of commands generated from Rust's list; every rejection becomes an `IpcError` carrying the
// `ErrorView` the command returned.

import { Channel, invoke } from "@tauri-apps/api/core";
import type { CommandArgs, CommandName, CommandResults } from "./bindings/commands";
import type { ActivityPage } from "./bindings/ActivityPage";
import type { ActivityQuery } from "./bindings/ActivityQuery";
import type { AppStatus } from "./bindings/AppStatus";
import type { BatchProgress } from "./bindings/BatchProgress";
import type { BatchResult } from "./bindings/BatchResult";
import type { BookQuery } from "./bindings/BookQuery";
import type { BookView } from "./bindings/BookView";
import type { BoardView } from "./bindings/BoardView";
import type { BulkAction } from "./bindings/BulkAction";
import type { CatalogOption } from "./bindings/CatalogOption";
import type { CheckProgress } from "./bindings/CheckProgress";
import type { CheckSummary } from "./bindings/CheckSummary";
import type { CompanyOption } from "./bindings/CompanyOption";
import type { Connectivity } from "./bindings/Connectivity";
import type { CustomerView } from "./bindings/CustomerView";
import type { ConnectWiseTestView } from "./bindings/ConnectWiseTestView";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorField } from "./bindings/ErrorField";
import { ERROR_CODES, ERROR_FIELDS } from "./bindings/errorNames";
import type { ErrorView } from "./bindings/ErrorView";
import type { FixResult } from "./bindings/FixResult";
import type { HealthView } from "./bindings/HealthView";
import type { InterruptedBatch } from "./bindings/InterruptedBatch";
import type { MarketplaceTestView } from "./bindings/MarketplaceTestView";
import type { PriceSourceView } from "./bindings/PriceSourceView";
import type { ProfileForm } from "./bindings/ProfileForm";
import type { ProfileInput } from "./bindings/ProfileInput";
import type { ProfilesView } from "./bindings/ProfilesView";
import type { ReconcileProgress } from "./bindings/ReconcileProgress";
import type { SavedFile } from "./bindings/SavedFile";
import type { ScheduleView } from "./bindings/ScheduleView";
import type { SyncView } from "./bindings/SyncView";
import type { TaskDetailsView } from "./bindings/TaskDetailsView";
import type { TaskPage } from "./bindings/TaskPage";
import type { TaskQuery } from "./bindings/TaskQuery";
import type { TaskRow } from "./bindings/TaskRow";
import type { TaskSelection } from "./bindings/TaskSelection";
import type { UndoBoardResult } from "./bindings/UndoBoardResult";
import type { UndoBoardView } from "./bindings/UndoBoardView";
import type { UndoView } from "./bindings/UndoView";
import type { WizardEdit } from "./bindings/WizardEdit";
import type { WizardView } from "./bindings/WizardView";

/** A failed command, with the error as Rust described it. */
export class IpcError extends Error {
  readonly view: ErrorView;

  constructor(view: ErrorView) {
    super(view.message);
    this.name = "IpcError";
    this.view = view;
  }

  get code(): ErrorCode {
    return this.view.code;
  }

  get field(): ErrorField | null {
    return this.view.field;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(value);
}

function isErrorField(value: unknown): value is ErrorField {
  return (ERROR_FIELDS as readonly unknown[]).includes(value);
}

/** The `ErrorView` inside a rejection, if it is one (its code and field among Rust's). */
export function asErrorView(value: unknown): ErrorView | null {
  if (!isRecord(value)) return null;
  const { code, message, field } = value;
  if (!isErrorCode(code) || typeof message !== "string") return null;
  if (field === undefined || field === null) return { code, message, field: null };
  if (!isErrorField(field)) return null;
  return { code, message, field };
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  if (value === undefined) return "unknown error";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Turns anything a command rejected with into an `IpcError`. */
export function toIpcError(reason: unknown): IpcError {
  if (reason instanceof IpcError) return reason;
  const view = asErrorView(reason);
  if (view) return new IpcError(view);
  return new IpcError({ code: "unexpected", message: describe(reason), field: null });
}

/** The arguments `call` takes after a command's name: an object of them, or none if it takes none. */
type CommandArgsOf<K extends CommandName> =
  CommandArgs[K] extends Record<string, never> ? [args?: CommandArgs[K]] : [args: CommandArgs[K]];

/**
 * Calls the command `name`; a rejection becomes an `IpcError`. The names, arguments and results are
 * those Rust lists (`bindings/commands.ts`), so a wrong name or argument fails `tsc`.
 */
async function call<K extends CommandName>(name: K, ...args: CommandArgsOf<K>): Promise<CommandResults[K]> {
  try {
    return await invoke<CommandResults[K]>(name, args[0]);
  } catch (reason: unknown) {
    throw toIpcError(reason);
  }
}

/** The type of `call`, for the type tests of the command map. */
export type Call = typeof call;

export function appStatus(): Promise<AppStatus> {
  return call("app_status");
}

/** Rows `offset..offset + limit` of the list filtered, searched and sorted by `query` (in Rust). */
export function listTasks(query: TaskQuery, offset: number, limit: number): Promise<TaskPage> {
  return call("list_tasks", { query, offset, limit });
}

/**
 * Runs Check Changes; `onProgress` receives the progress events while it runs. With
 * `readConnectwiseWhole`, every ConnectWise list is read whole, not only what changed since the
 * last refresh.
 */
export function checkChanges(onProgress: (progress: CheckProgress) => void, readConnectwiseWhole = false): Promise<CheckSummary> {
  const channel = new Channel<CheckProgress>();
  channel.onmessage = onProgress;
  return call("check_changes", { onProgress: channel, readConnectwiseWhole });
}

export function checkConnectivity(): Promise<Connectivity> {
  return call("check_connectivity");
}

/** A task with what its order changed, and whether the list searched and filtered by `query` shows it. */
export function taskDetails(taskId: number, query: TaskQuery): Promise<TaskDetailsView> {
  return call("task_details", { taskId, query });
}

/** Ignores the task with `reason`, or un-ignores it when `reason` is null. */
export function setTaskIgnored(id: number, reason: string | null): Promise<TaskRow> {
  return call("set_task_ignored", { id, reason });
}

/**
 * Saves the tasks the query shows (search, filters and sort) as CSV where the person chooses (the OS
 * save dialog); `null` when they cancelled it and nothing was saved.
 */
export function saveTasksCsv(query: TaskQuery): Promise<SavedFile | null> {
  return call("save_tasks_csv", { query });
}

/** Each service's last contact, refusal and failure, the marketplace token's end, and the banner's words while one refuses. */
export function health(): Promise<HealthView> {
  return call("health");
}

/**
 * Sets the open profile's scheduled checks: every `everyHours` hours while the app is open (1–168,
 * checked in Rust), or only when asked (`null`); and whether they raise desktop notifications.
 */
export function setSchedule(everyHours: number | null, notify: boolean): Promise<ScheduleView> {
  return call("set_schedule", { everyHours, notify });
}

/** How many days back the first Check Changes reads (1–365; checked in Rust). */
export function setFirstCheckDays(days: number): Promise<void> {
  return call("set_first_check_days", { days }).then(() => undefined);
}

/** The review wizard of a task, as its draft was left (or fresh from the plan). */
export function openWizard(taskId: number): Promise<WizardView> {
  return call("open_wizard", { taskId });
}

/** Applies one edit (validated, recomputed and saved as the draft in Rust) and returns the new state. */
export function editWizard(taskId: number, edit: WizardEdit): Promise<WizardView> {
  return call("edit_wizard", { taskId, edit });
}

/** ConnectWise companies whose name or identifier contains `text`, best match for the task first. */
export function searchCompanies(taskId: number, text: string): Promise<CompanyOption[]> {
  return call("search_companies", { taskId, text });
}

/** Active ConnectWise catalog items whose identifier or description contains `text`. */
export function searchCatalog(text: string): Promise<CatalogOption[]> {
  return call("search_catalog", { text });
}

/**
 * Sync: writes the task's reviewed plan to ConnectWise, finishes its unfinished sync (Retry), or —
 * for a task already synced — checks again and writes nothing. `onProgress` receives a snapshot of
 * the sync at each step; the promise settles with its final state.
 */
export function syncTask(taskId: number, onProgress: (view: SyncView) => void): Promise<SyncView> {
  const channel = new Channel<SyncView>();
  channel.onmessage = onProgress;
  return call("sync_task", { taskId, onProgress: channel });
}

/** Reads the task's chosen agreement again from ConnectWise, so the review starts from what it has now. */
export function refreshAgreement(taskId: number): Promise<WizardView> {
  return call("refresh_agreement", { taskId });
}

/** Sets the task's unfinished (failed or interrupted) sync aside and returns to its review. */
export function discardSync(taskId: number): Promise<WizardView> {
  return call("discard_sync", { taskId });
}

// ---------- Batches (bulk review and sync) ----------

/** Makes a batch of the tasks selected (ticked ids, or all matching a query less those unticked) and plans each one. */
export function openBatch(selection: TaskSelection): Promise<BoardView> {
  return call("open_batch", { selection });
}

/** The board of a batch, every row planned again from the cache (after a wizard, a mapping, a draft). */
export function batchBoard(batchId: number): Promise<BoardView> {
  return call("batch_board", { batchId });
}

/** Applies one bulk action to the tasks `taskIds` of the batch and answers the board re-planned. */
export function applyBulk(batchId: number, taskIds: number[], action: BulkAction): Promise<BoardView> {
  return call("apply_bulk", { batchId, taskIds, action });
}

/**
 * Syncs the batch's ready tasks (or finishes an interrupted run; a batch already synced writes
 * nothing). `onProgress` receives the counts and the rows that changed; the promise settles with the
 * result once every task has synced, failed or been left by a Stop.
 */
export function syncBatch(batchId: number, onProgress: (progress: BatchProgress) => void): Promise<BatchResult> {
  const channel = new Channel<BatchProgress>();
  channel.onmessage = onProgress;
  return call("sync_batch", { batchId, onProgress: channel });
}

/** Asks the batch's sync to stop: the writes under way finish, the tasks not started are left. */
export function stopBatch(batchId: number): Promise<void> {
  return call("stop_batch", { batchId }).then(() => undefined);
}

/** The batch whose sync the app was closed or killed in the middle of, if there is one. */
export function interruptedBatch(): Promise<InterruptedBatch | null> {
  return call("interrupted_batch");
}

/**
 * Saves the batch's result as CSV (task, customer, agreement, writes, addition ids, amounts, state,
 * message) where the person chooses; `null` when they cancelled the save dialog.
 */
export function saveBatchCsv(batchId: number): Promise<SavedFile | null> {
  return call("save_batch_csv", { batchId });
}

// ---------- Profiles and connections ----------

/** The profiles (Demo first), which one is open, and whether the OS keyring can be used. */
export function listProfiles(): Promise<ProfilesView> {
  return call("list_profiles");
}

/** A saved profile's settings; of its secrets only whether each one is set. */
export function getProfile(id: string): Promise<ProfileForm> {
  return call("get_profile", { id });
}

/** Saves a new profile (`input.id` null) or changes to one; the answer carries its id. */
export function saveProfile(input: ProfileInput): Promise<ProfileForm> {
  return call("save_profile", { input });
}

/** Removes a profile with its cache and its credentials; Demo is opened first if it was open. */
export function removeProfile(id: string): Promise<ProfilesView> {
  return call("remove_profile", { id });
}

/** Opens another profile and returns its status. */
export function switchProfile(id: string): Promise<AppStatus> {
  return call("switch_profile", { id });
}

/** Tries the ConnectWise settings of the form as they are (unsaved); a kept secret is read from the keyring. */
export function testConnectWise(input: ProfileInput): Promise<ConnectWiseTestView> {
  return call("test_connectwise", { input });
}

/** Tries the Cloud Marketplace settings of the form as they are (unsaved). */
export function testMarketplace(input: ProfileInput): Promise<MarketplaceTestView> {
  return call("test_marketplace", { input });
}

// ---------- Reconcile (the whole book against the marketplace) ----------

/**
 * Reconciles the book, reporting progress. With `allActive`, the whole subscription list is read
 * (a new profile's first day), else the customers the app knows of.
 */
export function reconcile(onProgress: (progress: ReconcileProgress) => void, allActive = false): Promise<BookView> {
  const channel = new Channel<ReconcileProgress>();
  channel.onmessage = onProgress;
  return call("reconcile", { onProgress: channel, allActive });
}

/** The last reconciled book from the cache (offline too). */
export function reconcileBook(query: BookQuery): Promise<BookView> {
  return call("reconcile_book", { query });
}

export function reconcileCustomer(customerId: string): Promise<CustomerView> {
  return call("reconcile_customer", { customerId });
}

/** Compares the cached data again (after a mapping or a fix, or with other prices), offline. */
export function recompare(priceSource: PriceSourceView | null = null): Promise<BookView> {
  return call("recompare", { priceSource });
}

/** Turns drifted products of a customer into reconcile-fix tasks to review and sync. */
export function fixReconcile(customerId: string, lineKeys: string[]): Promise<FixResult> {
  return call("fix_reconcile", { customerId, lineKeys });
}

export function reconcileCompanies(customerId: string, text: string): Promise<CompanyOption[]> {
  return call("reconcile_companies", { customerId, text });
}

export function reconcileCatalog(customerId: string, productKey: string, text: string): Promise<CatalogOption[]> {
  return call("reconcile_catalog", { customerId, productKey, text });
}

export function mapReconcileCustomer(customerId: string, companyId: number): Promise<CustomerView> {
  return call("map_reconcile_customer", { customerId, companyId });
}

export function mapReconcileProduct(customerId: string, productKey: string, catalogId: number): Promise<CustomerView> {
  return call("map_reconcile_product", { customerId, productKey, catalogId });
}

/** Saves the customers the query shows as CSV where the person chooses; `null` when they cancelled the save dialog. */
export function saveReconcileCsv(query: BookQuery): Promise<SavedFile | null> {
  return call("save_reconcile_csv", { query });
}

// ---------- Activity and undo (SPEC §17) ----------

/** Rows `offset..offset + limit` of the activity log matching `query`, newest first (at most 500 at once). */
export function listActivity(query: ActivityQuery, offset: number, limit: number): Promise<ActivityPage> {
  return call("activity", { query, offset, limit });
}

/** Saves every row of the activity log matching `query` as CSV where the person chooses; `null` when they cancelled the save dialog. */
export function saveActivityCsv(query: ActivityQuery): Promise<SavedFile | null> {
  return call("save_activity_csv", { query });
}

/** The undo of a sync: its compensating plan, made from the agreement as ConnectWise has it now. */
export function openUndo(syncId: number): Promise<UndoView> {
  return call("open_undo", { syncId });
}

/** Selects an optional row of an undo (a credit), or leaves it out; answers the undo planned again. */
export function selectUndoRow(syncId: number, rowKey: string, selected: boolean): Promise<UndoView> {
  return call("select_undo_row", { syncId, rowKey, selected });
}

/**
 * Writes the undo of a sync, as a sync of its own (or finishes its unfinished undo). `onProgress`
 * receives a snapshot of the undo's sync at each step; the promise settles with its final state.
 */
export function undoSync(syncId: number, onProgress: (view: SyncView) => void): Promise<SyncView> {
  const channel = new Channel<SyncView>();
  channel.onmessage = onProgress;
  return call("undo_sync", { syncId, onProgress: channel });
}

/** The undos of a batch: one per task it synced, and the tasks with nothing to undo and why. */
export function openBatchUndo(batchId: number): Promise<UndoBoardView> {
  return call("open_batch_undo", { batchId });
}

/**
 * Writes the undos of the batch's syncs `syncIds`, one after another, each a sync of its own.
 * `onProgress` receives a snapshot of the undo running at each step.
 */
export function undoBatch(batchId: number, syncIds: number[], onProgress: (view: SyncView) => void): Promise<UndoBoardResult> {
  const channel = new Channel<SyncView>();
  channel.onmessage = onProgress;
  return call("undo_batch", { batchId, syncIds, onProgress: channel });
}
