//! Profiles (SPEC §2.1, §9): the built-in Demo and any number of real ones, each with its own
//! cache (`<data>/profiles/<id>/cache.sqlite`) and its own keyring entries (`<id>/<secret>`).
//!
//! The list lives in `<data>/profiles.json` and holds only what is not secret: names, sites,
//! company and client ids, marketplace addresses and usernames. Secrets are in the OS keyring and
//! nowhere else; the window learns only whether each one is set.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::connectwise::{self, ConnectWiseClient, ConnectWiseConfig};
use crate::credential_store::{SecretName, SecretStore};
use crate::error::{Error, ErrorField, Result, Service};
use crate::marketplace::{MarketplaceClient, MarketplaceConfig};
use crate::secret::Secret;
use crate::session::{ProfileKind, Session};
use crate::store::Store;
use crate::view::{
    ConnectWiseForm, ConnectWiseInput, KeyringState, MarketplaceForm, MarketplaceInput,
    ProfileForm, ProfileInput, ProfileSummary, SecretEdit,
};

/// The built-in profile: the simulator, no credentials.
pub const DEMO_ID: &str = "demo";
pub const DEMO_NAME: &str = "Demo";
/// The list of profiles, in the data folder.
pub const FILE_NAME: &str = "profiles.json";
/// The format of `profiles.json` this version writes and reads.
const FORMAT: u32 = 1;
pub const MAX_NAME: usize = 60;
const MAX_FIELD: usize = 200;
const MAX_SECRET: usize = 1000;

/// A real profile's ConnectWise settings (not secret).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConnectWiseSettings {
    pub site: String,
    pub company_id: String,
    pub client_id: String,
    pub codebase: String,
    /// The addition custom field that keeps the app's keys (SPEC §15); empty: `serialNumber`.
    pub addition_key_field: String,
    /// The currency the ConnectWise company's catalog prices are in (ISO code); empty: not
    /// known, and catalog prices are not used.
    pub catalog_currency: String,
}

/// A real profile's Cloud Marketplace settings (not secret).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MarketplaceSettings {
    pub code_or_url: String,
    pub username: String,
}

/// A real profile as saved in `profiles.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Stable, file-name-safe; names the cache folder and the keyring entries.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub connectwise: ConnectWiseSettings,
    #[serde(default)]
    pub marketplace: MarketplaceSettings,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProfilesFile {
    format: u32,
    active: String,
    profiles: Vec<Profile>,
}

/// The profiles of one data folder, and which one is open.
#[derive(Debug, Clone)]
pub struct Profiles {
    data_dir: PathBuf,
    active: String,
    profiles: Vec<Profile>,
}

/// The cache of a profile.
pub fn cache_path(data_dir: &Path, id: &str) -> PathBuf {
    data_dir.join("profiles").join(id).join("cache.sqlite")
}

