import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ConnectWiseTestView } from "./bindings/ConnectWiseTestView";
import type { ProfileInput } from "./bindings/ProfileInput";
import type { ProfilesView } from "./bindings/ProfilesView";
import { App } from "./App";
import * as ipc from "./ipc";
import {
  DEMO_PROFILE,
  FakeTasks,
  deferred,
  makeProfileForm,
  makeProfileSummary,
  makeProfiles,
  makeStatus,
} from "./test/fixtures";
import { addStyleSheets } from "./test/styles";

// Hoisted above the imports: the helper is imported inside the factory.
vi.mock("./ipc", async (importOriginal) => (await import("./test/mockIpc")).mockIpc(importOriginal));

const api = vi.mocked(ipc);
type User = ReturnType<typeof userEvent.setup>;

const CONTOSO = makeProfileSummary();
const FABRIKAM = makeProfileSummary({ id: "fabrikam", name: "Fabrikam", connectwiseSite: "", marketplace: "" });

/** Contoso open, beside Demo and Fabrikam. */
function profilesView(overrides: Partial<ProfilesView> = {}): ProfilesView {
  return makeProfiles({ activeId: CONTOSO.id, profiles: [DEMO_PROFILE, CONTOSO, FABRIKAM], ...overrides });
}

const CONNECTED: ConnectWiseTestView = {
  companyName: "Contoso Ltd",
  codebase: "v4_6_release/",
  missingPermissions: [],
  keyField: "Keys go in Serial Number: no addition custom field is named.",
  keyFieldOk: true,
};

beforeEach(() => {
  vi.resetAllMocks();
  const tasks = new FakeTasks(3);
  api.appStatus.mockResolvedValue(makeStatus({ profileName: "Contoso", demo: false }));
  api.checkConnectivity.mockResolvedValue({ state: "online" });
  api.listTasks.mockImplementation((query, offset, limit) => Promise.resolve(tasks.list(query, offset, limit)));
  api.listProfiles.mockResolvedValue(profilesView());
  api.getProfile.mockImplementation((id) =>
    Promise.resolve(id === FABRIKAM.id ? makeProfileForm({ id, name: "Fabrikam" }) : makeProfileForm({ id })),
  );
});

/** Opens the app, then Connections; resolves with the dialog. */
async function openConnections(user: User): Promise<HTMLElement> {
  render(<App />);
  await user.click(await screen.findByTestId("open-connections"));
  return screen.findByTestId("connections");
}

/** Opens Connections on the open profile's form. */
async function openForm(user: User): Promise<HTMLElement> {
  await openConnections(user);
  return screen.findByTestId("profile-form");
}

function item(id: string): HTMLElement {
  const found = screen.getAllByTestId("profile-item").find((element) => element.dataset.profileId === id);
  if (found === undefined) throw new Error(`no profile item ${id}`);
  return found;
}

function secretState(testId: string): HTMLElement {
  return screen.getByTestId(`secret-state-${testId}`);
}

/** The input of the last `saveProfile` (or test) call. */
function lastInput(mock: { mock: { calls: [ProfileInput][] } }): ProfileInput {
  const call = mock.mock.calls.at(-1);
  if (call === undefined) throw new Error("not called");
  return call[0];
}

describe("the Connections screen", () => {
  it("opens from the header over the window, on the open profile, and closes with Esc or Close", async () => {
    const user = userEvent.setup();
    const dialog = await openConnections(user);
    expect(dialog).toHaveAttribute("role", "dialog");
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(screen.getByRole("dialog", { name: "Connections" })).toBe(dialog);
    expect(document.querySelector(".task-table")?.closest("[inert]")).not.toBeNull();

    expect(await screen.findByTestId("profile-form")).toHaveAttribute("data-profile-id", "contoso");
    expect(item("contoso")).toHaveAttribute("aria-current", "true");
    expect(within(item("contoso")).getByText("Open")).toBeInTheDocument();
    expect(within(item("demo")).queryByText("Open")).not.toBeInTheDocument();
    // Its addresses in full, also as a tooltip (a long loopback address is never cut).
    const addresses = item("contoso").querySelector(".profile-item-sub");
    expect(addresses).toHaveTextContent("api-na.myconnectwise.net · us");
    expect(addresses).toHaveAttribute("title", "api-na.myconnectwise.net · us");
    expect(api.getProfile).toHaveBeenCalledWith("contoso");
    // The form opens on its first field.
    expect(screen.getByTestId("profile-name")).toHaveFocus();
    expect(screen.getByTestId("profile-name")).toHaveValue("Contoso");
    expect(screen.getByTestId("cw-site")).toHaveValue("api-na.myconnectwise.net");
    expect(screen.getByLabelText("Site")).toBe(screen.getByTestId("cw-site"));
    expect(screen.getByLabelText("Marketplace")).toBe(screen.getByTestId("mp-code"));

    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("connections")).not.toBeInTheDocument();
    expect(screen.getByTestId("open-connections")).toHaveFocus();

    await user.click(screen.getByTestId("open-connections"));
    await screen.findByTestId("profile-form");
    await user.click(screen.getByTestId("close-connections"));
    expect(screen.queryByTestId("connections")).not.toBeInTheDocument();
  });

  it("asks before unsaved changes are discarded", async () => {
    const user = userEvent.setup();
    await openForm(user);
    await user.type(screen.getByTestId("profile-name"), " Prod");
    await user.keyboard("{Escape}");
    const question = screen.getByTestId("discard-confirm");
    expect(question).toHaveTextContent("Discard unsaved changes?");
    expect(screen.getByTestId("discard-changes")).toHaveFocus();

    await user.click(screen.getByTestId("keep-editing"));
    expect(screen.queryByTestId("discard-confirm")).not.toBeInTheDocument();
    expect(screen.getByTestId("profile-name")).toHaveValue("Contoso Prod");
    expect(screen.getByTestId("profile-name")).toHaveFocus();

    // Picking another profile asks too.
    await user.click(item("demo"));
    expect(screen.getByTestId("discard-confirm")).toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("discard-confirm")).not.toBeInTheDocument();
    expect(screen.getByTestId("profile-form")).toBeInTheDocument();

    await user.click(screen.getByTestId("close-connections"));
    await user.click(screen.getByTestId("discard-changes"));
    expect(screen.queryByTestId("connections")).not.toBeInTheDocument();
    expect(api.saveProfile).not.toHaveBeenCalled();
  });

  it("shows Demo read only, and opens it with Use this profile", async () => {
    const user = userEvent.setup();
    await openForm(user);
    api.switchProfile.mockResolvedValue(makeStatus({ profileName: "Demo", demo: true }));
    api.listProfiles.mockResolvedValue(profilesView({ activeId: "demo" }));

    await user.click(item("demo"));
    const demo = screen.getByTestId("demo-profile");
    expect(demo).toHaveTextContent("Demo mode uses the built-in simulator with made-up customers; there is nothing to set up.");
    expect(within(demo).queryByRole("textbox")).not.toBeInTheDocument();
    expect(screen.queryByTestId("save-profile")).not.toBeInTheDocument();
    expect(screen.queryByTestId("remove-profile")).not.toBeInTheDocument();
    expect(api.getProfile).not.toHaveBeenCalledWith("demo");

    await user.click(within(demo).getByTestId("use-profile"));
    expect(api.switchProfile).toHaveBeenCalledWith("demo");
    await waitFor(() => expect(screen.queryByTestId("connections")).not.toBeInTheDocument());
    expect(await screen.findByTestId("demo-badge")).toBeInTheDocument();
  });

  it("offers no Use this profile on the open Demo", async () => {
    const user = userEvent.setup();
    api.listProfiles.mockResolvedValue(profilesView({ activeId: "demo" }));
    await openConnections(user);
    const demo = await screen.findByTestId("demo-profile");
    expect(within(demo).getByText("Open")).toBeInTheDocument();
    expect(screen.queryByTestId("use-profile")).not.toBeInTheDocument();
  });
});

