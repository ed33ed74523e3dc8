//! The OS keyring for real: store, read back, replace and delete through the Secret Service.
//! It needs a running, unlocked Secret Service, so it is ignored by a plain `cargo test`;
//! `make test` runs it inside `dbus-run-session` with a fresh gnome-keyring-daemon
//! (`make test-keyring`).

use agreement_sync_core::secret::Secret;
use agreement_sync_core::secrets::{check_store, OsKeyring, SecretName, SecretStore};

#[test]
#[ignore = "needs a Secret Service: run with `make test-keyring`"]
fn the_os_keyring_stores_reads_replaces_and_deletes() {
    let profile = format!("keyring-test-{}", std::process::id());
    check_store(&OsKeyring, &profile).expect("the OS keyring works");
}

#[test]
#[ignore = "needs a Secret Service: run with `make test-keyring`"]
fn removing_a_profile_removes_all_its_keyring_entries() {
    let profile = format!("keyring-profile-{}", std::process::id());
    for name in SecretName::ALL {
        OsKeyring
            .set(
                &profile,
                name,
                &Secret::new(format!("value of {}", name.as_str())),
            )
            .unwrap();
    }
    assert_eq!(
        OsKeyring
            .get(&profile, SecretName::MarketplacePassword)
            .unwrap()
            .map(|s| s.expose().to_owned())
            .as_deref(),
        Some("value of marketplace-password")
    );
    OsKeyring.delete_profile(&profile).unwrap();
    for name in SecretName::ALL {
        assert!(OsKeyring.get(&profile, name).unwrap().is_none(), "{name:?}");
    }
}
