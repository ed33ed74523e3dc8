// What the editor of a plan row edits, how its edits reach Rust, and where a click on a problem sends
// the focus.

import type { HTMLAttributes } from "react";
import type { EditableField } from "../../bindings/EditableField";
import type { ReviewField } from "../../bindings/ReviewField";
import type { WizardEdit } from "../../bindings/WizardEdit";

/** Where a click on a problem sends the user: the field of a row, or a field of the task. */
export interface FocusRequest {
  rowKey: string | null;
  field: ReviewField;
  /** A new number for every request, so the same problem can be gone to twice. */
  nonce: number;
}

/** How a row's fields send their edits: `send` answers the edit's sequence number, `answered` the highest answered. */
export interface RowEditing {
  answered: number;
  send: (edit: WizardEdit) => number;
}

/** The row's fields typed as one line of text. */
export type TextField = Extract<EditableField, "effectiveDate" | "cancelDate" | "quantity" | "unitPrice" | "unitCost">;

export interface TextFieldSpec {
  field: TextField;
  label: string;
  placeholder: string;
  inputMode: HTMLAttributes<HTMLInputElement>["inputMode"];
}

export const TEXT_FIELDS: readonly TextFieldSpec[] = [
  { field: "effectiveDate", label: "Effective date", placeholder: "yyyy-MM-dd", inputMode: "numeric" },
  { field: "cancelDate", label: "Cancel date", placeholder: "yyyy-MM-dd (none)", inputMode: "numeric" },
  { field: "quantity", label: "Quantity", placeholder: "0", inputMode: "decimal" },
  { field: "unitPrice", label: "Unit price", placeholder: "0.00", inputMode: "decimal" },
  { field: "unitCost", label: "Unit cost", placeholder: "0.00", inputMode: "decimal" },
];

/** Every field the row editor has — one entry per Rust `EditableField` (tsc fails when one is missing). */
const EDITOR_FIELDS: Readonly<Record<EditableField, true>> = {
  effectiveDate: true,
  cancelDate: true,
  description: true,
  quantity: true,
  unitPrice: true,
  unitCost: true,
  billCustomer: true,
  taxable: true,
  priceSource: true,
};

/** The field has an input in the row editor (a problem of another field is listed at its top). */
export const inEditor = (field: ReviewField): boolean => Object.hasOwn(EDITOR_FIELDS, field);
