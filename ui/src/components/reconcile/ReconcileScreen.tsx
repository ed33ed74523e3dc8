import type { BookView } from "../../bindings/BookView";
import type { CustomerView } from "../../bindings/CustomerView";
import type { FixResult } from "../../bindings/FixResult";
import type { PriceSourceView } from "../../bindings/PriceSourceView";
import type { Outcome } from "../../bindings/Outcome";
import {
  OUTCOMES,
  OUTCOME_LABELS,
  connectwiseAgeText,
  formatAge,
  formatCount,
  isOutcome,
  lastReconciledText,
  plural,
  reconcileProgressFraction,
  reconcileProgressText,
  unreadableLines,
} from "../../format";
import type { ReconcileBook } from "../../hooks/useReconcile";
import { ProgressBar } from "../CheckChanges";
import { BookList } from "./BookList";
import { CustomerPanel } from "./CustomerPanel";
import { ErrorPanel } from "../ErrorPanel";
import "./reconcile.css";

interface ReconcileScreenProps {
  rec: ReconcileBook;
  now: Date;
  offline: boolean;
  /** A new real profile's first day: the whole subscription list is read. */
  firstDay: boolean;
  /** Fix: product lines of a customer become reconcile-fix tasks, opened for review. */
  onFix: (customer: CustomerView, lineKeys: string[]) => Promise<FixResult>;
  /** The customer open beside the book (kept by the window while a fix is reviewed). */
  openId: string | null;
  onOpen: (customerId: string | null) => void;
}

/** The oldest subscription data among the rows: how old the book's marketplace side is. */
function oldestRead(book: BookView): string | null {
  let oldest: string | null = null;
  for (const row of book.rows) {
    if (row.dataReadAt !== null && (oldest === null || row.dataReadAt < oldest)) oldest = row.dataReadAt;
  }
  return oldest;
}

function countOf(book: BookView | null, outcome: Outcome): number | null {
  return book?.counts.find((c) => c.outcome === outcome)?.count ?? null;
}

function Ages({ book, now, offline }: { book: BookView; now: Date; offline: boolean }) {
  const read = oldestRead(book);
  return (
    <span className="rec-ages-line" data-testid="reconcile-ages">
      <span data-testid="last-reconciled">{lastReconciledText(book.lastReconciledAt, now)}</span>
      {read !== null && <span> · marketplace data from {formatAge(read, now)}</span>}
      {book.lastReconciledAt !== null && <span> · {connectwiseAgeText(book.connectwiseReadAt, now)}</span>}
      {offline && book.lastReconciledAt !== null && (
        <strong className="rec-offline" data-testid="reconcile-offline">
          {" "}
          — offline: the last reconcile, from the cache
        </strong>
      )}
    </span>
  );
}

/** Reconcile: the whole book against the marketplace, customer by customer, and each customer's products. */
function isPriceSource(value: string): value is PriceSourceView {
  return value === "cloudMarketplace" || value === "connectWise";
}

