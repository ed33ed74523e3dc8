import { vi } from "vitest";
import type * as Ipc from "../ipc";
import { makeProfiles } from "./fixtures";
import { emptyBook } from "./reconcile";

/** What stays real in a mocked `ipc`: the error helpers, which call nothing. */
const REAL = new Set(["IpcError", "asErrorView", "toIpcError"]);

/**
 * Answers of commands the window makes whatever a test is about, so a test that doesn't care gets a
 * sane one. They stay the mock's own implementation: `vi.resetAllMocks()` comes back to them.
 */
const DEFAULTS: Readonly<Record<string, () => unknown>> = {
  listProfiles: () => Promise.resolve(makeProfiles()),
  // No batch was left unfinished.
  interruptedBatch: () => Promise.resolve(null),
  // Nothing reconciled yet.
  reconcileBook: () => Promise.resolve(emptyBook()),
  // Connections shows the health the status carries unless a test answers the fresh read.
  health: () => Promise.reject(new Error("health is not answered in this test")),
  // A test that doesn't answer it gets the details pane from the list's row alone.
  taskDetails: () => Promise.reject(new Error("taskDetails is not answered in this test")),
};

/**
 * The `ipc` module with every command replaced by a `vi.fn()`, for
 * `vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal))`
 * (imported inside the factory, which vitest hoists above the file's imports). A new command is mocked
 * without touching the tests, so none of them can reach the real `invoke` by accident.
 */
export async function mockIpc(importOriginal: () => Promise<typeof Ipc>): Promise<typeof Ipc> {
  const actual = await importOriginal();
  const mocked: Record<string, unknown> = { ...actual };
  for (const [name, value] of Object.entries(actual)) {
    if (typeof value === "function" && !REAL.has(name)) mocked[name] = vi.fn(DEFAULTS[name]);
  }
  return mocked as typeof Ipc;
}