/// An id safe as a folder name and a keyring account: `a-z`, `0-9`, `-`, 1 to 40 characters.
fn valid_id(id: &str) -> bool {
    (1..=40).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

impl Profiles {
    /// Reads `<data>/profiles.json`; a fresh install (no file) has only Demo, open. A file that
    /// cannot be read is an error naming it, and is left untouched.
    pub fn load(data_dir: &Path) -> Result<Profiles> {
        let path = data_dir.join(FILE_NAME);
        let unreadable = |why: String| {
            Error::Config(format!(
                "The list of profiles in {} could not be read: {why}. It was left untouched and \
                 Demo is open. Fix the file, or move it away to start a new list (the profiles' \
                 caches and keyring entries are kept).",
                path.display()
            ))
        };
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Profiles {
                    data_dir: data_dir.to_owned(),
                    active: DEMO_ID.to_owned(),
                    profiles: Vec::new(),
                })
            }
            Err(e) => return Err(unreadable(e.to_string())),
        };
        let file: ProfilesFile = serde_json::from_slice(&text)
            .map_err(|e| unreadable(format!("it is not a valid profile list ({e})")))?;
        if file.format > FORMAT {
            return Err(unreadable(format!(
                "it was written by a newer version of Agreement Sync (format {}; this version \
                 knows up to {FORMAT})",
                file.format
            )));
        }
        let mut seen = std::collections::HashSet::new();
        for p in &file.profiles {
            if !valid_id(&p.id) || p.id == DEMO_ID || !seen.insert(p.id.as_str()) {
                return Err(unreadable(format!("it holds a bad profile id {:?}", p.id)));
            }
        }
        let active = if file.active == DEMO_ID || seen.contains(file.active.as_str()) {
            file.active.clone()
        } else {
            DEMO_ID.to_owned()
        };
        Ok(Profiles {
            data_dir: data_dir.to_owned(),
            active,
            profiles: file.profiles,
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The id of the profile the app opens.
    pub fn active_id(&self) -> &str {
        &self.active
    }

    /// A real profile.
    pub fn get(&self, id: &str) -> Result<&Profile> {
        self.profiles
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| Error::NotFound(format!("The profile {id:?}")))
    }

    /// The name shown for a profile id.
    pub fn name_of(&self, id: &str) -> Result<String> {
        if id == DEMO_ID {
            Ok(DEMO_NAME.to_owned())
        } else {
            Ok(self.get(id)?.name.clone())
        }
    }

    /// Demo first, then the real profiles by name.
    pub fn summaries(&self) -> Vec<ProfileSummary> {
        let mut real: Vec<&Profile> = self.profiles.iter().collect();
        real.sort_by_key(|p| p.name.to_lowercase());
        std::iter::once(demo_summary())
            .chain(real.into_iter().map(|p| ProfileSummary {
                id: p.id.clone(),
                name: p.name.clone(),
                demo: false,
                connectwise_site: p.connectwise.site.clone(),
                marketplace: p.marketplace.code_or_url.clone(),
            }))
            .collect()
    }

    /// A profile as the Connections form shows it: settings, and whether each secret is set.
    /// Reads the keyring (blocking).
    pub fn form(&self, id: &str, secrets: &dyn SecretStore) -> Result<ProfileForm> {
        if id == DEMO_ID {
            return Ok(ProfileForm {
                id: DEMO_ID.to_owned(),
                name: DEMO_NAME.to_owned(),
                demo: true,
                connectwise: ConnectWiseForm {
                    site: String::new(),
                    company_id: String::new(),
                    client_id: String::new(),
                    codebase: String::new(),
                    addition_key_field: String::new(),
                    catalog_currency: String::new(),
                    public_key_set: false,
                    private_key_set: false,
                },
                marketplace: MarketplaceForm {
                    code_or_url: String::new(),
                    username: String::new(),
                    password_set: false,
                    subscription_key_set: false,
                },
            });
        }
        let p = self.get(id)?;
        // Without a keyring the settings still show (and can be changed); the window, told the
        // keyring is unavailable, does not claim to know whether a secret is set.
        let set = |name| -> Result<bool> {
            match secrets.get(id, name) {
                Ok(s) => Ok(s.is_some()),
                Err(Error::Keyring(e)) => {
                    tracing::warn!("{e}");
                    Ok(false)
                }
                Err(e) => Err(e),
            }
        };
        Ok(ProfileForm {
            id: p.id.clone(),
            name: p.name.clone(),
            demo: false,
            connectwise: ConnectWiseForm {
                site: p.connectwise.site.clone(),
                company_id: p.connectwise.company_id.clone(),
                client_id: p.connectwise.client_id.clone(),
                codebase: p.connectwise.codebase.clone(),
                addition_key_field: p.connectwise.addition_key_field.clone(),
                catalog_currency: p.connectwise.catalog_currency.clone(),
                public_key_set: set(SecretName::ConnectWisePublicKey)?,
                private_key_set: set(SecretName::ConnectWisePrivateKey)?,
            },
            marketplace: MarketplaceForm {
                code_or_url: p.marketplace.code_or_url.clone(),
                username: p.marketplace.username.clone(),
                password_set: set(SecretName::MarketplacePassword)?,
                subscription_key_set: set(SecretName::MarketplaceSubscriptionKey)?,
            },
        })
    }

    /// Creates or changes a profile: checks every field, applies the secret edits to the
    /// keyring, then saves the list. Nothing is saved when a field is wrong. Returns the id.
    pub fn save(&mut self, input: &ProfileInput, secrets: &dyn SecretStore) -> Result<String> {
        let existing = match &input.id {
            Some(id) if id == DEMO_ID => {
                return Err(Error::invalid(
                    ErrorField::Name,
                    "The Demo profile uses the built-in simulator and cannot be changed.",
                ))
            }
            Some(id) => Some(self.get(id)?.id.clone()),
            None => None,
        };
        let name = check_name(&input.name)?;
        if let Some(other) = self.profiles.iter().find(|p| {
            Some(&p.id) != existing.as_ref() && p.name.to_lowercase() == name.to_lowercase()
        }) {
            return Err(Error::invalid(
                ErrorField::Name,
                format!("A profile named “{}” already exists.", other.name),
            ));
        }
        let connectwise = check_connectwise(&input.connectwise)?;
        let marketplace = check_marketplace(&input.marketplace)?;
        let edits = secret_edits(input)?;
        let id = existing.unwrap_or_else(|| self.new_id(&name));
        for (name, edit) in edits {
            match edit {
                SecretEdit::Keep => {}
                SecretEdit::Replace { value } => secrets.set(&id, name, &value)?,
                SecretEdit::Remove => secrets.delete(&id, name)?,
            }
        }
        let profile = Profile {
            id: id.clone(),
            name,
            connectwise,
            marketplace,
        };
        let mut next = self.clone();
        match next.profiles.iter_mut().find(|p| p.id == id) {
            Some(p) => *p = profile,
            None => next.profiles.push(profile),
        }
        next.persist()?;
        *self = next;
        Ok(id)
    }

    /// Removes a real profile: its keyring entries, its cache folder, then its place in the
    /// list. Stops at the first thing that cannot be removed, saying what; the profile stays
    /// listed until all of it is gone, so a later profile never inherits its leftovers. When it
    /// was the open profile, Demo becomes the one opened next.
    pub fn remove(&mut self, id: &str, secrets: &dyn SecretStore) -> Result<()> {
        if id == DEMO_ID {
            return Err(Error::invalid(
                ErrorField::Id,
                "The Demo profile is built in and cannot be removed.",
            ));
        }
        let name = self.get(id)?.name.clone();
        secrets.delete_profile(id)?;
        let folder = self.data_dir.join("profiles").join(id);
        match std::fs::remove_dir_all(&folder) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::Store(format!(
                    "the cache of the profile “{name}” ({}) could not be removed: {e}. Its \
                     credentials were removed from the keyring; the profile stays in the list \
                     until its cache is gone",
                    folder.display()
                )))
            }
        }
        let mut next = self.clone();
        next.profiles.retain(|p| p.id != id);
        if next.active == id {
            next.active = DEMO_ID.to_owned();
        }
        next.persist()?;
        *self = next;
        Ok(())
    }

    /// Makes `id` the profile opened (now and at the next start).
    pub fn set_active(&mut self, id: &str) -> Result<()> {
        if id != DEMO_ID {
            self.get(id)?;
        }
        if self.active == id {
            return Ok(());
        }
        let mut next = self.clone();
        next.active = id.to_owned();
        next.persist()?;
        *self = next;
        Ok(())
    }

    /// A new id from the name: lower-case letters, digits and dashes, unique, never `demo`.
    fn new_id(&self, name: &str) -> String {
        let mut base = String::new();
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                base.push(c);
            } else if !base.is_empty() && !base.ends_with('-') {
                base.push('-');
            }
        }
        let base: String = base.chars().take(30).collect();
        let mut base = base.trim_end_matches('-').to_owned();
        if base.is_empty() {
            base = "profile".to_owned();
        } else if base == DEMO_ID {
            base = "demo-profile".to_owned();
        }
        let taken = |id: &str| self.profiles.iter().any(|p| p.id == id);
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !taken(id))
            .unwrap_or(base)
    }

    /// Writes the list: to a temporary file first, then renamed over the old one, so a crash
    /// never leaves half a list.
    fn persist(&self) -> Result<()> {
        let path = self.data_dir.join(FILE_NAME);
        let failed = |e: std::io::Error| {
            Error::Store(format!(
                "the list of profiles could not be saved in {}: {e}",
                path.display()
            ))
        };
        std::fs::create_dir_all(&self.data_dir).map_err(failed)?;
        let file = ProfilesFile {
            format: FORMAT,
            active: self.active.clone(),
            profiles: self.profiles.clone(),
        };
        let text = serde_json::to_vec_pretty(&file)
            .map_err(|e| Error::Store(format!("the list of profiles could not be written: {e}")))?;
        let temp = self.data_dir.join(format!("{FILE_NAME}.tmp"));
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&temp).map_err(failed)?;
            f.write_all(&text).map_err(failed)?;
            f.sync_all().map_err(failed)?;
        }
        std::fs::rename(&temp, &path).map_err(failed)
    }
}

