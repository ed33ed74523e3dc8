import { Fragment, useCallback, useEffect, useId, useState, type ReactNode } from "react";
import type { CustomerView } from "../../bindings/CustomerView";
import type { ErrorView } from "../../bindings/ErrorView";
import type { FixRefusal } from "../../bindings/FixRefusal";
import type { FixResult } from "../../bindings/FixResult";
import type { ProductRow } from "../../bindings/ProductRow";
import {
  mapReconcileCustomer,
  mapReconcileProduct,
  reconcileCatalog,
  reconcileCompanies,
  reconcileCustomer,
  toIpcError,
} from "../../ipc";
import { formatAge } from "../../format";
import { ErrorPanel } from "../ErrorPanel";
import { catalogItem, companyItem } from "../wizard/fields";
import { AgreementInvoices } from "./AgreementInvoices";
import { MappingPicker } from "./MappingPicker";
import { OutcomeBadge } from "./OutcomeBadge";

interface CustomerPanelProps {
  customerId: string;
  now: Date;
  /** A mapping was made: the book is read again. */
  onMapped: () => void;
  onClose: () => void;
  /**
   * Fix: the product lines become reconcile-fix tasks, opened for review (one in its wizard,
   * several on a batch board). Resolves with what Rust made (and why a line could not be made);
   * rejects with the error to show.
   */
  onFix: (customer: CustomerView, lineKeys: string[]) => Promise<FixResult>;
}

