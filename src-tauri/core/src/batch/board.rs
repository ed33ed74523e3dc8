//! Preparing a batch's board (SPEC §12): each task planned with the same rules as the wizard —
//! from its typed review (DESIGN rule 12), with the companies and catalog read once for the
//! whole board — and the totals of the ready ones per currency and billing cycle.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::batch::{
    Attention, AttentionReason, BatchTaskState, BoardRow, BoardView, CurrencyTotals, CycleChange,
    OneTimeKind, OneTimePart, TaskSelection,
};
use crate::draft::Draft;
use crate::error::{Error, ErrorField, Result};
use crate::fit;
use crate::ledger::Role;
use crate::money::{self, Currency};
use crate::period::{BillingPeriod, PeriodUnit};
use crate::plan::{Action, PlannedAddition};
use crate::review::{self, Directory, Loaded, Planned, Review};
use crate::store::batches::{self, BatchRecord, BatchTask};
use crate::store::{journal, tasks};
use crate::task::{TaskStatus, TaskType};
use crate::validate::ReviewField;

/// The most tasks one batch holds.
pub const MAX_TASKS: usize = 2_000;

/// The task ids of a selection, each once, in the selection's order.
pub fn selected_ids(conn: &Connection, selection: &TaskSelection) -> Result<Vec<i64>> {
    let ids = match selection {
        TaskSelection::Ids { ids } => {
            let mut seen = std::collections::HashSet::new();
            let mut kept = Vec::with_capacity(ids.len());
            for id in ids {
                if seen.insert(*id) {
                    // Refuses an id the cache does not hold.
                    tasks::get(conn, *id)?;
                    kept.push(*id);
                }
            }
            kept
        }
        TaskSelection::Matching { query, except } => {
            crate::validate::search(&query.search)?;
            let except: std::collections::HashSet<i64> = except.iter().copied().collect();
            tasks::ids_matching(conn, query)?
                .into_iter()
                .filter(|id| !except.contains(id))
                .collect()
        }
    };
    if ids.is_empty() {
        return Err(Error::invalid(
            ErrorField::Selection,
            "Select at least one task to review.",
        ));
    }
    if ids.len() > MAX_TASKS {
        return Err(Error::invalid(
            ErrorField::Selection,
            format!(
                "{} tasks are selected; a batch reviews at most {MAX_TASKS}. Narrow the search or filters, or select fewer tasks.",
                ids.len()
            ),
        ));
    }
    Ok(ids)
}

/// Records a batch of the selected tasks and prepares its board; `today` is the app's day.
pub fn open(
    conn: &mut Connection,
    selection: &TaskSelection,
    now: &str,
    today: NaiveDate,
    directory: &Directory,
) -> Result<BoardView> {
    let tx = conn.transaction()?;
    let ids = selected_ids(&tx, selection)?;
    let id = batches::create(&tx, &ids, now)?;
    tx.commit()?;
    board(conn, id, today, directory)
}

/// The board of batch `batch_id`, every row planned again from the cache.
pub fn board(
    conn: &Connection,
    batch_id: i64,
    today: NaiveDate,
    directory: &Directory,
) -> Result<BoardView> {
    let batch = batches::get(conn, batch_id)?;
    Ok(assemble(
        &batch,
        prepare_all(conn, batch_id, directory)?,
        today,
    ))
}

/// Every row of the batch, planned.
pub(crate) fn prepare_all(
    conn: &Connection,
    batch_id: i64,
    directory: &Directory,
) -> Result<Vec<Prepared>> {
    batches::tasks_of(conn, batch_id)?
        .iter()
        .map(|entry| prepare(conn, entry, directory))
        .collect()
}

