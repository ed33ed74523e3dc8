import { useId, useState } from "react";
import type { AdditionChoice } from "../../bindings/AdditionChoice";
import type { PlanRowView } from "../../bindings/PlanRowView";
import type { PlanStep } from "../../bindings/PlanStep";
import type { Problem } from "../../bindings/Problem";
import type { ProductMapping } from "../../bindings/ProductMapping";
import type { WizardEdit } from "../../bindings/WizardEdit";
import { PRICE_SOURCES, PRICE_SOURCE_LABELS } from "../../format";
import { searchCatalog } from "../../ipc";
import { CalendarNote } from "./CalendarNote";
import { catalogItem, useDraftText, usePendingChoice } from "./fields";
import { PlanTable } from "./PlanTable";
import { SearchPicker, usePickerSearch } from "./SearchPicker";
import type { FocusRequest } from "./rowEditing";
import { StepProblems } from "./StepProblems";
import "./wizard.css";
import "./changes.css";

interface ChangesStepProps {
  plan: PlanStep;
  problems: Problem[];
  answered: number;
  send: (edit: WizardEdit) => number;
  onError: (reason: unknown) => void;
  focusRequest: FocusRequest | null;
  /** The task is a reconcile fix: a choice among additions is which one to keep. */
  fix?: boolean;
}

function ProductMappingCard({
  mapping,
  send,
  onError,
}: {
  mapping: ProductMapping;
  send: (edit: WizardEdit) => number;
  onError: (reason: unknown) => void;
}) {
  const [changing, setChanging] = useState(false);
  const query = usePickerSearch(searchCatalog, onError);
  const current = mapping.catalog;

  const pick = (catalogId: number) => {
    setChanging(false);
    query.setText("");
    send({ kind: "mapProduct", productKey: mapping.productKey, catalogId });
  };

  return (
    <div
      className={`mapping${current === null ? " mapping-missing" : ""}`}
      data-testid="product-mapping"
      data-product-key={mapping.productKey}
      data-problem-for="product"
    >
      <div className="mapping-head">
        <span className="mapping-name">{mapping.name}</span>
        <span className="mono muted">{mapping.productKey}</span>
        {current !== null && !changing && (
          <>
            <span className="mapping-arrow" aria-hidden="true">
              →
            </span>
            <span className="mono" data-testid="mapped-catalog">
              {current.identifier}
            </span>
            <span className="muted">{current.description}</span>
            <button type="button" className="btn btn-small" data-testid="change-catalog" onClick={() => setChanging(true)}>
              Change
            </button>
          </>
        )}
        {current !== null && changing && (
          <button type="button" className="btn btn-small" onClick={() => setChanging(false)}>
            Keep {current.identifier}
          </button>
        )}
      </div>
      {(current === null || changing) && (
        <SearchPicker
          ids="catalog"
          noResultsTestId="catalog-no-results"
          words={{
            suggested: `Catalog items suggested for ${mapping.name}`,
            noSuggestions: "No catalog item looks like this product. Search the catalog.",
            search: "Search the ConnectWise catalog",
            placeholder: "Identifier, description or part number",
            found: "Catalog items found",
            noResults: (text) => `No active catalog item matches “${text}”.`,
          }}
          suggestions={mapping.suggestions}
          query={query}
          toItem={catalogItem}
          currentId={current?.id ?? null}
          subject={mapping.name}
          onPick={pick}
          clearOnEscape
        />
      )}
    </div>
  );
}

