import { useEffect, useId, useState } from "react";
import { OptionList, useSearch, type OptionItem } from "../wizard/fields";
import "../wizard/wizard.css";

interface MappingPickerProps<T> {
  /** "ConnectWise company", "catalog item". */
  what: string;
  /** What is being mapped, as the question before a guess names it ("Power BI Pro"). */
  subject: string;
  /** Ranked suggestions (nothing typed). */
  suggest: () => Promise<T[]>;
  /** Options containing the typed text. */
  search: (text: string) => Promise<T[]>;
  toItem: (option: T) => OptionItem;
  onPick: (id: number) => void;
  busy: boolean;
  onError: (reason: unknown) => void;
  testId: string;
}

/** Ranked suggestions and a search, for mapping a customer or a product from the Reconcile screen. */
export function MappingPicker<T>({ what, subject, suggest, search, toItem, onPick, busy, onError, testId }: MappingPickerProps<T>) {
  const id = useId();
  const [text, setText] = useState("");
  const [suggestions, setSuggestions] = useState<T[] | null>(null);
  const found = useSearch(text, search, onError);
  const [suggestRef] = useState(() => suggest);

  useEffect(() => {
    let current = true;
    suggestRef().then(
      (options) => {
        if (current) setSuggestions(options);
      },
      (reason: unknown) => {
        if (current) {
          setSuggestions([]);
          onError(reason);
        }
      },
    );
    return () => {
      current = false;
    };
  }, [suggestRef, onError]);

  return (
    <div className="picker rec-picker" data-testid={testId} aria-busy={busy}>
      <h4 className="picker-title">Suggestions</h4>
      {suggestions === null ? (
        <p className="hint">Ranking {what}s…</p>
      ) : suggestions.length === 0 ? (
        <p className="muted">No {what} looks like it. Search by name or identifier.</p>
      ) : (
        <OptionList
          items={suggestions.map(toItem)}
          currentId={null}
          onPick={onPick}
          label={`Suggested ${what}s`}
          testId={`${testId}-suggestions`}
          subject={subject}
        />
      )}
      <label className="field-label picker-label" htmlFor={`${id}-search`}>
        Search {what}s
      </label>
      <input
        id={`${id}-search`}
        type="search"
        className="input picker-search"
        data-testid={`${testId}-search`}
        placeholder="Name or identifier"
        value={text}
        spellCheck={false}
        autoComplete="off"
        disabled={busy}
        onChange={(event) => setText(event.target.value)}
      />
      {found.searching && <p className="hint">Searching…</p>}
      {found.results !== null &&
        !found.searching &&
        (found.results.length === 0 ? (
          <p className="muted">Nothing matches “{text.trim()}”.</p>
        ) : (
          <OptionList
            items={found.results.map(toItem)}
            currentId={null}
            onPick={onPick}
            label={`${what}s found`}
            testId={`${testId}-results`}
            subject={subject}
          />
        ))}
    </div>
  );
}
