import type { Problem } from "../../bindings/Problem";
import "./wizard.css";

/** Problems that are not about one row, listed at the top of a step. */
export function StepProblems({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problem-list" data-testid="step-problems" role="alert">
      {problems.map((problem, index) => (
        <li key={index} className="problem" data-testid="step-problem" data-field={problem.field} tabIndex={-1}>
          {problem.message}
        </li>
      ))}
    </ul>
  );
}
