import { useId } from "react";
import type { PlanRowView } from "../../bindings/PlanRowView";
import type { Problem } from "../../bindings/Problem";
import { foundLockText } from "../../format";
import { PlanRowEditor } from "./PlanRowEditor";
import { PlanRowLine } from "./PlanRowLine";
import type { FocusRequest, RowEditing } from "./rowEditing";
import { usePlanRow } from "./usePlanRow";
import "./changes.css";

interface PlanRowProps {
  row: PlanRowView;
  /** The problems of this row. */
  problems: Problem[];
  editing: RowEditing;
  focusRequest: FocusRequest | null;
}

/** One planned change as a group of the plan table: its line, and its editor when open. */
export function PlanRow({ row, problems, editing, focusRequest }: PlanRowProps) {
  const id = useId();
  const { selected, select, editable, isOpen, setOpen, groupRef, toggleRef } = usePlanRow(row, problems, editing, focusRequest);
  const unchanged = row.action === "unchanged";
  // Already in ConnectWise: muted like the additions that stay, not struck out like a row left out.
  const found = foundLockText(row.found) !== null;
  return (
    <tbody
      ref={groupRef}
      className={`plan-row plan-row-${row.action}${found ? " plan-row-found" : !unchanged && !selected ? " plan-row-off" : ""}${isOpen ? " plan-row-open" : ""}`}
      data-testid="plan-row"
      data-row-key={row.key}
      data-action={row.action}
      data-selected={selected}
      data-found={row.found?.kind}
    >
      <PlanRowLine
        row={row}
        problems={problems}
        selected={selected}
        onSelect={select}
        editable={editable}
        isOpen={isOpen}
        onToggle={() => setOpen(!isOpen)}
        toggleRef={toggleRef}
        editorId={`${id}-editor`}
      />
      {isOpen && <PlanRowEditor row={row} problems={problems} editing={editing} id={id} onClose={() => setOpen(false)} />}
    </tbody>
  );
}