/** Rust signs an effect: "+88.00" (ConnectWise bills too little), "-50.00" (too much), "0.00". */
export function effectClass(effect: string): string {
  return effect.startsWith("+") ? "effect-up" : effect.startsWith("-") ? "effect-down" : "effect-none";
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function MarketplaceSide({ product }: { product: ProductRow }) {
  const m = product.marketplace;
  return (
    <section className="rec-side" aria-label="Marketplace" data-testid="marketplace-side">
      <h5 className="rec-side-title">Marketplace</h5>
      <dl className="rec-facts">
        <Field label={m.subscriptionIds.length === 1 ? "Subscription" : "Subscriptions"}>
          <span className="mono">{m.subscriptionIds.join(", ")}</span>
        </Field>
        <Field label="Quantity" testId="marketplace-quantity">
          <span className="tabular">{m.quantity}</span>
        </Field>
        <Field label="Unit price">
          <span className="tabular">{m.unitPrice === null ? "several prices" : `${m.unitPrice} ${m.currency}`}</span>
        </Field>
        <Field label="Status">
          <span className={m.status === "active" ? "" : "rec-status-ended"}>{m.statusLabel}</span>
        </Field>
        <Field label="Billing">{m.billing}</Field>
      </dl>
    </section>
  );
}

function ConnectWiseSide({ product }: { product: ProductRow }) {
  const cw = product.connectwise;
  return (
    <section className="rec-side" aria-label="ConnectWise" data-testid="connectwise-side">
      <h5 className="rec-side-title">ConnectWise</h5>
      {cw.agreements.length === 0 && cw.additions.length === 0 ? (
        <p className="muted rec-side-empty">{product.outcome === "unmapped" ? "Not compared until mapped." : "No fitting agreement."}</p>
      ) : (
        <>
          <dl className="rec-facts">
            <Field label={cw.agreements.length === 1 ? "Agreement" : "Agreements"}>{cw.agreements.join(", ") || "—"}</Field>
          </dl>
          {product.outcome === "notRead" ? (
            <p className="muted rec-side-empty" data-testid="not-read">
              Not compared yet: ConnectWise's additions of {cw.agreements.length === 1 ? "this agreement are" : "these agreements are"} not read.
            </p>
          ) : cw.additions.length === 0 ? (
            <p className="muted rec-side-empty">No addition bills it.</p>
          ) : (
            <table className="rec-additions" data-testid="additions">
              <thead>
                <tr>
                  <th scope="col">Addition</th>
                  <th scope="col" className="num">
                    Qty
                  </th>
                  <th scope="col" className="num">
                    Unit price
                  </th>
                  <th scope="col">From</th>
                  <th scope="col">Cancelled</th>
                </tr>
              </thead>
              <tbody>
                {cw.additions.map((a) => (
                  <Fragment key={a.id}>
                    <tr
                      data-testid="addition"
                      data-addition-id={a.id}
                      className={[a.ending && "rec-addition-ending", a.writtenFor !== null && "rec-addition-keyed"].filter(Boolean).join(" ") || undefined}
                    >
                      <td className="mono" title={a.agreementName}>
                        {a.id}
                      </td>
                      <td className="num tabular">
                        {a.quantity}
                        {a.lessIncluded !== "0" && <span className="muted"> (−{a.lessIncluded} incl.)</span>}
                      </td>
                      <td className="num tabular">{a.unitPrice}</td>
                      <td className="tabular">{a.effectiveDate ?? "—"}</td>
                      <td className="tabular">{a.cancelDate ?? "—"}</td>
                    </tr>
                    {/* An addition the app created, from any desk: what for (SPEC §15). */}
                    {a.writtenFor !== null && (
                      <tr className="rec-addition-written" data-addition-id={a.id}>
                        <td colSpan={5} data-testid="addition-written-for">
                          {a.writtenFor}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function Product({
  product,
  customer,
  mapping,
  onMapProduct,
  onError,
  ticked,
  onTick,
  onFix,
  fixing,
}: {
  product: ProductRow;
  customer: CustomerView;
  mapping: boolean;
  onMapProduct: (productKey: string, catalogId: number) => void;
  onError: (reason: unknown) => void;
  ticked: boolean;
  onTick: (ticked: boolean) => void;
  onFix: () => void;
  fixing: boolean;
}) {
  const id = useId();
  const needsItem = product.notes.includes("productNotMapped") && !product.notes.includes("customerNotMapped");
  const [picking, setPicking] = useState(false);
  const suggest = useCallback(() => reconcileCatalog(customer.customerId, product.productKey, ""), [customer.customerId, product.productKey]);
  const search = useCallback((text: string) => reconcileCatalog(customer.customerId, product.productKey, text), [customer.customerId, product.productKey]);
  const effect = product.effect;
  const fixable = product.cannotFix === null;
  const pending = product.fixTaskIds.length > 0;
  return (
    <li className={`rec-product rec-product-${product.outcome}`} data-testid="product" data-outcome={product.outcome} data-product-key={product.productKey} aria-labelledby={`${id}-name`}>
      <div className="rec-product-head">
        {fixable && (
          <input
            type="checkbox"
            className="rec-fix-tick"
            data-testid="fix-tick"
            checked={ticked}
            aria-label={`Select ${product.productName} to fix`}
            onChange={(event) => onTick(event.target.checked)}
          />
        )}
        <h4 id={`${id}-name`} className="rec-product-name">
          {product.productName}
        </h4>
        <span className="mono muted rec-product-key">{product.productKey}</span>
        <OutcomeBadge outcome={product.outcome} />
        {fixable && (
          <button
            type="button"
            className={`btn btn-small rec-fix ${pending ? "" : "btn-primary"}`}
            data-testid="fix-product"
            data-pending={pending}
            disabled={fixing}
            title={
              pending
                ? "A fix of this product is made and not synced yet: review it"
                : "Plan the fix: cancel what is wrong and add what the marketplace has, reviewed before anything is written"
            }
            onClick={onFix}
          >
            {pending ? "Review fix" : "Fix…"}
          </button>
        )}
      </div>
      <p className="rec-words" data-testid="product-words">
        {product.words}
      </p>
      <div className="rec-sides">
        <MarketplaceSide product={product} />
        <ConnectWiseSide product={product} />
      </div>
      <p className="rec-amounts tabular" data-testid="product-amounts">
        Per {product.per}: the marketplace {product.marketplaceAmount} {product.marketplace.currency}
        {product.connectwiseAmount !== null && <>, ConnectWise {product.connectwiseAmount}</>}
        {effect !== null && (
          <>
            {" — "}
            <strong className={effectClass(effect)} data-testid="product-effect">
              {effect}
            </strong>
          </>
        )}
      </p>
      {needsItem &&
        (picking ? (
          <MappingPicker
            what="catalog item"
            subject={product.productName}
            suggest={suggest}
            search={search}
            toItem={catalogItem}
            busy={mapping}
            onError={onError}
            onPick={(catalogId) => onMapProduct(product.productKey, catalogId)}
            testId="catalog-picker"
          />
        ) : (
          <button type="button" className="btn btn-small" data-testid="map-product" onClick={() => setPicking(true)}>
            Map to a catalog item…
          </button>
        ))}
      {product.unsyncedOrders.length > 0 && product.outcome !== "inSync" && (
        <p className="panel panel-warning rec-unsynced" data-testid="unsynced-orders" role="note">
          {product.unsyncedOrders.join(", ")} of this subscription {product.unsyncedOrders.length === 1 ? "is" : "are"} not synced yet: syncing{" "}
          {product.unsyncedOrders.length === 1 ? "it" : "them"} may be the fix. Fixing here as well could change the agreement twice.
        </p>
      )}
      {pending && (
        <p className="hint rec-fix-pending" data-testid="fix-pending">
          A fix is planned and not synced yet{product.fixTaskIds.length > 1 ? ` (${product.fixTaskIds.length} tasks)` : ""}.
        </p>
      )}
    </li>
  );
}

/** A customer of the book, product by product: both sides, the outcome in words, and mapping. */
export function CustomerPanel({ customerId, now, onMapped, onClose, onFix }: CustomerPanelProps) {
  const [customer, setCustomer] = useState<CustomerView | null>(null);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [fixing, setFixing] = useState(false);
  const [refused, setRefused] = useState<FixRefusal[]>([]);
  const [error, setError] = useState<ErrorView | null>(null);
  const [mapping, setMapping] = useState(false);
  const [pickingCompany, setPickingCompany] = useState(false);
  const titleId = useId();

  useEffect(() => {
    let current = true;
    reconcileCustomer(customerId).then(
      (view) => {
        if (current) setCustomer(view);
      },
      (reason: unknown) => {
        if (current) setError(toIpcError(reason).view);
      },
    );
    return () => {
      current = false;
    };
  }, [customerId]);

  const onError = useCallback((reason: unknown) => setError(toIpcError(reason).view), []);

  const mapped = async (made: Promise<CustomerView>) => {
    setMapping(true);
    setError(null);
    try {
      setCustomer(await made);
      setPickingCompany(false);
      onMapped();
    } catch (reason: unknown) {
      onError(reason);
    } finally {
      setMapping(false);
    }
  };

  const fix = async (lineKeys: string[]) => {
    if (customer === null || lineKeys.length === 0) return;
    setFixing(true);
    setError(null);
    setRefused([]);
    try {
      const made = await onFix(customer, lineKeys);
      setRefused(made.refused);
      if (made.taskIds.length > 0) setTicked(new Set());
    } catch (reason: unknown) {
      onError(reason);
    } finally {
      setFixing(false);
    }
  };
  const tick = (lineKey: string, on: boolean) =>
    setTicked((current) => {
      const next = new Set(current);
      if (on) next.add(lineKey);
      else next.delete(lineKey);
      return next;
    });
  const fixable = customer?.products.filter((p) => p.cannotFix === null) ?? [];
  const tickedKeys = fixable.filter((p) => ticked.has(p.lineKey)).map((p) => p.lineKey);
  const allTicked = fixable.length > 0 && tickedKeys.length === fixable.length;

  const suggestCompanies = useCallback(() => reconcileCompanies(customerId, ""), [customerId]);
  const searchCompanies = useCallback((text: string) => reconcileCompanies(customerId, text), [customerId]);

  return (
    <aside className="rec-customer" aria-labelledby={titleId} data-testid="reconcile-customer" data-customer-id={customerId} aria-busy={customer === null || mapping}>
      <div className="rec-customer-head">
        <div className="rec-customer-heading">
          <h3 id={titleId} className="rec-customer-title">
            {customer?.customerName ?? "Customer"}
          </h3>
          <span className="mono muted">{customerId}</span>
        </div>
        <button type="button" className="btn-icon" aria-label="Close the customer" data-testid="close-customer" onClick={onClose}>
          ×
        </button>
      </div>
      {error !== null && (
        <ErrorPanel error={error} testId="customer-error" onDismiss={() => setError(null)} />
      )}
      {customer !== null && (
        <div className="rec-customer-body">
          <div className="rec-company" data-testid="customer-company">
            {customer.companyName !== null ? (
              <>
                <span className="mapped-label">ConnectWise company</span> <strong>{customer.companyName}</strong>
              </>
            ) : pickingCompany ? (
              <MappingPicker
                what="ConnectWise company"
                subject={customer.customerName}
                suggest={suggestCompanies}
                search={searchCompanies}
                toItem={companyItem}
                busy={mapping}
                onError={onError}
                onPick={(companyId) => void mapped(mapReconcileCustomer(customerId, companyId))}
                testId="company-picker"
              />
            ) : (
              <>
                <span className="muted">Not mapped to a ConnectWise company.</span>{" "}
                <button type="button" className="btn btn-small btn-primary" data-testid="map-customer" onClick={() => setPickingCompany(true)}>
                  Map to a company…
                </button>
              </>
            )}
          </div>
          {customer.recurring.length > 0 && (
            <ul className="rec-recurring" aria-label="Recurring per period">
              {customer.recurring.map((r) => (
                <li key={`${r.currency}-${r.per}`} data-testid="customer-recurring">
                  <span className="recurring-currency mono">{r.currency}</span> <span className="tabular">{r.words}</span>
                </li>
              ))}
            </ul>
          )}
          {customer.agreementAmounts.length > 0 && (
            <ul className="rec-recurring" aria-label="Agreements' own amounts">
              {customer.agreementAmounts.map((words) => (
                <li key={words} className="muted" data-testid="agreement-amount">
                  {words}
                </li>
              ))}
            </ul>
          )}
          <p className="hint rec-ages">
            Reconciled {formatAge(customer.lastReconciledAt, now)}
            {customer.dataReadAt !== null && <> · subscriptions read {formatAge(customer.dataReadAt, now)}</>}
          </p>
          {customer.problems.length > 0 && (
            <ul className="panel panel-warning rec-problems" data-testid="customer-problems">
              {customer.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <AgreementInvoices invoices={customer.invoices} />
          {fixable.length > 0 && (
            <div className="rec-fix-bar" data-testid="fix-bar">
              <label className="rec-fix-all">
                <input
                  type="checkbox"
                  data-testid="fix-tick-all"
                  checked={allTicked}
                  onChange={(event) => setTicked(event.target.checked ? new Set(fixable.map((p) => p.lineKey)) : new Set())}
                />{" "}
                Select all {fixable.length === 1 ? "drift" : `${fixable.length} drifts`}
              </label>
              <button
                type="button"
                className="btn btn-small btn-primary"
                data-testid="fix-selected"
                disabled={tickedKeys.length === 0 || fixing}
                onClick={() => void fix(tickedKeys)}
                title="Plan a fix of each selected product, reviewed together on one board"
              >
                {fixing ? "Planning…" : `Fix selected (${tickedKeys.length})`}
              </button>
            </div>
          )}
          {refused.length > 0 && (
            <ul className="panel panel-warning rec-problems" data-testid="fix-refused" role="status">
              {refused.map((r) => (
                <li key={r.productName}>
                  <strong>{r.productName}</strong>: {r.message}
                </li>
              ))}
            </ul>
          )}
          {customer.products.length === 0 ? (
            <p className="muted">No subscription to compare.</p>
          ) : (
            <ul className="rec-products" aria-label="Products">
              {customer.products.map((p) => (
                <Product
                  key={p.lineKey}
                  product={p}
                  customer={customer}
                  mapping={mapping}
                  onError={onError}
                  onMapProduct={(key, catalogId) => void mapped(mapReconcileProduct(customerId, key, catalogId))}
                  ticked={ticked.has(p.lineKey)}
                  onTick={(on) => tick(p.lineKey, on)}
                  onFix={() => void fix([p.lineKey])}
                  fixing={fixing}
                />
              ))}
            </ul>
          )}
        </div>
      )}
    </aside>
  );
}
