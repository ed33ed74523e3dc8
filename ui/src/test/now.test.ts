import { expect, it } from "vitest";
import { TEST_NOW } from "./now";

it("runs every test on the pinned day, whatever the machine's clock says", () => {
  const elapsed = Date.now() - Date.parse(TEST_NOW);
  expect(elapsed).toBeGreaterThanOrEqual(0);
  expect(elapsed).toBeLessThan(10 * 60_000);
});
