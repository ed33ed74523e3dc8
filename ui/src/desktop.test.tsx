// A good desktop citizen (SPEC §18): the services' health in the header, the banner while the
// credentials are refused, Health and Scheduled checks in Connections, the next check in the header,
// and what the window does when a scheduled check ran or a notification was clicked.

import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AppStatus } from "./bindings/AppStatus";
import type { HealthView } from "./bindings/HealthView";
import type { ScheduleView } from "./bindings/ScheduleView";
import { App } from "./App";
import { OPEN_VIEW_EVENT, SCHEDULED_CHECK_EVENT } from "./events";
import * as ipc from "./ipc";
import { emitEvent, listenerCount } from "./test/events";
import {
  DEMO_PROFILE,
  FakeTasks,
  deferred,
  makeHealth,
  makeProfileForm,
  makeProfileSummary,
  makeProfiles,
  makeSchedule,
  makeStatus,
} from "./test/fixtures";
import { TEST_NOW } from "./test/now";
import { plannedView } from "./test/wizard";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);
type User = ReturnType<typeof userEvent.setup>;

const MIN = 60_000;
/** `ms` before the tests' pinned now, as Rust sends a moment. */
const ago = (ms: number) => new Date(Date.parse(TEST_NOW) - ms).toISOString();
/** `ms` after it. */
const ahead = (ms: number) => new Date(Date.parse(TEST_NOW) + ms).toISOString();
/** 14:05 on the pinned day, in the machine's own time (the window shows local times). */
function todayAt(hours: number, minutes: number): string {
  const now = new Date(TEST_NOW);
  return new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes).toISOString();
}

const CONTOSO = makeProfileSummary();

const REFUSED_BANNER = "ConnectWise refuses the API keys: add a new API key for the API member and type both keys in Connections.";

/** ConnectWise refusing its keys, the marketplace answering, with its token for 42 more minutes. */
const REFUSED = makeHealth({
  connectWise: {
    state: "refused",
    lastContactAt: ago(12 * MIN),
    lastRefusal: {
      at: ago(2 * MIN),
      status: 401,
      reason: "ConnectWise answered 401 Unauthorized: the public and private keys don't match.",
      whatToDo: "Add a new API key for the API member and type both keys in Connections.",
    },
    lastFailure: null,
  },
  marketplace: { state: "ok", lastContactAt: ago(3 * MIN), tokenExpiresAt: ahead(42 * MIN + 30_000) },
  banner: REFUSED_BANNER,
});

let tasks: FakeTasks;

beforeEach(() => {
  vi.resetAllMocks();
  tasks = new FakeTasks(50);
  api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length }));
  api.checkConnectivity.mockResolvedValue({ state: "online" });
  api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
  api.listProfiles.mockResolvedValue(makeProfiles());
  api.openWizard.mockResolvedValue(plannedView());
});

async function openApp(status: Partial<AppStatus> = {}): Promise<void> {
  api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length, ...status }));
  render(<App />);
  await screen.findByText("Green Lane LLC");
}

async function openConnections(user: User): Promise<HTMLElement> {
  await user.click(screen.getByTestId("open-connections"));
  return screen.findByTestId("connections");
}

describe("the health badge in the header", () => {
  it.each([
    ["unknown", makeHealth(), "Not contacted yet"],
    ["ok", makeHealth({ connectWise: { state: "ok" }, marketplace: { state: "unknown" } }), "Services OK"],
    ["unreachable", makeHealth({ connectWise: { state: "ok" }, marketplace: { state: "unreachable" } }), "Can't reach a service"],
    ["refused", makeHealth({ connectWise: { state: "refused" }, marketplace: { state: "unreachable" } }), "Access refused"],
  ] as const)("shows the worst state of the two services: %s", async (state, health, label) => {
    await openApp({ health });
    const badge = screen.getByTestId("health-badge");
    expect(badge).toHaveAttribute("data-state", state);
    expect(badge).toHaveTextContent(label);
  });

  it("names each service and its state in its tooltip, and opens Connections", async () => {
    const user = userEvent.setup();
    await openApp({ health: REFUSED });
    const badge = screen.getByTestId("health-badge");
    expect(badge).toHaveAttribute("title", "ConnectWise: refusing access\nCloud Marketplace: working\nDetails in Connections");
    await user.click(badge);
    expect(await screen.findByTestId("connections")).toBeInTheDocument();
  });
});

