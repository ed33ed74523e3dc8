import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { byTestId, freshDataDir, freshSaveDir, launchApp, snapshot, taskCount, textOf, type App } from "../harness";

/**
 * A notification service on the session bus the app uses: python3-dbusmock's
 * `notification_daemon` template, which answers Notify and logs every call to `log`. It offers
 * actions, so a click on a notification can be sent back as its `default` action.
 */
interface Daemon {
  log: string;
  notified(): string[];
  click(id: number): void;
  stop(): Promise<void>;
}

const PYTHON = "/usr/bin/python3";

async function startNotificationDaemon(): Promise<Daemon> {
  const log = join(mkdtempSync(join(tmpdir(), "agreement-sync-notify-")), "notify.log");
  const child: ChildProcess = spawn(
    PYTHON,
    ["-m", "dbusmock", "--session", "-t", "notification_daemon", "-p", '{"capabilities": "body actions"}', "-l", log],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  // A monotonic timer for the wait (never the day: that is pinned).
  const deadline = performance.now() + 15_000;
  for (;;) {
    try {
      execFileSync(
        "gdbus",
        ["call", "--session", "--dest", "org.freedesktop.Notifications", "--object-path", "/org/freedesktop/Notifications",
          "--method", "org.freedesktop.Notifications.GetServerInformation"],
        { stdio: "ignore" },
      );
      break;
    } catch {
      if (child.exitCode !== null) throw new Error(`the notification service ended (${child.exitCode})`);
      if (performance.now() > deadline) throw new Error("the notification service did not come up");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    log,
    notified() {
      if (!existsSync(log)) return [];
      return readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => / Notify /.test(l));
    },
    click(id: number) {
      execFileSync(PYTHON, [
        "-c",
        "import sys, dbus; o = dbus.SessionBus().get_object('org.freedesktop.Notifications', '/org/freedesktop/Notifications'); " +
          "o.EmitSignal('org.freedesktop.Notifications', 'ActionInvoked', 'us', [dbus.UInt32(int(sys.argv[1])), 'default'], dbus_interface='org.freedesktop.DBus.Mock')",
        String(id),
      ]);
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise<void>((ok) => (child.exitCode !== null ? ok() : child.once("exit", () => ok())));
    },
  };
}

let app: App | undefined;
let daemon: Daemon | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  await daemon?.stop();
  daemon = undefined;
});

describe("a good desktop citizen", () => {
  test("Demo checks on its own once scheduled, notifies the new tasks once, a click opens them, and the list is saved as CSV", async () => {
    daemon = await startNotificationDaemon();
    const saveDir = freshSaveDir();
    app = await launchApp({
      AGREEMENT_SYNC_DATA_DIR: freshDataDir(),
      AGREEMENT_SYNC_SAVE_DIR: saveDir,
      // Ticks every 300 ms instead of every 30 s: a due check starts at once.
      AGREEMENT_SYNC_SCHEDULE_TICK_MS: "300",
    });
    const { browser } = app;
    expect(await browser.$(byTestId("next-check")).isExisting()).toBe(false);

    // Scheduled from Connections: every 4 hours. Demo never checked, so one is due now.
    await browser.$(byTestId("open-connections")).click();
    const every = browser.$(byTestId("schedule-every"));
    await every.waitForClickable({ timeout: 10_000 });
    await every.click();
    await browser.waitUntil(async () => (await daemon!.notified()).length > 0, {
      timeout: 30_000,
      timeoutMsg: "no notification came after the scheduled check",
    });
    const [told] = daemon.notified();
    expect(told).toMatch(/\d+ new tasks for Demo — \d+ need a mapping/);
    snapshot("scheduled-connections");

    // Away from the tasks; the notification's click brings them forward.
    await browser.keys("Escape");
    await browser.$(byTestId("view-activity")).click();
    await browser.$(byTestId("activity-screen")).waitForExist({ timeout: 10_000 });
    daemon.click(1);
    await browser.waitUntil(async () => (await browser.$$(byTestId("task-row"))).length > 0, {
      timeout: 15_000,
      timeoutMsg: "the click did not open the task list",
    });
    expect(await browser.$(byTestId("activity-screen")).isExisting()).toBe(false);
    // The header says when the next check is due: four hours after this one.
    expect(await textOf(browser, byTestId("next-check"))).toMatch(/Next check at \d{1,2}:\d{2}/);
    snapshot("scheduled-tasks");

    // Many more ticks, nothing due: nothing told again.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(daemon.notified()).toHaveLength(1);

    // The list as shown, saved as CSV where the test said (no dialog), and read back.
    await browser.$(byTestId("tasks-export")).click();
    const saved = browser.$(byTestId("tasks-saved"));
    await saved.waitForExist({ timeout: 15_000 });
    const said = await textOf(browser, byTestId("tasks-saved"));
    // The line may cut a long path short; its tooltip holds it whole.
    const path = await saved.getAttribute("title");
    expect(said).toContain(`to ${path}`);
    expect(path!.startsWith(saveDir)).toBe(true);
    expect(path).toMatch(/agreement-sync-tasks-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(path!, "utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^Task,Order,Type,State,/);
    expect(lines.length - 1).toBe(await taskCount(browser));
    expect(csv).toContain("Green Lane LLC");
    expect(said).toContain(`Saved ${lines.length - 1} task`);
  });
});