describe("secrets", () => {
  it("shows a set secret as Set, with no input and no value anywhere", async () => {
    const user = userEvent.setup();
    await openForm(user);
    for (const testId of ["cw-public-key", "cw-private-key", "mp-password", "mp-subscription-key"]) {
      expect(secretState(testId)).toHaveTextContent("Set");
      expect(secretState(testId)).toHaveAttribute("data-set", "true");
      expect(screen.queryByTestId(testId)).not.toBeInTheDocument();
      expect(screen.getByTestId(`replace-${testId}`)).toBeEnabled();
      expect(screen.getByTestId(`remove-${testId}`)).toBeEnabled();
    }
    expect(document.querySelectorAll('input[type="password"]')).toHaveLength(0);

    // A value typed to replace one lives in the input only: no attribute, no text carries it.
    await user.click(screen.getByTestId("replace-cw-private-key"));
    const input = screen.getByTestId("cw-private-key");
    expect(input).toHaveFocus();
    expect(input).toHaveAttribute("type", "password");
    expect(input).toHaveAttribute("autocomplete", "off");
    expect(input).toHaveAttribute("spellcheck", "false");
    await user.type(input, "pk-s3cret-value");
    expect(input).toHaveValue("pk-s3cret-value");
    expect(document.documentElement.outerHTML).not.toContain("pk-s3cret-value");
  });

  it("shows a secret that is not set as Not set, with its input at once", async () => {
    const user = userEvent.setup();
    api.getProfile.mockResolvedValue(makeProfileForm({ marketplace: { passwordSet: false } }));
    await openForm(user);
    expect(secretState("mp-password")).toHaveTextContent("Not set");
    expect(secretState("mp-password")).toHaveAttribute("data-set", "false");
    expect(screen.getByTestId("mp-password")).toHaveAttribute("type", "password");
    expect(screen.getByLabelText("Password")).toBe(screen.getByTestId("mp-password"));
    expect(screen.queryByTestId("replace-mp-password")).not.toBeInTheDocument();
  });

  it("sends keep, replace or remove for each secret as the user left it", async () => {
    const user = userEvent.setup();
    api.getProfile.mockResolvedValue(makeProfileForm({ marketplace: { passwordSet: false } }));
    api.saveProfile.mockResolvedValue(makeProfileForm({ connectwise: { publicKeySet: false } }));
    await openForm(user);

    // Private key: replaced.
    await user.click(screen.getByTestId("replace-cw-private-key"));
    await user.type(screen.getByTestId("cw-private-key"), "new-private");
    // Public key: removed.
    await user.click(screen.getByTestId("remove-cw-public-key"));
    expect(secretState("cw-public-key")).toHaveTextContent("Will be removed on Save");
    expect(secretState("cw-public-key")).toHaveAttribute("data-set", "false");
    expect(screen.getByTestId("undo-cw-public-key")).toHaveFocus();
    // Subscription key: removed, then taken back.
    await user.click(screen.getByTestId("remove-mp-subscription-key"));
    await user.click(screen.getByTestId("undo-mp-subscription-key"));
    expect(secretState("mp-subscription-key")).toHaveTextContent("Set");
    expect(screen.getByTestId("remove-mp-subscription-key")).toHaveFocus();
    // Password (not set): left empty, so kept.
    expect(screen.getByTestId("mp-password")).toHaveValue("");

    await user.click(screen.getByTestId("save-profile"));
    expect(api.saveProfile).toHaveBeenCalledTimes(1);
    const input = lastInput(api.saveProfile);
    expect(input.id).toBe("contoso");
    expect(input.connectwise.privateKey).toEqual({ action: "replace", value: "new-private" });
    expect(input.connectwise.publicKey).toEqual({ action: "remove" });
    expect(input.marketplace.subscriptionKey).toEqual({ action: "keep" });
    expect(input.marketplace.password).toEqual({ action: "keep" });
  });

  it("keeps a secret whose replacement was cancelled or left empty", async () => {
    const user = userEvent.setup();
    api.saveProfile.mockResolvedValue(makeProfileForm({ name: "Contoso 2" }));
    await openForm(user);

    await user.click(screen.getByTestId("replace-mp-password"));
    await user.type(screen.getByTestId("mp-password"), "typed-then-cancelled");
    await user.click(screen.getByTestId("cancel-mp-password"));
    expect(screen.queryByTestId("mp-password")).not.toBeInTheDocument();
    expect(secretState("mp-password")).toHaveTextContent("Set");
    expect(screen.getByTestId("replace-mp-password")).toHaveFocus();

    await user.click(screen.getByTestId("replace-cw-public-key"));
    await user.type(screen.getByTestId("profile-name"), " 2");
    await user.click(screen.getByTestId("save-profile"));
    const input = lastInput(api.saveProfile);
    expect(input.marketplace.password).toEqual({ action: "keep" });
    expect(input.connectwise.publicKey).toEqual({ action: "keep" });
    expect(JSON.stringify(input)).not.toContain("typed-then-cancelled");
  });
});