describe("the banner while a service refuses the credentials", () => {
  it("says what to do, under the header, and opens Connections", async () => {
    const user = userEvent.setup();
    await openApp({ health: REFUSED });
    const banner = screen.getByTestId("health-banner");
    expect(banner).toHaveAttribute("role", "alert");
    expect(banner).toHaveTextContent(REFUSED_BANNER);
    expect(banner.closest("header")).toHaveClass("app-header");
    await user.click(within(banner).getByRole("button", { name: "Open Connections" }));
    expect(await screen.findByTestId("connections")).toBeInTheDocument();
  });

  it("is not there while nothing refuses", async () => {
    await openApp({ health: makeHealth({ connectWise: { state: "unreachable" } }) });
    expect(screen.getByTestId("health-badge")).toHaveAttribute("data-state", "unreachable");
    expect(screen.queryByTestId("health-banner")).not.toBeInTheDocument();
  });
});

describe("the next check in the header", () => {
  it("says when the next scheduled check runs, beside the last check", async () => {
    await openApp({ schedule: makeSchedule({ everyHours: 4, nextDueAt: todayAt(14, 5) }) });
    const next = screen.getByTestId("next-check");
    expect(next).toHaveTextContent(/^Next check at 14:05$/);
    expect(screen.getByTestId("last-checked").parentElement).toContainElement(next);
  });

  it("says what a due check waits for", async () => {
    await openApp({ schedule: makeSchedule({ everyHours: 4, nextDueAt: todayAt(14, 5), waitingFor: "A sync is running" }) });
    expect(screen.getByTestId("next-check")).toHaveTextContent(/^Next check waits: A sync is running$/);
  });

  it("says nothing while checks run only when asked", async () => {
    await openApp();
    expect(screen.getByTestId("last-checked")).toHaveTextContent("Last checked 12 min ago");
    expect(screen.queryByTestId("next-check")).not.toBeInTheDocument();
  });
});

