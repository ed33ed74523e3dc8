import { useId } from "react";
import type { PlanRowView } from "../../bindings/PlanRowView";
import type { Problem } from "../../bindings/Problem";
import { useDraftText } from "./fields";
import { EditedMark, FieldProblems } from "./RowFieldMarks";
import type { RowEditing, TextField, TextFieldSpec } from "./rowEditing";
import "./wizard.css";
import "./changes.css";

/** A typed field of one row, sent to Rust as an `editRow` edit after a pause. */
function useRowDraft(row: PlanRowView, field: TextField | "description", editing: RowEditing) {
  return useDraftText(row[field], (value) => editing.send({ kind: "editRow", rowKey: row.key, field, value }), editing.answered);
}

interface RowFieldProps {
  row: PlanRowView;
  problems: Problem[];
  editing: RowEditing;
}

/** One of a row's one-line fields (dates, quantity, price, cost), with its problems. */
export function RowTextField({ row, spec, problems, editing }: RowFieldProps & { spec: TextFieldSpec }) {
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
        value={draft.text}
        aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-problem` : undefined}
        onChange={(event) => draft.onChange(event.target.value)}
        onFocus={draft.onFocus}
        onBlur={draft.onBlur}
        onKeyDown={draft.onKeyDown}
      />
      <FieldProblems id={`${id}-problem`} problems={problems} />
    </div>
  );
}

/** A row's description, as the invoice will show it. */
export function RowDescription({ row, problems, editing }: RowFieldProps) {
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
        value={draft.text}
        aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-problem` : undefined}
        onChange={(event) => draft.onChange(event.target.value)}
        onFocus={draft.onFocus}
        onBlur={draft.onBlur}
        onKeyDown={draft.onKeyDown}
      />
      <FieldProblems id={`${id}-problem`} problems={problems} />
    </div>
  );
}