function ChoiceCard({
  choice,
  rows,
  send,
  fix,
}: {
  choice: AdditionChoice;
  rows: PlanRowView[];
  send: (edit: WizardEdit) => number;
  fix: boolean;
}) {
  return (
    <div className="mapping" data-testid="addition-choice" data-product-key={choice.productKey} data-problem-for="addition">
      {fix ? (
        <p className="mapping-text">
          Several active additions bill <strong>{choice.productName}</strong>. Keep one; the others get a cancel date:
        </p>
      ) : (
        <p className="mapping-text">
          Several active additions on the agreement match <strong>{choice.productName}</strong>. Pick the one this order
          changes:
        </p>
      )}
      <ul className="option-list" aria-label={`Additions for ${choice.productName}`}>
        {choice.additionIds.map((additionId) => {
          const row = rows.find((r) => r.existingAdditionId === additionId);
          return (
            <li key={additionId}>
              <button
                type="button"
                className={`option${choice.kept === additionId ? " option-current" : ""}`}
                data-testid="addition-option"
                data-addition-id={additionId}
                aria-pressed={choice.kept === additionId}
                onClick={() => send({ kind: "chooseAddition", productKey: choice.productKey, additionId })}
              >
                <span className="option-main">
                  Addition {additionId}
                  {choice.kept === additionId && <span className="option-kept"> — kept</span>}
                </span>
                {row !== undefined && (
                  <span className="option-sub tabular">
                    {row.quantity} × {row.unitPrice} · from {row.effectiveDate}
                    {row.cancelDate !== "" ? ` to ${row.cancelDate}` : ""}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Steps 3 and 4: mappings, the planned additions and their editor. */
export function ChangesStep({ plan, problems, answered, send, onError, focusRequest, fix = false }: ChangesStepProps) {
  const id = useId();
  const taskProblems = problems.filter((p) => p.rowKey === null);
  const dateProblems = taskProblems.filter((p) => p.field === "effectiveDate");
  const effective = useDraftText(plan.effectiveDate, (value) => send({ kind: "setEffectiveDate", value }), answered);
  const [source, chooseSource] = usePendingChoice(plan.priceSource, answered);

  return (
    <section className="wizard-step" data-testid="step-changes" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="step-title" tabIndex={-1}>
        Changes to the agreement
      </h3>
      <StepProblems problems={taskProblems} />
      <CalendarNote calendar={plan.calendar} />

      <div className="task-settings">
        {plan.effectiveDateNotUsed !== null ? (
          <p className="editor-field muted" data-testid="effective-date-not-used">
            {plan.effectiveDateNotUsed}
          </p>
        ) : (
          <div className="editor-field">
            <label className="field-label" htmlFor={`${id}-effective`}>
              {fix ? "Effective date of the fix" : "Effective date of the order"}
            </label>
            <input
              id={`${id}-effective`}
              type="text"
              className={`input input-date${dateProblems.length > 0 ? " input-invalid" : ""}`}
              data-testid="effective-date"
              data-problem-for="effectiveDate"
              inputMode="numeric"
              placeholder="yyyy-MM-dd"
              autoComplete="off"
              spellCheck={false}
              value={effective.text}
              aria-invalid={dateProblems.length > 0}
              onChange={(event) => effective.onChange(event.target.value)}
              onFocus={effective.onFocus}
              onBlur={effective.onBlur}
              onKeyDown={effective.onKeyDown}
            />
          </div>
        )}
        <fieldset className="segmented" data-testid="price-source-all">
          <legend className="field-label">Prices of all rows from</legend>
          <div className="segmented-options">
            {PRICE_SOURCES.map((value) => (
              <label key={value} className={`segment${source === value ? " segment-on" : ""}`}>
                <input
                  type="radio"
                  name={`${id}-source`}
                  value={value}
                  data-testid={`price-source-${value}`}
                  checked={source === value}
                  onChange={() => chooseSource(value, send({ kind: "setPriceSourceAll", source: value }))}
                />
                {PRICE_SOURCE_LABELS[value]}
              </label>
            ))}
          </div>
        </fieldset>
      </div>

      {plan.products.length > 0 && (
        <div className="step-block">
          <h4 className="block-title">Marketplace products → ConnectWise catalog items</h4>
          {plan.products.map((mapping) => (
            <ProductMappingCard key={mapping.productKey} mapping={mapping} send={send} onError={onError} />
          ))}
        </div>
      )}

      {plan.choices.length > 0 && (
        <div className="step-block">
          <h4 className="block-title">Existing additions</h4>
          {plan.choices.map((choice) => (
            <ChoiceCard key={choice.productKey} choice={choice} rows={plan.rows} send={send} fix={fix} />
          ))}
        </div>
      )}

      {plan.notes.length > 0 && (
        <ul className="plan-notes" aria-label="Notes on the plan">
          {plan.notes.map((note, index) => (
            <li key={index} data-testid="plan-note">
              {note}
            </li>
          ))}
        </ul>
      )}

      <div className="step-block">
        <h4 className="block-title">
          Additions <span className="hint">— muted rows are the agreement's current additions that stay as they are</span>
        </h4>
        <PlanTable rows={plan.rows} problems={problems} answered={answered} send={send} focusRequest={focusRequest} />
      </div>
    </section>
  );
}
