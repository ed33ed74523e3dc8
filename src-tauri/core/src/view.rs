//! What the UI sees: plain, serialisable view types. TypeScript bindings are generated from these
//! (`ui/src/bindings/`), so the webview never hand-writes a shape. Money and dates cross as strings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::task::{TaskStatus, TaskType};

/// One row of the task list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskRow {
    pub id: i64,
    pub task_type: TaskType,
    pub status: TaskStatus,
    pub order_id: String,
    /// Order creation time, ISO-8601 UTC (`2026-11-16T10:04:11Z`).
    pub order_date: String,
    pub customer_id: String,
    pub customer_name: String,
    pub subscription_id: String,
    pub subscription_name: String,
    /// Order total as a decimal string (e.g. `"102.00"`), empty when the order carries none.
    pub amount: String,
    pub currency: String,
    /// Reason given when the task was ignored.
    pub ignored_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub enum TaskSort {
    #[default]
    DateDesc,
    DateAsc,
    CustomerAsc,
    CustomerDesc,
}

/// Search, filters and sort of the task list. Empty lists mean "any".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub struct TaskQuery {
    /// Matches customer name or id, order id or subscription id (case-insensitive, substring).
    pub search: String,
    pub types: Vec<TaskType>,
    pub statuses: Vec<TaskStatus>,
    pub sort: TaskSort,
}

/// A window of the task list: `rows` are rows `offset..offset + rows.len()` of `total`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<TaskRow>,
}

/// How many orders were skipped for one reason during a Check Changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SkipCount {
    /// Machine-readable reason: `renewal`, `otherType`, `notCompleted`.
    pub reason: String,
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
}

/// What the main window shows around the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub profile_name: String,
    pub demo: bool,
    /// When Check Changes last completed, ISO-8601, if ever.
    pub last_checked_at: Option<String>,
    pub last_summary: Option<CheckSummary>,
    pub connectivity: Connectivity,
    pub task_count: u32,
    /// How many days back the first Check Changes reads.
    pub first_check_days: u32,
    /// Where the cache and logs live.
    pub data_dir: String,
}

/// An error as the UI receives it: a stable code, words for a person, and the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorView {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}