/// The plan's figures of a row: what the board shows and its totals add up; kept with the
/// batch when a task's sync begins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    pub agreement_id: Option<i64>,
    pub agreement_name: Option<String>,
    pub currency: String,
    /// The currency's decimals for amounts.
    pub places: u32,
    pub writes: u32,
    /// `None` while there is no plan.
    pub prorated: Option<Decimal>,
    pub recurring_before: Option<Decimal>,
    pub recurring_after: Option<Decimal>,
    /// The agreement's own amount per period, which both recurring figures include.
    #[serde(default)]
    pub agreement_amount: Option<Decimal>,
    /// Writes of the plan already in ConnectWise, from any desk (SPEC §15).
    #[serde(default)]
    pub written: u32,
    /// Every write is already in ConnectWise: the additions that show it.
    #[serde(default)]
    pub already: Option<Vec<i64>>,
    /// Every one-time charge of the plan (prorates, usage, fees); `None` while there is no plan.
    #[serde(default)]
    pub one_time: Option<Decimal>,
    /// `one_time` by kind, the kinds with an amount only, in the kinds' order.
    #[serde(default)]
    pub one_time_parts: Vec<(OneTimeKind, Decimal)>,
    /// The subscription's billing period (the agreement's cycle is the same).
    #[serde(default)]
    pub period: Option<BillingPeriod>,
    /// The effective date, as the board shows it (see [`BoardRow::effective_date`]).
    #[serde(default)]
    pub effective_date: Option<String>,
    #[serde(default)]
    pub effective_note: Option<String>,
    /// The agreement's invoice calendar in words (SPEC §16).
    #[serde(default)]
    pub calendar: Option<String>,
    /// The agreement's next invoice total before and after the sync, and its date.
    #[serde(default)]
    pub next_invoice: Option<(Decimal, Decimal, chrono::NaiveDate)>,
}

impl Figures {
    pub fn change(&self) -> Option<Decimal> {
        self.recurring_after?.checked_sub(self.recurring_before?)
    }
}

/// One row as prepared: the row, and what the batch sync needs to know of it.
pub(crate) struct Prepared {
    pub row: BoardRow,
    pub figures: Figures,
    /// The task's sync with writes left to finish, if any.
    pub open_sync: Option<i64>,
}

impl Prepared {
    /// Batch sync runs it: ready, or a sync to finish, or synced (checked again, writing
    /// nothing), or already in ConnectWise (closed as synced, writing nothing).
    pub fn runnable(&self) -> bool {
        self.row.ready
            || self.open_sync.is_some()
            || self.row.task.status == TaskStatus::Synced
            || self.row.already.is_some()
    }
}

fn attend(attention: &mut Vec<Attention>, reason: AttentionReason, message: impl Into<String>) {
    let message = message.into();
    if !attention
        .iter()
        .any(|a| a.reason == reason && a.message == message)
    {
        attention.push(Attention { reason, message });
    }
}

/// A row the plan's one-time total counts (as `plan::totals` does): selected, or already in
/// ConnectWise (its effect stands).
fn counts_as_the_tasks(row: &PlannedAddition) -> bool {
    row.selected
        || row
            .found
            .as_ref()
            .is_some_and(crate::plan::Found::is_written)
}

/// The one-time charges of a plan by kind; what no kind names is `Other`, so the parts always
/// add up to the plan's one-time total.
fn one_time_parts(p: &Planned) -> Vec<(OneTimeKind, Decimal)> {
    let mut sums: BTreeMap<OneTimeKind, Decimal> = BTreeMap::new();
    let mut named = Decimal::ZERO;
    for row in p.plan.rows.iter().filter(|r| counts_as_the_tasks(r)) {
        let kind = match (row.action, row.role()) {
            (Action::Prorate, _) => OneTimeKind::Prorate,
            (Action::Add, Some(Role::Usage)) if row.cancel_date.is_some() => OneTimeKind::Usage,
            (Action::Add, Some(Role::Fee)) if row.cancel_date.is_some() => OneTimeKind::Fee,
            (Action::Add, Some(Role::Setup)) if row.cancel_date.is_some() => OneTimeKind::SetupFee,
            _ => continue,
        };
        let Ok(billed) = crate::plan::billed_once(row, &p.currency) else {
            continue;
        };
        let (Some(sum), Some(total)) = (
            sums.get(&kind)
                .copied()
                .unwrap_or_default()
                .checked_add(billed),
            named.checked_add(billed),
        ) else {
            continue;
        };
        sums.insert(kind, sum);
        named = total;
    }
    if let Some(other) = p.totals.one_time.checked_sub(named) {
        sums.insert(OneTimeKind::Other, other);
    }
    sums.into_iter().filter(|(_, v)| !v.is_zero()).collect()
}