describe("Test connection", () => {
  it("tries the form as it is and says which company it reached", async () => {
    const user = userEvent.setup();
    const run = deferred<ConnectWiseTestView>();
    api.testConnectWise.mockReturnValue(run.promise);
    await openForm(user);
    await user.clear(screen.getByTestId("cw-company-id"));
    await user.type(screen.getByTestId("cw-company-id"), "contoso2");

    await user.click(screen.getByTestId("test-connectwise"));
    expect(screen.getByTestId("test-connectwise")).toHaveTextContent("Testing…");
    expect(screen.getByTestId("test-connectwise")).toBeDisabled();
    const input = lastInput(api.testConnectWise);
    expect(input).toMatchObject({ id: "contoso", name: "Contoso", connectwise: { companyId: "contoso2", privateKey: { action: "keep" } } });
    expect(api.saveProfile).not.toHaveBeenCalled();

    await act(async () => run.resolve(CONNECTED));
    const result = screen.getByTestId("test-result-connectwise");
    expect(result).toHaveAttribute("data-outcome", "ok");
    expect(result).toHaveTextContent("Connected to ConnectWise: Contoso Ltd");
    expect(result).toHaveTextContent("codebase v4_6_release/");
    expect(screen.getByTestId("test-connectwise")).toHaveTextContent("Test connection");
    expect(screen.getByTestId("test-connectwise")).toBeEnabled();

    // Editing the section clears the result: it was about other values.
    await user.type(screen.getByTestId("cw-site"), "x");
    expect(screen.queryByTestId("test-result-connectwise")).not.toBeInTheDocument();
  });

  it("lists the permissions the API member's role lacks", async () => {
    const user = userEvent.setup();
    api.testConnectWise.mockResolvedValue({
      ...CONNECTED,
      missingPermissions: ["Finance › Agreements: Edit (to write additions)", "Procurement › Product Catalog: Inquire (to map products)"],
    });
    await openForm(user);
    await user.click(screen.getByTestId("test-connectwise"));
    const result = await screen.findByTestId("test-result-connectwise");
    expect(result).toHaveAttribute("data-outcome", "warning");
    expect(result).toHaveTextContent("Connected to Contoso Ltd, but the API member's security role lacks:");
    expect(within(result).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Finance › Agreements: Edit (to write additions)",
      "Procurement › Product Catalog: Inquire (to map products)",
    ]);
    expect(result).toHaveTextContent("Grant them in ConnectWise under System › Security Roles.");
  });

  it("shows the error and marks the field it names, until that section is edited", async () => {
    const user = userEvent.setup();
    api.testConnectWise.mockRejectedValue(
      new ipc.IpcError({ code: "invalid", message: "The site is a host name, such as api-na.myconnectwise.net.", field: "site" }),
    );
    await openForm(user);
    await user.click(screen.getByTestId("test-connectwise"));
    const result = await screen.findByTestId("test-result-connectwise");
    expect(result).toHaveAttribute("data-outcome", "error");
    expect(result).toHaveTextContent("The site is a host name, such as api-na.myconnectwise.net.");
    const site = screen.getByTestId("cw-site");
    expect(site).toHaveAttribute("aria-invalid", "true");
    expect(site.getAttribute("aria-describedby")).toContain(result.id);
    expect(screen.getByTestId("cw-company-id")).toHaveAttribute("aria-invalid", "false");

    // The other section is not the one at fault.
    await user.type(screen.getByTestId("mp-username"), "x");
    expect(screen.getByTestId("test-result-connectwise")).toBeInTheDocument();
    expect(site).toHaveAttribute("aria-invalid", "true");

    await user.type(site, "x");
    expect(site).toHaveAttribute("aria-invalid", "false");
    expect(screen.queryByTestId("test-result-connectwise")).not.toBeInTheDocument();
  });

  it("shows an unauthorized answer without a field", async () => {
    const user = userEvent.setup();
    api.testConnectWise.mockRejectedValue(
      new ipc.IpcError({ code: "unauthorized", message: "ConnectWise refused the API keys: check the public and private key.", field: null }),
    );
    await openForm(user);
    await user.click(screen.getByTestId("test-connectwise"));
    const result = await screen.findByTestId("test-result-connectwise");
    expect(result).toHaveAttribute("data-outcome", "error");
    expect(result).toHaveTextContent("ConnectWise refused the API keys");
    expect(screen.getByTestId("profile-form").querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);
  });

  it("fills an empty codebase with the one it found, and saves it", async () => {
    const user = userEvent.setup();
    api.getProfile.mockResolvedValue(makeProfileForm({ connectwise: { codebase: "" } }));
    api.testConnectWise.mockResolvedValue(CONNECTED);
    api.saveProfile.mockResolvedValue(makeProfileForm());
    await openForm(user);
    expect(screen.getByTestId("cw-codebase")).toHaveValue("");
    expect(screen.getByTestId("cw-codebase")).toHaveAttribute("placeholder", "found by Test connection");
    expect(screen.getByTestId("save-profile")).toBeDisabled();

    await user.click(screen.getByTestId("test-connectwise"));
    await waitFor(() => expect(screen.getByTestId("cw-codebase")).toHaveValue("v4_6_release/"));
    // Filling it in is not an edit that makes the result stale.
    expect(screen.getByTestId("test-result-connectwise")).toHaveAttribute("data-outcome", "ok");
    await user.click(screen.getByTestId("save-profile"));
    expect(lastInput(api.saveProfile).connectwise.codebase).toBe("v4_6_release/");
  });

  it("leaves a typed codebase as it is", async () => {
    const user = userEvent.setup();
    api.testConnectWise.mockResolvedValue({ ...CONNECTED, codebase: "v2025_1/" });
    await openForm(user);
    await user.click(screen.getByTestId("test-connectwise"));
    expect(await screen.findByTestId("test-result-connectwise")).toHaveTextContent("codebase v2025_1/");
    expect(screen.getByTestId("cw-codebase")).toHaveValue("v4_6_release/");
  });

  it("signs in to the marketplace", async () => {
    const user = userEvent.setup();
    api.testMarketplace.mockResolvedValue({ baseUrl: "https://api.cloud.im/marketplace/eu/" });
    await openForm(user);
    await user.clear(screen.getByTestId("mp-code"));
    await user.type(screen.getByTestId("mp-code"), "eu");
    await user.click(screen.getByTestId("test-marketplace"));
    const result = await screen.findByTestId("test-result-marketplace");
    expect(result).toHaveAttribute("data-outcome", "ok");
    expect(result).toHaveTextContent("Signed in to the Cloud Marketplace at https://api.cloud.im/marketplace/eu/");
    expect(lastInput(api.testMarketplace).marketplace).toEqual({
      codeOrUrl: "eu",
      username: "billing@contoso.example",
      password: { action: "keep" },
      subscriptionKey: { action: "keep" },
    });
    expect(screen.getByTestId("mp-code")).toHaveAttribute("list");
  });
});

