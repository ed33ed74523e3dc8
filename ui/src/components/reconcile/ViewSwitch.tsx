export type View = "tasks" | "reconcile";

const VIEWS: readonly { view: View; label: string }[] = [
  { view: "tasks", label: "Tasks" },
  { view: "reconcile", label: "Reconcile" },
];

/** Tasks | Reconcile: the task list, or the whole book against the marketplace. */
export function ViewSwitch({ view, onChange, disabled = false }: { view: View; onChange: (view: View) => void; disabled?: boolean }) {
  return (
    <div className="view-switch" role="group" aria-label="View" data-testid="view-switch">
      {VIEWS.map((v) => (
        <button
          key={v.view}
          type="button"
          className="view-switch-option"
          data-testid={`view-${v.view}`}
          aria-pressed={view === v.view}
          disabled={disabled}
          onClick={() => onChange(v.view)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}
