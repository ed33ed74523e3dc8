import { useId } from "react";
import type { PlanRowView } from "../../bindings/PlanRowView";
import type { Problem } from "../../bindings/Problem";
import { EditedMark } from "./EditedMark";
import { FieldProblems } from "./FieldProblems";
import type { RowEditing, TextFieldSpec } from "./rowEditing";
import { draftInputProps, useRowDraft } from "./useRowDraft";
import "./wizard.css";
import "./changes.css";

interface RowTextFieldProps {
  row: PlanRowView;
  spec: TextFieldSpec;
  problems: Problem[];
  editing: RowEditing;
}

/** One of a row's one-line fields (dates, quantity, price, cost), with its problems. */
export function RowTextField({ row, spec, problems, editing }: RowTextFieldProps) {
  const id = useId();
  const draft = useRowDraft(row, spec.field, editing);
  const invalid = problems.length > 0;
  return (
    <div className="editor-field">
      <label className="field-label" htmlFor={id}>
        {spec.label} <EditedMark shown={row.edited.includes(spec.field)} />
      </label>
      <input
        id={id}
        type="text"
        className={`input${invalid ? " input-invalid" : ""}${spec.inputMode === "decimal" ? " input-number" : ""}`}
        data-testid={`row-input-${spec.field}`}
        inputMode={spec.inputMode}
        placeholder={spec.placeholder}
        autoComplete="off"
        spellCheck={false}
        {...draftInputProps(draft, id, invalid)}
      />
      <FieldProblems id={`${id}-problem`} problems={problems} />
    </div>
  );
}
