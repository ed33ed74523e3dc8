//! Reconcile's operations on the open profile. They are the context's
//! (`impl Context`), written with their feature; a session derefs to its context.

use crate::batch::SavedFile;
use crate::context::Context;
use crate::error::{Error, ErrorField, Result};
use crate::plan::PriceSource;
use crate::reconcile::present::{BookQuery, BookView, CustomerView, FixResult, ReconcileProgress};
use crate::reconcile::{self, run::Reach, run::Reconciler};
use crate::turn::Work;
use crate::view::{CatalogOption, CompanyOption};

/// Reconcile's operations on the open profile.
impl Context {
    /// Reconciles the whole book (SPEC §13): the ConnectWise data refreshed as Check Changes
    /// does (with the additions of every mapped customer's company), the subscriptions of every
    /// customer the app knows of read with progress, each customer compared and kept with its
    /// time. Shares Check Changes' turn: one of them runs at a time.
    pub async fn reconcile(
        &self,
        price_source: PriceSource,
        progress: &(dyn Fn(ReconcileProgress) + Send + Sync),
    ) -> Result<BookView> {
        self.reconcile_reaching(price_source, Reach::KnownCustomers, progress)
            .await
    }

    /// Reconciles the customers `reach` says: those the app knows of, or (a new profile's first
    /// day) every customer of the whole subscription list with an active subscription.
    pub async fn reconcile_reaching(
        &self,
        price_source: PriceSource,
        reach: Reach,
        progress: &(dyn Fn(ReconcileProgress) + Send + Sync),
    ) -> Result<BookView> {
        let _turn = self
            .turn
            .checking
            .take(Work::Reconcile)
            .map_err(|running| Work::Reconcile.refused_by(running, ErrorField::Reconcile))?;
        let reconciler = Reconciler {
            marketplace: self.marketplace()?,
            connectwise: self.connectwise()?,
            store: &self.store,
            clock: &self.clock,
            progress,
        };
        let result = reconcile::run::reconcile_all(&reconciler, price_source, reach).await;
        // The refresh may have replaced the companies and catalog.
        self.directory.forget();
        self.observe(&result);
        result
    }

    /// Compares the cached subscriptions again with the cached ConnectWise data and mappings
    /// (after a mapping is made, or with the other price source), offline.
    pub async fn recompare(&self, price_source: PriceSource) -> Result<BookView> {
        let now = self.clock.now_text();
        let settings = reconcile::Settings {
            today: self.clock.today(),
            price_source,
        };
        self.store
            .call(move |c| {
                reconcile::run::compare_cached(c, settings, &now)?;
                reconcile::run::book(c, &BookQuery::default(), &now)
            })
            .await
    }

    /// The last reconciled book from the cache (offline too), filtered by `query`.
    pub async fn reconcile_book(&self, query: BookQuery) -> Result<BookView> {
        let now = self.clock.now_text();
        self.store
            .call(move |c| reconcile::run::book(c, &query, &now))
            .await
    }

    /// A customer of the last reconciled book, product by product (offline too).
    pub async fn reconcile_customer(&self, customer_id: String) -> Result<CustomerView> {
        let now = self.clock.now_text();
        self.store
            .call(move |c| reconcile::run::customer(c, &customer_id, &now))
            .await
    }

    /// Turns product lines of a customer's last reconcile into reconcile-fix tasks (SPEC §13),
    /// from the cache (offline too: they are drafts until synced).
    pub async fn fix_reconcile(
        &self,
        customer_id: String,
        line_keys: Vec<String>,
    ) -> Result<FixResult> {
        let now = self.clock.now();
        self.store
            .call(move |c| reconcile::run::create_fixes(c, &customer_id, &line_keys, now))
            .await
    }

    /// The price source the last reconcile compared with.
    pub async fn reconcile_price_source(&self) -> Result<PriceSource> {
        self.store
            .call(|c| reconcile::run::last_price_source(c))
            .await
    }

    /// How a comparison after a mapping is made: today, with the last reconcile's price source.
    fn compare_settings(
        c: &rusqlite::Connection,
        today: chrono::NaiveDate,
    ) -> Result<reconcile::Settings> {
        Ok(reconcile::Settings {
            today,
            price_source: reconcile::run::last_price_source(c)?,
        })
    }

