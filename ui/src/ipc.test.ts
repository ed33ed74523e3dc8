import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BatchProgress } from "./bindings/BatchProgress";
import type { CheckProgress } from "./bindings/CheckProgress";
import type { SyncView } from "./bindings/SyncView";

const core = vi.hoisted(() => {
  class FakeChannel<T> {
    onmessage: (message: T) => void = () => {};
  }
  return { invoke: vi.fn(), Channel: FakeChannel };
});
vi.mock("@tauri-apps/api/core", () => core);

import {
  IpcError,
  appStatus,
  applyBulk,
  batchBoard,
  checkChanges,
  discardSync,
  editWizard,
  getProfile,
  health,
  interruptedBatch,
  listActivity,
  listProfiles,
  listTasks,
  openBatch,
  openBatchUndo,
  openUndo,
  openWizard,
  refreshAgreement,
  removeProfile,
  saveActivityCsv,
  saveBatchCsv,
  saveProfile,
  saveReconcileCsv,
  saveTasksCsv,
  searchCatalog,
  searchCompanies,
  selectUndoRow,
  setSchedule,
  setTaskIgnored,
  stopBatch,
  switchProfile,
  syncBatch,
  syncTask,
  testConnectWise,
  testMarketplace,
  toIpcError,
  undoBatch,
  undoSync,
} from "./ipc";

beforeEach(() => {
  core.invoke.mockReset();
});

describe("IpcError mapping", () => {
  it("carries the ErrorView a command rejected with", async () => {
    core.invoke.mockRejectedValue({ code: "invalid", message: "Reason is too long", field: "reason" });
    const error = await setTaskIgnored(3, "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({
      code: "invalid",
      message: "Reason is too long",
      field: "reason",
      view: { code: "invalid", message: "Reason is too long", field: "reason" },
    });
  });

  it("treats a missing field as null", () => {
    expect(toIpcError({ code: "unreachable", message: "can't reach" }).view).toEqual({
      code: "unreachable",
      message: "can't reach",
      field: null,
    });
  });

  it("turns a string rejection into an unexpected error with its text", async () => {
    core.invoke.mockRejectedValue("command app_status not found");
    const error = await appStatus().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: "unexpected", message: "command app_status not found", field: null });
  });

  it("turns other rejections into unexpected errors", () => {
    expect(toIpcError(new Error("boom")).view).toEqual({ code: "unexpected", message: "boom", field: null });
    expect(toIpcError({ code: 5 }).view).toEqual({ code: "unexpected", message: '{"code":5}', field: null });
    expect(toIpcError(undefined).view.code).toBe("unexpected");
  });

  it("takes only Rust's codes and fields for an ErrorView", () => {
    expect(toIpcError({ code: "offline", message: "x", field: null }).view.code).toBe("unexpected");
    expect(toIpcError({ code: "invalid", message: "x", field: "connectwise.site" }).view.code).toBe("unexpected");
    expect(toIpcError({ code: "invalid", message: "x", field: "site" }).view).toEqual({ code: "invalid", message: "x", field: "site" });
  });
});

