import type { ReactNode, RefObject } from "react";
import type { EditableField } from "../../bindings/EditableField";
import type { PlanRowView } from "../../bindings/PlanRowView";
import type { Problem } from "../../bindings/Problem";
import { FOUND_LABELS, PRICE_SOURCE_LABELS, ROW_KIND_LABELS, foundLockText, rowKind } from "../../format";
import "./wizard.css";
import "./changes.css";

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

interface PlanRowLineProps {
  row: PlanRowView;
  problems: Problem[];
  selected: boolean;
  onSelect: (selected: boolean) => void;
  editable: boolean;
  isOpen: boolean;
  onToggle: () => void;
  toggleRef: RefObject<HTMLButtonElement | null>;
  /** The id of the row's editor, for Edit's aria-controls. */
  editorId: string;
}

/** The table line of one plan row: include, action, product, its values (edited ones marked), amount, Edit. */
export function PlanRowLine({ row, problems, selected, onSelect, editable, isOpen, onToggle, toggleRef, editorId }: PlanRowLineProps) {
  const unchanged = row.action === "unchanged";
  const edited = (field: EditableField) => row.edited.includes(field);
  const ext = row.extPrice === "" ? "—" : row.extPrice;
  // Already in ConnectWise: Sync sends nothing for the row, whatever is selected.
  const locked = foundLockText(row.found);
  // A catch-up or a credit for invoiced periods comes as a prorate: named by what it is.
  const kind = rowKind(row);
  return (
    <tr className="plan-line">
      <td className="col-select" title={locked ?? undefined}>
        {!unchanged && (
          <input
            type="checkbox"
            data-testid="select-row"
            checked={locked === null && selected}
            disabled={locked !== null}
            title={locked ?? undefined}
            aria-label={`Include: ${ROW_KIND_LABELS[kind]} ${row.productName}`}
            onChange={(event) => onSelect(event.target.checked)}
          />
        )}
      </td>
      <td className="col-action">
        <span className={`badge action action-${kind}`} data-testid="row-action" data-kind={kind}>
          {ROW_KIND_LABELS[kind]}
        </span>
      </td>
      <td className="col-product">
        <span className="product-name">{row.productName}</span>
        <span className="product-sub">
          {row.catalogIdentifier !== null ? <span className="mono">{row.catalogIdentifier}</span> : <span className="unmapped">not mapped</span>}
          {row.existingAdditionId !== null && <span className="muted"> · addition {row.existingAdditionId}</span>}
        </span>
        {row.note !== null && (
          <span className="row-note" data-testid="row-note">
            {row.note}
          </span>
        )}
        {row.found !== null && (
          <span className="row-note row-found">
            <span className={`badge found found-${row.found.kind}`} data-testid="row-found" data-kind={row.found.kind}>
              {FOUND_LABELS[row.found.kind]}
            </span>{" "}
            <span data-testid="row-found-words">{row.found.words}</span>
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
      <Cell edited={edited("billCustomer")}>{row.billLabel}</Cell>
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
            aria-controls={isOpen ? editorId : undefined}
            onClick={onToggle}
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
  );
}