/// The built-in Demo profile in the list.
pub fn demo_summary() -> ProfileSummary {
    ProfileSummary {
        id: DEMO_ID.to_owned(),
        name: DEMO_NAME.to_owned(),
        demo: true,
        connectwise_site: String::new(),
        marketplace: String::new(),
    }
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid(
            ErrorField::Name,
            "Enter a name for the profile.",
        ));
    }
    if name.chars().count() > MAX_NAME {
        return Err(Error::invalid(
            ErrorField::Name,
            format!("The profile name is too long (at most {MAX_NAME} characters)."),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid(
            ErrorField::Name,
            "The profile name cannot hold line breaks or control characters.",
        ));
    }
    if name.eq_ignore_ascii_case(DEMO_NAME) {
        return Err(Error::invalid(
            ErrorField::Name,
            "“Demo” is the built-in profile's name; choose another.",
        ));
    }
    Ok(name.to_owned())
}

/// A plain one-line field: trimmed, bounded, no spaces inside when `no_spaces`.
fn check_field(field: ErrorField, label: &str, value: &str, no_spaces: bool) -> Result<String> {
    let v = value.trim();
    if v.chars().count() > MAX_FIELD {
        return Err(Error::invalid(
            field,
            format!("The {label} is too long (at most {MAX_FIELD} characters)."),
        ));
    }
    if v.chars().any(char::is_control) || (no_spaces && v.chars().any(char::is_whitespace)) {
        return Err(Error::invalid(
            field,
            format!("The {label} cannot hold spaces or control characters."),
        ));
    }
    Ok(v.to_owned())
}

