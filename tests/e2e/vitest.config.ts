import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["specs/**/*.test.ts"],
    // One window at a time: the tests share the display and the build.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // What a test left running (a child's socket) must not hold the run for vitest's default ten
    // seconds after the last test.
    teardownTimeout: 1_000,
    // A test that fails is run once more from a fresh launch (each test launches its own app and
    // data). A real defect fails twice; one that passes the second time is still named at the end
    // of the run ("Passed only when tried again"), with its first error, to be mended.
    retry: 1,
    // The default report, then the failed tests named again at the very end (closing-reporter.ts).
    reporters: ["default", "./closing-reporter.ts"],
  },
});
