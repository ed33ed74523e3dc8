import type { UndoRowView } from "../../bindings/UndoRowView";
import { amountText, undoKindText } from "../../format";
import "./undo.css";

interface UndoRowsProps {
  rows: UndoRowView[];
  /** The agreement's currency: a credit's amount is in it. */
  currency: string;
  /** A choice is on its way, or the undo runs: the choices wait. */
  disabled: boolean;
  /** Writes an optional row (a credit) with the undo, or leaves it out. */
  onSelect: (rowKey: string, selected: boolean) => void;
  /** Its name for a screen reader: which undo's rows. */
  label: string;
  /** Beside a batch's other undos: the table is narrower (the words wrap under the product). */
  compact?: boolean;
}

/** A row writes nothing: changed in ConnectWise since, undone already, or a credit left out. */
function writesNothing(row: UndoRowView): boolean {
  return row.kind === "conflict" || row.kind === "done" || (row.optional && !row.selected);
}

/**
 * The rows of an undo's compensating plan: what each does (Remove, End, Credit, Put back, Write
 * again, Conflict, Done), the addition, the product, the addition now → after, and why in words. Only
 * an optional row (a credit) has a tick: the others are written as shown, or left alone with why.
 */
export function UndoRows({ rows, currency, disabled, onSelect, label, compact = false }: UndoRowsProps) {
  if (rows.length === 0) return <p className="muted undo-no-rows">The sync left nothing to undo.</p>;
  return (
    <div className="undo-rows-scroll">
      <table className={`undo-rows${compact ? " undo-rows-compact" : ""}`} aria-label={label}>
        <thead>
          <tr>
            <th className="undo-col-select">
              <span className="visually-hidden">Write it</span>
            </th>
            <th>What</th>
            <th>Addition</th>
            <th>Product</th>
            <th>Now → after</th>
            {!compact && <th>Why</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const idle = writesNothing(row);
            return (
              <tr
                key={row.key}
                className={`undo-row undo-row-${row.kind}${idle ? " undo-row-idle" : ""}`}
                data-testid="undo-row"
                data-kind={row.kind}
                data-key={row.key}
                data-selected={row.selected}
              >
                <td className="undo-col-select">
                  {row.optional && (
                    <input
                      type="checkbox"
                      className="check"
                      data-testid="undo-row-select"
                      checked={row.selected}
                      disabled={disabled}
                      aria-label={`Write the credit for ${row.productName}${row.amount === null ? "" : ` (${amountText(row.amount, currency)})`}`}
                      onChange={(event) => onSelect(row.key, event.target.checked)}
                    />
                  )}
                </td>
                <td>
                  <span className={`badge undo-badge undo-badge-${row.kind}`} data-testid="undo-row-kind">
                    {undoKindText(row)}
                  </span>
                  {row.amount !== null && (
                    <span className={`undo-amount tabular${row.amount.startsWith("-") ? " amount-negative" : ""}`} data-testid="undo-row-amount">
                      {amountText(row.amount, currency)}
                    </span>
                  )}
                </td>
                <td className="mono" data-testid="undo-row-addition">
                  {row.additionId === null ? "—" : `#${row.additionId}`}
                </td>
                <td className="undo-product">
                  {row.productName}
                  {compact && (
                    <span className="undo-words undo-words-under" data-testid="undo-row-words">
                      {row.words}
                    </span>
                  )}
                </td>
                <td className="undo-change" data-testid="undo-row-change">
                  <span className="undo-now">{row.now}</span> <span aria-label="becomes">→</span> <span className="undo-after">{row.after}</span>
                </td>
                {!compact && (
                  <td className="undo-words" data-testid="undo-row-words">
                    {row.words}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
