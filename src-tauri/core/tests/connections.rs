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
    assert_eq!(
        err.code(),
        agreement_sync_core::error::ErrorCode::Unauthorized,
        "{text}"
    );
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
        test_marketplace(&config, quick()).await.unwrap().base_url,
        config.base_url
    );
    let mut wrong = config.clone();
    wrong.password = Secret::new("wrong-password-77");
    let err = test_marketplace(&wrong, quick()).await.unwrap_err();
    assert_eq!(
        err.code(),
        agreement_sync_core::error::ErrorCode::Unauthorized,
        "{err}"
    );
    assert!(!err.to_string().contains("wrong-password-77"), "{err}");
}

/// A server on loopback that completes TLS handshakes with a self-signed certificate (as a
/// misconfigured site or an HTTPS-inspecting proxy would), then says nothing.
async fn untrusted_tls_server() -> std::net::SocketAddr {
    use std::sync::Arc;
    use tokio_rustls::rustls;
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::try_from(cert.signing_key.serialize_der()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert.cert.der().clone()], key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let _ = acceptor.accept(stream).await;
            });
        }
    });
    addr
}

/// A server on loopback that accepts connections and never answers.
async fn silent_server() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    addr
}

#[tokio::test]
async fn network_failures_are_named_for_a_person() {
    let sim = support::sim().await;
    let cases = [
        // No such site name (`.invalid` never resolves).
        (
            "https://api-na.myconnectwise.invalid".to_owned(),
            "host not found",
        ),
        (
            format!("https://localhost:{}", untrusted_tls_server().await.port()),
            "security certificate is not trusted",
        ),
        (format!("http://{}", silent_server().await), "timed out"),
    ];
    for (site, words) in cases {
        let mut config = support::connectwise_config(&sim);
        config.site = site.clone();
        let err = test_connectwise(
            &config,
            Timeouts {
                connect: Duration::from_secs(5),
                request: Duration::from_secs(1),
            },
        )
        .await
        .unwrap_err();
        assert!(err.is_offline(), "{site}: {err}");
        assert!(err.to_string().contains(words), "{site}: {err}");
    }
}

#[tokio::test]
async fn test_connection_reads_a_record_of_each_list_as_check_changes_does() {
    use agreement_sync_sim::{FaultKind, FaultRule, NewShape, Reshape};
    let sim = support::sim().await;
    let config = support::connectwise_config(&sim);
    let reshape = |path: &str, field: &str, to: NewShape| {
        FaultRule::new(path, FaultKind::Reshape(Reshape::new(field, to)))
    };

    // Another shape that is still clear is fine.
    sim.set_faults(vec![reshape(
        "/finance/currencies",
        "currencyCode",
        NewShape::NameOnly,
    )]);
    assert!(test_connectwise(&config, quick()).await.is_ok());

    // A field Check Changes could not read fails the test, naming the list and the field.
    let cases = [
        ("/finance/billingCycles", "name", "billing cycles", "name"),
        ("/procurement/catalog", "price", "product catalog", "price"),
        (
            "/company/companies",
            "identifier",
            "company list",
            "identifier",
        ),
        ("/additions", "product", "additions", "product"),
    ];
    for (path, field, list, words) in cases {
        sim.set_faults(vec![reshape(
            path,
            field,
            NewShape::Value(serde_json::json!([1, 2])),
        )]);
        let err = test_connectwise(&config, quick())
            .await
            .expect_err(&format!("{path} {field}"));
        let text = err.to_string();
        assert!(text.contains(list), "{path}: {text}");
        assert!(text.contains(words), "{path}: {text}");
        assert!(!text.contains("line") && !text.contains("column"), "{text}");
    }

    // The marketplace: an order, its customer and its subscription are read like Check Changes
    // reads them.
    let market = support::marketplace_config(&sim);
    sim.set_faults(vec![]);
    assert!(test_marketplace(&market, quick()).await.is_ok());
    for (path, field, value, words) in [
        (
            "/subscriptions/",
            "billingPeriod",
            serde_json::json!("monthly"),
            "billing period",
        ),
        (
            "/customers/",
            "name",
            serde_json::json!({"first": "Green"}),
            "name",
        ),
        (
            "/orders/",
            "products",
            serde_json::json!("none"),
            "products",
        ),
    ] {
        sim.set_faults(vec![reshape(path, field, NewShape::Value(value))]);
        let err = test_marketplace(&market, quick())
            .await
            .expect_err(&format!("{path} {field}"));
        let text = err.to_string();
        assert!(text.contains(words), "{path}: {text}");
    }
    sim.set_faults(vec![FaultRule::new("/orders", FaultKind::WebPage)]);
    let err = test_marketplace(&market, quick()).await.unwrap_err();
    assert!(err.to_string().contains("web page"), "{err}");
}

#[tokio::test]
async fn connectwise_test_says_where_the_keys_go() {
    let sim = support::sim().await;
    let mut config = support::connectwise_config(&sim);
    // None named: Serial Number, and what that means on an invoice.
    let reached = test_connectwise(&config, quick()).await.unwrap();
    assert!(reached.key_field_ok);
    assert!(
        reached.key_field.contains("Serial Number"),
        "{}",
        reached.key_field
    );

    // Named, but ConnectWise has no such field: Serial Number is used, and how to add it.
    config.addition_key_field = "Agreement Sync Key".into();
    let reached = test_connectwise(&config, quick()).await.unwrap();
    assert!(!reached.key_field_ok);
    assert!(
        reached
            .key_field
            .contains("no addition custom field “Agreement Sync Key”"),
        "{}",
        reached.key_field
    );
    assert!(reached.key_field.contains("Serial Number will be used"));

    // Of another type: refused for keys.
    sim.set_addition_custom_field("Agreement Sync Key", "Number")
        .unwrap();
    let reached = test_connectwise(&config, quick()).await.unwrap();
    assert!(!reached.key_field_ok);
    assert!(
        reached.key_field.contains("not Text"),
        "{}",
        reached.key_field
    );

    // Text: the keys go there.
    sim.set_addition_custom_field("Agreement Sync Key", "Text")
        .unwrap();
    let reached = test_connectwise(&config, quick()).await.unwrap();
    assert!(reached.key_field_ok, "{}", reached.key_field);
    assert!(
        reached.key_field.contains("exists and is Text"),
        "{}",
        reached.key_field
    );
}
