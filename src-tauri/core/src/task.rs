//! Sync tasks: one per relevant marketplace order.

use std::borrow::Borrow;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::marketplace::wire::{Order, OrderProduct, Subscription, SubscriptionProduct};
use crate::period::BillingPeriod;

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

/// What an order's amount is made of (SPEC §3): a change of what the agreement bills every
/// period, charges billed once, or both. An order line is one-time when it is usage (a Billing
/// Order), or a product that is not the subscription's own (a fee); else it changes the
/// recurring amount per the subscription's billing period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderAmounts {
    pub recurring: Option<Decimal>,
    pub one_time: Option<Decimal>,
    /// The subscription's billing period, when the order changes something recurring.
    pub period: Option<BillingPeriod>,
}

impl OrderAmounts {
    /// The amounts of `order` (of type `task_type`) against its subscriptions.
    pub fn of<S: Borrow<Subscription>>(
        task_type: TaskType,
        order: &Order,
        subscriptions: &[S],
    ) -> OrderAmounts {
        let mut amounts = OrderAmounts::default();
        for p in &order.products {
            let Some(price) = p.extended_price.as_ref().map(|m| m.amount) else {
                continue;
            };
            let subscription = subscription_of(p, subscriptions);
            let own = subscription.and_then(|s| s.products.iter().find(|sp| sp.mpn == p.mpn));
            let recurring =
                task_type != TaskType::BillingOrder && own.is_some_and(|sp| !is_usage(sp));
            let slot = if recurring {
                if amounts.period.is_none() {
                    amounts.period = subscription.and_then(|s| {
                        BillingPeriod::from_marketplace(
                            &s.billing_period.unit,
                            s.billing_period.duration,
                        )
                    });
                }
                &mut amounts.recurring
            } else {
                &mut amounts.one_time
            };
            // A sum too large to hold leaves the part out rather than stating a wrong one.
            *slot = match *slot {
                None => Some(price),
                Some(sum) => sum.checked_add(price),
            };
        }
        if amounts.recurring.is_none() {
            amounts.period = None;
        }
        amounts
    }
}

/// The subscription an order line belongs to.
fn subscription_of<'a, S: Borrow<Subscription>>(
    p: &OrderProduct,
    subscriptions: &'a [S],
) -> Option<&'a Subscription> {
    p.subscription_id.as_deref().and_then(|id| {
        subscriptions
            .iter()
            .map(Borrow::borrow)
            .find(|s| s.id == id)
    })
}

/// A pay-as-you-go product: billed for its usage over what is included, not per period.
fn is_usage(p: &SubscriptionProduct) -> bool {
    p.included_quantity.is_some()
        || p.used_quantity.is_some()
        || (!p
            .prices
            .iter()
            .any(|l| l.kind.eq_ignore_ascii_case("recurring"))
            && p.prices
                .iter()
                .any(|l| l.kind.eq_ignore_ascii_case("overuse")))
}

/// The usage a Billing Order line bills: what was used over what is included (0 when within).
fn usage_over(p: &OrderProduct, own: Option<&SubscriptionProduct>) -> Decimal {
    let included = own.and_then(|sp| sp.included_quantity).unwrap_or_default();
    p.quantity
        .checked_sub(included)
        .unwrap_or_default()
        .max(Decimal::ZERO)
}

/// The product a Billing Order bills, in words: the products whose usage is over what is
/// included ("Azure plan", "Azure Backup, Azure Virtual Desktop"); `None` when none is.
pub fn billing_products<S: Borrow<Subscription>>(
    order: &Order,
    subscriptions: &[S],
) -> Option<String> {
    let names: Vec<&str> = order
        .products
        .iter()
        .filter(|p| {
            let own = subscription_of(p, subscriptions)
                .and_then(|s| s.products.iter().find(|sp| sp.mpn == p.mpn));
            usage_over(p, own) > Decimal::ZERO
        })
        .map(|p| p.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// How an order line bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum OrderLineKind {
    /// A product billed every period: the order changes its quantity.
    Recurring,
    /// Usage of a pay-as-you-go product in a closed period.
    Usage,
    /// A charge billed once that is not the subscription's own product (a cancellation fee).
    Fee,
}

/// One product of an order, and what the order changed about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    pub product_name: String,
    /// The marketplace product (MPN).
    pub mpn: String,
    pub kind: OrderLineKind,
    /// The quantity before the order and after it, for a recurring product; empty when not known
    /// (a reconcile fix has no "before" of its own).
    pub quantity_before: String,
    pub quantity_after: String,
    /// What changed, in words: "20 → 25 (+5)", "new: 5", "cancelled: 6 → 0", "used 18250.5 with
    /// 10000 included: 8250.5 billed", "within the 500 included: nothing billed", "one-time fee".
    pub words: String,
    /// The line's amount as the order states it, empty when it states none.
    pub amount: String,
}

