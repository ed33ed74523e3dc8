import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { WizardEdit } from "./bindings/WizardEdit";
import type { WizardView } from "./bindings/WizardView";
import { App } from "./App";
import { NextInvoicePanel } from "./components/wizard/NextInvoicePanel";
import { ReviewWizard } from "./components/wizard/ReviewWizard";
import * as ipc from "./ipc";
import { FakeTasks, deferred, makeStatus } from "./test/fixtures";
import { addStyleSheets } from "./test/styles";
import { TEST_NOW } from "./test/now";
import {
  ADD_M365,
  CALENDAR_UNREADABLE,
  CATCH_UP_M365,
  CREDIT_EXO,
  CREDIT_EXO_NOVEMBER,
  GREEN_LANDSCAPING,
  GREEN_LANE,
  agreementStep,
  catchUpView,
  greenLaneTask,
  mappedView,
  planStep,
  plannedView,
  unmappedView,
  withRow,
} from "./test/wizard";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);

function edits(): WizardEdit[] {
  return api.editWizard.mock.calls.map(([, edit]) => edit);
}

function planRow(key: string): HTMLElement {
  const found = screen.getAllByTestId("plan-row").find((element) => element.dataset.rowKey === key);
  if (found === undefined) throw new Error(`no plan row ${key}`);
  return found;
}

function renderWizard(onClose = vi.fn()) {
  render(<ReviewWizard task={greenLaneTask()} now={new Date(TEST_NOW)} onClose={onClose} />);
  return onClose;
}

beforeEach(() => {
  vi.resetAllMocks();
  const tasks = new FakeTasks(20);
  api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
  api.checkConnectivity.mockResolvedValue({ state: "online" });
  api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
  api.openWizard.mockResolvedValue(plannedView());
  api.editWizard.mockResolvedValue(plannedView());
  api.searchCompanies.mockResolvedValue([]);
  api.searchCatalog.mockResolvedValue([]);
});

describe("opening and closing", () => {
  it("opens from the details pane of a pending task, with the age of the ConnectWise data", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByText("Green Lane LLC"));
    const details = screen.getByTestId("task-details");
    await user.click(within(details).getByTestId("sync-changes"));

    expect(api.openWizard).toHaveBeenCalledWith(1);
    const wizard = await screen.findByTestId("wizard");
    expect(await within(wizard).findByTestId("connectwise-age")).toHaveTextContent("ConnectWise data from 12 min ago");
    const title = within(wizard).getByRole("heading", { level: 2 });
    expect(title).toHaveTextContent("Green Lane LLC 1000048531");
    expect(wizard).toHaveTextContent("Change Order");
    expect(wizard).toHaveTextContent("1000231");
    // A planned draft reopens on its changes.
    expect(within(wizard).getByTestId("step-changes")).toBeInTheDocument();
    expect(within(wizard).getByTestId("wizard-step-changes")).toHaveAttribute("aria-current", "step");
  });

  it("offers Sync Changes for pending and failed tasks, the sync history for synced ones", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByText("Customer 00002")); // synced
    const history = within(screen.getByTestId("task-details")).getByTestId("sync-changes");
    expect(history).toHaveTextContent("Sync history");
    expect(history).toHaveAttribute("data-action", "history");
    await user.click(screen.getByText("Customer 00003")); // ignored
    expect(within(screen.getByTestId("task-details")).queryByTestId("sync-changes")).not.toBeInTheDocument();
    await user.click(screen.getByText("Customer 00004")); // failed
    expect(within(screen.getByTestId("task-details")).getByTestId("sync-changes")).toHaveTextContent("Sync Changes");
  });

  it("closes with Back to tasks or Escape, gives the list back, and reopens the draft", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByText("Green Lane LLC"));
    await user.click(screen.getByTestId("sync-changes"));
    await screen.findByTestId("step-changes");

    expect(screen.getByTestId("wizard-close")).toHaveTextContent("Back to tasks");
    await user.click(screen.getByTestId("wizard-close"));
    expect(screen.queryByTestId("wizard")).not.toBeInTheDocument();
    expect(screen.getByTestId("task-list")).toHaveFocus();
    expect(screen.getByTestId("task-details")).toHaveAttribute("data-task-id", "1");

    await user.click(screen.getByTestId("sync-changes"));
    await screen.findByTestId("step-changes");
    expect(api.openWizard).toHaveBeenCalledTimes(2);
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("wizard")).not.toBeInTheDocument();
    expect(screen.getByTestId("task-list")).toHaveFocus();
  });

  it("shows why it could not open, and tries again", async () => {
    const user = userEvent.setup();
    api.openWizard.mockRejectedValueOnce(
      new ipc.IpcError({ code: "notFound", message: "The subscription of task 1 is not cached.", field: null }),
    );
    renderWizard();
    expect(await screen.findByTestId("wizard-error")).toHaveTextContent("The subscription of task 1 is not cached.");
    // The header still says which task it is.
    expect(screen.getByRole("heading", { level: 2 })).toHaveTextContent("Green Lane LLC");
    await user.click(screen.getByTestId("wizard-retry"));
    expect(await screen.findByTestId("step-changes")).toBeInTheDocument();
    expect(screen.queryByTestId("wizard-error")).not.toBeInTheDocument();
  });

  it("says when no ConnectWise data was read yet", async () => {
    api.openWizard.mockResolvedValue({ ...unmappedView(), connectwiseFetchedAt: null });
    renderWizard();
    expect(await screen.findByTestId("connectwise-age")).toHaveTextContent("No ConnectWise data read yet");
  });
});

