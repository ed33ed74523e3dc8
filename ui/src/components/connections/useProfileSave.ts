import { useCallback, useEffect, useState } from "react";
import type { ErrorView } from "../../bindings/ErrorView";
import type { ProfileForm } from "../../bindings/ProfileForm";
import type { ProfileInput } from "../../bindings/ProfileInput";
import { saveProfile, toIpcError } from "../../ipc";
import type { FieldMarks } from "./fieldMarks";
import { fieldOf, type FieldKey } from "./profileDraft";

/** How long "Saved" stays beside the button. */
export const SAVED_NOTE_MS = 4000;

interface SaveOptions {
  input: () => ProfileInput;
  /** Rust saved the profile: the form shows it as saved. */
  applySaved: (form: ProfileForm) => void;
  /** Tells the screen (its list, its selection). */
  onSaved: (form: ProfileForm) => void;
  marks: Pick<FieldMarks, "mark" | "unmarkWhere">;
  focusField: (field: FieldKey) => void;
}

export interface ProfileSave {
  saving: boolean;
  /** Why the last Save failed; the field it names is marked and focused. */
  saveError: ErrorView | null;
  dismissSaveError: () => void;
  /** "Saved" beside the button, for a while after a Save. */
  savedNote: boolean;
  hideSavedNote: () => void;
  save: () => Promise<void>;
}

/** Save of the profile form: the call, its error (the field it names marked and focused), and the "Saved" note. */
export function useProfileSave({ input, applySaved, onSaved, marks, focusField }: SaveOptions): ProfileSave {
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ErrorView | null>(null);
  const [savedNote, setSavedNote] = useState(false);
  const { mark, unmarkWhere } = marks;

  useEffect(() => {
    if (!savedNote) return undefined;
    const timer = window.setTimeout(() => setSavedNote(false), SAVED_NOTE_MS);
    return () => window.clearTimeout(timer);
  }, [savedNote]);

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    setSavedNote(false);
    unmarkWhere((_, source) => source === "save");
    try {
      const result = await saveProfile(input());
      applySaved(result);
      setSaving(false);
      setSavedNote(true);
      onSaved(result);
    } catch (reason: unknown) {
      const error = toIpcError(reason).view;
      setSaving(false);
      setSaveError(error);
      const field = fieldOf(error.field);
      if (field !== null) {
        mark(field, "save");
        focusField(field);
      }
    }
  };

  const dismissSaveError = useCallback(() => setSaveError(null), []);
  const hideSavedNote = useCallback(() => setSavedNote(false), []);

  return { saving, saveError, dismissSaveError, savedNote, hideSavedNote, save };
}
