//! The ConnectWise client against the simulator: auth, paging, conditions, errors.

use agreement_sync_core::connectwise::company_info;
use agreement_sync_core::error::Error;
use agreement_sync_core::http::Timeouts;
use agreement_sync_core::secret::Secret;
use agreement_sync_sim::{FaultKind, FaultRule};

mod support;
use support::{connectwise_config as config, connectwise_with as client, sim_with as sim};

#[tokio::test]
async fn pages_forward_through_every_company_once() {
    let sim = sim(2500).await;
    let cw = client(&config(&sim));
    let companies = cw.companies(None).await.unwrap().all().unwrap();
    assert!(companies.len() > 2500, "{}", companies.len());
    let mut ids: Vec<i64> = companies.iter().map(|c| c.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), companies.len(), "a company came twice");
    let pages = sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/company/companies"))
        .count();
    assert_eq!(pages, companies.len().div_ceil(1000));
    assert!(sim
        .requests()
        .iter()
        .all(|r| r.query.contains("pageSize=1000")));
}

#[tokio::test]
async fn conditions_filter_agreements() {
    let sim = sim(12).await;
    let cw = client(&config(&sim));
    let agreements = cw
        .agreements(Some("company/id=250 and agreementStatus=\"Active\""))
        .await
        .unwrap()
        .all()
        .unwrap();
    assert!(agreements.iter().any(|a| a.id == 4127));
    assert!(agreements.iter().all(|a| a.company.id == 250));
    let err = cw.agreements(Some("nosuchfield=1")).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 400, .. }), "{err}");
    assert!(err.to_string().contains("nosuchfield"), "{err}");
}

#[tokio::test]
async fn reads_agreement_additions_catalog_cycles_and_currencies() {
    let sim = sim(12).await;
    let cw = client(&config(&sim));
    let agreement = cw.agreement(4127).await.unwrap();
    assert_eq!(agreement.name, "Green Lane - Microsoft 365");
    assert_eq!(
        agreement.currency.as_ref().and_then(|c| c.code()),
        Some("USD")
    );
    let additions = cw.additions(4127).await.unwrap();
    assert!(additions
        .iter()
        .any(|a| a.product.identifier == "M365-BP" && a.cancelled_date.is_none()));
    let catalog = cw.catalog(None).await.unwrap().rows;
    assert!(catalog.iter().any(|c| c.identifier == "M365-BP"));
    assert_eq!(cw.billing_cycles().await.unwrap().rows.len(), 5);
    let currencies = cw.currencies().await.unwrap().rows;
    assert!(currencies
        .iter()
        .any(|c| c.code() == Some("JPY") && c.number_of_decimals == Some(0)));
    let missing = cw.agreement(999_999).await.unwrap_err();
    assert!(matches!(missing, Error::NotFound(_)), "{missing}");
}

#[tokio::test]
async fn wrong_keys_and_missing_client_id_are_refused_without_leaking_secrets() {
    let sim = sim(12).await;
    let mut bad = config(&sim);
    bad.private_key = Secret::new("not-the-key");
    let err = client(&bad).companies(None).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err}");
    assert!(err.to_string().contains("Authentication failed"), "{err}");
    assert!(!format!("{err} {err:?}").contains("not-the-key"));

    let mut no_client = config(&sim);
    no_client.client_id = String::new();
    let err = client(&no_client).companies(None).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err}");
    assert!(err.to_string().to_lowercase().contains("clientid"), "{err}");
}

#[tokio::test]
async fn retries_429_and_500_on_reads() {
    let sim = sim(12).await;
    let cw = client(&config(&sim));
    sim.set_faults(vec![
        FaultRule::new(
            "/finance/billingCycles",
            FaultKind::TooManyRequests {
                retry_after_secs: 1,
            },
        )
        .times(1),
        FaultRule::new("/finance/currencies", FaultKind::ServerError).times(1),
    ]);
    assert_eq!(cw.billing_cycles().await.unwrap().rows.len(), 5);
    assert_eq!(cw.currencies().await.unwrap().rows.len(), 3);
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert!(
        statuses.contains(&429) && statuses.contains(&500),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn discovers_the_codebase() {
    let sim = sim(12).await;
    let site = format!("http://{}", sim.connectwise_site());
    let info = company_info(&site, "demo", Timeouts::default())
        .await
        .unwrap();
    assert_eq!(info.codebase, "v4_6_release/");
    let err = company_info(&site, "nobody-here", Timeouts::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err}");
}

#[tokio::test]
async fn a_missing_security_role_permission_is_named_in_words_to_act_on() {
    let sim = sim(12).await;
    let cw = client(&config(&sim));
    sim.deny_permissions(&[
        ("Companies › Company Maintenance", "Inquire"),
        ("Finance › Agreements", "Add"),
    ]);
    let err = cw.companies(None).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("Companies › Company Maintenance (Inquire)"),
        "{text}"
    );
    assert!(text.contains("System › Security Roles"), "{text}");

    // Reading agreements is allowed; adding to one is not, and nothing is written.
    let before = cw.additions(4127).await.unwrap().len();
    let new = agreement_sync_core::connectwise::wire::NewAddition {
        product: agreement_sync_core::connectwise::wire::ProductId { id: 625 },
        bill_customer: "Billable".into(),
        quantity: 1.into(),
        unit_price: 1.into(),
        unit_cost: 0.into(),
        effective_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        cancelled_date: None,
        taxable_flag: false,
        invoice_description: "test".into(),
        serial_number: None,
        custom_fields: Vec::new(),
    };
    match cw.create_addition(4127, &new).await {
        Err(agreement_sync_core::connectwise::WriteError::NotApplied(e)) => {
            assert!(e.to_string().contains("Finance › Agreements (Add)"), "{e}");
        }
        other => panic!("expected a refused write, got {other:?}"),
    }
    assert_eq!(cw.additions(4127).await.unwrap().len(), before);

    sim.deny_permissions(&[]);
    assert!(cw.companies(None).await.is_ok());
}

#[tokio::test]
async fn numbers_as_text_and_references_as_names_are_read() {
    use agreement_sync_sim::{NewShape, Reshape};
    let sim = sim(12).await;
    let cw = client(&config(&sim));
    let reshape = |field: &str, to: NewShape| {
        FaultRule::new(
            "/finance/agreements/4127",
            FaultKind::Reshape(Reshape::new(field, to)),
        )
        .method("GET")
    };
    sim.set_faults(vec![
        reshape("id", NewShape::Text),
        reshape("company.id", NewShape::Text),
        reshape("billAmount", NewShape::Text),
        reshape("currency.id", NewShape::Text),
        reshape("currency.numberOfDecimals", NewShape::Text),
        reshape("billingCycle", NewShape::NameOnly),
    ]);
    // One rule strikes per request: read once per shape.
    for _ in 0..6 {
        let a = cw.agreement(4127).await.unwrap();
        assert_eq!(a.id, 4127);
        assert_eq!(a.company.id, 250);
        assert_eq!(a.bill_amount, Some(rust_decimal::Decimal::from(150)));
        assert_eq!(
            a.currency.as_ref().and_then(|c| c.number_of_decimals),
            Some(2)
        );
        assert_eq!(a.billing_cycle.as_ref().unwrap().name, "Monthly");
    }
    sim.set_faults(vec![FaultRule::new(
        "/additions",
        FaultKind::Reshape(Reshape::new("quantity", NewShape::Text)),
    )]);
    let additions = cw.additions(4127).await.unwrap();
    assert!(additions.iter().all(|a| a.quantity.is_some()));
}
