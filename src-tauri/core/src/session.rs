//! One open profile: its cache, its service clients, and what the window asks of them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::clock::Clock;
use crate::http::RetryPolicy;

use crate::batch::{self, run::BatchSyncer};
use crate::batch::{
    BatchProgress, BatchResult, BoardView, BulkAction, InterruptedBatch, SavedFile, TaskSelection,
};
use crate::check::CheckProgress;
use crate::check::{check_changes, CheckOptions};
use crate::connectwise::ConnectWiseClient;
use crate::error::{Error, ErrorField, Result};
use crate::marketplace::MarketplaceClient;
use crate::plan::PriceSource;
use crate::reconcile::present::{BookQuery, BookView, CustomerView, FixResult, ReconcileProgress};
use crate::reconcile::{self, run::Reach, run::Reconciler};
use crate::review::{self, DirectoryCache};
use crate::store::{batches, checks, journal, settings, tasks, Store};
use crate::sync::apply::{self, Syncer};
use crate::turn::{Lane, Work};
use crate::view::{
    AppStatus, CatalogOption, CheckSummary, CompanyOption, Connectivity, SyncView, TaskDetailsView,
    TaskPage, TaskQuery, TaskRow, WizardEdit, WizardView,
};
use crate::{validate, wizard};

/// The furthest back a first Check Changes may read.
pub const MAX_FIRST_CHECK_DAYS: u32 = 365;

/// Whether a session is Demo mode (the built-in simulator) or a real profile's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKind {
    Demo,
    Real,
}

pub struct Session {
    profile_name: String,
    kind: ProfileKind,
    data_dir: String,
    store: Store,
    /// The clients, or why the profile cannot connect (a missing setting or credential).
    marketplace: Result<Arc<MarketplaceClient>>,
    connectwise: Result<Arc<ConnectWiseClient>>,
    connectivity: Mutex<Connectivity>,
    /// Check Changes or a reconcile: one at a time, and which one runs is known.
    checking: Lane,
    /// A sync or a batch sync: one at a time, and which one runs is known.
    syncing: Lane,
    check_options: CheckOptions,
    sync_backoff: RetryPolicy,
    clock: Clock,
    /// The cached companies and catalog with their suggestion indexes, between wizard calls.
    directory: Arc<DirectoryCache>,
    /// The batch whose sync runs now, and its Stop.
    batch_running: Mutex<Option<(i64, Arc<AtomicBool>)>>,
    /// Agreements a batch sync writes to at once.
    batch_concurrency: usize,
}

/// Clears the running batch when its sync ends, however it ends.
struct BatchRunning<'a>(&'a Mutex<Option<(i64, Arc<AtomicBool>)>>);

impl Drop for BatchRunning<'_> {
    fn drop(&mut self) {
        if let Ok(mut running) = self.0.lock() {
            *running = None;
        }
    }
}

impl Session {
    pub fn new(
        profile_name: impl Into<String>,
        kind: ProfileKind,
        data_dir: impl Into<String>,
        store: Store,
        marketplace: MarketplaceClient,
        connectwise: ConnectWiseClient,
    ) -> Self {
        Self::with_clients(
            profile_name,
            kind,
            data_dir,
            store,
            Ok(marketplace),
            Ok(connectwise),
        )
    }

    /// A session whose clients may be missing: the cache opens and reviews offline, and what
    /// needs a connection says why there is none.
    pub fn with_clients(
        profile_name: impl Into<String>,
        kind: ProfileKind,
        data_dir: impl Into<String>,
        store: Store,
        marketplace: Result<MarketplaceClient>,
        connectwise: Result<ConnectWiseClient>,
    ) -> Self {
        // No sync runs before this session exists: any left running was stopped with the app.
        match store.with(|c| journal::mark_interrupted(c, &crate::store::now_text())) {
            Ok(0) => {}
            Ok(n) => tracing::warn!("{n} sync(s) were interrupted when the app last stopped"),
            Err(e) => tracing::error!("could not look for interrupted syncs: {e}"),
        }
        match store.with(|c| batches::mark_interrupted(c, &crate::store::now_text())) {
            Ok(0) => {}
            Ok(n) => {
                tracing::warn!("{n} task(s) of a batch were syncing when the app last stopped")
            }
            Err(e) => tracing::error!("could not look for interrupted batches: {e}"),
        }
        // What the review reads from the cache to know which currency catalog prices are in.
        if let Ok(cw) = &connectwise {
            let code = cw.catalog_currency().unwrap_or_default().to_owned();
            if let Err(e) = store.with(|c| {
                crate::store::settings::set(c, crate::store::settings::CW_CATALOG_CURRENCY, &code)
            }) {
                tracing::error!("could not keep the catalog's currency: {e}");
            }
        }
        Session {
            profile_name: profile_name.into(),
            kind,
            data_dir: data_dir.into(),
            store,
            marketplace: marketplace.map(Arc::new),
            connectwise: connectwise.map(Arc::new),
            connectivity: Mutex::new(Connectivity::Unknown),
            checking: Lane::default(),
            syncing: Lane::default(),
            check_options: CheckOptions::default(),
            sync_backoff: RetryPolicy::default(),
            clock: Clock::system(),
            directory: Arc::default(),
            batch_running: Mutex::new(None),
            batch_concurrency: batch::run::CONCURRENCY,
        }
    }

