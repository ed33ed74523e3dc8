//! A reconcile fix (SPEC §13), as the cache keeps it: what it fixes on which agreement, and why.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::record::reconcile::{CompanyLine, Outcome, ProductReconcile};

/// What a reconcile fix does to one product's additions on its agreement (SPEC §13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FixMode {
    /// One addition of the marketplace's quantity and price goes on billing: the one kept is
    /// corrected (cancel + add), the others end, or a new one is added where there is none.
    Set,
    /// Every addition of the product ends (its subscription is cancelled or suspended, or the
    /// product is billed on another agreement too).
    End,
}

impl FixMode {
    pub fn as_str(self) -> &'static str {
        match self {
            FixMode::Set => "set",
            FixMode::End => "end",
        }
    }

    pub fn parse(s: &str) -> Option<FixMode> {
        match s {
            "set" => Some(FixMode::Set),
            "end" => Some(FixMode::End),
            _ => None,
        }
    }
}

/// A reconcile fix's target: what the marketplace has for one product (SPEC §13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixTarget {
    /// The MPN.
    pub product_key: String,
    pub product_name: String,
    pub mode: FixMode,
    /// The marketplace's quantity (all its subscriptions of the product together).
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub unit_cost: Decimal,
}

/// One reconcile fix: what it fixes on which agreement, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    pub customer_id: String,
    /// The product line's key ([`crate::record::reconcile::ProductReconcile::line_key`]).
    pub line_key: String,
    /// What Reconcile found.
    pub outcome: Outcome,
    /// The product line as Reconcile found it (put into words when shown).
    pub found: FixFound,
    pub target: FixTarget,
    /// The agreement whose additions it fixes, when Reconcile found them on one.
    pub agreement_id: Option<i64>,
}

/// What Reconcile found for the product line a fix fixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum FixFound {
    /// The line as Reconcile compared it, with the customer it is of.
    Line {
        customer_name: String,
        company: Option<CompanyLine>,
        product: Box<ProductReconcile>,
    },
    /// Its words, as a fix made before the line itself was kept (an older cache) keeps them.
    Words(String),
}
