//! Undo (SPEC §17), pure: the compensating plan of a sync, from its journal (each write's
//! addition before and after), the agreement's additions as they are now and its invoice
//! calendar.
//!
//! For each write the sync confirmed, newest first:
//! - an addition it created, still as the sync left it: removed when no invoice holds it; else
//!   ended on the last invoiced day, with an optional credit (unselected) of what the invoices
//!   billed of it since;
//! - a change it made (a cancel date, a quantity): put back to the values before, when the
//!   addition is still as the sync left it;
//! - an addition it removed (an undo undone): written again as it was;
//! - anything changed in ConnectWise since (`_info.lastUpdated`, else its values) is a conflict:
//!   shown, left alone, and why.
//!
//! A plan with nothing left to write says so: undoing an undone sync writes nothing.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::{Calendar, Invoiced};
use crate::connectwise::wire::Addition;
use crate::error::Result;
use crate::invoice::{self, Billed};
use crate::ledger::{self, Role};
use crate::money::{self, Currency};
use crate::plan::PlannedAddition;
use crate::record::sync::WriteState;
use crate::record::write::{Action, BillCustomer, Field, PriceSource, WriteKind};
use crate::store::journal::{JournaledWrite, State, SyncRecord};

/// What an undo row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum UndoKind {
    /// The addition the sync created is removed (no invoice holds it).
    Remove,
    /// The addition the sync created is invoiced: it ends on the last invoiced day.
    End,
    /// A credit of what the invoices billed of an addition the sync created (optional).
    Credit,
    /// A cancel date or quantity the sync changed is put back.
    Restore,
    /// An addition an undo removed is written again.
    Recreate,
    /// Changed in ConnectWise since, or not recorded: left alone, and why.
    Conflict,
    /// Undone already (or nothing of it is left): nothing to write.
    Done,
}

/// One row of an undo: what it does to the agreement, and why, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoRow {
    pub kind: UndoKind,
    /// The write it undoes (its place in the sync).
    pub seq: u32,
    /// As a planned row: what Sync writes (a `Conflict` or `Done` row is `Unchanged`).
    pub row: PlannedAddition,
    pub words: String,
}

impl UndoRow {
    /// Whether Sync writes it.
    pub fn writes(&self) -> bool {
        self.row.is_write()
    }
}

/// What an undo is made from.
pub struct UndoInput<'a> {
    pub sync: &'a SyncRecord,
    /// The agreement's additions now.
    pub current: &'a [Addition],
    pub invoiced: &'a Invoiced,
    /// The invoiced boundary when the sync ran, when it was recorded.
    pub boundary_then: Option<NaiveDate>,
    pub currency: &'a Currency,
    /// Rows a person selected or left out, by key.
    pub choices: &'a HashMap<String, bool>,
    /// The rows an earlier undo of this sync wrote, by key: undone already.
    pub undone: &'a HashSet<String>,
}

