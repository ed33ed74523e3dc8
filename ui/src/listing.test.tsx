// The task list and its details pane: what each amount is, what the order changed, a task the search
// or filters hide, and the first check's window refused before anything is checked.

import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "./App";
import * as ipc from "./ipc";
import { FakeTasks, makeStatus } from "./test/fixtures";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);
let tasks: FakeTasks;

function row(orderId: string): HTMLElement {
  const found = screen.queryAllByTestId("task-row").find((r) => r.dataset.orderId === orderId);
  if (found === undefined) throw new Error(`no row for order ${orderId}`);
  return found;
}

beforeEach(() => {
  tasks = new FakeTasks(30);
  // Green Lane's change (+102.00 a month), Wingtip's usage (28.91 once) and Fabrikam's cancellation
  // of a quarterly subscription with a fee (−1050.00 a quarter and 25.00 once: −1025.00 in all).
  tasks.rows[0] = { ...tasks.rows[0]!, orderId: "1000231", currency: "USD", amount: "102.00", recurring: "102.00", per: "month", oneTime: "" };
  tasks.rows[1] = {
    ...tasks.rows[1]!,
    orderId: "1000218",
    taskType: "billingOrder",
    customerName: "Wingtip Toys",
    currency: "USD",
    amount: "28.91",
    recurring: "",
    per: "",
    oneTime: "28.91",
  };
  tasks.rows[2] = {
    ...tasks.rows[2]!,
    orderId: "1000219",
    taskType: "cancellationOrder",
    customerName: "Fabrikam Bank",
    currency: "USD",
    amount: "-1025.00",
    recurring: "-1050.00",
    per: "quarter",
    oneTime: "25.00",
  };
  api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
  api.checkConnectivity.mockResolvedValue({ state: "online" });
  api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
  api.taskDetails.mockImplementation((id, query) => Promise.resolve(tasks.details(id, query)));
});

describe("the list's amounts", () => {
  it("say whether each is per month, per quarter, one-time or both", async () => {
    render(<App />);
    await screen.findByText("Green Lane LLC");
    expect(within(row("1000231")).getByTestId("task-amount")).toHaveTextContent("+102.00 USDper month");
    expect(within(row("1000218")).getByTestId("task-amount")).toHaveTextContent("28.91 USDone-time");
    expect(within(row("1000219")).getByTestId("task-amount")).toHaveTextContent("-1050.00 USDper quarter + once");
    expect(within(row("1000219")).getByTestId("task-amount")).toHaveAttribute(
      "title",
      "-1050.00 USD per quarter (the change of what the agreement bills every quarter), and 25.00 USD billed once",
    );
    // The details say both parts in full.
    await userEvent.setup().click(within(row("1000219")).getByText("Fabrikam Bank"));
    expect(screen.getByTestId("details-amount")).toHaveTextContent("-1050.00 USD per quarter25.00 USD one-time");
  });
});

