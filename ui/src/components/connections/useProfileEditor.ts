import { useCallback, useEffect, useId, useRef, type ComponentProps, type RefObject } from "react";
import type { ConnectWiseTestView } from "../../bindings/ConnectWiseTestView";
import type { KeyringState } from "../../bindings/KeyringState";
import type { MarketplaceTestView } from "../../bindings/MarketplaceTestView";
import type { ProfileForm } from "../../bindings/ProfileForm";
import { testConnectWise, testMarketplace } from "../../ipc";
import { useConnectionTest, type ConnectionTest, type TestState, type TestTarget } from "./ConnectionTest";
import { useFieldMarks, type MarkSource } from "./fieldMarks";
import type { SecretField, TextField } from "./fields";
import { SECTION_OF, fieldOf, secretsSetOf, type FieldKey, type SecretDraft, type SecretKey, type TextKey } from "./profileDraft";
import { useProfileDraft, type ProfileDraftState } from "./useProfileDraft";
import { useProfileSave, type ProfileSave } from "./useProfileSave";

/** What the form gives a text field: its value, its edits, and whether an error marked it. */
export type TextBinding = Pick<ComponentProps<typeof TextField>, "field" | "value" | "onChange" | "invalid" | "errorId" | "errorText" | "readOnly">;
/** What the form gives a secret field. */
export type SecretBinding = Pick<
  ComponentProps<typeof SecretField>,
  "field" | "isSet" | "draft" | "onChange" | "disabled" | "invalid" | "errorId" | "errorText" | "readOnly"
>;

export interface ProfileEditorState {
  /** The base of the form's element ids. */
  id: string;
  /** The form's root: an error's field is found in it. */
  rootRef: RefObject<HTMLDivElement | null>;
  profile: ProfileDraftState;
  save: ProfileSave;
  connectwise: ConnectionTest<ConnectWiseTestView>;
  marketplace: ConnectionTest<MarketplaceTestView>;
  /** A Test connection runs: Save waits. */
  testing: boolean;
  runTest: (target: TestTarget) => Promise<void>;
  /** The element that says why a field is marked, by what marked it. */
  errorIds: Readonly<Record<MarkSource, string>>;
  /** The keyring can't be used: secrets can't be changed. */
  secretsDisabled: boolean;
  text: (field: TextKey) => TextBinding;
  secret: (field: SecretKey) => SecretBinding;
}

/** The state of one profile's form: the draft, Save, each section's Test connection, and the fields an error marked. */
export function useProfileEditor(form: ProfileForm | null, keyring: KeyringState, onDirtyChange: (dirty: boolean) => void, onSaved: (form: ProfileForm) => void): ProfileEditorState {
  const id = useId();
  const profile = useProfileDraft(form, onDirtyChange);
  const fieldMarks = useFieldMarks();
  const { marks, mark, unmarkWhere } = fieldMarks;
  const connectwise = useConnectionTest(testConnectWise);
  const marketplace = useConnectionTest(testMarketplace);
  const rootRef = useRef<HTMLDivElement>(null);

  const focusField = useCallback((field: FieldKey) => {
    const target = rootRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`);
    if (target === null || target === undefined) return;
    const focusable = target.matches("input") ? target : target.querySelector<HTMLElement>("input, button:not([disabled])");
    focusable?.focus();
  }, []);

  // The form opens on its first field.
  useEffect(() => focusField("name"), [focusField]);

  const save = useProfileSave({ input: profile.input, applySaved: profile.applySaved, onSaved, marks: fieldMarks, focusField });

  const invalidateConnectWise = connectwise.invalidate;
  const invalidateMarketplace = marketplace.invalidate;
  const hideSavedNote = save.hideSavedNote;
  /** An edit of `field`: its mark goes, and so does its section's test result (it tried other values). */
  const edited = useCallback(
    (field: FieldKey) => {
      const section = SECTION_OF[field];
      hideSavedNote();
      unmarkWhere((f, source) => f === field || source === section);
      if (section === "connectwise") invalidateConnectWise();
      if (section === "marketplace") invalidateMarketplace();
    },
    [hideSavedNote, unmarkWhere, invalidateConnectWise, invalidateMarketplace],
  );

  const markFrom = (outcome: TestState<unknown> | null, source: MarkSource) => {
    if (outcome === null || outcome.phase !== "error") return;
    const field = fieldOf(outcome.error.field);
    if (field !== null) mark(field, source);
  };

  const runTest = async (target: TestTarget) => {
    unmarkWhere((_, source) => source === target);
    const input = profile.input();
    if (target === "connectwise") {
      const outcome = await connectwise.run(input);
      // The codebase Test connection found is kept with the profile, unless one was typed.
      if (outcome !== null && outcome.phase === "ok" && outcome.view.codebase !== "") profile.keepCodebase(outcome.view.codebase);
      markFrom(outcome, target);
    } else {
      markFrom(await marketplace.run(input), target);
    }
  };

  const secretsSet = secretsSetOf(profile.saved);
  const secretsDisabled = keyring.state === "unavailable";
  const errorIds: Readonly<Record<MarkSource, string>> = {
    save: `${id}-save-error`,
    connectwise: `${id}-connectwise-result`,
    marketplace: `${id}-marketplace-result`,
  };
  /** What marked a field says of it: Save's refusal, or the section's Test connection's. */
  const reasonOf = (source: MarkSource): string | undefined => {
    if (source === "save") return save.saveError?.message;
    const state = source === "connectwise" ? connectwise.state : marketplace.state;
    return state.phase === "error" ? state.error.message : undefined;
  };
  const markOf = (field: FieldKey) => {
    const source = marks[field];
    return {
      invalid: source !== undefined,
      errorId: source === undefined ? undefined : errorIds[source],
      errorText: source === undefined ? undefined : reasonOf(source),
      readOnly: save.saving,
    };
  };
  const text = (field: TextKey): TextBinding => ({
    field,
    value: profile.draft[field],
    onChange: (value: string) => {
      profile.setText(field, value);
      edited(field);
    },
    ...markOf(field),
  });
  const secret = (field: SecretKey): SecretBinding => ({
    field,
    isSet: secretsSet[field],
    draft: profile.draft[field],
    onChange: (value: SecretDraft) => {
      profile.setSecret(field, value);
      edited(field);
    },
    disabled: secretsDisabled,
    ...markOf(field),
  });
  const testing = connectwise.state.phase === "running" || marketplace.state.phase === "running";

  return { id, rootRef, profile, save, connectwise, marketplace, testing, runTest, errorIds, secretsDisabled, text, secret };
}
