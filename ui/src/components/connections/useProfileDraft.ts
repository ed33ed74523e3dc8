import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ProfileForm } from "../../bindings/ProfileForm";
import type { ProfileInput } from "../../bindings/ProfileInput";
import { draftOf, emptyDraft, isDirty, profileInput, type ProfileDraft, type SecretDraft, type SecretKey, type TextKey } from "./profileDraft";

export interface ProfileDraftState {
  /** The profile as Rust last saved it; `null` for a new one. */
  saved: ProfileForm | null;
  draft: ProfileDraft;
  /** Save would change something. */
  dirty: boolean;
  /** Bumps on every Save: the secret inputs start empty again. */
  saves: number;
  setText: (field: TextKey, value: string) => void;
  setSecret: (field: SecretKey, value: SecretDraft) => void;
  /** Keeps the codebase Test connection found, unless one was typed. */
  keepCodebase: (codebase: string) => void;
  /** Rust saved the profile: the form shows it as saved. */
  applySaved: (form: ProfileForm) => void;
  /** The form as Rust reads it now (for Save and Test connection), with what was typed last. */
  input: () => ProfileInput;
}

/** The profile form as the user edits it, beside the profile as saved; tells the screen when it has unsaved changes. */
export function useProfileDraft(form: ProfileForm | null, onDirtyChange: (dirty: boolean) => void): ProfileDraftState {
  const [saved, setSaved] = useState<ProfileForm | null>(form);
  const savedDraft = useMemo(() => (saved === null ? emptyDraft() : draftOf(saved)), [saved]);
  const [draft, setDraft] = useState<ProfileDraft>(savedDraft);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const [saves, setSaves] = useState(0);

  const dirty = isDirty(draft, savedDraft);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  const setText = useCallback((field: TextKey, value: string) => setDraft((d) => ({ ...d, [field]: value })), []);
  const setSecret = useCallback((field: SecretKey, value: SecretDraft) => setDraft((d) => ({ ...d, [field]: value })), []);
  const keepCodebase = useCallback((codebase: string) => setDraft((d) => (d.codebase.trim() === "" ? { ...d, codebase } : d)), []);

  const applySaved = useCallback((result: ProfileForm) => {
    setSaved(result);
    setDraft(draftOf(result));
    setSaves((n) => n + 1);
  }, []);

  const savedId = saved?.id ?? null;
  const input = useCallback(() => profileInput(savedId, draftRef.current), [savedId]);

  return { saved, draft, dirty, saves, setText, setSecret, keepCodebase, applySaved, input };
}
