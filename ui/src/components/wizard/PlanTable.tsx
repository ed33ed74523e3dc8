import { useEffect, useId, useRef, useState, type HTMLAttributes, type ReactNode } from "react";
import type { PlanRowView } from "../../bindings/PlanRowView";
import type { EditableField } from "../../bindings/EditableField";
import type { Problem } from "../../bindings/Problem";
import type { ReviewField } from "../../bindings/ReviewField";
import type { WizardEdit } from "../../bindings/WizardEdit";
import { BILL_CUSTOMER_OPTIONS, PRICE_SOURCES, PRICE_SOURCE_LABELS, ROW_ACTION_LABELS, billCustomerText, isPriceSource } from "../../format";
import { useDraftText, usePendingChoice } from "./fields";
import "./wizard.css";
import "./changes.css";

/** Where a click on a problem sends the user: the field of a row, or a field of the task. */
export interface FocusRequest {
  rowKey: string | null;
  field: ReviewField;
  /** A new number for every request, so the same problem can be gone to twice. */
  nonce: number;
}

type TextField = Extract<EditableField, "effectiveDate" | "cancelDate" | "quantity" | "unitPrice" | "unitCost">;

const TEXT_FIELDS: readonly {
  field: TextField;
  label: string;
  placeholder: string;
  inputMode: HTMLAttributes<HTMLInputElement>["inputMode"];
}[] = [
  { field: "effectiveDate", label: "Effective date", placeholder: "yyyy-MM-dd", inputMode: "numeric" },
  { field: "cancelDate", label: "Cancel date", placeholder: "yyyy-MM-dd (none)", inputMode: "numeric" },
  { field: "quantity", label: "Quantity", placeholder: "0", inputMode: "decimal" },
  { field: "unitPrice", label: "Unit price", placeholder: "0.00", inputMode: "decimal" },
  { field: "unitCost", label: "Unit cost", placeholder: "0.00", inputMode: "decimal" },
];

/** Every field the row editor has — one entry per Rust `EditableField` (tsc fails when one is missing). */
const EDITOR_FIELDS: Readonly<Record<EditableField, true>> = {
  effectiveDate: true,
  cancelDate: true,
  description: true,
  quantity: true,
  unitPrice: true,
  unitCost: true,
  billCustomer: true,
  taxable: true,
  priceSource: true,
};

const inEditor = (field: ReviewField): boolean => Object.hasOwn(EDITOR_FIELDS, field);

interface RowEditing {
  answered: number;
  send: (edit: WizardEdit) => number;
}

function EditedMark({ shown }: { shown: boolean }) {
  if (!shown) return null;
  return (
    <span className="edited-mark" data-testid="edited-marker" title="Edited: differs from the plan">
      edited
    </span>
  );
}

function FieldProblems({ id, problems }: { id: string; problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <span id={id} className="field-problems">
      {problems.map((problem, index) => (
        <span key={index} className="field-error" role="alert" data-testid="field-problem" data-field={problem.field}>
          {problem.message}
        </span>
      ))}
    </span>
  );
}

