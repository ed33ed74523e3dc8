import type { CurrencyTotals } from "../../bindings/CurrencyTotals";
import { amountText, plural, signedText } from "../../format";
import { oneTimePartsText } from "./oneTime";

/**
 * What the ready tasks would write, per currency: tasks, writes, the one-time charges (prorates,
 * usage, fees) and the recurring change per billing cycle — a quarter's change is never added to a
 * month's.
 */
export function BoardTotals({ totals, testId = "batch-totals" }: { totals: CurrencyTotals[]; testId?: string }) {
  if (totals.length === 0) {
    return (
      <p className="board-totals-none muted" data-testid={testId}>
        No task is ready to sync.
      </p>
    );
  }
  return (
    <table className="board-totals" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">Currency</th>
          <th scope="col">Tasks</th>
          <th scope="col">Writes</th>
          <th scope="col" title="Billed once: prorates, usage, fees">
            One-time charges
          </th>
          <th scope="col" title="The change of the recurring amount, per billing period of each cycle">
            Recurring change
          </th>
        </tr>
      </thead>
      <tbody>
        {totals.map((total) => (
          <tr key={total.currency} data-testid="batch-total" data-currency={total.currency}>
            <th scope="row">{total.currency}</th>
            <td className="tabular">{plural(total.tasks, "task", "tasks")}</td>
            <td className="tabular">{plural(total.writes, "write", "writes")}</td>
            <td className="tabular board-totals-one-time">
              <span data-testid="total-one-time">{amountText(total.oneTime, total.currency)}</span>
              {total.oneTimeParts.length > 0 && (
                <span className="board-totals-parts muted" data-testid="total-one-time-parts">
                  {oneTimePartsText(total.oneTimeParts)}
                </span>
              )}
            </td>
            <td className="tabular">
              {total.recurring.map((cycle) => (
                <span
                  key={cycle.cycle}
                  className="board-totals-cycle"
                  data-testid="total-recurring-change"
                  data-cycle={cycle.cycle}
                  title={cycle.cycle === "" ? undefined : `${cycle.cycle} billing cycle: the change per ${cycle.per}`}
                >
                  {`${amountText(signedText(cycle.change), total.currency)} / ${cycle.per}`}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