describe("Health in Connections", () => {
  it("shows each service's state, last contact, refusal in words with what to do, and the token's lifetime", async () => {
    const user = userEvent.setup();
    await openApp({ health: REFUSED });
    await openConnections(user);
    const section = await screen.findByTestId("health");
    expect(within(section).getByRole("heading", { name: "Health" })).toBeInTheDocument();

    const connectwise = within(section).getByTestId("health-connectWise");
    expect(connectwise).toHaveAttribute("data-state", "refused");
    expect(within(connectwise).getByTestId("health-state")).toHaveTextContent("Refusing access");
    expect(within(connectwise).getByTestId("health-contact")).toHaveTextContent("Last contact: 12 min ago");
    const refusal = within(connectwise).getByTestId("health-refusal");
    expect(refusal).toHaveTextContent("Last refused 2 min ago: the keys were refused — ConnectWise answered 401 Unauthorized");
    expect(within(refusal).getByTestId("health-what-to-do")).toHaveTextContent(
      "What to do: Add a new API key for the API member and type both keys in Connections.",
    );
    expect(within(connectwise).queryByTestId("health-token")).not.toBeInTheDocument();
    expect(within(connectwise).queryByTestId("health-failure")).not.toBeInTheDocument();

    const marketplace = within(section).getByTestId("health-marketplace");
    expect(marketplace).toHaveAttribute("data-state", "ok");
    expect(within(marketplace).getByTestId("health-state")).toHaveTextContent("Working");
    expect(within(marketplace).getByTestId("health-contact")).toHaveTextContent("Last contact: 3 min ago");
    expect(within(marketplace).getByTestId("health-token")).toHaveTextContent("Token valid for 42 min more");
    expect(within(marketplace).queryByTestId("health-refusal")).not.toBeInTheDocument();
  });

  it("names a missing permission, a failure to reach a service, no contact yet and a token not had or run out", async () => {
    const user = userEvent.setup();
    const health = makeHealth({
      connectWise: {
        state: "unreachable",
        lastRefusal: { at: ago(60 * MIN), status: 403, reason: "Finance › Agreements: Edit is not allowed.", whatToDo: "Give the API member's security role Agreements: Edit." },
        lastFailure: { at: ago(5 * MIN), reason: "Can't reach api-na.myconnectwise.net: connection timed out." },
      },
      marketplace: { state: "unknown" },
    });
    await openApp({ health });
    await openConnections(user);
    const connectwise = await screen.findByTestId("health-connectWise");
    expect(within(connectwise).getByTestId("health-state")).toHaveTextContent("Can't be reached");
    expect(within(connectwise).getByTestId("health-contact")).toHaveTextContent("No contact since the app opened");
    expect(within(connectwise).getByTestId("health-refusal")).toHaveTextContent(
      "Last refused 1 h ago: a permission is missing — Finance › Agreements: Edit is not allowed.",
    );
    expect(within(connectwise).getByTestId("health-what-to-do")).toHaveTextContent("What to do: Give the API member's security role Agreements: Edit.");
    expect(within(connectwise).getByTestId("health-failure")).toHaveTextContent(
      "Last failed to reach it 5 min ago: Can't reach api-na.myconnectwise.net: connection timed out.",
    );
    const marketplace = screen.getByTestId("health-marketplace");
    expect(within(marketplace).getByTestId("health-state")).toHaveTextContent("Not contacted yet");
    expect(within(marketplace).getByTestId("health-token")).toHaveTextContent("Not signed in yet");
  });

  it("reads the health again when Connections opens, and shows that", async () => {
    const user = userEvent.setup();
    const fresh = deferred<HealthView>();
    api.health.mockImplementation(() => fresh.promise);
    await openApp({ health: makeHealth({ marketplace: { state: "ok", tokenExpiresAt: ahead(42 * MIN + 30_000) } }) });
    await openConnections(user);
    const marketplace = await screen.findByTestId("health-marketplace");
    expect(api.health).toHaveBeenCalled();
    // The status's health until the answer comes.
    expect(within(marketplace).getByTestId("health-token")).toHaveTextContent("Token valid for 42 min more");
    await act(async () => {
      fresh.resolve(makeHealth({ marketplace: { state: "ok", tokenExpiresAt: ago(MIN) } }));
      await fresh.promise;
    });
    expect(within(screen.getByTestId("health-marketplace")).getByTestId("health-token")).toHaveTextContent("Token expired");
  });

  it("is there for the open real profile, at the top of its form, and not for another profile", async () => {
    const user = userEvent.setup();
    api.listProfiles.mockResolvedValue(makeProfiles({ activeId: CONTOSO.id, profiles: [DEMO_PROFILE, CONTOSO] }));
    api.getProfile.mockResolvedValue(makeProfileForm());
    await openApp({ profileName: "Contoso", demo: false, health: REFUSED });
    await openConnections(user);
    const form = await screen.findByTestId("profile-form");
    const health = within(form).getByTestId("health");
    expect(within(health).getByTestId("health-connectWise")).toHaveAttribute("data-state", "refused");
    expect(within(form).getByTestId("schedule")).toBeInTheDocument();
    // Before the profile's fields, which still open on the name.
    expect(health.compareDocumentPosition(within(form).getByTestId("profile-name")) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByTestId("profile-name")).toHaveFocus();

    // Demo is not the open profile here: its pane has neither.
    const demoItem = screen.getAllByTestId("profile-item").find((element) => element.dataset.profileId === "demo");
    if (demoItem === undefined) throw new Error("no Demo item");
    await user.click(demoItem);
    await screen.findByTestId("demo-profile");
    expect(screen.queryByTestId("health")).not.toBeInTheDocument();
    expect(screen.queryByTestId("schedule")).not.toBeInTheDocument();
  });
});

