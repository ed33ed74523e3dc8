import { useId } from "react";
import type { EditableField } from "../../bindings/EditableField";
import type { PlanRowView } from "../../bindings/PlanRowView";
import type { Problem } from "../../bindings/Problem";
import type { ReviewField } from "../../bindings/ReviewField";
import { PRICE_SOURCES, PRICE_SOURCE_LABELS, isPriceSource } from "../../format";
import { EditedMark } from "./EditedMark";
import { usePendingChoice } from "./fields";
import { FieldProblems } from "./FieldProblems";
import type { RowEditing } from "./rowEditing";
import "./wizard.css";
import "./changes.css";

interface RowChoicesProps {
  row: PlanRowView;
  problemsOf: (field: ReviewField) => Problem[];
  editing: RowEditing;
}

/** A row's chosen values: Billing, Taxable and Price source, each shown as chosen until Rust answers. */
export function RowChoices({ row, problemsOf, editing }: RowChoicesProps) {
  const id = useId();
  const [bill, chooseBill] = usePendingChoice(row.billCustomer, editing.answered);
  const [taxable, chooseTaxable] = usePendingChoice(row.taxable, editing.answered);
  const [source, chooseSource] = usePendingChoice(row.priceSource, editing.answered);
  const edit = (field: EditableField, value: string) => editing.send({ kind: "editRow", rowKey: row.key, field, value });
  const billProblems = problemsOf("billCustomer");
  const taxProblems = problemsOf("taxable");
  const sourceProblems = problemsOf("priceSource");
  const known = row.billChoices.some((option) => option.value === bill);

  return (
    <>
      <div className="editor-field">
        <label className="field-label" htmlFor={`${id}-bill`}>
          Billing <EditedMark shown={row.edited.includes("billCustomer")} />
        </label>
        <select
          id={`${id}-bill`}
          className={`select${billProblems.length > 0 ? " input-invalid" : ""}`}
          data-testid="row-input-billCustomer"
          value={bill}
          aria-invalid={billProblems.length > 0}
          aria-describedby={billProblems.length > 0 ? `${id}-bill-problem` : undefined}
          onChange={(event) => {
            const value = event.target.value;
            chooseBill(value, edit("billCustomer", value));
          }}
        >
          {!known && <option value={bill}>{bill}</option>}
          {row.billChoices.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <FieldProblems id={`${id}-bill-problem`} problems={billProblems} />
      </div>
      <div className="editor-field editor-field-check">
        <span className="field-label" aria-hidden="true">
          Tax <EditedMark shown={row.edited.includes("taxable")} />
        </span>
        <label className="check">
          <input
            type="checkbox"
            data-testid="row-input-taxable"
            checked={taxable}
            aria-invalid={taxProblems.length > 0}
            aria-describedby={taxProblems.length > 0 ? `${id}-tax-problem` : undefined}
            onChange={(event) => {
              const value = event.target.checked;
              chooseTaxable(value, edit("taxable", value ? "true" : "false"));
            }}
          />
          Taxable
        </label>
        <FieldProblems id={`${id}-tax-problem`} problems={taxProblems} />
      </div>
      <div className="editor-field">
        <label className="field-label" htmlFor={`${id}-source`}>
          Price source <EditedMark shown={row.edited.includes("priceSource")} />
        </label>
        <select
          id={`${id}-source`}
          className={`select${sourceProblems.length > 0 ? " input-invalid" : ""}`}
          data-testid="row-input-priceSource"
          value={source}
          aria-invalid={sourceProblems.length > 0}
          aria-describedby={sourceProblems.length > 0 ? `${id}-source-problem` : undefined}
          onChange={(event) => {
            const value = event.target.value;
            if (isPriceSource(value)) chooseSource(value, edit("priceSource", value));
          }}
        >
          {PRICE_SOURCES.map((value) => (
            <option key={value} value={value}>
              {PRICE_SOURCE_LABELS[value]}
            </option>
          ))}
        </select>
        <FieldProblems id={`${id}-source-problem`} problems={sourceProblems} />
      </div>
    </>
  );
}