describe("customer and agreement", () => {
  beforeEach(() => {
    api.openWizard.mockResolvedValue(unmappedView());
    api.editWizard.mockImplementation((_taskId, edit) => {
      switch (edit.kind) {
        case "mapCustomer":
          return Promise.resolve(mappedView());
        case "chooseAgreement":
          return Promise.resolve({ ...plannedView(), agreements: agreementStep({ chosen: edit.agreementId }) });
        default:
          return Promise.resolve(plannedView());
      }
    });
  });

  it("picks a suggested company, then an agreement; unfit agreements are disabled with their reason", async () => {
    const user = userEvent.setup();
    renderWizard();
    const step = await screen.findByTestId("step-customer");
    expect(screen.getByTestId("wizard-step-agreement")).toBeDisabled();
    expect(screen.getByTestId("wizard-step-changes")).toBeDisabled();
    expect(screen.getByTestId("wizard-next")).toBeDisabled();

    const options = within(step).getAllByTestId("company-option");
    expect(options.map((o) => o.dataset.companyId)).toEqual(["250", "311"]);
    expect(options[0]).toHaveTextContent("Green Lane LLC");
    expect(options[0]).toHaveTextContent("GreenLane");
    expect(options[0]).toHaveTextContent("92% match");
    expect(options[1]).toHaveTextContent("guess — 61% alike");

    await user.click(options[0] as HTMLElement);
    expect(api.editWizard).toHaveBeenCalledWith(1, { kind: "mapCustomer", companyId: 250 });

    // The agreements of the company come next.
    const agreements = await screen.findByTestId("step-agreement");
    expect(screen.getByTestId("wizard-step-agreement")).toHaveAttribute("aria-current", "step");
    const items = within(agreements).getAllByTestId("agreement-option");
    expect(items.map((i) => [i.dataset.agreementId, i.dataset.fits])).toEqual([
      ["7001", "true"],
      ["7002", "true"],
      ["7003", "false"],
      ["7004", "false"],
    ]);
    const yearly = within(agreements).getByRole("radio", { name: /Annual licences/ });
    expect(yearly).toBeDisabled();
    expect(yearly).toHaveAccessibleDescription("Yearly — subscription is Monthly");
    expect(items[3]).toHaveTextContent("EUR — subscription is USD");
    expect(within(items[1] as HTMLElement).getByTestId("prorate-flag")).toHaveTextContent("ConnectWise proration on");
    expect(within(items[0] as HTMLElement).queryByTestId("prorate-flag")).not.toBeInTheDocument();
    expect(screen.getByTestId("wizard-next")).toBeDisabled();

    await user.click(yearly);
    expect(edits().some((e) => e.kind === "chooseAgreement")).toBe(false);

    await user.click(within(agreements).getByRole("radio", { name: /Microsoft 365/ }));
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "chooseAgreement", agreementId: 7001 });
    await waitFor(() => expect(screen.getByTestId("wizard-next")).toBeEnabled());
    expect(within(agreements).getByRole("radio", { name: /Microsoft 365/ })).toBeChecked();

    await user.click(screen.getByTestId("wizard-next"));
    expect(await screen.findByTestId("step-changes")).toBeInTheDocument();
    expect(screen.getAllByTestId("plan-row")).toHaveLength(7);
  });

  it("searches companies by name or identifier once the typing stops", async () => {
    const user = userEvent.setup();
    api.searchCompanies.mockResolvedValue([{ ...GREEN_LANDSCAPING, score: 40 }]);
    renderWizard();
    await screen.findByTestId("step-customer");
    await user.type(screen.getByTestId("company-search"), "greenland");
    const results = await screen.findByTestId("company-results");
    expect(api.searchCompanies).toHaveBeenCalledTimes(1);
    expect(api.searchCompanies).toHaveBeenCalledWith(1, "greenland");
    // Found by a search, still only 40% alike: a guess, mapped once confirmed.
    await user.click(within(results).getByTestId("company-option"));
    expect(api.editWizard).not.toHaveBeenCalled();
    await user.click(within(results).getByTestId("guess-confirm-yes"));
    expect(api.editWizard).toHaveBeenCalledWith(1, { kind: "mapCustomer", companyId: 311 });
  });

  it("asks before mapping the customer to a company that is only a guess", async () => {
    const user = userEvent.setup();
    renderWizard();
    const step = await screen.findByTestId("step-customer");
    const guess = within(step).getAllByTestId("company-option")[1] as HTMLElement;
    expect(guess).toHaveAttribute("data-likeness", "guess");
    expect(guess).toHaveAttribute("aria-pressed", "false");

    await user.click(guess);
    expect(api.editWizard).not.toHaveBeenCalled();
    const question = within(step).getByTestId("guess-confirm");
    expect(question).toHaveAttribute("role", "alertdialog");
    expect(question).toHaveTextContent("Map Green Lane LLC to Green Land Landscaping (GreenLand) for every later task?");
    expect(question).toHaveTextContent("61% alike");
    await user.click(within(question).getByTestId("guess-confirm-no"));
    expect(within(step).queryByTestId("guess-confirm")).not.toBeInTheDocument();
    expect(guess).toHaveFocus();
    expect(api.editWizard).not.toHaveBeenCalled();

    await user.click(guess);
    await user.click(within(step).getByTestId("guess-confirm-yes"));
    expect(api.editWizard).toHaveBeenCalledWith(1, { kind: "mapCustomer", companyId: 311 });
  });

  it("shows the mapped company with a Change button", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(mappedView());
    renderWizard();
    await screen.findByTestId("step-agreement");
    await user.click(screen.getByTestId("wizard-step-customer"));
    const mapped = screen.getByTestId("mapped-company");
    expect(mapped).toHaveTextContent("Green Lane LLC");
    expect(mapped).toHaveAttribute("data-company-id", String(GREEN_LANE.id));
    expect(screen.queryByTestId("company-option")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("change-company"));
    expect(screen.getAllByTestId("company-option")).toHaveLength(2);
    expect(screen.getByTestId("company-search")).toBeInTheDocument();
  });

  it("says prominently when no agreement fits", async () => {
    api.openWizard.mockResolvedValue({
      ...mappedView(),
      agreements: agreementStep({
        options: agreementStep().options.map((o) => ({ ...o, fits: false, reason: o.reason ?? "Ended 2026-06-30" })),
        message: "No agreement of Green Lane LLC bills Monthly in USD: create one in ConnectWise, then Check Changes.",
      }),
    });
    renderWizard();
    expect(await screen.findByTestId("no-agreement")).toHaveTextContent("create one in ConnectWise");
    expect(screen.getAllByRole("radio").every((radio) => (radio as HTMLInputElement).disabled)).toBe(true);
  });
});

