import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CheckProgress } from "./bindings/CheckProgress";
import type { AppStatus } from "./bindings/AppStatus";
import type { CheckSummary } from "./bindings/CheckSummary";
import type { TaskQuery } from "./bindings/TaskQuery";
import { App } from "./App";
import * as ipc from "./ipc";
import { DEMO_PROFILE, FakeTasks, deferred, makeHealth, makeProfileForm, makeProfileSummary, makeProfiles, makeStatus } from "./test/fixtures";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);
let tasks: FakeTasks;

function queries(): TaskQuery[] {
  return api.listTasks.mock.calls.map(([query]) => query);
}

function rows(): HTMLElement[] {
  return screen.queryAllByTestId("task-row");
}

const SUMMARY: CheckSummary = {
  ordersRead: 241,
  tasksCreated: 40,
  alreadyKnown: 3,
  skipped: [
    { reason: "renewal", label: "renewal (nothing changes on the agreement)", count: 12 },
    { reason: "notCompleted", label: "not completed (still processing)", count: 2 },
  ],
  from: "2026-10-17T00:00:00Z",
  connectwiseError: null,
  connectwiseRefused: false,
  finishedAt: "2026-11-16T12:00:00Z",
  futureOrders: [],
  unreadable: [],
};

const LEFT_OUT = {
  service: "connectWise",
  list: "company list",
  record: "company 251",
  field: "identifier",
  reason: "its identifier could not be read (a list where text was expected)",
  message:
    "Company 251 was left out of the company list from ConnectWise: its identifier could not be read (a list where text was expected)",
} as const;

beforeEach(() => {
  tasks = new FakeTasks(1000);
  api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
  api.checkConnectivity.mockResolvedValue({ state: "online" });
  api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
});

