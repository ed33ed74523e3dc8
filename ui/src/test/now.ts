/** The moment every UI test runs at (SPEC §14); the test setup pins Date to it. */
export const TEST_NOW = "2026-11-24T12:00:00Z";
