import { useCallback, useState } from "react";
import type { TestTarget } from "./ConnectionTest";
import { FIELD_KEYS, type FieldKey } from "./profileDraft";

/** What marked a field invalid: Save, or a section's Test connection. */
export type MarkSource = "save" | TestTarget;
export type Marks = Partial<Record<FieldKey, MarkSource>>;

/** `marks` without those `drop` picks (the same object when none is dropped). */
export function unmark(marks: Marks, drop: (field: FieldKey, source: MarkSource) => boolean): Marks {
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

export interface FieldMarks {
  marks: Marks;
  /** Marks `field` invalid, because of `source`'s error. */
  mark: (field: FieldKey, source: MarkSource) => void;
  /** Takes away the marks `drop` picks. */
  unmarkWhere: (drop: (field: FieldKey, source: MarkSource) => boolean) => void;
}

/** The fields of the profile form that an error from Rust marked invalid, and what marked each. */
export function useFieldMarks(): FieldMarks {
  const [marks, setMarks] = useState<Marks>({});
  const mark = useCallback((field: FieldKey, source: MarkSource) => setMarks((m) => ({ ...m, [field]: source })), []);
  const unmarkWhere = useCallback((drop: (field: FieldKey, source: MarkSource) => boolean) => setMarks((m) => unmark(m, drop)), []);
  return { marks, mark, unmarkWhere };
}