describe("Save", () => {
  it("saves, shows the form as Rust has it now, and reads the list again", async () => {
    const user = userEvent.setup();
    api.saveProfile.mockResolvedValue(makeProfileForm({ name: "Contoso Prod", marketplace: { passwordSet: true } }));
    api.getProfile.mockResolvedValue(makeProfileForm({ marketplace: { passwordSet: false } }));
    await openForm(user);
    const listed = api.listProfiles.mock.calls.length;

    await user.type(screen.getByTestId("profile-name"), " Prod");
    expect(screen.getByTestId("unsaved-note")).toHaveTextContent("Unsaved changes");
    await user.type(screen.getByTestId("mp-password"), "hunter2-pw");
    api.listProfiles.mockResolvedValue(profilesView({ profiles: [DEMO_PROFILE, { ...CONTOSO, name: "Contoso Prod" }, FABRIKAM] }));
    await user.click(screen.getByTestId("save-profile"));

    expect(await screen.findByTestId("save-status")).toHaveTextContent("Saved");
    expect(lastInput(api.saveProfile)).toMatchObject({ id: "contoso", name: "Contoso Prod", marketplace: { password: { action: "replace", value: "hunter2-pw" } } });
    // The password is set now: no input, no value left.
    expect(secretState("mp-password")).toHaveTextContent("Set");
    expect(screen.queryByTestId("mp-password")).not.toBeInTheDocument();
    expect(document.documentElement.outerHTML).not.toContain("hunter2-pw");
    expect(screen.getByTestId("profile-title")).toHaveTextContent("Contoso Prod");
    expect(screen.getByTestId("save-profile")).toBeDisabled();
    await waitFor(() => expect(api.listProfiles.mock.calls.length).toBeGreaterThan(listed));
    await waitFor(() => expect(item("contoso")).toHaveTextContent("Contoso Prod"));
    // Saving the open profile re-reads its status (its name, its connection).
    await waitFor(() => expect(api.appStatus.mock.calls.length).toBeGreaterThan(1));

    // Closing without changes asks nothing.
    await user.click(screen.getByTestId("close-connections"));
    expect(screen.queryByTestId("connections")).not.toBeInTheDocument();
  });

  it("keeps everything typed when Rust refuses, and marks the field", async () => {
    const user = userEvent.setup();
    api.saveProfile.mockRejectedValue(
      new ipc.IpcError({ code: "invalid", message: "The client id is a GUID from developer.connectwise.com.", field: "clientId" }),
    );
    await openForm(user);
    await user.clear(screen.getByTestId("cw-client-id"));
    await user.type(screen.getByTestId("cw-client-id"), "not-a-guid");
    await user.click(screen.getByTestId("replace-cw-private-key"));
    await user.type(screen.getByTestId("cw-private-key"), "typed-key");
    await user.click(screen.getByTestId("save-profile"));

    const error = await screen.findByTestId("save-error");
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent("The client id is a GUID from developer.connectwise.com.");
    const clientId = screen.getByTestId("cw-client-id");
    expect(clientId).toHaveAttribute("aria-invalid", "true");
    expect(clientId).toHaveFocus();
    expect(clientId).toHaveValue("not-a-guid");
    expect(screen.getByTestId("cw-private-key")).toHaveValue("typed-key");
    expect(screen.queryByTestId("save-status")).not.toBeInTheDocument();

    // Saved the second time, with the same secret.
    api.saveProfile.mockResolvedValue(makeProfileForm());
    await user.clear(clientId);
    await user.type(clientId, "1b2c3d4e-0000-4000-8000-123456789abc");
    expect(clientId).toHaveAttribute("aria-invalid", "false");
    await user.click(screen.getByTestId("save-profile"));
    expect(await screen.findByTestId("save-status")).toHaveTextContent("Saved");
    expect(lastInput(api.saveProfile).connectwise.privateKey).toEqual({ action: "replace", value: "typed-key" });
    expect(screen.queryByTestId("save-error")).not.toBeInTheDocument();
  });

  it("adds a new profile and selects it once saved", async () => {
    const user = userEvent.setup();
    const created = makeProfileForm({
      id: "northwind",
      name: "Northwind",
      connectwise: { privateKeySet: true, publicKeySet: false },
      marketplace: { passwordSet: false, subscriptionKeySet: false },
    });
    api.saveProfile.mockResolvedValue(created);
    await openForm(user);

    await user.click(screen.getByTestId("new-profile"));
    const form = await screen.findByTestId("profile-form");
    expect(form).toHaveAttribute("data-profile-id", "");
    expect(screen.getByTestId("profile-title")).toHaveTextContent("New profile");
    expect(screen.getByTestId("profile-name")).toHaveValue("");
    expect(screen.getByTestId("profile-name")).toHaveFocus();
    expect(screen.getByTestId("cw-site")).toHaveAttribute("placeholder", "api-na.myconnectwise.net");
    for (const testId of ["cw-public-key", "cw-private-key", "mp-password", "mp-subscription-key"]) {
      expect(secretState(testId)).toHaveTextContent("Not set");
      expect(screen.getByTestId(testId)).toHaveValue("");
    }
    expect(screen.queryByTestId("use-profile")).not.toBeInTheDocument();
    expect(screen.queryByTestId("remove-profile")).not.toBeInTheDocument();

    // Enter in a field does not save.
    await user.type(screen.getByTestId("profile-name"), "Northwind{Enter}");
    expect(api.saveProfile).not.toHaveBeenCalled();
    await user.type(screen.getByTestId("cw-site"), "api-eu.myconnectwise.net");
    await user.type(screen.getByTestId("cw-private-key"), "pk");

    api.listProfiles.mockResolvedValue(profilesView({ profiles: [DEMO_PROFILE, CONTOSO, FABRIKAM, makeProfileSummary({ id: "northwind", name: "Northwind" })] }));
    await user.click(screen.getByTestId("save-profile"));
    expect(lastInput(api.saveProfile)).toMatchObject({
      id: null,
      name: "Northwind",
      connectwise: { site: "api-eu.myconnectwise.net", privateKey: { action: "replace", value: "pk" }, publicKey: { action: "keep" } },
    });
    expect(await screen.findByTestId("save-status")).toHaveTextContent("Saved");
    expect(screen.getByTestId("profile-form")).toHaveAttribute("data-profile-id", "northwind");
    await waitFor(() => expect(item("northwind")).toHaveAttribute("aria-current", "true"));
    expect(secretState("cw-private-key")).toHaveTextContent("Set");
    expect(screen.getByTestId("use-profile")).toBeEnabled();
    expect(screen.getByTestId("remove-profile")).toBeEnabled();
    expect(api.getProfile).not.toHaveBeenCalledWith("northwind");
  });

  it("opens a saved profile with Use this profile, only once its changes are saved", async () => {
    const user = userEvent.setup();
    api.switchProfile.mockResolvedValue(makeStatus({ profileName: "Fabrikam", demo: false }));
    await openForm(user);
    await user.click(item("fabrikam"));
    await waitFor(() => expect(screen.getByTestId("profile-form")).toHaveAttribute("data-profile-id", "fabrikam"));
    expect(screen.getByTestId("use-profile")).toBeEnabled();

    await user.type(screen.getByTestId("mp-username"), "x");
    expect(screen.getByTestId("use-profile")).toBeDisabled();
    expect(screen.getByTestId("use-profile-hint")).toHaveTextContent("Save your changes first");
    await user.type(screen.getByTestId("mp-username"), "{Backspace}");
    expect(screen.getByTestId("use-profile")).toBeEnabled();

    api.listProfiles.mockResolvedValue(profilesView({ activeId: "fabrikam" }));
    await user.click(screen.getByTestId("use-profile"));
    expect(api.switchProfile).toHaveBeenCalledWith("fabrikam");
    await waitFor(() => expect(screen.queryByTestId("connections")).not.toBeInTheDocument());
    expect(screen.getByTestId("profile-switch")).toHaveValue("fabrikam");
  });
});