describe("the details pane", () => {
  it("shows what the order changed, product by product", async () => {
    const user = userEvent.setup();
    api.taskDetails.mockImplementation((id, query) =>
      Promise.resolve({
        ...tasks.details(id, query),
        lines: [
          {
            productName: "Microsoft 365 Business Premium",
            mpn: "CFQ7TTC0LF8R",
            kind: "recurring",
            quantityBefore: "20",
            quantityAfter: "25",
            words: "20 → 25 (+5)",
            amount: "110.00",
          },
          {
            productName: "Exchange Online (Plan 1)",
            mpn: "CFQ7TTC0LH16",
            kind: "recurring",
            quantityBefore: "10",
            quantityAfter: "8",
            words: "10 → 8 (-2)",
            amount: "-8.00",
          },
        ],
      }),
    );
    render(<App />);
    await user.click(await screen.findByText("Green Lane LLC"));
    const details = screen.getByTestId("task-details");
    expect(within(details).getByTestId("details-amount")).toHaveTextContent("+102.00 USD per month");
    const lines = await within(details).findAllByTestId("order-line");
    expect(lines.map((l) => l.textContent)).toEqual([
      "Microsoft 365 Business Premium20 → 25 (+5)110.00 USD",
      "Exchange Online (Plan 1)10 → 8 (-2)-8.00 USD",
    ]);
    expect(api.taskDetails).toHaveBeenCalledWith(1, expect.objectContaining({ search: "" }));
  });

  it("offers no action on a task the search hides, and shows it again on request", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByText("Green Lane LLC"));
    const details = screen.getByTestId("task-details");
    expect(within(details).getByTestId("sync-changes")).toBeInTheDocument();

    await user.type(screen.getByTestId("search"), "wingtip");
    await waitFor(() => expect(screen.queryAllByTestId("task-row")).toHaveLength(1));
    expect(await within(details).findByTestId("details-hidden")).toHaveTextContent("the search and filters (“wingtip”) hide this task");
    expect(within(details).queryByTestId("sync-changes")).not.toBeInTheDocument();
    expect(within(details).queryByTestId("ignore-task")).not.toBeInTheDocument();

    await user.click(within(details).getByTestId("show-hidden-task"));
    expect(screen.getByTestId("search")).toHaveValue("");
    expect(await within(details).findByTestId("sync-changes")).toBeInTheDocument();
    expect(within(details).queryByTestId("details-hidden")).not.toBeInTheDocument();
  });

  it("offers no action on a task that leaves its filter once ignored", async () => {
    const user = userEvent.setup();
    api.setTaskIgnored.mockImplementation((id, reason) => {
      const index = tasks.rows.findIndex((r) => r.id === id);
      const updated = { ...tasks.rows[index]!, status: "ignored" as const, ignoredReason: reason };
      tasks.rows[index] = updated;
      return Promise.resolve(updated);
    });
    render(<App />);
    await screen.findByText("Green Lane LLC");
    await user.selectOptions(screen.getByTestId("filter-status"), "Pending");
    await user.click(await screen.findByText("Green Lane LLC"));
    const details = screen.getByTestId("task-details");
    await user.click(within(details).getByTestId("ignore-task"));
    await user.type(within(details).getByTestId("ignore-reason"), "billed by hand{Enter}");
    expect(await within(details).findByTestId("details-hidden")).toHaveTextContent("(Pending)");
    expect(within(details).queryByTestId("unignore-task")).not.toBeInTheDocument();
  });
});

describe("the first check's window", () => {
  beforeEach(() => {
    tasks = new FakeTasks(0);
    api.appStatus.mockResolvedValue(makeStatus({ lastCheckedAt: null, firstCheckDays: 30 }));
  });

  it("is refused, and nothing is checked, when it can't be used", async () => {
    const user = userEvent.setup();
    api.setFirstCheckDays.mockRejectedValue(
      new ipc.IpcError({ code: "invalid", message: "The first check can read between 1 and 365 days back.", field: "firstCheckDays" }),
    );
    render(<App />);
    const field = await screen.findByTestId("first-check-days");
    // The saved value arrives after the field is drawn: cleared before, it would come back
    // under the typing ("30" + "0").
    await waitFor(() => expect(field).toHaveValue("30"));
    for (const typed of ["0", "400"]) {
      await user.clear(field);
      await user.type(field, typed);
      await user.click(screen.getByTestId("check-changes"));
      expect(await screen.findByTestId("first-check-days-error")).toHaveTextContent("between 1 and 365 days");
      // The refusal shown may still be the previous value's while this one is being saved.
      await waitFor(() => expect(api.setFirstCheckDays).toHaveBeenLastCalledWith(Number(typed)));
    }
    await user.clear(field);
    await user.type(field, "abc");
    await user.click(screen.getByTestId("check-changes"));
    expect(await screen.findByTestId("first-check-days-error")).toHaveTextContent("Enter a whole number of days.");
    expect(api.checkChanges).not.toHaveBeenCalled();
  });

  it("is saved before Check Changes reads with it", async () => {
    const user = userEvent.setup();
    const order: string[] = [];
    api.setFirstCheckDays.mockImplementation((days) => {
      order.push(`set ${String(days)}`);
      return Promise.resolve();
    });
    api.checkChanges.mockImplementation(() => {
      order.push("check");
      return new Promise(() => {});
    });
    render(<App />);
    const field = await screen.findByTestId("first-check-days");
    // The saved window first (under load it can arrive after the clear and come back under the
    // typing: "30" + "7" sent as 307).
    await waitFor(() => expect(field).toHaveValue("30"));
    await user.clear(field);
    await user.type(field, "7");
    await user.click(screen.getByTestId("check-changes"));
    await waitFor(() => expect(api.checkChanges).toHaveBeenCalledTimes(1));
    expect(order.at(-1)).toBe("check");
    expect(order).toContain("set 7");
    expect(screen.queryByTestId("first-check-days-error")).not.toBeInTheDocument();
  });
});
