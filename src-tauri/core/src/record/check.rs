//! What a Check Changes found, as the cache keeps it: its summary, what it skipped and the
//! records it could not read.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::reading::UnreadableRecord;
use crate::task::SkipReason;

/// How many orders were skipped for one reason during a Check Changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SkipCount {
    pub reason: SkipReason,
    /// Human words, e.g. "renewal (no change to bill)".
    pub label: String,
    pub count: u32,
}

/// The outcome of one Check Changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckSummary {
    /// Orders read from the marketplace in this check.
    pub orders_read: u32,
    /// New tasks created.
    pub tasks_created: u32,
    /// Orders that were already tasks (not duplicated).
    pub already_known: u32,
    pub skipped: Vec<SkipCount>,
    /// Lower bound of the creation time window read, ISO-8601.
    pub from: String,
    pub finished_at: String,
    /// Set when the ConnectWise data the tasks need could not be refreshed (the tasks were still
    /// read; the wizard then works from older ConnectWise data, if any).
    pub connectwise_error: Option<String>,
    /// That error is ConnectWise refusing the credentials or a permission (401, 403): health
    /// keeps it, and the window's banner says what to do while it stands.
    pub connectwise_refused: bool,
    /// Orders whose creation date is after the check started: they became tasks, but their date
    /// is likely wrong in the marketplace.
    pub future_orders: Vec<FutureOrder>,
    /// Records of the lists read (orders, companies, agreements, ...) that could not be read and
    /// were left out; the rest was used.
    pub unreadable: Vec<UnreadableRecord>,
}

/// An order dated after the Check Changes that read it started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FutureOrder {
    pub order_id: String,
    /// Its creation date as the marketplace sent it, ISO-8601 UTC (`9999-12-31T00:00:00Z`).
    pub creation_date: String,
}