function RowTextField({
  row,
  spec,
  problems,
  editing,
}: {
  row: PlanRowView;
  spec: (typeof TEXT_FIELDS)[number];
  problems: Problem[];
  editing: RowEditing;
}) {
  const id = useId();
  const draft = useDraftText(
    row[spec.field],
    (value) => editing.send({ kind: "editRow", rowKey: row.key, field: spec.field, value }),
    editing.answered,
  );
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

function RowDescription({ row, problems, editing }: { row: PlanRowView; problems: Problem[]; editing: RowEditing }) {
  const id = useId();
  const draft = useDraftText(
    row.description,
    (value) => editing.send({ kind: "editRow", rowKey: row.key, field: "description", value }),
    editing.answered,
  );
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

function RowChoices({ row, problemsOf, editing }: { row: PlanRowView; problemsOf: (field: ReviewField) => Problem[]; editing: RowEditing }) {
  const id = useId();
  const [bill, chooseBill] = usePendingChoice(row.billCustomer, editing.answered);
  const [taxable, chooseTaxable] = usePendingChoice(row.taxable, editing.answered);
  const [source, chooseSource] = usePendingChoice(row.priceSource, editing.answered);
  const edit = (field: EditableField, value: string) => editing.send({ kind: "editRow", rowKey: row.key, field, value });
  const billProblems = problemsOf("billCustomer");
  const taxProblems = problemsOf("taxable");
  const sourceProblems = problemsOf("priceSource");
  const known = BILL_CUSTOMER_OPTIONS.some((option) => option.value === bill);

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
          {BILL_CUSTOMER_OPTIONS.map((option) => (
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

/** Where a row's Taxable comes from: the addition it keeps or changes, else its catalog item. */
function taxableSource(row: PlanRowView): string {
  if (row.existingAdditionId !== null) return `As on addition ${row.existingAdditionId}`;
  if (row.catalogIdentifier !== null) return `From catalog item ${row.catalogIdentifier}`;
  return "Set from the catalog item once the product is mapped";
}

function Cell({ edited, className, children, why }: { edited: boolean; className?: string; children: ReactNode; why?: string }) {
  return (
    <td className={`${className ?? ""}${edited ? " cell-edited" : ""}`} title={edited ? "Edited: differs from the plan" : why}>
      {children}
    </td>
  );
}

const COLUMNS = 13;

function PlanRow({
  row,
  problems,
  editing,
  focusRequest,
}: {
  row: PlanRowView;
  problems: Problem[];
  editing: RowEditing;
  focusRequest: FocusRequest | null;
}) {
  const [open, setOpen] = useState<boolean | null>(null);
  const [focusField, setFocusField] = useState<string | null>(null);
  const [selected, choose] = usePendingChoice(row.selected, editing.answered);
  const groupRef = useRef<HTMLTableSectionElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const unchanged = row.action === "unchanged";
  const editable = !unchanged;
  const isOpen = editable && (open ?? problems.length > 0);
  const edited = (field: EditableField) => row.edited.includes(field);
  const problemsOf = (field: ReviewField) => problems.filter((p) => p.field === field);
  const otherProblems = problems.filter((p) => !inEditor(p.field));

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

  const ext = row.extPrice === "" ? "—" : row.extPrice;
  return (
    <tbody
      ref={groupRef}
      className={`plan-row plan-row-${row.action}${!unchanged && !selected ? " plan-row-off" : ""}${isOpen ? " plan-row-open" : ""}`}
      data-testid="plan-row"
      data-row-key={row.key}
      data-action={row.action}
      data-selected={selected}
    >
      <tr className="plan-line">
        <td className="col-select">
          {!unchanged && (
            <input
              type="checkbox"
              data-testid="select-row"
              checked={selected}
              aria-label={`Include: ${ROW_ACTION_LABELS[row.action]} ${row.productName}`}
              onChange={(event) => {
                const value = event.target.checked;
                choose(value, editing.send({ kind: "selectRow", rowKey: row.key, selected: value }));
              }}
            />
          )}
        </td>
        <td className="col-action">
          <span className={`badge action action-${row.action}`} data-testid="row-action">
            {ROW_ACTION_LABELS[row.action]}
          </span>
        </td>
        <td className="col-product">
          <span className="product-name">{row.productName}</span>
          <span className="product-sub">
            {row.catalogIdentifier !== null ? (
              <span className="mono">{row.catalogIdentifier}</span>
            ) : (
              <span className="unmapped">not mapped</span>
            )}
            {row.existingAdditionId !== null && <span className="muted"> · addition {row.existingAdditionId}</span>}
          </span>
          {row.note !== null && (
            <span className="row-note" data-testid="row-note">
              {row.note}
            </span>
          )}
        </td>
        <Cell className="tabular col-date" edited={edited("effectiveDate")}>
          {row.effectiveDate}
        </Cell>
        <Cell className="tabular col-date" edited={edited("cancelDate")}>
          {row.cancelDate === "" ? <span className="muted">—</span> : row.cancelDate}
        </Cell>
        <Cell className="num" edited={edited("quantity")}>
          <span data-testid="row-quantity">{row.quantity}</span>
        </Cell>
        <Cell className="num" edited={edited("unitPrice")}>
          <span data-testid="row-unit-price">{row.unitPrice}</span>
        </Cell>
        <Cell className="num" edited={edited("unitCost")}>
          <span data-testid="row-unit-cost">{row.unitCost}</span>
        </Cell>
        <Cell edited={edited("billCustomer")}>{billCustomerText(row.billCustomer)}</Cell>
        <Cell edited={edited("taxable")} why={taxableSource(row)}>
          {row.taxable ? "Yes" : "No"}
          {row.existingAdditionId === null && row.catalogIdentifier === null && <span className="hint"> (until mapped)</span>}
        </Cell>
        {row.stops !== null ? (
          <>
            {/* A row that sets a date claims no price source, and bills nothing: it says what stops. */}
            <td className="muted" title="This row only sets a cancel date">
              —
            </td>
            <td className="num col-amount col-stops">
              <span data-testid="row-stops">{row.stops}</span>
            </td>
          </>
        ) : (
          <>
            <Cell edited={edited("priceSource")}>{PRICE_SOURCE_LABELS[row.priceSource]}</Cell>
            <td className={`num col-amount${row.extPrice.startsWith("-") ? " amount-negative" : ""}`}>
              <span data-testid="row-ext-price">{ext}</span>
            </td>
          </>
        )}
        <td className="col-edit">
          {editable && (
            <button
              ref={toggleRef}
              type="button"
              className={`btn btn-small${isOpen ? " btn-pressed" : ""}`}
              data-testid="edit-row"
              aria-expanded={isOpen}
              aria-controls={isOpen ? `${id}-editor` : undefined}
              onClick={() => setOpen(!isOpen)}
            >
              Edit
            </button>
          )}
          {!isOpen && problems.length > 0 && (
            <span className="row-problem-count" data-testid="row-problem-count" title={problems.map((p) => p.message).join("\n")}>
              {problems.length === 1 ? "1 problem" : `${problems.length} problems`}
            </span>
          )}
        </td>
      </tr>
      {isOpen && (
        <tr className="plan-editor" id={`${id}-editor`}>
          <td colSpan={COLUMNS}>
            <div className="editor" role="group" aria-label={`Edit ${ROW_ACTION_LABELS[row.action]} ${row.productName}`}>
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
                <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(false)}>
                  Close
                </button>
              </div>
            </div>
          </td>
        </tr>
      )}
    </tbody>
  );
}

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
          <PlanRow
            key={row.key}
            row={row}
            problems={problems.filter((p) => p.rowKey === row.key)}
            editing={editing}
            focusRequest={focusRequest}
          />
        ))}
      </table>
    </div>
  );
}