describe("changes", () => {
  it("shows every row with its action, values and amount, current additions muted", async () => {
    renderWizard();
    await screen.findByTestId("step-changes");
    const rows = screen.getAllByTestId("plan-row");
    expect(rows.map((r) => r.dataset.action)).toEqual(["unchanged", "cancel", "add", "prorate", "cancel", "add", "prorate"]);

    const unchanged = planRow("unchanged:30190");
    expect(unchanged).toHaveClass("plan-row-unchanged");
    expect(within(unchanged).queryByTestId("select-row")).not.toBeInTheDocument();
    expect(within(unchanged).queryByTestId("edit-row")).not.toBeInTheDocument();
    expect(within(unchanged).getByTestId("row-action")).toHaveTextContent("Unchanged");

    const prorate = planRow("prorate:CFQ7TTC0LCHC:0002");
    expect(within(prorate).getByTestId("row-action")).toHaveTextContent("Prorate (one-time)");
    expect(within(prorate).getByTestId("select-row")).toBeChecked();
    expect(prorate).toHaveTextContent("M365-BP");
    expect(within(prorate).getByTestId("row-quantity")).toHaveTextContent("5");
    expect(within(prorate).getByTestId("row-unit-price")).toHaveTextContent("11.0000");
    expect(within(prorate).getByTestId("row-ext-price")).toHaveTextContent("55.00");

    const credit = planRow(CREDIT_EXO);
    expect(within(credit).getByTestId("row-ext-price")).toHaveTextContent("-4.00");
    expect(within(credit).getByTestId("row-note")).toHaveTextContent("deselect it to give no credit");
    expect(screen.getByTestId("plan-note")).toHaveTextContent("inside the period");
  });

  it("sends the quantity exactly as typed after a pause and shows the amounts Rust returns", async () => {
    const user = userEvent.setup();
    renderWizard();
    await screen.findByTestId("step-changes");
    api.editWizard.mockResolvedValue(
      withRow(plannedView(), ADD_M365, { quantity: "30", extPrice: "660.00", edited: ["quantity"] }, { summary: { recurringAfter: "846.00" } }),
    );

    const row = planRow(ADD_M365);
    await user.click(within(row).getByTestId("edit-row"));
    const quantity = within(row).getByTestId("row-input-quantity");
    expect(quantity).toHaveValue("25");
    expect(quantity).toHaveAttribute("inputmode", "decimal");
    await user.clear(quantity);
    await user.type(quantity, "30");

    await waitFor(() => expect(within(planRow(ADD_M365)).getByTestId("row-ext-price")).toHaveTextContent("660.00"));
    // One edit, after the typing stopped, with the text as typed.
    expect(edits()).toEqual([{ kind: "editRow", rowKey: ADD_M365, field: "quantity", value: "30" }]);
    expect(quantity).toHaveValue("30");
    expect(within(planRow(ADD_M365)).getByTestId("row-quantity")).toHaveTextContent("30");
    expect(within(planRow(ADD_M365)).getByTestId("edited-marker")).toBeInTheDocument();

    await user.click(screen.getByTestId("wizard-step-summary"));
    expect(screen.getByTestId("summary-recurring-after")).toHaveTextContent("846.00");
  });

  it("shows a problem Rust returns under its field, and then Sync is not ready", async () => {
    const user = userEvent.setup();
    renderWizard();
    await screen.findByTestId("step-changes");
    const message = "Quantity: only a prorate credit may be negative.";
    api.editWizard.mockResolvedValue(
      withRow(
        plannedView(),
        ADD_M365,
        { quantity: "-3", extPrice: "", edited: ["quantity"] },
        { problems: [{ rowKey: ADD_M365, field: "quantity", message }] },
      ),
    );

    await user.click(within(planRow(ADD_M365)).getByTestId("edit-row"));
    const quantity = within(planRow(ADD_M365)).getByTestId("row-input-quantity");
    await user.clear(quantity);
    await user.type(quantity, "-3");

    const problem = await within(planRow(ADD_M365)).findByTestId("field-problem");
    expect(problem).toHaveTextContent(message);
    expect(problem).toHaveAttribute("role", "alert");
    expect(quantity).toHaveAttribute("aria-invalid", "true");
    expect(quantity).toHaveAccessibleDescription(message);
    expect(within(planRow(ADD_M365)).getByTestId("row-ext-price")).toHaveTextContent("—");
    expect(within(planRow(ADD_M365)).getByTestId("row-input-unitPrice")).toHaveAttribute("aria-invalid", "false");

    await user.click(screen.getByTestId("wizard-step-summary"));
    const readiness = screen.getByTestId("sync-readiness");
    expect(readiness).toHaveAttribute("data-ready", "false");
    expect(readiness).toHaveTextContent("1 problem must be fixed first");

    // The readiness line leads to the problem.
    await user.click(readiness);
    expect(screen.getByTestId("step-changes")).toBeInTheDocument();
    await waitFor(() => expect(within(planRow(ADD_M365)).getByTestId("row-input-quantity")).toHaveFocus());
  });

  it("opens the editor of a row with a problem and lists task problems at the top", async () => {
    api.openWizard.mockResolvedValue(
      withRow(
        plannedView(),
        CREDIT_EXO,
        { cancelDate: "2026-11-10" },
        {
          problems: [
            { rowKey: CREDIT_EXO, field: "cancelDate", message: "The cancel date is before the effective date." },
            { rowKey: null, field: "effectiveDate", message: "The effective date is after the agreement's end (2026-10-31)." },
          ],
        },
      ),
    );
    renderWizard();
    await screen.findByTestId("step-changes");
    const row = planRow(CREDIT_EXO);
    expect(within(row).getByTestId("row-input-cancelDate")).toHaveAttribute("aria-invalid", "true");
    expect(within(row).getByTestId("field-problem")).toHaveTextContent("before the effective date");
    expect(screen.getByTestId("step-problem")).toHaveTextContent("after the agreement's end");
    expect(screen.getByTestId("effective-date")).toHaveAttribute("aria-invalid", "true");
  });

  it("selects rows, switches the price source, edits choices and resets a row", async () => {
    const user = userEvent.setup();
    const opened = withRow(plannedView(), ADD_M365, { edited: ["taxable"], taxable: true });
    api.openWizard.mockResolvedValue(opened);
    api.editWizard.mockResolvedValue(opened);
    renderWizard();
    await screen.findByTestId("step-changes");

    await user.click(within(planRow(CREDIT_EXO)).getByTestId("select-row"));
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "selectRow", rowKey: CREDIT_EXO, selected: false });

    await user.click(screen.getByTestId("price-source-connectWise"));
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "setPriceSourceAll", source: "connectWise" });

    const row = planRow(ADD_M365);
    await user.click(within(row).getByTestId("edit-row"));
    await user.selectOptions(within(row).getByTestId("row-input-billCustomer"), "DoNotBill");
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "editRow", rowKey: ADD_M365, field: "billCustomer", value: "DoNotBill" });
    await user.click(within(row).getByTestId("row-input-taxable"));
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "editRow", rowKey: ADD_M365, field: "taxable", value: "false" });
    await user.selectOptions(within(row).getByTestId("row-input-priceSource"), "ConnectWise");
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "editRow", rowKey: ADD_M365, field: "priceSource", value: "connectWise" });

    await user.click(within(row).getByTestId("reset-row"));
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "resetRow", rowKey: ADD_M365 });
  });

  it("marks the rows ConnectWise already holds, from any desk; those Sync won't send can't be selected", async () => {
    const user = userEvent.setup();
    const PRORATE_M365 = "prorate:CFQ7TTC0LCHC:0002";
    let view = withRow(plannedView(), ADD_M365, {
      found: { kind: "keyed", additionId: 40123, words: "Written by Agreement Sync on 2026-11-16 (addition 40123): not written again." },
    });
    view = withRow(view, "cancel:30212", {
      found: { kind: "asPlanned", additionId: 30212, words: "Addition 30212 already ends on 2026-11-15: nothing to send." },
    });
    view = withRow(view, PRORATE_M365, {
      selected: false,
      found: { kind: "twin", additionId: 40188, words: "Addition 40188 has the same product, quantity, price and dates, without a key. Select the row to add another." },
    });
    view = withRow(view, "cancel:30211", {
      selected: false,
      found: { kind: "conflict", additionId: 30211, words: "Addition 30211 already has the cancel date 2026-11-30: not overwritten unless selected." },
    });
    api.openWizard.mockResolvedValue(view);
    api.editWizard.mockResolvedValue(view);
    renderWizard();
    await screen.findByTestId("step-changes");

    const badge = (key: string) => within(planRow(key)).getByTestId("row-found");
    expect([ADD_M365, "cancel:30212", PRORATE_M365, "cancel:30211"].map((key) => [badge(key).dataset.kind, badge(key).textContent])).toEqual([
      ["keyed", "In ConnectWise"],
      ["asPlanned", "Already as planned"],
      ["twin", "Identical addition exists"],
      ["conflict", "Cancel date conflict"],
    ]);
    expect(within(planRow(ADD_M365)).getByTestId("row-found-words")).toHaveTextContent("Written by Agreement Sync on 2026-11-16 (addition 40123)");
    expect(within(planRow(PRORATE_M365)).getByTestId("row-found-words")).toHaveTextContent("Select the row to add another.");
    expect(within(planRow("add:CFQ7TTC0LH16:0001")).queryByTestId("row-found")).not.toBeInTheDocument();

    // Already there: muted, not struck out, and the selection can't be changed.
    const keyed = within(planRow(ADD_M365)).getByTestId("select-row");
    expect(planRow(ADD_M365)).toHaveClass("plan-row-found");
    expect(planRow(ADD_M365)).not.toHaveClass("plan-row-off");
    expect(keyed).toBeDisabled();
    expect(keyed).not.toBeChecked();
    expect(keyed).toHaveAttribute("title", "Already in ConnectWise (addition 40123): not written again");
    const asPlanned = within(planRow("cancel:30212")).getByTestId("select-row");
    expect(asPlanned).toBeDisabled();
    expect(asPlanned).toHaveAttribute("title", "Addition 30212 already holds every planned value: nothing to send");
    await user.click(keyed);
    expect(api.editWizard).not.toHaveBeenCalled();

    // A twin or a conflict starts unselected: the person decides.
    const twin = within(planRow(PRORATE_M365)).getByTestId("select-row");
    expect(twin).toBeEnabled();
    expect(twin).not.toBeChecked();
    expect(planRow(PRORATE_M365)).toHaveClass("plan-row-off");
    await user.click(twin);
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "selectRow", rowKey: PRORATE_M365, selected: true });
    expect(within(planRow("cancel:30211")).getByTestId("select-row")).toBeEnabled();
  });

  it("shows what a cancel row stops billing, with no price source and no amount", async () => {
    renderWizard();
    await screen.findByTestId("step-changes");
    const cancel = planRow("cancel:30211");
    expect(within(cancel).getByTestId("row-stops")).toHaveTextContent("stops 440.00 / period from 2026-11-16");
    expect(within(cancel).queryByTestId("row-ext-price")).not.toBeInTheDocument();
    expect(cancel).not.toHaveTextContent("Cloud Marketplace");
    expect(within(planRow(ADD_M365)).getByTestId("row-ext-price")).toHaveTextContent("550.00");
    // Taxable says where it comes from.
    expect(within(cancel).getByTitle("As on addition 30211")).toBeInTheDocument();
    expect(within(planRow(ADD_M365)).getByTitle("From catalog item M365-BP")).toBeInTheDocument();
  });

  it("shows why a Billing Order takes no effective date, instead of a date field", async () => {
    const view = plannedView();
    if (view.plan !== null) view.plan = { ...view.plan, effectiveDateNotUsed: "A Billing Order bills the period that closed before the order." };
    api.openWizard.mockResolvedValue(view);
    renderWizard();
    await screen.findByTestId("step-changes");
    expect(screen.queryByTestId("effective-date")).not.toBeInTheDocument();
    expect(screen.getByTestId("effective-date-not-used")).toHaveTextContent("bills the period that closed before the order");
  });

  it("shows saved edits that can't be used and resets them", async () => {
    const user = userEvent.setup();
    const problem =
      "This task's saved edits cannot be read (they may come from another version of the app). Reset this task's edits to review it again from the order.";
    const broken: WizardView = {
      ...plannedView(),
      draftProblem: problem,
      problems: [{ rowKey: null, field: "draft", message: problem }],
    };
    if (broken.plan !== null) broken.plan = { ...broken.plan, summary: { ...broken.plan.summary, ready: false } };
    api.openWizard.mockResolvedValue(broken);
    api.editWizard.mockResolvedValue(plannedView());
    renderWizard();
    const banner = await screen.findByTestId("draft-problem");
    expect(banner).toHaveTextContent("Saved edits can't be used");
    expect(banner).toHaveTextContent("cannot be read");
    expect(screen.getByTestId("step-changes")).not.toHaveTextContent("cannot be read");
    await user.click(within(banner).getByTestId("reset-task"));
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "resetTask" });
    await waitFor(() => expect(screen.queryByTestId("draft-problem")).toBeNull());
  });

  it("sends at once on Enter, and sends what was typed when the wizard closes", async () => {
    const user = userEvent.setup();
    const onClose = renderWizard();
    await screen.findByTestId("step-changes");
    await user.click(within(planRow(ADD_M365)).getByTestId("edit-row"));
    const price = within(planRow(ADD_M365)).getByTestId("row-input-unitPrice");
    await user.clear(price);
    await user.type(price, "21.5{Enter}");
    // No pause needed: Enter sent it.
    expect(edits()).toEqual([{ kind: "editRow", rowKey: ADD_M365, field: "unitPrice", value: "21.5" }]);

    const cost = within(planRow(ADD_M365)).getByTestId("row-input-unitCost");
    await user.clear(cost);
    await user.type(cost, "17");
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalledTimes(1);
    cleanup();
    expect(edits().at(-1)).toEqual({ kind: "editRow", rowKey: ADD_M365, field: "unitCost", value: "17" });
  });

  it("sends the effective date of the order as typed", async () => {
    const user = userEvent.setup();
    renderWizard();
    await screen.findByTestId("step-changes");
    const date = screen.getByTestId("effective-date");
    expect(date).toHaveValue("2026-11-16");
    await user.clear(date);
    await user.type(date, "2026-11-20");
    await waitFor(() => expect(edits()).toEqual([{ kind: "setEffectiveDate", value: "2026-11-20" }]));
  });

  it("maps a product from the suggestions or the catalog search, and picks an existing addition", async () => {
    const user = userEvent.setup();
    const option = (id: number, identifier: string, score: number | null) => ({
      id,
      identifier,
      description: `${identifier} item`,
      price: "4.00",
      score,
      likeness: score === null ? null : score >= 90 ? ("match" as const) : ("guess" as const),
    });
    const unmapped: WizardView = {
      ...plannedView(),
      plan: planStep({
        products: [{ productKey: "CFQ7TTC0LH16:0001", name: "Exchange Online (Plan 1)", catalog: null, suggestions: [option(41, "EXO-P1", 95)] }],
        choices: [{ productKey: "CFQ7TTC0LCHC:0002", productName: "Microsoft 365 Business Premium", additionIds: [30211, 30215], kept: null }],
      }),
    };
    api.openWizard.mockResolvedValue(unmapped);
    api.editWizard.mockResolvedValue(unmapped);
    api.searchCatalog.mockResolvedValue([option(42, "EXO-P1-NCE", null)]);
    renderWizard();
    await screen.findByTestId("step-changes");

    const mapping = screen.getByTestId("product-mapping");
    expect(mapping).toHaveAttribute("data-product-key", "CFQ7TTC0LH16:0001");
    const suggested = within(mapping).getByTestId("catalog-option");
    expect(suggested).toHaveAttribute("data-catalog-id", "41");
    expect(suggested).toHaveTextContent("95% match");
    await user.click(suggested);
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "mapProduct", productKey: "CFQ7TTC0LH16:0001", catalogId: 41 });

    await user.type(within(screen.getByTestId("product-mapping")).getByTestId("catalog-search"), "nce");
    const results = await screen.findByTestId("catalog-results");
    expect(api.searchCatalog).toHaveBeenCalledWith("nce");
    await user.click(within(results).getByTestId("catalog-option"));
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "mapProduct", productKey: "CFQ7TTC0LH16:0001", catalogId: 42 });

    const choice = screen.getByTestId("addition-choice");
    const additions = within(choice).getAllByTestId("addition-option");
    expect(additions[0]).toHaveTextContent("20 × 22.00");
    await user.click(additions[1] as HTMLElement);
    expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "chooseAddition", productKey: "CFQ7TTC0LCHC:0002", additionId: 30215 });
  });

  it("shows a weak suggestion as a guess, never as the default, and asks before keeping its mapping", async () => {
    const user = userEvent.setup();
    const removeStyles = addStyleSheets("src/styles/base.css", "src/components/wizard/wizard.css");
    try {
      const catalog = (id: number, identifier: string, description: string, score: number, likeness: "match" | "guess") => ({
        id,
        identifier,
        description,
        price: "49.00",
        score,
        likeness,
      });
      const view: WizardView = {
        ...plannedView(),
        plan: planStep({
          products: [
            {
              productKey: "CFQ7TTC0PBIP:0001_P1M",
              name: "Power BI Pro",
              catalog: null,
              suggestions: [catalog(620, "SETUP-FEE", "Onboarding / setup fee", 59, "guess"), catalog(619, "ACR-CP", "Acronis Cyber Protect", 57, "guess")],
            },
            {
              productKey: "CFQ7TTC0LH16:0001",
              name: "Exchange Online (Plan 1)",
              catalog: null,
              suggestions: [catalog(612, "EXO-P1", "Exchange Online (Plan 1)", 100, "match"), catalog(621, "CANCEL-FEE", "Early cancellation fee", 58, "guess")],
            },
          ],
        }),
      };
      api.openWizard.mockResolvedValue(view);
      api.editWizard.mockResolvedValue(view);
      renderWizard();
      await screen.findByTestId("step-changes");
      const [powerBi, exchange] = screen.getAllByTestId("product-mapping") as [HTMLElement, HTMLElement];

      // A guess says so, in its own words and style; a match as before.
      const guess = within(powerBi).getAllByTestId("catalog-option")[0] as HTMLElement;
      expect(guess).toHaveAttribute("data-likeness", "guess");
      expect(guess).toHaveTextContent("guess — 59% alike");
      expect(guess).not.toHaveTextContent("match");
      const match = within(exchange).getAllByTestId("catalog-option")[0] as HTMLElement;
      expect(match).toHaveAttribute("data-likeness", "match");
      expect(match).toHaveTextContent("100% match");
      const badge = (option: HTMLElement) => {
        const found = option.querySelector<HTMLElement>(".option-score");
        if (found === null) throw new Error("no score badge");
        return getComputedStyle(found);
      };
      // Not the green of a match (jsdom keeps the colours as the variables they name).
      expect(badge(match).color).toBe("var(--synced-fg)");
      expect(badge(guess).color).toBe("var(--warning-fg)");
      expect(badge(guess).getPropertyValue("background")).toBe("transparent");
      // Only guesses: none is chosen, and the list says none is sure.
      expect(within(powerBi).getAllByTestId("catalog-option").every((o) => o.getAttribute("aria-pressed") === "false")).toBe(true);
      expect(within(powerBi).getByTestId("only-guesses")).toHaveTextContent("None of these is a sure match");
      expect(within(exchange).queryByTestId("only-guesses")).not.toBeInTheDocument();

      // A guess is mapped only once confirmed; Escape takes the question back.
      await user.click(guess);
      expect(api.editWizard).not.toHaveBeenCalled();
      const question = within(powerBi).getByTestId("guess-confirm");
      expect(question).toHaveTextContent("Map Power BI Pro to SETUP-FEE Onboarding / setup fee for every later task?");
      expect(within(question).getByTestId("guess-confirm-yes")).toHaveFocus();
      await user.keyboard("{Escape}");
      expect(within(powerBi).queryByTestId("guess-confirm")).not.toBeInTheDocument();
      expect(guess).toHaveFocus();
      expect(screen.getByTestId("wizard")).toBeInTheDocument();
      expect(api.editWizard).not.toHaveBeenCalled();

      await user.click(guess);
      await user.click(within(powerBi).getByTestId("guess-confirm-yes"));
      expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "mapProduct", productKey: "CFQ7TTC0PBIP:0001_P1M", catalogId: 620 });

      // A match maps at once.
      await user.click(match);
      expect(api.editWizard).toHaveBeenLastCalledWith(1, { kind: "mapProduct", productKey: "CFQ7TTC0LH16:0001", catalogId: 612 });
      expect(within(exchange).queryByTestId("guess-confirm")).not.toBeInTheDocument();
    } finally {
      removeStyles();
    }
  });

  it("shows a refused edit in the wizard's error banner", async () => {
    const user = userEvent.setup();
    renderWizard();
    await screen.findByTestId("step-changes");
    api.editWizard.mockRejectedValueOnce(new ipc.IpcError({ code: "invalid", message: "There is no row gone:1.", field: "rowKey" }));
    await user.click(within(planRow(ADD_M365)).getByTestId("select-row"));
    expect(await screen.findByTestId("wizard-error")).toHaveTextContent("There is no row gone:1.");
    // Back to what Rust has.
    expect(within(planRow(ADD_M365)).getByTestId("select-row")).toBeChecked();
    await user.click(screen.getByRole("button", { name: "Dismiss error" }));
    expect(screen.queryByTestId("wizard-error")).not.toBeInTheDocument();
  });

  it("ignores an answer that arrives after a newer one", async () => {
    const user = userEvent.setup();
    renderWizard();
    await screen.findByTestId("step-changes");
    const first = deferred<WizardView>();
    const second = deferred<WizardView>();
    api.editWizard.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);

    await user.click(within(planRow(CREDIT_EXO)).getByTestId("select-row"));
    await user.click(within(planRow(ADD_M365)).getByTestId("select-row"));
    expect(edits()).toHaveLength(2);

    // The newer answer (both deselected) comes first …
    const both = withRow(withRow(plannedView(), CREDIT_EXO, { selected: false }), ADD_M365, { selected: false }, {
      summary: { prorated: "55.00", recurringAfter: "186.00" },
    });
    await act(async () => second.resolve(both));
    // … then the older one (only the credit deselected) must not undo it.
    const older = withRow(plannedView(), CREDIT_EXO, { selected: false }, { summary: { prorated: "55.00" } });
    await act(async () => first.resolve(older));

    expect(planRow(ADD_M365)).toHaveAttribute("data-selected", "false");
    expect(within(planRow(ADD_M365)).getByTestId("select-row")).not.toBeChecked();
    expect(within(planRow(CREDIT_EXO)).getByTestId("select-row")).not.toBeChecked();
    await user.click(screen.getByTestId("wizard-step-summary"));
    expect(screen.getByTestId("summary-recurring-after")).toHaveTextContent("186.00");
  });
});

