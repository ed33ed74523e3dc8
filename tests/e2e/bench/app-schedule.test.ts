// A desktop app that stays open all week must not leak: the app left open through 50 scheduled
// checks that find nothing new, on a clock that runs 14,400 times faster than the computer's (a
// four-hour schedule comes due every second). Prints the memory (PSS, app + WebKit) after the
// first checks and after the fiftieth; asserts only that the checks ran.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { byTestId, clickCheckChanges, freshDataDir, launchApp, waitForCheckToEnd, type App } from "../harness";
import { pssByProcess, pssMiB } from "./memory";

const CHECKS = 50;
const WARM_UP = 5;

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Scheduled checks the app finished and that worked, from its log. */
function scheduledChecks(data: string): number {
  const logs = join(data, "logs");
  return readdirSync(logs)
    .map((f) => (readFileSync(join(logs, f), "utf8").match(/scheduled check finished checked=true/g) ?? []).length)
    .reduce((a, b) => a + b, 0);
}

test(`the app open through ${CHECKS} scheduled checks that find nothing new`, async () => {
  const data = freshDataDir();
  app = await launchApp({
    AGREEMENT_SYNC_DATA_DIR: data,
    AGREEMENT_SYNC_CLOCK_SPEED: "14400",
    AGREEMENT_SYNC_SCHEDULE_TICK_MS: "100",
  });
  const { browser } = app;
  // Demo's orders read once by hand: every scheduled check after finds nothing new.
  await clickCheckChanges(browser);
  await waitForCheckToEnd(browser);
  await browser.$(byTestId("open-connections")).click();
  const every = browser.$(byTestId("schedule-every"));
  await every.waitForClickable({ timeout: 10_000 });
  await every.click();
  await browser.keys("Escape");
  const until = async (n: number) =>
    browser.waitUntil(async () => scheduledChecks(data) >= n, {
      timeout: 600_000,
      interval: 200,
      timeoutMsg: `${n} scheduled checks did not run`,
    });
  await until(WARM_UP);
  await pause(5_000);
  const before = pssMiB();
  const started = performance.now();
  await until(WARM_UP + CHECKS);
  const seconds = (performance.now() - started) / 1000;
  await pause(5_000);
  const after = pssMiB();
  expect(scheduledChecks(data)).toBeGreaterThanOrEqual(WARM_UP + CHECKS);
  const growth = after - before;
  console.log(
    [
      `app | ${CHECKS} scheduled checks with nothing new in ${seconds.toFixed(0)} s | by process after: ${Object.entries(pssByProcess())
        .map(([name, mib]) => `${name} ${mib.toFixed(0)} MiB`)
        .join(", ")}`,
      `app | memory (PSS, app + WebKit) through ${CHECKS} scheduled checks | ${before.toFixed(1)} MiB -> ${after.toFixed(1)} MiB | ${growth >= 0 ? "+" : ""}${growth.toFixed(1)} MiB (target <= +5 MB): ${(growth / 4.77).toFixed(2)}x`,
    ].join("\n"),
  );
});
