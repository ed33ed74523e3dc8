import type { ReactNode } from "react";
import { ConnectWiseResult, MarketplaceResult } from "./ConnectionTest";
import { SecretField, TextField } from "./fields";
import { ProfileSection } from "./ProfileSection";
import type { ProfileEditorState } from "./useProfileEditor";
import "./connections.css";
import "./form.css";

/** Marketplace codes offered as suggestions; any other code or a full base URL can be typed. */
export const MARKETPLACE_CODES: readonly string[] = ["us", "eu", "uk", "au", "ca", "de", "fr", "nl", "es", "it", "mx", "br", "in", "sg", "nz"];

/** Why the app keys its additions, and where the keys go (SPEC §15). */
const ADDITION_KEY_HINT =
  "Agreement Sync marks each addition it creates with a key so other desks recognise it. Name an addition custom field of type Text to keep keys off invoices; leave empty to use Serial Number.";

/** Where ConnectWise's API answers: its cloud regions, or a server of one's own. */
const SITE_HINT =
  "The host of your ConnectWise API: api-na.myconnectwise.net (North America), api-eu.myconnectwise.net (Europe), api-au.myconnectwise.net (Australia), or your own server's host name. https:// is added when left out.";

/** Where the private key comes from, and that it can't be read again. */
const PRIVATE_KEY_HINT =
  "ConnectWise shows the private key only once, when the API key is added: paste it here. If it is lost, add a new key.";

/** Where the subscription key comes from. */
const SUBSCRIPTION_KEY_HINT =
  "The key of your Marketplace API subscription (sent as X-Subscription-Key), from Ingram Micro's API portal for the Cloud Marketplace";

/**
 * The profile form's scrolling body, which holds every field: `before` (the open profile's health and
 * scheduled checks), the name, then the ConnectWise and Cloud Marketplace sections.
 */
export function ProfileFormBody({ editor, before }: { editor: ProfileEditorState; before?: ReactNode }) {
  const { id, text, secret, connectwise, marketplace, errorIds, secretsDisabled } = editor;
  const saving = editor.save.saving;
  const saves = editor.profile.saves;
  return (
    <div className="pane-body">
      {before}
      <div className="form-grid">
        <TextField
          label="Profile name"
          testId="profile-name"
          required
          placeholder="e.g. Contoso production"
          hint="How this profile is listed; each profile keeps its own tasks"
          {...text("name")}
        />
      </div>

      <ProfileSection
        target="connectwise"
        headingId={`${id}-connectwise`}
        title="ConnectWise Manage"
        hint="Where agreements and their additions are written"
        secretsDisabled={secretsDisabled}
        testRunning={connectwise.state.phase === "running"}
        saving={saving}
        onTest={() => void editor.runTest("connectwise")}
        result={<ConnectWiseResult state={connectwise.state} id={errorIds.connectwise} />}
      >
        <TextField label="Site" testId="cw-site" placeholder="api-na.myconnectwise.net" hint={SITE_HINT} {...text("site")} />
        <TextField label="Company id" testId="cw-company-id" hint="The company name you type when you sign in to ConnectWise" {...text("companyId")} />
        <TextField
          label="Client id"
          testId="cw-client-id"
          placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
          hint="A GUID naming this integration: create it once at developer.connectwise.com (ClientID)"
          mono
          {...text("clientId")}
        />
        <TextField
          label="Codebase"
          testId="cw-codebase"
          optional
          placeholder="found by Test connection"
          hint="Leave empty: Test connection finds it (e.g. v4_6_release)"
          mono
          {...text("codebase")}
        />
        <TextField
          label="Addition custom field for keys"
          testId="cw-addition-key-field"
          optional
          placeholder="Serial Number"
          hint={ADDITION_KEY_HINT}
          {...text("additionKeyField")}
        />
        <TextField
          label="Catalog price currency"
          testId="cw-catalog-currency"
          optional
          placeholder="USD"
          hint="The currency of your ConnectWise company, which its catalog prices are in (ConnectWise does not say it over its API). Catalog prices are used only on agreements billing in it; left empty, they are not used."
          mono
          {...text("catalogCurrency")}
        />
        <SecretField
          label="Public key"
          testId="cw-public-key"
          hint="Of an API member: System › Members › API Members, its API Keys tab"
          {...secret("publicKey")}
          key={`publicKey-${saves}`}
        />
        <SecretField label="Private key" testId="cw-private-key" hint={PRIVATE_KEY_HINT} {...secret("privateKey")} key={`privateKey-${saves}`} />
      </ProfileSection>

      <ProfileSection
        target="marketplace"
        headingId={`${id}-marketplace`}
        title="Cloud Marketplace"
        hint="Where orders and subscriptions are read"
        secretsDisabled={secretsDisabled}
        testRunning={marketplace.state.phase === "running"}
        saving={saving}
        onTest={() => void editor.runTest("marketplace")}
        result={<MarketplaceResult state={marketplace.state} id={errorIds.marketplace} />}
      >
        <TextField
          label="Marketplace"
          testId="mp-code"
          placeholder="e.g. us"
          hint="Your marketplace's code (us, eu, uk, au, …), or the full base URL Ingram Micro gave you, e.g. https://api.cloud.im/marketplace/us/"
          list={`${id}-codes`}
          {...text("codeOrUrl")}
        />
        <datalist id={`${id}-codes`}>
          {MARKETPLACE_CODES.map((code) => (
            <option key={code} value={code} />
          ))}
        </datalist>
        <TextField label="Username" testId="mp-username" hint="The Marketplace API user of your reseller account" {...text("username")} />
        <SecretField label="Password" testId="mp-password" hint="That API user's password" {...secret("password")} key={`password-${saves}`} />
        <SecretField
          label="Subscription key"
          testId="mp-subscription-key"
          hint={SUBSCRIPTION_KEY_HINT}
          {...secret("subscriptionKey")}
          key={`subscriptionKey-${saves}`}
        />
      </ProfileSection>
    </div>
  );
}