describe("Remove profile", () => {
  it("asks inside the screen, removes, then shows Demo", async () => {
    const user = userEvent.setup();
    api.listProfiles.mockResolvedValue(profilesView({ activeId: "demo" }));
    api.removeProfile.mockResolvedValue(makeProfiles({ activeId: "demo", profiles: [DEMO_PROFILE, FABRIKAM] }));
    await openConnections(user);
    await user.click(item("contoso"));
    await screen.findByTestId("profile-form");

    await user.click(screen.getByTestId("remove-profile"));
    const question = screen.getByTestId("remove-confirm");
    expect(question).toHaveTextContent(
      "Remove Contoso? Its cached tasks and its credentials in the keyring are deleted. This cannot be undone.",
    );
    expect(screen.getByTestId("confirm-remove")).toHaveFocus();
    await user.click(screen.getByTestId("cancel-remove"));
    expect(screen.queryByTestId("remove-confirm")).not.toBeInTheDocument();
    expect(api.removeProfile).not.toHaveBeenCalled();
    expect(screen.getByTestId("remove-profile")).toHaveFocus();

    // Esc takes the question back, and only the question.
    await user.click(screen.getByTestId("remove-profile"));
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("remove-confirm")).not.toBeInTheDocument();
    expect(screen.getByTestId("connections")).toBeInTheDocument();

    await user.click(screen.getByTestId("remove-profile"));
    await user.click(screen.getByTestId("confirm-remove"));
    expect(api.removeProfile).toHaveBeenCalledWith("contoso");
    expect(await screen.findByTestId("demo-profile")).toBeInTheDocument();
    expect(item("demo")).toHaveAttribute("aria-current", "true");
    expect(screen.getAllByTestId("profile-item").map((element) => element.dataset.profileId)).toEqual(["demo", "fabrikam"]);
    // Demo was open already: the window is left as it is.
    expect(api.appStatus).toHaveBeenCalledTimes(1);
  });

  it("puts the window on Demo when the open profile is removed", async () => {
    const user = userEvent.setup();
    api.removeProfile.mockResolvedValue(makeProfiles({ activeId: "demo", profiles: [DEMO_PROFILE, FABRIKAM] }));
    await openForm(user);
    expect(screen.queryByTestId("demo-badge")).not.toBeInTheDocument();
    const listed = api.listTasks.mock.calls.length;

    api.appStatus.mockResolvedValue(makeStatus({ profileName: "Demo", demo: true }));
    await user.click(screen.getByTestId("remove-profile"));
    await user.click(screen.getByTestId("confirm-remove"));
    expect(await screen.findByTestId("demo-profile")).toBeInTheDocument();
    expect(await screen.findByTestId("demo-badge")).toBeInTheDocument();
    expect(api.listTasks.mock.calls.length).toBeGreaterThan(listed);
    expect(screen.queryByTestId("use-profile")).not.toBeInTheDocument();
  });

  it("shows why a profile could not be removed", async () => {
    const user = userEvent.setup();
    api.removeProfile.mockRejectedValue(new ipc.IpcError({ code: "keyring", message: "The keyring refused to delete the private key.", field: null }));
    await openForm(user);
    await user.click(screen.getByTestId("remove-profile"));
    await user.click(screen.getByTestId("confirm-remove"));
    expect(await screen.findByTestId("remove-error")).toHaveTextContent("The keyring refused to delete the private key.");
    expect(screen.getByTestId("profile-form")).toHaveAttribute("data-profile-id", "contoso");
  });
});