/// The lines of an order, as the task's details show them.
pub fn order_lines<S: Borrow<Subscription>>(
    task_type: TaskType,
    order: &Order,
    subscriptions: &[S],
) -> Vec<OrderLine> {
    order
        .products
        .iter()
        .map(|p| {
            let own = subscription_of(p, subscriptions)
                .and_then(|s| s.products.iter().find(|sp| sp.mpn == p.mpn));
            let amount = p
                .extended_price
                .as_ref()
                .map(|m| m.amount.to_string())
                .unwrap_or_default();
            let q = |d: Decimal| d.normalize().to_string();
            let line = |kind, before: String, after: String, words: String| OrderLine {
                product_name: if p.name.is_empty() {
                    p.mpn.clone()
                } else {
                    p.name.clone()
                },
                mpn: p.mpn.clone(),
                kind,
                quantity_before: before,
                quantity_after: after,
                words,
                amount: amount.clone(),
            };
            let Some(own) = own else {
                return line(
                    OrderLineKind::Fee,
                    String::new(),
                    String::new(),
                    "one-time fee".into(),
                );
            };
            if task_type == TaskType::BillingOrder || is_usage(own) {
                let included = own.included_quantity.unwrap_or_default();
                let over = usage_over(p, Some(own));
                let words = if over > Decimal::ZERO {
                    format!(
                        "used {} with {} included: {} billed",
                        q(p.quantity),
                        q(included),
                        q(over)
                    )
                } else {
                    format!(
                        "used {} within the {} included: nothing billed",
                        q(p.quantity),
                        q(included)
                    )
                };
                return line(OrderLineKind::Usage, String::new(), String::new(), words);
            }
            let delta = p.quantity;
            let signed = |d: Decimal| {
                if d > Decimal::ZERO {
                    format!("+{}", q(d))
                } else {
                    q(d)
                }
            };
            let (before, after) = match task_type {
                TaskType::SalesOrder => (Some(Decimal::ZERO), Some(delta)),
                TaskType::ChangeOrder => (own.quantity.checked_sub(delta), Some(own.quantity)),
                TaskType::CancellationOrder => (Some(delta.abs()), Some(Decimal::ZERO)),
                TaskType::ReconcileFix => (None, Some(delta)),
                TaskType::BillingOrder => (None, None),
            };
            let words = match (task_type, before, after) {
                (TaskType::SalesOrder, _, Some(after)) => format!("new: {}", q(after)),
                (TaskType::CancellationOrder, Some(before), _) => {
                    format!("cancelled: {} → 0", q(before))
                }
                (TaskType::ReconcileFix, _, Some(after)) => {
                    format!("the marketplace has {}", q(after))
                }
                (_, Some(before), Some(after)) => {
                    format!("{} → {} ({})", q(before), q(after), signed(delta))
                }
                _ => signed(delta),
            };
            line(
                OrderLineKind::Recurring,
                before.map(q).unwrap_or_default(),
                after.map(q).unwrap_or_default(),
                words,
            )
        })
        .collect()
}