    /// ConnectWise companies for a reconciled customer, best match first (containing `text`
    /// when it is set).
    pub async fn reconcile_companies(
        &self,
        customer_id: String,
        text: String,
    ) -> Result<Vec<CompanyOption>> {
        let directory = self.directory.clone();
        self.store
            .call(move |c| {
                reconcile::map::company_options(c, &directory.get(c)?, &customer_id, &text)
            })
            .await
    }

    /// Catalog items for a product of a reconciled customer, best match first (containing
    /// `text` when it is set).
    pub async fn reconcile_catalog(
        &self,
        customer_id: String,
        product_key: String,
        text: String,
    ) -> Result<Vec<CatalogOption>> {
        let directory = self.directory.clone();
        self.store
            .call(move |c| {
                reconcile::map::catalog_options(
                    c,
                    &directory.get(c)?,
                    &customer_id,
                    &product_key,
                    &text,
                )
            })
            .await
    }

    /// Maps a reconciled customer to a company (kept, as the wizard keeps it), compares the
    /// cache again (offline) and returns the customer.
    pub async fn map_reconcile_customer(
        &self,
        customer_id: String,
        company_id: i64,
    ) -> Result<CustomerView> {
        let now = self.clock.now_text();
        let today = self.clock.today();
        let directory = self.directory.clone();
        let id = customer_id.clone();
        let at = now.clone();
        self.store
            .call(move |c| {
                let directory = directory.get(c)?;
                reconcile::map::map_company(c, &directory, &id, company_id, &at)
            })
            .await?;
        // What the company's agreements hold is read now, so the comparison that follows is
        // made from it; offline, its products read Not compared yet.
        if let Ok(cw) = self.connectwise() {
            let read =
                reconcile::run::read_company_additions(cw, &self.store, company_id, &now).await;
            self.observe(&read);
            if let Err(e) = read {
                tracing::info!(
                    company_id,
                    "the mapped company's additions were not read: {e}"
                );
            }
        }
        self.store
            .call(move |c| {
                let settings = Self::compare_settings(c, today)?;
                reconcile::map::compare_customer(c, &customer_id, settings, &now)
            })
            .await
    }

    /// Maps a product of a reconciled customer to a catalog item (for every customer), compares
    /// the cache again (offline) and returns the customer.
    pub async fn map_reconcile_product(
        &self,
        customer_id: String,
        product_key: String,
        catalog_id: i64,
    ) -> Result<CustomerView> {
        let now = self.clock.now_text();
        let today = self.clock.today();
        let directory = self.directory.clone();
        self.store
            .call(move |c| {
                let settings = Self::compare_settings(c, today)?;
                let directory = directory.get(c)?;
                reconcile::map::map_product(
                    c,
                    &directory,
                    &customer_id,
                    &product_key,
                    catalog_id,
                    settings,
                    &now,
                )
            })
            .await
    }

    /// Refuses an export of the customers `query` shows when there are none, before anyone is
    /// asked where to save it.
    pub async fn reconcile_csv_ready(&self, query: &BookQuery) -> Result<()> {
        let now = self.clock.now_text();
        let query = query.clone();
        let customers = self
            .store
            .call(move |c| reconcile::run::report(c, &query, &now))
            .await?;
        reconcile::csv::refuse_empty(&customers)
    }

    /// Saves the customers of the book `query` shows as a CSV report to `to`.
    pub async fn save_reconcile_csv(
        &self,
        query: BookQuery,
        to: impl Into<crate::saving::Destination>,
    ) -> Result<SavedFile> {
        let to = to.into();
        let now = self.clock.now_text();
        let today = self.clock.today();
        let customers = self
            .store
            .call(move |c| reconcile::run::report(c, &query, &now))
            .await?;
        tokio::task::spawn_blocking(move || reconcile::csv::save(&customers, &to, today))
            .await
            .map_err(|e| {
                Error::File(format!(
                    "The CSV could not be saved: its writing stopped ({e})."
                ))
            })?
    }
}
