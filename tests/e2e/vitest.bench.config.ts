import { defineConfig } from "vitest/config";

// The app-level benchmarks (`make bench`): they print figures and never fail on time.
export default defineConfig({
  test: {
    include: ["bench/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
