import { useId, useState } from "react";
import type { CustomerStep } from "../../bindings/CustomerStep";
import type { Problem } from "../../bindings/Problem";
import { searchCompanies } from "../../ipc";
import { StepProblems } from "./StepProblems";
import { companyItem } from "./fields";
import { SearchPicker, usePickerSearch } from "./SearchPicker";
import "./wizard.css";

interface CompanyStepProps {
  taskId: number;
  customer: CustomerStep;
  /** Problems of the task fixed on this step. */
  problems: Problem[];
  onPick: (companyId: number) => void;
  onError: (reason: unknown) => void;
}

/** Step 1: which ConnectWise company the marketplace customer is. */
export function CompanyStep({ taskId, customer, problems, onPick, onError }: CompanyStepProps) {
  const [changing, setChanging] = useState(false);
  const id = useId();
  const query = usePickerSearch((text) => searchCompanies(taskId, text), onError);
  const mapped = customer.company;

  const pick = (companyId: number) => {
    setChanging(false);
    query.setText("");
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
        <SearchPicker
          ids="company"
          noSuggestionsTestId="no-company-suggestions"
          noResultsTestId="company-no-results"
          words={{
            heading: "Suggestions",
            suggested: "Suggested companies",
            noSuggestions: `No company looks like ${customer.customerName}. Search by name or identifier.`,
            search: "Search ConnectWise companies",
            placeholder: "Name or identifier",
            found: "Companies found",
            noResults: (text) => `No company matches “${text}”.`,
          }}
          suggestions={customer.suggestions}
          query={query}
          toItem={companyItem}
          currentId={mapped?.id ?? null}
          subject={customer.customerName}
          onPick={pick}
          clearOnEscape
        >
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
        </SearchPicker>
      )}
    </section>
  );
}
