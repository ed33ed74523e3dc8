import { useId } from "react";
import type { PlanRowView } from "../../bindings/PlanRowView";
import type { Problem } from "../../bindings/Problem";
import { EditedMark } from "./EditedMark";
import { FieldProblems } from "./FieldProblems";
import type { RowEditing } from "./rowEditing";
import { draftInputProps, useRowDraft } from "./useRowDraft";
import "./wizard.css";
import "./changes.css";

interface RowDescriptionProps {
  row: PlanRowView;
  problems: Problem[];
  editing: RowEditing;
}

/** A row's description, as the invoice will show it. */
export function RowDescription({ row, problems, editing }: RowDescriptionProps) {
  const id = useId();
  const draft = useRowDraft(row, "description", editing);
  const invalid = problems.length > 0;
  return (
    <div className="editor-field editor-field-wide">
      <label className="field-label" htmlFor={id}>
        Description (on the invoice) <EditedMark shown={row.edited.includes("description")} />
      </label>
      <textarea
        id={id}
        className={`input textarea${invalid ? " input-invalid" : ""}`}
        data-testid="row-input-description"
        rows={2}
        {...draftInputProps(draft, id, invalid)}
      />
      <FieldProblems id={`${id}-problem`} problems={problems} />
    </div>
  );
}