fn day(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<NaiveDate> {
    t.map(|t| t.date_naive())
}

/// The compensating plan of a sync (SPEC §17), its rows newest write first.
pub fn plan(input: &UndoInput) -> Result<Vec<UndoRow>> {
    let mut rows = Vec::new();
    for w in input.sync.writes.iter().rev() {
        // Only what this sync wrote: not a write found already in ConnectWise (another desk's),
        // nor a change that found the addition already as planned.
        if w.state != WriteState::Confirmed || w.spec.already.is_some() {
            continue;
        }
        if w.spec.kind == WriteKind::Patch && w.spec.fields.is_empty() {
            continue;
        }
        match w.spec.kind {
            WriteKind::Create => created(input, w, &mut rows)?,
            WriteKind::Patch => changed(input, w, &mut rows)?,
            WriteKind::Delete => removed(input, w, &mut rows)?,
        }
    }
    // Written by an earlier undo of this sync: what is there now is that undo's own (undo it
    // instead). A row it left (a conflict since resolved) is planned afresh.
    for r in rows
        .iter_mut()
        .filter(|r| r.row.action != Action::Unchanged && input.undone.contains(&r.row.key))
    {
        r.kind = UndoKind::Done;
        r.row.action = Action::Unchanged;
        r.row.selected = false;
        r.words = match input.sync.undone_by {
            Some(by) => format!("Undone already by sync {by}: nothing to write."),
            None => "Undone already: nothing to write.".to_owned(),
        };
    }
    for r in rows.iter_mut() {
        if let Some(&chosen) = input.choices.get(&r.row.key) {
            if r.row.action != Action::Unchanged {
                r.row.selected = chosen;
            }
        }
    }
    Ok(rows)
}

/// A row of the plan for addition `a` (its values as they are).
fn row_of(
    a: &Addition,
    key: String,
    action: Action,
    currency: &Currency,
) -> Result<PlannedAddition> {
    let quantity = a.quantity.unwrap_or_default();
    let unit_price = a.unit_price.unwrap_or_default();
    Ok(PlannedAddition {
        key,
        action,
        selected: action != Action::Unchanged,
        product_key: a.product.identifier.clone(),
        product_name: name_of(a),
        catalog_item_id: Some(a.product.id),
        existing_addition_id: Some(a.id),
        effective_date: day(a.effective_date).unwrap_or_default(),
        cancel_date: day(a.cancelled_date),
        description: a.invoice_description.clone().unwrap_or_default(),
        quantity,
        unit_price,
        unit_cost: a.unit_cost.unwrap_or_default(),
        bill_customer: BillCustomer::parse(&a.bill_customer).unwrap_or_default(),
        taxable: a.taxable_flag,
        price_source: PriceSource::ConnectWise,
        ext_price: money::extend(quantity, unit_price, currency)?,
        notes: Vec::new(),
        source_key: None,
        found: None,
    })
}

fn name_of(a: &Addition) -> String {
    a.description
        .clone()
        .or(a.invoice_description.clone())
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| a.product.identifier.clone())
}

/// A row shown and never written: a conflict, or a write undone already.
fn left(
    w: &JournaledWrite,
    a: Option<&Addition>,
    kind: UndoKind,
    words: String,
    currency: &Currency,
) -> Result<UndoRow> {
    let key = format!("undo:{}", w.seq);
    let mut row = match a {
        Some(a) => row_of(a, key, Action::Unchanged, currency)?,
        None => PlannedAddition {
            key,
            action: Action::Unchanged,
            selected: false,
            product_key: String::new(),
            product_name: w.spec.product_name.clone(),
            catalog_item_id: Some(w.spec.product_id),
            existing_addition_id: w.addition_id,
            effective_date: w.spec.effective_date,
            cancel_date: w.spec.cancel_date,
            description: w.spec.invoice_description.clone(),
            quantity: w.spec.quantity,
            unit_price: w.spec.unit_price,
            unit_cost: w.spec.unit_cost,
            bill_customer: w.spec.bill_customer,
            taxable: w.spec.taxable,
            price_source: PriceSource::ConnectWise,
            ext_price: money::extend(w.spec.quantity, w.spec.unit_price, currency)?,
            notes: Vec::new(),
            source_key: None,
            found: None,
        },
    };
    row.selected = false;
    Ok(UndoRow {
        kind,
        seq: w.seq,
        row,
        words,
    })
}

/// Whether `now` is no longer as the sync left it (`after`): ConnectWise's `lastUpdated` moved,
/// or — when either side has none — one of the values a write sets differs. Says how.
pub fn changed_since(now: &Addition, after: &State) -> Option<String> {
    let then = after.addition()?;
    let updated = |a: &Addition| a.info.as_ref().and_then(|i| i.last_updated);
    let same = now.product.id == then.product.id
        && [
            Field::Quantity,
            Field::UnitPrice,
            Field::BillCustomer,
            Field::EffectiveDate,
            Field::CancelledDate,
        ]
        .into_iter()
        .all(|f| same_value(now, then, f));
    match (updated(now), updated(then)) {
        (Some(n), Some(t)) if n != t || !same => Some(format!(
            "changed in ConnectWise since this sync (last updated {})",
            n.format("%Y-%m-%d %H:%M UTC")
        )),
        _ if !same => Some("changed in ConnectWise since this sync".to_owned()),
        _ => None,
    }
}

