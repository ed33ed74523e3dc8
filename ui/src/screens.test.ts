import { describe, expect, it } from "vitest";
import type { WizardOrigin } from "./components/wizard/wizardTask";
import { makeRow } from "./test/fixtures";
import { FIRST_SCREENS, boardBackTo, profileKey, screensReducer, wizardOrigin, type Reviewing, type ScreenAction, type Screens } from "./screens";

const REVIEWING: Reviewing = { task: makeRow(1), resume: false };
const ON_RECONCILE: Screens = { ...FIRST_SCREENS, view: "reconcile", viewChosenFor: "real:Acme", customer: "cust-7" };
const BOARD_OF_FIXES: Screens = { ...ON_RECONCILE, view: "tasks", boardFrom: "reconcile" };

const TRANSITIONS: readonly { name: string; from: Screens; action: ScreenAction; to: Screens }[] = [
  {
    name: "a new real profile's first day opens on Reconcile",
    from: FIRST_SCREENS,
    action: { kind: "profileShown", profile: "real:Acme", firstDay: true },
    to: { ...FIRST_SCREENS, view: "reconcile", viewChosenFor: "real:Acme" },
  },
  {
    name: "Demo, or a profile with tasks, opens on the task list",
    from: ON_RECONCILE,
    action: { kind: "profileShown", profile: "demo:Demo", firstDay: false },
    to: { ...ON_RECONCILE, view: "tasks", viewChosenFor: "demo:Demo" },
  },
  {
    name: "the view is chosen once per opening: a later status of the same profile keeps the view",
    from: { ...ON_RECONCILE, view: "tasks" },
    action: { kind: "profileShown", profile: "real:Acme", firstDay: true },
    to: { ...ON_RECONCILE, view: "tasks" },
  },
  {
    name: "the switch shows a view",
    from: FIRST_SCREENS,
    action: { kind: "showView", view: "reconcile" },
    to: { ...FIRST_SCREENS, view: "reconcile" },
  },
  {
    name: "a customer opens beside the book",
    from: FIRST_SCREENS,
    action: { kind: "openCustomer", customerId: "cust-7" },
    to: { ...FIRST_SCREENS, customer: "cust-7" },
  },
  {
    name: "several fixes open their board over the task list, the customer kept for the way back",
    from: ON_RECONCILE,
    action: { kind: "boardForFixes" },
    to: BOARD_OF_FIXES,
  },
  {
    name: "Back from a board of fixes returns to Reconcile",
    from: BOARD_OF_FIXES,
    action: { kind: "leaveBoard" },
    to: ON_RECONCILE,
  },
  {
    name: "Back from a board of the list's selection stays on the list",
    from: FIRST_SCREENS,
    action: { kind: "leaveBoard" },
    to: FIRST_SCREENS,
  },
  {
    name: "a wizard opens over what is shown",
    from: ON_RECONCILE,
    action: { kind: "openWizard", reviewing: REVIEWING },
    to: { ...ON_RECONCILE, reviewing: REVIEWING },
  },
  {
    name: "the wizard closes",
    from: { ...ON_RECONCILE, reviewing: REVIEWING },
    action: { kind: "closeWizard" },
    to: ON_RECONCILE,
  },
  {
    name: "another profile starts over: no wizard, no customer, no way back to Reconcile; its view is chosen when its status comes",
    from: { ...BOARD_OF_FIXES, reviewing: REVIEWING },
    action: { kind: "startOver" },
    to: { ...BOARD_OF_FIXES, customer: null, boardFrom: "tasks", reviewing: null },
  },
];

describe("screensReducer", () => {
  it.each(TRANSITIONS)("$name", ({ from, action, to }) => {
    expect(screensReducer(from, action)).toEqual(to);
  });

  it("answers the same state when nothing changes, so the window doesn't render again", () => {
    const unchanged: ScreenAction[] = [
      { kind: "showView", view: "tasks" },
      { kind: "openCustomer", customerId: null },
      { kind: "leaveBoard" },
      { kind: "closeWizard" },
      { kind: "profileShown", profile: "real:Acme", firstDay: false },
    ];
    const shown = { ...FIRST_SCREENS, viewChosenFor: "real:Acme" };
    for (const action of unchanged) expect(screensReducer(shown, action)).toBe(shown);
  });
});

const ORIGINS: readonly { name: string; screens: Screens; boardOpen: boolean; origin: WizardOrigin }[] = [
  { name: "the list", screens: FIRST_SCREENS, boardOpen: false, origin: "tasks" },
  { name: "Reconcile", screens: ON_RECONCILE, boardOpen: false, origin: "reconcile" },
  { name: "a board of the list's selection", screens: FIRST_SCREENS, boardOpen: true, origin: "board" },
  { name: "a board of fixes", screens: BOARD_OF_FIXES, boardOpen: true, origin: "board" },
  { name: "Activity", screens: { ...FIRST_SCREENS, view: "activity" }, boardOpen: false, origin: "activity" },
  { name: "Activity, a board left under the list", screens: { ...FIRST_SCREENS, view: "activity" }, boardOpen: true, origin: "activity" },
];

describe("where a screen was opened from", () => {
  it.each(ORIGINS)("the wizard over $name goes back there", ({ screens, boardOpen, origin }) => {
    expect(wizardOrigin(screens, boardOpen)).toBe(origin);
  });

  it("the board's Back names Reconcile only for a board of fixes", () => {
    expect(boardBackTo(BOARD_OF_FIXES)).toBe("Reconcile");
    expect(boardBackTo(FIRST_SCREENS)).toBe("the list");
  });

  it("tells Demo and a real profile of the same name apart", () => {
    expect(profileKey(true, "Acme")).not.toBe(profileKey(false, "Acme"));
  });
});