/// The date a row shows and what it means: a Billing Order's is the closed period it bills (its
/// usage rows' dates); any other task's is its effective date as its wizard has it.
fn effective_of(r: &Review) -> (Option<String>, Option<String>) {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    if r.loaded.task.task_type == TaskType::BillingOrder {
        let usage = r.planned.as_ref().and_then(|p| {
            p.plan
                .rows
                .iter()
                .filter(|row| counts_as_the_tasks(row) && row.role() == Some(Role::Usage))
                .find_map(|row| row.cancel_date.map(|end| (row.effective_date, end)))
        });
        return match usage {
            Some((start, end)) => (
                Some(day(start)),
                Some(format!(
                    "Usage of the closed period {} to {}",
                    day(start),
                    day(end)
                )),
            ),
            None => (None, None),
        };
    }
    (
        r.agreements.as_ref().map(|a| a.effective_text.clone()),
        None,
    )
}

/// The row's figures from a review.
fn figures_of(r: &Review, task_currency: &str) -> Figures {
    let mut f = Figures {
        currency: task_currency.to_owned(),
        places: Currency::DEFAULT_DECIMALS,
        period: crate::plan::subscription_period(&r.loaded.subscription)
            .ok()
            .map(|(period, _)| period),
        ..Figures::default()
    };
    (f.effective_date, f.effective_note) = effective_of(r);
    if let Some(a) = &r.agreements {
        f.period = Some(a.period);
        if !a.currency.is_empty() {
            f.currency = a.currency.clone();
        }
        if let Some(chosen) = a.chosen {
            f.agreement_id = Some(chosen.id);
            f.agreement_name = Some(chosen.name.clone());
        }
    }
    if let Some(p) = &r.planned {
        f.one_time = Some(p.totals.one_time);
        f.one_time_parts = one_time_parts(p);
        f.agreement_id = Some(p.agreement.id);
        f.agreement_name = Some(p.agreement.name.clone());
        f.currency = p.currency.code.clone();
        f.places = p.currency.amount_places();
        f.writes = u32::try_from(p.writes().count()).unwrap_or(u32::MAX);
        f.prorated = Some(p.totals.prorated);
        f.recurring_before = Some(p.totals.recurring_before);
        f.recurring_after = Some(p.totals.recurring_after);
        f.agreement_amount = Some(p.totals.agreement_amount);
        f.written = u32::try_from(p.written().count()).unwrap_or(u32::MAX);
        f.already = p.already_in_connectwise();
        f.calendar = Some(p.invoiced.words());
        f.next_invoice = p
            .next_invoice
            .as_ref()
            .map(|n| (n.before.total, n.after.total, n.after.date));
    }
    f
}

/// Why a review's problem blocks Sync, as the board names it.
fn reason_of(field: ReviewField, r: &Review) -> AttentionReason {
    match field {
        ReviewField::Company => AttentionReason::CustomerNotMapped,
        ReviewField::Product => AttentionReason::ProductNotMapped,
        ReviewField::Addition => AttentionReason::AdditionToChoose,
        ReviewField::Draft => AttentionReason::DraftProblem,
        ReviewField::Agreement => match &r.agreements {
            Some(a) if a.chosen.is_none() => {
                if a.fitting().count() >= 2 {
                    AttentionReason::SeveralAgreementsFit
                } else {
                    AttentionReason::NoAgreementFits
                }
            }
            _ => AttentionReason::Invalid,
        },
        _ => AttentionReason::Invalid,
    }
}

/// Task types whose plan prorates new additions (and so is changed by ConnectWise's proration).
fn prorates(task_type: TaskType) -> bool {
    matches!(task_type, TaskType::SalesOrder | TaskType::ChangeOrder)
}

/// What a review says of a row: its attention reasons, in the review's own words.
fn attention_of(r: &Review, figures: &Figures, attention: &mut Vec<Attention>) {
    for p in &r.problems {
        attend(attention, reason_of(p.field, r), p.message.clone());
    }
    if let Some(p) = &r.planned {
        if p.agreement.prorate_flag && prorates(r.loaded.task.task_type) {
            attend(
                attention,
                AttentionReason::ConnectWiseProration,
                format!(
                    "“{}” has ConnectWise proration on: ConnectWise prorates new additions itself, so no prorate additions are planned. Check this task in its wizard and sync it from there.",
                    p.agreement.name
                ),
            );
        }
        if r.problems.is_empty() && figures.writes == 0 && figures.already.is_none() {
            attend(
                attention,
                AttentionReason::NothingToWrite,
                "Nothing is selected to write: open the task and select at least one row.",
            );
        }
    }
}