/// Whether two additions hold the same value of `field`.
fn same_value(a: &Addition, b: &Addition, field: Field) -> bool {
    match field {
        Field::Quantity => a.quantity.unwrap_or_default() == b.quantity.unwrap_or_default(),
        Field::UnitPrice => a.unit_price.unwrap_or_default() == b.unit_price.unwrap_or_default(),
        Field::UnitCost => a.unit_cost.unwrap_or_default() == b.unit_cost.unwrap_or_default(),
        Field::BillCustomer => a.bill_customer == b.bill_customer,
        Field::EffectiveDate => day(a.effective_date) == day(b.effective_date),
        Field::CancelledDate => day(a.cancelled_date) == day(b.cancelled_date),
        Field::TaxableFlag => a.taxable_flag == b.taxable_flag,
        Field::InvoiceDescription => {
            a.invoice_description.as_deref().unwrap_or("")
                == b.invoice_description.as_deref().unwrap_or("")
        }
    }
}

/// Whether an invoice holds addition `a`, written when the boundary was `since` (SPEC §16): a
/// period has been invoiced since and the addition is active in one of them — or, on an
/// agreement that prorates, active anywhere before the boundary, as the first invoice after it
/// was written bills its earlier days back. When `since` is not recorded, its own dates decide.
fn is_invoiced(a: &Addition, cal: &Calendar, since: Option<NaiveDate>) -> bool {
    let effective = day(a.effective_date);
    let cancel = day(a.cancelled_date);
    let Some(since) = since else {
        return effective.is_none_or(|e| e < cal.boundary);
    };
    if since >= cal.boundary {
        return false;
    }
    let from = if cal.prorates {
        effective.unwrap_or(since)
    } else {
        effective.map_or(since, |e| e.max(since))
    };
    from < cal.boundary && cancel.is_none_or(|c| c >= from)
}

fn ids(a: &Addition) -> String {
    format!("addition {} ({})", a.id, name_of(a))
}

/// Undoing a create.
fn created(input: &UndoInput, w: &JournaledWrite, rows: &mut Vec<UndoRow>) -> Result<()> {
    let cur = input.currency;
    let Some(id) = w.addition_id else {
        return Ok(());
    };
    let Some(now) = input.current.iter().find(|a| a.id == id) else {
        let words = format!(
            "Addition {id} is no longer in ConnectWise: nothing to undo of write {}.",
            w.seq
        );
        rows.push(left(w, None, UndoKind::Done, words, cur)?);
        return Ok(());
    };
    if let Some(words) = not_as_left(now, &w.after) {
        rows.push(left(w, Some(now), UndoKind::Conflict, words, cur)?);
        return Ok(());
    }
    let key = format!("undo:{}", w.seq);
    let cal = match input.invoiced {
        Invoiced::Through(cal) => Some(cal),
        Invoiced::Nothing => None,
        Invoiced::Unreadable { .. } => {
            let words = format!(
                "Not undone: the invoice calendar could not be read ({}), so whether an invoice holds {} is not known. Open the undo again once it can be read.",
                input.invoiced.words(),
                ids(now)
            );
            rows.push(left(w, Some(now), UndoKind::Conflict, words, cur)?);
            return Ok(());
        }
    };
    let invoiced = cal.filter(|c| is_invoiced(now, c, input.boundary_then));
    let Some(cal) = invoiced else {
        rows.push(UndoRow {
            kind: UndoKind::Remove,
            seq: w.seq,
            row: row_of(now, key, Action::Remove, cur)?,
            words: format!(
                "Removed: {} was created by this sync and no invoice holds it.",
                ids(now)
            ),
        });
        return Ok(());
    };
    let last = cal.boundary.pred_opt().unwrap_or(cal.boundary);
    let open_past = day(now.cancelled_date).is_none_or(|c| c > last);
    if open_past {
        let mut row = row_of(now, key, Action::Cancel, cur)?;
        row.cancel_date = Some(last);
        rows.push(UndoRow {
            kind: UndoKind::End,
            seq: w.seq,
            row,
            words: format!(
                "Ended on {last}: {} is on an invoice ({}), so it cannot be removed.",
                ids(now),
                cal.words()
            ),
        });
    }
    let before = rows.len();
    credit(input, w, now, cal, rows)?;
    if !open_past && rows.len() == before {
        // A one-time charge or credit already invoiced: nothing here takes it back.
        let words = format!(
            "Not undone: {} is on an invoice already ({}). Charge or credit it back by hand if it was wrong.",
            ids(now),
            cal.words()
        );
        rows.push(left(w, Some(now), UndoKind::Conflict, words, cur)?);
    }
    Ok(())
}

