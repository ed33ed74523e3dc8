// Inputs of the wizard. They show what Rust returned, except while the user is typing: the typed text
// stays as typed, goes to Rust after a short pause (exactly as typed), and the field shows Rust's
// value again once it has left the field and its last edit was answered.

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { CatalogOption } from "../../bindings/CatalogOption";
import type { CompanyOption } from "../../bindings/CompanyOption";
import type { Likeness } from "../../bindings/Likeness";
import { matchText } from "../../format";
import { useInlineConfirm, type InlineConfirm } from "../../hooks/useInlineConfirm";
import { useDebouncedValue } from "../../hooks/time";
import "./wizard.css";

export const EDIT_DEBOUNCE_MS = 250;
export const CATALOG_SEARCH_DEBOUNCE_MS = 250;

export interface DraftText {
  text: string;
  onChange: (text: string) => void;
  onFocus: () => void;
  onBlur: () => void;
  /** Enter sends what was typed at once. */
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
}

/**
 * A text field bound to a value kept in Rust. `send` sends the typed text and returns the edit's
 * sequence number; `answered` is the highest sequence number answered so far.
 */
export function useDraftText(value: string, send: (text: string) => number, answered: number, delayMs = EDIT_DEBOUNCE_MS): DraftText {
  const [text, setText] = useState(value);
  const timer = useRef<number | null>(null);
  const focused = useRef(false);
  const lastSent = useRef(0);
  const typed = useRef(value);
  const sendRef = useRef(send);
  sendRef.current = send;
  const valueRef = useRef(value);
  valueRef.current = value;
  const answeredRef = useRef(answered);
  answeredRef.current = answered;

  const flush = useCallback(() => {
    if (timer.current === null) return;
    window.clearTimeout(timer.current);
    timer.current = null;
    lastSent.current = sendRef.current(typed.current);
  }, []);

  const syncIfSettled = useCallback(() => {
    if (!focused.current && timer.current === null && answeredRef.current >= lastSent.current) {
      setText(valueRef.current);
    }
  }, []);

  useEffect(syncIfSettled, [value, answered, syncIfSettled]);

  // Leaving the wizard keeps what was typed: the pending edit goes out at once.
  useEffect(() => flush, [flush]);

  const onChange = useCallback(
    (next: string) => {
      setText(next);
      typed.current = next;
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => {
        timer.current = null;
        lastSent.current = sendRef.current(typed.current);
      }, delayMs);
    },
    [delayMs],
  );

  const onFocus = useCallback(() => {
    focused.current = true;
  }, []);

  const onBlur = useCallback(() => {
    focused.current = false;
    flush();
    syncIfSettled();
  }, [flush, syncIfSettled]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      if (event.key === "Enter" && event.currentTarget.tagName === "INPUT") flush();
    },
    [flush],
  );

  return { text, onChange, onFocus, onBlur, onKeyDown };
}

/**
 * A value chosen with a click (checkbox, select, radio): shown at once as chosen, then as Rust
 * answered once that edit is answered.
 */
export function usePendingChoice<T>(value: T, answered: number): [T, (choice: T, seq: number) => void] {
  const [pending, setPending] = useState<{ choice: T; seq: number } | null>(null);
  useEffect(() => {
    if (pending !== null && answered >= pending.seq) setPending(null);
  }, [answered, pending]);
  const choose = useCallback((choice: T, seq: number) => setPending({ choice, seq }), []);
  return [pending === null || answered >= pending.seq ? value : pending.choice, choose];
}

export interface SearchState<T> {
  /** `null` while the search text is empty. */
  results: T[] | null;
  searching: boolean;
}

/**
 * Searches `text` after the user stops typing; an older answer never replaces a newer one.
 *
 * Not `useCommand`: a failure here empties the results and goes to `onError` (the wizard's banner)
 * in the same step, and only while the search is still the latest. `useCommand` either keeps the
 * failure as its own `error` and leaves the old results, or (quiet) throws it on without saying
 * whether the call still counts, so neither keeps this behaviour.
 */
export function useSearch<T>(text: string, search: (text: string) => Promise<T[]>, onError: (reason: unknown) => void): SearchState<T> {
  const settled = useDebouncedValue(text.trim(), CATALOG_SEARCH_DEBOUNCE_MS);
  const [state, setState] = useState<SearchState<T>>({ results: null, searching: false });
  const searchRef = useRef(search);
  searchRef.current = search;
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  useEffect(() => {
    if (settled === "") {
      setState({ results: null, searching: false });
      return undefined;
    }
    let current = true;
    setState((s) => ({ ...s, searching: true }));
    searchRef.current(settled).then(
      (results) => {
        if (current) setState({ results, searching: false });
      },
      (reason: unknown) => {
        if (!current) return;
        setState({ results: null, searching: false });
        onErrorRef.current(reason);
      },
    );
    return () => {
      current = false;
    };
  }, [settled]);

  return text.trim() === "" ? { results: null, searching: false } : state;
}