describe("task list", () => {
  it("shows the rows of the first page with their columns and the count", async () => {
    render(<App />);
    expect(await screen.findByText("Green Lane LLC")).toBeInTheDocument();
    expect(screen.getByTestId("task-count")).toHaveTextContent("1,000 tasks");
    expect(screen.getByTestId("task-count")).toHaveAttribute("data-count", "1000");

    const first = rows()[0];
    if (first === undefined) throw new Error("no rows");
    expect(first).toHaveAttribute("data-order-id", "SO100000");
    expect(first).toHaveAttribute("data-customer-id", "1000048531");
    expect(first).toHaveAttribute("data-status", "pending");
    expect(first).toHaveAttribute("data-task-type", "salesOrder");
    expect(within(first).getByText("1000048531")).toBeInTheDocument();
    expect(within(first).getByText("Sales Order")).toBeInTheDocument();
    expect(within(first).getByTestId("task-amount")).toHaveTextContent("+1.00 EURper month");
    expect(within(first).getByText("Pending")).toBeInTheDocument();

    // Only a screenful is in the DOM, read with one page of 200.
    expect(rows().length).toBeGreaterThan(5);
    expect(rows().length).toBeLessThan(60);
    expect(api.listTasks).toHaveBeenCalledWith(expect.objectContaining({ search: "", sort: "dateDesc" }), 0, 200);
  });

  it("shows the reason of an ignored task on hover", async () => {
    render(<App />);
    await screen.findByText("Green Lane LLC");
    const ignored = rows().find((row) => row.dataset.status === "ignored");
    if (ignored === undefined) throw new Error("no ignored row");
    expect(within(ignored).getByText("Ignored")).toHaveAttribute("title", "Ignored: billed manually");
  });

  it("searches after the user stops typing", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Green Lane LLC");
    await user.type(screen.getByTestId("search"), "green");
    await waitFor(() => expect(queries().some((q) => q.search === "green")).toBe(true));
    // Debounced: no query for each keystroke.
    expect(queries().some((q) => q.search === "gr")).toBe(false);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByTestId("task-count")).toHaveTextContent("1 task");
  });

  it("filters by type and status and sorts through the selects", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Green Lane LLC");

    await user.selectOptions(screen.getByTestId("filter-type"), "Change Order");
    await waitFor(() => expect(queries().at(-1)?.types).toEqual(["changeOrder"]));
    await waitFor(() => expect(rows().every((row) => row.dataset.taskType === "changeOrder")).toBe(true));

    await user.selectOptions(screen.getByTestId("filter-status"), "Ignored");
    await waitFor(() => expect(queries().at(-1)).toMatchObject({ types: ["changeOrder"], statuses: ["ignored"] }));

    await user.selectOptions(screen.getByTestId("sort"), "Customer A–Z");
    await waitFor(() => expect(queries().at(-1)?.sort).toBe("customerAsc"));
  });

  it("says when nothing matches and clears the filters", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Green Lane LLC");
    await user.type(screen.getByTestId("search"), "zzz");
    expect(await screen.findByText("No tasks match “zzz”.")).toBeInTheDocument();
    await user.click(screen.getByTestId("clear-filters-empty"));
    expect(await screen.findByText("Green Lane LLC")).toBeInTheDocument();
    expect(screen.getByTestId("search")).toHaveValue("");
  });

  it("invites a first Check Changes when nothing was ever read", async () => {
    tasks = new FakeTasks(0);
    api.appStatus.mockResolvedValue(makeStatus({ lastCheckedAt: null }));
    render(<App />);
    const empty = await screen.findByTestId("empty-never-checked");
    expect(empty).toHaveTextContent("No tasks yet.");
    expect(empty).toHaveTextContent("Click Check Changes to read orders from the last");
    expect(screen.getByTestId("first-check-days")).toHaveValue("30");
    expect(screen.getByTestId("last-checked")).toHaveTextContent("Never checked");
  });

  it("sets how far back the first check reads, showing Rust's refusal inline", async () => {
    const user = userEvent.setup();
    tasks = new FakeTasks(0);
    api.appStatus.mockResolvedValue(makeStatus({ lastCheckedAt: null, firstCheckDays: 30 }));
    api.setFirstCheckDays.mockResolvedValueOnce(undefined);
    render(<App />);
    const field = await screen.findByTestId("first-check-days");
    expect(field).toHaveValue("30");

    api.appStatus.mockResolvedValue(makeStatus({ lastCheckedAt: null, firstCheckDays: 7 }));
    // Under load a window read before the clear can land after it and put "30" back: the field is
    // typed into only once it reads "7" as typed.
    await waitFor(async () => {
      await user.clear(field);
      await user.type(field, "7");
      expect(field).toHaveValue("7");
    });
    await user.type(field, "{Enter}");
    expect(api.setFirstCheckDays).toHaveBeenCalledWith(7);
    await waitFor(() => expect(screen.getByTestId("first-check-days")).toHaveValue("7"));
    expect(screen.queryByTestId("first-check-days-error")).not.toBeInTheDocument();

    api.setFirstCheckDays.mockRejectedValueOnce(
      new ipc.IpcError({ code: "invalid", message: "The first check can read between 1 and 365 days back.", field: "firstCheckDays" }),
    );
    await user.clear(field);
    await user.type(field, "900{Enter}");
    expect(await screen.findByTestId("first-check-days-error")).toHaveTextContent("between 1 and 365 days");

    await user.clear(field);
    await user.type(field, "abc{Enter}");
    expect(await screen.findByTestId("first-check-days-error")).toHaveTextContent("whole number");
  });

  it("moves the selection with the arrow keys and shows the task's details", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Green Lane LLC");
    screen.getByTestId("task-list").focus();
    await user.keyboard("{ArrowDown}");
    expect(rows()[0]).toHaveAttribute("aria-selected", "true");
    expect(within(screen.getByTestId("task-details")).getByText("Green Lane LLC")).toBeInTheDocument();
    await user.keyboard("{ArrowDown}");
    expect(rows()[0]).toHaveAttribute("aria-selected", "false");
    expect(rows()[1]).toHaveAttribute("aria-selected", "true");
    expect(within(screen.getByTestId("task-details")).getByText("Customer 00001")).toBeInTheDocument();
  });

  it("focuses the search with / and Ctrl+F", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Green Lane LLC");
    screen.getByTestId("task-list").focus();
    await user.keyboard("/");
    expect(screen.getByTestId("search")).toHaveFocus();
    expect(screen.getByTestId("search")).toHaveValue("");
    screen.getByTestId("task-list").focus();
    await user.keyboard("{Control>}f{/Control}");
    expect(screen.getByTestId("search")).toHaveFocus();
  });
});

