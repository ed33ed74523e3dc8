//! Agreement Sync core: everything but the window. No Tauri here; `cargo test -p
//! agreement-sync-core` runs without a webview.

pub mod activity;
pub mod batch;
pub mod calendar;
pub mod check;
pub mod clock;
pub mod concurrency;
pub mod connections;
pub mod connectwise;
pub mod context;
pub mod credential_store;
pub mod data_lock;
pub mod desk;
pub mod draft;
pub mod error;
pub mod fit;
pub mod found;
pub mod http;
pub mod invoice;
pub mod ledger;
pub mod logging;
pub mod marketplace;
pub mod money;
pub mod period;
pub mod plan;
pub mod profiles;
pub mod reading;
pub mod reconcile;
pub mod record;
pub mod review;
pub mod secret;
pub mod session;
pub mod store;
pub mod suggest;
pub mod sync;
pub mod task;
pub mod turn;
pub mod undo;
pub mod validate;
pub mod view;
pub mod wizard;
pub mod words;

pub use error::{Error, Result};
