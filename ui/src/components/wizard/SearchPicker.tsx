import { useId, useState, type ReactNode } from "react";
import { OptionList, useSearch, type OptionItem, type SearchState } from "./fields";
import "./wizard.css";

/** A picker's search: the text typed and what it found. */
export interface PickerSearch<T> {
  text: string;
  setText: (text: string) => void;
  found: SearchState<T>;
}

/**
 * The search of a picker, kept by its caller: the wizard hides its picker behind Keep it and shows
 * it again on Change with the text and results as they were.
 */
export function usePickerSearch<T>(search: (text: string) => Promise<T[]>, onError: (reason: unknown) => void): PickerSearch<T> {
  const [text, setText] = useState("");
  const found = useSearch(text, search, onError);
  return { text, setText, found };
}

/** What a picker says: the names of its lists and field, and what it says when they are empty. */
export interface PickerWords {
  /** The heading above the suggestions, if the picker has one. */
  heading?: string;
  /** While Rust ranks the suggestions (`suggestions` is `null`). */
  ranking?: string;
  /** The suggestions list's name: "Suggested companies". */
  suggested: string;
  noSuggestions: string;
  /** The search field's label. */
  search: string;
  placeholder: string;
  /** The results list's name: "Companies found". */
  found: string;
  noResults: (text: string) => string;
}

interface SearchPickerProps<T> {
  /** The test ids of its parts: `${ids}-suggestions`, `${ids}-search`, `${ids}-results`. */
  ids: string;
  /** The test ids of the words said when nothing is suggested or nothing found, where the tests look for them. */
  noSuggestionsTestId?: string;
  noResultsTestId?: string;
  words: PickerWords;
  /** Ranked suggestions (nothing typed); `null` while they are read. */
  suggestions: T[] | null;
  /** The text typed and the options containing it (`usePickerSearch`). */
  query: PickerSearch<T>;
  toItem: (option: T) => OptionItem;
  /** The option mapped now, marked in both lists. */
  currentId: number | null;
  /** What is being mapped, as the question before a guess names it ("Power BI Pro"). */
  subject: string;
  onPick: (id: number) => void;
  /** The picker's own class and test id, after `picker`. */
  className?: string;
  testId?: string;
  /** A mapping is being saved: the picker says so and the search waits. */
  busy?: boolean;
  /** Esc in the search empties it. */
  clearOnEscape?: boolean;
  /** Above the suggestions: what is mapped now, and how to keep it. */
  children?: ReactNode;
}

/**
 * Suggestions and a search, for mapping a customer to a ConnectWise company or a product to a
 * catalog item — in the wizard and on Reconcile. The search is sent after a pause in typing.
 */
export function SearchPicker<T>({
  ids,
  noSuggestionsTestId,
  noResultsTestId,
  words,
  suggestions,
  query,
  toItem,
  currentId,
  subject,
  onPick,
  className,
  testId,
  busy,
  clearOnEscape = false,
  children,
}: SearchPickerProps<T>) {
  const id = useId();
  const { text, setText, found } = query;

  return (
    <div className={className === undefined ? "picker" : `picker ${className}`} data-testid={testId} aria-busy={busy}>
      {children}
      {words.heading !== undefined && <h4 className="picker-title">{words.heading}</h4>}
      {suggestions === null ? (
        <p className="hint">{words.ranking}</p>
      ) : suggestions.length === 0 ? (
        <p className="muted" data-testid={noSuggestionsTestId}>
          {words.noSuggestions}
        </p>
      ) : (
        <OptionList
          items={suggestions.map(toItem)}
          currentId={currentId}
          onPick={onPick}
          label={words.suggested}
          testId={`${ids}-suggestions`}
          subject={subject}
        />
      )}
      <label className="field-label picker-label" htmlFor={`${id}-search`}>
        {words.search}
      </label>
      <input
        id={`${id}-search`}
        type="search"
        className="input picker-search"
        data-testid={`${ids}-search`}
        placeholder={words.placeholder}
        value={text}
        spellCheck={false}
        autoComplete="off"
        disabled={busy}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (clearOnEscape && event.key === "Escape" && text !== "") {
            event.preventDefault();
            setText("");
          }
        }}
      />
      {found.searching && <p className="hint">Searching…</p>}
      {found.results !== null &&
        !found.searching &&
        (found.results.length === 0 ? (
          <p className="muted" data-testid={noResultsTestId}>
            {words.noResults(text.trim())}
          </p>
        ) : (
          <OptionList
            items={found.results.map(toItem)}
            currentId={currentId}
            onPick={onPick}
            label={words.found}
            testId={`${ids}-results`}
            subject={subject}
          />
        ))}
    </div>
  );
}
