//! Check Changes (SPEC §2.2, §3): read the marketplace orders created since the last check into
//! tasks, and refresh the ConnectWise data the tasks need for review offline.

pub mod changes;
pub mod refresh_connectwise;

pub use changes::{check_changes, CheckOptions};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Service;
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

/// A record of a list that could not be read and was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnreadableRecord {
    pub service: Service,
    /// The list, in words: "company list", "additions of agreement 4127".
    pub list: String,
    /// The record, in words: "company 251" (or "a company without an id").
    pub record: String,
    /// The field that could not be read, in words ("currency code"), when one is to blame.
    pub field: Option<String>,
    /// Why, in words: "its currency code could not be read (a list where text was expected)".
    pub reason: String,
    /// One sentence for a person: "Company 251 was left out of the company list from
    /// ConnectWise: its identifier could not be read (…)".
    pub message: String,
}

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
