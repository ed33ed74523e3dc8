import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";
import { resetEvents } from "./events";
import { TEST_NOW } from "./now";

// Events from Rust need Tauri: every test listens on a stand-in that it can emit on (./events.ts).
vi.mock("@tauri-apps/api/event", async () => (await import("./events")).mockEventModule());

// The tests' "today" is pinned (SPEC §14): Date starts at this moment and runs on in real time, so
// ages ("12 min ago") and timers behave as usual whatever the machine's clock says.
vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true, now: new Date(TEST_NOW) });

// jsdom lays nothing out: give elements a size so the virtualised list renders a screenful of rows.
Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1000 });
Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, "offsetWidth", { configurable: true, get: () => 1000 });
HTMLElement.prototype.scrollTo = function scrollTo() {};

afterEach(() => {
  cleanup();
  resetEvents();
});