describe("Scheduled checks in Connections", () => {
  /** Rust's answer to `set_schedule`, and the status read after it carrying the schedule. */
  function answerSchedule(view: ScheduleView): void {
    api.setSchedule.mockResolvedValueOnce(view);
    api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length, schedule: view }));
  }

  it("is off by default, for Demo too, with notifications on; ticking it checks every 4 hours and the header says when", async () => {
    const user = userEvent.setup();
    await openApp();
    await openConnections(user);
    const schedule = await screen.findByTestId("schedule");
    expect(within(screen.getByTestId("demo-profile")).getByTestId("schedule")).toBe(schedule);
    const every = screen.getByTestId("schedule-every");
    const hours = screen.getByTestId("schedule-hours");
    const notify = screen.getByTestId("schedule-notify");
    expect(every).not.toBeChecked();
    expect(hours).toBeDisabled();
    expect(hours).toHaveValue(4);
    expect(notify).toBeChecked();
    expect(schedule).toHaveTextContent("Check for changes every");
    expect(schedule).toHaveTextContent("hours while Agreement Sync is open");
    expect(within(schedule).getByRole("checkbox", { name: "Check for changes every 4 hours while Agreement Sync is open" })).toBe(every);
    expect(within(schedule).getByRole("checkbox", { name: "Show desktop notifications" })).toBe(notify);
    expect(within(schedule).getByRole("spinbutton", { name: "Hours between checks" })).toBe(hours);

    answerSchedule(makeSchedule({ everyHours: 4, nextDueAt: todayAt(16, 0) }));
    await user.click(every);
    expect(api.setSchedule).toHaveBeenCalledTimes(1);
    expect(api.setSchedule).toHaveBeenLastCalledWith(4, true);
    await waitFor(() => expect(every).toBeChecked());
    expect(hours).toBeEnabled();
    await user.click(screen.getByTestId("close-connections"));
    expect(await screen.findByTestId("next-check")).toHaveTextContent("Next check at 16:00");
  });

  it("sends the hours typed and shows Rust's refusal beside them", async () => {
    const user = userEvent.setup();
    await openApp({ schedule: makeSchedule({ everyHours: 4, nextDueAt: todayAt(16, 0) }) });
    await openConnections(user);
    const every = await screen.findByTestId("schedule-every");
    expect(every).toBeChecked();
    const hours = screen.getByTestId("schedule-hours");

    answerSchedule(makeSchedule({ everyHours: 12, nextDueAt: todayAt(23, 0) }));
    await user.clear(hours);
    await user.type(hours, "12{Enter}");
    expect(api.setSchedule).toHaveBeenCalledTimes(1);
    expect(api.setSchedule).toHaveBeenLastCalledWith(12, true);
    // Left after Enter: sent once.
    fireEvent.blur(hours);
    expect(api.setSchedule).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(api.appStatus.mock.calls.length).toBeGreaterThan(1));

    const refusal = "Check for changes every 1 to 168 hours (a week).";
    api.setSchedule.mockRejectedValueOnce({ code: "invalid", message: refusal, field: "checkEvery" });
    await user.clear(hours);
    await user.type(hours, "200");
    fireEvent.blur(hours);
    expect(api.setSchedule).toHaveBeenLastCalledWith(200, true);
    const error = await screen.findByTestId("schedule-error");
    expect(error).toHaveTextContent(refusal);
    expect(error).toHaveAttribute("role", "alert");
    expect(hours).toHaveAttribute("aria-invalid", "true");
    expect(hours.getAttribute("aria-describedby")).toBe(error.id);
  });

  it("sends the hours 250 ms after the last key, and a notification change at once; unticked, checks stop", async () => {
    const user = userEvent.setup();
    await openApp({ schedule: makeSchedule({ everyHours: 4, nextDueAt: todayAt(16, 0) }) });
    await openConnections(user);
    const hours = await screen.findByTestId("schedule-hours");
    answerSchedule(makeSchedule({ everyHours: 24, nextDueAt: null }));
    await user.clear(hours);
    await user.type(hours, "24");
    await waitFor(() => expect(api.setSchedule).toHaveBeenLastCalledWith(24, true));
    expect(api.setSchedule).toHaveBeenCalledTimes(1);

    answerSchedule(makeSchedule({ everyHours: 24, notify: false }));
    await user.click(screen.getByTestId("schedule-notify"));
    expect(api.setSchedule).toHaveBeenLastCalledWith(24, false);
    await waitFor(() => expect(screen.getByTestId("schedule-notify")).not.toBeChecked());

    answerSchedule(makeSchedule({ everyHours: null, notify: false }));
    await user.click(screen.getByTestId("schedule-every"));
    expect(api.setSchedule).toHaveBeenLastCalledWith(null, false);
    await waitFor(() => expect(screen.getByTestId("schedule-hours")).toBeDisabled());
    expect(screen.getByTestId("schedule-every")).not.toBeChecked();
    expect(screen.queryByTestId("schedule-error")).not.toBeInTheDocument();
  });

  it("sends hours still waiting for their debounce when Connections closes with Escape", async () => {
    const user = userEvent.setup();
    await openApp({ schedule: makeSchedule({ everyHours: 4, nextDueAt: todayAt(16, 0) }) });
    await openConnections(user);
    const hours = await screen.findByTestId("schedule-hours");
    answerSchedule(makeSchedule({ everyHours: 8, nextDueAt: todayAt(20, 0) }));
    fireEvent.change(hours, { target: { value: "8" } });
    expect(api.setSchedule).not.toHaveBeenCalled();
    fireEvent.keyDown(screen.getByTestId("connections"), { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("connections")).not.toBeInTheDocument());
    expect(api.setSchedule).toHaveBeenCalledTimes(1);
    expect(api.setSchedule).toHaveBeenLastCalledWith(8, true);
    expect(await screen.findByTestId("next-check")).toHaveTextContent("Next check at 20:00");
  });

  it("says a number of hours that isn't whole once the field is left, and sends nothing", async () => {
    const user = userEvent.setup();
    await openApp({ schedule: makeSchedule({ everyHours: 4, nextDueAt: todayAt(16, 0) }) });
    await openConnections(user);
    const hours = await screen.findByTestId("schedule-hours");
    fireEvent.change(hours, { target: { value: "" } });
    fireEvent.blur(hours);
    expect(await screen.findByTestId("schedule-error")).toHaveTextContent("Type the number of hours as a whole number.");
    expect(api.setSchedule).not.toHaveBeenCalled();
  });
});