/// A task with what its order changed, and whether the list as searched and filtered shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskDetailsView {
    pub task: TaskRow,
    /// Each product of the order; empty when the order is not cached.
    pub lines: Vec<OrderLine>,
    /// The task matches the list's search and filters (a task they hide offers no action).
    pub in_list: bool,
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
    /// The part of the amount that changes what the agreement bills every period (`"102.00"`,
    /// `"-1050.00"`), empty when the order changes nothing recurring.
    pub recurring: String,
    /// What the recurring change is per, in words ("month", "quarter", "year"); empty when the
    /// order changes nothing recurring (or its period is not known).
    pub per: String,
    /// The part of the amount billed once (usage over the included amount, a fee), empty when
    /// none.
    pub one_time: String,
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

    fn order(kind: &str, products: serde_json::Value) -> Order {
        serde_json::from_value(serde_json::json!({
            "id": "1000231", "type": kind, "customerId": "1000048531",
            "creationDate": "2026-11-16 10:04:11", "status": "completed", "products": products
        }))
        .unwrap()
    }

    fn subscription(period: (&str, u32), products: serde_json::Value) -> Subscription {
        serde_json::from_value(serde_json::json!({
            "id": "1000517", "customerId": "1000048531", "status": "active",
            "creationDate": "2025-03-05", "billingPeriod": {"type": period.0, "duration": period.1},
            "products": products
        }))
        .unwrap()
    }

    fn line(mpn: &str, quantity: &str, amount: &str) -> serde_json::Value {
        serde_json::json!({"mpn": mpn, "name": mpn, "quantity": quantity, "subscriptionId": "1000517",
                           "extendedPrice": {"amount": amount, "currency": "USD"}})
    }

    fn recurring(mpn: &str, quantity: &str, price: &str) -> serde_json::Value {
        serde_json::json!({"mpn": mpn, "name": mpn, "quantity": quantity,
                           "prices": [{"type": "recurring", "amount": price, "currency": "USD"}]})
    }

    fn metered(mpn: &str, included: &str, price: &str) -> serde_json::Value {
        serde_json::json!({"mpn": mpn, "name": mpn, "quantity": "1", "includedQuantity": included,
                           "prices": [{"type": "overuse", "amount": price, "currency": "USD"}]})
    }

    fn amounts(a: &OrderAmounts) -> (Option<String>, Option<String>, Option<String>) {
        (
            a.recurring.map(|d| d.to_string()),
            a.period.map(|p| p.per_words()),
            a.one_time.map(|d| d.to_string()),
        )
    }

    #[test]
    fn an_order_amount_is_per_period_once_or_both() {
        let s = |x: &str| Some(x.to_owned());
        let monthly = subscription(
            ("month", 1),
            serde_json::json!([
                recurring("BP", "25", "22.00"),
                recurring("EXO", "8", "4.00")
            ]),
        );
        let change = order(
            "change",
            serde_json::json!([line("BP", "5", "110.00"), line("EXO", "-2", "-8.00")]),
        );
        assert_eq!(
            amounts(&OrderAmounts::of(
                TaskType::ChangeOrder,
                &change,
                std::slice::from_ref(&monthly)
            )),
            (s("102.00"), s("month"), None)
        );
        // A quarterly subscription cancelled with a fee that is not its own product: both.
        let quarterly = subscription(
            ("month", 3),
            serde_json::json!([recurring("D365", "5", "70.00")]),
        );
        let cancel = order(
            "cancellation",
            serde_json::json!([line("D365", "-5", "-1050.00"), line("FEE", "1", "25.00")]),
        );
        assert_eq!(
            amounts(&OrderAmounts::of(
                TaskType::CancellationOrder,
                &cancel,
                &[quarterly]
            )),
            (s("-1050.00"), s("quarter"), s("25.00"))
        );
        // Usage is billed once.
        let usage = subscription(
            ("month", 1),
            serde_json::json!([metered("GB", "500", "0.024"), metered("HRS", "100", "0.45")]),
        );
        let billing = order(
            "billing",
            serde_json::json!([line("GB", "412", "0.00"), line("HRS", "164.25", "28.91")]),
        );
        assert_eq!(
            amounts(&OrderAmounts::of(
                TaskType::BillingOrder,
                &billing,
                std::slice::from_ref(&usage)
            )),
            (None, None, s("28.91"))
        );
        // Without its subscription, a line is not taken for a recurring one.
        assert_eq!(
            amounts(&OrderAmounts::of::<Subscription>(
                TaskType::ChangeOrder,
                &change,
                &[]
            )),
            (None, None, s("102.00"))
        );
        // The product that bills is named, never one within its included amount.
        assert_eq!(
            billing_products(&billing, std::slice::from_ref(&usage)).as_deref(),
            Some("HRS")
        );
        let within = order("billing", serde_json::json!([line("GB", "412", "0.00")]));
        assert_eq!(billing_products(&within, &[usage]), None);
    }

    #[test]
    fn order_lines_say_what_the_order_changed_product_by_product() {
        let monthly = subscription(
            ("month", 1),
            serde_json::json!([
                recurring("BP", "25", "22.00"),
                recurring("EXO", "8", "4.00")
            ]),
        );
        let words =
            |kind: &str, t: TaskType, products: serde_json::Value, subs: &[Subscription]| {
                order_lines(t, &order(kind, products), subs)
                    .into_iter()
                    .map(|l| (l.product_name, l.quantity_before, l.quantity_after, l.words))
                    .collect::<Vec<_>>()
            };
        let row = |name: &str, before: &str, after: &str, words: &str| {
            (
                name.to_owned(),
                before.to_owned(),
                after.to_owned(),
                words.to_owned(),
            )
        };
        assert_eq!(
            words(
                "change",
                TaskType::ChangeOrder,
                serde_json::json!([line("BP", "5", "110.00"), line("EXO", "-2", "-8.00")]),
                std::slice::from_ref(&monthly)
            ),
            [
                row("BP", "20", "25", "20 → 25 (+5)"),
                row("EXO", "10", "8", "10 → 8 (-2)")
            ]
        );
        assert_eq!(
            words(
                "sales",
                TaskType::SalesOrder,
                serde_json::json!([line("BP", "25", "550.00")]),
                std::slice::from_ref(&monthly)
            ),
            [row("BP", "0", "25", "new: 25")]
        );
        assert_eq!(
            words(
                "cancellation",
                TaskType::CancellationOrder,
                serde_json::json!([line("BP", "-25", "-550.00"), line("FEE", "1", "25.00")]),
                &[monthly]
            ),
            [
                row("BP", "25", "0", "cancelled: 25 → 0"),
                row("FEE", "", "", "one-time fee")
            ]
        );
        let usage = subscription(
            ("month", 1),
            serde_json::json!([metered("GB", "500", "0.024"), metered("HRS", "100", "0.45")]),
        );
        assert_eq!(
            words(
                "billing",
                TaskType::BillingOrder,
                serde_json::json!([line("GB", "412", "0.00"), line("HRS", "164.25", "28.91")]),
                &[usage]
            ),
            [
                row(
                    "GB",
                    "",
                    "",
                    "used 412 within the 500 included: nothing billed"
                ),
                row("HRS", "", "", "used 164.25 with 100 included: 64.25 billed")
            ]
        );
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
