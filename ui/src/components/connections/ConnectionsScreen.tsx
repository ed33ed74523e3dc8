// The Connections screen: the profiles on the left, the one selected on the right (Demo's
// explanation, or the form of a real profile), over the whole window.

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { ProfileForm } from "../../bindings/ProfileForm";
import type { ProfilesView } from "../../bindings/ProfilesView";
import { getProfile, removeProfile, toIpcError } from "../../ipc";
import { DemoProfile } from "./DemoProfile";
import { ProfileEditor } from "./ProfileEditor";
import { ProfileList, type Selection } from "./ProfileList";
import "./connections.css";

/** Where the user asked to go while the form had unsaved changes. */
type Leave = { kind: "close" } | { kind: "select"; selection: Selection };

function sameSelection(a: Selection | null, b: Selection): boolean {
  if (a === null || a.kind !== b.kind) return false;
  return a.kind === "new" || (b.kind === "profile" && a.id === b.id);
}

interface ConnectionsScreenProps {
  /** `null` until read (or when it could not be: `profilesError`). */
  profiles: ProfilesView | null;
  profilesError: ErrorView | null;
  onReloadProfiles: () => void;
  /** The profiles as Rust answered a change. */
  onProfiles: (view: ProfilesView) => void;
  /** A profile was saved. */
  onSaved: (form: ProfileForm) => void;
  /** The open profile was removed: Rust opened Demo. */
  onOpenProfileRemoved: () => void;
  /** Opens a profile (the screen closes on success); resolves with the error when it could not. */
  onUse: (id: string) => Promise<ErrorView | null>;
  /** Why no other profile can be opened now, if so. */
  switchBlocked: string | null;
  onClose: () => void;
}