export function ReconcileScreen({ rec, now, offline, firstDay, onFix, openId, onOpen: setOpenId }: ReconcileScreenProps) {
  const { book, run } = rec;
  const running = run.phase === "running";
  const neverReconciled = book !== null && book.lastReconciledAt === null;
  const allActive = firstDay && neverReconciled;
  const label = allActive ? "Reconcile all active subscriptions" : "Reconcile";
  const total = book?.customers ?? 0;
  const queryKey = `${rec.outcome ?? ""}|${rec.search}`;

  return (
    <section className="reconcile" aria-label="Reconcile" data-testid="reconcile-screen" data-runs={rec.runs}>
      <div className="rec-bar">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="reconcile-run"
          disabled={running || offline}
          title={offline ? "Reconcile needs a connection; the last reconcile is shown from the cache" : "Compare every customer's subscriptions with the ConnectWise additions"}
          onClick={() => void rec.start(allActive)}
        >
          {running ? "Reconciling…" : label}
        </button>
        {running ? (
          <div className="check-progress" data-testid="reconcile-progress" role="status" aria-live="polite">
            <ProgressBar fraction={reconcileProgressFraction(run.progress)} label="Reconcile progress" />
            <span className="check-progress-text">{reconcileProgressText(run.progress)}</span>
          </div>
        ) : (
          <>
            {run.phase === "done" && run.progress?.kind === "finished" && (
              <span className="rec-done" role="status" data-testid="reconcile-done">
                {reconcileProgressText(run.progress)} ·
              </span>
            )}
            {book !== null && <Ages book={book} now={now} offline={offline} />}
          </>
        )}
        <div className="header-spacer" />
        <label className="field rec-prices" title="Marketplace prices: a unit price ConnectWise bills differently is drift. ConnectWise prices: only quantities are compared.">
          <span className="field-label-inline">Compare</span>
          <select
            className="select"
            data-testid="reconcile-prices"
            value={book?.priceSource ?? "cloudMarketplace"}
            disabled={running || rec.comparing || book === null}
            onChange={(event) => {
              const value = event.target.value;
              if (isPriceSource(value)) void rec.recompare(value);
            }}
          >
            <option value="cloudMarketplace">quantities and marketplace prices</option>
            <option value="connectWise">quantities only (ConnectWise prices)</option>
          </select>
        </label>
        {rec.saved !== null && (
          <span className="panel-meta" data-testid="reconcile-saved" role="status">
            Saved to {rec.saved} ({plural(rec.savedRows, "product", "products")})
          </span>
        )}
        {rec.csvError !== null && (
          <span className="field-error" role="alert" data-testid="reconcile-csv-error">
            Couldn't save: {rec.csvError.message}
          </span>
        )}
        <button
          type="button"
          className="btn btn-small"
          data-testid="reconcile-export"
          disabled={rec.saving || book === null || book.rows.length === 0}
          onClick={() => void rec.exportCsv()}
          title="Save the customers shown, product by product, as CSV (you choose where)"
        >
          {rec.saving ? "Saving…" : "Export CSV"}
        </button>
      </div>

      {run.phase === "failed" && (
        <ErrorPanel error={run.error} title="Couldn't reconcile" testId="reconcile-error" onDismiss={rec.dismissRun} />
      )}
      {book?.connectwiseError != null && (
        <div className="panel panel-warning" role="status" data-testid="reconcile-connectwise-error">
          <span className="panel-title">Compared with the cached ConnectWise data</span>
          <span className="panel-text">{book.connectwiseError}</span>
        </div>
      )}
      {book !== null && book.unreadable.length > 0 && (
        <ul className="panel panel-warning rec-problems" data-testid="reconcile-unreadable">
          {unreadableLines(book.unreadable).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {rec.loadError !== null && (
        <ErrorPanel error={`Couldn't read the book: ${rec.loadError.message}`} testId="book-error" />
      )}

      <div className="toolbar rec-filters" role="search">
        <label className="field field-search">
          <span className="visually-hidden">Search customers</span>
          <input
            type="search"
            data-testid="book-search"
            className="input"
            placeholder="Search customer, account id or company"
            value={rec.search}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => rec.setSearch(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape" && rec.search !== "") {
                event.preventDefault();
                rec.setSearch("");
              }
            }}
          />
        </label>
        <label className="field">
          <span className="visually-hidden">Outcome</span>
          <select
            className="select"
            data-testid="book-outcome"
            value={rec.outcome ?? ""}
            onChange={(event) => {
              const value = event.target.value;
              rec.setOutcome(isOutcome(value) ? value : null);
            }}
          >
            <option value="">All outcomes</option>
            {OUTCOMES.map((o) => {
              const n = countOf(book, o);
              return (
                <option key={o} value={o}>
                  {OUTCOME_LABELS[o]}
                  {n === null ? "" : ` (${formatCount(n)})`}
                </option>
              );
            })}
          </select>
        </label>
        <span className="task-count" data-testid="book-count">
          {book === null ? "" : book.rows.length === total ? plural(total, "customer", "customers") : `${formatCount(book.rows.length)} of ${plural(total, "customer", "customers")}`}
        </span>
      </div>

      <div className="rec-work">
        <BookList
          rows={book?.rows ?? []}
          queryKey={queryKey}
          openId={openId}
          onOpen={setOpenId}
          now={now}
          compact={openId !== null}
          empty={
            <div className="empty" data-testid="book-empty">
              {book === null ? (
                <p className="muted">Reading the last reconcile…</p>
              ) : neverReconciled ? (
                <>
                  <p className="empty-title">Not reconciled yet</p>
                  <p className="muted">
                    {allActive
                      ? "Reconcile all active subscriptions: every customer's subscriptions are compared with the ConnectWise agreement additions — the first day's work."
                      : "Reconcile compares every customer's active subscriptions with the additions of its ConnectWise agreements."}
                  </p>
                </>
              ) : (
                <p className="muted">No customer matches the search and filter.</p>
              )}
            </div>
          }
        />
        {openId !== null && (
          <CustomerPanel
            key={`${openId}|${rec.runs}|${rec.compared}`}
            customerId={openId}
            now={now}
            onMapped={() => void rec.reload()}
            onClose={() => setOpenId(null)}
            onFix={onFix}
          />
        )}
      </div>
    </section>
  );
}