/// `8-4-4-4-12` hexadecimal digits, as ConnectWise issues client ids.
fn is_guid(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn check_connectwise(input: &ConnectWiseInput) -> Result<ConnectWiseSettings> {
    let site = check_field(ErrorField::Site, "ConnectWise site", &input.site, true)?;
    if !site.is_empty() {
        let url = connectwise::site_url(&site)
            .map_err(|e| Error::invalid(ErrorField::Site, e.to_string()))?;
        if url.path() != "/" || url.query().is_some() || url.host_str().is_none() {
            return Err(Error::invalid(
                ErrorField::Site,
                "Enter only the ConnectWise site, e.g. api-na.myconnectwise.net (without a path).",
            ));
        }
        // ConnectWise's cloud: people sign in at na.myconnectwise.net, the API answers at
        // api-na.myconnectwise.net.
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if host.ends_with(".myconnectwise.net") && !host.starts_with("api-") {
            return Err(Error::invalid(
                ErrorField::Site,
                format!(
                    "{host} is where people sign in to ConnectWise; enter its API host, \
                     api-{host}."
                ),
            ));
        }
    }
    let company_id = check_field(ErrorField::CompanyId, "company id", &input.company_id, true)?;
    let client_id = check_field(ErrorField::ClientId, "client id", &input.client_id, true)?;
    if !client_id.is_empty() && !is_guid(&client_id) {
        return Err(Error::invalid(
            ErrorField::ClientId,
            "The client id is a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6; create one \
             at developer.connectwise.com (ClientID).",
        ));
    }
    let codebase = check_field(ErrorField::Codebase, "codebase", &input.codebase, true)?;
    let codebase = codebase.trim_matches('/').to_owned();
    if !codebase.is_empty()
        && !codebase
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    {
        return Err(Error::invalid(
            ErrorField::Codebase,
            "The codebase looks like v4_6_release; leave it empty to have Test connection find it.",
        ));
    }
    let addition_key_field = check_field(
        ErrorField::AdditionKeyField,
        "addition custom field",
        &input.addition_key_field,
        false,
    )?;
    if addition_key_field.chars().count() > 100 {
        return Err(Error::invalid(
            ErrorField::AdditionKeyField,
            "The addition custom field's name is at most 100 characters, as in ConnectWise.",
        ));
    }
    let catalog_currency = check_field(
        ErrorField::CatalogCurrency,
        "catalog price currency",
        &input.catalog_currency,
        false,
    )?
    .to_ascii_uppercase();
    let is_code =
        catalog_currency.len() == 3 && catalog_currency.bytes().all(|b| b.is_ascii_uppercase());
    if !catalog_currency.is_empty() && !is_code {
        return Err(Error::invalid(
            ErrorField::CatalogCurrency,
            "The catalog price currency is a three-letter code such as USD or EUR: the currency of your ConnectWise company, which its catalog prices are in.",
        ));
    }
    Ok(ConnectWiseSettings {
        site,
        company_id,
        client_id,
        addition_key_field,
        catalog_currency,
        codebase: if codebase.is_empty() {
            codebase
        } else {
            format!("{codebase}/")
        },
    })
}

fn check_marketplace(input: &MarketplaceInput) -> Result<MarketplaceSettings> {
    let typed = check_field(
        ErrorField::CodeOrUrl,
        "marketplace",
        &input.code_or_url,
        true,
    )?;
    // An address typed without its scheme ("api.cloud.im/marketplace/us/") is taken as https://,
    // as the ConnectWise site is.
    let code_or_url = if !typed.contains("://") && (typed.contains('/') || typed.contains('.')) {
        format!("https://{typed}")
    } else {
        typed
    };
    if code_or_url.contains("://") {
        let url = crate::http::checked_base_url(Service::Marketplace, &code_or_url)
            .map_err(|e| Error::invalid(ErrorField::CodeOrUrl, e.to_string()))?;
        if url.path() == "/" {
            return Err(Error::invalid(
                ErrorField::CodeOrUrl,
                format!(
                    "{code_or_url} has no marketplace path: enter the whole base URL Ingram Micro \
                     gave you, e.g. https://api.cloud.im/marketplace/us/, or only your \
                     marketplace's code (us, eu, uk, ...)."
                ),
            ));
        }
    } else if !code_or_url.is_empty()
        && (!(2..=10).contains(&code_or_url.len())
            || !code_or_url.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(Error::invalid(
            ErrorField::CodeOrUrl,
            "Enter a marketplace code such as us, eu or uk, or the full base URL \
             (https://api.cloud.im/marketplace/us/).",
        ));
    }
    let username = check_field(
        ErrorField::Username,
        "marketplace username",
        &input.username,
        false,
    )?;
    Ok(MarketplaceSettings {
        code_or_url: if code_or_url.contains("://") {
            code_or_url
        } else {
            code_or_url.to_ascii_lowercase()
        },
        username,
    })
}

/// The form's field name of each secret, and how it is spoken of.
fn secret_field(name: SecretName) -> (ErrorField, &'static str) {
    match name {
        SecretName::ConnectWisePublicKey => (ErrorField::PublicKey, "ConnectWise public key"),
        SecretName::ConnectWisePrivateKey => (ErrorField::PrivateKey, "ConnectWise private key"),
        SecretName::MarketplacePassword => (ErrorField::Password, "marketplace password"),
        SecretName::MarketplaceSubscriptionKey => (ErrorField::SubscriptionKey, "subscription key"),
    }
}

/// A secret as typed: keys lose pasted spaces at the ends; a password is taken as is.
fn check_secret(name: SecretName, edit: &SecretEdit) -> Result<SecretEdit> {
    let SecretEdit::Replace { value } = edit else {
        return Ok(edit.clone());
    };
    let (field, label) = secret_field(name);
    let value = if name == SecretName::MarketplacePassword {
        value.clone()
    } else {
        Secret::new(value.expose().trim())
    };
    if value.is_empty() {
        return Err(Error::invalid(
            field,
            format!("The {label} is empty: enter it, or keep the one saved."),
        ));
    }
    if value.expose().chars().count() > MAX_SECRET || value.expose().chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!(
                "The {label} cannot be used: it is longer than {MAX_SECRET} characters or holds \
                 control characters."
            ),
        ));
    }
    Ok(SecretEdit::Replace { value })
}

fn secret_edits(input: &ProfileInput) -> Result<Vec<(SecretName, SecretEdit)>> {
    [
        (
            SecretName::ConnectWisePublicKey,
            &input.connectwise.public_key,
        ),
        (
            SecretName::ConnectWisePrivateKey,
            &input.connectwise.private_key,
        ),
        (SecretName::MarketplacePassword, &input.marketplace.password),
        (
            SecretName::MarketplaceSubscriptionKey,
            &input.marketplace.subscription_key,
        ),
    ]
    .into_iter()
    .map(|(name, edit)| Ok((name, check_secret(name, edit)?)))
    .collect()
}

