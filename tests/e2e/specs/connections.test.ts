import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import {
  byTestId,
  clearSimRequests,
  clickCheckChanges,
  freshDataDir,
  launchApp,
  simRequests,
  snapshot,
  startSim,
  taskCount,
  textOf,
  waitForCheckToEnd,
  type App,
  type Browser,
  type Sim,
} from "../harness";

let app: App | undefined;
let sim: Sim | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  await sim?.stop();
  sim = undefined;
});

/** What the "real" services on loopback accept: credentials only this test knows. */
const ACCOUNT = {
  companyId: "acme",
  publicKey: `pk-${process.pid}-Qv4TbN`,
  privateKey: `sk-${process.pid}-Hw8ZrC`,
  wrongPrivateKey: `sk-${process.pid}-WRONG1`,
  clientId: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  username: "billing@acme.example",
  password: `pw-${process.pid}-Lm2Xe`,
  subscriptionKey: `sub-${process.pid}-Gy6Pd`,
};

const SECRETS = [ACCOUNT.publicKey, ACCOUNT.privateKey, ACCOUNT.wrongPrivateKey, ACCOUNT.password, ACCOUNT.subscriptionKey];

async function fill(browser: Browser, testId: string, value: string): Promise<void> {
  const input = browser.$(byTestId(testId));
  await input.waitForDisplayed({ timeout: 10_000 });
  await input.scrollIntoView({ block: "center" });
  await input.waitForEnabled({ timeout: 10_000 });
  await input.clearValue();
  await input.addValue(value);
}

async function testResult(browser: Browser, service: "connectwise" | "marketplace"): Promise<{ outcome: string; text: string }> {
  const button = browser.$(byTestId(`test-${service}`));
  await button.waitForClickable({ timeout: 10_000 });
  await button.click();
  const result = browser.$(byTestId(`test-result-${service}`));
  await result.waitForExist({ timeout: 30_000 });
  await browser.waitUntil(async () => (await button.isEnabled()) && (await result.isExisting()), {
    timeout: 30_000,
    timeoutMsg: `Test connection (${service}) did not finish`,
  });
  return { outcome: (await result.getAttribute("data-outcome")) ?? "", text: await textOf(browser, byTestId(`test-result-${service}`)) };
}