describe("summary", () => {
  it("shows the amounts exactly as given, the writes, and that Sync is ready", async () => {
    const user = userEvent.setup();
    renderWizard();
    await screen.findByTestId("step-changes");
    await user.click(screen.getByTestId("wizard-next"));
    const summary = screen.getByTestId("step-summary");
    expect(within(summary).getByTestId("summary-agreement")).toHaveTextContent("Green Lane - Microsoft 365 — Green Lane LLC");
    expect(within(summary).getByTestId("summary-currency")).toHaveTextContent("USD");
    expect(within(summary).getByTestId("summary-prorated")).toHaveTextContent(/^51\.00$/);
    expect(within(summary).getByTestId("summary-one-time")).toHaveTextContent(/^51\.00$/);
    expect(within(summary).getByTestId("summary-recurring-before")).toHaveTextContent(/^634\.00$/);
    expect(within(summary).getByTestId("summary-recurring-after")).toHaveTextContent(/^736\.00$/);
    // The agreement's own 150.00, included in both figures, is its own line.
    expect(within(summary).getByTestId("summary-agreement-amount")).toHaveTextContent(/^150\.00$/);
    const writes = within(summary).getAllByTestId("planned-write");
    expect(writes).toHaveLength(6);
    expect(writes[0]).toHaveTextContent("Set cancel date");
    expect(writes[5]).toHaveTextContent("EXO-P1 −2 × 2.0000");
    expect(within(summary).queryByTestId("proration-warning")).not.toBeInTheDocument();

    const readiness = within(summary).getByTestId("sync-readiness");
    expect(readiness).toHaveAttribute("data-ready", "true");
    expect(readiness).toHaveTextContent("Ready: 6 writes to ConnectWise");
    // The last step: Sync instead of Next.
    expect(within(summary).getByRole("button", { name: "Sync" })).toBeEnabled();
    expect(screen.queryByTestId("wizard-next")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("wizard-back"));
    expect(screen.getByTestId("step-changes")).toBeInTheDocument();
  });

  it("lists the writes already in ConnectWise apart, as not written again", async () => {
    const user = userEvent.setup();
    const { writes } = planStep().summary;
    api.openWizard.mockResolvedValue(
      withRow(plannedView(), ADD_M365, {}, { summary: { writes: writes.slice(2), written: writes.slice(0, 2) } }),
    );
    renderWizard();
    await screen.findByTestId("step-changes");
    await user.click(screen.getByTestId("wizard-step-summary"));
    const summary = screen.getByTestId("step-summary");
    expect(within(summary).getAllByTestId("planned-write")).toHaveLength(4);
    expect(within(summary).getByTestId("summary-writes-title")).toHaveTextContent("4 writes to ConnectWise");
    expect(within(summary).getByTestId("summary-written-title")).toHaveTextContent("Already in ConnectWise (2) — not written again");
    const written = within(summary).getAllByTestId("written-write");
    expect(written.map((w) => w.dataset.rowKey)).toEqual(["cancel:30211", ADD_M365]);
    expect(written[1]).toHaveTextContent("Create addition");
    expect(written[1]).toHaveTextContent("M365-BP 25 × 22.00 from 2026-11-16");
    expect(within(summary).getByTestId("sync-readiness")).toHaveTextContent("Ready: 4 writes to ConnectWise");
    expect(within(summary).getByTestId("sync-button")).toHaveTextContent(/^Sync$/);
    expect(within(summary).queryByTestId("summary-already")).not.toBeInTheDocument();
  });

  it("offers to close the task as synced, sending nothing, when every write is already in ConnectWise", async () => {
    const user = userEvent.setup();
    const words =
      "Already in ConnectWise: every write of this task is there (additions 30211, 40123), written from this desk before or from another. Sync sends nothing and closes the task as synced.";
    const { writes } = planStep().summary;
    api.openWizard.mockResolvedValue(withRow(plannedView(), ADD_M365, {}, { summary: { writes: [], written: writes, already: words, ready: true } }));
    renderWizard();
    await screen.findByTestId("step-changes");
    await user.click(screen.getByTestId("wizard-step-summary"));
    const summary = screen.getByTestId("step-summary");
    expect(within(summary).getByTestId("summary-already")).toHaveTextContent(words);
    expect(within(summary).getByTestId("summary-writes-title")).toHaveTextContent("Nothing is sent to ConnectWise");
    expect(summary).not.toHaveTextContent("No change is selected");
    expect(within(summary).queryAllByTestId("planned-write")).toHaveLength(0);
    expect(within(summary).getAllByTestId("written-write")).toHaveLength(6);
    const readiness = within(summary).getByTestId("sync-readiness");
    expect(readiness).toHaveAttribute("data-ready", "true");
    expect(readiness).toHaveTextContent("Ready: every write is already in ConnectWise — Sync sends nothing and closes the task as synced");
    const button = within(summary).getByTestId("sync-button");
    expect(button).toHaveTextContent("Close as synced");
    expect(button).toBeEnabled();
    expect(button).toHaveAttribute("title", "Every write is already in ConnectWise: nothing is sent, and the task is closed as synced");
  });

  it("with problems, lists each where it is with a way back to it, and no amounts or writes", async () => {
    const user = userEvent.setup();
    const quantity = "Quantity must be a number, not “abc”.";
    const date = "The effective date must be a date written like 2026-11-16 (year, month, day), not “2026-13-01”.";
    api.openWizard.mockResolvedValue(
      withRow(
        plannedView(),
        ADD_M365,
        { quantity: "abc", extPrice: "", edited: ["quantity"] },
        {
          problems: [
            { rowKey: null, field: "effectiveDate", message: date },
            { rowKey: ADD_M365, field: "quantity", message: quantity },
          ],
        },
      ),
    );
    renderWizard();
    await screen.findByTestId("step-changes");
    await user.click(screen.getByTestId("wizard-step-summary"));
    const summary = screen.getByTestId("step-summary");

    // Nothing that reads as the plan: no amount, no write, not even "no change is selected".
    for (const id of ["summary-prorated", "summary-one-time", "summary-recurring-before", "summary-recurring-after", "planned-write"]) {
      expect(within(summary).queryByTestId(id)).not.toBeInTheDocument();
    }
    expect(summary).not.toHaveTextContent("550.00");
    expect(summary).not.toHaveTextContent("No change is selected");
    expect(within(summary).getByTestId("summary-agreement")).toHaveTextContent("Green Lane - Microsoft 365");
    expect(within(summary).getByTestId("summary-blocked")).toHaveTextContent("Amounts and writes show once these are fixed");

    const listed = within(summary).getAllByTestId("summary-problem");
    expect(listed.map((p) => within(p).getByTestId("summary-problem-place").textContent)).toEqual([
      "Effective date",
      "Microsoft 365 Business Premium, new addition — Quantity",
    ]);
    expect(listed[1]).toHaveTextContent(quantity);
    expect(listed[1]).toHaveTextContent("Go to Changes");

    const sync = within(summary).getByTestId("sync-button");
    expect(sync).toBeDisabled();
    expect(sync).toHaveAttribute("title", `2 problems must be fixed first — Effective date: ${date}`);
    expect(within(summary).getByTestId("sync-readiness")).toHaveAttribute("data-ready", "false");

    // Back to the row's field.
    await user.click(listed[1] as HTMLElement);
    expect(screen.getByTestId("step-changes")).toBeInTheDocument();
    await waitFor(() => expect(within(planRow(ADD_M365)).getByTestId("row-input-quantity")).toHaveFocus());
    expect(within(planRow(ADD_M365)).getByTestId("row-input-quantity")).toHaveValue("abc");
  });

  it("while the last edit is being checked, shows no amounts and Sync waits", async () => {
    const user = userEvent.setup();
    renderWizard();
    await screen.findByTestId("step-changes");
    const answer = deferred<WizardView>();
    api.editWizard.mockReturnValueOnce(answer.promise);

    await user.click(within(planRow(ADD_M365)).getByTestId("edit-row"));
    const quantity = within(planRow(ADD_M365)).getByTestId("row-input-quantity");
    await user.clear(quantity);
    await user.type(quantity, "abc");
    // Straight to the Summary: leaving the field sends the edit, and its answer is not back yet.
    await user.click(screen.getByTestId("wizard-step-summary"));
    expect(edits()).toEqual([{ kind: "editRow", rowKey: ADD_M365, field: "quantity", value: "abc" }]);
    const summary = screen.getByTestId("step-summary");
    expect(within(summary).getByTestId("summary-checking")).toHaveTextContent("Checking your last edit");
    expect(within(summary).queryByTestId("summary-recurring-after")).not.toBeInTheDocument();
    expect(within(summary).queryByTestId("planned-write")).not.toBeInTheDocument();
    expect(within(summary).getByTestId("sync-button")).toBeDisabled();
    expect(within(summary).getByTestId("sync-button")).toHaveAttribute("title", "Wait: your last edit is still being checked");

    const message = "Quantity must be a number, not “abc”.";
    await act(async () =>
      answer.resolve(
        withRow(plannedView(), ADD_M365, { quantity: "abc", extPrice: "" }, { problems: [{ rowKey: ADD_M365, field: "quantity", message }] }),
      ),
    );
    expect(within(summary).queryByTestId("summary-checking")).not.toBeInTheDocument();
    expect(within(summary).getByTestId("summary-problem")).toHaveTextContent(message);
    expect(within(summary).queryByTestId("summary-recurring-after")).not.toBeInTheDocument();
  });

  it("says why Sync is off when no change is selected", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(withRow(plannedView(), ADD_M365, {}, { summary: { writes: [], ready: false } }));
    renderWizard();
    await screen.findByTestId("step-changes");
    await user.click(screen.getByTestId("wizard-step-summary"));
    const sync = screen.getByTestId("sync-button");
    expect(sync).toBeDisabled();
    expect(sync).toHaveAttribute("title", "No change is selected: select at least one on the Changes step");
  });

  it("warns when the agreement prorates in ConnectWise", async () => {
    const user = userEvent.setup();
    const view = plannedView();
    api.openWizard.mockResolvedValue({
      ...view,
      plan: planStep({
        summary: {
          ...planStep().summary,
          prorated: "0.00",
          prorationWarning: "Green Lane — Managed Services prorates in ConnectWise: no prorate additions are planned.",
        },
      }),
    });
    renderWizard();
    await screen.findByTestId("step-changes");
    await user.click(screen.getByTestId("wizard-step-summary"));
    expect(screen.getByTestId("proration-warning")).toHaveTextContent("no prorate additions are planned");
    expect(screen.getByTestId("summary-prorated")).toHaveTextContent("0.00");
  });
});

