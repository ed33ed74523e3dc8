//! The OS keyring for real: store, read back, replace and delete through the Secret Service.
//! It needs a running, unlocked Secret Service, so it is ignored by a plain `cargo test`;
//! `make test` runs it inside `dbus-run-session` with a fresh gnome-keyring-daemon
//! (`make test-keyring`).

use agreement_sync_core::credential_store::{check_store, OsKeyring, SecretName, SecretStore};
use agreement_sync_core::secret::Secret;

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

mod support;

/// A real profile against the simulator, with credentials only it knows: saved (secrets to the
/// Secret Service), tested (a wrong key first), opened, checked and synced, with every log line at
/// `trace` going to the app's log file. Afterwards no file of the data folder — the profile
/// list, the SQLite cache with its WAL, the log — holds any secret's bytes, plain or as the
/// Basic credentials sent on the wire. Removing the profile removes its cache and keyring entries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service: run with `make test-keyring`"]
async fn a_real_profile_keeps_every_secret_out_of_the_cache_and_the_log() {
    use agreement_sync_core::connections::test_connectwise;
    use agreement_sync_core::http::Timeouts;
    use agreement_sync_core::profiles::{self, Profiles};
    use agreement_sync_core::view::{
        ConnectWiseInput, MarketplaceInput, ProfileInput, SecretEdit, SyncState,
    };
    use agreement_sync_sim::{Credentials, SimConfig};
    use base64::Engine;

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_owned();
    let log_guard = agreement_sync_core::logging::init(&data.join("logs"), "trace");

    let tag = std::process::id();
    let credentials = Credentials {
        marketplace_username: "billing@acme.example".into(),
        marketplace_password: format!("mp-password-{tag}-Zq7"),
        subscription_key: format!("mp-subscription-{tag}-Wx3"),
        cw_company_id: "acme".into(),
        cw_public_key: format!("cw-public-{tag}-Kp9"),
        cw_private_key: format!("cw-private-{tag}-Rt5"),
        cw_client_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6".into(),
    };
    let mut config = SimConfig::demo(support::today());
    config.credentials = credentials.clone();
    let sim = agreement_sync_sim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();

    let replace = |v: &str| SecretEdit::Replace {
        value: Secret::new(v),
    };
    let input = |private_key: SecretEdit, id: Option<String>| ProfileInput {
        id,
        name: "Acme (test)".into(),
        connectwise: ConnectWiseInput {
            site: format!("http://{}", sim.connectwise_site()),
            company_id: credentials.cw_company_id.clone(),
            client_id: credentials.cw_client_id.clone(),
            codebase: String::new(),
            addition_key_field: String::new(),
            catalog_currency: "USD".into(),
            public_key: replace(&credentials.cw_public_key),
            private_key,
        },
        marketplace: MarketplaceInput {
            code_or_url: sim.marketplace_base_url(),
            username: credentials.marketplace_username.clone(),
            password: replace(&credentials.marketplace_password),
            subscription_key: replace(&credentials.subscription_key),
        },
    };
    let timeouts = Timeouts::default();

    // A wrong private key: refused, and the error does not show it.
    let wrong = format!("wrong-private-{tag}-Jm2");
    let config = profiles::connectwise_for_test(&input(replace(&wrong), None), &OsKeyring).unwrap();
    let e = test_connectwise(&config, timeouts).await.unwrap_err();
    tracing::info!("test connection failed: {e}");
    assert!(e.to_string().contains("Check the company id"), "{e}");
    assert!(!e.to_string().contains(&wrong));

    // Saved: the secrets are in the Secret Service and read back from it.
    let mut list = Profiles::load(&data).unwrap();
    let id = list
        .save(
            &input(replace(&credentials.cw_private_key), None),
            &OsKeyring,
        )
        .unwrap();
    assert_eq!(
        OsKeyring
            .get(&id, SecretName::ConnectWisePrivateKey)
            .unwrap()
            .unwrap()
            .expose(),
        credentials.cw_private_key
    );
    // Test connection with the saved key (kept, not retyped).
    let kept =
        profiles::connectwise_for_test(&input(SecretEdit::Keep, Some(id.clone())), &OsKeyring)
            .unwrap();
    let reached = test_connectwise(&kept, timeouts).await.unwrap();
    assert!(reached.missing_permissions.is_empty());
    list.set_active(&id).unwrap();

    // Opened from the keyring: Check Changes, then Green Lane synced.
    let session = profiles::open_session(&list, &id, &OsKeyring)
        .unwrap()
        .with_clock(agreement_sync_core::clock::Clock::starting_at(
            support::now(),
        ));
    let summary = session.check_changes(&|_| {}).await.unwrap();
    assert!(summary.tasks_created > 0, "{summary:?}");
    let page = session
        .list_tasks(
            agreement_sync_core::view::TaskQuery {
                search: "1000231".into(),
                ..Default::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    let task = page.rows[0].id;
    support::accept_suggestions(&session, task).await;
    let synced = session.sync_task(task, &|_| {}).await.unwrap();
    assert_eq!(synced.state, SyncState::Synced, "{synced:?}");
    drop(session);
    drop(log_guard); // flushes the log file

    let basic = |user: &str, pass: &str| {
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    };
    let secrets = [
        credentials.cw_public_key.clone(),
        credentials.cw_private_key.clone(),
        credentials.marketplace_password.clone(),
        credentials.subscription_key.clone(),
        wrong.clone(),
        basic(
            &format!(
                "{}+{}",
                credentials.cw_company_id, credentials.cw_public_key
            ),
            &credentials.cw_private_key,
        ),
        basic(
            &credentials.marketplace_username,
            &credentials.marketplace_password,
        ),
    ];
    let mut files = Vec::new();
    let mut pending = vec![data.clone()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n == "cache.sqlite"), "{names:?}");
    assert!(names.iter().any(|n| n == "profiles.json"), "{names:?}");
    let log = files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "log"))
        .expect("a log file");
    let log_text = std::fs::read_to_string(log).unwrap();
    assert!(
        log_text.contains("test connection failed") && log_text.contains("TRACE"),
        "the log file holds the run at trace level"
    );
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for secret in &secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds a secret",
                file.display()
            );
        }
    }

    // Removed: its cache and every keyring entry are gone.
    list.remove(&id, &OsKeyring).unwrap();
    assert!(!profiles::cache_path(&data, &id).exists());
    for name in SecretName::ALL {
        assert!(OsKeyring.get(&id, name).unwrap().is_none(), "{name:?}");
    }
    sim.shutdown();
}
