// Fields of the Connections form: a labelled text field, and a secret field that never shows a
// secret — only whether Rust has one, and an input for a new one.

import { useEffect, useId, useRef } from "react";
import type { FieldKey, SecretDraft } from "./profileDraft";
import "./form.css";

/** The ids that describe a field (its hint, the message that marks it invalid), for aria-describedby. */
function describedBy(...ids: (string | null | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => typeof id === "string" && id !== "");
  return present.length === 0 ? undefined : present.join(" ");
}

interface FieldShared {
  label: string;
  /** The `data-testid` of the input (and the suffix of the secret field's own test ids). */
  testId: string;
  /** The field as Rust names it in errors: `data-field`, where an error moves the focus. */
  field: FieldKey;
  hint?: string | undefined;
  /** Marked invalid by an error from Rust; `errorId` is the message that says why. */
  invalid: boolean;
  errorId?: string | undefined;
  /** Rust's reason, said under the field while it is marked. */
  errorText?: string | undefined;
  /** Saving: what is typed stays as it is until the answer. */
  readOnly: boolean;
}

/** Rust's reason for marking a field, under it. */
function FieldError({ id, field, text }: { id: string; field: FieldKey; text: string | undefined }) {
  if (text === undefined || text === "") return null;
  return (
    <span className="field-error form-field-error" id={id} data-testid={`field-error-${field}`}>
      {text}
    </span>
  );
}

interface TextFieldProps extends FieldShared {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string | undefined;
  required?: boolean | undefined;
  optional?: boolean | undefined;
  /** The id of a `<datalist>` of suggestions. */
  list?: string | undefined;
  mono?: boolean | undefined;
}

export function TextField({
  label,
  testId,
  field,
  hint,
  invalid,
  errorId,
  errorText,
  readOnly,
  value,
  onChange,
  placeholder,
  required = false,
  optional = false,
  list,
  mono = false,
}: TextFieldProps) {
  const id = useId();
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const inlineId = invalid && errorText !== undefined && errorText !== "" ? `${id}-error` : undefined;
  return (
    <div className="form-row">
      <label className="form-label" htmlFor={id}>
        {label}
        {required && <span className="required"> (required)</span>}
        {optional && <span className="required"> (optional)</span>}
      </label>
      <div className="form-control">
        <input
          id={id}
          className={`input form-input${mono ? " mono" : ""}${invalid ? " input-invalid" : ""}`}
          data-testid={testId}
          data-field={field}
          type="text"
          value={value}
          onChange={(event) => onChange(event.currentTarget.value)}
          placeholder={placeholder}
          list={list}
          required={required}
          aria-required={required}
          aria-invalid={invalid}
          aria-describedby={describedBy(inlineId, hintId, invalid ? errorId : undefined)}
          readOnly={readOnly}
          autoComplete="off"
          spellCheck={false}
        />
        {invalid && <FieldError id={`${id}-error`} field={field} text={errorText} />}
        {hint !== undefined && (
          <span className="hint" id={hintId}>
            {hint}
          </span>
        )}
      </div>
    </div>
  );
}

interface SecretFieldProps extends FieldShared {
  /** Whether Rust has this secret (in the keyring). */
  isSet: boolean;
  draft: SecretDraft;
  onChange: (draft: SecretDraft) => void;
  /** The keyring can't be used: the secret can't be changed. */
  disabled: boolean;
}

type SecretMode = "set" | "replacing" | "removing" | "notSet" | "unknown";

function modeOf(isSet: boolean, draft: SecretDraft, keyringUsable: boolean): SecretMode {
  // Without a keyring, whether a secret is set cannot be known (nor changed).
  if (!keyringUsable) return "unknown";
  if (!isSet) return "notSet";
  if (draft.kind === "replace") return "replacing";
  return draft.kind === "remove" ? "removing" : "set";
}

const STATE_TEXT: Readonly<Record<SecretMode, string>> = {
  set: "Set",
  replacing: "Set",
  removing: "Will be removed on Save",
  notSet: "Not set",
  unknown: "Can't be read",
};

/** What the field says of its secret: as the keyring holds it, or what Save will do with what is typed. */
function stateText(mode: SecretMode, draft: SecretDraft): string {
  const typed = draft.kind === "replace" && draft.value !== "";
  if (typed && mode === "notSet") return "Will be saved";
  if (typed && mode === "replacing") return "Will be replaced on Save";
  return STATE_TEXT[mode];
}

