import "./changes.css";

/** "edited" beside a field's label when the value differs from the plan. */
export function EditedMark({ shown }: { shown: boolean }) {
  if (!shown) return null;
  return (
    <span className="edited-mark" data-testid="edited-marker" title="Edited: differs from the plan">
      edited
    </span>
  );
}
