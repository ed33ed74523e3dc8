import "./wizard.css";

/** An amount exactly as Rust sent it (a dash when empty), negative ones marked. */
export function Amount({ value, testId }: { value: string; testId?: string }) {
  return (
    <span className={`amount tabular${value.startsWith("-") ? " amount-negative" : ""}`} data-testid={testId}>
      {value === "" ? "—" : value}
    </span>
  );
}