/// Plans a loaded task as the wizard would; saved edits that can no longer be planned are left
/// out (the row says so, and how to reset them).
fn review_row(loaded: Loaded, task_currency: &str, attention: &mut Vec<Attention>) -> Figures {
    let failed = match review::review(&loaded) {
        Ok(r) => {
            let figures = figures_of(&r, task_currency);
            attention_of(&r, &figures, attention);
            return figures;
        }
        Err(e) => e,
    };
    if loaded.draft == Draft::default() {
        attend(attention, AttentionReason::Invalid, failed.to_string());
        return Figures {
            currency: task_currency.to_owned(),
            places: Currency::DEFAULT_DECIMALS,
            ..Figures::default()
        };
    }
    let fresh = Loaded {
        draft: Draft::default(),
        draft_unreadable: false,
        ..loaded
    };
    attend(
        attention,
        AttentionReason::DraftProblem,
        format!(
            "This task's saved edits can no longer be planned: {failed} Open it and reset its edits."
        ),
    );
    match review::review(&fresh) {
        Ok(r) => figures_of(&r, task_currency),
        Err(_) => Figures {
            currency: task_currency.to_owned(),
            places: Currency::DEFAULT_DECIMALS,
            ..Figures::default()
        },
    }
}

fn amount(value: Option<Decimal>, places: u32) -> String {
    value.map(|v| money::format(v, places)).unwrap_or_default()
}

fn parts_view(parts: &[(OneTimeKind, Decimal)], places: u32) -> Vec<OneTimePart> {
    parts
        .iter()
        .map(|(kind, v)| OneTimePart {
            kind: *kind,
            amount: money::format(*v, places),
        })
        .collect()
}

/// One period of a billing cycle, for "−1050.00 USD / quarter": "month", "quarter",
/// "half-year", "year" for ConnectWise's cycles (the wizard's Monthly, Quarterly, SemiAnnual,
/// Yearly), else the period itself ("2 months", "30 days").
pub fn per_period(period: BillingPeriod) -> String {
    // One set of words for every screen (see `BillingPeriod::per_words`).
    period.per_words()
}

/// A period's rough length in days, to list the shorter cycles first.
fn rough_days(period: &BillingPeriod) -> u64 {
    let count = u64::from(period.count());
    match period.unit() {
        PeriodUnit::Day => count,
        PeriodUnit::Month => count * 31,
        PeriodUnit::Year => count * 366,
    }
}

