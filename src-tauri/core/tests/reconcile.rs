//! Reconcile against the simulator's Demo world, as the window will drive it: "today" pinned
//! to 2026-11-24, the customers and products mapped as a billing person would map them.

mod support;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use agreement_sync_core::plan::PriceSource;
use agreement_sync_core::reconcile::present::{BookQuery, ReconcileProgress};
use agreement_sync_core::reconcile::run::Reach;
use agreement_sync_core::session::{ProfileKind, Session};
use agreement_sync_core::store::Store;
use agreement_sync_core::view::Outcome;
use agreement_sync_sim::{FaultKind, FaultRule, NewShape, Reshape};

use support::{checked, map_all, session, PRODUCTS};

/// (customer id, product name, per, outcome, effect) of every product of the book.
async fn outcomes(s: &Session) -> Vec<(String, String, String, Outcome, Option<String>)> {
    let book = s.reconcile_book(BookQuery::default()).await.unwrap();
    let mut out = Vec::new();
    for row in &book.rows {
        let c = s.reconcile_customer(row.customer_id.clone()).await.unwrap();
        for p in c.products {
            out.push((
                c.customer_id.clone(),
                p.product_name,
                p.per,
                p.outcome,
                p.effect,
            ));
        }
    }
    out.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
    out
}

