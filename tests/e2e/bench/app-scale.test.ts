// The app at a reseller's size, as a person meets it: start-up to rows visible and the memory of
// the app and its WebKit processes after scrolling every row, 50,000 cached tasks against an
// empty cache. Prints figures, targets and ratios; asserts only that the rows come.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { byTestId, freshDataDir, launchApp, target, type App, type Browser } from "../harness";
import { pssByProcess, pssMiB } from "./memory";

const TASKS = 50_000;
const seed = join(target, "release", "examples", "seed_tasks");

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Scrolls the task list from top to bottom a page of rows at a time, each page shown before the next. */
async function scrollEveryRow(browser: Browser): Promise<number> {
  let steps = 0;
  for (;;) {
    const atEnd = await browser.execute(() => {
      const list = document.querySelector<HTMLElement>('[data-testid="task-list"]');
      if (!list) return true;
      list.scrollTop += 200 * 42;
      return list.scrollTop + list.clientHeight >= list.scrollHeight - 2;
    });
    steps += 1;
    await browser.waitUntil(async () => !(await browser.$(byTestId("task-row-placeholder")).isExisting()), {
      timeout: 30_000,
      interval: 20,
      timeoutMsg: "rows did not come",
    });
    if (atEnd) return steps;
  }
}

interface Figures {
  startupMs: number;
  pssStartMiB: number;
  pssAfterScrollMiB: number;
}

async function measure(tasks: number): Promise<Figures> {
  const data = freshDataDir();
  if (tasks > 0) execFileSync(seed, [data, String(tasks)]);
  const started = performance.now();
  app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: data });
  const { browser } = app;
  await browser.waitUntil(async () => browser.$(byTestId(tasks > 0 ? "task-row" : "first-check-days")).isExisting(), {
    timeout: 60_000,
    interval: 20,
    timeoutMsg: "the list did not come up",
  });
  const startupMs = Math.round(performance.now() - started);
  await pause(2_000);
  const pssStartMiB = pssMiB();
  if (tasks > 0) {
    const steps = await scrollEveryRow(browser);
    expect(steps).toBeGreaterThan(10);
  }
  // Time for the page's garbage collector, as a person reading the last rows would give it.
  await pause(10_000);
  const pssAfterScrollMiB = pssMiB();
  console.log(
    `app | ${tasks} tasks, by process after scrolling: ${Object.entries(pssByProcess())
      .map(([name, mib]) => `${name} ${mib.toFixed(0)} MiB`)
      .join(", ")}`,
  );
  await app.close();
  app = undefined;
  return { startupMs, pssStartMiB, pssAfterScrollMiB };
}

test(`the app with ${TASKS} cached tasks against an empty cache`, async () => {
  // Each once to warm the disk cache, then measured.
  await measure(0);
  const empty = await measure(0);
  const full = await measure(TASKS);
  const extra = full.pssAfterScrollMiB - empty.pssAfterScrollMiB;
  const ratio = full.startupMs / empty.startupMs;
  console.log(
    [
      `app | start-up to rows visible | empty cache ${empty.startupMs} ms, ${TASKS} tasks ${full.startupMs} ms | ${ratio.toFixed(2)}x (target <= 1.15x)`,
      `app | memory (PSS, app + WebKit) after scrolling all ${TASKS} rows | ${full.pssAfterScrollMiB.toFixed(0)} MiB (at start ${full.pssStartMiB.toFixed(0)}) against ${empty.pssAfterScrollMiB.toFixed(0)} MiB for an empty cache | +${extra.toFixed(0)} MiB (target <= +60 MB): ${(extra / 57.2).toFixed(2)}x`,
    ].join("\n"),
  );
});
