//! The review wizard over the simulator's world, as the window drives it: mapping, agreement
//! choice, the plan, edits with validation, amounts, drafts that survive a restart — offline.

mod support;

use agreement_sync_core::session::{ProfileKind, Session};
use agreement_sync_core::store::{connectwise as cw_store, settings, Store};
use agreement_sync_core::view::{
    EditableField, Likeness, PriceSourceView, ReviewField, RowAction, SummaryProblem, WizardEdit,
    WizardView, WriteAction,
};

const GREEN_LANE_CHANGE: &str = "1000231";

async fn checked_session(path: &std::path::Path) -> (Session, agreement_sync_sim::SimHandle) {
    let sim = support::sim().await;
    let s = Session::new(
        "Demo",
        ProfileKind::Demo,
        "/tmp/nowhere",
        Store::open(path).unwrap(),
        support::marketplace(&sim),
        support::connectwise(&sim),
    )
    .with_clock(support::clock());
    s.check_changes(&|_| {}).await.unwrap();
    (s, sim)
}

async fn edit(s: &Session, id: i64, e: WizardEdit) -> WizardView {
    s.edit_wizard(id, e).await.unwrap()
}

#[tokio::test]
async fn green_lane_from_mapping_to_summary_with_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let (s, sim) = checked_session(&path).await;
    sim.shutdown(); // the wizard works from the cache
    let id = support::task_id(&s, GREEN_LANE_CHANGE).await;

    let v = s.open_wizard(id).await.unwrap();
    assert_eq!(v.customer.company, None);
    assert_eq!(
        v.customer.suggestions[0].id, 250,
        "{:?}",
        v.customer.suggestions
    );
    assert!(v.problems.iter().any(|p| p.field == ReviewField::Company));
    assert!(v.connectwise_fetched_at.is_some());

    let v = support::accept_suggestions(&s, id).await;
    let agreements = v.agreements.as_ref().unwrap();
    assert_eq!(
        agreements.chosen,
        Some(4127),
        "exactly one fits: preselected"
    );
    let reason = |id: i64| {
        agreements
            .options
            .iter()
            .find(|o| o.id == id)
            .unwrap()
            .reason
            .clone()
    };
    assert_eq!(
        reason(4128).as_deref(),
        Some("Yearly — subscription is Monthly")
    );
    assert_eq!(reason(4129).as_deref(), Some("EUR — subscription is USD"));
    assert!(v.problems.is_empty(), "{:?}", v.problems);

    let plan = v.plan.as_ref().unwrap();
    let actions: Vec<RowAction> = plan
        .rows
        .iter()
        .filter(|r| r.action != RowAction::Unchanged)
        .map(|r| r.action)
        .collect();
    assert_eq!(
        actions,
        [
            RowAction::Cancel,
            RowAction::Add,
            RowAction::Prorate,
            RowAction::Cancel,
            RowAction::Add,
            RowAction::Prorate
        ]
    );
    assert_eq!(
        (
            plan.summary.prorated.as_str(),
            plan.summary.recurring_before.as_str(),
            plan.summary.recurring_after.as_str()
        ),
        ("51.00", "634.00", "736.00")
    );
    assert_eq!(plan.summary.writes.len(), 6);
    assert_eq!(plan.effective_date_not_used, None);
    let cancel = plan
        .rows
        .iter()
        .find(|r| r.action == RowAction::Cancel)
        .unwrap();
    assert_eq!(
        cancel.stops.as_deref(),
        Some("stops 440.00 / period from 2026-11-16"),
        "a cancel row says what stops, not an amount billed"
    );
    assert!(plan.summary.writes[0]
        .description
        .ends_with("cancel on 2026-11-15 — stops 440.00 USD / period"));
    assert_eq!(
        (
            plan.summary.agreement_name.as_str(),
            plan.summary.company_name.as_str()
        ),
        ("Green Lane - Microsoft 365", "Green Lane LLC")
    );
    assert_eq!(plan.summary.proration_warning, None);

    // Edit one quantity: amounts recompute.
    let add_bp = plan
        .rows
        .iter()
        .find(|r| r.action == RowAction::Add && r.unit_price == "22.00")
        .unwrap()
        .key
        .clone();
    let v = edit(
        &s,
        id,
        WizardEdit::EditRow {
            row_key: add_bp.clone(),
            field: EditableField::Quantity,
            value: "30".into(),
        },
    )
    .await;
    let plan = v.plan.as_ref().unwrap();
    let row = plan.rows.iter().find(|r| r.key == add_bp).unwrap();
    assert_eq!(
        (row.quantity.as_str(), row.ext_price.as_str()),
        ("30", "660.00")
    );
    assert_eq!(row.edited, vec![EditableField::Quantity]);
    assert_eq!(plan.summary.recurring_after, "846.00");

    // An invalid edit is kept as typed, named, and blocks Sync.
    let v = edit(
        &s,
        id,
        WizardEdit::EditRow {
            row_key: add_bp.clone(),
            field: EditableField::Quantity,
            value: "-3".into(),
        },
    )
    .await;
    let row = v
        .plan
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .find(|r| r.key == add_bp)
        .unwrap()
        .clone();
    assert_eq!((row.quantity.as_str(), row.ext_price.as_str()), ("-3", ""));
    let problem = v
        .problems
        .iter()
        .find(|p| p.row_key.as_deref() == Some(add_bp.as_str()))
        .expect("problem");
    assert_eq!(problem.field, ReviewField::Quantity);
    assert!(problem.message.contains("more than 0"));
    let v = edit(
        &s,
        id,
        WizardEdit::EditRow {
            row_key: add_bp.clone(),
            field: EditableField::UnitPrice,
            value: "22.1234567".into(),
        },
    )
    .await;
    assert!(v
        .problems
        .iter()
        .any(|p| p.field == ReviewField::UnitPrice && p.message.contains("at most 6")));
    let v = edit(
        &s,
        id,
        WizardEdit::ResetRow {
            row_key: add_bp.clone(),
        },
    )
    .await;
    assert!(v.problems.is_empty(), "{:?}", v.problems);

    // Cancel date before effective date.
    let v = edit(
        &s,
        id,
        WizardEdit::EditRow {
            row_key: add_bp.clone(),
            field: EditableField::CancelDate,
            value: "2020-01-01".into(),
        },
    )
    .await;
    assert!(v
        .problems
        .iter()
        .any(|p| p.field == ReviewField::CancelDate
            && p.message.contains("before the effective date")));
    edit(
        &s,
        id,
        WizardEdit::ResetRow {
            row_key: add_bp.clone(),
        },
    )
    .await;

    // Price source ConnectWise for all: no prorating, said why.
    let v = edit(
        &s,
        id,
        WizardEdit::SetPriceSourceAll {
            source: PriceSourceView::ConnectWise,
        },
    )
    .await;
    let plan = v.plan.as_ref().unwrap();
    assert!(plan.rows.iter().all(|r| r.action != RowAction::Prorate));
    assert_eq!(plan.summary.prorated, "0.00");
    assert!(plan
        .notes
        .iter()
        .any(|n| n.contains("only for Cloud Marketplace prices")));
    let v = edit(
        &s,
        id,
        WizardEdit::SetPriceSourceAll {
            source: PriceSourceView::CloudMarketplace,
        },
    )
    .await;
    assert_eq!(v.plan.as_ref().unwrap().summary.prorated, "51.00");

    // Deselect the downgrade credit.
    let credit = v
        .plan
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .find(|r| r.action == RowAction::Prorate && r.quantity == "-2")
        .unwrap()
        .key
        .clone();
    let v = edit(
        &s,
        id,
        WizardEdit::SelectRow {
            row_key: credit,
            selected: false,
        },
    )
    .await;
    assert_eq!(v.plan.as_ref().unwrap().summary.prorated, "55.00");
    assert_eq!(v.plan.as_ref().unwrap().summary.writes.len(), 5);

    // Refused outright: an agreement that does not fit, an unknown field.
    let err = s
        .edit_wizard(id, WizardEdit::ChooseAgreement { agreement_id: 4128 })
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("Yearly — subscription is Monthly"),
        "{err}"
    );
    // A field that cannot be edited cannot even be said: the window's message is refused whole.
    let not_editable = serde_json::json!({
        "kind": "editRow", "rowKey": add_bp, "field": "agreementId", "value": "1"
    });
    assert!(serde_json::from_value::<WizardEdit>(not_editable).is_err());

    // The draft survives a restart.
    let before = s.open_wizard(id).await.unwrap();
    drop(s);
    let reopened = Session::new(
        "Demo",
        ProfileKind::Demo,
        "/tmp/nowhere",
        Store::open(&path).unwrap(),
        support::marketplace(&sim),
        support::connectwise(&sim),
    )
    .with_clock(support::clock());
    assert_eq!(reopened.open_wizard(id).await.unwrap(), before);
}