#[tokio::test]
async fn the_demo_worlds_drift_reads_exactly_as_seeded() {
    let sim = support::sim().await;
    let s = checked(&sim).await;
    let seen = Mutex::new(Vec::new());
    let book = s
        .reconcile(PriceSource::CloudMarketplace, &|p| {
            seen.lock().unwrap().push(p)
        })
        .await
        .expect("reconcile");
    let seen = seen.into_inner().unwrap();
    assert_eq!(
        seen.first(),
        Some(&ReconcileProgress::RefreshingConnectWise)
    );
    assert!(
        seen.contains(&ReconcileProgress::ReadingSubscriptions {
            read: 15,
            total: 15
        }),
        "{seen:?}"
    );
    assert!(
        matches!(
            seen.last(),
            Some(ReconcileProgress::Finished { customers: 15, .. })
        ),
        "{seen:?}"
    );
    assert_eq!(book.customers, 15);
    assert!(book.unreadable.is_empty(), "{:?}", book.unreadable);
    assert_eq!(book.connectwise_error, None);

    use Outcome::*;
    let e = |s: &str| Some(s.to_owned());
    #[rustfmt::skip]
    let expected: Vec<(&str, &str, &str, Outcome, Option<String>)> = vec![
        ("1000048531", "Exchange Online (Plan 1)", "month", QuantityDiffers, e("-8.00")),
        ("1000048531", "Microsoft 365 Apps for business (annual)", "year", InSync, e("0.00")),
        ("1000048531", "Microsoft 365 Business Premium", "month", QuantityDiffers, e("+110.00")),
        ("1000048602", "Microsoft 365 Business Standard", "month", QuantityDiffers, e("+25.00")),
        ("1000048617", "Microsoft 365 Business Basic", "month", InSync, e("0.00")),
        ("1000048617", "Microsoft Defender for Business", "month", MissingInConnectWise, e("+120.00")),
        ("1000048655", "Microsoft 365 Business Basic", "month", QuantityDiffers, e("+11.16")),
        ("1000048655", "Microsoft 365 Business Premium", "month", MissingInConnectWise, e("+176.00")),
        ("1000048655", "Microsoft Defender for Business", "month", Duplicate, e("-27.90")),
        ("1000048703", "Exchange Online (Plan 1)", "month", MissingInConnectWise, e("+18.60")),
        ("1000048703", "Microsoft 365 Apps for business (annual)", "year", PriceDiffers, e("+12.28")),
        ("1000048703", "Microsoft 365 Business Standard", "month", InSync, e("0.00")),
        ("1000048729", "Dynamics 365 Business Central Essentials", "quarter", StillBilling, e("-1050.00")),
        ("1000048729", "Microsoft 365 Business Basic", "month", InSync, e("0.00")),
        ("1000048744", "Microsoft 365 Apps for business (annual)", "year", QuantityDiffers, e("+297.00")),
        ("1000048790", "Microsoft 365 Business Standard", "month", QuantityDiffers, e("-50.00")),
        ("1000048790", "Microsoft Defender for Business", "month", InSync, e("0.00")),
        ("1000048812", "Microsoft 365 Business Basic", "month", QuantityDiffers, e("+18.00")),
        ("1000048835", "Microsoft 365 Business Standard", "month", StillBilling, e("-75.00")),
        ("1000048851", "Acronis Cyber Protect Cloud - Workstation", "month", MissingInConnectWise, e("+119.25")),
        ("1000048851", "Microsoft 365 Business Basic", "month", InSync, e("0.00")),
        ("1000048876", "Microsoft 365 Business Basic", "month", InSync, e("0.00")),
        ("1000048876", "Microsoft 365 Business Premium", "month", MissingInConnectWise, e("+154.00")),
        ("1000048890", "Microsoft 365 Apps for business (annual)", "year", InSync, e("0.00")),
        ("1000048890", "Microsoft 365 Business Basic", "month", InSync, e("0.00")),
        ("1000048890", "Microsoft Defender for Business", "month", InSync, e("0.00")),
        ("1000048905", "Microsoft 365 Apps for business (annual)", "year", InSync, e("0.00")),
        ("1000048905", "Microsoft 365 Business Standard", "month", InSync, e("0.00")),
        ("1000048920", "Exchange Online (Plan 1)", "month", Duplicate, e("-20.00")),
        ("1000048920", "Microsoft 365 Apps for business (annual)", "year", StillBilling, e("-198.00")),
        ("1000048920", "Microsoft 365 Business Premium", "month", PriceDiffers, e("+10.00")),
        ("1000048920", "Power BI Pro", "month", Unmapped, None),
    ];
    let found = outcomes(&s).await;
    let found: Vec<(&str, &str, &str, Outcome, Option<String>)> = found
        .iter()
        .map(|(c, p, per, o, e)| (c.as_str(), p.as_str(), per.as_str(), *o, e.clone()))
        .collect();
    assert_eq!(found, expected);

    // Every outcome appears but Not compared yet (every agreement's additions are read); the
    // largest effect leads the book.
    assert!(
        book.counts
            .iter()
            .all(|c| (c.count > 0) == (c.outcome != Outcome::NotRead)),
        "{:?}",
        book.counts
    );
    assert_eq!(book.rows[0].customer_name, "Fabrikam Logistics");
    let harborview = book
        .rows
        .iter()
        .find(|r| r.customer_id == "1000048890")
        .unwrap();
    assert_eq!(harborview.drift_count, 0);
    let green = book
        .rows
        .iter()
        .find(|r| r.customer_id == "1000048531")
        .unwrap();
    assert_eq!(green.account, "Green Lane LLC 1000048531");
    assert_eq!(green.drift_count, 2);
    let words: Vec<&str> = green.recurring.iter().map(|r| r.words.as_str()).collect();
    assert_eq!(
        words,
        [
            "ConnectWise bills 484.00, the marketplace 586.00 — +102.00 / month",
            "ConnectWise bills 297.00, the marketplace 297.00 — 0.00 / year",
        ]
    );
    assert_eq!(green.last_reconciled_at.get(..13), Some("2026-11-24T12"));
    assert_eq!(
        green.data_read_at.as_deref().and_then(|t| t.get(..13)),
        Some("2026-11-24T12")
    );

    // Both sides of a product, and the outcome in words.
    let pinecrest = s.reconcile_customer("1000048920".into()).await.unwrap();
    let exo = pinecrest
        .products
        .iter()
        .find(|p| p.outcome == Duplicate)
        .unwrap();
    let ids: Vec<i64> = exo.connectwise.additions.iter().map(|a| a.id).collect();
    assert_eq!(ids, [30250, 30251]);
    assert_eq!(
        exo.words,
        "2 active additions (30250, 30251) bill 10 together; the marketplace has 5."
    );
    assert_eq!(exo.marketplace.subscription_ids, ["1000566"]);
    let unmapped = pinecrest
        .products
        .iter()
        .find(|p| p.outcome == Unmapped)
        .unwrap();
    assert_eq!(
        unmapped.words,
        "Map “Power BI Pro” to a ConnectWise catalog item."
    );
    let still = pinecrest
        .products
        .iter()
        .find(|p| p.outcome == StillBilling)
        .unwrap();
    assert_eq!(still.marketplace.status_label, "Cancelled");

    // Filters and search.
    let dup = s
        .reconcile_book(BookQuery {
            outcome: Some(Duplicate),
            search: String::new(),
        })
        .await
        .unwrap();
    let names: Vec<&str> = dup.rows.iter().map(|r| r.customer_name.as_str()).collect();
    assert_eq!(
        names,
        ["Pinecrest Dental Studio", "Contoso Pharmaceuticals"],
        "the larger effect first"
    );
    let found = s
        .reconcile_book(BookQuery {
            outcome: None,
            search: "alpen".into(),
        })
        .await
        .unwrap();
    assert_eq!(found.rows.len(), 1);
    assert_eq!(found.customers, 15);
}

