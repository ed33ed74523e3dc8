import { describe, expect, it } from "vitest";
import { makeHealth } from "./test/fixtures";
import { connectwiseRefusalAbove } from "./windowNotices";

describe("connectwiseRefusalAbove", () => {
  it("is true only while the banner shows and ConnectWise refuses", () => {
    const banner = "ConnectWise refused: check the keys.";
    expect(connectwiseRefusalAbove(makeHealth({ connectWise: { state: "refused" }, banner }))).toBe(true);
    // The marketplace's refusal in the banner: ConnectWise's own failure is still said under the check.
    expect(connectwiseRefusalAbove(makeHealth({ marketplace: { state: "refused" }, banner: "Cloud Marketplace refused: …" }))).toBe(false);
    expect(connectwiseRefusalAbove(makeHealth({ connectWise: { state: "refused" } }))).toBe(false);
    expect(connectwiseRefusalAbove(makeHealth({ connectWise: { state: "unreachable" } }))).toBe(false);
    expect(connectwiseRefusalAbove(undefined)).toBe(false);
  });
});
