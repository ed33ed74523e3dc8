// Test data only: a fake task table that answers `listTasks` the way the Rust side does.

import { TEST_NOW } from "./now";
import type { AppStatus } from "../bindings/AppStatus";
import type { HealthView } from "../bindings/HealthView";
import type { ScheduleView } from "../bindings/ScheduleView";
import type { ServiceHealth } from "../bindings/ServiceHealth";
import type { ProfileForm } from "../bindings/ProfileForm";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { ProfilesView } from "../bindings/ProfilesView";
import type { TaskDetailsView } from "../bindings/TaskDetailsView";
import type { TaskPage } from "../bindings/TaskPage";
import type { TaskQuery } from "../bindings/TaskQuery";
import type { TaskRow } from "../bindings/TaskRow";
import type { TaskStatus } from "../bindings/TaskStatus";
import type { TaskType } from "../bindings/TaskType";

const TYPES: TaskType[] = ["salesOrder", "changeOrder", "billingOrder", "cancellationOrder"];
const STATUSES: TaskStatus[] = ["pending", "pending", "synced", "ignored", "failed"];

export function makeRow(i: number, overrides: Partial<TaskRow> = {}): TaskRow {
  const status = STATUSES[i % STATUSES.length] ?? "pending";
  return {
    id: i + 1,
    taskType: TYPES[i % TYPES.length] ?? "salesOrder",
    status,
    orderId: `SO${String(100000 + i)}`,
    orderDate: new Date(Date.UTC(2026, 10, 16, 10, 4) - i * 3_600_000).toISOString(),
    customerId: String(1000048531 + i),
    customerName: i === 0 ? "Green Lane LLC" : `Customer ${String(i).padStart(5, "0")}`,
    subscriptionId: `SUB-${String(5000 + i)}`,
    subscriptionName: "Microsoft 365 Business Standard",
    amount: `${(i % 97) + 1}.00`,
    currency: i % 3 === 0 ? "EUR" : "USD",
    ignoredReason: status === "ignored" ? "billed manually" : null,
    recurring: `${(i % 97) + 1}.00`,
    per: "month",
    oneTime: "",
    ...overrides,
  };
}

export class FakeTasks {
  rows: TaskRow[];

  constructor(count: number) {
    this.rows = Array.from({ length: count }, (_, i) => makeRow(i));
  }

  list(query: TaskQuery, offset: number, limit: number): TaskPage {
    const search = query.search.toLowerCase();
    const matching = this.rows.filter(
      (row) =>
        (search === "" ||
          [row.customerName, row.customerId, row.orderId, row.subscriptionId].some((v) => v.toLowerCase().includes(search))) &&
        (query.types.length === 0 || query.types.includes(row.taskType)) &&
        (query.statuses.length === 0 || query.statuses.includes(row.status)),
    );
    return { total: matching.length, offset, rows: matching.slice(offset, offset + limit) };
  }

  /** A task's details as `taskDetails` answers: whether the query shows it, and no order lines. */
  details(id: number, query: TaskQuery): TaskDetailsView {
    const task = this.rows.find((row) => row.id === id);
    if (task === undefined) throw new Error(`no task ${String(id)}`);
    const inList = this.list(query, 0, this.rows.length).rows.some((row) => row.id === id);
    return { task, lines: [], inList };
  }
}

export function makeStatus(overrides: Partial<AppStatus> = {}): AppStatus {
  return {
    profileName: "Demo",
    demo: true,
    lastCheckedAt: new Date(Date.now() - 12 * 60_000).toISOString(),
    lastSummary: null,
    connectivity: { state: "unknown" },
    taskCount: 0,
    firstCheckDays: 30,
    dataDir: "/tmp/agreement-sync",
    unfinishedSyncs: [],
    // The app's clock agrees with the window's (both pinned by the test setup).
    now: TEST_NOW,
    health: makeHealth(),
    schedule: makeSchedule(),
    ...overrides,
  };
}

/** One service's health as Rust sends it: not contacted yet, unless told otherwise. */
export function makeServiceHealth(service: ServiceHealth["service"], overrides: Partial<ServiceHealth> = {}): ServiceHealth {
  return {
    service,
    name: service === "connectWise" ? "ConnectWise" : "Cloud Marketplace",
    state: "unknown",
    lastContactAt: null,
    lastRefusal: null,
    lastFailure: null,
    tokenExpiresAt: null,
    ...overrides,
  };
}

/** Both services' health (ConnectWise first), neither contacted yet and no banner, unless told otherwise. */
export function makeHealth(
  overrides: { connectWise?: Partial<ServiceHealth>; marketplace?: Partial<ServiceHealth>; banner?: string | null } = {},
): HealthView {
  return {
    services: [makeServiceHealth("connectWise", overrides.connectWise), makeServiceHealth("marketplace", overrides.marketplace)],
    banner: overrides.banner ?? null,
  };
}

/** A profile's schedule: off (checks only when asked), notifications on, unless told otherwise. */
export function makeSchedule(overrides: Partial<ScheduleView> = {}): ScheduleView {
  return { everyHours: null, notify: true, nextDueAt: null, waitingFor: null, ...overrides };
}

export const DEMO_PROFILE: ProfileSummary = { id: "demo", name: "Demo", demo: true, connectwiseSite: "", marketplace: "" };

/** The profiles as `listProfiles` answers: Demo alone and open, unless told otherwise. */
export function makeProfiles(overrides: Partial<ProfilesView> = {}): ProfilesView {
  return {
    activeId: DEMO_PROFILE.id,
    profiles: [DEMO_PROFILE],
    keyring: { state: "available" },
    problem: null,
    ...overrides,
  };
}

/** A real profile in the list. */
export function makeProfileSummary(overrides: Partial<ProfileSummary> = {}): ProfileSummary {
  return {
    id: "contoso",
    name: "Contoso",
    demo: false,
    connectwiseSite: "api-na.myconnectwise.net",
    marketplace: "us",
    ...overrides,
  };
}

/** A real profile's form as `getProfile` answers, every secret set unless told otherwise. */
export function makeProfileForm(
  overrides: { id?: string; name?: string; connectwise?: Partial<ProfileForm["connectwise"]>; marketplace?: Partial<ProfileForm["marketplace"]> } = {},
): ProfileForm {
  return {
    id: overrides.id ?? "contoso",
    name: overrides.name ?? "Contoso",
    demo: false,
    connectwise: {
      site: "api-na.myconnectwise.net",
      companyId: "contoso",
      clientId: "1b2c3d4e-0000-4000-8000-123456789abc",
      codebase: "v4_6_release/",
      additionKeyField: "",
      catalogCurrency: "",
      publicKeySet: true,
      privateKeySet: true,
      ...overrides.connectwise,
    },
    marketplace: {
      codeOrUrl: "us",
      username: "billing@contoso.example",
      passwordSet: true,
      subscriptionKeySet: true,
      ...overrides.marketplace,
    },
  };
}

/** A promise with its resolve and reject in hand. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