#[tokio::test]
async fn a_company_without_a_fitting_agreement_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _sim) = checked_session(&dir.path().join("c.sqlite")).await;
    let id = support::task_id(&s, "1000225").await; // Contoso: quarterly USD and monthly EUR only
    let v = support::accept_suggestions(&s, id).await;
    let step = v.agreements.as_ref().unwrap();
    assert!(step.options.iter().all(|o| !o.fits), "{:?}", step.options);
    assert_eq!(step.chosen, None);
    assert!(
        step.message
            .as_deref()
            .unwrap()
            .contains("Create such an agreement"),
        "{:?}",
        step.message
    );
    assert!(v.plan.is_none());
    assert!(v.problems.iter().any(|p| p.field == ReviewField::Agreement));
}

#[tokio::test]
async fn a_sales_order_adds_and_prorates() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _sim) = checked_session(&dir.path().join("c.sqlite")).await;
    let id = support::task_id(&s, "1000233").await; // Summit Ridge: sales order
    let v = support::accept_suggestions(&s, id).await;
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let plan = v.plan.as_ref().unwrap();
    assert!(plan.rows.iter().any(|r| r.action == RowAction::Add));
    assert!(plan
        .summary
        .writes
        .iter()
        .all(|w| w.kind == WriteAction::CreateAddition));
    let amount = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    let added: rust_decimal::Decimal = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Add && r.cancel_date.is_empty())
        .map(|r| amount(&r.ext_price))
        .sum();
    assert!(added > rust_decimal::Decimal::ZERO);
    assert_eq!(
        amount(&plan.summary.recurring_after) - amount(&plan.summary.recurring_before),
        added
    );
}