/** Every file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function pageHtml(browser: Browser): Promise<string> {
  return browser.execute(() => document.documentElement.outerHTML);
}

async function switchProfile(browser: Browser, name: string): Promise<void> {
  const select = browser.$(byTestId("profile-switch"));
  await select.waitForEnabled({ timeout: 10_000 });
  await select.selectByVisibleText(name);
  await browser.waitUntil(async () => (await browser.$(byTestId("profile")).getText()).includes(name), {
    timeout: 30_000,
    timeoutMsg: `the profile ${name} did not open`,
  });
}

describe("connections and profiles", () => {
  test("a real profile on loopback: wrong key then right, Check Changes, and back to Demo's own tasks", async () => {
    const data = freshDataDir();
    // A second world: more customers than Demo's, and its own credentials.
    sim = await startSim(undefined, [
      "--customers",
      "30",
      "--cw-company-id",
      ACCOUNT.companyId,
      "--cw-public-key",
      ACCOUNT.publicKey,
      "--cw-private-key",
      ACCOUNT.privateKey,
      "--cw-client-id",
      ACCOUNT.clientId,
      "--mp-username",
      ACCOUNT.username,
      "--mp-password",
      ACCOUNT.password,
      "--mp-subscription-key",
      ACCOUNT.subscriptionKey,
    ]);
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: data });
    const { browser } = app;

    // Demo first: its tasks.
    await clickCheckChanges(browser);
    await waitForCheckToEnd(browser);
    const demoTasks = await taskCount(browser);
    expect(demoTasks).toBeGreaterThan(0);

    // A new profile, with one wrong key.
    await browser.$(byTestId("open-connections")).click();
    await browser.$(byTestId("connections")).waitForDisplayed({ timeout: 10_000 });
    await browser.$(byTestId("new-profile")).click();
    await fill(browser, "profile-name", "Acme on loopback");
    await fill(browser, "cw-site", sim.url);
    await fill(browser, "cw-company-id", ACCOUNT.companyId);
    await fill(browser, "cw-client-id", ACCOUNT.clientId);
    await fill(browser, "cw-public-key", ACCOUNT.publicKey);
    await fill(browser, "cw-private-key", ACCOUNT.wrongPrivateKey);
    await fill(browser, "mp-code", `${sim.url}/marketplace/us/`);
    await fill(browser, "mp-username", ACCOUNT.username);
    await fill(browser, "mp-password", ACCOUNT.password);
    await fill(browser, "mp-subscription-key", ACCOUNT.subscriptionKey);
    // Typed, not saved yet: said so, not "Not set".
    expect(await browser.$(byTestId("secret-state-mp-subscription-key")).getText()).toBe("Will be saved");
    snapshot("connections-typed");

    // No field sits under the Save footer: each one, scrolled to the bottom edge of the form,
    // is what a click at its centre reaches.
    for (const id of ["profile-name", "cw-site", "cw-company-id", "cw-client-id", "cw-public-key", "cw-private-key", "mp-code", "mp-username", "mp-password", "mp-subscription-key"]) {
      const reached = await browser.execute((testId: string) => {
        const field = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
        if (!field) return "missing";
        field.scrollIntoView({ block: "end" });
        const box = field.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return hit === field || field.contains(hit) ? "reached" : `covered by ${hit?.outerHTML.slice(0, 80) ?? "nothing"}`;
      }, id);
      expect(reached, id).toBe("reached");
    }

    const refused = await testResult(browser, "connectwise");
    expect(refused.outcome).toBe("error");
    expect(refused.text).toMatch(/refused the credentials/);
    expect(refused.text).toMatch(/Check the company id, the API member's public and private keys, and the client id/);
    snapshot("connections-wrong-key");

    // The right key.
    await fill(browser, "cw-private-key", ACCOUNT.privateKey);
    const reached = await testResult(browser, "connectwise");
    expect(reached.outcome).toBe("ok");
    expect(reached.text).toContain("Demo Cloud Reseller");
    // The codebase found by the test fills the empty field.
    expect(await browser.$(byTestId("cw-codebase")).getValue()).toBe("v4_6_release/");
    const signedIn = await testResult(browser, "marketplace");
    expect(signedIn.outcome).toBe("ok");
    expect(signedIn.text).toContain("/marketplace/us/");

    // Saved: the secrets show as set, and their values are nowhere in the page.
    await browser.$(byTestId("save-profile")).click();
    await browser.$(byTestId("save-status")).waitForDisplayed({ timeout: 15_000 });
    for (const id of ["cw-public-key", "cw-private-key", "mp-password", "mp-subscription-key"]) {
      const state = browser.$(byTestId(`secret-state-${id}`));
      await state.waitForExist({ timeout: 10_000 });
      expect(await state.getAttribute("data-set")).toBe("true");
      expect(await browser.$(byTestId(id)).isExisting()).toBe(false);
    }
    const html = await pageHtml(browser);
    for (const secret of SECRETS) expect(html).not.toContain(secret);
    snapshot("connections-saved");

    // Open it: its own, empty cache.
    await clearSimRequests(sim);
    await browser.$(byTestId("use-profile")).click();
    await browser.$(byTestId("connections")).waitForExist({ reverse: true, timeout: 30_000 });
    await browser.waitUntil(async () => (await browser.$(byTestId("profile")).getText()).includes("Acme on loopback"), {
      timeout: 30_000,
      timeoutMsg: "the new profile did not open",
    });
    expect(await browser.$(byTestId("demo-badge")).isExisting()).toBe(false);
    expect(await browser.$(byTestId("last-checked")).getText()).toMatch(/never/i);

    // The first day: a new profile with no tasks opens on Reconcile, which reads every active
    // subscription before any Check Changes.
    await browser.$(byTestId("reconcile-screen")).waitForExist({ timeout: 10_000 });
    const firstDay = browser.$(byTestId("reconcile-run"));
    await firstDay.waitForEnabled({ timeout: 30_000 });
    expect(await firstDay.getText()).toBe("Reconcile all active subscriptions");
    await firstDay.click();
    await browser.waitUntil(async () => Number(await browser.$(byTestId("reconcile-screen")).getAttribute("data-runs")) > 0, {
      timeout: 120_000,
      interval: 250,
      timeoutMsg: "the first reconcile did not finish",
    });
    expect(await browser.$(byTestId("reconcile-error")).isExisting()).toBe(false);
    const booked = Number((await textOf(browser, byTestId("book-count"))).replace(/\D/g, ""));
    expect(booked).toBeGreaterThan(12);
    expect(await textOf(browser, byTestId("last-reconciled"))).toBe("Reconciled just now");
    snapshot("real-profile-first-reconcile");

    await clickCheckChanges(browser);
    await waitForCheckToEnd(browser);
    await browser.$(byTestId("check-summary")).waitForExist({ timeout: 10_000 });
    const realTasks = await taskCount(browser);
    expect(realTasks).toBeGreaterThan(demoTasks);
    // Opening the profile asks whether the services answer, then the check reads: one sign-in.
    const signIns = (await simRequests(sim)).filter((q) => q.method === "POST" && q.path.endsWith("/token"));
    expect(signIns).toHaveLength(1);
    snapshot("real-profile-checked");

    // Back to Demo: Demo's tasks only.
    await switchProfile(browser, "Demo");
    await browser.$(byTestId("demo-badge")).waitForExist({ timeout: 10_000 });
    await browser.waitUntil(async () => (await taskCount(browser)) === demoTasks, {
      timeout: 20_000,
      timeoutMsg: `Demo should show its ${demoTasks} tasks`,
    });

    // And back again: the real profile kept its tasks.
    await switchProfile(browser, "Acme on loopback");
    await browser.waitUntil(async () => (await taskCount(browser)) === realTasks, {
      timeout: 20_000,
      timeoutMsg: `the real profile should show its ${realTasks} tasks`,
    });

    await app.close();
    app = undefined;
    // No file the app wrote (profile list, caches, logs) holds a secret.
    const files = filesUnder(data);
    const realCache = join(data, "profiles", "acme-on-loopback", "cache.sqlite");
    expect(files).toContain(realCache);
    expect(files.some((f) => f.endsWith(".log"))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of SECRETS) expect(bytes.includes(secret), `${file} holds a secret`).toBe(false);
    }

    // The next start opens the profile used last, with its tasks; removing it deletes its cache.
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: data });
    const again = app.browser;
    await again.waitUntil(async () => (await again.$(byTestId("profile")).getText()).includes("Acme on loopback"), {
      timeout: 30_000,
      timeoutMsg: "the profile used last did not open at start",
    });
    await again.waitUntil(async () => (await taskCount(again)) === realTasks, { timeout: 20_000, timeoutMsg: "its tasks are not shown" });
    await again.$(byTestId("open-connections")).click();
    await again.$(`${byTestId("profile-item")}[data-profile-id="acme-on-loopback"]`).click();
    await again.$(byTestId("remove-profile")).click();
    await again.$(byTestId("confirm-remove")).click();
    await again.$(`${byTestId("profile-item")}[data-profile-id="acme-on-loopback"]`).waitForExist({ reverse: true, timeout: 20_000 });
    await again.$(byTestId("close-connections")).click();
    await again.$(byTestId("demo-badge")).waitForExist({ timeout: 20_000 });
    await again.waitUntil(async () => (await taskCount(again)) === demoTasks, { timeout: 20_000, timeoutMsg: "Demo's tasks are not shown" });
    expect(existsSync(join(data, "profiles", "acme-on-loopback"))).toBe(false);
  });

  test("without an OS keyring the app says so and how to fix it, and Demo mode still works", async () => {
    // No Secret Service: a session bus address where nothing listens.
    app = await launchApp({ AGREEMENT_SYNC_DATA_DIR: freshDataDir(), DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" });
    const { browser } = app;
    await browser.$(byTestId("open-connections")).waitForClickable({ timeout: 30_000 });
    await browser.$(byTestId("open-connections")).click();
    const banner = browser.$(byTestId("keyring-unavailable"));
    await banner.waitForDisplayed({ timeout: 15_000 });
    const text = await banner.getText();
    expect(text).toMatch(/keyring is not available/i);
    expect(text).toMatch(/GNOME Keyring/);
    expect(text).toMatch(/Demo mode works without it/);

    // The settings can still be saved; the secrets can't be read, so the profile is not set up.
    await browser.$(byTestId("new-profile")).click();
    await fill(browser, "profile-name", "Acme without keyring");
    await fill(browser, "cw-site", "api-na.myconnectwise.net");
    await fill(browser, "cw-company-id", "acme");
    await fill(browser, "mp-code", "us");
    expect(await browser.$(byTestId("secret-state-cw-private-key")).getText()).toMatch(/can't be read/i);
    expect(await browser.$(byTestId("cw-private-key")).isExisting()).toBe(false);
    snapshot("connections-no-keyring");
    await browser.$(byTestId("save-profile")).click();
    await browser.$(byTestId("save-status")).waitForDisplayed({ timeout: 15_000 });
    await browser.$(byTestId("use-profile")).click();
    await browser.$(byTestId("connections")).waitForExist({ reverse: true, timeout: 30_000 });
    const badge = browser.$(`${byTestId("connectivity")}[data-state="notSetUp"]`);
    await badge.waitForExist({ timeout: 20_000 });
    expect(await textOf(browser, byTestId("not-set-up-line"))).toMatch(/keyring is not available/);
    expect(await browser.$(byTestId("offline-banner")).isExisting()).toBe(false);
    snapshot("profile-not-set-up");

    // Demo still works.
    await switchProfile(browser, "Demo");
    await clickCheckChanges(browser);
    await waitForCheckToEnd(browser);
    expect(await taskCount(browser)).toBeGreaterThan(0);
  });
});
