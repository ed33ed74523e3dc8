import type { Reporter, TestModule } from "vitest/node";
import type { SerializedError } from "vitest";

/** The first line of an error's message. */
const firstLine = (error: { message: string } | undefined): string => error?.message.split("\n")[0] ?? "no error message";

/**
 * The run's last lines: the tests that failed, and those that passed only when tried again
 * (`retry` in vitest.config.ts), each with the first line of its error; then the plain count. A
 * log cut to its tail (a CI summary) still names them.
 */
export default class ClosingReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    let passed = 0;
    let skipped = 0;
    let failedCount = 0;
    const failed: string[] = [];
    // Errors thrown outside any test (a socket, a timer) fail the run too.
    for (const error of unhandledErrors) {
      failedCount += 1;
      failed.push(`  outside any test: ${firstLine(error)}`);
    }
    const flaky: string[] = [];
    for (const module of testModules) {
      const file = module.relativeModuleId;
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === "passed") {
          passed += 1;
          if (test.diagnostic()?.flaky) flaky.push(`  ${file} > ${test.fullName}\n      first try: ${firstLine(result.errors?.[0])}`);
        } else if (result.state === "skipped") skipped += 1;
        else if (result.state === "failed") {
          failedCount += 1;
          failed.push(`  ${file} > ${test.fullName}\n      ${firstLine(result.errors[0])}`);
        }
      }
      // A file that failed to load (or whose hook failed) has no failed test to name: it counts as one.
      const errors = module.errors();
      if (errors.length > 0) {
        failedCount += 1;
        failed.push(`  ${file}: ${firstLine(errors[0])}`);
      }
    }
    if (flaky.length > 0) console.log(`\nPassed only when tried again:\n${flaky.join("\n")}`);
    if (failed.length > 0) console.log(`\nFailed:\n${failed.join("\n")}`);
    console.log(`\ne2e: ${passed} passed, ${failedCount} failed, ${skipped} skipped`);
  }
}