/// Why an addition is not as this sync left it, when it is not (or when what the sync left was
/// not recorded): the row is then left alone.
fn not_as_left(now: &Addition, after: &State) -> Option<String> {
    if matches!(after, State::NotRecorded | State::Absent) {
        return Some(format!(
            "Not undone: what this sync left of {} was not recorded, so a change since cannot be ruled out. Check it in ConnectWise.",
            ids(now)
        ));
    }
    changed_since(now, after).map(|how| {
        format!(
            "Not undone: {} was {how}. Check it in ConnectWise.",
            ids(now)
        )
    })
}

/// The optional credit of what the invoices billed of addition `a` since it was written.
fn credit(
    input: &UndoInput,
    w: &JournaledWrite,
    a: &Addition,
    cal: &Calendar,
    rows: &mut Vec<UndoRow>,
) -> Result<()> {
    let since = input
        .boundary_then
        .or(day(a.effective_date))
        .unwrap_or(cal.boundary);
    let billed = invoice::billed_since(&Billed::of_addition(a, cal), since, cal, input.currency)?;
    let total = billed
        .iter()
        .try_fold(Decimal::ZERO, |t, l| t.checked_add(l.amount))
        .ok_or(money::MoneyError::Overflow)?;
    if total <= Decimal::ZERO {
        return Ok(());
    }
    let first = cal.period(cal.boundary);
    let (from, to) = billed
        .first()
        .zip(billed.last())
        .map_or((since, cal.boundary), |(f, l)| (f.from, l.to));
    let key = format!("credit:undo:{}", w.seq);
    let mut row = row_of(a, key, Action::Prorate, input.currency)?;
    row.existing_addition_id = None;
    row.quantity = Decimal::NEGATIVE_ONE;
    row.unit_price = total;
    row.unit_cost = Decimal::ZERO;
    row.ext_price = -total;
    row.effective_date = cal.boundary;
    row.cancel_date = Some(first.map_or(cal.boundary, |s| s.last_day()));
    row.selected = false;
    row.description = format!("{} — credit {from} to {to}", name_of(a));
    row.source_key = Some(ledger::key(
        &format!("UNDO.{}", a.id),
        &from.format("%Y%m%d").to_string(),
        &a.product.identifier,
        Role::Credit,
    ));
    let places = input.currency.amount_places();
    rows.push(UndoRow {
        kind: UndoKind::Credit,
        seq: w.seq,
        row,
        words: format!(
            "Optional: a credit of {} {} for what the invoices billed of addition {} from {from} to {to}. Select it if the customer is owed it.",
            money::format(total, places),
            input.currency.code,
            a.id
        ),
    });
    Ok(())
}