describe("events from the app", () => {
  it("after a scheduled check, reads the status and the list again, quietly", async () => {
    await openApp();
    await waitFor(() => expect(listenerCount(SCHEDULED_CHECK_EVENT)).toBe(1));
    const statusReads = api.appStatus.mock.calls.length;
    const listReads = api.listTasks.mock.calls.length;
    tasks.rows[0] = { ...tasks.rows[0]!, customerName: "Green Lane Holdings" };
    api.appStatus.mockResolvedValue(
      makeStatus({ taskCount: tasks.rows.length, lastCheckedAt: ago(0), schedule: makeSchedule({ everyHours: 4, nextDueAt: todayAt(16, 0) }) }),
    );

    act(() => emitEvent(SCHEDULED_CHECK_EVENT, true));
    expect(await screen.findByText("Green Lane Holdings")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("last-checked")).toHaveTextContent("Last checked just now"));
    expect(screen.getByTestId("next-check")).toHaveTextContent("Next check at 16:00");
    expect(api.appStatus.mock.calls.length).toBeGreaterThan(statusReads);
    expect(api.listTasks.mock.calls.length).toBeGreaterThan(listReads);
    // Quietly: no check ran from here, and neither its progress nor its summary shows.
    expect(api.checkChanges).not.toHaveBeenCalled();
    expect(screen.queryByTestId("check-progress")).not.toBeInTheDocument();
    expect(screen.queryByTestId("check-summary")).not.toBeInTheDocument();
    expect(screen.getByTestId("check-changes")).toHaveTextContent("Check Changes");
  });

  it("a failed scheduled check reads the status too: its banner says what to do", async () => {
    await openApp();
    await waitFor(() => expect(listenerCount(SCHEDULED_CHECK_EVENT)).toBe(1));
    api.appStatus.mockResolvedValue(makeStatus({ taskCount: tasks.rows.length, health: REFUSED }));
    act(() => emitEvent(SCHEDULED_CHECK_EVENT, false));
    expect(await screen.findByTestId("health-banner")).toHaveTextContent(REFUSED_BANNER);
    expect(screen.queryByTestId("error-banner")).not.toBeInTheDocument();
  });

  it("a notification clicked shows its view: Activity, the tasks, or Connections", async () => {
    api.listActivity.mockResolvedValue({ total: 0, offset: 0, rows: [], profiles: [] });
    await openApp();
    await waitFor(() => expect(listenerCount(OPEN_VIEW_EVENT)).toBe(1));

    act(() => emitEvent(OPEN_VIEW_EVENT, "activity"));
    expect(await screen.findByTestId("activity-screen")).toBeInTheDocument();
    expect(screen.getByTestId("view-activity")).toHaveAttribute("aria-pressed", "true");

    act(() => emitEvent(OPEN_VIEW_EVENT, "tasks"));
    expect(await screen.findByTestId("task-list")).toBeInTheDocument();
    expect(screen.getByTestId("view-tasks")).toHaveAttribute("aria-pressed", "true");

    act(() => emitEvent(OPEN_VIEW_EVENT, "connections"));
    expect(await screen.findByTestId("connections")).toBeInTheDocument();
  });

  it("stops listening when the window goes", async () => {
    const { unmount } = render(<App />);
    await screen.findByText("Green Lane LLC");
    await waitFor(() => expect(listenerCount(OPEN_VIEW_EVENT)).toBe(1));
    expect(listenerCount(SCHEDULED_CHECK_EVENT)).toBe(1);
    unmount();
    expect(listenerCount(OPEN_VIEW_EVENT)).toBe(0);
    expect(listenerCount(SCHEDULED_CHECK_EVENT)).toBe(0);
  });
});
