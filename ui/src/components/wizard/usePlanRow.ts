import { useEffect, useRef, useState, type RefObject } from "react";
import type { PlanRowView } from "../../bindings/PlanRowView";
import type { Problem } from "../../bindings/Problem";
import { usePendingChoice } from "./fields";
import type { FocusRequest, RowEditing } from "./rowEditing";

export interface PlanRowState {
  /** The row is included in the sync (as chosen, until Rust answers). */
  selected: boolean;
  select: (selected: boolean) => void;
  /** The row can be edited (it changes something). */
  editable: boolean;
  /** Its editor is open: opened by the user, or by a problem of the row. */
  isOpen: boolean;
  setOpen: (open: boolean) => void;
  /** The row's `<tbody>`: scrolled into view when a problem sends the focus to it. */
  groupRef: RefObject<HTMLTableSectionElement | null>;
  /** Edit: takes the focus when the field asked for has no input. */
  toggleRef: RefObject<HTMLButtonElement | null>;
}

/** One plan row's state: selected or not, its editor open or not, and the focus on a field when one of its problems is clicked. */
export function usePlanRow(row: PlanRowView, problems: Problem[], editing: RowEditing, focusRequest: FocusRequest | null): PlanRowState {
  const [open, setOpen] = useState<boolean | null>(null);
  const [focusField, setFocusField] = useState<string | null>(null);
  const [selected, choose] = usePendingChoice(row.selected, editing.answered);
  const groupRef = useRef<HTMLTableSectionElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const editable = row.action !== "unchanged";
  const isOpen = editable && (open ?? problems.length > 0);

  // A click on one of this row's problems opens the editor and goes to the field.
  useEffect(() => {
    if (focusRequest === null || focusRequest.rowKey !== row.key) return;
    if (editable) setOpen(true);
    setFocusField(focusRequest.field);
  }, [focusRequest, row.key, editable]);

  useEffect(() => {
    if (focusField === null) return;
    setFocusField(null);
    const group = groupRef.current;
    const target = group?.querySelector<HTMLElement>(`[data-testid="row-input-${focusField}"]`) ?? toggleRef.current;
    if (typeof group?.scrollIntoView === "function") group.scrollIntoView({ block: "nearest" });
    target?.focus();
  }, [focusField]);

  const select = (value: boolean) => choose(value, editing.send({ kind: "selectRow", rowKey: row.key, selected: value }));

  return { selected, select, editable, isOpen, setOpen, groupRef, toggleRef };
}
