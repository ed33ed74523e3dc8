//! The planner's notes and refusals in a billing person's words: the plan says why with types
//! (`RowNote`, `PlanNote`, `CatalogRefusal`), and these put them into words for the wizard and
//! the board.

use crate::plan::{
    CatalogRefusal, Difference, Found, FoundKind, PlanNote, PlannedAddition, RowNote,
};

/// Why a catalog price is not used, in words.
pub fn catalog_refusal(why: &CatalogRefusal) -> String {
    match why {
        CatalogRefusal::OtherCurrency { catalog, agreement } => format!(
            "ConnectWise's catalog prices are in {catalog} and this agreement bills in {agreement}: the catalog price is not used (it would be written as {agreement})."
        ),
        CatalogRefusal::CurrencyUnknown => "Which currency ConnectWise's catalog prices are in is not known (name it in Connections, “Catalog price currency”): the catalog price is not used.".to_owned(),
    }
}

/// Why a row is as it is, in words; `None` when the plan says nothing of it.
pub fn row_notes(notes: &[RowNote]) -> Option<String> {
    let words: Vec<String> = notes.iter().map(row_note).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn row_note(note: &RowNote) -> String {
    match note {
        RowNote::Prorated {
            remaining,
            days,
            credit: true,
        } => format!(
            "Credit for the downgrade: {remaining} of {days} days remain in the period. Deselect it to give no credit."
        ),
        RowNote::Prorated {
            remaining, days, ..
        } => format!("{remaining} of {days} days remain in the period."),
        RowNote::SetupFee { from_catalog: true } => {
            "One-time setup fee (price from the ConnectWise catalog).".to_owned()
        }
        RowNote::SetupFee {
            from_catalog: false,
        } => "One-time setup fee (the Cloud Marketplace's).".to_owned(),
        RowNote::SetupFeeAtMarketplacePrice(why) => format!(
            "One-time setup fee at the Cloud Marketplace's price: {}",
            catalog_refusal(why)
        ),
        RowNote::UsageBilled {
            usage,
            included,
            over,
            from,
            to,
        } => format!(
            "Usage {} with {} included: bills {} for the closed period {from} to {to}.",
            usage.normalize(),
            included.normalize(),
            over.normalize()
        ),
        RowNote::EndsWithInvoicedPeriod { from, to } => format!(
            "The period {from} to {to} is already invoiced in advance, so the addition ends with it."
        ),
        RowNote::CancellationFee => "One-time cancellation fee from the order.".to_owned(),
        RowNote::ChangedInPlace => {
            "The addition starts on the change's date, so it is changed in place.".to_owned()
        }
        RowNote::CorrectedInPlace => {
            "The addition starts on or after the effective date, so it is corrected in place."
                .to_owned()
        }
        RowNote::FixAdds => "The marketplace's quantity and price, from the effective date.".to_owned(),
        RowNote::NoLongerBilledHere => "The marketplace no longer bills this product here: the addition ends the day before the effective date.".to_owned(),
        RowNote::DuplicateOf { kept } => format!(
            "A duplicate of addition {kept}: it ends the day before the effective date."
        ),
        RowNote::BillsOtherwise => "It bills another quantity or price than the marketplace: it ends the day before the corrected one starts.".to_owned(),
        RowNote::CatalogPriceRefused(why) => catalog_refusal(why),
        RowNote::Moved { from, to, why } => format!("Moved from {from} to {to}: {why}."),
        RowNote::CatchUp {
            from,
            to,
            remaining,
            days,
            credit,
            refunded,
            connectwise_prorates,
            why,
        } => catch_up(
            (*from, *to),
            (*remaining, *days),
            (*credit, *refunded, *connectwise_prorates),
            why,
        ),
        RowNote::WholePeriod { from, to } => format!(
            "Dated over its whole period, {from} to {to}: this agreement prorates additions itself and would bill a shorter date for its days only."
        ),
    }
}

/// A catch-up or a credit for an invoiced period, in words (SPEC §16).
fn catch_up(
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    (remaining, days): (i64, i64),
    (credit, refunded, connectwise_prorates): (bool, bool, bool),
    why: &str,
) -> String {
    let what = match (credit, connectwise_prorates) {
        (false, false) => format!(
            "Catch-up for {from} to {to} ({remaining} of {days} days): {why}, so it is billed on the next invoice."
        ),
        (false, true) => format!(
            "Added quantity for {from} to {to} at the full price: {why}, and ConnectWise prorates it ({remaining} of {days} days) on the next invoice itself."
        ),
        (true, false) => format!(
            "Credit for {from} to {to} ({remaining} of {days} days): {why}."
        ),
        (true, true) => format!(
            "Credit for {from} to {to} at the full price: {why}, and ConnectWise prorates it ({remaining} of {days} days) on the next invoice."
        ),
    };
    match (credit, refunded) {
        (true, true) => format!("{what} Selected: the marketplace refunds it."),
        (true, false) => format!(
            "{what} Not selected: the marketplace does not refund it — select it to credit the customer."
        ),
        _ => what,
    }
}

/// What the plan says besides its rows, in words.
pub fn plan_note(note: &PlanNote) -> String {
    match note {
        PlanNote::NoConnectWisePrice { product } => format!(
            "{product}: ConnectWise has no price for it yet, so the Cloud Marketplace price is used."
        ),
        PlanNote::ConnectWiseProrates { product } => format!(
            "{product}: no prorate addition — the agreement has ConnectWise proration on, so ConnectWise prorates it itself (a prorate addition would charge twice)."
        ),
        PlanNote::NoProrateForConnectWisePrices { product } => format!(
            "{product}: no prorate addition — prorated amounts are calculated only for Cloud Marketplace prices."
        ),
        PlanNote::NotOnSubscription {
            product,
            subscription,
        } => format!("{product}: not on subscription {subscription}; nothing planned for it."),
        PlanNote::NoActiveAddition { product } => {
            format!("{product}: the agreement has no active addition for it; a new one is added.")
        }
        PlanNote::UsageWithinIncluded {
            product,
            usage,
            included,
        } => format!("{product}: usage {usage} is within the {included} included; nothing to bill."),
        PlanNote::NothingToFix { product } => {
            format!("{product}: the agreement no longer bills it; nothing to fix.")
        }
    }
}

/// What a row's finding means, in words.
pub fn found(f: &Found, r: &PlannedAddition) -> String {
    let id = f.addition_id;
    match f.kind {
        FoundKind::Keyed => {
            let mut text = format!("Already in ConnectWise: addition {id}");
            if let Some(d) = f.entered {
                text.push_str(&format!(", written {d}"));
            }
            text.push_str(" (from this desk or another). Not written again.");
            if !f.differs.is_empty() {
                text.push_str(&format!(
                    " It was written with other values: {}.",
                    f.differs
                        .iter()
                        .map(difference)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            text
        }
        FoundKind::AsPlanned => {
            format!("Already as planned in ConnectWise (addition {id}): nothing to send.")
        }
        FoundKind::Twin => format!(
            "An identical one-time addition {id} already exists — written by another desk? This row starts unselected; select it to add another."
        ),
        FoundKind::Conflict => format!(
            "Addition {id} already ends on {} in ConnectWise (set since — by another desk?), not {}: it is not overwritten. Select this row to change it.",
            f.cancel_date.map(|d| d.to_string()).unwrap_or_default(),
            r.cancel_date.map(|d| d.to_string()).unwrap_or_default()
        ),
    }
}

/// Where a keyed addition differs, in words: "quantity 12 (here 14)".
fn difference(d: &Difference) -> String {
    let show =
        |d: Option<chrono::NaiveDate>| d.map_or_else(|| "none".to_owned(), |d| d.to_string());
    match d {
        Difference::Quantity { theirs, here } => {
            format!(
                "quantity {} (here {})",
                theirs.normalize(),
                here.normalize()
            )
        }
        Difference::UnitPrice { theirs, here } => {
            format!(
                "unit price {} (here {})",
                theirs.normalize(),
                here.normalize()
            )
        }
        Difference::EffectiveDate { theirs, here } => {
            format!("effective {} (here {here})", show(*theirs))
        }
        Difference::CancelDate { theirs, here } => {
            format!("cancel date {} (here {})", show(*theirs), show(*here))
        }
    }
}