describe("when profiles can't be kept", () => {
  it("explains a missing keyring and disables the secrets, not the other settings", async () => {
    const user = userEvent.setup();
    api.listProfiles.mockResolvedValue(
      profilesView({ keyring: { state: "unavailable", message: "No OS keyring is available (no D-Bus session): start a Secret Service such as gnome-keyring." } }),
    );
    api.getProfile.mockResolvedValue(makeProfileForm({ marketplace: { passwordSet: false } }));
    await openForm(user);

    const banner = screen.getByTestId("keyring-unavailable");
    expect(banner).toHaveAttribute("role", "alert");
    expect(banner).toHaveTextContent("No OS keyring is available (no D-Bus session): start a Secret Service such as gnome-keyring.");
    expect(screen.getAllByTestId("secrets-disabled").length).toBeGreaterThan(0);
    // Whether a secret is set can't be known without the keyring: neither "Set" nor "Not set".
    for (const id of ["cw-public-key", "cw-private-key", "mp-password", "mp-subscription-key"]) {
      expect(screen.getByTestId(`secret-state-${id}`)).toHaveTextContent("Can't be read");
      expect(screen.queryByTestId(id)).not.toBeInTheDocument();
      expect(screen.queryByTestId(`replace-${id}`)).not.toBeInTheDocument();
    }
    expect(screen.getByTestId("cw-site")).toBeEnabled();

    api.saveProfile.mockResolvedValue(makeProfileForm({ connectwise: { site: "api-eu.myconnectwise.net" }, marketplace: { passwordSet: false } }));
    await user.clear(screen.getByTestId("cw-site"));
    await user.type(screen.getByTestId("cw-site"), "api-eu.myconnectwise.net");
    await user.click(screen.getByTestId("save-profile"));
    expect(await screen.findByTestId("save-status")).toHaveTextContent("Saved");
  });

  it("shows the problem with the saved profiles and changes nothing", async () => {
    const user = userEvent.setup();
    api.listProfiles.mockResolvedValue(
      profilesView({ problem: "The saved profiles in /home/a/.config/agreement-sync/profiles.json can't be read: line 3: expected a value." }),
    );
    await openForm(user);
    expect(screen.getByTestId("profiles-problem")).toHaveTextContent("profiles.json can't be read: line 3");
    expect(screen.getByTestId("new-profile")).toBeDisabled();
    await user.type(screen.getByTestId("profile-name"), " 2");
    expect(screen.getByTestId("save-profile")).toBeDisabled();
    expect(screen.getByTestId("remove-profile")).toBeDisabled();
  });
});