/// Whether the OS keyring answers (blocking; may ask the desktop to unlock it).
pub fn keyring_state(secrets: &dyn SecretStore) -> KeyringState {
    match secrets.get("keyring-check", SecretName::ConnectWisePublicKey) {
        Ok(_) => KeyringState::Available,
        Err(e) => KeyringState::Unavailable {
            message: e.to_string(),
        },
    }
}

/// "the site, the private key" — what a connection still needs.
fn missing_text(missing: &[&str]) -> String {
    match missing {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn not_set_up(service: Service, profile: &str, missing: &[&str]) -> Error {
    let verb = if missing.len() == 1 { "is" } else { "are" };
    Error::Config(format!(
        "{service} is not set up in the profile “{profile}”: {} {verb} missing. Enter {} in \
         Connections.",
        missing_text(missing),
        if missing.len() == 1 { "it" } else { "them" }
    ))
}

/// A secret for a connection: typed in the form, or else the one in the keyring.
fn secret_for(
    secrets: &dyn SecretStore,
    id: Option<&str>,
    name: SecretName,
    edit: &SecretEdit,
) -> Result<Option<Secret>> {
    match check_secret(name, edit)? {
        SecretEdit::Replace { value } => Ok(Some(value)),
        SecretEdit::Remove => Ok(None),
        SecretEdit::Keep => match id {
            Some(id) => secrets.get(id, name),
            None => Ok(None),
        },
    }
}

/// The ConnectWise connection of a profile: its settings plus its keys (from `edits` when given,
/// else the keyring). Names everything that is missing at once.
fn connectwise_from(
    profile: &str,
    settings: &ConnectWiseSettings,
    public_key: Option<Secret>,
    private_key: Option<Secret>,
) -> Result<ConnectWiseConfig> {
    let mut missing = Vec::new();
    for (value, label) in [
        (settings.site.is_empty(), "the site"),
        (settings.company_id.is_empty(), "the company id"),
        (public_key.is_none(), "the public key"),
        (private_key.is_none(), "the private key"),
        (settings.client_id.is_empty(), "the client id"),
    ] {
        if value {
            missing.push(label);
        }
    }
    match (public_key, private_key) {
        (Some(public_key), Some(private_key)) if missing.is_empty() => Ok(ConnectWiseConfig {
            site: settings.site.clone(),
            company_id: settings.company_id.clone(),
            public_key,
            private_key,
            client_id: settings.client_id.clone(),
            codebase: settings.codebase.clone(),
            addition_key_field: settings.addition_key_field.clone(),
            catalog_currency: settings.catalog_currency.clone(),
        }),
        _ => Err(not_set_up(Service::ConnectWise, profile, &missing)),
    }
}

fn marketplace_from(
    profile: &str,
    settings: &MarketplaceSettings,
    password: Option<Secret>,
    subscription_key: Option<Secret>,
) -> Result<MarketplaceConfig> {
    let mut missing = Vec::new();
    for (value, label) in [
        (settings.code_or_url.is_empty(), "the marketplace"),
        (settings.username.is_empty(), "the username"),
        (password.is_none(), "the password"),
        (subscription_key.is_none(), "the subscription key"),
    ] {
        if value {
            missing.push(label);
        }
    }
    match (password, subscription_key) {
        (Some(password), Some(subscription_key)) if missing.is_empty() => Ok(MarketplaceConfig {
            base_url: MarketplaceConfig::base_url_for(&settings.code_or_url),
            username: settings.username.clone(),
            password,
            subscription_key,
        }),
        _ => Err(not_set_up(Service::Marketplace, profile, &missing)),
    }
}

/// The name a form's profile is spoken of by.
fn form_name(input: &ProfileInput) -> String {
    let name = input.name.trim();
    if name.is_empty() {
        "new profile".to_owned()
    } else {
        name.to_owned()
    }
}

/// The ConnectWise connection the Connections form describes (for Test connection): its fields,
/// its typed keys, or the saved ones for keys not typed. Reads the keyring (blocking).
pub fn connectwise_for_test(
    input: &ProfileInput,
    secrets: &dyn SecretStore,
) -> Result<ConnectWiseConfig> {
    let settings = check_connectwise(&input.connectwise)?;
    let id = input.id.as_deref();
    let public = secret_for(
        secrets,
        id,
        SecretName::ConnectWisePublicKey,
        &input.connectwise.public_key,
    )?;
    let private = secret_for(
        secrets,
        id,
        SecretName::ConnectWisePrivateKey,
        &input.connectwise.private_key,
    )?;
    needed_for_test(&[
        (settings.site.is_empty(), ErrorField::Site, "the site"),
        (
            settings.company_id.is_empty(),
            ErrorField::CompanyId,
            "the company id",
        ),
        (public.is_none(), ErrorField::PublicKey, "the public key"),
        (private.is_none(), ErrorField::PrivateKey, "the private key"),
        (
            settings.client_id.is_empty(),
            ErrorField::ClientId,
            "the client id",
        ),
    ])?;
    connectwise_from(&form_name(input), &settings, public, private)
}

/// Where a missing secret comes from, said when Test connection asks for it.
fn where_from(field: ErrorField) -> Option<&'static str> {
    match field {
        ErrorField::PublicKey | ErrorField::PrivateKey => Some(
            "The keys come from an API member in ConnectWise (System › Members › API Members › \
             API Keys); ConnectWise shows the private key only once, when the key is added: if \
             it is lost, add a new key.",
        ),
        ErrorField::SubscriptionKey => Some(
            "The subscription key is the key of your Marketplace API subscription (sent as \
             X-Subscription-Key), from Ingram Micro's API portal for the Cloud Marketplace.",
        ),
        _ => None,
    }
}

/// Refuses a Test connection whose form lacks what the connection needs: every missing field
/// named at once, the first one marked, and where a missing secret comes from.
fn needed_for_test(fields: &[(bool, ErrorField, &str)]) -> Result<()> {
    let missing: Vec<(ErrorField, &str)> = fields
        .iter()
        .filter(|(missing, _, _)| *missing)
        .map(|(_, field, label)| (*field, *label))
        .collect();
    let Some((first, _)) = missing.first() else {
        return Ok(());
    };
    let labels: Vec<&str> = missing.iter().map(|(_, label)| *label).collect();
    let mut message = format!(
        "Test connection needs {}: enter {}, then test again.",
        missing_text(&labels),
        if missing.len() == 1 { "it" } else { "them" }
    );
    let mut said = std::collections::BTreeSet::new();
    for (field, _) in &missing {
        if let Some(words) = where_from(*field) {
            if said.insert(words) {
                message.push(' ');
                message.push_str(words);
            }
        }
    }
    Err(Error::invalid(*first, message))
}

/// The marketplace connection the Connections form describes (for Test connection).
pub fn marketplace_for_test(
    input: &ProfileInput,
    secrets: &dyn SecretStore,
) -> Result<MarketplaceConfig> {
    let settings = check_marketplace(&input.marketplace)?;
    let id = input.id.as_deref();
    let password = secret_for(
        secrets,
        id,
        SecretName::MarketplacePassword,
        &input.marketplace.password,
    )?;
    let key = secret_for(
        secrets,
        id,
        SecretName::MarketplaceSubscriptionKey,
        &input.marketplace.subscription_key,
    )?;
    needed_for_test(&[
        (
            settings.code_or_url.is_empty(),
            ErrorField::CodeOrUrl,
            "the marketplace",
        ),
        (
            settings.username.is_empty(),
            ErrorField::Username,
            "the username",
        ),
        (password.is_none(), ErrorField::Password, "the password"),
        (
            key.is_none(),
            ErrorField::SubscriptionKey,
            "the subscription key",
        ),
    ])?;
    marketplace_from(&form_name(input), &settings, password, key)
}

/// Opens a real profile: its cache, and clients built from its settings and keyring secrets.
/// A connection that is not set up (or a keyring that cannot be read) does not stop the cache
/// from opening: the session reviews offline and says what is missing when a connection is
/// needed. Reads the keyring and opens SQLite (blocking).
pub fn open_session(profiles: &Profiles, id: &str, secrets: &dyn SecretStore) -> Result<Session> {
    let profile = profiles.get(id)?;
    let store = Store::open(&cache_path(&profiles.data_dir, id))?;
    let secret = |name| secrets.get(id, name);
    let connectwise = (|| {
        let public = secret(SecretName::ConnectWisePublicKey)?;
        let private = secret(SecretName::ConnectWisePrivateKey)?;
        let config = connectwise_from(&profile.name, &profile.connectwise, public, private)?;
        ConnectWiseClient::new(&config)
    })();
    let marketplace = (|| {
        let password = secret(SecretName::MarketplacePassword)?;
        let key = secret(SecretName::MarketplaceSubscriptionKey)?;
        let config = marketplace_from(&profile.name, &profile.marketplace, password, key)?;
        MarketplaceClient::new(&config)
    })();
    for e in [marketplace.as_ref().err(), connectwise.as_ref().err()]
        .into_iter()
        .flatten()
    {
        tracing::warn!(profile = %profile.id, "not connected: {e}");
    }
    Ok(Session::with_clients(
        profile.name.clone(),
        ProfileKind::Real,
        profiles.data_dir.display().to_string(),
        store,
        marketplace,
        connectwise,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential_store::MemoryStore;

    fn input(name: &str) -> ProfileInput {
        ProfileInput {
            id: None,
            name: name.into(),
            connectwise: ConnectWiseInput {
                site: "api-na.myconnectwise.net".into(),
                company_id: "acme".into(),
                client_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6".into(),
                codebase: String::new(),
                addition_key_field: String::new(),
                catalog_currency: "usd".into(),
                public_key: SecretEdit::Replace {
                    value: Secret::new(" pub-key \n".replace('\n', "")),
                },
                private_key: SecretEdit::Replace {
                    value: Secret::new("priv-key"),
                },
            },
            marketplace: MarketplaceInput {
                code_or_url: "US".into(),
                username: "billing@acme.example".into(),
                password: SecretEdit::Replace {
                    value: Secret::new(" pass word "),
                },
                subscription_key: SecretEdit::Keep,
            },
        }
    }

    fn field_of(e: Error) -> String {
        match e {
            Error::Invalid { field, .. } => field.name(),
            other => panic!("expected a field error, got {other}"),
        }
    }

    #[test]
    fn a_fresh_install_has_demo_only_and_open() {
        let dir = tempfile::tempdir().unwrap();
        let p = Profiles::load(dir.path()).unwrap();
        assert_eq!(p.active_id(), DEMO_ID);
        let list = p.summaries();
        assert_eq!(list.len(), 1);
        assert!(list[0].demo);
    }

    #[test]
    fn saving_keeps_settings_in_the_file_and_secrets_in_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut p = Profiles::load(dir.path()).unwrap();
        let id = p.save(&input("Acme — North America"), &secrets).unwrap();
        assert_eq!(id, "acme-north-america");
        let text = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        for secret in ["pub-key", "priv-key", "pass word"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(
            secrets
                .get(&id, SecretName::ConnectWisePublicKey)
                .unwrap()
                .unwrap()
                .expose(),
            "pub-key",
            "keys lose pasted spaces"
        );
        assert_eq!(
            secrets
                .get(&id, SecretName::MarketplacePassword)
                .unwrap()
                .unwrap()
                .expose(),
            " pass word ",
            "a password is taken as typed"
        );
        let again = Profiles::load(dir.path()).unwrap();
        let form = again.form(&id, &secrets).unwrap();
        assert_eq!(form.name, "Acme — North America");
        assert_eq!(form.marketplace.code_or_url, "us");
        assert_eq!(form.connectwise.catalog_currency, "USD", "typed usd");
        assert!(form.connectwise.public_key_set && form.connectwise.private_key_set);
        assert!(form.marketplace.password_set);
        assert!(!form.marketplace.subscription_key_set);
        let json = serde_json::to_string(&form).unwrap();
        assert!(!json.contains("priv-key") && !json.contains("pass word"));
    }

    #[test]
    fn secrets_are_kept_replaced_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut p = Profiles::load(dir.path()).unwrap();
        let id = p.save(&input("Acme"), &secrets).unwrap();
        let mut change = input("Acme");
        change.id = Some(id.clone());
        change.connectwise.public_key = SecretEdit::Keep;
        change.connectwise.private_key = SecretEdit::Replace {
            value: Secret::new("new-private"),
        };
        change.marketplace.password = SecretEdit::Remove;
        assert_eq!(p.save(&change, &secrets).unwrap(), id, "same profile");
        let get = |n| secrets.get(&id, n).unwrap().map(|s| s.expose().to_owned());
        assert_eq!(
            get(SecretName::ConnectWisePublicKey).as_deref(),
            Some("pub-key")
        );
        assert_eq!(
            get(SecretName::ConnectWisePrivateKey).as_deref(),
            Some("new-private")
        );
        assert_eq!(get(SecretName::MarketplacePassword), None);
        assert_eq!(p.summaries().len(), 2);
    }

    #[test]
    fn bad_fields_are_named_and_nothing_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut p = Profiles::load(dir.path()).unwrap();
        type Change = Box<dyn Fn(&mut ProfileInput)>;
        let cases: Vec<(&str, Change)> = vec![
            ("name", Box::new(|i| i.name = "  ".into())),
            ("name", Box::new(|i| i.name = "demo".into())),
            ("name", Box::new(|i| i.name = "x".repeat(61))),
            (
                "site",
                Box::new(|i| i.connectwise.site = "http://cw.example.com".into()),
            ),
            (
                "site",
                Box::new(|i| i.connectwise.site = "cw.example.com/v4_6_release".into()),
            ),
            // Where people sign in, not where the API answers.
            (
                "site",
                Box::new(|i| i.connectwise.site = "na.myconnectwise.net".into()),
            ),
            (
                "site",
                Box::new(|i| i.connectwise.site = "https://eu.myconnectwise.net".into()),
            ),
            (
                "companyId",
                Box::new(|i| i.connectwise.company_id = "my company".into()),
            ),
            (
                "clientId",
                Box::new(|i| i.connectwise.client_id = "not-a-guid".into()),
            ),
            (
                "codebase",
                Box::new(|i| i.connectwise.codebase = "../x".into()),
            ),
            (
                "catalogCurrency",
                Box::new(|i| i.connectwise.catalog_currency = "dollars".into()),
            ),
            (
                "catalogCurrency",
                Box::new(|i| i.connectwise.catalog_currency = "U$D".into()),
            ),
            (
                "codeOrUrl",
                Box::new(|i| i.marketplace.code_or_url = "u".into()),
            ),
            (
                "codeOrUrl",
                Box::new(|i| i.marketplace.code_or_url = "http://mp.example.com/".into()),
            ),
            // A marketplace address without its path.
            (
                "codeOrUrl",
                Box::new(|i| i.marketplace.code_or_url = "https://api.cloud.im".into()),
            ),
            (
                "codeOrUrl",
                Box::new(|i| i.marketplace.code_or_url = "api.cloud.im".into()),
            ),
            (
                "privateKey",
                Box::new(|i| {
                    i.connectwise.private_key = SecretEdit::Replace {
                        value: Secret::new("   "),
                    }
                }),
            ),
            (
                "password",
                Box::new(|i| {
                    i.marketplace.password = SecretEdit::Replace {
                        value: Secret::new("a\nb"),
                    }
                }),
            ),
        ];
        for (field, change) in cases {
            let mut i = input("Acme");
            change(&mut i);
            assert_eq!(field_of(p.save(&i, &secrets).unwrap_err()), field);
        }
        assert!(!dir.path().join(FILE_NAME).exists(), "nothing was saved");
        assert!(secrets
            .get("acme", SecretName::ConnectWisePublicKey)
            .unwrap()
            .is_none());
        // Two profiles may not share a name.
        p.save(&input("Acme"), &secrets).unwrap();
        assert_eq!(
            field_of(p.save(&input(" ACME "), &secrets).unwrap_err()),
            "name"
        );
    }

    #[test]
    fn sites_and_marketplace_addresses_are_taken_as_typed_or_refused_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut p = Profiles::load(dir.path()).unwrap();
        let refusal = |change: &dyn Fn(&mut ProfileInput)| {
            let mut i = input("Acme");
            change(&mut i);
            match Profiles::load(dir.path()).unwrap().save(&i, &secrets) {
                Err(Error::Invalid { field, message }) => (field.name(), message),
                other => panic!("expected a refusal, got {other:?}"),
            }
        };
        assert_eq!(
            refusal(&|i| i.connectwise.site = "na.myconnectwise.net".into()),
            (
                "site".into(),
                "na.myconnectwise.net is where people sign in to ConnectWise; enter its API \
                 host, api-na.myconnectwise.net."
                    .into()
            )
        );
        let (field, message) =
            refusal(&|i| i.marketplace.code_or_url = "https://api.cloud.im/".into());
        assert_eq!(field, "codeOrUrl");
        assert!(
            message.starts_with(
                "https://api.cloud.im/ has no marketplace path: enter the whole base URL"
            ),
            "{message}"
        );
        // A site or a marketplace address typed without https:// is taken with it.
        let mut i = input("Acme");
        i.connectwise.site = "api-eu.myconnectwise.net".into();
        i.marketplace.code_or_url = "api.cloud.im/marketplace/uk/".into();
        let id = p.save(&i, &secrets).unwrap();
        let form = p.form(&id, &secrets).unwrap();
        assert_eq!(form.connectwise.site, "api-eu.myconnectwise.net");
        assert_eq!(
            form.marketplace.code_or_url,
            "https://api.cloud.im/marketplace/uk/"
        );
        assert_eq!(
            crate::connectwise::site_url(&form.connectwise.site)
                .unwrap()
                .as_str(),
            "https://api-eu.myconnectwise.net/"
        );
    }

    #[test]
    fn ids_are_unique_and_safe() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut p = Profiles::load(dir.path()).unwrap();
        let a = p.save(&input("Acme/EU"), &secrets).unwrap();
        let b = p.save(&input("Acme EU"), &secrets).unwrap();
        let c = p.save(&input("Démo"), &secrets).unwrap();
        let d = p.save(&input("東京"), &secrets).unwrap();
        let e = p.save(&input("Demo!"), &secrets).unwrap();
        assert_eq!(e, "demo-profile");
        assert_eq!((a.as_str(), b.as_str()), ("acme-eu", "acme-eu-2"));
        assert!(valid_id(&c) && c != DEMO_ID, "{c}");
        assert_eq!(d, "profile");
    }

    #[test]
    fn removing_deletes_the_cache_folder_and_the_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let mut p = Profiles::load(dir.path()).unwrap();
        let id = p.save(&input("Acme"), &secrets).unwrap();
        let keep = p.save(&input("Other"), &secrets).unwrap();
        let cache = cache_path(dir.path(), &id);
        std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
        std::fs::write(&cache, b"cache").unwrap();
        p.set_active(&id).unwrap();
        p.remove(&id, &secrets).unwrap();
        assert!(!cache.parent().unwrap().exists());
        for name in SecretName::ALL {
            assert!(secrets.get(&id, name).unwrap().is_none());
        }
        assert!(secrets
            .get(&keep, SecretName::ConnectWisePublicKey)
            .unwrap()
            .is_some());
        let again = Profiles::load(dir.path()).unwrap();
        assert_eq!(again.active_id(), DEMO_ID, "Demo opens next");
        assert_eq!(again.summaries().len(), 2);
        assert!(p.remove(DEMO_ID, &secrets).is_err());
    }

    #[test]
    fn an_unreadable_list_is_named_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        for bad in [
            &b"{not json"[..],
            br#"{"format":1,"active":"demo","profiles":[{"id":"../../etc","name":"x"}]}"#,
            br#"{"format":99,"active":"demo","profiles":[]}"#,
        ] {
            std::fs::write(&path, bad).unwrap();
            let e = Profiles::load(dir.path()).unwrap_err().to_string();
            assert!(e.contains(&path.display().to_string()), "{e}");
            assert!(e.contains("left untouched"), "{e}");
            assert_eq!(std::fs::read(&path).unwrap(), bad);
        }
    }

    #[test]
    fn a_connection_names_everything_missing() {
        let secrets = MemoryStore::default();
        let mut i = input("Acme");
        i.connectwise.site = String::new();
        i.connectwise.private_key = SecretEdit::Keep;
        // Test connection names what the form lacks, marks the first, and says where a
        // missing key comes from.
        let e = connectwise_for_test(&i, &secrets).unwrap_err();
        let text = e.to_string();
        assert_eq!(field_of(e), "site");
        assert!(
            text.starts_with(
                "Test connection needs the site and the private key: enter them, then test again."
            ),
            "{text}"
        );
        assert!(text.contains("shows the private key only once"), "{text}");
        let e = marketplace_for_test(&i, &secrets).unwrap_err();
        let text = e.to_string();
        assert_eq!(field_of(e), "subscriptionKey");
        assert!(
            text.starts_with(
                "Test connection needs the subscription key: enter it, then test again."
            ),
            "{text}"
        );
        assert!(text.contains("Ingram Micro's API portal"), "{text}");
        // Typed secrets are used; kept ones come from the keyring.
        i.connectwise.site = "api-na.myconnectwise.net".into();
        secrets
            .set(
                "acme",
                SecretName::ConnectWisePrivateKey,
                &Secret::new("saved"),
            )
            .unwrap();
        i.id = Some("acme".into());
        let config = connectwise_for_test(&i, &secrets).unwrap();
        assert_eq!(config.private_key.expose(), "saved");
        assert_eq!(config.public_key.expose(), "pub-key");
    }
}