describe("ignoring a task", () => {
  it("asks for a reason, ignores, then offers to un-ignore", async () => {
    const user = userEvent.setup();
    api.setTaskIgnored.mockImplementation((id, reason) => {
      const row = tasks.rows.find((r) => r.id === id);
      if (row === undefined) throw new Error("no such task");
      row.status = reason === null ? "pending" : "ignored";
      row.ignoredReason = reason;
      return Promise.resolve({ ...row });
    });
    render(<App />);
    await user.click(await screen.findByText("Green Lane LLC"));

    await user.click(screen.getByTestId("ignore-task"));
    expect(screen.getByTestId("ignore-reason")).toHaveFocus();
    await user.click(screen.getByTestId("ignore-confirm"));
    expect(screen.getByTestId("ignore-error")).toHaveTextContent("Enter a reason");
    expect(api.setTaskIgnored).not.toHaveBeenCalled();
    expect(screen.getByTestId("ignore-reason")).toHaveAttribute("maxlength", "500");

    await user.type(screen.getByTestId("ignore-reason"), "billed manually in October{Enter}");
    expect(api.setTaskIgnored).toHaveBeenCalledWith(1, "billed manually in October");
    const details = screen.getByTestId("task-details");
    expect(await within(details).findByText("billed manually in October")).toBeInTheDocument();
    await waitFor(() => expect(rows()[0]).toHaveAttribute("data-status", "ignored"));

    await user.click(within(details).getByTestId("unignore-task"));
    expect(api.setTaskIgnored).toHaveBeenLastCalledWith(1, null);
    await waitFor(() => expect(rows()[0]).toHaveAttribute("data-status", "pending"));
    expect(within(details).getByTestId("ignore-task")).toBeInTheDocument();
  });

  it("shows the error from Rust under the reason", async () => {
    const user = userEvent.setup();
    api.setTaskIgnored.mockRejectedValue(new ipc.IpcError({ code: "invalid", message: "Reason: too long", field: "reason" }));
    render(<App />);
    await user.click(await screen.findByText("Green Lane LLC"));
    await user.click(screen.getByTestId("ignore-task"));
    await user.type(screen.getByTestId("ignore-reason"), "x");
    await user.click(screen.getByTestId("ignore-confirm"));
    expect(await screen.findByTestId("ignore-error")).toHaveTextContent("Reason: too long");
  });
});

