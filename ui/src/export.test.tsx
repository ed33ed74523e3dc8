// Export CSV of the task list (SPEC §18: every export asks where to save).

import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SavedFile } from "./bindings/SavedFile";
import type { TaskQuery } from "./bindings/TaskQuery";
import { App } from "./App";
import * as ipc from "./ipc";
import { FakeTasks, deferred, makeStatus } from "./test/fixtures";
import { addStyleSheets } from "./test/styles";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);
type User = ReturnType<typeof userEvent.setup>;
let tasks: FakeTasks;

const PATH = "/home/billing/Downloads/agreement-sync-tasks-2026-11-24.csv";
const EVERYTHING: TaskQuery = { search: "", types: [], statuses: [], sort: "dateDesc" };

beforeEach(() => {
  vi.resetAllMocks();
  tasks = new FakeTasks(50);
  api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
  api.checkConnectivity.mockResolvedValue({ state: "online" });
  api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
  api.saveTasksCsv.mockImplementation((query) => Promise.resolve({ path: PATH, rows: tasks.list(query, 0, 0).total }));
});

async function openTasks(): Promise<User> {
  const user = userEvent.setup();
  render(<App />);
  await screen.findByText("Green Lane LLC");
  await waitFor(() => expect(screen.getByTestId("task-count")).toHaveTextContent("50 tasks"));
  return user;
}

describe("Export CSV of the task list", () => {
  it("saves the tasks as the list shows them, says Saving… meanwhile, then how many and where", async () => {
    const user = await openTasks();
    const button = screen.getByTestId("tasks-export");
    expect(button).toHaveTextContent("Export CSV");
    expect(button.closest(".toolbar")).toBe(screen.getByTestId("search").closest(".toolbar"));

    await user.selectOptions(screen.getByTestId("filter-status"), "Pending");
    await user.selectOptions(screen.getByTestId("sort"), "Customer A–Z");
    await waitFor(() => expect(screen.getByTestId("task-count")).toHaveTextContent("20 tasks"));
    const saving = deferred<SavedFile | null>();
    api.saveTasksCsv.mockImplementationOnce(() => saving.promise);
    await user.click(button);
    expect(api.saveTasksCsv).toHaveBeenCalledTimes(1);
    expect(api.saveTasksCsv).toHaveBeenCalledWith({ ...EVERYTHING, statuses: ["pending"], sort: "customerAsc" });
    expect(button).toHaveTextContent("Saving…");
    expect(button).toBeDisabled();

    await act(async () => {
      saving.resolve({ path: PATH, rows: 20 });
      await saving.promise;
    });
    const saved = await screen.findByTestId("tasks-saved");
    expect(saved).toHaveTextContent(`Saved 20 tasks to ${PATH}`);
    expect(saved).toHaveAttribute("title", PATH);
    expect(saved).toHaveAttribute("role", "status");
    expect(button).toHaveTextContent("Export CSV");
    expect(button).toBeEnabled();

    // Another filter: the file saved is no longer what the list shows.
    await user.selectOptions(screen.getByTestId("filter-status"), "");
    await waitFor(() => expect(screen.queryByTestId("tasks-saved")).not.toBeInTheDocument());
  });

  it("sends the search as typed, without waiting for the list to catch up", async () => {
    const user = await openTasks();
    await user.type(screen.getByTestId("search"), " green ");
    await user.click(screen.getByTestId("tasks-export"));
    expect(api.saveTasksCsv).toHaveBeenCalledWith({ ...EVERYTHING, search: "green" });
    expect(await screen.findByTestId("tasks-saved")).toHaveTextContent(`Saved 1 task to ${PATH}`);
  });

  it("says nothing at all when the save dialog is cancelled", async () => {
    const user = await openTasks();
    await user.click(screen.getByTestId("tasks-export"));
    expect(await screen.findByTestId("tasks-saved")).toHaveTextContent("Saved 50 tasks");

    // Cancelled: the file saved before is not claimed for this export either.
    api.saveTasksCsv.mockResolvedValueOnce(null);
    await user.click(screen.getByTestId("tasks-export"));
    expect(api.saveTasksCsv).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(screen.queryByTestId("tasks-saved")).not.toBeInTheDocument());
    expect(screen.getByTestId("tasks-export")).toHaveTextContent("Export CSV");
    expect(screen.getByTestId("tasks-export")).toBeEnabled();
    expect(screen.queryByTestId("tasks-csv-error")).not.toBeInTheDocument();
    expect(screen.queryByText(/Saved/)).not.toBeInTheDocument();
  });

  it("says why the CSV could not be saved", async () => {
    const user = await openTasks();
    api.saveTasksCsv.mockRejectedValueOnce({ code: "file", message: "Can't write /home/billing/Downloads: permission denied", field: null });
    await user.click(screen.getByTestId("tasks-export"));
    const error = await screen.findByTestId("tasks-csv-error");
    expect(error).toHaveTextContent("Couldn't save the CSV");
    expect(error).toHaveTextContent("Can't write /home/billing/Downloads: permission denied");
    expect(error).toHaveAttribute("data-code", "file");
    expect(screen.queryByTestId("tasks-saved")).not.toBeInTheDocument();
    await user.click(within(error).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("tasks-csv-error")).not.toBeInTheDocument();
  });

  it("is not offered while no task matches", async () => {
    const user = await openTasks();
    await user.type(screen.getByTestId("search"), "zzz");
    await waitFor(() => expect(screen.getByTestId("task-count")).toHaveAttribute("data-count", "0"));
    expect(screen.getByTestId("tasks-export")).toBeDisabled();
  });

  it("stays whole in a 900 px window: the toolbar wraps instead of the page scrolling sideways", async () => {
    const removeStyles = addStyleSheets("src/styles/base.css", "src/App.css", "src/components/Toolbar.css");
    try {
      const user = await openTasks();
      await user.click(screen.getByTestId("tasks-export"));
      const saved = await screen.findByTestId("tasks-saved");
      const toolbar = screen.getByTestId("search").closest(".toolbar");
      if (!(toolbar instanceof HTMLElement)) throw new Error("no toolbar");
      expect(getComputedStyle(toolbar).flexWrap).toBe("wrap");
      const button = screen.getByTestId("tasks-export");
      // Never squeezed below its words.
      expect(getComputedStyle(button).flexShrink).toBe("0");
      expect(getComputedStyle(button).whiteSpace).toBe("nowrap");
      // A long path is cut in its own line under the toolbar (whole in the tooltip), never widening the window.
      expect(toolbar).not.toContainElement(saved);
      expect(getComputedStyle(saved)).toMatchObject({ minWidth: "0", overflow: "hidden", textOverflow: "ellipsis" });
      const line = saved.parentElement;
      if (line === null) throw new Error("no line");
      expect(getComputedStyle(line).minWidth).toBe("0");
    } finally {
      removeStyles();
    }
  });
});