#[tokio::test]
async fn with_connectwise_prices_a_price_is_not_drift_and_unmapped_customers_say_so() {
    let sim = support::sim().await;
    let s = checked(&sim).await;
    s.store()
        .with(|c| {
            c.execute(
                "DELETE FROM customer_mappings WHERE customer_id = '1000048905'",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    s.reconcile(PriceSource::ConnectWise, &|_| {})
        .await
        .unwrap();
    assert_eq!(
        s.reconcile_price_source().await.unwrap(),
        PriceSource::ConnectWise
    );
    let found = outcomes(&s).await;
    let of = |customer: &str, product: &str| {
        found
            .iter()
            .find(|f| f.0 == customer && f.1 == product)
            .map(|f| (f.3, f.4.clone()))
    };
    assert_eq!(
        of("1000048703", "Microsoft 365 Apps for business (annual)"),
        Some((Outcome::InSync, Some("0.00".into())))
    );
    assert_eq!(
        of("1000048905", "Microsoft 365 Business Standard"),
        Some((Outcome::Unmapped, None))
    );
    let alpenblick = s.reconcile_customer("1000048905".into()).await.unwrap();
    assert_eq!(alpenblick.company_name, None);
    assert_eq!(
        alpenblick.products[0].words,
        "Map Alpenblick Hotels AG to a ConnectWise company."
    );

    // Mapped again, and compared again offline with marketplace prices.
    map_all(s.store());
    let book = s.recompare(PriceSource::CloudMarketplace).await.unwrap();
    let row = book
        .rows
        .iter()
        .find(|r| r.customer_id == "1000048905")
        .unwrap();
    assert_eq!(
        (row.drift_count, row.company_name.as_deref()),
        (0, Some("Alpenblick Hotels AG"))
    );
}

#[tokio::test]
async fn subscriptions_are_paged_and_429_is_waited_out() {
    let sim = support::sim().await;
    // Green Lane buys 120 more subscriptions: 123 in all, two pages.
    for n in 0..120 {
        sim.create_order(
            "1000048531",
            "sales",
            "completed",
            support::now() - chrono::Duration::minutes(200 - n),
        );
    }
    let client = support::marketplace(&sim);
    sim.set_faults(vec![FaultRule::new(
        "/subscriptions",
        FaultKind::TooManyRequests {
            retry_after_secs: 1,
        },
    )
    .times(1)]);
    let started = Instant::now();
    let read = client
        .subscriptions_of(&["1000048531".to_owned()], &|_, _| {})
        .await
        .expect("read");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After was not waited out"
    );
    let (id, listed) = &read[0];
    assert_eq!(id, "1000048531");
    assert_eq!(listed.rows.len(), 123);
    assert!(listed.unreadable.is_empty());
    let mut ids: Vec<&str> = listed.rows.iter().map(|s| s.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 123, "each subscription once");
    let pages: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/subscriptions"))
        .map(|r| format!("{} {}", r.status, r.query))
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages[0].starts_with("429"), "{pages:?}");
    assert!(
        pages
            .iter()
            .any(|p| p.starts_with("200") && p.contains("offset=100")),
        "{pages:?}"
    );
}

#[tokio::test]
async fn an_unreadable_subscription_is_left_out_and_named_and_the_rest_is_compared() {
    let sim = support::sim().await;
    let s = checked(&sim).await;
    // The first subscription of every list comes with a billing period that cannot be read.
    sim.set_faults(vec![FaultRule::new(
        "/subscriptions",
        FaultKind::Reshape(
            Reshape::new(
                "billingPeriod",
                NewShape::Value(serde_json::json!("monthly")),
            )
            .record(0),
        ),
    )]);
    let book = s
        .reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    let green: Vec<&agreement_sync_core::view::UnreadableRecord> = book
        .unreadable
        .iter()
        .filter(|u| u.list == "subscriptions of customer 1000048531")
        .collect();
    assert_eq!(green.len(), 1, "{:?}", book.unreadable);
    assert_eq!(green[0].record, "subscription 1000517");
    assert_eq!(green[0].field.as_deref(), Some("billing period"));
    assert!(
        green[0]
            .message
            .starts_with("Subscription 1000517 was left out"),
        "{}",
        green[0].message
    );
    // Green Lane's other subscription is still compared.
    let c = s.reconcile_customer("1000048531".into()).await.unwrap();
    let names: Vec<&str> = c.products.iter().map(|p| p.product_name.as_str()).collect();
    assert_eq!(names, ["Microsoft 365 Apps for business (annual)"]);
}

#[tokio::test]
async fn offline_the_last_book_is_shown_with_its_age() {
    let sim = support::sim().await;
    let store = Store::open_in_memory().unwrap();
    let s = session(&sim, store.clone());
    s.check_changes(&|_| {}).await.unwrap();
    map_all(&store);
    let online = s
        .reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    sim.shutdown();
    drop(s);

    // Later, without a network: the book comes from the cache with when it was read.
    let later = Session::new(
        "Demo",
        ProfileKind::Demo,
        "/tmp/nowhere",
        store,
        support::marketplace(&sim),
        support::connectwise(&sim),
    )
    .with_clock(agreement_sync_core::clock::Clock::starting_at(
        support::now() + chrono::Duration::hours(26),
    ));
    let err = later
        .reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap_err();
    assert!(err.is_offline(), "{err}");
    let offline = later.reconcile_book(BookQuery::default()).await.unwrap();
    assert_eq!(offline.rows, online.rows, "the last reconcile, as it was");
    assert_eq!(offline.now.get(..13), Some("2026-11-25T14"));
    assert_eq!(
        offline
            .last_reconciled_at
            .as_deref()
            .and_then(|t| t.get(..13)),
        Some("2026-11-24T12")
    );
    let green = later.reconcile_customer("1000048531".into()).await.unwrap();
    assert_eq!(
        green.data_read_at.as_deref().and_then(|t| t.get(..13)),
        Some("2026-11-24T12")
    );
}

#[tokio::test]
async fn a_first_reconcile_reads_the_whole_list_and_the_customers_are_mapped_from_it() {
    let sim = support::sim().await;
    // A new profile: no orders read, nothing mapped.
    let s = session(&sim, Store::open_in_memory().unwrap());
    let seen = Mutex::new(Vec::new());
    let book = s
        .reconcile_reaching(PriceSource::CloudMarketplace, Reach::AllActive, &|p| {
            seen.lock().unwrap().push(p)
        })
        .await
        .expect("the first reconcile");
    let seen = seen.into_inner().unwrap();
    assert!(
        seen.iter().any(|p| matches!(
            p,
            ReconcileProgress::ReadingAllSubscriptions { read, total } if read == total && *total > 0
        )),
        "{seen:?}"
    );
    // Every Demo customer but the one whose only subscription is cancelled.
    assert_eq!(book.customers, 14);
    assert!(book.rows.iter().all(|r| r.customer_id != "1000048835"));
    let green = book
        .rows
        .iter()
        .find(|r| r.customer_id == "1000048531")
        .expect("Green Lane, read from the whole list");
    assert_eq!(green.customer_name, "Green Lane LLC");
    assert_eq!(green.outcomes, [Outcome::Unmapped]);
    assert!(book
        .counts
        .iter()
        .all(|c| (c.outcome == Outcome::Unmapped) == (c.count > 0)));

    // Mapped from the Reconcile screen: the best suggestion is Green Lane's company.
    let companies = s
        .reconcile_companies("1000048531".into(), String::new())
        .await
        .unwrap();
    assert_eq!(companies[0].id, 250, "{companies:?}");
    let found = s
        .reconcile_companies("1000048531".into(), "green".into())
        .await
        .unwrap();
    assert!(found
        .iter()
        .all(|c| c.name.to_lowercase().contains("green")));
    let c = s
        .map_reconcile_customer("1000048531".into(), 250)
        .await
        .unwrap();
    assert_eq!(c.company_name.as_deref(), Some("Green Lane LLC"));
    let keys: Vec<String> = c.products.iter().map(|p| p.product_key.clone()).collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    for key in &keys {
        let options = s
            .reconcile_catalog("1000048531".into(), key.clone(), String::new())
            .await
            .unwrap();
        let expected = PRODUCTS.iter().find(|(k, _)| k == key).map(|(_, id)| *id);
        assert_eq!(
            options.first().map(|o| o.id),
            expected,
            "{key}: {options:?}"
        );
        s.map_reconcile_product("1000048531".into(), key.clone(), options[0].id)
            .await
            .unwrap();
    }
    // The book reflects the mappings at once (compared offline).
    let book = s.reconcile_book(BookQuery::default()).await.unwrap();
    let green = book
        .rows
        .iter()
        .find(|r| r.customer_id == "1000048531")
        .unwrap();
    assert_eq!(green.company_name.as_deref(), Some("Green Lane LLC"));
    assert!(!green.outcomes.contains(&Outcome::Unmapped), "{green:?}");

    // The next reconcile reads its company's additions: Green Lane reads as seeded.
    s.reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    let c = s.reconcile_customer("1000048531".into()).await.unwrap();
    let mut found: Vec<(String, Outcome, Option<String>)> = c
        .products
        .into_iter()
        .map(|p| (p.product_name, p.outcome, p.effect))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                "Exchange Online (Plan 1)".to_owned(),
                Outcome::QuantityDiffers,
                Some("-8.00".to_owned())
            ),
            (
                "Microsoft 365 Apps for business (annual)".to_owned(),
                Outcome::InSync,
                Some("0.00".to_owned())
            ),
            (
                "Microsoft 365 Business Premium".to_owned(),
                Outcome::QuantityDiffers,
                Some("+110.00".to_owned())
            ),
        ]
    );
}