/**
 * A secret: "Set" with Replace and Remove, or "Not set" with an input. The typed value lives only in
 * the input and the form's state until it is sent. The input is uncontrolled, so the value is never
 * written into a DOM attribute.
 */
export function SecretField({ label, testId, field, hint, invalid, errorId, errorText, readOnly, isSet, draft, onChange, disabled }: SecretFieldProps) {
  const id = useId();
  const mode = modeOf(isSet, draft, !disabled);
  const showInput = mode === "replacing" || mode === "notSet";
  const inputRef = useRef<HTMLInputElement>(null);
  const replaceRef = useRef<HTMLButtonElement>(null);
  const undoRef = useRef<HTMLButtonElement>(null);
  const removeRef = useRef<HTMLButtonElement>(null);
  // Set by the buttons here: where the focus goes once the field shows its new state.
  const focusNext = useRef<"input" | "replace" | "undo" | "remove" | null>(null);

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target === "input") inputRef.current?.focus();
    else if (target === "replace") replaceRef.current?.focus();
    else if (target === "undo") undoRef.current?.focus();
    else if (target === "remove") removeRef.current?.focus();
  }, [mode]);

  const go = (next: SecretDraft, focus: NonNullable<typeof focusNext.current>) => {
    focusNext.current = focus;
    onChange(next);
  };

  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const inlineId = invalid && errorText !== undefined && errorText !== "" ? `${id}-error` : undefined;
  const stateId = `${id}-state`;
  const labelId = `${id}-label`;
  const buttonsDisabled = disabled || readOnly;

  return (
    <div className="form-row" data-field={showInput ? undefined : field}>
      {showInput ? (
        <label className="form-label" htmlFor={id} id={labelId}>
          {label}
        </label>
      ) : (
        <span className="form-label" id={labelId}>
          {label}
        </span>
      )}
      <div className="form-control">
        <div className={`secret${invalid && !showInput ? " secret-invalid" : ""}`}>
          <span
            className={`secret-state secret-state-${mode}`}
            id={stateId}
            data-testid={`secret-state-${testId}`}
            data-set={mode === "set" || mode === "replacing"}
          >
            {stateText(mode, draft)}
          </span>
          {showInput && (
            <input
              ref={inputRef}
              id={id}
              className={`input form-input secret-input${invalid ? " input-invalid" : ""}`}
              data-testid={testId}
              data-field={field}
              type="password"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="off"
              placeholder={mode === "replacing" ? "New value" : undefined}
              onChange={(event) => onChange({ kind: "replace", value: event.currentTarget.value })}
              disabled={disabled}
              readOnly={readOnly}
              aria-invalid={invalid}
              aria-describedby={describedBy(stateId, inlineId, hintId, invalid ? errorId : undefined)}
            />
          )}
          {mode === "set" && (
            <>
              <button
                type="button"
                className="btn btn-small"
                ref={replaceRef}
                data-testid={`replace-${testId}`}
                aria-describedby={labelId}
                disabled={buttonsDisabled}
                onClick={() => go({ kind: "replace", value: "" }, "input")}
              >
                Replace
              </button>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                ref={removeRef}
                data-testid={`remove-${testId}`}
                aria-describedby={labelId}
                disabled={buttonsDisabled}
                onClick={() => go({ kind: "remove" }, "undo")}
              >
                Remove
              </button>
            </>
          )}
          {mode === "replacing" && (
            <button
              type="button"
              className="btn btn-small"
              data-testid={`cancel-${testId}`}
              aria-describedby={labelId}
              disabled={readOnly}
              onClick={() => go({ kind: "keep" }, "replace")}
            >
              Cancel
            </button>
          )}
          {mode === "removing" && (
            <button
              type="button"
              className="btn btn-small"
              ref={undoRef}
              data-testid={`undo-${testId}`}
              aria-describedby={labelId}
              disabled={readOnly}
              onClick={() => go({ kind: "keep" }, "remove")}
            >
              Undo
            </button>
          )}
        </div>
        {invalid && <FieldError id={`${id}-error`} field={field} text={errorText} />}
        {hint !== undefined && (
          <span className="hint" id={hintId}>
            {hint}
          </span>
        )}
      </div>
    </div>
  );
}
