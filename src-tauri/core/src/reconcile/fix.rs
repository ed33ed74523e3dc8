//! Fixing a drift (SPEC §13): a reconciled product line becomes reconcile-fix tasks, one per
//! agreement it concerns, each planned like any task (`plan::Planner::fix`) from what the
//! marketplace has and the agreement's additions as they are when reviewed, and written by the
//! same safe sync. Pure: deciding what to fix, not storing it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::marketplace::wire::Subscription;
use crate::reconcile::{AdditionLine, SubscriptionState};
use crate::reconcile::{CustomerReconcile, Note, Outcome, ProductReconcile};
pub use crate::record::fix::{Fix, FixFound, FixMode, FixTarget};

/// Why a product line cannot be fixed (put into words by `present::refusal_words`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing to fix.
    InSync,
    /// The line was not compared (unmapped, or its additions not read): what it reads says why.
    NotCompared,
    /// The marketplace bills the product at several prices: one price to bill cannot be told.
    SeveralPrices,
    /// None of the company's agreements can take the product: what it reads says which is needed.
    NoFittingAgreement,
}

/// Why a product line cannot be fixed, if it cannot.
pub fn refusal(p: &ProductReconcile) -> Option<Refusal> {
    let m = &p.marketplace;
    match p.outcome {
        Outcome::InSync => Some(Refusal::InSync),
        Outcome::Unmapped | Outcome::NotRead => Some(Refusal::NotCompared),
        _ if m.status == SubscriptionState::Active && m.unit_price.is_none() => {
            Some(Refusal::SeveralPrices)
        }
        Outcome::MissingInConnectWise if p.notes.contains(&Note::NoFittingAgreement) => {
            Some(Refusal::NoFittingAgreement)
        }
        _ => None,
    }
}

/// The recurring unit cost of the product on the line's subscriptions (the first that has one).
pub fn unit_cost(subscriptions: &[Subscription], p: &ProductReconcile) -> Decimal {
    let m = &p.marketplace;
    subscriptions
        .iter()
        .filter(|s| m.subscription_ids.contains(&s.id))
        .flat_map(|s| &s.products)
        .filter(|x| x.mpn == m.product_key)
        .find_map(|x| {
            x.costs
                .iter()
                .find(|l| l.kind.eq_ignore_ascii_case("recurring"))
                .map(|l| l.amount)
        })
        .unwrap_or_default()
}

/// The fixes of one product line, one per agreement concerned, or why it cannot be fixed.
///
/// Where the product should bill, one agreement keeps (or gets) it — the one holding an addition
/// already right, else the one holding the first — and the others' additions end. Where the
/// subscription is cancelled or suspended, every agreement's additions end. A missing product
/// goes on the only fitting agreement, or the one the person chooses.
pub fn fixes_for(
    c: &CustomerReconcile,
    p: &ProductReconcile,
    unit_cost: Decimal,
) -> Result<Vec<Fix>, Refusal> {
    if let Some(why) = refusal(p) {
        return Err(why);
    }
    let m = &p.marketplace;
    let active = m.status == SubscriptionState::Active;
    let price = m.unit_price.unwrap_or_default();
    let mut by_agreement: BTreeMap<i64, Vec<&AdditionLine>> = BTreeMap::new();
    for a in p.connectwise.counted() {
        by_agreement.entry(a.agreement_id).or_default().push(a);
    }
    let target = |mode: FixMode| FixTarget {
        product_key: m.product_key.clone(),
        product_name: m.product_name.clone(),
        mode,
        quantity: if active { m.quantity } else { Decimal::ZERO },
        unit_price: price,
        unit_cost,
    };
    let fix = |mode: FixMode, agreement_id: Option<i64>| Fix {
        customer_id: c.customer_id.clone(),
        line_key: p.line_key(),
        outcome: p.outcome,
        found: FixFound::Line {
            customer_name: c.customer_name.clone(),
            company: c.company.clone(),
            product: Box::new(p.clone()),
        },
        target: target(mode),
        agreement_id,
    };
    if !active {
        return Ok(by_agreement
            .keys()
            .map(|id| fix(FixMode::End, Some(*id)))
            .collect());
    }
    if by_agreement.is_empty() {
        let only = match p.connectwise.agreements.as_slice() {
            [one] => Some(one.id),
            _ => None,
        };
        return Ok(vec![fix(FixMode::Set, only)]);
    }
    let right = |a: &&AdditionLine| a.quantity == m.quantity && a.unit_price == price;
    let keeper = p
        .connectwise
        .counted()
        .find(right)
        .or_else(|| p.connectwise.counted().min_by_key(|a| a.id))
        .map(|a| a.agreement_id);
    Ok(by_agreement
        .keys()
        .map(|id| {
            let mode = if Some(*id) == keeper {
                FixMode::Set
            } else {
                FixMode::End
            };
            fix(mode, Some(*id))
        })
        .collect())
}
