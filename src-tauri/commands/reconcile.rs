//! Reconcile: the whole book against the marketplace (SPEC §13), its customers, the mappings
//! made from it and its CSV report.

use agreement_sync_core::batch::SavedFile;
use agreement_sync_core::reconcile::present::{
    BookQuery, BookView, CustomerView, FixResult, ReconcileProgress,
};
use agreement_sync_core::reconcile::run::Reach;
use agreement_sync_core::view::{CatalogOption, CompanyOption, PriceSourceView};
use agreement_sync_core::wizard;

use super::{CommandResult, Progress};
use crate::state::AppState;

/// Reconciles the book with the last price source, reporting on `on_progress`. With
/// `all_active`, the whole subscription list is read (every customer with an active
/// subscription), else the customers the app knows of.
pub async fn reconcile(
    state: &AppState,
    on_progress: Progress<ReconcileProgress>,
    all_active: bool,
) -> CommandResult<BookView> {
    let report = move |p: ReconcileProgress| on_progress.report(p);
    let session = state.session()?;
    let price_source = session.reconcile_price_source().await?;
    let reach = if all_active {
        Reach::AllActive
    } else {
        Reach::KnownCustomers
    };
    Ok(session
        .reconcile_reaching(price_source, reach, &report)
        .await?)
}

/// The last reconciled book from the cache (offline too).
pub async fn reconcile_book(state: &AppState, query: BookQuery) -> CommandResult<BookView> {
    Ok(state.session()?.reconcile_book(query).await?)
}

/// A customer of the last reconcile, product by product.
pub async fn reconcile_customer(
    state: &AppState,
    customer_id: String,
) -> CommandResult<CustomerView> {
    Ok(state.session()?.reconcile_customer(customer_id).await?)
}

/// Compares the cached subscriptions again with the cached ConnectWise data and mappings, with
/// the prices given (else the last ones).
pub async fn recompare(
    state: &AppState,
    price_source: Option<PriceSourceView>,
) -> CommandResult<BookView> {
    let session = state.session()?;
    let price_source = match price_source {
        Some(p) => wizard::source_from_view(p),
        None => session.reconcile_price_source().await?,
    };
    Ok(session.recompare(price_source).await?)
}

/// Turns drifted products of a customer into reconcile-fix tasks to review and sync.
pub async fn fix_reconcile(
    state: &AppState,
    customer_id: String,
    line_keys: Vec<String>,
) -> CommandResult<FixResult> {
    Ok(state
        .session()?
        .fix_reconcile(customer_id, line_keys)
        .await?)
}

pub async fn reconcile_companies(
    state: &AppState,
    customer_id: String,
    text: String,
) -> CommandResult<Vec<CompanyOption>> {
    Ok(state
        .session()?
        .reconcile_companies(customer_id, text)
        .await?)
}

pub async fn reconcile_catalog(
    state: &AppState,
    customer_id: String,
    product_key: String,
    text: String,
) -> CommandResult<Vec<CatalogOption>> {
    Ok(state
        .session()?
        .reconcile_catalog(customer_id, product_key, text)
        .await?)
}

pub async fn map_reconcile_customer(
    state: &AppState,
    customer_id: String,
    company_id: i64,
) -> CommandResult<CustomerView> {
    Ok(state
        .session()?
        .map_reconcile_customer(customer_id, company_id)
        .await?)
}

pub async fn map_reconcile_product(
    state: &AppState,
    customer_id: String,
    product_key: String,
    catalog_id: i64,
) -> CommandResult<CustomerView> {
    Ok(state
        .session()?
        .map_reconcile_product(customer_id, product_key, catalog_id)
        .await?)
}

