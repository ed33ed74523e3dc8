// Test connection of one section of the form: the button, the state of the test, and what it found.

import { useCallback, useRef, useState, type ReactNode } from "react";
import type { ConnectWiseTestView } from "../../bindings/ConnectWiseTestView";
import type { ErrorView } from "../../bindings/ErrorView";
import type { MarketplaceTestView } from "../../bindings/MarketplaceTestView";
import type { ProfileInput } from "../../bindings/ProfileInput";
import { toIpcError } from "../../ipc";
import "./form.css";

export type TestState<T> = { phase: "idle" } | { phase: "running" } | { phase: "ok"; view: T } | { phase: "error"; error: ErrorView };

export interface ConnectionTest<T> {
  state: TestState<T>;
  /** Runs the test; resolves with its outcome, or `null` when the form was edited meanwhile. */
  run: (input: ProfileInput) => Promise<TestState<T> | null>;
  /** The form was edited: a result on screen (or on its way) no longer describes it. */
  invalidate: () => void;
}

export function useConnectionTest<T>(test: (input: ProfileInput) => Promise<T>): ConnectionTest<T> {
  const [state, setState] = useState<TestState<T>>({ phase: "idle" });
  const generation = useRef(0);

  const run = useCallback(
    async (input: ProfileInput): Promise<TestState<T> | null> => {
      generation.current += 1;
      const mine = generation.current;
      setState({ phase: "running" });
      let outcome: TestState<T>;
      try {
        outcome = { phase: "ok", view: await test(input) };
      } catch (reason: unknown) {
        outcome = { phase: "error", error: toIpcError(reason).view };
      }
      if (generation.current !== mine) return null;
      setState(outcome);
      return outcome;
    },
    [test],
  );

  const invalidate = useCallback(() => {
    generation.current += 1;
    setState((s) => (s.phase === "idle" ? s : { phase: "idle" }));
  }, []);

  return { state, run, invalidate };
}

export type TestTarget = "connectwise" | "marketplace";

type Outcome = "ok" | "warning" | "error";

function ResultBox({ target, outcome, id, children }: { target: TestTarget; outcome: Outcome; id: string; children: ReactNode }) {
  return (
    <div className={`test-result test-result-${outcome}`} id={id} data-testid={`test-result-${target}`} data-outcome={outcome} role={outcome === "ok" ? "status" : "alert"}>
      <span className="test-result-icon" aria-hidden="true">
        {outcome === "ok" ? "✓" : "!"}
      </span>
      <div className="test-result-body">{children}</div>
    </div>
  );
}

function ErrorResult({ target, id, error }: { target: TestTarget; id: string; error: ErrorView }) {
  return (
    <ResultBox target={target} outcome="error" id={id}>
      <span className="test-result-text" data-code={error.code}>
        {error.message}
      </span>
    </ResultBox>
  );
}

export function ConnectWiseResult({ state, id }: { state: TestState<ConnectWiseTestView>; id: string }) {
  if (state.phase === "error") return <ErrorResult target="connectwise" id={id} error={state.error} />;
  if (state.phase !== "ok") return null;
  const { companyName, codebase, missingPermissions, keyField, keyFieldOk } = state.view;
  const lacking = missingPermissions.length > 0;
  return (
    <ResultBox target="connectwise" outcome={lacking || !keyFieldOk ? "warning" : "ok"} id={id}>
      {lacking ? (
        <>
          <span className="test-result-title">Connected to {companyName}, but the API member's security role lacks:</span>
          <ul className="test-result-list" data-testid="missing-permissions">
            {missingPermissions.map((permission) => (
              <li key={permission}>{permission}</li>
            ))}
          </ul>
          <span className="test-result-text">Grant them in ConnectWise under System › Security Roles.</span>
        </>
      ) : (
        <span className="test-result-title">Connected to ConnectWise: {companyName}</span>
      )}
      {/* Where the keys go: a field named but missing (or not Text) is a warning, Serial Number is used. */}
      <span className={keyFieldOk ? "test-result-meta" : "test-result-text test-result-key-warning"} data-testid="cw-key-field" data-ok={keyFieldOk}>
        {keyField}
      </span>
      {codebase !== "" && (
        <span className="test-result-meta">
          codebase <span className="mono">{codebase}</span>
        </span>
      )}
    </ResultBox>
  );
}

export function MarketplaceResult({ state, id }: { state: TestState<MarketplaceTestView>; id: string }) {
  if (state.phase === "error") return <ErrorResult target="marketplace" id={id} error={state.error} />;
  if (state.phase !== "ok") return null;
  return (
    <ResultBox target="marketplace" outcome="ok" id={id}>
      <span className="test-result-title">
        Signed in to the Cloud Marketplace at <span className="mono">{state.view.baseUrl}</span>
      </span>
    </ResultBox>
  );
}

export function TestButton({ target, running, disabled, onTest }: { target: TestTarget; running: boolean; disabled: boolean; onTest: () => void }) {
  return (
    <button
      type="button"
      className="btn"
      data-testid={`test-${target}`}
      onClick={onTest}
      disabled={running || disabled}
      aria-busy={running}
      title="Try the settings as they are in the form (nothing is saved)"
    >
      {running && <span className="spinner spinner-dark" aria-hidden="true" />}
      {running ? "Testing…" : "Test connection"}
    </button>
  );
}
