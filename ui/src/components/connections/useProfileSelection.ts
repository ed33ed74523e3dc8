import { useCallback, useEffect, useState } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { ProfileForm } from "../../bindings/ProfileForm";
import type { ProfileSummary } from "../../bindings/ProfileSummary";
import type { ProfilesView } from "../../bindings/ProfilesView";
import { useCommand } from "../../hooks/useCommand";
import { getProfile } from "../../ipc";
import type { Selection } from "./ProfileList";

export interface ProfileSelection {
  /** What the right side shows; `null` until the profiles are read. */
  selection: Selection | null;
  /** The selected profile as listed, when a profile (not a new one) is selected. */
  summary: ProfileSummary | undefined;
  /** The form of the selected real profile, once read. */
  loaded: { id: string; form: ProfileForm } | null;
  /** Why the selected profile's form could not be read. */
  loadError: ErrorView | null;
  /** A new editor (fresh form state) for each profile the user picks; not when a new profile is saved. */
  editorKey: number;
  /** The user picks a profile, or New profile. */
  select: (selection: Selection) => void;
  /** A profile was saved: its form as saved is shown (a new one becomes selected). */
  showSaved: (form: ProfileForm) => void;
  /** A profile was removed: Demo (or the first profile left) is shown. */
  showAfterRemove: (view: ProfilesView) => void;
  /** Reads the selected profile again after an error. */
  retry: () => void;
}

/** Which profile the Connections screen shows (the open one at first), and the selected real profile's form, read from Rust. */
export function useProfileSelection(profiles: ProfilesView | null): ProfileSelection {
  const [selection, setSelection] = useState<Selection | null>(profiles === null ? null : { kind: "profile", id: profiles.activeId });
  const { data: loaded, error: loadError, run, show: setLoaded, dismissError, drop } = useCommand<{ id: string; form: ProfileForm }>();
  const [loadAttempt, setLoadAttempt] = useState(0);
  const [editorKey, setEditorKey] = useState(0);

  // The profiles arrive after the screen opened: start on the open one.
  const activeId = profiles?.activeId ?? null;
  useEffect(() => {
    if (selection === null && activeId !== null) setSelection({ kind: "profile", id: activeId });
  }, [selection, activeId]);

  const summary = selection?.kind === "profile" ? profiles?.profiles.find((p) => p.id === selection.id) : undefined;
  const wantId = selection?.kind === "profile" && summary?.demo !== true ? selection.id : null;
  const loadedId = loaded?.id ?? null;
  useEffect(() => {
    if (wantId === null || loadedId === wantId) return undefined;
    void run(async () => ({ id: wantId, form: await getProfile(wantId) }));
    // Another profile picked meanwhile: this one's answer is no longer wanted.
    return drop;
  }, [wantId, loadedId, loadAttempt, run, drop]);

  const select = useCallback(
    (next: Selection) => {
      setSelection(next);
      setEditorKey((k) => k + 1);
      dismissError();
    },
    [dismissError],
  );

  const showSaved = useCallback(
    (form: ProfileForm) => {
      setLoaded({ id: form.id, form });
      setSelection({ kind: "profile", id: form.id });
    },
    [setLoaded],
  );

  const showAfterRemove = useCallback(
    (view: ProfilesView) => {
      const demo = view.profiles.find((p) => p.demo) ?? view.profiles[0];
      setLoaded(null);
      setSelection(demo === undefined ? null : { kind: "profile", id: demo.id });
      setEditorKey((k) => k + 1);
    },
    [setLoaded],
  );

  const retry = useCallback(() => setLoadAttempt((n) => n + 1), []);

  return { selection, summary, loaded, loadError, editorKey, select, showSaved, showAfterRemove, retry };
}
