import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ActivityQuery } from "./bindings/ActivityQuery";
import { App } from "./App";
import { formatDateTime } from "./format";
import * as ipc from "./ipc";
import { FakeActivity, activityRow, undoView } from "./test/activity";
import { FakeTasks, deferred, makeStatus } from "./test/fixtures";
import { addStyleSheets } from "./test/styles";
import { plannedView } from "./test/wizard";
import type { SavedFile } from "./bindings/SavedFile";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);
let tasks: FakeTasks;
let log: FakeActivity;

type User = ReturnType<typeof userEvent.setup>;

const EVERYTHING: ActivityQuery = { search: "", profile: null, kind: null, result: null, from: null, to: null };

function rowIds(): string[] {
  return screen.queryAllByTestId("activity-row").map((row) => row.dataset.id ?? "");
}

function activityRowOf(id: string): HTMLElement {
  const found = screen.getAllByTestId("activity-row").find((row) => row.dataset.id === id);
  if (found === undefined) throw new Error(`no activity row ${id}`);
  return found;
}

/** The queries `activity` was last asked with. */
function lastQuery(): ActivityQuery | undefined {
  return api.listActivity.mock.lastCall?.[0];
}

async function openActivity(user: User): Promise<void> {
  render(<App />);
  await screen.findByText("Green Lane LLC");
  await user.click(screen.getByTestId("view-activity"));
  await screen.findByTestId("activity-screen");
  await waitFor(() => expect(rowIds()[0]).toBe("w9000"));
}

beforeEach(() => {
  vi.clearAllMocks();
  tasks = new FakeTasks(50);
  log = new FakeActivity(1200);
  api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
  api.checkConnectivity.mockResolvedValue({ state: "online" });
  api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
  api.listActivity.mockImplementation((query, offset, limit) => Promise.resolve(log.page(query, offset, limit)));
  api.saveActivityCsv.mockImplementation((query) => Promise.resolve(log.saved(query)));
  api.openWizard.mockResolvedValue(plannedView());
  api.openUndo.mockResolvedValue(undoView());
});

