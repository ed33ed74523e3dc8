import { useEffect, useState } from "react";
import { SearchPicker, usePickerSearch } from "../wizard/SearchPicker";
import type { OptionItem } from "../wizard/fields";

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

/** Ranked suggestions, asked of Rust when it opens, and a search, for mapping a customer or a product from the Reconcile screen. */
export function MappingPicker<T>({ what, subject, suggest, search, toItem, onPick, busy, onError, testId }: MappingPickerProps<T>) {
  const query = usePickerSearch(search, onError);
  const [suggestions, setSuggestions] = useState<T[] | null>(null);
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
    <SearchPicker
      ids={testId}
      words={{
        heading: "Suggestions",
        ranking: `Ranking ${what}s…`,
        suggested: `Suggested ${what}s`,
        noSuggestions: `No ${what} looks like it. Search by name or identifier.`,
        search: `Search ${what}s`,
        placeholder: "Name or identifier",
        found: `${what}s found`,
        noResults: (text) => `Nothing matches “${text}”.`,
      }}
      suggestions={suggestions}
      query={query}
      toItem={toItem}
      currentId={null}
      subject={subject}
      onPick={onPick}
      className="rec-picker"
      testId={testId}
      busy={busy}
    />
  );
}
