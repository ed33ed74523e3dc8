import type { PlanRowView } from "../../bindings/PlanRowView";
import { useDraftText } from "./fields";
import type { RowEditing, TextField } from "./rowEditing";

/** A typed field of one plan row, sent to Rust as an `editRow` edit after a pause. */
export function useRowDraft(row: PlanRowView, field: TextField | "description", editing: RowEditing) {
  return useDraftText(row[field], (value) => editing.send({ kind: "editRow", rowKey: row.key, field, value }), editing.answered);
}