#[tokio::test]
async fn catalog_prices_read_like_the_plan_s_prices() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _sim) = checked_session(&dir.path().join("cache.sqlite")).await;
    let items = s.search_catalog(String::new()).await.unwrap();
    assert!(items.len() > 3);
    for item in items.iter().filter(|i| !i.price.is_empty()) {
        let places = item.price.split_once('.').map_or(0, |(_, f)| f.len());
        assert!(places >= 2, "{} shows {:?}", item.identifier, item.price);
    }
    assert!(items.iter().any(|i| i.price == "4.50"), "{items:?}");
}

#[tokio::test]
async fn a_billing_order_shows_its_usage_as_a_one_time_charge_for_the_closed_period() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _sim) = checked_session(&dir.path().join("cache.sqlite")).await;
    let id = support::task_id(&s, "1000240").await; // Green Lane: Azure plan usage
    let v = support::accept_suggestions(&s, id).await;
    let plan = v.plan.as_ref().expect("a plan");
    let usage = plan
        .rows
        .iter()
        .find(|r| r.key.starts_with("usage:"))
        .expect("a usage row");
    let note = usage.note.as_deref().unwrap_or_default();
    assert!(
        note.contains("included") && note.contains("closed period"),
        "{note}"
    );
    assert_eq!(plan.summary.prorated, "0.00");
    assert_eq!(plan.summary.one_time, usage.ext_price);
    assert!(
        plan.effective_date_not_used.is_some(),
        "the order's date field would show another day than the row"
    );
    assert!(plan.summary.writes[0]
        .description
        .ends_with("(one-time) = 45.63"));
    assert_ne!(plan.summary.one_time, "0.00");
}

