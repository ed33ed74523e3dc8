export type View = "tasks" | "reconcile" | "activity";

const VIEWS: readonly { view: View; label: string }[] = [
  { view: "tasks", label: "Tasks" },
  { view: "reconcile", label: "Reconcile" },
  { view: "activity", label: "Activity" },
];

/** Tasks | Reconcile | Activity: the task list, the whole book against the marketplace, or every write made. */
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
