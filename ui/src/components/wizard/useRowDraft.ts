import type { ChangeEvent } from "react";
import type { PlanRowView } from "../../bindings/PlanRowView";
import { useDraftText, type DraftText } from "./fields";
import type { RowEditing, TextField } from "./rowEditing";

/** A typed field of one plan row, sent to Rust as an `editRow` edit after a pause. */
export function useRowDraft(row: PlanRowView, field: TextField | "description", editing: RowEditing) {
  return useDraftText(row[field], (value) => editing.send({ kind: "editRow", rowKey: row.key, field, value }), editing.answered);
}

/** What an input or textarea of a row field takes from its draft: its text, its handlers, and its problem (`${id}-problem`). */
export function draftInputProps(draft: DraftText, id: string, invalid: boolean) {
  return {
    value: draft.text,
    "aria-invalid": invalid,
    "aria-describedby": invalid ? `${id}-problem` : undefined,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => draft.onChange(event.target.value),
    onFocus: draft.onFocus,
    onBlur: draft.onBlur,
    onKeyDown: draft.onKeyDown,
  };
}