describe("the addition custom field for keys", () => {
  const HINT =
    "Agreement Sync marks each addition it creates with a key so other desks recognise it. Name an addition custom field of type Text to keep keys off invoices; leave empty to use Serial Number.";

  it("is an optional ConnectWise setting, explained, and sent as additionKeyField", async () => {
    const user = userEvent.setup();
    api.getProfile.mockResolvedValue(makeProfileForm({ connectwise: { additionKeyField: "AS Key" } }));
    api.saveProfile.mockResolvedValue(makeProfileForm({ connectwise: { additionKeyField: "Agreement Sync key" } }));
    api.testConnectWise.mockResolvedValue(CONNECTED);
    await openForm(user);
    const field = screen.getByLabelText(/^Addition custom field for keys/);
    expect(field).toBe(screen.getByTestId("cw-addition-key-field"));
    expect(field).toHaveValue("AS Key");
    expect(field).toHaveAttribute("placeholder", "Serial Number");
    expect(field.closest(".form-row")).toHaveTextContent("(optional)");
    expect(field).toHaveAccessibleDescription(HINT);

    await user.clear(field);
    await user.type(field, "Agreement Sync key");
    await user.click(screen.getByTestId("test-connectwise"));
    expect(lastInput(api.testConnectWise).connectwise.additionKeyField).toBe("Agreement Sync key");
    await user.click(screen.getByTestId("save-profile"));
    expect(await screen.findByTestId("save-status")).toHaveTextContent("Saved");
    expect(lastInput(api.saveProfile).connectwise.additionKeyField).toBe("Agreement Sync key");
    expect(field).toHaveValue("Agreement Sync key");

    // Emptied: Serial Number.
    await user.clear(field);
    await user.click(screen.getByTestId("save-profile"));
    expect(lastInput(api.saveProfile).connectwise.additionKeyField).toBe("");
  });

  it("is marked when Rust refuses it, with the reason", async () => {
    const user = userEvent.setup();
    const message = "The addition custom field's name is at most 50 characters.";
    api.saveProfile.mockRejectedValue(new ipc.IpcError({ code: "invalid", message, field: "additionKeyField" }));
    await openForm(user);
    const field = screen.getByTestId("cw-addition-key-field");
    await user.type(field, "x".repeat(60));
    await user.click(screen.getByTestId("save-profile"));
    const error = await screen.findByTestId("save-error");
    expect(error).toHaveTextContent(message);
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field).toHaveFocus();
    expect(field.getAttribute("aria-describedby")).toContain(error.id);
    await user.type(field, "{Backspace}");
    expect(field).toHaveAttribute("aria-invalid", "false");
  });

  it("Test connection says where the keys go, and warns when the field named can't hold them", async () => {
    const user = userEvent.setup();
    const found = "The addition custom field “AS Key” exists and is Text: Agreement Sync keys go there.";
    api.testConnectWise.mockResolvedValue({ ...CONNECTED, keyField: found });
    await openForm(user);
    await user.click(screen.getByTestId("test-connectwise"));
    let result = await screen.findByTestId("test-result-connectwise");
    expect(result).toHaveAttribute("data-outcome", "ok");
    expect(within(result).getByTestId("cw-key-field")).toHaveTextContent(found);

    const missing =
      "ConnectWise has no addition custom field “AS Key”, so Serial Number will be used instead. Add it under System › Setup Tables › Custom Fields (screen: Agreement Additions, type Text).";
    api.testConnectWise.mockResolvedValue({ ...CONNECTED, keyField: missing, keyFieldOk: false });
    await user.click(screen.getByTestId("test-connectwise"));
    await waitFor(() => expect(screen.getByTestId("cw-key-field")).toHaveTextContent(missing));
    result = screen.getByTestId("test-result-connectwise");
    // A warning, not an error: the connection works, and Serial Number is used.
    expect(result).toHaveAttribute("data-outcome", "warning");
    expect(result).toHaveTextContent("Connected to ConnectWise: Contoso Ltd");
    expect(within(result).getByTestId("cw-key-field")).toHaveAttribute("data-ok", "false");
  });
});

