import type { Problem } from "../../bindings/Problem";
import "./changes.css";

/** The problems Rust found with a field, under it (`id` is what the field's aria-describedby names). */
export function FieldProblems({ id, problems }: { id: string; problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <span id={id} className="field-problems">
      {problems.map((problem, index) => (
        <span key={index} className="field-error" role="alert" data-testid="field-problem" data-field={problem.field}>
          {problem.message}
        </span>
      ))}
    </span>
  );
}