#[tokio::test]
async fn the_wizard_suggests_from_the_companies_the_latest_refresh_cached() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _sim) = checked_session(&dir.path().join("c.sqlite")).await;
    let id = support::task_id(&s, GREEN_LANE_CHANGE).await;
    let v = s.open_wizard(id).await.unwrap();
    assert_eq!(v.customer.suggestions[0].id, 250);
    let search = s.search_companies(id, "green".into()).await.unwrap();
    assert_eq!(search[0].id, 250);

    // A refresh lands with Green Lane under another id.
    s.store()
        .with(|c| {
            let mut companies = cw_store::companies(c)?;
            for company in companies.iter_mut().filter(|c| c.id == 250) {
                company.id = 777;
            }
            cw_store::replace_companies(c, &companies, "2026-11-24T13:00:00Z")?;
            settings::set(c, settings::CW_REFRESHED_AT, "2026-11-24T13:00:00Z")
        })
        .unwrap();
    let v = s.open_wizard(id).await.unwrap();
    assert_eq!(v.customer.suggestions[0].id, 777);
    assert_eq!(
        v.connectwise_fetched_at.as_deref(),
        Some("2026-11-24T13:00:00Z")
    );
    let search = s.search_companies(id, "green".into()).await.unwrap();
    assert_eq!(search[0].id, 777);
    let v = edit(&s, id, WizardEdit::MapCustomer { company_id: 777 }).await;
    assert_eq!(v.customer.company.map(|c| c.id), Some(777));
    let refused = s
        .edit_wizard(id, WizardEdit::MapCustomer { company_id: 250 })
        .await;
    assert!(refused.is_err(), "250 is no longer cached: {refused:?}");

    // The next Check Changes that reads the companies whole (the last whole read forgotten)
    // brings ConnectWise's companies back.
    s.store()
        .with(|c| settings::remove(c, settings::CW_FULL_REFRESH_AT))
        .unwrap();
    s.check_changes(&|_| {}).await.unwrap();
    let v = s.open_wizard(id).await.unwrap();
    assert!(v.customer.suggestions.iter().any(|c| c.id == 250));
    assert!(v.customer.suggestions.iter().all(|c| c.id != 777));
}

#[tokio::test]
async fn on_a_euro_agreement_catalog_prices_in_dollars_are_refused_for_the_row_with_why() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _sim) = checked_session(&dir.path().join("c.sqlite")).await;
    let id = support::task_id(&s, "1000220").await; // Müller & Söhne: a sales order in EUR
    let v = support::accept_suggestions(&s, id).await;
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert_eq!(v.plan.as_ref().unwrap().summary.currency, "EUR");
    let v = edit(
        &s,
        id,
        WizardEdit::SetPriceSourceAll {
            source: PriceSourceView::ConnectWise,
        },
    )
    .await;
    let plan = v.plan.as_ref().unwrap();
    let added: Vec<_> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Add || r.action == RowAction::Prorate)
        .collect();
    assert!(!added.is_empty());
    for r in added {
        // Demo's ConnectWise company bills in USD: its 4.50 is never written as 4.50 EUR.
        assert_eq!(r.price_source, PriceSourceView::CloudMarketplace, "{r:?}");
        assert_ne!(r.unit_price, "4.50", "{r:?}");
        assert!(
            r.note.as_deref().is_some_and(|n| n.contains(
                "ConnectWise's catalog prices are in USD and this agreement bills in EUR"
            )),
            "{:?}",
            r.note
        );
    }
}