    /// How many agreements a batch sync writes to at once (at least 1).
    pub fn with_batch_concurrency(mut self, n: usize) -> Self {
        self.batch_concurrency = n.max(1);
        self
    }

    /// The clock the session reads "now" from (tests and demos pin one).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The wait between sends of a write that did not happen (tests shorten it).
    pub fn with_sync_backoff(mut self, backoff: RetryPolicy) -> Self {
        self.sync_backoff = backoff;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn marketplace(&self) -> Result<&MarketplaceClient> {
        self.marketplace.as_deref().map_err(Clone::clone)
    }

    fn connectwise(&self) -> Result<&ConnectWiseClient> {
        self.connectwise.as_deref().map_err(Clone::clone)
    }

    /// What keeps the profile from being switched or changed right now, if anything.
    pub fn busy(&self) -> Option<String> {
        let running = self.checking.running().or(self.syncing.running())?;
        Some(format!("{} is running", running.words_within()))
    }

    fn connectivity(&self) -> Connectivity {
        self.connectivity
            .lock()
            .map(|c| c.clone())
            .unwrap_or(Connectivity::Unknown)
    }

    fn set_connectivity(&self, value: Connectivity) {
        if let Ok(mut c) = self.connectivity.lock() {
            *c = value;
        }
    }

    /// Notes what a call to the services says about the network.
    fn observe<T>(&self, result: &Result<T>) {
        match result {
            Ok(_) => self.set_connectivity(Connectivity::Online),
            Err(e) if e.is_offline() => self.set_connectivity(Connectivity::Offline {
                message: e.to_string(),
            }),
            // The service answered (with an error): it is reachable.
            Err(
                Error::Unauthorized { .. }
                | Error::Api { .. }
                | Error::BadResponse { .. }
                | Error::WebPage { .. }
                | Error::NotFound(_),
            ) => self.set_connectivity(Connectivity::Online),
            Err(_) => {}
        }
    }

    pub async fn status(&self) -> Result<AppStatus> {
        let (last_checked_at, last_summary, task_count, first_days, unfinished) = self
            .store
            .call(|c| {
                Ok((
                    settings::get(c, settings::LAST_CHECKED_AT)?,
                    checks::last(c)?,
                    tasks::count(c)?,
                    settings::get(c, settings::FIRST_CHECK_DAYS)?,
                    journal::interrupted(c)?,
                ))
            })
            .await?;
        Ok(AppStatus {
            profile_name: self.profile_name.clone(),
            demo: self.kind == ProfileKind::Demo,
            last_checked_at,
            last_summary,
            connectivity: self.connectivity(),
            task_count,
            first_check_days: first_days
                .and_then(|d| d.parse().ok())
                .unwrap_or(self.check_options.first_check_days as u32),
            data_dir: self.data_dir.clone(),
            unfinished_syncs: unfinished.into_iter().map(SyncView::from).collect(),
            now: self.clock.now_text(),
        })
    }

    pub async fn list_tasks(&self, query: TaskQuery, offset: u32, limit: u32) -> Result<TaskPage> {
        validate::search(&query.search)?;
        if limit == 0 || limit > tasks::MAX_WINDOW {
            return Err(Error::invalid(
                ErrorField::Limit,
                format!(
                    "Ask for between 1 and {} tasks at a time.",
                    tasks::MAX_WINDOW
                ),
            ));
        }
        let counts = self.store.task_counts();
        self.store
            .call(move |c| tasks::list_counted(c, &query, offset, limit, Some(&counts)))
            .await
    }

    /// A task with what its order changed, and whether the list searched and filtered by `query`
    /// shows it (the details of a task it hides offer no action).
    pub async fn task_details(&self, id: i64, query: TaskQuery) -> Result<TaskDetailsView> {
        validate::search(&query.search)?;
        self.store
            .call(move |c| tasks::details(c, id, &query))
            .await
    }

    pub async fn set_task_ignored(&self, id: i64, reason: Option<String>) -> Result<TaskRow> {
        let now = self.clock.now_text();
        self.store
            .call(move |c| tasks::set_ignored(c, id, reason.as_deref(), &now))
            .await
    }

    /// How far back the first Check Changes reads (1 to 365 days). Only the first check uses
    /// it; later checks read from the last order seen.
    pub async fn set_first_check_days(&self, days: u32) -> Result<()> {
        if !(1..=MAX_FIRST_CHECK_DAYS).contains(&days) {
            return Err(Error::invalid(
                ErrorField::FirstCheckDays,
                format!("The first check can read between 1 and {MAX_FIRST_CHECK_DAYS} days back."),
            ));
        }
        self.store
            .call(move |c| settings::set(c, settings::FIRST_CHECK_DAYS, &days.to_string()))
            .await
    }

    /// The review wizard of a task, from the cache (works offline); online, what the review
    /// needs and the cache lacks is read first (see [`Session::reading_what_is_missing`]).
    pub async fn open_wizard(&self, task_id: i64) -> Result<WizardView> {
        let directory = self.directory.clone();
        let view = self
            .store
            .call(move |c| wizard::open(c, task_id, &directory.get(c)?))
            .await?;
        self.reading_what_is_missing(task_id, view).await
    }

    /// A review whose chosen agreement's additions were never read (a customer mapped while
    /// ConnectWise could not be reached, a reconcile fix) reads them itself when ConnectWise can
    /// be reached, and is planned from them; otherwise it is returned as it is, saying they are
    /// not read yet — or, when ConnectWise answered with an error, why they could not be.
    async fn reading_what_is_missing(&self, task_id: i64, view: WizardView) -> Result<WizardView> {
        let Some(id) = view
            .agreements
            .as_ref()
            .and_then(|a| a.chosen)
            .filter(|_| view.plan.is_none())
        else {
            return Ok(view);
        };
        let unread = self
            .store
            .call(move |c| Ok(!crate::store::connectwise::additions_read(c)?.contains_key(&id)))
            .await?;
        let Ok(cw) = self.connectwise() else {
            return Ok(view);
        };
        if !unread {
            return Ok(view);
        }
        let result = apply::refresh_agreement(cw, &self.store, &self.clock, task_id).await;
        self.observe(&result);
        match result {
            Ok(read) => Ok(read),
            Err(e) if e.is_offline() => Ok(view),
            Err(e) => {
                tracing::warn!(
                    task_id,
                    agreement_id = id,
                    "the agreement could not be read: {e}"
                );
                // Shown as the review's own problem with the agreement, saying why.
                let directory = self.directory.clone();
                let why = e.to_string();
                self.store
                    .call(move |c| {
                        let mut loaded = review::load_with(c, task_id, directory.get(c)?)?;
                        loaded.additions_unreadable.insert(id, why);
                        wizard::build(&loaded)
                    })
                    .await
            }
        }
    }

    /// Applies one edit (validated in core), saves the draft, and returns the new state. An
    /// edit after which the task cannot be planned is refused and not saved.
    pub async fn edit_wizard(&self, task_id: i64, edit: WizardEdit) -> Result<WizardView> {
        let now = self.clock.now_text();
        let directory = self.directory.clone();
        let view = self
            .store
            .call(move |c| {
                let directory = directory.get(c)?;
                let tx = c.transaction()?;
                let mut loaded = review::load_with(&tx, task_id, directory)?;
                wizard::apply(&tx, &mut loaded, &edit, &now)?;
                // Planned before it is saved: when this fails, the transaction is dropped and
                // the draft stays as it was.
                let view = wizard::build(&loaded)?;
                tx.commit()?;
                Ok(view)
            })
            .await?;
        self.reading_what_is_missing(task_id, view).await
    }

    pub async fn search_companies(&self, task_id: i64, text: String) -> Result<Vec<CompanyOption>> {
        validate::search(&text)?;
        let directory = self.directory.clone();
        self.store
            .call(move |c| {
                let task = tasks::get(c, task_id)?;
                let companies = directory.get(c)?.companies;
                Ok(wizard::search_companies(
                    &companies,
                    &task.customer_name,
                    &text,
                ))
            })
            .await
    }

    pub async fn search_catalog(&self, text: String) -> Result<Vec<CatalogOption>> {
        validate::search(&text)?;
        let directory = self.directory.clone();
        self.store
            .call(move |c| Ok(wizard::search_catalog(&directory.get(c)?.catalog, &text)))
            .await
    }

    /// Tries the marketplace (a token request) and records whether it answered.
    pub async fn check_connectivity(&self) -> Connectivity {
        let client = match self
            .marketplace()
            .and_then(|m| self.connectwise().map(|_| m))
        {
            Ok(client) => client,
            Err(e) => {
                let value = Connectivity::NotSetUp {
                    message: e.to_string(),
                };
                self.set_connectivity(value.clone());
                return value;
            }
        };
        let result = client.authenticate().await;
        self.observe(&result);
        if let Err(e) = &result {
            tracing::info!("connectivity check: {e}");
        }
        self.connectivity()
    }

    pub async fn check_changes(
        &self,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckSummary> {
        self.check(progress, false).await
    }

    /// Check Changes that reads every ConnectWise list whole (not only what changed since the
    /// last refresh): for when the cached ConnectWise data is in doubt.
    pub async fn check_changes_reading_connectwise_whole(
        &self,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
    ) -> Result<CheckSummary> {
        self.check(progress, true).await
    }

    async fn check(
        &self,
        progress: &(dyn Fn(CheckProgress) + Send + Sync),
        connectwise_whole: bool,
    ) -> Result<CheckSummary> {
        let _turn = self
            .checking
            .take(Work::CheckChanges)
            .map_err(|running| Work::CheckChanges.refused_by(running, ErrorField::CheckChanges))?;
        let marketplace = self.marketplace()?;
        let connectwise = self.connectwise()?;
        let options = CheckOptions {
            connectwise_whole,
            ..self.check_options.clone()
        };
        let result = check_changes(
            marketplace,
            Some(connectwise),
            &self.store,
            &options,
            self.clock.now(),
            progress,
        )
        .await;
        // A refresh may have replaced the companies and catalog.
        self.directory.forget();
        self.observe(&result);
        result
    }

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

    /// Saves the customers of the book `query` shows as a CSV report into `dir`.
    pub async fn save_reconcile_csv(
        &self,
        query: BookQuery,
        dir: std::path::PathBuf,
    ) -> Result<SavedFile> {
        let now = self.clock.now_text();
        let today = self.clock.today();
        let customers = self
            .store
            .call(move |c| reconcile::run::report(c, &query, &now))
            .await?;
        tokio::task::spawn_blocking(move || reconcile::csv::save(&customers, &dir, today))
            .await
            .map_err(|e| {
                Error::File(format!(
                    "The CSV could not be saved: its writing stopped ({e})."
                ))
            })?
    }

    /// Writes the task's reviewed plan to ConnectWise (SPEC §7), or finishes its unfinished sync,
    /// or — for a synced task — checks again and writes nothing.
    pub async fn sync_task(
        &self,
        task_id: i64,
        progress: &(dyn Fn(SyncView) + Send + Sync),
    ) -> Result<SyncView> {
        let _turn = self
            .syncing
            .take(Work::Sync)
            .map_err(|running| Work::Sync.refused_by(running, ErrorField::Sync))?;
        let syncer = Syncer {
            cw: self.connectwise()?,
            store: &self.store,
            profile_name: &self.profile_name,
            backoff: self.sync_backoff,
            clock: &self.clock,
            progress,
        };
        let result = apply::sync_task(&syncer, task_id).await;
        self.observe(&result);
        result
    }

    /// Reads the task's agreement again, so the review starts from what ConnectWise has now.
    pub async fn refresh_agreement(&self, task_id: i64) -> Result<WizardView> {
        let result =
            apply::refresh_agreement(self.connectwise()?, &self.store, &self.clock, task_id).await;
        self.observe(&result);
        result
    }

    /// Sets the task's unfinished sync aside to review it again.
    pub async fn discard_sync(&self, task_id: i64) -> Result<WizardView> {
        let _turn = self
            .syncing
            .take(Work::Sync)
            .map_err(|running| Work::Sync.refused_by(running, ErrorField::Sync))?;
        apply::discard(self.connectwise()?, &self.store, &self.clock, task_id).await
    }

    fn running_batch(&self) -> Option<i64> {
        self.batch_running
            .lock()
            .ok()
            .and_then(|r| r.as_ref().map(|(id, _)| *id))
    }

    /// Makes a batch of the selected tasks and prepares its board, from the cache (offline too).
    pub async fn open_batch(&self, selection: TaskSelection) -> Result<BoardView> {
        let (now, today) = (self.clock.now_text(), self.clock.today());
        let directory = self.directory.clone();
        self.store
            .call(move |c| {
                let directory = directory.get(c)?;
                batch::board::open(c, &selection, &now, today, &directory)
            })
            .await
    }

    /// The batch's board, every row planned again from the cache.
    pub async fn batch_board(&self, batch_id: i64) -> Result<BoardView> {
        let directory = self.directory.clone();
        let today = self.clock.today();
        self.store
            .call(move |c| batch::board::board(c, batch_id, today, &directory.get(c)?))
            .await
    }

    /// Applies a bulk action to rows of the batch (through the wizard's edits) and re-plans.
    pub async fn apply_bulk(
        &self,
        batch_id: i64,
        task_ids: Vec<i64>,
        action: BulkAction,
    ) -> Result<BoardView> {
        if self.running_batch() == Some(batch_id) {
            return Err(Error::invalid(
                ErrorField::Batch,
                "This batch is syncing: wait for it to finish (or stop it) before changing its rows.",
            ));
        }
        let (now, today) = (self.clock.now_text(), self.clock.today());
        let directory = self.directory.clone();
        self.store
            .call(move |c| {
                let directory = directory.get(c)?;
                batch::actions::apply(c, batch_id, &task_ids, &action, &now, today, &directory)
            })
            .await
    }

    /// Syncs the batch's ready tasks (and finishes what an interrupted run left), concurrently
    /// across agreements, reporting on `progress`.
    pub async fn sync_batch(
        &self,
        batch_id: i64,
        progress: &(dyn Fn(BatchProgress) + Send + Sync),
    ) -> Result<BatchResult> {
        let _turn = self
            .syncing
            .take(Work::BatchSync)
            .map_err(|running| Work::BatchSync.refused_by(running, ErrorField::Sync))?;
        let cw = self.connectwise()?;
        let stop = Arc::new(AtomicBool::new(false));
        if let Ok(mut running) = self.batch_running.lock() {
            *running = Some((batch_id, stop.clone()));
        }
        let _clear = BatchRunning(&self.batch_running);
        let syncer = BatchSyncer {
            cw,
            store: &self.store,
            profile_name: &self.profile_name,
            backoff: self.sync_backoff,
            clock: &self.clock,
            directory: &self.directory,
            concurrency: self.batch_concurrency,
            stop: &stop,
            progress,
        };
        let result = batch::run::sync_batch(&syncer, batch_id).await;
        self.observe(&result);
        result
    }

    /// Asks the running sync of batch `batch_id` to stop: the syncs under way finish, the rest
    /// is left. Nothing to do when it is not running.
    pub fn stop_batch(&self, batch_id: i64) -> Result<()> {
        if let Ok(running) = self.batch_running.lock() {
            if let Some((id, stop)) = running.as_ref() {
                if *id == batch_id {
                    stop.store(true, Ordering::SeqCst);
                }
            }
        }
        Ok(())
    }

    /// The batch whose sync was cut off when the app last stopped, if any.
    pub async fn interrupted_batch(&self) -> Result<Option<InterruptedBatch>> {
        let running = self.running_batch();
        self.store
            .call(move |c| batch::run::interrupted(c, running))
            .await
    }

    /// Saves the batch's board as CSV into `dir`.
    pub async fn save_batch_csv(
        &self,
        batch_id: i64,
        dir: std::path::PathBuf,
    ) -> Result<SavedFile> {
        let board = self.batch_board(batch_id).await?;
        let today = self.clock.today();
        tokio::task::spawn_blocking(move || batch::csv::save(&board, &dir, today))
            .await
            .map_err(|e| {
                Error::File(format!(
                    "The CSV could not be saved: its writing stopped ({e})."
                ))
            })?
    }
}