describe("the invoice calendar and the next invoice (SPEC §16)", () => {
  async function toSummary(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
    await screen.findByTestId("step-changes");
    await user.click(screen.getByTestId("wizard-step-summary"));
    return screen.getByTestId("step-summary");
  }

  it("says which periods are invoiced at the top of the Changes step and on the Summary", async () => {
    const user = userEvent.setup();
    renderWizard();
    const changes = await screen.findByTestId("step-changes");
    expect(within(changes).getByTestId("plan-calendar")).toHaveTextContent("Invoice calendar Invoiced through 2026-10-31 — last invoice #1041 on 2026-10-01");
    expect(within(changes).queryByTestId("calendar-warning")).not.toBeInTheDocument();

    const summary = await toSummary(user);
    expect(within(summary).getByTestId("summary-calendar")).toHaveTextContent(/^Invoiced through 2026-10-31 — last invoice #1041 on 2026-10-01$/);
    expect(within(summary).queryByTestId("calendar-warning")).not.toBeInTheDocument();
  });

  it("names catch-up and credit rows as such, not as prorates, with the notes that say why", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(catchUpView());
    renderWizard();
    await screen.findByTestId("step-changes");
    expect(screen.getByTestId("plan-calendar")).toHaveTextContent("Invoiced through 2026-11-30 — last invoice #1042 on 2026-11-01");

    const catchUp = planRow(CATCH_UP_M365);
    expect(within(catchUp).getByTestId("row-action")).toHaveTextContent(/^Catch-up$/);
    expect(within(catchUp).getByTestId("row-note")).toHaveTextContent(
      "Catch-up for 2026-11-16 to 2026-11-30 (15 of 30 days): November 2026 already invoiced, #1042, so it is billed on the next invoice.",
    );
    expect(within(catchUp).getByTestId("select-row")).toBeChecked();
    expect(within(catchUp).getByRole("checkbox", { name: "Include: Catch-up Microsoft 365 Business Premium" })).toBeInTheDocument();

    const credit = planRow(CREDIT_EXO_NOVEMBER);
    expect(within(credit).getByTestId("row-action")).toHaveTextContent(/^Credit$/);
    expect(within(credit).getByTestId("select-row")).not.toBeChecked();
    expect(within(credit).getByTestId("row-ext-price")).toHaveTextContent("-4.00");
    expect(within(credit).getByTestId("row-note")).toHaveTextContent("Not selected: the marketplace does not refund it");

    // Nothing is called a prorate any more; the moved dates say why.
    expect(screen.getAllByTestId("row-action").map((badge) => badge.textContent)).toEqual([
      "Unchanged",
      "Cancel",
      "Add",
      "Catch-up",
      "Cancel",
      "Add",
      "Credit",
    ]);
    expect(within(planRow(ADD_M365)).getByTestId("row-note")).toHaveTextContent(
      "Moved from 2026-11-16 to 2026-12-01: November 2026 already invoiced, #1042.",
    );

    // The editor names the row as the table does.
    await user.click(within(catchUp).getByTestId("edit-row"));
    expect(within(catchUp).getByRole("group", { name: "Edit Catch-up Microsoft 365 Business Premium" })).toBeInTheDocument();

    // And so does the Summary's list of writes.
    const summary = await toSummary(user);
    const writes = within(summary).getAllByTestId("planned-write");
    const catchUpWrite = writes.find((write) => write.dataset.rowKey === CATCH_UP_M365);
    expect(catchUpWrite).toHaveTextContent("Create catch-up");
    expect(writes.find((write) => write.dataset.rowKey === ADD_M365)).toHaveTextContent("Create addition");
  });

  it("keeps calling a prorate a prorate", async () => {
    renderWizard();
    await screen.findByTestId("step-changes");
    expect(within(planRow("prorate:CFQ7TTC0LCHC:0002")).getByTestId("row-action")).toHaveTextContent(/^Prorate \(one-time\)$/);
    expect(within(planRow(CREDIT_EXO)).getByTestId("row-action")).toHaveTextContent(/^Prorate \(one-time\)$/);
  });

  it("shows the next invoice on the Summary: its lines after the sync, recurring and one-time, and the totals before → after", async () => {
    const user = userEvent.setup();
    api.openWizard.mockResolvedValue(catchUpView());
    renderWizard();
    const summary = await toSummary(user);
    const panel = within(summary).getByTestId("next-invoice");
    expect(within(panel).getByRole("heading", { level: 4 })).toHaveTextContent(/^Next invoice — 2026-12-01 \(2026-12-01 to 2026-12-31\)$/);

    const lines = within(panel).getAllByTestId("next-invoice-line");
    expect(lines).toHaveLength(4);
    // Description, period, quantity, unit price, amount.
    expect(lines.map((line) => within(line).getAllByRole("cell").map((cell) => cell.textContent))).toEqual([
      ["Agreement amount", "2026-12-01 – 2026-12-31", "1", "150.00", "150.00"],
      ["Microsoft 365 Business Premium added by this sync", "2026-12-01 – 2026-12-31", "25", "22.00", "550.00"],
      ["Exchange Online (Plan 1) added by this sync", "2026-12-01 – 2026-12-31", "9", "4.00", "36.00"],
      ["Microsoft 365 Business Premium — catch-up 2026-11-16 to 2026-11-30 added by this sync", "2026-12-01 – 2026-12-31", "5", "11.0000", "55.00"],
    ]);
    // The agreement's own amount is not added by the sync.
    expect(within(lines[0] as HTMLElement).queryByTestId("next-invoice-added")).not.toBeInTheDocument();

    const [recurring, oneTime] = within(panel).getAllByTestId("next-invoice-group") as [HTMLElement, HTMLElement];
    expect(within(recurring).getByRole("rowheader", { name: "Recurring" })).toBeInTheDocument();
    expect(within(recurring).getAllByTestId("next-invoice-line")).toHaveLength(3);
    expect(within(oneTime).getByRole("rowheader", { name: "One-time" })).toBeInTheDocument();
    expect(within(oneTime).getByTestId("next-invoice-line")).toHaveTextContent("catch-up 2026-11-16 to 2026-11-30");

    expect(within(panel).getByTestId("next-invoice-recurring-row")).toHaveTextContent(/^634\.00 → 736\.00 USD$/);
    expect(within(panel).getByTestId("next-invoice-one-time-row")).toHaveTextContent(/^0\.00 → 55\.00 USD$/);
    expect(within(panel).getByTestId("next-invoice-total-row")).toHaveTextContent(/^634\.00 → 791\.00 USD$/);
    expect(within(panel).getByTestId("next-invoice-total").textContent).toBe("791.00");
    expect(within(panel).getByTestId("next-invoice-total-before").textContent).toBe("634.00");
  });

  it("marks the lines ConnectWise bills back, among the one-time lines", async () => {
    const user = userEvent.setup();
    const view = catchUpView();
    const plan = view.plan;
    const next = plan?.summary.nextInvoice;
    if (plan === null || plan === undefined || next === null || next === undefined) throw new Error("the fixture has a next invoice");
    const back = {
      kind: "backBilled" as const,
      description: "Microsoft 365 Business Premium",
      quantity: "5",
      unitPrice: "11.0000",
      amount: "55.00",
      from: "2026-11-16",
      to: "2026-11-30",
      rowKey: null,
      additionId: 30211,
    };
    api.openWizard.mockResolvedValue({
      ...view,
      plan: { ...plan, summary: { ...plan.summary, nextInvoice: { ...next, after: { ...next.after, lines: [...next.after.lines, back], oneTime: "110.00", total: "846.00" } } } },
    });
    renderWizard();
    const summary = await toSummary(user);
    const lines = within(summary).getAllByTestId("next-invoice-line");
    const billedBack = lines.find((line) => line.dataset.kind === "backBilled");
    expect(billedBack).toHaveTextContent("billed back");
    expect(billedBack).toHaveTextContent("2026-11-16 – 2026-11-30");
    expect(billedBack).not.toHaveTextContent("added by this sync");
    expect(lines.filter((line) => line.textContent?.includes("billed back") === true)).toHaveLength(1);
    const oneTime = within(summary).getAllByTestId("next-invoice-group")[1] as HTMLElement;
    expect(within(oneTime).getAllByTestId("next-invoice-line")).toHaveLength(2);
    expect(within(summary).getByTestId("next-invoice-total").textContent).toBe("846.00");
  });

  it("shows the unreadable calendar once, as a warning, and no next invoice when there is none", async () => {
    const user = userEvent.setup();
    const removeStyles = addStyleSheets("src/styles/base.css", "src/components/wizard/wizard.css", "src/components/wizard/invoice.css");
    try {
      const view = plannedView();
      api.openWizard.mockResolvedValue({
        ...view,
        plan: planStep({ calendar: CALENDAR_UNREADABLE, summary: { ...planStep().summary, nextInvoice: null } }),
      });
      renderWizard();
      const changes = await screen.findByTestId("step-changes");
      const warnings = within(changes).getAllByTestId("calendar-warning");
      expect(warnings).toHaveLength(1);
      const warning = warnings[0] as HTMLElement;
      expect(warning).toHaveTextContent("ConnectWise needs the permission Finance › Invoicing (Inquire) for it. Nothing is dated before 2026-11-24.");
      // A warning, not an error.
      expect(warning).toHaveClass("panel-warning");
      expect(warning).not.toHaveClass("panel-error");
      expect(getComputedStyle(warning).getPropertyValue("background")).toBe("var(--warning-bg)");
      expect(within(changes).queryByTestId("plan-calendar")).not.toBeInTheDocument();
      expect(within(changes).queryByRole("alert")).not.toBeInTheDocument();

      const summary = await toSummary(user);
      expect(within(summary).getAllByTestId("calendar-warning")).toHaveLength(1);
      expect(within(summary).getByTestId("calendar-warning")).toHaveTextContent("Finance › Invoicing (Inquire)");
      expect(within(summary).queryByTestId("summary-calendar")).not.toBeInTheDocument();
      expect(within(summary).queryByTestId("next-invoice")).not.toBeInTheDocument();
      // The rest of the Summary is as always.
      expect(within(summary).getByTestId("summary-recurring-after")).toHaveTextContent("736.00");
    } finally {
      removeStyles();
    }
  });

  it("shows no next invoice while problems block Sync", async () => {
    const user = userEvent.setup();
    const message = "Quantity must be a number, not “abc”.";
    api.openWizard.mockResolvedValue(
      withRow(plannedView(), ADD_M365, { quantity: "abc", extPrice: "" }, { problems: [{ rowKey: ADD_M365, field: "quantity", message }] }),
    );
    renderWizard();
    const summary = await toSummary(user);
    expect(within(summary).getByTestId("summary-problem")).toHaveTextContent(message);
    expect(within(summary).queryByTestId("next-invoice")).not.toBeInTheDocument();
    // Which periods are invoiced still shows: it is the agreement's, not the plan's.
    expect(within(summary).getByTestId("summary-calendar")).toHaveTextContent("Invoiced through 2026-10-31");
  });

  it("lets the lines scroll sideways inside the panel, never the window", () => {
    const removeStyles = addStyleSheets("src/styles/base.css", "src/components/wizard/wizard.css", "src/components/wizard/invoice.css");
    try {
      const next = catchUpView().plan?.summary.nextInvoice;
      if (next === null || next === undefined) throw new Error("the fixture has a next invoice");
      render(<NextInvoicePanel next={next} />);
      const panel = screen.getByTestId("next-invoice");
      expect(getComputedStyle(panel).minWidth).toBe("0");
      const table = within(panel).getByRole("table");
      const frame = table.parentElement as HTMLElement;
      expect(getComputedStyle(frame).overflowX).toBe("auto");
      expect(panel).toHaveTextContent("Next invoice — 2026-12-01 (2026-12-01 to 2026-12-31)");
    } finally {
      removeStyles();
    }
  });
});
