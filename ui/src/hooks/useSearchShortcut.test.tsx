import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useRef } from "react";
import { describe, expect, it } from "vitest";
import { useSearchShortcut } from "./useSearchShortcut";

function Window({ off }: { off: boolean }) {
  const searchRef = useRef<HTMLInputElement>(null);
  useSearchShortcut(searchRef, off);
  return (
    <>
      <input ref={searchRef} data-testid="search" defaultValue="green" />
      <input data-testid="reason" />
      <button type="button" data-testid="elsewhere">
        Elsewhere
      </button>
    </>
  );
}

describe("useSearchShortcut", () => {
  it("puts the focus in the search with its text selected", async () => {
    const user = userEvent.setup();
    render(<Window off={false} />);
    screen.getByTestId("elsewhere").focus();
    await user.keyboard("/");
    const search = screen.getByTestId<HTMLInputElement>("search");
    expect(search).toHaveFocus();
    expect([search.selectionStart, search.selectionEnd]).toEqual([0, "green".length]);
  });

  it("leaves a / typed in a field to the field, but Ctrl+F still goes to the search", async () => {
    const user = userEvent.setup();
    render(<Window off={false} />);
    await user.click(screen.getByTestId("reason"));
    await user.keyboard("a/b");
    expect(screen.getByTestId("reason")).toHaveFocus();
    expect(screen.getByTestId("reason")).toHaveValue("a/b");
    await user.keyboard("{Control>}f{/Control}");
    expect(screen.getByTestId("search")).toHaveFocus();
  });

  it("does nothing while something covers the list", async () => {
    const user = userEvent.setup();
    const { rerender } = render(<Window off={false} />);
    rerender(<Window off={true} />);
    screen.getByTestId("elsewhere").focus();
    await user.keyboard("/{Control>}f{/Control}");
    expect(screen.getByTestId("elsewhere")).toHaveFocus();
  });
});
