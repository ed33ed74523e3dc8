import { useId, useState } from "react";
import type { CompanyOption } from "../../bindings/CompanyOption";
import type { CustomerStep } from "../../bindings/CustomerStep";
import type { Problem } from "../../bindings/Problem";
import { searchCompanies } from "../../ipc";
import { StepProblems } from "./StepProblems";
import { OptionList, companyItem, useSearch } from "./fields";
import "./wizard.css";

interface CompanyStepProps {
  taskId: number;
  customer: CustomerStep;
  /** Problems of the task fixed on this step. */
  problems: Problem[];
  onPick: (companyId: number) => void;
  onError: (reason: unknown) => void;
}

function CompanyList({
  options,
  mappedId,
  onPick,
  label,
  testId,
  customerName,
}: {
  options: CompanyOption[];
  mappedId: number | null;
  onPick: (companyId: number) => void;
  label: string;
  testId: string;
  customerName: string;
}) {
  return <OptionList items={options.map(companyItem)} currentId={mappedId} onPick={onPick} label={label} testId={testId} subject={customerName} />;
}

/** Step 1: which ConnectWise company the marketplace customer is. */
export function CompanyStep({ taskId, customer, problems, onPick, onError }: CompanyStepProps) {
  const [changing, setChanging] = useState(false);
  const [text, setText] = useState("");
  const id = useId();
  const search = useSearch(text, (value) => searchCompanies(taskId, value), onError);
  const mapped = customer.company;
  const mappedId = mapped?.id ?? null;

  const pick = (companyId: number) => {
    setChanging(false);
    setText("");
    onPick(companyId);
  };

  return (
    <section className="wizard-step" data-testid="step-customer" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="step-title" tabIndex={-1}>
        Customer → ConnectWise company
      </h3>
      <p className="step-intro">
        Marketplace customer <strong>{customer.customerName}</strong> <span className="mono muted">{customer.customerId}</span>
      </p>
      <StepProblems problems={problems} />

      {mapped !== null && !changing ? (
        <div className="mapped" data-testid="mapped-company" data-company-id={mapped.id}>
          <span className="mapped-label">Mapped to</span>
          <span className="option-main">{mapped.name}</span>
          <span className="option-sub mono">{mapped.identifier}</span>
          <button type="button" className="btn btn-small" data-testid="change-company" onClick={() => setChanging(true)}>
            Change
          </button>
        </div>
      ) : (
        <div className="picker">
          {mapped !== null && (
            <div className="mapped mapped-changing">
              <span className="mapped-label">Now mapped to</span>
              <span className="option-main">{mapped.name}</span>
              <span className="option-sub mono">{mapped.identifier}</span>
              <button type="button" className="btn btn-small" onClick={() => setChanging(false)}>
                Keep it
              </button>
            </div>
          )}
          <h4 className="picker-title">Suggestions</h4>
          {customer.suggestions.length === 0 ? (
            <p className="muted" data-testid="no-company-suggestions">
              No company looks like {customer.customerName}. Search by name or identifier.
            </p>
          ) : (
            <CompanyList
              options={customer.suggestions}
              mappedId={mappedId}
              onPick={pick}
              label="Suggested companies"
              testId="company-suggestions"
              customerName={customer.customerName}
            />
          )}
          <label className="field-label picker-label" htmlFor={`${id}-search`}>
            Search ConnectWise companies
          </label>
          <input
            id={`${id}-search`}
            type="search"
            className="input picker-search"
            data-testid="company-search"
            placeholder="Name or identifier"
            value={text}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape" && text !== "") {
                event.preventDefault();
                setText("");
              }
            }}
          />
          {search.searching && <p className="hint">Searching…</p>}
          {search.results !== null &&
            !search.searching &&
            (search.results.length === 0 ? (
              <p className="muted" data-testid="company-no-results">
                No company matches “{text.trim()}”.
              </p>
            ) : (
              <CompanyList
                options={search.results}
                mappedId={mappedId}
                onPick={pick}
                label="Companies found"
                testId="company-results"
                customerName={customer.customerName}
              />
            ))}
        </div>
      )}
    </section>
  );
}