/// Undoing a change (a cancel date, a quantity, a price).
fn changed(input: &UndoInput, w: &JournaledWrite, rows: &mut Vec<UndoRow>) -> Result<()> {
    let cur = input.currency;
    let id = w.spec.addition_id.or(w.addition_id).unwrap_or_default();
    let now = input.current.iter().find(|a| a.id == id);
    let before = match (&w.before, now) {
        (_, None) => {
            let words = format!(
                "Not undone: addition {id} was removed in ConnectWise since this sync; nothing to put back."
            );
            rows.push(left(w, None, UndoKind::Conflict, words, cur)?);
            return Ok(());
        }
        (State::Addition(b), Some(_)) => b,
        (_, Some(now)) => {
            let words = format!(
                "Not undone: what {} held before this sync was not recorded (synced by an earlier version). Put it back by hand in ConnectWise.",
                ids(now)
            );
            rows.push(left(w, Some(now), UndoKind::Conflict, words, cur)?);
            return Ok(());
        }
    };
    let now = now.unwrap_or(before);
    if w.spec.fields.iter().all(|f| same_value(now, before, *f)) {
        let words = format!(
            "{} is already as before this sync: nothing to write.",
            ids(now)
        );
        rows.push(left(w, Some(now), UndoKind::Done, words, cur)?);
        return Ok(());
    }
    if let Some(words) = not_as_left(now, &w.after) {
        rows.push(left(w, Some(now), UndoKind::Conflict, words, cur)?);
        return Ok(());
    }
    let action = if w.spec.fields == [crate::record::write::Field::CancelledDate] {
        Action::Cancel
    } else {
        Action::Change
    };
    let mut row = row_of(before, format!("undo:{}", w.seq), action, cur)?;
    // The restored row keeps the description the addition has now when it had none before.
    if before.invoice_description.is_none() {
        row.description = now.invoice_description.clone().unwrap_or_default();
    }
    let what = match (action, day(before.cancelled_date)) {
        (Action::Cancel, Some(d)) => format!("its cancel date put back to {d}"),
        (Action::Cancel, None) => "its cancel date taken off, as before this sync".to_owned(),
        _ => format!(
            "put back to {} × {} from {}",
            before.quantity.unwrap_or_default().normalize(),
            money::format_price(before.unit_price.unwrap_or_default(), cur),
            row.effective_date
        ),
    };
    let mut words = format!("{}: {what}.", ids(now));
    if let Some(cal) = input.invoiced.calendar() {
        invoiced_restore(&mut row, now, cal, &mut words);
    }
    rows.push(UndoRow {
        kind: UndoKind::Restore,
        seq: w.seq,
        row,
        words,
    });
    Ok(())
}

/// A change put back on an agreement with invoiced periods (SPEC §16): no end is dated inside
/// them (it falls on the last invoiced day), and what the invoices billed meanwhile is said —
/// ConnectWise does not go back, so a catch-up or credit for those periods is the person's call.
fn invoiced_restore(row: &mut PlannedAddition, now: &Addition, cal: &Calendar, words: &mut String) {
    let Some(last) = cal.boundary.pred_opt() else {
        return;
    };
    let ended_then = day(now.cancelled_date);
    if let Some(end) = row.cancel_date.filter(|d| *d < last) {
        if ended_then.is_none_or(|t| t > end) {
            row.cancel_date = Some(last);
            words.push_str(&format!(
                " It ends on {last}, not {end}: the periods before are invoiced ({}).",
                cal.words()
            ));
        }
    }
    if let Some(then) = ended_then.filter(|t| *t < last) {
        words.push_str(&format!(
            " ConnectWise bills it again from the next invoice; the days from {} to {last} were not billed — add a catch-up by hand if they are owed.",
            then.succ_opt().unwrap_or(then)
        ));
    } else if row.action == Action::Change
        && now
            .effective_date
            .is_some_and(|e| e.date_naive() < cal.boundary)
    {
        words.push_str(&format!(
            " The invoices through {last} billed it as it is now; the change counts from the next invoice."
        ));
    }
}