#[tokio::test]
async fn a_mapping_that_cannot_be_made_says_why_and_keeps_nothing() {
    let sim = support::sim().await;
    let s = checked(&sim).await;
    s.reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    let err = s
        .map_reconcile_customer("1000048531".into(), 999_999)
        .await
        .unwrap_err();
    assert_eq!(err.code(), agreement_sync_core::error::ErrorCode::Invalid);
    assert!(
        err.to_string().contains("Company 999999 is not among"),
        "{err}"
    );
    let err = s
        .map_reconcile_product("1000048920".into(), "NO-SUCH-MPN".into(), 611)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Pinecrest Dental Studio has no product NO-SUCH-MPN"),
        "{err}"
    );
    let err = s
        .reconcile_companies("4242".into(), String::new())
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        agreement_sync_core::error::ErrorCode::NotFound,
        "{err}"
    );
    let err = s
        .reconcile_catalog("1000048920".into(), "x".into(), "y".repeat(201))
        .await
        .unwrap_err();
    assert_eq!(err.code(), agreement_sync_core::error::ErrorCode::Invalid);
    let c = s.reconcile_customer("1000048531".into()).await.unwrap();
    assert_eq!(c.company_name.as_deref(), Some("Green Lane LLC"));
}

#[tokio::test]
async fn the_report_is_saved_as_csv_with_both_sides_of_every_product_shown() {
    let sim = support::sim().await;
    let s = checked(&sim).await;
    let dir = tempfile::tempdir().unwrap();
    let err = s
        .save_reconcile_csv(BookQuery::default(), dir.path().to_path_buf())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("nothing to export"), "{err}");
    s.reconcile(PriceSource::CloudMarketplace, &|_| {})
        .await
        .unwrap();
    let saved = s
        .save_reconcile_csv(
            BookQuery {
                outcome: Some(Outcome::Duplicate),
                search: String::new(),
            },
            dir.path().to_path_buf(),
        )
        .await
        .unwrap();
    assert!(
        saved
            .path
            .ends_with("agreement-sync-reconcile-2026-11-24.csv"),
        "{}",
        saved.path
    );
    // A folder that cannot be made (a file is in its way) is a file error that names it.
    let blocked = dir.path().join("not-a-folder");
    std::fs::write(&blocked, "x").unwrap();
    let err = s
        .save_reconcile_csv(
            BookQuery {
                outcome: Some(Outcome::Duplicate),
                search: String::new(),
            },
            blocked.join("reports"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), agreement_sync_core::error::ErrorCode::File);
    assert!(
        err.to_string().starts_with(&format!(
            "The folder {} could not be created to save the CSV",
            blocked.join("reports").display()
        )),
        "{err}"
    );
    let text = std::fs::read_to_string(&saved.path).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(saved.rows as usize, lines.len() - 1);
    assert!(lines[0].starts_with("Customer,Account id,Company,Product,Outcome,"));
    // Pinecrest (4 products) leads Contoso (3): the larger effect first.
    assert_eq!(lines.len(), 1 + 4 + 3, "{text}");
    assert!(
        lines[1].starts_with("Pinecrest Dental Studio,1000048920,"),
        "{text}"
    );
    let exo = lines
        .iter()
        .find(|l| l.contains("Exchange Online (Plan 1)") && l.contains("Pinecrest"))
        .unwrap();
    assert!(exo.contains(",Duplicate,1000566,Active,5,"), "{exo}");
    assert!(exo.contains(",30250 30251,5 + 5,"), "{exo}");
    assert!(exo.contains(",-20.00,month,USD,"), "{exo}");
}

