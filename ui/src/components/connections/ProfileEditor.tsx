// The form of one real profile (or a new one): its name, its ConnectWise and Cloud Marketplace
// settings with Test connection for each, then Save, Use this profile and Remove profile.

import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { KeyringState } from "../../bindings/KeyringState";
import type { ProfileForm } from "../../bindings/ProfileForm";
import { saveProfile, testConnectWise, testMarketplace, toIpcError } from "../../ipc";
import { ConnectWiseResult, MarketplaceResult, TestButton, useConnectionTest, type TestState, type TestTarget } from "./ConnectionTest";
import { SecretField, TextField } from "./fields";
import {
  FIELD_KEYS,
  SECTION_OF,
  draftOf,
  emptyDraft,
  fieldOf,
  isDirty,
  profileInput,
  secretsSetOf,
  type FieldKey,
  type ProfileDraft,
  type SecretDraft,
  type SecretKey,
  type TextKey,
} from "./profileDraft";
import "./connections.css";
import "./form.css";

/** Marketplace codes offered as suggestions; any other code or a full base URL can be typed. */
export const MARKETPLACE_CODES: readonly string[] = ["us", "eu", "uk", "au", "ca", "de", "fr", "nl", "es", "it", "mx", "br", "in", "sg", "nz"];

/** How long "Saved" stays beside the button. */
export const SAVED_NOTE_MS = 4000;

/** What marked a field invalid: Save, or a section's Test connection. */
type MarkSource = "save" | TestTarget;
type Marks = Partial<Record<FieldKey, MarkSource>>;

function unmark(marks: Marks, drop: (field: FieldKey, source: MarkSource) => boolean): Marks {
  const next: Marks = {};
  let changed = false;
  for (const field of FIELD_KEYS) {
    const source = marks[field];
    if (source === undefined) continue;
    if (drop(field, source)) changed = true;
    else next[field] = source;
  }
  return changed ? next : marks;
}

interface ProfileEditorProps {
  /** The saved profile, or `null` for a new one. */
  form: ProfileForm | null;
  keyring: KeyringState;
  /** The saved profiles can't be read: nothing can be saved or removed. */
  locked: boolean;
  /** This is the profile the window has open. */
  isOpen: boolean;
  /** Why no other profile can be opened now, if so. */
  switchBlocked: string | null;
  onDirtyChange: (dirty: boolean) => void;
  onSaved: (form: ProfileForm) => void;
  /** Opens the profile; resolves with the error when it could not. */
  onUse: (id: string) => Promise<ErrorView | null>;
  /** Removes the profile; resolves with the error when it could not. */
  onRemove: (id: string) => Promise<ErrorView | null>;
}