describe("commands", () => {
  it("passes camelCase arguments and returns the result", async () => {
    const page = { total: 0, offset: 200, rows: [] };
    core.invoke.mockResolvedValue(page);
    const query = { search: "green", types: [], statuses: [], sort: "dateDesc" as const };
    await expect(listTasks(query, 200, 200)).resolves.toEqual(page);
    expect(core.invoke).toHaveBeenCalledWith("list_tasks", { query, offset: 200, limit: 200 });

    core.invoke.mockResolvedValue(page);
    await setTaskIgnored(7, null);
    expect(core.invoke).toHaveBeenLastCalledWith("set_task_ignored", { id: 7, reason: null });
  });

  it("streams Check Changes progress through a channel", async () => {
    const seen: CheckProgress[] = [];
    core.invoke.mockImplementation((_command: string, args: { onProgress: { onmessage: (p: CheckProgress) => void } }) => {
      args.onProgress.onmessage({ kind: "listingOrders", read: 10, total: 20 });
      return Promise.resolve({ ordersRead: 20 });
    });
    await expect(checkChanges((p) => seen.push(p))).resolves.toEqual({ ordersRead: 20 });
    expect(core.invoke).toHaveBeenCalledWith("check_changes", { onProgress: expect.any(core.Channel), readConnectwiseWhole: false });
    expect(seen).toEqual([{ kind: "listingOrders", read: 10, total: 20 }]);
  });

  it("calls the wizard commands with camelCase arguments", async () => {
    core.invoke.mockResolvedValue([]);
    await openWizard(4);
    expect(core.invoke).toHaveBeenLastCalledWith("open_wizard", { taskId: 4 });
    const edit = { kind: "editRow", rowKey: "add:M365-BP", field: "quantity", value: "25" } as const;
    await editWizard(4, edit);
    expect(core.invoke).toHaveBeenLastCalledWith("edit_wizard", { taskId: 4, edit });
    await searchCompanies(4, "green");
    expect(core.invoke).toHaveBeenLastCalledWith("search_companies", { taskId: 4, text: "green" });
    await searchCatalog("exo");
    expect(core.invoke).toHaveBeenLastCalledWith("search_catalog", { text: "exo" });
  });

  it("rejects a refused wizard edit with its ErrorView", async () => {
    core.invoke.mockRejectedValue({ code: "invalid", message: "Catalog item 9 is not in the cache.", field: "product" });
    const error = await editWizard(4, { kind: "mapProduct", productKey: "MS-EXO", catalogId: 9 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: "invalid", field: "product" });
  });

  it("streams the sync's snapshots through a channel and calls the other sync commands", async () => {
    const seen: string[] = [];
    core.invoke.mockImplementation((_command: string, args: { onProgress: { onmessage: (v: Partial<SyncView>) => void } }) => {
      args.onProgress.onmessage({ id: 3, state: "running", activity: "Writing 1 of 2: create addition" });
      return Promise.resolve({ id: 3, state: "synced" });
    });
    await expect(syncTask(9, (v) => seen.push(`${v.state}: ${v.activity ?? ""}`))).resolves.toEqual({ id: 3, state: "synced" });
    expect(core.invoke).toHaveBeenCalledWith("sync_task", { taskId: 9, onProgress: expect.any(core.Channel) });
    expect(seen).toEqual(["running: Writing 1 of 2: create addition"]);

    core.invoke.mockResolvedValue({});
    await refreshAgreement(9);
    expect(core.invoke).toHaveBeenLastCalledWith("refresh_agreement", { taskId: 9 });
    await discardSync(9);
    expect(core.invoke).toHaveBeenLastCalledWith("discard_sync", { taskId: 9 });
  });

  it("rejects a refused sync with its ErrorView", async () => {
    core.invoke.mockRejectedValue({ code: "unreachable", message: "Can't reach ConnectWise", field: null });
    const error = await syncTask(9, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: "unreachable", message: "Can't reach ConnectWise" });
  });

  it("calls the batch commands with camelCase arguments and streams a batch sync's progress", async () => {
    core.invoke.mockResolvedValue({});
    const query = { search: "green", types: [], statuses: ["pending" as const], sort: "dateDesc" as const };
    await openBatch({ kind: "matching", query, except: [4] });
    expect(core.invoke).toHaveBeenLastCalledWith("open_batch", { selection: { kind: "matching", query, except: [4] } });
    await batchBoard(12);
    expect(core.invoke).toHaveBeenLastCalledWith("batch_board", { batchId: 12 });
    await applyBulk(12, [1, 2], { kind: "setEffectiveDate", value: "2026-12-01" });
    expect(core.invoke).toHaveBeenLastCalledWith("apply_bulk", {
      batchId: 12,
      taskIds: [1, 2],
      action: { kind: "setEffectiveDate", value: "2026-12-01" },
    });
    core.invoke.mockResolvedValue(null);
    await expect(stopBatch(12)).resolves.toBeUndefined();
    expect(core.invoke).toHaveBeenLastCalledWith("stop_batch", { batchId: 12 });
    await expect(interruptedBatch()).resolves.toBeNull();
    expect(core.invoke).toHaveBeenLastCalledWith("interrupted_batch", undefined);
    core.invoke.mockResolvedValue({ path: "/tmp/batch-12.csv", rows: 2 });
    await expect(saveBatchCsv(12)).resolves.toEqual({ path: "/tmp/batch-12.csv", rows: 2 });
    expect(core.invoke).toHaveBeenLastCalledWith("save_batch_csv", { batchId: 12 });

    const seen: number[] = [];
    core.invoke.mockImplementation((_command: string, args: { onProgress: { onmessage: (p: Partial<BatchProgress>) => void } }) => {
      args.onProgress.onmessage({ batchId: 12, tasksDone: 1, tasksTotal: 2 });
      return Promise.resolve({ message: "2 of 2 tasks synced." });
    });
    await expect(syncBatch(12, (p) => seen.push(p.tasksDone))).resolves.toEqual({ message: "2 of 2 tasks synced." });
    expect(core.invoke).toHaveBeenLastCalledWith("sync_batch", { batchId: 12, onProgress: expect.any(core.Channel) });
    expect(seen).toEqual([1]);
  });

  it("calls the activity and undo commands with camelCase arguments, and streams each undo's snapshots", async () => {
    core.invoke.mockResolvedValue({});
    const query = { search: "green", profile: null, kind: "create" as const, result: "otherDesk" as const, from: "2026-11-01", to: null };
    await listActivity(query, 400, 200);
    expect(core.invoke).toHaveBeenLastCalledWith("activity", { query, offset: 400, limit: 200 });
    await saveActivityCsv(query);
    expect(core.invoke).toHaveBeenLastCalledWith("save_activity_csv", { query });
    await openUndo(11);
    expect(core.invoke).toHaveBeenLastCalledWith("open_undo", { syncId: 11 });
    await selectUndoRow(11, "undo:2:credit", true);
    expect(core.invoke).toHaveBeenLastCalledWith("select_undo_row", { syncId: 11, rowKey: "undo:2:credit", selected: true });
    await openBatchUndo(12);
    expect(core.invoke).toHaveBeenLastCalledWith("open_batch_undo", { batchId: 12 });

    const seen: string[] = [];
    core.invoke.mockImplementation((_command: string, args: { onProgress: { onmessage: (v: Partial<SyncView>) => void } }) => {
      args.onProgress.onmessage({ id: 31, undoes: 11, state: "running" });
      return Promise.resolve({ id: 31, state: "synced" });
    });
    await expect(undoSync(11, (v) => seen.push(`${v.id} undoes ${v.undoes ?? "?"}`))).resolves.toEqual({ id: 31, state: "synced" });
    expect(core.invoke).toHaveBeenLastCalledWith("undo_sync", { syncId: 11, onProgress: expect.any(core.Channel) });
    await undoBatch(12, [21, 22], (v) => seen.push(`${v.id} undoes ${v.undoes ?? "?"}`));
    expect(core.invoke).toHaveBeenLastCalledWith("undo_batch", { batchId: 12, syncIds: [21, 22], onProgress: expect.any(core.Channel) });
    expect(seen).toEqual(["31 undoes 11", "31 undoes 11"]);
  });

  it("saves the tasks shown as CSV, and answers null when the save dialog was cancelled", async () => {
    const query = { search: "green", types: ["changeOrder" as const], statuses: [], sort: "customerAsc" as const };
    core.invoke.mockResolvedValue({ path: "/home/billing/tasks.csv", rows: 3 });
    await expect(saveTasksCsv(query)).resolves.toEqual({ path: "/home/billing/tasks.csv", rows: 3 });
    expect(core.invoke).toHaveBeenLastCalledWith("save_tasks_csv", { query });
    core.invoke.mockResolvedValue(null);
    await expect(saveTasksCsv(query)).resolves.toBeNull();
    await expect(saveBatchCsv(12)).resolves.toBeNull();
    await expect(saveActivityCsv({ search: "", profile: null, kind: null, result: null, from: null, to: null })).resolves.toBeNull();
    await expect(saveReconcileCsv({ outcome: null, search: "" })).resolves.toBeNull();
    expect(core.invoke).toHaveBeenLastCalledWith("save_reconcile_csv", { query: { outcome: null, search: "" } });
  });

  it("reads the health and sets the schedule, whose refusal comes with its field", async () => {
    const view = { services: [], banner: null };
    core.invoke.mockResolvedValue(view);
    await expect(health()).resolves.toEqual(view);
    expect(core.invoke).toHaveBeenLastCalledWith("health", undefined);

    const schedule = { everyHours: 6, notify: false, nextDueAt: "2026-11-24T18:00:00Z", waitingFor: null };
    core.invoke.mockResolvedValue(schedule);
    await expect(setSchedule(6, false)).resolves.toEqual(schedule);
    expect(core.invoke).toHaveBeenLastCalledWith("set_schedule", { everyHours: 6, notify: false });
    await setSchedule(null, true);
    expect(core.invoke).toHaveBeenLastCalledWith("set_schedule", { everyHours: null, notify: true });

    core.invoke.mockRejectedValue({ code: "invalid", message: "Check every 1 to 168 hours.", field: "checkEvery" });
    const error = await setSchedule(200, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: "invalid", field: "checkEvery", message: "Check every 1 to 168 hours." });
  });

  it("calls the profile commands with camelCase arguments", async () => {
    const input = {
      id: null,
      name: "Contoso",
      connectwise: {
        site: "api-na.myconnectwise.net",
        companyId: "contoso",
        clientId: "1b2c3d4e-0000-4000-8000-123456789abc",
        codebase: "",
        additionKeyField: "",
        catalogCurrency: "",
        publicKey: { action: "keep" as const },
        privateKey: { action: "replace" as const, value: "pk" },
      },
      marketplace: { codeOrUrl: "us", username: "billing", password: { action: "remove" as const }, subscriptionKey: { action: "keep" as const } },
    };
    core.invoke.mockResolvedValue({});
    await listProfiles();
    expect(core.invoke).toHaveBeenLastCalledWith("list_profiles", undefined);
    await getProfile("contoso");
    expect(core.invoke).toHaveBeenLastCalledWith("get_profile", { id: "contoso" });
    await saveProfile(input);
    expect(core.invoke).toHaveBeenLastCalledWith("save_profile", { input });
    await removeProfile("contoso");
    expect(core.invoke).toHaveBeenLastCalledWith("remove_profile", { id: "contoso" });
    await switchProfile("demo");
    expect(core.invoke).toHaveBeenLastCalledWith("switch_profile", { id: "demo" });
    await testConnectWise(input);
    expect(core.invoke).toHaveBeenLastCalledWith("test_connectwise", { input });
    await testMarketplace(input);
    expect(core.invoke).toHaveBeenLastCalledWith("test_marketplace", { input });
  });

  it("rejects a failed Test connection with its ErrorView", async () => {
    core.invoke.mockRejectedValue({ code: "unauthorized", message: "ConnectWise refused the API keys.", field: "privateKey" });
    const error = await testConnectWise({
      id: "contoso",
      name: "Contoso",
      connectwise: { site: "", companyId: "", clientId: "", codebase: "", additionKeyField: "", catalogCurrency: "", publicKey: { action: "keep" }, privateKey: { action: "keep" } },
      marketplace: { codeOrUrl: "", username: "", password: { action: "keep" }, subscriptionKey: { action: "keep" } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: "unauthorized", field: "privateKey" });
  });
});