/// A new profile that knows the products but no customer, reconciled from the whole list: no
/// company's additions are read yet.
async fn first_reconcile_products_mapped(sim: &agreement_sync_sim::SimHandle) -> Session {
    let store = Store::open_in_memory().unwrap();
    store
        .with(|c| {
            for (product, item) in PRODUCTS {
                agreement_sync_core::store::mappings::set_product(
                    c,
                    product,
                    item,
                    "2026-11-24T11:00:00Z",
                )?;
            }
            Ok(())
        })
        .unwrap();
    let s = session(sim, store);
    s.reconcile_reaching(PriceSource::CloudMarketplace, Reach::AllActive, &|_| {})
        .await
        .expect("the first reconcile");
    s
}

#[tokio::test]
async fn a_customer_mapped_in_place_online_reads_its_company_and_shows_what_connectwise_bills() {
    let sim = support::sim().await;
    let s = first_reconcile_products_mapped(&sim).await;
    let c = s
        .map_reconcile_customer("1000048920".into(), 269)
        .await
        .unwrap();
    use Outcome::*;
    let e = |s: &str| Some(s.to_owned());
    let mut found: Vec<(String, String, Outcome, Option<String>)> = c
        .products
        .into_iter()
        .map(|p| (p.product_name, p.per, p.outcome, p.effect))
        .collect();
    found.sort();
    // As the whole book reads Pinecrest (the_demo_worlds_drift_reads_exactly_as_seeded).
    #[rustfmt::skip]
    let expected = vec![
        ("Exchange Online (Plan 1)".to_owned(), "month".to_owned(), Duplicate, e("-20.00")),
        ("Microsoft 365 Apps for business (annual)".to_owned(), "year".to_owned(), StillBilling, e("-198.00")),
        ("Microsoft 365 Business Premium".to_owned(), "month".to_owned(), PriceDiffers, e("+10.00")),
        ("Power BI Pro".to_owned(), "month".to_owned(), Unmapped, None),
    ];
    assert_eq!(found, expected);
    assert!(
        !c.recurring.iter().any(|r| r.connectwise == "0.00"),
        "{:?}",
        c.recurring
    );
    // The book says the same at once.
    let book = s.reconcile_book(BookQuery::default()).await.unwrap();
    let row = book
        .rows
        .iter()
        .find(|r| r.customer_id == "1000048920")
        .unwrap();
    assert_eq!(row.drift_count, 3, "{row:?}");
    assert_eq!(row.unmapped_count, 1, "{row:?}");
    assert_eq!(row.not_read_count, 0, "{row:?}");
}