export function ConnectionsScreen({
  profiles,
  profilesError,
  onReloadProfiles,
  onProfiles,
  onSaved,
  onOpenProfileRemoved,
  onUse,
  switchBlocked,
  onClose,
}: ConnectionsScreenProps) {
  const id = useId();
  const [selection, setSelection] = useState<Selection | null>(profiles === null ? null : { kind: "profile", id: profiles.activeId });
  const [loaded, setLoaded] = useState<{ id: string; form: ProfileForm } | null>(null);
  const [loadError, setLoadError] = useState<ErrorView | null>(null);
  const [loadAttempt, setLoadAttempt] = useState(0);
  // A new editor (fresh form state) for each profile the user picks; not when a new profile is saved.
  const [editorKey, setEditorKey] = useState(0);
  const [dirty, setDirty] = useState(false);
  const [leaving, setLeaving] = useState<Leave | null>(null);
  const dialogRef = useRef<HTMLElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const discardRef = useRef<HTMLButtonElement>(null);
  const askedFrom = useRef<HTMLElement | null>(null);

  // The profiles arrive after the screen opened: start on the open one.
  const activeId = profiles?.activeId ?? null;
  useEffect(() => {
    if (selection === null && activeId !== null) setSelection({ kind: "profile", id: activeId });
  }, [selection, activeId]);

  // The focus starts inside the screen (on the form's first field when a form opens at once).
  useEffect(() => {
    if (!(dialogRef.current?.contains(document.activeElement) ?? false)) titleRef.current?.focus();
  }, []);

  const summary = selection?.kind === "profile" ? profiles?.profiles.find((p) => p.id === selection.id) : undefined;
  const wantId = selection?.kind === "profile" && summary?.demo !== true ? selection.id : null;
  const loadedId = loaded?.id ?? null;
  useEffect(() => {
    if (wantId === null || loadedId === wantId) return undefined;
    let current = true;
    setLoadError(null);
    getProfile(wantId).then(
      (form) => {
        if (current) setLoaded({ id: wantId, form });
      },
      (reason: unknown) => {
        if (current) setLoadError(toIpcError(reason).view);
      },
    );
    return () => {
      current = false;
    };
  }, [wantId, loadedId, loadAttempt]);

  const go = useCallback(
    (leave: Leave) => {
      setLeaving(null);
      setDirty(false);
      if (leave.kind === "close") {
        onClose();
        return;
      }
      setSelection(leave.selection);
      setEditorKey((k) => k + 1);
      setLoadError(null);
    },
    [onClose],
  );

  const request = useCallback(
    (leave: Leave) => {
      if (leave.kind === "select" && sameSelection(selection, leave.selection)) return;
      if (!dirty) {
        go(leave);
        return;
      }
      askedFrom.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setLeaving(leave);
    },
    [dirty, go, selection],
  );

  const keepEditing = useCallback(() => {
    setLeaving(null);
    const from = askedFrom.current;
    askedFrom.current = null;
    if (from !== null && from.isConnected) from.focus();
  }, []);

  useEffect(() => {
    if (leaving !== null) discardRef.current?.focus();
  }, [leaving]);

  // Escape: takes back the question on screen, else closes (asking first about unsaved changes).
  const onEscape = useCallback(() => {
    if (leaving !== null) keepEditing();
    else request({ kind: "close" });
  }, [leaving, keepEditing, request]);
  const onKeyDown = (event: ReactKeyboardEvent) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    event.preventDefault();
    onEscape();
  };
  // The same when the focus is nowhere in particular (the page itself): the key is taken before the
  // window's other listeners (the wizard behind) see it.
  const onEscapeRef = useRef(onEscape);
  onEscapeRef.current = onEscape;
  useEffect(() => {
    const onWindowKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if (event.target instanceof Node && (dialogRef.current?.contains(event.target) ?? false)) return;
      event.preventDefault();
      onEscapeRef.current();
    };
    window.addEventListener("keydown", onWindowKeyDown, true);
    return () => window.removeEventListener("keydown", onWindowKeyDown, true);
  }, []);

  const saved = useCallback(
    (form: ProfileForm) => {
      setLoaded({ id: form.id, form });
      setSelection({ kind: "profile", id: form.id });
      onSaved(form);
    },
    [onSaved],
  );

  const remove = useCallback(
    async (removedId: string): Promise<ErrorView | null> => {
      const wasOpen = activeId === removedId;
      let view: ProfilesView;
      try {
        view = await removeProfile(removedId);
      } catch (reason: unknown) {
        return toIpcError(reason).view;
      }
      onProfiles(view);
      if (wasOpen) onOpenProfileRemoved();
      const demo = view.profiles.find((p) => p.demo) ?? view.profiles[0];
      setDirty(false);
      setLoaded(null);
      setSelection(demo === undefined ? null : { kind: "profile", id: demo.id });
      setEditorKey((k) => k + 1);
      return null;
    },
    [activeId, onProfiles, onOpenProfileRemoved],
  );

  const locked = (profiles?.problem ?? null) !== null;
  const keyring = profiles?.keyring ?? { state: "available" };

  let pane: ReactNode = null;
  if (profiles !== null && selection !== null) {
    if (selection.kind === "profile" && summary?.demo === true) {
      pane = <DemoProfile key={editorKey} profile={summary} isOpen={summary.id === profiles.activeId} switchBlocked={switchBlocked} onUse={onUse} />;
    } else if (selection.kind === "new" || loaded?.id === selection.id) {
      const form = selection.kind === "new" ? null : (loaded?.form ?? null);
      pane = (
        <ProfileEditor
          key={editorKey}
          form={form}
          keyring={keyring}
          locked={locked}
          isOpen={form !== null && form.id === profiles.activeId}
          switchBlocked={switchBlocked}
          onDirtyChange={setDirty}
          onSaved={saved}
          onUse={onUse}
          onRemove={remove}
        />
      );
    } else if (loadError !== null) {
      pane = (
        <div className="panel panel-error pane-message" data-testid="profile-load-error" role="alert" data-code={loadError.code}>
          <span className="panel-title">Couldn't read this profile</span>
          <span className="panel-text">{loadError.message}</span>
          <button type="button" className="btn btn-small" onClick={() => setLoadAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      );
    } else {
      pane = (
        <p className="pane-loading" role="status">
          Reading the profile…
        </p>
      );
    }
  }

  return (
    <div className="connections-backdrop">
      <section
        className="sheet connections"
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="connections"
        onKeyDown={onKeyDown}
      >
        <header className="sheet-head connections-head">
          <div className="sheet-heading">
            <h2 className="sheet-title connections-title" id={`${id}-title`} ref={titleRef} tabIndex={-1}>
              Connections
            </h2>
            <span className="sheet-subtitle">
              Each profile connects one ConnectWise site and one Cloud Marketplace account, with its own tasks. Keys and passwords
              are kept in the OS keyring.
            </span>
          </div>
          <button type="button" className="btn" data-testid="close-connections" onClick={() => request({ kind: "close" })} title="Back to the tasks (Esc)">
            Close
          </button>
        </header>

        {leaving !== null && (
          <div
            className="panel panel-warning connections-message"
            data-testid="discard-confirm"
            role="alertdialog"
            aria-labelledby={`${id}-discard`}
            aria-describedby={`${id}-discard-text`}
          >
            <span className="panel-title" id={`${id}-discard`}>
              Discard unsaved changes?
            </span>
            <span className="panel-text" id={`${id}-discard-text`}>
              The changes made to this profile are not saved.
            </span>
            <button type="button" className="btn btn-small btn-danger" data-testid="discard-changes" ref={discardRef} onClick={() => go(leaving)}>
              Discard
            </button>
            <button type="button" className="btn btn-small" data-testid="keep-editing" onClick={keepEditing}>
              Keep editing
            </button>
          </div>
        )}

        {profiles !== null && profiles.keyring.state === "unavailable" && (
          <div className="panel panel-warning connections-message" data-testid="keyring-unavailable" role="alert">
            <span className="panel-title">The OS keyring can't be used</span>
            <span className="panel-text">{profiles.keyring.message}</span>
          </div>
        )}

        {profiles !== null && profiles.problem !== null && (
          <div className="panel panel-error connections-message" data-testid="profiles-problem" role="alert">
            <span className="panel-title">The saved profiles can't be read</span>
            <span className="panel-text">{profiles.problem}</span>
          </div>
        )}

        {profiles === null ? (
          <div className="connections-empty">
            {profilesError === null ? (
              <p className="pane-loading" role="status">
                Reading the profiles…
              </p>
            ) : (
              <div className="panel panel-error" data-testid="profiles-error" role="alert" data-code={profilesError.code}>
                <span className="panel-title">Couldn't read the profiles</span>
                <span className="panel-text">{profilesError.message}</span>
                <button type="button" className="btn btn-small" onClick={onReloadProfiles}>
                  Try again
                </button>
              </div>
            )}
          </div>
        ) : (
          <div className="connections-body">
            <ProfileList
              profiles={profiles.profiles}
              activeId={profiles.activeId}
              selection={selection}
              onSelect={(next) => request({ kind: "select", selection: next })}
              newDisabled={locked ? "The saved profiles can't be read: no profile can be added" : null}
            />
            <div className="profile-pane">{pane}</div>
          </div>
        )}
      </section>
    </div>
  );
}
