//! One open profile: its cache, its service clients, and what the window asks of them.

use crate::clock::Clock;
use crate::context::Context;
use crate::http::RetryPolicy;

use crate::connectwise::ConnectWiseClient;
use crate::error::{Error, ErrorField, Result};
use crate::marketplace::MarketplaceClient;
use crate::store::{batches, checks, journal, settings, tasks, Store};
use crate::validate;
use crate::view::{
    AppStatus, Connectivity, SyncView, TaskDetailsView, TaskPage, TaskQuery, TaskRow,
};

/// The furthest back a first Check Changes may read.
pub const MAX_FIRST_CHECK_DAYS: u32 = 365;

/// Whether a session is Demo mode (the built-in simulator) or a real profile's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKind {
    Demo,
    Real,
}

/// One open profile: which it is, where its data lives, and what work on it runs with (its
/// [`Context`], which the session derefs to: the features' operations are the context's).
pub struct Session {
    kind: ProfileKind,
    data_dir: String,
    ctx: Context,
}

impl std::ops::Deref for Session {
    type Target = Context;

    fn deref(&self) -> &Context {
        &self.ctx
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
            kind,
            data_dir: data_dir.into(),
            ctx: Context::new(profile_name.into(), store, marketplace, connectwise),
        }
    }

    /// How many agreements a batch sync writes to at once (at least 1).
    pub fn with_batch_concurrency(mut self, n: usize) -> Self {
        self.ctx.options.batch_concurrency = n.max(1);
        self
    }

    /// The clock the session reads "now" from (tests and demos pin one).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.ctx.clock = clock;
        if let Ok(cw) = self.ctx.connectwise() {
            cw.health().set_clock(clock);
        }
        if let Ok(m) = self.ctx.marketplace() {
            m.health().set_clock(clock);
        }
        self
    }

    /// The wait between sends of a write that did not happen (tests shorten it).
    pub fn with_sync_backoff(mut self, backoff: RetryPolicy) -> Self {
        self.ctx.options.sync_backoff = backoff;
        self
    }

    /// What keeps the profile from being switched or changed right now, if anything.
    pub fn busy(&self) -> Option<String> {
        let running = self
            .turn
            .checking
            .running()
            .or(self.turn.syncing.running())?;
        Some(format!("{} is running", running.words_within()))
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
                .unwrap_or(self.options.check.first_check_days as u32),
            data_dir: self.data_dir.clone(),
            unfinished_syncs: unfinished.into_iter().map(SyncView::from).collect(),
            now: self.clock.now_text(),
            health: self.health(),
            schedule: self.schedule().await?,
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
}