/** One choice of an option list: what it shows and how the e2e tests find it. */
export interface OptionItem {
  id: number;
  main: string;
  sub: string;
  mainMono?: boolean;
  price?: string;
  score: number | null;
  /** What Rust says the score means: a match, or only a guess (asked about before it is mapped). */
  likeness: Likeness | null;
  /** The item as a question names it: "SETUP-FEE Onboarding / setup fee", "Green Leaf Landscaping (GreenLeaf)". */
  named: string;
  /** `data-testid` and the `data-*` id attribute of the item. */
  testId: string;
  idAttribute: string;
}

/** A ConnectWise company as an option of a list (the wizard's and Reconcile's). */
export function companyItem(o: CompanyOption): OptionItem {
  return {
    id: o.id,
    main: o.name,
    sub: o.identifier,
    score: o.score,
    likeness: o.likeness,
    named: `${o.name} (${o.identifier})`,
    testId: "company-option",
    idAttribute: "data-company-id",
  };
}

/** A catalog item as an option of a list (the wizard's and Reconcile's). */
export function catalogItem(o: CatalogOption): OptionItem {
  return {
    id: o.id,
    main: o.identifier,
    mainMono: true,
    sub: o.description,
    price: o.price,
    score: o.score,
    likeness: o.likeness,
    named: `${o.identifier} ${o.description}`,
    testId: "catalog-option",
    idAttribute: "data-catalog-id",
  };
}

/** The question before a guess becomes a mapping kept for every later task. */
function GuessConfirm({
  subject,
  item,
  confirm,
  onYes,
}: {
  subject: string;
  item: OptionItem;
  confirm: InlineConfirm;
  onYes: () => void;
}) {
  const questionId = useId();
  return (
    <div className="guess-confirm" data-testid="guess-confirm" role="alertdialog" aria-labelledby={questionId} onKeyDown={confirm.onKeyDown}>
      <span className="guess-confirm-question" id={questionId}>
        Map {subject} to {item.named} for every later task?
      </span>
      <span className="guess-confirm-why">
        It is only a guess: {item.score ?? 0}% alike, not the same part number or name.
      </span>
      <span className="guess-confirm-actions">
        <button type="button" className="btn btn-small btn-primary" data-testid="guess-confirm-yes" ref={confirm.confirmRef} onClick={onYes}>
          Map it
        </button>
        <button type="button" className="btn btn-small" data-testid="guess-confirm-no" onClick={confirm.cancel}>
          Cancel
        </button>
      </span>
    </div>
  );
}

/**
 * A list of pickable options (companies, catalog items), the current one marked. A match is
 * picked with a click; a guess is never picked by default and asks first, as its mapping is kept
 * for every later task.
 */
export function OptionList({
  items,
  currentId,
  onPick,
  label,
  testId,
  subject,
}: {
  items: OptionItem[];
  currentId: number | null;
  onPick: (id: number) => void;
  label: string;
  testId: string;
  /** What is being mapped, as the question names it ("Power BI Pro", "Green Lane LLC"). */
  subject: string;
}) {
  const [asking, setAsking] = useState<number | null>(null);
  const confirm = useInlineConfirm();
  const { ask, cancel, confirming } = confirm;
  const questioned = confirming ? items.find((item) => item.id === asking) : undefined;
  const onlyGuesses = items.length > 0 && items[0]?.score !== null && items.every((item) => item.likeness === "guess");

  const choose = (item: OptionItem) => {
    if (item.likeness === "guess" && item.id !== currentId) {
      setAsking(item.id);
      ask();
    } else {
      cancel();
      onPick(item.id);
    }
  };

  return (
    <>
      {onlyGuesses && (
        <p className="hint only-guesses" data-testid="only-guesses">
          None of these is a sure match: each only looks alike. Search, or pick one and confirm it.
        </p>
      )}
      <ul className="option-list" aria-label={label} data-testid={testId}>
        {items.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className={`option${item.id === currentId ? " option-current" : ""}${item.likeness === "guess" ? " option-guess" : ""}`}
              data-testid={item.testId}
              data-likeness={item.likeness ?? undefined}
              {...{ [item.idAttribute]: item.id }}
              aria-pressed={item.id === currentId}
              aria-expanded={item.likeness === "guess" ? questioned?.id === item.id : undefined}
              ref={asking === item.id ? confirm.askRef : undefined}
              onClick={() => choose(item)}
            >
              <span className={`option-main${item.mainMono === true ? " mono" : ""}`}>{item.main}</span>
              <span className={`option-sub${item.mainMono === true ? "" : " mono"}`}>{item.sub}</span>
              {item.price !== undefined && <span className="option-price tabular">{item.price}</span>}
              {item.score !== null && (
                <span className={`option-score tabular option-score-${item.likeness ?? "match"}`}>{matchText(item.score, item.likeness)}</span>
              )}
            </button>
            {questioned?.id === item.id && (
              <GuessConfirm
                subject={subject}
                item={item}
                confirm={confirm}
                onYes={() => {
                  cancel();
                  onPick(item.id);
                }}
              />
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