/// The Business Premium addition of Green Lane's Change Order, everything mapped.
async fn green_lane_planned(s: &Session) -> (i64, String) {
    let id = support::task_id(s, GREEN_LANE_CHANGE).await;
    let v = support::accept_suggestions(s, id).await;
    let add_bp = v
        .plan
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .find(|r| r.action == RowAction::Add && r.product_name == "Microsoft 365 Business Premium")
        .unwrap()
        .key
        .clone();
    (id, add_bp)
}

#[tokio::test]
async fn with_problems_the_summary_lists_them_where_they_are_and_no_amounts() {
    let dir = tempfile::tempdir().unwrap();
    let (s, sim) = checked_session(&dir.path().join("cache.sqlite")).await;
    sim.shutdown();
    let (id, add_bp) = green_lane_planned(&s).await;

    // Quantity “abc” is refused: the plan still holds the planned 25, which is not what was
    // typed, so the Summary shows no amount and no write — only the problem, where it is.
    let v = edit(
        &s,
        id,
        WizardEdit::EditRow {
            row_key: add_bp.clone(),
            field: EditableField::Quantity,
            value: "abc".into(),
        },
    )
    .await;
    let summary = &v.plan.as_ref().unwrap().summary;
    assert!(!summary.ready);
    assert_eq!(
        [
            summary.prorated.as_str(),
            summary.one_time.as_str(),
            summary.recurring_before.as_str(),
            summary.recurring_after.as_str()
        ],
        [""; 4]
    );
    assert!(summary.writes.is_empty(), "{:?}", summary.writes);
    assert!(summary.written.is_empty() && summary.already.is_none());
    assert_eq!(
        summary.problems,
        [SummaryProblem {
            row_key: Some(add_bp.clone()),
            field: ReviewField::Quantity,
            place: "Microsoft 365 Business Premium, new addition — Quantity".into(),
            message: "Quantity must be a number, not “abc”.".into(),
        }]
    );

    // A problem of the task is listed too, named by its field.
    let v = edit(
        &s,
        id,
        WizardEdit::SetEffectiveDate {
            value: "2026-13-01".into(),
        },
    )
    .await;
    let places: Vec<(&str, ReviewField)> = v
        .plan
        .as_ref()
        .unwrap()
        .summary
        .problems
        .iter()
        .map(|p| (p.place.as_str(), p.field))
        .collect();
    assert_eq!(
        places,
        [
            ("Effective date", ReviewField::EffectiveDate),
            (
                "Microsoft 365 Business Premium, new addition — Quantity",
                ReviewField::Quantity
            ),
        ]
    );

    // Both fixed: the amounts and the writes are back.
    edit(&s, id, WizardEdit::ResetRow { row_key: add_bp }).await;
    let v = edit(
        &s,
        id,
        WizardEdit::SetEffectiveDate {
            value: "2026-11-16".into(),
        },
    )
    .await;
    let summary = &v.plan.as_ref().unwrap().summary;
    assert!(summary.problems.is_empty(), "{:?}", summary.problems);
    assert!(summary.ready);
    assert_eq!(
        (
            summary.prorated.as_str(),
            summary.recurring_before.as_str(),
            summary.recurring_after.as_str()
        ),
        ("51.00", "634.00", "736.00")
    );
    assert_eq!(summary.writes.len(), 6);
}

#[tokio::test]
async fn saved_edits_that_cannot_be_read_leave_the_summary_with_that_problem() {
    let dir = tempfile::tempdir().unwrap();
    let (s, sim) = checked_session(&dir.path().join("cache.sqlite")).await;
    sim.shutdown();
    let (id, _) = green_lane_planned(&s).await;
    // An older version's draft, in a shape this one does not read.
    s.store()
        .with(move |c| {
            c.execute(
                "UPDATE drafts SET body = '{\"rows\": \"from an older version\"}' WHERE task_id = ?1",
                [id],
            )?;
            Ok(())
        })
        .unwrap();
    let v = s.open_wizard(id).await.unwrap();
    let summary = &v.plan.as_ref().expect("planned without the edits").summary;
    assert!(v.problems.iter().any(|p| p.field == ReviewField::Draft));
    assert!(!summary.ready);
    assert!(summary.writes.is_empty());
    assert_eq!(summary.recurring_after, "");
    assert_eq!(summary.problems.len(), v.problems.len());
}

