import type { PlanRowView } from "../../bindings/PlanRowView";
import type { Problem } from "../../bindings/Problem";
import type { WizardEdit } from "../../bindings/WizardEdit";
import { PlanRow } from "./PlanRow";
import type { FocusRequest, RowEditing } from "./rowEditing";
import "./wizard.css";
import "./changes.css";

interface PlanTableProps {
  rows: PlanRowView[];
  problems: Problem[];
  answered: number;
  send: (edit: WizardEdit) => number;
  focusRequest: FocusRequest | null;
}

/** The planned additions beside the agreement's current ones, each with its editor. */
export function PlanTable({ rows, problems, answered, send, focusRequest }: PlanTableProps) {
  const editing: RowEditing = { answered, send };
  if (rows.length === 0) {
    return (
      <p className="muted" data-testid="no-rows">
        Nothing to change on this agreement.
      </p>
    );
  }
  return (
    <div className="plan-scroll">
      <table className="plan-table" data-testid="plan-table">
        <thead>
          <tr>
            <th className="col-select">
              <span className="visually-hidden">Include</span>
            </th>
            <th className="col-action">Action</th>
            <th className="col-product">Product</th>
            <th>Effective</th>
            <th>Cancel</th>
            <th className="num">Qty</th>
            <th className="num">Unit price</th>
            <th className="num">Unit cost</th>
            <th>Billing</th>
            <th>Taxable</th>
            <th>Price source</th>
            <th className="num">Amount</th>
            <th className="col-edit">
              <span className="visually-hidden">Edit</span>
            </th>
          </tr>
        </thead>
        {rows.map((row) => (
          <PlanRow key={row.key} row={row} problems={problems.filter((p) => p.rowKey === row.key)} editing={editing} focusRequest={focusRequest} />
        ))}
      </table>
    </div>
  );
}
