//! Reconcile (SPEC §13): is ConnectWise right today? For every customer, the marketplace's
//! subscriptions are compared product by product with the active additions of the company's
//! fitting agreements (billing cycle and currency, SPEC §2), and each product gets an
//! [`Outcome`] with both sides and its effect on the recurring amount per period.
//!
//! [`reconcile`] is pure: the subscriptions read, the cached ConnectWise data and the mappings
//! in, typed decisions out; "today" is a parameter. Showing them is [`present`]'s work; reading
//! and caching them is [`run`]'s.
//!
//! What ConnectWise bills is taken as scheduled: an addition that starts later counts, and one
//! with a cancel date (even one still ahead, active until then) does not count for what it bills
//! from then on. So a fix written as "cancel the current addition at the period's end, add the
//! right one from the next period" reads In sync at once, and a cancelled subscription whose
//! addition already ends is not Still billing.

pub mod compare;
pub mod csv;
pub mod fix;
pub mod map;
pub mod ops;
pub mod present;
pub mod run;

pub use crate::record::reconcile::{
    AdditionLine, AgreementLine, CompanyLine, ConnectWiseSide, CustomerReconcile,
    CustomerSubscriptions, MarketplaceSide, Note, Outcome, PeriodTotals, ProductReconcile,
    SubscriptionState, WrittenFor,
};
pub use compare::{reconcile, recurring_price, ConnectWiseData, Settings};
