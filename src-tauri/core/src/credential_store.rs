//! Where credentials live (SPEC §9): only in the OS keyring — Secret Service on Linux, Keychain
//! on macOS, Credential Manager on Windows — behind a small trait, with an in-memory store for
//! tests. Nothing here ever puts a secret's value in an error or a log line.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// The keyring "service" every entry of the app is filed under.
pub const SERVICE: &str = "app.agreementsync.desktop";

/// Which secret of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretName {
    ConnectWisePublicKey,
    ConnectWisePrivateKey,
    MarketplacePassword,
    MarketplaceSubscriptionKey,
}

impl SecretName {
    pub const ALL: [SecretName; 4] = [
        SecretName::ConnectWisePublicKey,
        SecretName::ConnectWisePrivateKey,
        SecretName::MarketplacePassword,
        SecretName::MarketplaceSubscriptionKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SecretName::ConnectWisePublicKey => "connectwise-public-key",
            SecretName::ConnectWisePrivateKey => "connectwise-private-key",
            SecretName::MarketplacePassword => "marketplace-password",
            SecretName::MarketplaceSubscriptionKey => "marketplace-subscription-key",
        }
    }
}

/// The keyring account of one secret of one profile: `<profile>/<name>`.
fn account(profile: &str, name: SecretName) -> String {
    format!("{profile}/{}", name.as_str())
}

/// A place to keep secrets.
pub trait SecretStore: Send + Sync {
    /// The secret, or `None` when it was never set (or was removed).
    fn get(&self, profile: &str, name: SecretName) -> Result<Option<Secret>>;
    /// Sets or replaces the secret.
    fn set(&self, profile: &str, name: SecretName, value: &Secret) -> Result<()>;
    /// Removes the secret; removing one that is not there is fine.
    fn delete(&self, profile: &str, name: SecretName) -> Result<()>;

    /// Removes every secret of a profile.
    fn delete_profile(&self, profile: &str) -> Result<()> {
        for name in SecretName::ALL {
            self.delete(profile, name)?;
        }
        Ok(())
    }
}

/// The OS keyring, through the `keyring` crate.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeyring;

/// What a person can do about a keyring that cannot be used.
const HOW_TO_FIX: &str = "On Linux the app keeps credentials in the Secret Service: a keyring \
such as GNOME Keyring or KWallet must be installed, running and unlocked in your desktop \
session (for example `sudo apt install gnome-keyring`, then log out and in). Demo mode works \
without it.";

/// Words for a keyring failure; never the secret.
fn keyring_error(what: &str, e: keyring::Error) -> Error {
    let reason = match &e {
        keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
            format!("the OS keyring is not available ({e}). {HOW_TO_FIX}")
        }
        keyring::Error::BadEncoding(_) => {
            "the stored value is not text; replace it in Connections".to_owned()
        }
        keyring::Error::TooLong(field, max) => {
            format!("the {field} is longer than the keyring allows ({max})")
        }
        keyring::Error::Invalid(field, reason) => format!("the {field} is invalid: {reason}"),
        keyring::Error::Ambiguous(_) => {
            "the keyring holds several entries for it; remove them in the OS keyring tool"
                .to_owned()
        }
        other => other.to_string(),
    };
    Error::Keyring(format!("Could not {what}: {reason}"))
}

impl OsKeyring {
    fn entry(profile: &str, name: SecretName) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, &account(profile, name))
            .map_err(|e| keyring_error("open the keyring entry", e))
    }
}

impl SecretStore for OsKeyring {
    fn get(&self, profile: &str, name: SecretName) -> Result<Option<Secret>> {
        match Self::entry(profile, name)?.get_password() {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error("read a credential from the keyring", e)),
        }
    }

    fn set(&self, profile: &str, name: SecretName, value: &Secret) -> Result<()> {
        Self::entry(profile, name)?
            .set_password(value.expose())
            .map_err(|e| keyring_error("save a credential in the keyring", e))
    }

    fn delete(&self, profile: &str, name: SecretName) -> Result<()> {
        match Self::entry(profile, name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error("remove a credential from the keyring", e)),
        }
    }
}

/// Secrets in memory (tests, and nothing else).
#[derive(Debug, Default)]
pub struct MemoryStore(Mutex<HashMap<String, String>>);

impl MemoryStore {
    fn map(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>> {
        self.0
            .lock()
            .map_err(|_| Error::Keyring("the in-memory secret store is unusable".into()))
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, profile: &str, name: SecretName) -> Result<Option<Secret>> {
        Ok(self.map()?.get(&account(profile, name)).map(Secret::new))
    }

    fn set(&self, profile: &str, name: SecretName, value: &Secret) -> Result<()> {
        self.map()?
            .insert(account(profile, name), value.expose().to_owned());
        Ok(())
    }

    fn delete(&self, profile: &str, name: SecretName) -> Result<()> {
        self.map()?.remove(&account(profile, name));
        Ok(())
    }
}

/// What every store must do; run against the in-memory store here and against the real Secret
/// Service by `tests/keyring.rs`.
pub fn check_store(store: &dyn SecretStore, profile: &str) -> Result<()> {
    let name = SecretName::ConnectWisePrivateKey;
    let fail = |what: &str| Err(Error::Keyring(format!("store check failed: {what}")));
    store.delete_profile(profile)?;
    if store.get(profile, name)?.is_some() {
        return fail("a removed secret is still there");
    }
    store.set(profile, name, &Secret::new("first value"))?;
    if store.get(profile, name)?.as_ref().map(Secret::expose) != Some("first value") {
        return fail("the stored secret did not read back");
    }
    store.set(profile, name, &Secret::new("second value ünï"))?;
    if store.get(profile, name)?.as_ref().map(Secret::expose) != Some("second value ünï") {
        return fail("the replaced secret did not read back");
    }
    if store
        .get(profile, SecretName::MarketplacePassword)?
        .is_some()
    {
        return fail("another secret of the profile was set by mistake");
    }
    if store.get(&format!("{profile}-other"), name)?.is_some() {
        return fail("another profile sees this profile's secret");
    }
    store.delete(profile, name)?;
    store.delete(profile, name)?; // twice is fine
    if store.get(profile, name)?.is_some() {
        return fail("the deleted secret is still there");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_store_behaves_like_a_keyring() {
        check_store(&MemoryStore::default(), "test").unwrap();
    }

    #[test]
    fn profiles_are_removed_whole() {
        let store = MemoryStore::default();
        for name in SecretName::ALL {
            store.set("a", name, &Secret::new("x")).unwrap();
            store.set("b", name, &Secret::new("y")).unwrap();
        }
        store.delete_profile("a").unwrap();
        for name in SecretName::ALL {
            assert!(store.get("a", name).unwrap().is_none());
            assert!(store.get("b", name).unwrap().is_some());
        }
    }

    #[test]
    fn an_unavailable_keyring_says_how_to_fix_it_and_never_shows_the_secret() {
        let e = keyring_error(
            "save a credential in the keyring",
            keyring::Error::PlatformFailure("org.freedesktop.DBus.Error.ServiceUnknown".into()),
        );
        let text = e.to_string();
        assert!(text.contains("OS keyring is not available"), "{text}");
        assert!(text.contains("GNOME Keyring"), "{text}");
        assert!(text.contains("Demo mode works"), "{text}");
        assert_eq!(e.code(), crate::error::ErrorCode::Keyring);
    }
}