export function ProfileEditor({ form, keyring, locked, isOpen, switchBlocked, onDirtyChange, onSaved, onUse, onRemove }: ProfileEditorProps) {
  const id = useId();
  const [saved, setSaved] = useState<ProfileForm | null>(form);
  const savedDraft = useMemo(() => (saved === null ? emptyDraft() : draftOf(saved)), [saved]);
  const [draft, setDraft] = useState<ProfileDraft>(savedDraft);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  // Bumps on every Save: the secret inputs start empty again.
  const [saves, setSaves] = useState(0);
  const [marks, setMarks] = useState<Marks>({});
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ErrorView | null>(null);
  const [savedNote, setSavedNote] = useState(false);
  const [busy, setBusy] = useState<"use" | "remove" | null>(null);
  const [actionError, setActionError] = useState<{ which: "use" | "remove"; error: ErrorView } | null>(null);
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  const connectwise = useConnectionTest(testConnectWise);
  const marketplace = useConnectionTest(testMarketplace);
  const rootRef = useRef<HTMLDivElement>(null);
  const removeRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const dirty = isDirty(draft, savedDraft);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  const focusField = useCallback((field: FieldKey) => {
    const target = rootRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`);
    if (target === null || target === undefined) return;
    const focusable = target.matches("input") ? target : target.querySelector<HTMLElement>("input, button:not([disabled])");
    focusable?.focus();
  }, []);

  // The form opens on its first field.
  useEffect(() => focusField("name"), [focusField]);

  useEffect(() => {
    if (!savedNote) return undefined;
    const timer = window.setTimeout(() => setSavedNote(false), SAVED_NOTE_MS);
    return () => window.clearTimeout(timer);
  }, [savedNote]);

  // The question takes the focus; taken back, it returns it to the button that asked.
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirmingRemove) confirmRef.current?.focus();
    else if (wasConfirming.current) removeRef.current?.focus();
    wasConfirming.current = confirmingRemove;
  }, [confirmingRemove]);

  const invalidateConnectWise = connectwise.invalidate;
  const invalidateMarketplace = marketplace.invalidate;
  /** An edit of `field`: its mark goes, and so does its section's test result (it tried other values). */
  const edited = useCallback(
    (field: FieldKey) => {
      const section = SECTION_OF[field];
      setSavedNote(false);
      setMarks((m) => unmark(m, (f, source) => f === field || source === section));
      if (section === "connectwise") invalidateConnectWise();
      if (section === "marketplace") invalidateMarketplace();
    },
    [invalidateConnectWise, invalidateMarketplace],
  );

  const setText = (field: TextKey, value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    edited(field);
  };

  const setSecret = (field: SecretKey, value: SecretDraft) => {
    setDraft((d) => ({ ...d, [field]: value }));
    edited(field);
  };

  const markFrom = (outcome: TestState<unknown> | null, source: MarkSource) => {
    if (outcome === null || outcome.phase !== "error") return;
    const field = fieldOf(outcome.error.field);
    if (field !== null) setMarks((m) => ({ ...m, [field]: source }));
  };

  const savedId = saved?.id ?? null;

  const runTest = async (target: TestTarget) => {
    setMarks((m) => unmark(m, (_, source) => source === target));
    const input = profileInput(savedId, draftRef.current);
    if (target === "connectwise") {
      const outcome = await connectwise.run(input);
      // The codebase Test connection found is kept with the profile, unless one was typed.
      if (outcome !== null && outcome.phase === "ok" && outcome.view.codebase !== "") {
        const codebase = outcome.view.codebase;
        setDraft((d) => (d.codebase.trim() === "" ? { ...d, codebase } : d));
      }
      markFrom(outcome, target);
    } else {
      markFrom(await marketplace.run(input), target);
    }
  };

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    setSavedNote(false);
    setMarks((m) => unmark(m, (_, source) => source === "save"));
    try {
      const result = await saveProfile(profileInput(savedId, draftRef.current));
      setSaved(result);
      setDraft(draftOf(result));
      setSaves((n) => n + 1);
      setSaving(false);
      setSavedNote(true);
      onSaved(result);
    } catch (reason: unknown) {
      const error = toIpcError(reason).view;
      setSaving(false);
      setSaveError(error);
      const field = fieldOf(error.field);
      if (field !== null) {
        setMarks((m) => ({ ...m, [field]: "save" }));
        focusField(field);
      }
    }
  };

  const act = async (which: "use" | "remove", action: (id: string) => Promise<ErrorView | null>) => {
    if (savedId === null) return;
    setBusy(which);
    setActionError(null);
    const failure = await action(savedId);
    // On success the screen moves on (closes, or shows another profile).
    if (failure !== null) {
      setBusy(null);
      setActionError({ which, error: failure });
    }
  };

  const onConfirmKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      setConfirmingRemove(false);
    }
  };

  const secretsSet = secretsSetOf(saved);
  const secretsDisabled = keyring.state === "unavailable";
  const saveErrorId = `${id}-save-error`;
  const errorIds: Readonly<Record<MarkSource, string>> = {
    save: saveErrorId,
    connectwise: `${id}-connectwise-result`,
    marketplace: `${id}-marketplace-result`,
  };
  const mark = (field: FieldKey) => {
    const source = marks[field];
    return { invalid: source !== undefined, errorId: source === undefined ? undefined : errorIds[source], readOnly: saving };
  };
  const text = (field: TextKey) => ({ field, value: draft[field], onChange: (value: string) => setText(field, value), ...mark(field) });
  const secret = (field: SecretKey) => ({
    field,
    isSet: secretsSet[field],
    draft: draft[field],
    onChange: (value: SecretDraft) => setSecret(field, value),
    disabled: secretsDisabled,
    ...mark(field),
  });
  const secretsNote = secretsDisabled && (
    <p className="form-note" data-testid="secrets-disabled">
      The OS keyring can't be used, so keys and passwords can't be stored or changed. The other settings can.
    </p>
  );
  const testing = connectwise.state.phase === "running" || marketplace.state.phase === "running";
  const useDisabledReason = dirty ? "Save your changes first" : switchBlocked;
  const actionBusy = busy !== null || saving;

  return (
    <div className="profile-editor" ref={rootRef} data-testid="profile-form" data-profile-id={savedId ?? ""}>
      <header className="pane-head">
        <h3 className="pane-title" data-testid="profile-title">
          {saved === null ? "New profile" : saved.name}
        </h3>
        {isOpen && (
          <span className="badge badge-open" title="The window shows this profile's tasks">
            Open
          </span>
        )}
        {saved === null && <span className="muted">Not saved yet</span>}
      </header>

      <div className="pane-body">
        <div className="form-grid">
          <TextField label="Profile name" testId="profile-name" required placeholder="e.g. Contoso production" {...text("name")} />
        </div>

        <section className="form-section" aria-labelledby={`${id}-connectwise`}>
          <header className="form-section-head">
            <h4 className="form-section-title" id={`${id}-connectwise`}>
              ConnectWise Manage
            </h4>
            <span className="hint">Where agreements and their additions are written</span>
          </header>
          {secretsNote}
          <div className="form-grid">
            <TextField label="Site" testId="cw-site" placeholder="api-na.myconnectwise.net" hint="The host name of your ConnectWise API" {...text("site")} />
            <TextField label="Company id" testId="cw-company-id" hint="The company you sign in to ConnectWise with" {...text("companyId")} />
            <TextField
              label="Client id"
              testId="cw-client-id"
              placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
              hint="from developer.connectwise.com"
              mono
              {...text("clientId")}
            />
            <TextField label="Codebase" testId="cw-codebase" optional placeholder="found by Test connection" mono {...text("codebase")} />
            <SecretField label="Public key" testId="cw-public-key" hint="Of an API member (System › Members › API Members)" {...secret("publicKey")} key={`publicKey-${saves}`} />
            <SecretField label="Private key" testId="cw-private-key" {...secret("privateKey")} key={`privateKey-${saves}`} />
          </div>
          <div className="form-section-foot">
            <TestButton target="connectwise" running={connectwise.state.phase === "running"} disabled={saving} onTest={() => void runTest("connectwise")} />
          </div>
          <ConnectWiseResult state={connectwise.state} id={errorIds.connectwise} />
        </section>

        <section className="form-section" aria-labelledby={`${id}-marketplace`}>
          <header className="form-section-head">
            <h4 className="form-section-title" id={`${id}-marketplace`}>
              Cloud Marketplace
            </h4>
            <span className="hint">Where orders and subscriptions are read</span>
          </header>
          {secretsNote}
          <div className="form-grid">
            <TextField
              label="Marketplace"
              testId="mp-code"
              placeholder="e.g. us"
              hint="a marketplace code, or the full base URL"
              list={`${id}-codes`}
              {...text("codeOrUrl")}
            />
            <datalist id={`${id}-codes`}>
              {MARKETPLACE_CODES.map((code) => (
                <option key={code} value={code} />
              ))}
            </datalist>
            <TextField label="Username" testId="mp-username" {...text("username")} />
            <SecretField label="Password" testId="mp-password" {...secret("password")} key={`password-${saves}`} />
            <SecretField label="Subscription key" testId="mp-subscription-key" {...secret("subscriptionKey")} key={`subscriptionKey-${saves}`} />
          </div>
          <div className="form-section-foot">
            <TestButton target="marketplace" running={marketplace.state.phase === "running"} disabled={saving} onTest={() => void runTest("marketplace")} />
          </div>
          <MarketplaceResult state={marketplace.state} id={errorIds.marketplace} />
        </section>
      </div>

      {saveError !== null && (
        <div className="panel panel-error pane-message" id={saveErrorId} data-testid="save-error" role="alert" data-code={saveError.code}>
          <span className="panel-title">Not saved</span>
          <span className="panel-text">{saveError.message}</span>
          <button type="button" className="btn-icon" onClick={() => setSaveError(null)} aria-label="Dismiss error">
            ×
          </button>
        </div>
      )}

      {actionError !== null && (
        <div className="panel panel-error pane-message" data-testid={`${actionError.which}-error`} role="alert" data-code={actionError.error.code}>
          <span className="panel-title">{actionError.which === "use" ? "Couldn't open this profile" : "Couldn't remove this profile"}</span>
          <span className="panel-text">{actionError.error.message}</span>
          <button type="button" className="btn-icon" onClick={() => setActionError(null)} aria-label="Dismiss error">
            ×
          </button>
        </div>
      )}

      {confirmingRemove && saved !== null && (
        <div
          className="panel panel-warning pane-message"
          data-testid="remove-confirm"
          role="alertdialog"
          aria-labelledby={`${id}-remove-question`}
          onKeyDown={onConfirmKeyDown}
        >
          <span className="panel-text" id={`${id}-remove-question`}>
            Remove {saved.name}? Its cached tasks and its credentials in the keyring are deleted. This cannot be undone.
          </span>
          <button
            type="button"
            className="btn btn-small btn-danger"
            data-testid="confirm-remove"
            ref={confirmRef}
            disabled={actionBusy}
            onClick={() => void act("remove", onRemove)}
          >
            {busy === "remove" ? "Removing…" : "Remove"}
          </button>
          <button type="button" className="btn btn-small" data-testid="cancel-remove" disabled={actionBusy} onClick={() => setConfirmingRemove(false)}>
            Keep it
          </button>
        </div>
      )}

      <footer className="sheet-foot pane-foot">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="save-profile"
          onClick={() => void save()}
          disabled={saving || locked || testing || (saved !== null && !dirty)}
          aria-busy={saving}
          title={locked ? "The saved profiles can't be read: nothing can be saved" : saved !== null && !dirty ? "No changes to save" : undefined}
        >
          {saving && <span className="spinner" aria-hidden="true" />}
          {saving ? "Saving…" : "Save"}
        </button>
        {savedNote && (
          <span className="save-status" data-testid="save-status" role="status">
            Saved
          </span>
        )}
        {!savedNote && dirty && (
          <span className="unsaved-note" data-testid="unsaved-note">
            Unsaved changes
          </span>
        )}
        <span className="sheet-foot-spacer" />
        {saved !== null && !isOpen && (
          <>
            {useDisabledReason !== null && (
              <span className="hint" data-testid="use-profile-hint">
                {useDisabledReason}
              </span>
            )}
            <button
              type="button"
              className="btn"
              data-testid="use-profile"
              onClick={() => void act("use", onUse)}
              disabled={useDisabledReason !== null || actionBusy}
            >
              {busy === "use" ? "Opening…" : "Use this profile"}
            </button>
          </>
        )}
        {saved !== null && (
          <button
            type="button"
            className="btn btn-ghost btn-danger-text"
            data-testid="remove-profile"
            ref={removeRef}
            onClick={() => setConfirmingRemove(true)}
            disabled={locked || actionBusy || confirmingRemove}
            title={locked ? "The saved profiles can't be read: nothing can be removed" : undefined}
          >
            Remove profile
          </button>
        )}
      </footer>
    </div>
  );
}
