//! Sync tasks: one per relevant marketplace order.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a marketplace order asks of the agreement (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TaskType {
    SalesOrder,
    ChangeOrder,
    BillingOrder,
    CancellationOrder,
    /// A drift Reconcile found, turned into a plan by a person (SPEC §13): not from an order.
    ReconcileFix,
}

impl TaskType {
    pub const ALL: [TaskType; 5] = [
        TaskType::SalesOrder,
        TaskType::ChangeOrder,
        TaskType::BillingOrder,
        TaskType::CancellationOrder,
        TaskType::ReconcileFix,
    ];

    /// The types a marketplace order makes.
    pub const FROM_ORDERS: [TaskType; 4] = [
        TaskType::SalesOrder,
        TaskType::ChangeOrder,
        TaskType::BillingOrder,
        TaskType::CancellationOrder,
    ];

    /// The task type for a marketplace order type, `None` for types that make no task.
    pub fn from_order_type(order_type: &str) -> Option<TaskType> {
        match order_type.to_ascii_lowercase().as_str() {
            "sales" => Some(TaskType::SalesOrder),
            "change" => Some(TaskType::ChangeOrder),
            "billing" => Some(TaskType::BillingOrder),
            "cancellation" => Some(TaskType::CancellationOrder),
            _ => None,
        }
    }

    /// Stable name used in the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskType::SalesOrder => "salesOrder",
            TaskType::ChangeOrder => "changeOrder",
            TaskType::BillingOrder => "billingOrder",
            TaskType::CancellationOrder => "cancellationOrder",
            TaskType::ReconcileFix => "reconcileFix",
        }
    }

    pub fn parse(s: &str) -> Option<TaskType> {
        TaskType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskType::SalesOrder => "Sales Order",
            TaskType::ChangeOrder => "Change Order",
            TaskType::BillingOrder => "Billing Order",
            TaskType::CancellationOrder => "Cancellation Order",
            TaskType::ReconcileFix => "Reconcile fix",
        }
    }
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TaskStatus {
    /// Not yet written to ConnectWise.
    Pending,
    /// Every selected write is confirmed in ConnectWise.
    Synced,
    /// Set aside by a person, with a reason.
    Ignored,
    /// The last sync attempt failed; see its history.
    Failed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Pending,
        TaskStatus::Synced,
        TaskStatus::Ignored,
        TaskStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::Synced => "synced",
            TaskStatus::Ignored => "ignored",
            TaskStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Why an order made no task (SPEC §3). Counted and shown in the Check Changes summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SkipReason {
    Renewal,
    OtherType,
    NotCompleted,
}

impl SkipReason {
    pub const ALL: [SkipReason; 3] = [
        SkipReason::Renewal,
        SkipReason::OtherType,
        SkipReason::NotCompleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Renewal => "renewal",
            SkipReason::OtherType => "otherType",
            SkipReason::NotCompleted => "notCompleted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SkipReason::Renewal => "renewal (nothing changes on the agreement)",
            SkipReason::OtherType => "order type that needs no agreement change",
            SkipReason::NotCompleted => "not completed yet (checked again next time)",
        }
    }

    /// Why this order makes no task, or `None` when it makes one.
    pub fn for_order(order_type: &str, status: &str) -> Option<SkipReason> {
        if order_type.eq_ignore_ascii_case("renewal") {
            Some(SkipReason::Renewal)
        } else if TaskType::from_order_type(order_type).is_none() {
            Some(SkipReason::OtherType)
        } else if !status.eq_ignore_ascii_case("completed") {
            Some(SkipReason::NotCompleted)
        } else {
            None
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_types_map_to_task_types() {
        assert_eq!(
            TaskType::from_order_type("sales"),
            Some(TaskType::SalesOrder)
        );
        assert_eq!(
            TaskType::from_order_type("Change"),
            Some(TaskType::ChangeOrder)
        );
        assert_eq!(
            TaskType::from_order_type("billing"),
            Some(TaskType::BillingOrder)
        );
        assert_eq!(
            TaskType::from_order_type("cancellation"),
            Some(TaskType::CancellationOrder)
        );
        assert_eq!(TaskType::from_order_type("renewal"), None);
        // A fix is made by a person from Reconcile, never by an order of any type.
        assert_eq!(TaskType::from_order_type("reconcileFix"), None);
        assert_eq!(TaskType::from_order_type("fix"), None);
        for t in TaskType::ALL {
            assert_eq!(TaskType::parse(t.as_str()), Some(t));
        }
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn skip_reasons() {
        assert_eq!(
            SkipReason::for_order("renewal", "completed"),
            Some(SkipReason::Renewal)
        );
        assert_eq!(
            SkipReason::for_order("transfer", "completed"),
            Some(SkipReason::OtherType)
        );
        assert_eq!(
            SkipReason::for_order("sales", "processing"),
            Some(SkipReason::NotCompleted)
        );
        assert_eq!(SkipReason::for_order("change", "completed"), None);
    }
}
