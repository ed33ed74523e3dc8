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
    reporters: ["default"],
  },
});
