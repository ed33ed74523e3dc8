//! Check Changes (SPEC §2.2, §3): read the marketplace orders created since the last check into
//! tasks, and refresh the ConnectWise data the tasks need for review offline.

pub mod changes;
pub mod ops;
pub mod refresh_connectwise;
pub mod scheduled;

pub use changes::{check_changes, CheckOptions};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::reading::UnreadableRecord;
pub use crate::record::check::{CheckSummary, FutureOrder, SkipCount};

/// Progress of a running Check Changes, streamed to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum CheckProgress {
    /// The order list is being read; `total` is known after the first page.
    ListingOrders {
        read: u32,
        total: u32,
    },
    /// Details of new orders are being fetched and turned into tasks.
    ReadingOrders {
        done: u32,
        total: u32,
        tasks_created: u32,
    },
    Finished {
        summary: CheckSummary,
    },
}
