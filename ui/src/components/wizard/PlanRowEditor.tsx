import type { PlanRowView } from "../../bindings/PlanRowView";
import type { Problem } from "../../bindings/Problem";
import type { ReviewField } from "../../bindings/ReviewField";
import { ROW_KIND_LABELS, rowKind } from "../../format";
import { FieldProblems } from "./FieldProblems";
import { RowChoices } from "./RowChoices";
import { RowDescription } from "./RowDescription";
import { RowTextField } from "./RowTextField";
import { TEXT_FIELDS, inEditor, type RowEditing } from "./rowEditing";
import "./wizard.css";
import "./changes.css";

/** Every column of the plan table: the editor spans them all. */
export const PLAN_COLUMNS = 13;

interface PlanRowEditorProps {
  row: PlanRowView;
  problems: Problem[];
  editing: RowEditing;
  /** The editor's id (Edit's aria-controls); its problem ids start with it. */
  id: string;
  onClose: () => void;
}

/** The editor under an open plan row: every editable field with its problems, Reset and Close. */
export function PlanRowEditor({ row, problems, editing, id, onClose }: PlanRowEditorProps) {
  const problemsOf = (field: ReviewField) => problems.filter((p) => p.field === field);
  const otherProblems = problems.filter((p) => !inEditor(p.field));
  return (
    <tr className="plan-editor" id={`${id}-editor`}>
      <td colSpan={PLAN_COLUMNS}>
        <div className="editor" role="group" aria-label={`Edit ${ROW_KIND_LABELS[rowKind(row)]} ${row.productName}`}>
          {otherProblems.length > 0 && (
            <div className="editor-field editor-field-wide">
              <FieldProblems id={`${id}-other-problem`} problems={otherProblems} />
            </div>
          )}
          {TEXT_FIELDS.map((spec) => (
            <RowTextField key={spec.field} row={row} spec={spec} problems={problemsOf(spec.field)} editing={editing} />
          ))}
          <RowChoices row={row} problemsOf={problemsOf} editing={editing} />
          <RowDescription row={row} problems={problemsOf("description")} editing={editing} />
          <div className="editor-actions">
            <button
              type="button"
              className="btn btn-small"
              data-testid="reset-row"
              disabled={row.edited.length === 0}
              title="Back to the planned values"
              onClick={() => editing.send({ kind: "resetRow", rowKey: row.key })}
            >
              Reset
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      </td>
    </tr>
  );
}