describe("Check Changes", () => {
  it("its menu runs a check that reads all of ConnectWise again", async () => {
    const user = userEvent.setup();
    api.checkChanges.mockResolvedValue(SUMMARY);
    tasks = new FakeTasks(0);
    render(<App />);
    await screen.findByTestId("empty-no-tasks");

    // The plain button asks for what changed only.
    await user.click(screen.getByTestId("check-changes"));
    await waitFor(() => expect(api.checkChanges).toHaveBeenCalledTimes(1));
    expect(api.checkChanges.mock.calls[0]?.[1]).toBe(false);

    const more = screen.getByTestId("check-changes-more");
    await waitFor(() => expect(more).toBeEnabled());
    expect(more).toHaveAttribute("aria-expanded", "false");
    await user.click(more);
    expect(more).toHaveAttribute("aria-expanded", "true");
    const item = screen.getByRole("menuitem", { name: /reading all of ConnectWise again/ });
    expect(item).toHaveFocus();
    // Escape closes it and gives the focus back.
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    expect(more).toHaveFocus();

    await user.click(more);
    await user.click(screen.getByRole("menuitem", { name: /reading all of ConnectWise again/ }));
    await waitFor(() => expect(api.checkChanges).toHaveBeenCalledTimes(2));
    expect(api.checkChanges.mock.calls[1]?.[1]).toBe(true);
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
  });

  it("shows progress from the channel, refreshes the list, then the summary", async () => {
    const user = userEvent.setup();
    const run = deferred<CheckSummary>();
    let report: (progress: CheckProgress) => void = () => {};
    api.checkChanges.mockImplementation((onProgress) => {
      report = onProgress;
      return run.promise;
    });
    tasks = new FakeTasks(0);
    render(<App />);
    await screen.findByTestId("empty-no-tasks");

    await user.click(screen.getByTestId("check-changes"));
    expect(screen.getByTestId("check-changes")).toBeDisabled();
    expect(screen.getByTestId("check-progress")).toBeInTheDocument();

    act(() => report({ kind: "listingOrders", read: 120, total: 241 }));
    expect(screen.getByTestId("check-progress")).toHaveTextContent("Reading order list… 120 of 241");

    const before = api.listTasks.mock.calls.length;
    tasks = new FakeTasks(9);
    act(() => report({ kind: "readingOrders", done: 12, total: 40, tasksCreated: 9 }));
    expect(screen.getByTestId("check-progress")).toHaveTextContent("Fetching order details… 12 of 40 — 9 new tasks");
    // Tasks show up while the check still runs.
    expect(await screen.findByText("Green Lane LLC")).toBeInTheDocument();
    expect(api.listTasks.mock.calls.length).toBeGreaterThan(before);
    expect(screen.getByTestId("task-count")).toHaveTextContent("9 tasks");

    tasks = new FakeTasks(40);
    api.appStatus.mockResolvedValue(makeStatus({ lastCheckedAt: new Date().toISOString(), lastSummary: SUMMARY }));
    await act(async () => run.resolve(SUMMARY));
    expect(await screen.findByTestId("check-summary")).toHaveTextContent(
      "241 orders read · 40 new tasks · 3 already known · skipped: 12 renewal (nothing changes on the agreement), 2 not completed (still processing)",
    );
    expect(screen.queryByTestId("check-progress")).not.toBeInTheDocument();
    expect(screen.getByTestId("check-changes")).toBeEnabled();
    await waitFor(() => expect(screen.getByTestId("task-count")).toHaveTextContent("40 tasks"));
    expect(screen.getByTestId("last-checked")).toHaveTextContent("Last checked just now");

    await user.click(screen.getByRole("button", { name: "Dismiss summary" }));
    expect(screen.queryByTestId("check-summary")).not.toBeInTheDocument();
  });

  it("warns when the ConnectWise data could not be refreshed, and only then", async () => {
    const user = userEvent.setup();
    tasks = new FakeTasks(3);
    api.checkChanges.mockResolvedValueOnce({
      ...SUMMARY,
      connectwiseError: "ConnectWise answered 500: Internal error",
    });
    render(<App />);
    await user.click(await screen.findByTestId("check-changes"));
    expect(await screen.findByTestId("connectwise-warning")).toHaveTextContent(
      "ConnectWise answered 500: Internal error",
    );
    expect(screen.getByTestId("check-summary")).toBeInTheDocument();

    api.checkChanges.mockResolvedValueOnce(SUMMARY);
    await user.click(screen.getByTestId("check-changes"));
    await waitFor(() => expect(screen.queryByTestId("connectwise-warning")).not.toBeInTheDocument());
  });

  it("says a ConnectWise refusal once: in the banner, with the check's warning pointing to it", async () => {
    const user = userEvent.setup();
    tasks = new FakeTasks(3);
    const refusal =
      "ConnectWise refused a permission: the API member's security role lacks the permission Finance › Agreements (Inquire).";
    api.checkChanges.mockResolvedValueOnce({ ...SUMMARY, connectwiseError: refusal, connectwiseRefused: true });
    render(<App />);
    api.appStatus.mockResolvedValue(
      makeStatus({
        taskCount: 3,
        health: makeHealth({
          connectWise: { state: "refused" },
          banner: "ConnectWise refused: the API member's security role lacks the permission Finance › Agreements (Inquire).",
        }),
      }),
    );
    await user.click(await screen.findByTestId("check-changes"));
    expect(await screen.findByTestId("health-banner")).toHaveTextContent("Finance › Agreements (Inquire)");
    const warning = await screen.findByTestId("connectwise-warning");
    expect(warning).toHaveTextContent("ConnectWise data not refreshed");
    expect(warning).toHaveTextContent("ConnectWise refused access: the message at the top of the window says what to do.");
    expect(warning).not.toHaveTextContent("Finance › Agreements");
    expect(warning).toHaveTextContent("Tasks were read; reviewing uses the ConnectWise data cached before.");
    // The check's own words stay at hand.
    expect(warning).toHaveAttribute("title", refusal);
  });

  it("says this check's own ConnectWise failure in full, even while the banner says an older refusal", async () => {
    const user = userEvent.setup();
    tasks = new FakeTasks(3);
    api.checkChanges.mockResolvedValueOnce({ ...SUMMARY, connectwiseError: "ConnectWise did not answer within 30 s." });
    render(<App />);
    api.appStatus.mockResolvedValue(
      makeStatus({
        taskCount: 3,
        health: makeHealth({ connectWise: { state: "refused" }, banner: "ConnectWise refused: check the keys." }),
      }),
    );
    await user.click(await screen.findByTestId("check-changes"));
    expect(await screen.findByTestId("health-banner")).toBeInTheDocument();
    expect(await screen.findByTestId("connectwise-warning")).toHaveTextContent("ConnectWise did not answer within 30 s.");
  });

  it("says a ConnectWise failure under the check when no banner says it", async () => {
    const user = userEvent.setup();
    tasks = new FakeTasks(3);
    api.checkChanges.mockResolvedValueOnce({ ...SUMMARY, connectwiseError: "ConnectWise did not answer within 30 s." });
    render(<App />);
    api.appStatus.mockResolvedValue(
      makeStatus({ taskCount: 3, health: makeHealth({ connectWise: { state: "unreachable" } }) }),
    );
    await user.click(await screen.findByTestId("check-changes"));
    expect(await screen.findByTestId("connectwise-warning")).toHaveTextContent("ConnectWise did not answer within 30 s.");
    expect(screen.queryByTestId("health-banner")).not.toBeInTheDocument();
  });

  it("names orders dated in the future and records that could not be read, and only then", async () => {
    const user = userEvent.setup();
    tasks = new FakeTasks(3);
    api.checkChanges.mockResolvedValueOnce({
      ...SUMMARY,
      futureOrders: [{ orderId: "5000001", creationDate: "9999-12-31T00:00:00Z" }],
      unreadable: [LEFT_OUT],
    });
    render(<App />);
    await user.click(await screen.findByTestId("check-changes"));
    expect(await screen.findByTestId("future-orders-warning")).toHaveTextContent(
      "1 order dated in the future: 5000001, 9999-12-31 — check the marketplace",
    );
    expect(screen.getByTestId("unreadable-warning")).toHaveTextContent(
      "Company 251 was left out of the company list from ConnectWise: its identifier could not be read (a list where text was expected)",
    );
    expect(screen.getByTestId("check-summary")).toBeInTheDocument();

    api.checkChanges.mockResolvedValueOnce(SUMMARY);
    await user.click(screen.getByTestId("check-changes"));
    await waitFor(() => expect(screen.queryByTestId("future-orders-warning")).not.toBeInTheDocument());
    expect(screen.queryByTestId("unreadable-warning")).not.toBeInTheDocument();
  });

  it("shows the error and keeps the cached rows when the check fails", async () => {
    const user = userEvent.setup();
    api.checkChanges.mockRejectedValue(
      new ipc.IpcError({
        code: "unreachable",
        message: "Can't reach the Cloud Marketplace at http://127.0.0.1:1/: connection refused",
        field: null,
      }),
    );
    render(<App />);
    await screen.findByText("Green Lane LLC");
    await user.click(screen.getByTestId("check-changes"));
    expect(await screen.findByTestId("error-banner")).toHaveTextContent(
      "Can't reach the Cloud Marketplace at http://127.0.0.1:1/: connection refused",
    );
    expect(screen.getByText("Green Lane LLC")).toBeInTheDocument();
    expect(rows().length).toBeGreaterThan(5);
    expect(screen.getByTestId("check-changes")).toBeEnabled();
  });
});

