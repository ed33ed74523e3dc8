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
}

impl TaskType {
    pub const ALL: [TaskType; 4] = [
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