/// One task of the batch, planned from the cache.
pub(crate) fn prepare(
    conn: &Connection,
    entry: &BatchTask,
    directory: &Directory,
) -> Result<Prepared> {
    let task = tasks::get(conn, entry.task_id)?;
    let open_sync = journal::open_of_task(conn, task.id)?;
    let kept: Option<Figures> = entry
        .planned
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok());
    let mut attention = Vec::new();
    let mut message = entry.message.clone();
    let figures = match (task.status, open_sync, kept) {
        // Synced, or a sync to finish: what was planned when it began is what it writes.
        (TaskStatus::Synced, _, Some(kept)) | (_, Some(_), Some(kept)) => kept,
        (TaskStatus::Synced, _, None) => Figures {
            currency: task.currency.clone(),
            places: Currency::DEFAULT_DECIMALS,
            ..Figures::default()
        },
        (_, Some(sync_id), None) => {
            let j = journal::record(conn, sync_id)?;
            Figures {
                agreement_id: Some(j.agreement_id),
                agreement_name: Some(j.agreement_name),
                currency: j.currency,
                places: Currency::DEFAULT_DECIMALS,
                writes: u32::try_from(j.writes.len()).unwrap_or(u32::MAX),
                ..Figures::default()
            }
        }
        (TaskStatus::Ignored, None, _) => {
            attend(
                &mut attention,
                AttentionReason::NotPending,
                match &task.ignored_reason {
                    Some(reason) => format!("Ignored: {reason}"),
                    None => "Ignored.".to_owned(),
                },
            );
            Figures {
                currency: task.currency.clone(),
                places: Currency::DEFAULT_DECIMALS,
                ..Figures::default()
            }
        }
        (TaskStatus::Pending | TaskStatus::Failed, None, _) => {
            match review::load_with(conn, task.id, directory.clone()) {
                Ok(loaded) => review_row(loaded, &task.currency, &mut attention),
                Err(e @ Error::Store(_)) => return Err(e),
                Err(e) => {
                    attend(&mut attention, AttentionReason::Invalid, e.to_string());
                    Figures {
                        currency: task.currency.clone(),
                        places: Currency::DEFAULT_DECIMALS,
                        ..Figures::default()
                    }
                }
            }
        }
    };
    if task.status == TaskStatus::Synced && entry.state != BatchTaskState::Synced {
        attend(
            &mut attention,
            AttentionReason::NotPending,
            "Already synced: Sync checks it again and writes nothing.",
        );
    }
    if open_sync.is_some() && message.is_none() {
        message = Some(
            "Its last sync stopped part-way: Sync checks what was written and finishes it, writing nothing twice."
                .to_owned(),
        );
    }
    let already = already_words(&figures, task.status, &attention);
    let [next_invoice_before, next_invoice_after, next_invoice_date] = invoice_cells(&figures);
    let ready = attention.is_empty() && task.status != TaskStatus::Synced && already.is_none();
    let row = BoardRow {
        written: figures.written,
        already,
        company_name: None,
        agreement_id: figures.agreement_id,
        agreement_name: figures.agreement_name.clone(),
        currency: figures.currency.clone(),
        writes: figures.writes,
        prorated: amount(figures.prorated, figures.places),
        one_time: amount(figures.one_time, figures.places),
        one_time_parts: parts_view(&figures.one_time_parts, figures.places),
        recurring_before: amount(figures.recurring_before, figures.places),
        recurring_after: amount(figures.recurring_after, figures.places),
        recurring_change: amount(figures.change(), figures.places),
        agreement_amount: amount(
            figures.agreement_amount.filter(|a| !a.is_zero()),
            figures.places,
        ),
        billing_cycle: figures.period.map(fit::cycle_words).unwrap_or_default(),
        per: figures.period.map(per_period).unwrap_or_default(),
        effective_date: figures.effective_date.clone().unwrap_or_default(),
        effective_note: figures.effective_note.clone(),
        calendar: figures.calendar.clone(),
        next_invoice_before,
        next_invoice_after,
        next_invoice_date,
        ready,
        attention,
        state: entry.state,
        message,
        addition_ids: entry.addition_ids.clone(),
        sync_id: entry.sync_id,
        task,
    };
    let mut prepared = Prepared {
        row,
        figures,
        open_sync,
    };
    prepared.row.company_name = company_name(conn, &prepared.row.task.customer_id, directory)?;
    Ok(prepared)
}

/// The evidence, in words, when every write of a pending task is already in ConnectWise.
fn already_words(figures: &Figures, status: TaskStatus, attention: &[Attention]) -> Option<String> {
    match (&figures.already, status) {
        (Some(ids), TaskStatus::Pending | TaskStatus::Failed) if attention.is_empty() => {
            Some(crate::words::already_in_connectwise(ids))
        }
        _ => None,
    }
}

/// The next invoice's total before and after, and its date, as the board shows them.
fn invoice_cells(figures: &Figures) -> [String; 3] {
    let next = figures.next_invoice;
    [
        amount(next.map(|n| n.0), figures.places),
        amount(next.map(|n| n.1), figures.places),
        next.map(|n| n.2.to_string()).unwrap_or_default(),
    ]
}

/// The name of the company the customer is mapped to, if it is cached.
fn company_name(
    conn: &Connection,
    customer_id: &str,
    directory: &Directory,
) -> Result<Option<String>> {
    Ok(
        crate::store::mappings::company_for(conn, customer_id)?.and_then(|id| {
            directory
                .companies
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.name.clone())
        }),
    )
}

/// What the ready rows of one currency add up to.
struct Sums {
    tasks: u32,
    writes: u32,
    places: u32,
    one_time: Decimal,
    prorated: Decimal,
    parts: BTreeMap<OneTimeKind, Decimal>,
    /// The recurring change per billing period (`None`: a row whose period is not known).
    recurring: Vec<(Option<BillingPeriod>, Decimal)>,
}

/// `sum + value`, the sum kept when it would not fit (amounts of ConnectWise's size never do).
fn add(sum: &mut Decimal, value: Decimal) {
    *sum = sum.checked_add(value).unwrap_or(*sum);
}