#[tokio::test]
async fn a_customer_mapped_in_place_offline_is_not_compared_until_its_additions_are_read() {
    let sim = support::sim().await;
    let s = first_reconcile_products_mapped(&sim).await;
    sim.shutdown();
    let c = s
        .map_reconcile_customer("1000048920".into(), 269)
        .await
        .expect("the mapping is kept offline");
    assert_eq!(c.company_name.as_deref(), Some("Pinecrest Dental Studio"));
    let mapped: Vec<_> = c
        .products
        .iter()
        .filter(|p| p.product_name != "Power BI Pro")
        .collect();
    assert_eq!(mapped.len(), 3);
    for p in mapped {
        assert_eq!(p.outcome, Outcome::NotRead, "{p:?}");
        assert_eq!(p.effect, None, "{p:?}");
        assert!(
            p.words.starts_with("Not compared yet")
                && p.words.contains("ConnectWise's additions")
                && p.words.contains("not read"),
            "{}",
            p.words
        );
    }
    // Nothing claims ConnectWise bills 0.00.
    assert!(c.recurring.is_empty(), "{:?}", c.recurring);
    let book = s.reconcile_book(BookQuery::default()).await.unwrap();
    let row = book
        .rows
        .iter()
        .find(|r| r.customer_id == "1000048920")
        .unwrap();
    assert_eq!(row.drift_count, 0, "{row:?}");
    assert_eq!(row.not_read_count, 3, "{row:?}");
}