describe("header", () => {
  it("shows the profile, demo mode and the last check", async () => {
    render(<App />);
    expect(await screen.findByText("Demo mode — simulated data")).toBeInTheDocument();
    expect(screen.getByTestId("profile")).toHaveTextContent("Demo");
    expect(screen.getByTestId("last-checked")).toHaveTextContent("Last checked 12 min ago");
    expect(screen.getByTestId("last-checked").getAttribute("title")).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    await waitFor(() => expect(screen.getByTestId("connectivity")).toHaveTextContent("Online"));
  });

  it("keeps what the last check flagged in the last-checked details", async () => {
    api.appStatus.mockResolvedValue(
      makeStatus({
        lastSummary: {
          ...SUMMARY,
          futureOrders: [{ orderId: "5000001", creationDate: "9999-12-31T00:00:00Z" }],
          unreadable: [LEFT_OUT],
        },
      }),
    );
    render(<App />);
    await screen.findByText("Green Lane LLC");
    const title = screen.getByTestId("last-checked").getAttribute("title") ?? "";
    expect(title).toContain("1 order dated in the future: 5000001, 9999-12-31 — check the marketplace");
    expect(title).toContain("Company 251 was left out of the company list from ConnectWise");
  });

  it("checks the connection after showing the cache, and says how old the data is when offline", async () => {
    const probe = deferred<ipc.IpcError | { state: "offline"; message: string }>();
    api.checkConnectivity.mockImplementation(() =>
      probe.promise.then((v) => (v instanceof ipc.IpcError ? Promise.reject(v) : v)),
    );
    api.appStatus.mockResolvedValue(
      makeStatus({ demo: false, profileName: "Contoso", lastCheckedAt: new Date(Date.now() - 2 * 3_600_000 - 60_000).toISOString() }),
    );
    render(<App />);
    await screen.findByText("Green Lane LLC");
    expect(screen.getByTestId("connectivity")).toHaveTextContent("Checking…");
    expect(screen.queryByText("Demo mode — simulated data")).not.toBeInTheDocument();

    await act(async () => probe.resolve({ state: "offline", message: "can't reach api.cloud.im" }));
    // The badge is short; why is its tooltip, and the line under the header.
    expect(screen.getByTestId("connectivity")).toHaveTextContent(/^Offline$/);
    expect(screen.getByTestId("connectivity")).toHaveAttribute("title", "can't reach api.cloud.im");
    expect(screen.getByTestId("connectivity")).toHaveAccessibleDescription(/can't reach api\.cloud\.im/);
    expect(screen.getByTestId("offline-banner")).toHaveTextContent("Offline — showing cached data from 2 h ago");
    expect(screen.getByTestId("offline-banner")).toHaveTextContent("can't reach api.cloud.im");
    // The cache stays readable.
    expect(rows().length).toBeGreaterThan(5);
  });
});

describe("profiles", () => {
  const CONTOSO = makeProfileSummary();

  beforeEach(() => {
    api.listProfiles.mockResolvedValue(makeProfiles({ profiles: [DEMO_PROFILE, CONTOSO] }));
  });

  it("switches profile from the header and starts the window over on it", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByText("Green Lane LLC"));
    expect(rows()[0]).toHaveAttribute("aria-selected", "true");
    const select = await screen.findByTestId("profile-switch");
    expect(select).toHaveAccessibleName("Profile");
    expect(select).toHaveValue("demo");
    expect(within(select).getAllByRole("option").map((option) => option.textContent)).toEqual(["Demo", "Contoso"]);
    await waitFor(() => expect(screen.getByTestId("connectivity")).toHaveTextContent("Online"));

    const run = deferred<AppStatus>();
    api.switchProfile.mockReturnValue(run.promise);
    const reads = api.listTasks.mock.calls.length;
    const probes = api.checkConnectivity.mock.calls.length;
    await user.selectOptions(select, "Contoso");
    expect(api.switchProfile).toHaveBeenCalledWith("contoso");
    expect(select).toBeDisabled();
    // Still the old one until it has switched.
    expect(select).toHaveValue("demo");

    tasks = new FakeTasks(2);
    tasks.rows.forEach((row, i) => (row.customerName = `Contoso customer ${i + 1}`));
    api.listProfiles.mockResolvedValue(makeProfiles({ activeId: "contoso", profiles: [DEMO_PROFILE, CONTOSO] }));
    await act(async () => run.resolve(makeStatus({ profileName: "Contoso", demo: false, lastCheckedAt: null, taskCount: 2 })));

    expect(select).toBeEnabled();
    expect(select).toHaveValue("contoso");
    expect(screen.queryByTestId("demo-badge")).not.toBeInTheDocument();
    expect(screen.getByTestId("last-checked")).toHaveTextContent("Never checked");
    expect(api.listTasks.mock.calls.length).toBeGreaterThan(reads);
    expect(await screen.findByText("Contoso customer 1")).toBeInTheDocument();
    expect(screen.queryByText("Green Lane LLC")).not.toBeInTheDocument();
    expect(rows().some((row) => row.getAttribute("aria-selected") === "true")).toBe(false);
    await waitFor(() => expect(api.checkConnectivity.mock.calls.length).toBeGreaterThan(probes));
  });

  it("closes the review and clears the check outcome of the other profile", async () => {
    const user = userEvent.setup();
    api.checkChanges.mockRejectedValue(new ipc.IpcError({ code: "unreachable", message: "Can't reach the Cloud Marketplace", field: null }));
    api.openWizard.mockReturnValue(new Promise(() => {}));
    api.switchProfile.mockResolvedValue(makeStatus({ profileName: "Contoso", demo: false }));
    render(<App />);
    await user.click(await screen.findByText("Green Lane LLC"));
    await user.click(screen.getByTestId("check-changes"));
    expect(await screen.findByTestId("error-banner")).toBeInTheDocument();
    await user.click(screen.getByTestId("sync-changes"));
    expect(screen.getByTestId("wizard")).toBeInTheDocument();

    await user.selectOptions(await screen.findByTestId("profile-switch"), "Contoso");
    await waitFor(() => expect(screen.queryByTestId("wizard")).not.toBeInTheDocument());
    expect(screen.queryByTestId("error-banner")).not.toBeInTheDocument();
  });

  it("keeps the profile and shows why when it can't switch", async () => {
    const user = userEvent.setup();
    api.switchProfile.mockRejectedValue(
      new ipc.IpcError({ code: "notFound", message: "The profile Contoso no longer exists.", field: null }),
    );
    render(<App />);
    const select = await screen.findByTestId("profile-switch");
    await user.selectOptions(select, "Contoso");
    expect(await screen.findByTestId("error-banner")).toHaveTextContent("The profile Contoso no longer exists.");
    expect(screen.getByTestId("error-banner")).toHaveTextContent("Couldn't switch profile");
    expect(select).toHaveValue("demo");
    expect(select).toBeEnabled();
    expect(screen.getByTestId("demo-badge")).toBeInTheDocument();
  });

  it("says when the open profile is not set up, and opens Connections to fix it", async () => {
    const user = userEvent.setup();
    api.appStatus.mockResolvedValue(makeStatus({ profileName: "Contoso", demo: false }));
    api.listProfiles.mockResolvedValue(makeProfiles({ activeId: "contoso", profiles: [DEMO_PROFILE, CONTOSO] }));
    api.checkConnectivity.mockResolvedValue({ state: "notSetUp", message: "The ConnectWise private key is not set." });
    api.getProfile.mockResolvedValue(makeProfileForm({ connectwise: { privateKeySet: false } }));
    render(<App />);
    const badge = await screen.findByTestId("connectivity");
    await waitFor(() => expect(badge).toHaveAttribute("data-state", "notSetUp"));
    expect(badge).toHaveTextContent(/^Not set up$/);
    expect(badge).toHaveAttribute("title", "The ConnectWise private key is not set.");
    expect(screen.getByTestId("not-set-up-line")).toHaveTextContent("The ConnectWise private key is not set.");
    // Not set up is not offline.
    expect(screen.queryByTestId("offline-banner")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("fix-connections"));
    expect(await screen.findByTestId("connections")).toBeInTheDocument();
    expect(await screen.findByTestId("secret-state-cw-private-key")).toHaveTextContent("Not set");
  });
});