describe("what each field is and what becomes of it", () => {
  it("says a secret typed for a profile will be saved, not that it is not set", async () => {
    const user = userEvent.setup();
    api.getProfile.mockResolvedValue(makeProfileForm({ marketplace: { passwordSet: false } }));
    await openForm(user);
    expect(secretState("mp-password")).toHaveTextContent("Not set");
    await user.type(screen.getByTestId("mp-password"), "typed");
    expect(secretState("mp-password")).toHaveTextContent("Will be saved");
    await user.clear(screen.getByTestId("mp-password"));
    expect(secretState("mp-password")).toHaveTextContent("Not set");
    // A replacement typed for a set key is said the same way.
    await user.click(screen.getByTestId("replace-cw-private-key"));
    await user.type(screen.getByTestId("cw-private-key"), "new-key");
    expect(secretState("cw-private-key")).toHaveTextContent("Will be replaced on Save");
  });

  it("explains every field: where a key comes from, the regional sites", async () => {
    const user = userEvent.setup();
    await openForm(user);
    const hint = (testId: string): string => {
      const field = screen.getByTestId(testId);
      const ids = (field.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id !== "");
      return ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
    };
    await user.click(screen.getByTestId("replace-cw-public-key"));
    await user.click(screen.getByTestId("replace-cw-private-key"));
    await user.click(screen.getByTestId("replace-mp-password"));
    await user.click(screen.getByTestId("replace-mp-subscription-key"));
    for (const testId of [
      "profile-name",
      "cw-site",
      "cw-company-id",
      "cw-client-id",
      "cw-codebase",
      "cw-addition-key-field",
      "cw-public-key",
      "cw-private-key",
      "mp-code",
      "mp-username",
      "mp-password",
      "mp-subscription-key",
    ]) {
      expect(hint(testId), testId).not.toBe("");
    }
    expect(hint("cw-site")).toContain("api-eu.myconnectwise.net");
    expect(hint("cw-site")).toContain("api-au.myconnectwise.net");
    expect(hint("cw-private-key")).toContain("only once");
    expect(hint("mp-subscription-key")).toContain("API portal");
  });

  it("says Rust's reason under the field it names", async () => {
    const user = userEvent.setup();
    const reason = "na.myconnectwise.net is where people sign in to ConnectWise; enter its API host, api-na.myconnectwise.net.";
    api.saveProfile.mockRejectedValue(new ipc.IpcError({ code: "invalid", message: reason, field: "site" }));
    api.testMarketplace.mockRejectedValue(
      new ipc.IpcError({ code: "invalid", message: "Test connection needs the subscription key: enter it, then test again.", field: "subscriptionKey" }),
    );
    await openForm(user);
    await user.clear(screen.getByTestId("cw-site"));
    await user.type(screen.getByTestId("cw-site"), "na.myconnectwise.net");
    await user.click(screen.getByTestId("save-profile"));
    expect(await screen.findByTestId("field-error-site")).toHaveTextContent(reason);
    expect(screen.getByTestId("cw-site").getAttribute("aria-describedby")).toContain(screen.getByTestId("field-error-site").id);
    await user.click(screen.getByTestId("test-marketplace"));
    expect(await screen.findByTestId("field-error-subscriptionKey")).toHaveTextContent("needs the subscription key");
    // Edited: the reason goes with the mark.
    await user.type(screen.getByTestId("cw-site"), "x");
    expect(screen.queryByTestId("field-error-site")).not.toBeInTheDocument();
  });
});

describe("the form's layout", () => {
  it("keeps Save in a foot below the scrolling body of the form, so the foot never covers a field", async () => {
    const user = userEvent.setup();
    const form = await openForm(user);
    const removeStyles = addStyleSheets("src/styles/base.css", "src/components/connections/connections.css", "src/components/connections/form.css");
    try {
      // The pane's row of the screen is as tall as the screen leaves it, and the form fills it as a column.
      const body = screen.getByTestId("connections").querySelector(".connections-body");
      if (body === null) throw new Error("no .connections-body");
      expect(getComputedStyle(body).gridTemplateRows).toBe("minmax(0, 1fr)");
      expect(form.parentElement).toHaveClass("profile-pane");
      expect(getComputedStyle(form)).toMatchObject({ display: "flex", flexDirection: "column", flexGrow: "1", minHeight: "0" });

      // Every field is inside the one region that scrolls: the body, a child of the column that takes
      // the room left and may shrink to nothing.
      const scroller = form.querySelector(":scope > .pane-body");
      if (scroller === null) throw new Error("no .pane-body in the form");
      expect(getComputedStyle(scroller)).toMatchObject({ overflow: "auto", minHeight: "0", flexGrow: "1" });
      const fields = form.querySelectorAll("input, select, textarea, [data-field]");
      expect(fields.length).toBeGreaterThan(5);
      for (const field of fields) expect(scroller).toContainElement(field as HTMLElement);
      expect(scroller).toContainElement(within(form).getByTestId("mp-username"));

      // The foot is the column's last child, after the body and outside it, in the flow (not
      // positioned over anything) and never squeezed.
      const foot = within(form).getByTestId("save-profile").closest("footer");
      if (foot === null) throw new Error("Save is not in a footer");
      expect(foot).toHaveClass("sheet-foot", "pane-foot");
      expect(foot.parentElement).toBe(form);
      expect(form.lastElementChild).toBe(foot);
      expect(scroller).not.toContainElement(foot);
      expect(scroller.compareDocumentPosition(foot) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
      expect(["", "static"]).toContain(getComputedStyle(foot).position);
      expect(getComputedStyle(foot).flexShrink).toBe("0");
      expect(foot.querySelector("input, select, textarea, [data-field]")).toBeNull();
    } finally {
      removeStyles();
    }
  });
});

describe("the catalog price currency", () => {
  it("is an optional ConnectWise setting, explained, sent as catalogCurrency, and marked when Rust refuses it", async () => {
    const user = userEvent.setup();
    api.getProfile.mockResolvedValue(makeProfileForm({ connectwise: { catalogCurrency: "USD" } }));
    api.saveProfile.mockResolvedValue(makeProfileForm({ connectwise: { catalogCurrency: "EUR" } }));
    await openForm(user);
    const field = screen.getByLabelText(/^Catalog price currency/);
    expect(field).toBe(screen.getByTestId("cw-catalog-currency"));
    expect(field).toHaveValue("USD");
    expect(field.closest(".form-row")).toHaveTextContent("(optional)");
    expect(field).toHaveAccessibleDescription(/which its catalog prices are in/);
    await user.clear(field);
    await user.type(field, "EUR");
    await user.click(screen.getByTestId("save-profile"));
    expect(await screen.findByTestId("save-status")).toHaveTextContent("Saved");
    expect(lastInput(api.saveProfile).connectwise.catalogCurrency).toBe("EUR");

    const message = "The catalog price currency is a three-letter code such as USD or EUR.";
    api.saveProfile.mockRejectedValue(new ipc.IpcError({ code: "invalid", message, field: "catalogCurrency" }));
    await user.clear(field);
    await user.type(field, "dollars");
    await user.click(screen.getByTestId("save-profile"));
    expect(await screen.findByTestId("save-error")).toHaveTextContent(message);
    expect(field).toHaveAttribute("aria-invalid", "true");
  });
});