describe("the Activity view", () => {
  it("lists every write newest first, a window at a time, with what, where, before → after and the result", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    expect(screen.getByTestId("view-activity")).toHaveAttribute("aria-pressed", "true");
    expect(screen.queryByTestId("task-list")).not.toBeInTheDocument();
    expect(api.listActivity).toHaveBeenCalledWith(EVERYTHING, 0, 200);
    expect(screen.getByTestId("activity-total")).toHaveTextContent("1,200 writes");
    // 1,200 writes, a screenful drawn.
    expect(rowIds().length).toBeGreaterThan(5);
    expect(rowIds().length).toBeLessThan(40);

    const first = activityRowOf("w9000");
    expect(first).toHaveAttribute("data-other-desk", "false");
    expect(first).toHaveAttribute("data-sync-id", "100");
    expect(within(first).getByTestId("activity-when")).toHaveTextContent(formatDateTime("2026-11-24T11:00:00.000Z"));
    expect(within(first).getByTestId("activity-desk")).toHaveTextContent("ana on BILLING-PC");
    expect(within(first).getByTestId("activity-profile")).toHaveTextContent("Demo");
    expect(within(first).getByTestId("activity-source")).toHaveTextContent("Change Order 1000231");
    expect(within(first).getByTestId("activity-customer")).toHaveTextContent("Green Lane LLC");
    expect(within(first).getByTestId("activity-agreement")).toHaveTextContent("Green Lane LLC — Microsoft 365");
    expect(within(first).getByTestId("activity-agreement-id")).toHaveTextContent("#7001");
    expect(within(first).getByTestId("activity-kind")).toHaveTextContent("Create");
    expect(within(first).getByTestId("activity-addition")).toHaveTextContent("#40000");
    expect(within(first).getByTestId("activity-change")).toHaveTextContent("— → 25 × 22.00 from 2026-11-16");
    expect(within(first).getByTestId("activity-result")).toHaveTextContent("Confirmed");
    expect(within(first).getByTestId("activity-undo")).toHaveTextContent("Undo this sync…");

    const cancel = activityRowOf("w8999");
    expect(within(cancel).getByTestId("activity-kind")).toHaveTextContent("Cancel date");
    expect(within(cancel).getByTestId("activity-change")).toHaveTextContent(
      "20 × 22.00 from 2026-10-01 → 20 × 22.00 from 2026-10-01 to 2026-11-15",
    );
    const failed = activityRowOf("w8993");
    expect(within(failed).getByTestId("activity-result")).toHaveTextContent("Failed");
    expect(failed).toHaveTextContent("ConnectWise did not accept it: 400 Bad Request");
    // A write that failed is not offered for undo: Rust says so.
    expect(within(failed).queryByTestId("activity-undo")).not.toBeInTheDocument();
  });

  it("marks another desk's writes, recognised by their keys, and offers no undo for them", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    const other = activityRowOf("a50004");
    expect(other).toHaveAttribute("data-other-desk", "true");
    expect(other).not.toHaveAttribute("data-sync-id");
    expect(other).toHaveClass("activity-row-other");
    expect(within(other).getByTestId("activity-other-desk")).toHaveTextContent("Another desk");
    expect(within(other).getByTestId("activity-result")).toHaveTextContent("Another desk");
    expect(within(other).getByTestId("activity-source")).toHaveTextContent("Order 1000235 (another desk)");
    expect(within(other).queryByTestId("activity-undo")).not.toBeInTheDocument();
    const own = screen.getAllByTestId("activity-row").filter((row) => row.dataset.otherDesk === "false");
    expect(own.length).toBeGreaterThan(0);
    for (const row of own) expect(within(row).queryByTestId("activity-other-desk")).not.toBeInTheDocument();
  });

  it("reads the window of the rows scrolled to, by offset", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    const list = screen.getByTestId("activity-list");
    // Row 1,000 at the top: its window starts at offset 1,000.
    Object.defineProperty(list, "scrollTop", { configurable: true, value: 1000 * 50 });
    fireEvent.scroll(list);
    await waitFor(() => expect(api.listActivity).toHaveBeenCalledWith(EVERYTHING, 1000, 200));
    await waitFor(() => expect(rowIds()).toContain("w8000"));
  });

  it("searches and filters, asking Rust with the query, and says how many match", async () => {
    const user = userEvent.setup();
    await openActivity(user);

    await user.type(screen.getByTestId("activity-search"), "green");
    await waitFor(() => expect(lastQuery()).toEqual({ ...EVERYTHING, search: "green" }));
    await waitFor(() => expect(rowIds()).toEqual(["w9000"]));
    expect(screen.getByTestId("activity-total")).toHaveTextContent("1 write matches");
    await user.clear(screen.getByTestId("activity-search"));

    const profile = screen.getByTestId("activity-filter-profile");
    expect(within(profile).getAllByRole("option").map((o) => o.textContent)).toEqual(["All profiles", "Contoso", "Demo"]);
    await user.selectOptions(profile, "Contoso");
    await waitFor(() => expect(lastQuery()).toEqual({ ...EVERYTHING, profile: "Contoso" }));
    await waitFor(() => expect(screen.getByTestId("activity-total")).toHaveTextContent("300 writes match"));
    await user.selectOptions(profile, "");

    await user.selectOptions(screen.getByTestId("activity-filter-kind"), "cancelDate");
    await waitFor(() => expect(lastQuery()).toEqual({ ...EVERYTHING, kind: "cancelDate" }));
    await user.selectOptions(screen.getByTestId("activity-filter-kind"), "");

    const result = screen.getByTestId("activity-filter-result");
    expect(within(result).getByRole("option", { name: "Another desk" })).toBeInTheDocument();
    await user.selectOptions(result, "otherDesk");
    await waitFor(() => expect(lastQuery()).toEqual({ ...EVERYTHING, result: "otherDesk" }));
    await waitFor(() => expect(screen.getByTestId("activity-total")).toHaveTextContent("240 writes match"));
    for (const row of screen.getAllByTestId("activity-row")) expect(row).toHaveAttribute("data-other-desk", "true");

    fireEvent.change(screen.getByTestId("activity-from"), { target: { value: "2026-11-20" } });
    fireEvent.change(screen.getByTestId("activity-to"), { target: { value: "2026-11-22" } });
    await waitFor(() => expect(lastQuery()).toEqual({ ...EVERYTHING, result: "otherDesk", from: "2026-11-20", to: "2026-11-22" }));

    await user.click(screen.getByTestId("activity-clear"));
    await waitFor(() => expect(lastQuery()).toEqual(EVERYTHING));
    expect(screen.getByTestId("activity-search")).toHaveFocus();
  });

  it("says when nothing matches, and that a From after To has no day in between", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    fireEvent.change(screen.getByTestId("activity-from"), { target: { value: "2026-11-22" } });
    fireEvent.change(screen.getByTestId("activity-to"), { target: { value: "2026-11-20" } });
    expect(screen.getByTestId("activity-days-error")).toHaveTextContent("From is after To");
    expect(await screen.findByTestId("activity-empty")).toHaveTextContent("No write matches the search and filters.");
    expect(screen.getByTestId("activity-total")).toHaveTextContent("0 writes match");
    expect(screen.getByTestId("activity-export")).toBeDisabled();
  });

  it("keeps the search and filters when the person comes back from Tasks", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    await user.selectOptions(screen.getByTestId("activity-filter-kind"), "change");
    await user.click(screen.getByTestId("view-tasks"));
    await screen.findByTestId("task-list");
    await user.click(screen.getByTestId("view-activity"));
    expect(await screen.findByTestId("activity-filter-kind")).toHaveValue("change");
    await waitFor(() => expect(lastQuery()).toEqual({ ...EVERYTHING, kind: "change" }));
  });

  it("exports the writes matching as CSV, with the query shown, and says where", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    await user.selectOptions(screen.getByTestId("activity-filter-profile"), "Demo");
    await waitFor(() => expect(screen.getByTestId("activity-total")).toHaveTextContent("900 writes match"));
    const saving = deferred<SavedFile>();
    api.saveActivityCsv.mockImplementationOnce(() => saving.promise);
    await user.click(screen.getByTestId("activity-export"));
    expect(api.saveActivityCsv).toHaveBeenCalledWith({ ...EVERYTHING, profile: "Demo" });
    expect(screen.getByTestId("activity-export")).toHaveTextContent("Saving…");
    saving.resolve(log.saved({ ...EVERYTHING, profile: "Demo" }));
    expect(await screen.findByTestId("activity-saved")).toHaveTextContent(
      "Saved to /home/billing/Downloads/agreement-sync-activity-2026-11-24.csv (900 rows)",
    );
    // Another filter: the file saved no longer matches what is shown.
    await user.selectOptions(screen.getByTestId("activity-filter-profile"), "");
    await waitFor(() => expect(screen.queryByTestId("activity-saved")).not.toBeInTheDocument());
  });

  it("says nothing, not even the file saved before, when the save dialog is cancelled", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    await user.click(screen.getByTestId("activity-export"));
    expect(await screen.findByTestId("activity-saved")).toHaveTextContent("Saved to /home/billing/Downloads/");
    api.saveActivityCsv.mockResolvedValueOnce(null);
    await user.click(screen.getByTestId("activity-export"));
    expect(api.saveActivityCsv).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(screen.queryByTestId("activity-saved")).not.toBeInTheDocument());
    expect(screen.getByTestId("activity-export")).toHaveTextContent("Export CSV");
    expect(screen.getByTestId("activity-export")).toBeEnabled();
    expect(screen.queryByTestId("activity-csv-error")).not.toBeInTheDocument();
  });

  it("says why the CSV could not be saved", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    api.saveActivityCsv.mockRejectedValueOnce({ code: "file", message: "Can't write /home/billing/Downloads: permission denied", field: null });
    await user.click(screen.getByTestId("activity-export"));
    const error = await screen.findByTestId("activity-csv-error");
    expect(error).toHaveTextContent("Couldn't save the CSV");
    expect(error).toHaveTextContent("permission denied");
  });

  it("says why the log could not be read, and reads it again on request", async () => {
    const user = userEvent.setup();
    api.listActivity.mockRejectedValueOnce({ code: "store", message: "The cache is locked by another process.", field: null });
    render(<App />);
    await screen.findByText("Green Lane LLC");
    await user.click(screen.getByTestId("view-activity"));
    const error = await screen.findByTestId("activity-error");
    expect(error).toHaveTextContent("Couldn't read the activity log: The cache is locked by another process.");
    await user.click(within(error).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(rowIds()[0]).toBe("w9000"));
    expect(screen.queryByTestId("activity-error")).not.toBeInTheDocument();
  });

  it("opens the undo of a row's sync in the wizard's frame, and goes back to Activity", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    await user.click(within(activityRowOf("w9000")).getByTestId("activity-undo"));
    const wizard = await screen.findByTestId("wizard");
    expect(wizard).toHaveAttribute("data-task-id", "1");
    expect(await within(wizard).findByTestId("undo-panel")).toBeInTheDocument();
    expect(api.openUndo).toHaveBeenCalledWith(100);
    expect(within(wizard).getByTestId("wizard-close")).toHaveTextContent("Back to Activity");
    await user.click(within(wizard).getByTestId("wizard-close"));
    expect(screen.queryByTestId("wizard")).not.toBeInTheDocument();
    expect(screen.getByTestId("activity-screen")).toBeInTheDocument();
  });

  it("opens the undo of the focused row with Enter, from the keyboard", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    screen.getByTestId("activity-list").focus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(activityRowOf("w8999")).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{Enter}");
    await screen.findByTestId("undo-panel");
    expect(api.openUndo).toHaveBeenCalledWith(100);
  });

  it("/ puts the focus in the Activity search", async () => {
    const user = userEvent.setup();
    await openActivity(user);
    screen.getByTestId("activity-list").focus();
    await user.keyboard("/");
    expect(screen.getByTestId("activity-search")).toHaveFocus();
  });

  it("fits a 900 px window: the filters wrap, and the log scrolls sideways only inside its frame", async () => {
    const removeStyles = addStyleSheets("src/styles/base.css", "src/App.css", "src/components/Toolbar.css", "src/components/activity/activity.css");
    try {
      const user = userEvent.setup();
      await openActivity(user);
      const toolbar = screen.getByTestId("activity-search").closest(".toolbar");
      if (!(toolbar instanceof HTMLElement)) throw new Error("no toolbar");
      expect(getComputedStyle(toolbar).flexWrap).toBe("wrap");
      expect(getComputedStyle(screen.getByTestId("activity-screen")).minWidth).toBe("0");
      expect(getComputedStyle(screen.getByTestId("activity-list")).overflow).toBe("auto");
      const table = screen.getByTestId("activity-list").parentElement;
      if (table === null) throw new Error("no frame");
      expect(getComputedStyle(table).overflow).toBe("hidden");
      // Undo stays in view, pinned to the right edge, when the log is wider than its frame.
      const undo = within(activityRowOf("w9000")).getByTestId("activity-undo").parentElement;
      if (undo === null) throw new Error("no cell");
      expect(getComputedStyle(undo).position).toBe("sticky");
    } finally {
      removeStyles();
    }
  });
});

describe("an activity row", () => {
  it("says when no desk was recorded and an unreadable journal, as Rust words them", async () => {
    const user = userEvent.setup();
    log.rows = [activityRow(0, { desk: "this desk (before desks were recorded)", message: "This write's journal entry is unreadable.", undoable: false })];
    await openActivity(user);
    const row = activityRowOf("w9000");
    expect(within(row).getByTestId("activity-desk")).toHaveTextContent("this desk (before desks were recorded)");
    expect(row).toHaveTextContent("This write's journal entry is unreadable.");
    expect(within(row).queryByTestId("activity-undo")).not.toBeInTheDocument();
  });
});