/// Saves the customers the query shows as CSV in the download folder (the app's data folder
/// when there is none).
pub async fn save_reconcile_csv(
    state: &AppState,
    query: BookQuery,
) -> CommandResult<Option<SavedFile>> {
    state.session()?.reconcile_csv_ready(&query).await?;
    super::save_as(
        state,
        agreement_sync_core::reconcile::csv::file_name,
        |session, to| async move { session.save_reconcile_csv(query, to).await },
    )
    .await
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::mock_window::{channel, MockWindow};

    #[test]
    fn before_any_reconcile_the_book_is_empty_and_a_customer_says_to_reconcile_first() {
        // An empty book is refused before anyone is asked where to save it.
        let window = MockWindow::open_with(|state| {
            state.with_saver(crate::state::Saver::Dialog(std::sync::Arc::new(|_| {
                panic!("no save dialog for an empty book")
            })))
        });
        let book = window
            .invoke(
                "reconcile_book",
                json!({ "query": { "outcome": null, "search": "" } }),
            )
            .expect("the empty book");
        assert_eq!(book["customers"], 0);
        assert_eq!(book["lastReconciledAt"], json!(null));
        let refused = window
            .invoke("reconcile_customer", json!({ "customerId": "1000048531" }))
            .expect_err("nothing reconciled yet");
        assert_eq!(refused["code"], "notFound");
        assert!(
            refused["message"]
                .as_str()
                .is_some_and(|m| m.contains("reconcile the book first")),
            "{refused}"
        );
        let refused = window
            .invoke(
                "save_reconcile_csv",
                json!({ "query": { "outcome": null, "search": "" } }),
            )
            .expect_err("nothing to export");
        assert_eq!(refused["code"], "invalid");
    }

    #[test]
    fn demo_reconciled_from_the_window_maps_a_customer_and_exports_the_book() {
        let window = MockWindow::open();
        window
            .invoke(
                "check_changes",
                json!({ "onProgress": channel(1), "readConnectwiseWhole": false }),
            )
            .expect("Demo's Check Changes");
        let book = window
            .invoke(
                "reconcile",
                json!({ "onProgress": channel(2), "allActive": false }),
            )
            .expect("the book");
        assert_eq!(book["customers"], 15);
        // Nothing mapped yet: every product is Unmapped.
        let unmapped = book["counts"]
            .as_array()
            .expect("counts")
            .iter()
            .find(|c| c["outcome"] == "unmapped")
            .expect("an Unmapped count")
            .clone();
        assert!(unmapped["count"].as_u64().is_some_and(|n| n > 0));

        let companies = window
            .invoke(
                "reconcile_companies",
                json!({ "customerId": "1000048531", "text": "" }),
            )
            .expect("suggestions");
        assert_eq!(companies[0]["id"], 250);
        let customer = window
            .invoke(
                "map_reconcile_customer",
                json!({ "customerId": "1000048531", "companyId": 250 }),
            )
            .expect("mapped");
        assert_eq!(customer["companyName"], "Green Lane LLC");
        let key = customer["products"][0]["productKey"]
            .as_str()
            .expect("a product key")
            .to_owned();
        let items = window
            .invoke(
                "reconcile_catalog",
                json!({ "customerId": "1000048531", "productKey": key, "text": "" }),
            )
            .expect("catalog suggestions");
        let customer = window
            .invoke(
                "map_reconcile_product",
                json!({ "customerId": "1000048531", "productKey": key, "catalogId": items[0]["id"] }),
            )
            .expect("mapped");
        assert_ne!(customer["products"][0]["outcome"], "unmapped");

        let found = window
            .invoke(
                "reconcile_book",
                json!({ "query": { "outcome": null, "search": "green" } }),
            )
            .expect("found");
        assert_eq!(found["rows"].as_array().map(Vec::len), Some(1));
        assert_eq!(found["rows"][0]["companyName"], "Green Lane LLC");

        let saved = window
            .invoke(
                "save_reconcile_csv",
                json!({ "query": { "outcome": null, "search": "green" } }),
            )
            .expect("saved");
        let path = saved["path"].as_str().expect("a path");
        assert!(
            path.starts_with(window.state().download_dir().to_str().expect("a path")),
            "{path}"
        );
        let text = std::fs::read_to_string(path).expect("the CSV");
        assert_eq!(text.lines().count(), 1 + 3, "{text}");
        assert_eq!(saved["rows"], 3);

        let refused = window
            .invoke(
                "map_reconcile_customer",
                json!({ "customerId": "1000048531", "companyId": 1 }),
            )
            .expect_err("no such company");
        assert_eq!(refused["field"], "company");
    }
}
