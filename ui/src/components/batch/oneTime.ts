import type { OneTimeKind } from "../../bindings/OneTimeKind";
import type { OneTimePart } from "../../bindings/OneTimePart";

/** What each kind of one-time charge is, in the words of the wizard's rows. */
export const ONE_TIME_KIND_LABELS: Record<OneTimeKind, string> = {
  prorate: "prorated",
  usage: "usage",
  fee: "cancellation fee",
  setupFee: "setup fee",
  other: "other one-time",
};

/** "prorated 4.00 · usage 28.91 · cancellation fee 25.00", the amounts as Rust sent them. */
export function oneTimePartsText(parts: readonly OneTimePart[]): string {
  return parts.map((part) => `${ONE_TIME_KIND_LABELS[part.kind]} ${part.amount}`).join(" · ");
}

/** A row's kinds alone when it has one ("usage"), else each with its amount. */
export function oneTimeKindsText(parts: readonly OneTimePart[]): string {
  const [only] = parts;
  return parts.length === 1 && only !== undefined ? ONE_TIME_KIND_LABELS[only.kind] : oneTimePartsText(parts);
}
