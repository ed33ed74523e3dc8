import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clockOffset } from "./time";

describe("clockOffset", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-29T20:40:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is how far a pinned app clock is from the window's, in whole minutes", () => {
    expect(clockOffset("2026-11-24T12:00:00Z")).toBe(-(5 * 24 * 60 + 8 * 60 + 40) * 60_000);
    expect(clockOffset("2028-02-29T10:00:20Z")).toBe(Date.parse("2028-02-29T10:00:00Z") - Date.parse("2026-11-29T20:40:00Z"));
  });

  it("is zero when the clocks agree, and when the app said nothing usable", () => {
    expect(clockOffset("2026-11-29T20:40:03Z")).toBe(0);
    expect(clockOffset("2026-11-29T20:39:10Z")).toBe(0);
    expect(clockOffset(undefined)).toBe(0);
    expect(clockOffset("not a time")).toBe(0);
  });
});