/// The board of the prepared rows: the counts, and the totals of the ready rows per currency —
/// their one-time charges, and their recurring change per billing cycle, never adding one
/// cycle's to another's (summed from the plans' amounts, to the cent of each currency).
pub(crate) fn assemble(
    batch: &BatchRecord,
    prepared: Vec<Prepared>,
    today: NaiveDate,
) -> BoardView {
    let mut sums: BTreeMap<String, Sums> = BTreeMap::new();
    for p in prepared.iter().filter(|p| p.row.ready) {
        let f = &p.figures;
        let entry = sums.entry(f.currency.clone()).or_insert_with(|| Sums {
            tasks: 0,
            writes: 0,
            places: f.places,
            one_time: Decimal::ZERO,
            prorated: Decimal::ZERO,
            parts: BTreeMap::new(),
            recurring: Vec::new(),
        });
        entry.tasks += 1;
        entry.writes = entry.writes.saturating_add(f.writes);
        entry.places = entry.places.max(f.places);
        let rounded = |v: Option<Decimal>| money::round_half_away(v.unwrap_or_default(), f.places);
        add(&mut entry.one_time, rounded(f.one_time));
        add(&mut entry.prorated, rounded(f.prorated));
        for (kind, v) in &f.one_time_parts {
            add(entry.parts.entry(*kind).or_default(), rounded(Some(*v)));
        }
        let change = rounded(f.change());
        match entry
            .recurring
            .iter_mut()
            .find(|(period, _)| *period == f.period)
        {
            Some((_, sum)) => add(sum, change),
            None => entry.recurring.push((f.period, change)),
        }
    }
    let totals = sums
        .into_iter()
        .map(|(currency, mut s)| {
            s.recurring
                .sort_by_key(|(period, _)| period.as_ref().map_or(u64::MAX, rough_days));
            CurrencyTotals {
                currency,
                tasks: s.tasks,
                writes: s.writes,
                one_time: money::format(s.one_time, s.places),
                one_time_parts: s
                    .parts
                    .into_iter()
                    .filter(|(_, v)| !v.is_zero())
                    .map(|(kind, v)| OneTimePart {
                        kind,
                        amount: money::format(v, s.places),
                    })
                    .collect(),
                prorated: money::format(s.prorated, s.places),
                recurring: s
                    .recurring
                    .into_iter()
                    .map(|(period, change)| CycleChange {
                        cycle: period.map(fit::cycle_words).unwrap_or_default(),
                        per: period.map_or_else(|| "period".to_owned(), per_period),
                        change: money::format(change, s.places),
                    })
                    .collect(),
            }
        })
        .collect();
    let rows: Vec<BoardRow> = prepared.into_iter().map(|p| p.row).collect();
    BoardView {
        batch_id: batch.id,
        created_at: batch.created_at.clone(),
        today: today.format("%Y-%m-%d").to_string(),
        ready: rows.iter().filter(|r| r.ready).count() as u32,
        already: rows.iter().filter(|r| r.already.is_some()).count() as u32,
        needs_attention: rows.iter().filter(|r| !r.attention.is_empty()).count() as u32,
        totals,
        sync_started: batch.sync_started_at.is_some(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_period_of_each_cycle_is_named_as_billing_people_say_it() {
        let p = |unit, count| BillingPeriod::new(unit, count).unwrap();
        let cases = [
            (BillingPeriod::MONTHLY, "Monthly", "month"),
            (BillingPeriod::QUARTERLY, "Quarterly", "quarter"),
            (BillingPeriod::SEMI_ANNUAL, "SemiAnnual", "half-year"),
            (BillingPeriod::YEARLY, "Yearly", "year"),
            (p(PeriodUnit::Month, 12), "Yearly", "year"),
            (p(PeriodUnit::Month, 2), "2 months", "2 months"),
            (p(PeriodUnit::Day, 30), "30 days", "30 days"),
        ];
        for (period, cycle, per) in cases {
            assert_eq!(fit::cycle_words(period), cycle, "{period}");
            assert_eq!(per_period(period), per, "{period}");
        }
        let mut periods = [
            BillingPeriod::YEARLY,
            p(PeriodUnit::Day, 30),
            BillingPeriod::QUARTERLY,
            BillingPeriod::MONTHLY,
        ];
        periods.sort_by_key(rough_days);
        assert_eq!(
            periods.map(per_period),
            ["30 days", "month", "quarter", "year"].map(str::to_owned)
        );
    }
}
