// The Connections form as the user edits it, and how it becomes the `ProfileInput` Rust reads.
// Secrets are never read back from Rust: the form knows only whether each one is set, and holds a
// typed value only until it is sent.

import type { ErrorField } from "../../bindings/ErrorField";
import type { ProfileForm } from "../../bindings/ProfileForm";
import type { ProfileInput } from "../../bindings/ProfileInput";
import type { SecretEdit } from "../../bindings/SecretEdit";

/** The settings typed as text, by the field names Rust uses in its errors. */
export type TextKey = "name" | "site" | "companyId" | "clientId" | "codebase" | "additionKeyField" | "catalogCurrency" | "codeOrUrl" | "username";
/** The secrets, by the field names Rust uses in its errors. */
export type SecretKey = "publicKey" | "privateKey" | "password" | "subscriptionKey";
export type FieldKey = TextKey | SecretKey;

/** Where a field is: its own section's Test connection covers it. */
export type Section = "general" | "connectwise" | "marketplace";

/**
 * What happens to one secret. `keep`: as it is in the keyring (set or not); `replace`: a new value
 * is being typed (empty keeps the old one); `remove`: taken out of the keyring on Save.
 */
export type SecretDraft = { kind: "keep" } | { kind: "replace"; value: string } | { kind: "remove" };

export type ProfileDraft = Record<TextKey, string> & Record<SecretKey, SecretDraft>;

/** Which secrets Rust has (only for a saved profile; a new one has none). */
export type SecretsSet = Record<SecretKey, boolean>;

export const TEXT_KEYS: readonly TextKey[] = ["name", "site", "companyId", "clientId", "codebase", "additionKeyField", "catalogCurrency", "codeOrUrl", "username"];
export const SECRET_KEYS: readonly SecretKey[] = ["publicKey", "privateKey", "password", "subscriptionKey"];
export const FIELD_KEYS: readonly FieldKey[] = [...TEXT_KEYS, ...SECRET_KEYS];

export const SECTION_OF: Readonly<Record<FieldKey, Section>> = {
  name: "general",
  site: "connectwise",
  companyId: "connectwise",
  clientId: "connectwise",
  codebase: "connectwise",
  additionKeyField: "connectwise",
  catalogCurrency: "connectwise",
  publicKey: "connectwise",
  privateKey: "connectwise",
  codeOrUrl: "marketplace",
  username: "marketplace",
  password: "marketplace",
  subscriptionKey: "marketplace",
};

const KEEP: SecretDraft = { kind: "keep" };

/** An empty form: a new profile. */
export function emptyDraft(): ProfileDraft {
  return {
    name: "",
    site: "",
    companyId: "",
    clientId: "",
    codebase: "",
    additionKeyField: "",
    catalogCurrency: "",
    codeOrUrl: "",
    username: "",
    publicKey: KEEP,
    privateKey: KEEP,
    password: KEEP,
    subscriptionKey: KEEP,
  };
}

/** The form of a saved profile, every secret kept. */
export function draftOf(form: ProfileForm): ProfileDraft {
  return {
    name: form.name,
    site: form.connectwise.site,
    companyId: form.connectwise.companyId,
    clientId: form.connectwise.clientId,
    codebase: form.connectwise.codebase,
    additionKeyField: form.connectwise.additionKeyField,
    catalogCurrency: form.connectwise.catalogCurrency,
    codeOrUrl: form.marketplace.codeOrUrl,
    username: form.marketplace.username,
    publicKey: KEEP,
    privateKey: KEEP,
    password: KEEP,
    subscriptionKey: KEEP,
  };
}

export function secretsSetOf(form: ProfileForm | null): SecretsSet {
  return {
    publicKey: form?.connectwise.publicKeySet ?? false,
    privateKey: form?.connectwise.privateKeySet ?? false,
    password: form?.marketplace.passwordSet ?? false,
    subscriptionKey: form?.marketplace.subscriptionKeySet ?? false,
  };
}

/** What Rust is told to do with a secret. Nothing typed means keep. */
export function secretEdit(draft: SecretDraft): SecretEdit {
  switch (draft.kind) {
    case "keep":
      return { action: "keep" };
    case "remove":
      return { action: "remove" };
    case "replace":
      return draft.value === "" ? { action: "keep" } : { action: "replace", value: draft.value };
  }
}

/** The form as Rust reads it, for Save and Test connection. */
export function profileInput(id: string | null, draft: ProfileDraft): ProfileInput {
  return {
    id,
    name: draft.name,
    connectwise: {
      site: draft.site,
      companyId: draft.companyId,
      clientId: draft.clientId,
      codebase: draft.codebase,
      additionKeyField: draft.additionKeyField,
      catalogCurrency: draft.catalogCurrency,
      publicKey: secretEdit(draft.publicKey),
      privateKey: secretEdit(draft.privateKey),
    },
    marketplace: {
      codeOrUrl: draft.codeOrUrl,
      username: draft.username,
      password: secretEdit(draft.password),
      subscriptionKey: secretEdit(draft.subscriptionKey),
    },
  };
}

/** Whether Save would change anything: a setting differs from the saved one, or a secret is edited. */
export function isDirty(draft: ProfileDraft, saved: ProfileDraft): boolean {
  return (
    TEXT_KEYS.some((key) => draft[key] !== saved[key]) ||
    SECRET_KEYS.some((key) => secretEdit(draft[key]).action !== "keep")
  );
}

function isFieldKey(value: string): value is FieldKey {
  return (FIELD_KEYS as readonly string[]).includes(value);
}

/** The form field an error names, if it is one of the form's. */
export function fieldOf(field: ErrorField | null): FieldKey | null {
  return field !== null && isFieldKey(field) ? field : null;
}
