import type { CurrencyTotals } from "../../bindings/CurrencyTotals";
import { amountText, plural, signedText } from "../../format";

/** What the ready tasks would write, per currency: tasks, writes, prorated amount, recurring change. */
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
          <th scope="col">Prorated</th>
          <th scope="col">Recurring change / period</th>
        </tr>
      </thead>
      <tbody>
        {totals.map((total) => (
          <tr key={total.currency} data-testid="batch-total" data-currency={total.currency}>
            <th scope="row">{total.currency}</th>
            <td className="tabular">{plural(total.tasks, "task", "tasks")}</td>
            <td className="tabular">{plural(total.writes, "write", "writes")}</td>
            <td className="tabular" data-testid="total-prorated">
              {amountText(total.prorated, total.currency)}
            </td>
            <td className="tabular" data-testid="total-recurring-change">
              {amountText(signedText(total.recurringChange), total.currency)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
