//! What work runs with (DESIGN rule 16, the context floor): the open profile's cache and
//! service clients, the clock, the companies and catalog kept between calls, whose turn it is,
//! and how checks, syncs and batches run. Each feature writes its operations with itself (an
//! `impl Context` in check, wizard, sync, batch and reconcile); a session holds one context.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Clock;
use crate::connectwise::ConnectWiseClient;
use crate::error::{Error, Result};
use crate::http::RetryPolicy;
use crate::marketplace::MarketplaceClient;
use crate::review::DirectoryCache;
use crate::store::Store;
use crate::turn::Lane;

/// What work runs with.
pub struct Context {
    pub profile_name: String,
    pub(crate) store: Store,
    /// The clients, or why the profile cannot connect (a missing setting or credential).
    marketplace: Result<Arc<MarketplaceClient>>,
    connectwise: Result<Arc<ConnectWiseClient>>,
    pub(crate) clock: Clock,
    /// The cached companies and catalog with their suggestion indexes, between wizard calls.
    pub directory: Arc<DirectoryCache>,
    pub turn: Turn,
    pub options: Options,
    connectivity: Mutex<Connectivity>,
}

/// Whose turn it is: what runs now, named.
#[derive(Default)]
pub struct Turn {
    /// Check Changes or a reconcile: one at a time.
    pub checking: Lane,
    /// A sync or a batch sync: one at a time.
    pub syncing: Lane,
    /// The batch whose sync runs now, and its Stop.
    batch: Mutex<Option<(i64, Arc<AtomicBool>)>>,
}

/// A batch's sync running: it is known as the running batch until this is dropped, however
/// the sync ends.
pub struct RunningBatch<'a>(&'a Turn);

impl Drop for RunningBatch<'_> {
    fn drop(&mut self) {
        *self.0.batch.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl Turn {
    /// Batch `id` syncs now; `stop` is set when it is asked to stop.
    pub fn run_batch(&self, id: i64, stop: Arc<AtomicBool>) -> RunningBatch<'_> {
        *self.batch.lock().unwrap_or_else(PoisonError::into_inner) = Some((id, stop));
        RunningBatch(self)
    }

    /// The batch whose sync runs now, if one does.
    pub fn running_batch(&self) -> Option<i64> {
        let running = self.batch.lock().unwrap_or_else(PoisonError::into_inner);
        running.as_ref().map(|(id, _)| *id)
    }

    /// Asks the running sync of batch `id` to stop; nothing when it is not the one running.
    pub fn stop_batch(&self, id: i64) {
        let running = self.batch.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, stop)) = running.as_ref().filter(|(running_id, _)| *running_id == id) {
            stop.store(true, Ordering::SeqCst);
        }
    }
}

/// How checks, syncs and batches run.
#[derive(Debug, Clone)]
pub struct Options {
    pub check: CheckOptions,
    /// The wait between sends of a write that did not happen (tests shorten it).
    pub sync_backoff: RetryPolicy,
    /// Agreements a batch sync writes to at once (at least 1).
    pub batch_concurrency: usize,
}

/// How many agreements a batch sync writes to at once, unless told otherwise.
pub const BATCH_CONCURRENCY: usize = 4;

impl Default for Options {
    fn default() -> Self {
        Options {
            check: CheckOptions::default(),
            sync_backoff: RetryPolicy::default(),
            batch_concurrency: BATCH_CONCURRENCY,
        }
    }
}

/// How a check runs.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// How far back the very first check reads.
    pub first_check_days: i64,
    /// Tasks written to the cache per transaction (the list refreshes per batch).
    pub batch: usize,
    /// Read every ConnectWise list whole, not only what changed since the last refresh.
    pub connectwise_whole: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            first_check_days: 30,
            batch: 50,
            connectwise_whole: false,
        }
    }
}

/// Whether the last attempt to reach the services worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Connectivity {
    /// Not tried yet since start.
    Unknown,
    Online,
    /// The last attempt failed; `message` says what could not be reached.
    Offline {
        message: String,
    },
    /// The open profile lacks what a connection needs (a setting, or a credential the keyring
    /// does not have, or a keyring that cannot be used); `message` says what, and where to fix it.
    NotSetUp {
        message: String,
    },
}

impl Context {
    pub fn new(
        profile_name: String,
        store: Store,
        marketplace: Result<MarketplaceClient>,
        connectwise: Result<ConnectWiseClient>,
    ) -> Self {
        Context {
            profile_name,
            store,
            marketplace: marketplace.map(Arc::new),
            connectwise: connectwise.map(Arc::new),
            clock: Clock::system(),
            directory: Arc::default(),
            turn: Turn::default(),
            options: Options::default(),
            connectivity: Mutex::new(Connectivity::Unknown),
        }
    }

    /// The open profile's cache.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Where "now" is read from (tests and demos pin one).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The marketplace client, or why the profile cannot connect to it.
    pub fn marketplace(&self) -> Result<&MarketplaceClient> {
        self.marketplace.as_deref().map_err(Clone::clone)
    }

    /// The ConnectWise client, or why the profile cannot connect to it.
    pub fn connectwise(&self) -> Result<&ConnectWiseClient> {
        self.connectwise.as_deref().map_err(Clone::clone)
    }

    /// Both services' health (SPEC §18): what their answers said since the profile opened.
    pub fn health(&self) -> crate::health::HealthView {
        let logs = [
            self.connectwise().ok().map(|c| c.health().view()),
            self.marketplace().ok().map(|m| m.health().view()),
        ];
        crate::health::view(logs.into_iter().flatten().collect())
    }

    /// Whether the last attempt to reach the services worked.
    pub fn connectivity(&self) -> Connectivity {
        self.connectivity
            .lock()
            .map(|c| c.clone())
            .unwrap_or(Connectivity::Unknown)
    }

    pub fn set_connectivity(&self, value: Connectivity) {
        if let Ok(mut c) = self.connectivity.lock() {
            *c = value;
        }
    }

    /// Notes what a call to the services says about the network.
    pub fn observe<T>(&self, result: &Result<T>) {
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
}