/// Undoing a removal (an undo undone): the addition is written again as it was.
fn removed(input: &UndoInput, w: &JournaledWrite, rows: &mut Vec<UndoRow>) -> Result<()> {
    let cur = input.currency;
    let Some(before) = w.before.addition() else {
        let words = match w.addition_id.or(w.spec.addition_id) {
            Some(id) => format!(
                "Not undone: what addition {id} held before it was removed was not recorded."
            ),
            None => "Not undone: what the removed addition held was not recorded.".to_owned(),
        };
        rows.push(left(w, None, UndoKind::Conflict, words, cur)?);
        return Ok(());
    };
    let key = ledger::key_of(before).map(str::to_owned);
    let back = input
        .current
        .iter()
        .find(|a| a.id == before.id || (key.is_some() && ledger::key_of(a) == key.as_deref()));
    if let Some(a) = back {
        let words = format!(
            "Already back in ConnectWise as {}: nothing to write.",
            ids(a)
        );
        rows.push(left(w, Some(a), UndoKind::Done, words, cur)?);
        return Ok(());
    }
    let mut row = row_of(before, format!("undo:{}", w.seq), Action::Add, cur)?;
    row.existing_addition_id = None;
    row.source_key = key;
    let mut words = format!(
        "Written again as it was: {} was removed by the undo.",
        ids(before)
    );
    if let Some(floor) = input.invoiced.floor().filter(|f| row.effective_date < *f) {
        if row.cancel_date.is_none_or(|c| c >= floor) {
            words.push_str(&format!(
                " It starts on {floor}, not {}: the periods before are invoiced.",
                row.effective_date
            ));
            row.effective_date = floor;
        }
    }
    rows.push(UndoRow {
        kind: UndoKind::Recreate,
        seq: w.seq,
        row,
        words,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::BillingPeriod;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn addition(effective: NaiveDate, cancel: Option<NaiveDate>, updated: &str) -> Addition {
        serde_json::from_value(serde_json::json!({
            "id": 30500, "product": {"id": 611, "identifier": "MS-365-BP"},
            "quantity": 5, "unitPrice": 22, "billCustomer": "Billable",
            "effectiveDate": format!("{effective}T00:00:00Z"),
            "cancelledDate": cancel.map(|c| format!("{c}T00:00:00Z")),
            "_info": {"lastUpdated": updated}
        }))
        .unwrap()
    }

    fn cal(boundary: NaiveDate) -> Calendar {
        Calendar {
            boundary,
            next_invoice_date: boundary,
            cycle: BillingPeriod::MONTHLY,
            anchor: ymd(2026, 1, 1),
            last_invoice: None,
            prorates: false,
        }
    }

    #[test]
    fn an_addition_is_changed_since_when_connectwise_updated_it_or_its_values_moved() {
        let then = addition(ymd(2026, 12, 1), None, "2026-11-24T12:00:00Z");
        let after = State::of(Some(&then));
        assert_eq!(changed_since(&then, &after), None);
        let touched = addition(ymd(2026, 12, 1), None, "2026-11-25T09:30:00Z");
        let words = changed_since(&touched, &after).unwrap();
        assert!(
            words.contains("last updated 2026-11-25 09:30 UTC"),
            "{words}"
        );
        // Within the same second of lastUpdated, a value that moved still counts.
        let ended = addition(
            ymd(2026, 12, 1),
            Some(ymd(2026, 12, 31)),
            "2026-11-24T12:00:00Z",
        );
        assert!(changed_since(&ended, &after).is_some());
        // Nothing recorded after the write: nothing to compare with.
        assert_eq!(changed_since(&then, &State::NotRecorded), None);
    }

    #[test]
    fn an_addition_is_invoiced_when_a_period_since_it_was_written_is() {
        let a = addition(ymd(2026, 12, 1), None, "2026-11-24T12:00:00Z");
        // Written when December was not invoiced; December invoiced since.
        assert!(is_invoiced(
            &a,
            &cal(ymd(2027, 1, 1)),
            Some(ymd(2026, 12, 1))
        ));
        // Nothing invoiced since it was written.
        assert!(!is_invoiced(
            &a,
            &cal(ymd(2026, 12, 1)),
            Some(ymd(2026, 12, 1))
        ));
        // Dated back inside an invoiced period, written after it was invoiced: not on an invoice.
        let back = addition(ymd(2026, 11, 16), None, "2026-11-24T12:00:00Z");
        assert!(!is_invoiced(
            &back,
            &cal(ymd(2026, 12, 1)),
            Some(ymd(2026, 12, 1))
        ));
        // Ended before the periods invoiced since.
        let gone = addition(
            ymd(2026, 11, 1),
            Some(ymd(2026, 11, 30)),
            "2026-11-24T12:00:00Z",
        );
        assert!(!is_invoiced(
            &gone,
            &cal(ymd(2027, 1, 1)),
            Some(ymd(2026, 12, 1))
        ));
        // When the boundary at the sync is not recorded, its own dates decide.
        assert!(is_invoiced(&back, &cal(ymd(2026, 12, 1)), None));
        // On an agreement that prorates, the first invoice after it was written bills its days
        // before back: invoiced once a period has been invoiced since.
        let prorating = |b| Calendar {
            prorates: true,
            ..cal(b)
        };
        assert!(is_invoiced(
            &back,
            &prorating(ymd(2027, 1, 1)),
            Some(ymd(2026, 12, 1))
        ));
        assert!(!is_invoiced(
            &back,
            &prorating(ymd(2026, 12, 1)),
            Some(ymd(2026, 12, 1))
        ));
    }
}
