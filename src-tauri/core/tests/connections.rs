//! Test connection against the simulator: what success reports, and each failure in words.

mod support;

use std::time::Duration;

use agreement_sync_core::connections::{test_connectwise, test_marketplace};
use agreement_sync_core::http::Timeouts;
use agreement_sync_core::secret::Secret;

fn quick() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_secs(3),
    }
}

#[tokio::test]
async fn connectwise_right_keys_reach_the_company_and_discover_the_codebase() {
    let sim = support::sim().await;
    let config = support::connectwise_config(&sim);
    assert!(config.codebase.is_empty());
    let reached = test_connectwise(&config, quick()).await.unwrap();
    assert_eq!(reached.codebase, "v4_6_release/");
    assert!(!reached.company_name.is_empty());
    assert!(reached.missing_permissions.is_empty());
}

#[tokio::test]
async fn connectwise_failures_say_why() {
    let sim = support::sim().await;

    // A wrong private key: 401, and what to check — never the key itself.
    let mut wrong = support::connectwise_config(&sim);
    wrong.private_key = Secret::new("not-the-key-3f9a");
    let err = test_connectwise(&wrong, quick()).await.unwrap_err();
    let text = err.to_string();
    assert_eq!(err.code(), "unauthorized", "{text}");
    assert!(text.contains("public and private keys"), "{text}");
    assert!(!text.contains("not-the-key-3f9a"), "{text}");

    // An unknown company id.
    let mut nobody = support::connectwise_config(&sim);
    nobody.company_id = "nobody-here".into();
    let err = test_connectwise(&nobody, quick()).await.unwrap_err();
    assert!(
        err.to_string().contains("no company “nobody-here”"),
        "{err}"
    );

    // Permissions the security role lacks are listed by name.
    sim.deny_permissions(&[
        ("Procurement › Product Catalog", "Inquire"),
        ("System › Table Setup", "Inquire"),
    ]);
    let reached = test_connectwise(&support::connectwise_config(&sim), quick())
        .await
        .unwrap();
    assert_eq!(
        reached.missing_permissions,
        [
            "Procurement › Product Catalog (Inquire) — to read product catalog",
            "System › Table Setup (Inquire) — to read billing cycles"
        ]
    );

    // http:// to a remote host is refused before anything is sent.
    let mut plain = support::connectwise_config(&sim);
    plain.site = "http://na.myconnectwise.net".into();
    let err = test_connectwise(&plain, quick()).await.unwrap_err();
    assert!(err.to_string().contains("https://"), "{err}");

    // Nobody listening.
    sim.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let err = test_connectwise(&support::connectwise_config(&sim), quick())
        .await
        .unwrap_err();
    assert!(err.is_offline(), "{err}");
}

#[tokio::test]
async fn marketplace_sign_in_is_tested() {
    let sim = support::sim().await;
    let config = support::marketplace_config(&sim);
    assert_eq!(
        test_marketplace(&config, quick()).await.unwrap(),
        config.base_url
    );
    let mut wrong = config.clone();
    wrong.password = Secret::new("wrong-password-77");
    let err = test_marketplace(&wrong, quick()).await.unwrap_err();
    assert_eq!(err.code(), "unauthorized", "{err}");
    assert!(!err.to_string().contains("wrong-password-77"), "{err}");
}