#[tokio::test]
async fn suggestions_below_the_line_are_guesses() {
    let dir = tempfile::tempdir().unwrap();
    let (s, sim) = checked_session(&dir.path().join("cache.sqlite")).await;
    sim.shutdown();
    let id = support::task_id(&s, GREEN_LANE_CHANGE).await;
    let v = s.open_wizard(id).await.unwrap();
    let companies: Vec<(i64, Option<Likeness>)> = v
        .customer
        .suggestions
        .iter()
        .map(|c| (c.id, c.likeness))
        .collect();
    // Green Lane LLC itself; Green Leaf Landscaping and Greenlane Property Management only
    // begin alike.
    assert_eq!(companies[0], (250, Some(Likeness::Match)));
    assert!(companies[1..]
        .iter()
        .all(|(_, l)| *l == Some(Likeness::Guess)));
    assert!(v.customer.suggestions.iter().any(|c| c.id == 251));

    let v = edit(&s, id, WizardEdit::MapCustomer { company_id: 250 }).await;
    let exchange = v
        .plan
        .as_ref()
        .unwrap()
        .products
        .iter()
        .find(|m| m.name == "Exchange Online (Plan 1)")
        .unwrap();
    let items: Vec<(&str, Option<Likeness>)> = exchange
        .suggestions
        .iter()
        .map(|c| (c.identifier.as_str(), c.likeness))
        .collect();
    assert_eq!(items[0], ("EXO-P1", Some(Likeness::Match)));
    assert!(
        items[1..].iter().all(|(_, l)| *l == Some(Likeness::Guess)),
        "{items:?}"
    );
    // A search result without a score says nothing of likeness.
    let found = s.search_catalog("EXO".into()).await.unwrap();
    assert!(found
        .iter()
        .all(|c| c.score.is_none() && c.likeness.is_none()));
}

/// An edit is applied to the task as loaded once, and what it answers is exactly what the
/// wizard shows when it opens the task afresh — after mapping the customer (to another company
/// and back), a product, choosing the agreement, editing, selecting and resetting rows.
#[tokio::test]
async fn every_edit_answers_what_a_fresh_open_shows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let (s, sim) = checked_session(&path).await;
    sim.shutdown(); // the wizard works from the cache
    let (id, add_bp) = green_lane_planned(&s).await;
    let v = s.open_wizard(id).await.unwrap();
    let product = v.plan.as_ref().unwrap().products[0].clone();
    let other_catalog = product
        .suggestions
        .iter()
        .map(|c| c.id)
        .find(|c| Some(*c) != product.catalog.as_ref().map(|m| m.id))
        .unwrap();
    let edits = [
        WizardEdit::MapCustomer { company_id: 251 },
        WizardEdit::MapCustomer { company_id: 250 },
        WizardEdit::ChooseAgreement { agreement_id: 4127 },
        WizardEdit::MapProduct {
            product_key: product.product_key.clone(),
            catalog_id: other_catalog,
        },
        WizardEdit::EditRow {
            row_key: add_bp.clone(),
            field: EditableField::Quantity,
            value: "30".into(),
        },
        WizardEdit::EditRow {
            row_key: add_bp.clone(),
            field: EditableField::UnitPrice,
            value: "abc".into(),
        },
        WizardEdit::SelectRow {
            row_key: add_bp.clone(),
            selected: false,
        },
        WizardEdit::SetPriceSourceAll {
            source: PriceSourceView::ConnectWise,
        },
        WizardEdit::ResetRow {
            row_key: add_bp.clone(),
        },
        WizardEdit::ResetTask,
    ];
    for e in edits {
        let answered = edit(&s, id, e.clone()).await;
        let opened = s.open_wizard(id).await.unwrap();
        assert_eq!(answered, opened, "after {e:?}");
    }
}
