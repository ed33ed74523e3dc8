//! The review wizard (SPEC §2.4): what the window shows of a task's review (DESIGN rule 12:
//! `review` decides, [`present`] shows) and the edits that change it. Works from the cache
//! only, so it works offline.

pub mod notes;
pub mod ops;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::connectwise::wire::{CatalogItem, Company};
use crate::draft::{Draft, EditableField};
use crate::error::{Error, ErrorField, Result};
use crate::fit::{self, Unfit};
use crate::money::{self, Currency};
use crate::plan::FixMode;
use crate::plan::{Action, BillCustomer, PlannedAddition, PriceSource, WriteAction};
use crate::reconcile::fix::Fix;
use crate::review::{self, Directory, Loaded, Problem, Review};
use crate::store::{drafts, mappings};
use crate::suggest::{CatalogIndex, CompanyIndex};
use crate::validate::{self, ReviewField};
use crate::view::*;

/// How many ranked suggestions the window gets.
const SUGGESTIONS: usize = 5;

pub(crate) fn company_option(c: &Company, score: Option<u8>) -> CompanyOption {
    CompanyOption {
        id: c.id,
        identifier: c.identifier.clone(),
        name: c.name.clone(),
        score,
        likeness: score.map(Likeness::of),
    }
}

pub(crate) fn catalog_option(c: &CatalogItem, score: Option<u8>) -> CatalogOption {
    CatalogOption {
        id: c.id,
        identifier: c.identifier.clone(),
        description: c.description.clone(),
        // Like the plan's prices: at least two places (4.50, 22.00), more when it has them.
        price: c
            .price
            .map(|p| money::format_price(p, &Currency::with_default_decimals("")))
            .unwrap_or_default(),
        score,
        likeness: score.map(Likeness::of),
    }
}

fn action_view(a: Action) -> RowAction {
    match a {
        Action::Add => RowAction::Add,
        Action::Cancel => RowAction::Cancel,
        Action::Change => RowAction::Change,
        Action::Prorate => RowAction::Prorate,
        Action::Unchanged => RowAction::Unchanged,
        Action::Remove => RowAction::Remove,
    }
}

pub fn source_view(s: PriceSource) -> PriceSourceView {
    match s {
        PriceSource::CloudMarketplace => PriceSourceView::CloudMarketplace,
        PriceSource::ConnectWise => PriceSourceView::ConnectWise,
    }
}

pub fn source_from_view(s: PriceSourceView) -> PriceSource {
    match s {
        PriceSourceView::CloudMarketplace => PriceSource::CloudMarketplace,
        PriceSourceView::ConnectWise => PriceSource::ConnectWise,
    }
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// An agreement's unfitness in words: "Yearly — subscription is Monthly".
fn unfit_text(unfit: &Unfit, period: crate::period::BillingPeriod, currency: &str) -> String {
    match unfit {
        Unfit::NotActive { status } => format!("{status} — only active agreements can be changed"),
        Unfit::Ended { on } => format!("Ended {on}"),
        Unfit::OtherCycle { cycle } => format!(
            "{} — subscription is {}",
            if cycle.is_empty() {
                "No billing cycle"
            } else {
                cycle
            },
            fit::cycle_words(period)
        ),
        Unfit::OtherCurrency { currency: theirs } => format!(
            "{} — subscription is {currency}",
            if theirs.is_empty() {
                "No currency"
            } else {
                theirs
            }
        ),
    }
}

/// A planned row as the window shows it: refused values as typed, the rest as planned.
fn row_view(
    l: &Loaded,
    row: &PlannedAddition,
    reviewed: &review::RowReview,
    currency: &Currency,
) -> PlanRowView {
    let text = |field: EditableField, value: String| {
        reviewed.refused.get(&field).cloned().unwrap_or(value)
    };
    let bill = text(
        EditableField::BillCustomer,
        row.bill_customer.as_str().to_owned(),
    );
    PlanRowView {
        key: row.key.clone(),
        action: action_view(row.action),
        selected: row.selected,
        product_key: row.product_key.clone(),
        product_name: row.product_name.clone(),
        catalog_identifier: row
            .catalog_item_id
            .and_then(|id| l.catalog.iter().find(|c| c.id == id))
            .map(|c| c.identifier.clone()),
        existing_addition_id: row.existing_addition_id,
        effective_date: text(EditableField::EffectiveDate, date_text(row.effective_date)),
        cancel_date: text(
            EditableField::CancelDate,
            row.cancel_date.map(date_text).unwrap_or_default(),
        ),
        description: text(EditableField::Description, row.description.clone()),
        quantity: text(
            EditableField::Quantity,
            row.quantity.normalize().to_string(),
        ),
        unit_price: text(
            EditableField::UnitPrice,
            money::format_price(row.unit_price, currency),
        ),
        unit_cost: text(
            EditableField::UnitCost,
            money::format_price(row.unit_cost, currency),
        ),
        bill_customer: bill.clone(),
        bill_label: BillCustomer::parse(&bill)
            .map(|b| b.label().to_owned())
            .unwrap_or(bill),
        bill_choices: BillCustomer::ALL
            .map(|b| BillChoice {
                value: b.as_str().to_owned(),
                label: b.label().to_owned(),
            })
            .to_vec(),
        taxable: row.taxable,
        price_source: source_view(row.price_source),
        ext_price: if reviewed.amounts_valid() {
            money::format(row.ext_price, currency.amount_places())
        } else {
            String::new()
        },
        note: notes::row_notes(&row.notes),
        stops: (row.action == Action::Cancel).then(|| crate::sync::write::stops(row, currency)),
        edited: reviewed
            .edit
            .as_ref()
            .map(|e| e.fields.keys().copied().collect())
            .unwrap_or_default(),
        found: row.found.as_ref().map(|f| FoundView {
            kind: f.kind,
            addition_id: f.addition_id,
            words: notes::found(f, row),
        }),
    }
}

/// What one write of the plan does, in words, with its amount.
fn write_view(r: &PlannedAddition, currency: &Currency) -> PlannedWrite {
    let description = crate::sync::write::describe_write(r, currency);
    PlannedWrite {
        row_key: r.key.clone(),
        kind: WriteAction::of(r.action).unwrap_or(WriteAction::CreateAddition),
        description: match r.action {
            Action::Cancel => description,
            _ => format!(
                "{description} = {}",
                money::format(r.ext_price, currency.amount_places())
            ),
        },
    }
}

/// What the window shows of a review.
pub fn present(r: &Review) -> WizardView {
    let l = r.loaded;
    let customer = customer_step(r);
    let agreements = r.agreements.as_ref().map(|a| agreement_step(r, a));
    let plan = r.planned.as_ref().map(|p| plan_step(r, p));
    let draft_problem = r
        .problems
        .iter()
        .find(|p| p.field == ReviewField::Draft)
        .map(|p| p.message.clone());
    let mut view = WizardView {
        task: l.task.clone(),
        connectwise_fetched_at: l.fetched_at.clone(),
        customer,
        agreements,
        plan,
        problems: r.problems.clone(),
        history: l.history.iter().cloned().map(SyncView::from).collect(),
        draft_problem,
        fix: l.fix.as_ref().map(|f| fix_view(f, r)),
    };
    summarise_problems(&mut view);
    view
}

/// The customer step: the company the customer is mapped to, and suggestions.
fn customer_step(r: &Review) -> CustomerStep {
    let l = r.loaded;
    CustomerStep {
        customer_id: l.task.customer_id.clone(),
        customer_name: l.task.customer_name.clone(),
        company: r.company.map(|c| company_option(c, None)),
        suggestions: l
            .companies
            .rank(&l.task.customer_name, SUGGESTIONS)
            .into_iter()
            .map(|s| company_option(s.item, Some(s.score)))
            .collect(),
    }
}

/// The agreement step: the company's agreements, which fit, and why the others do not.
fn agreement_step(r: &Review, a: &review::Agreements<'_>) -> AgreementStep {
    let options: Vec<AgreementOption> = a
        .options
        .iter()
        .map(|(agreement, unfit)| AgreementOption {
            id: agreement.id,
            name: agreement.name.clone(),
            billing_cycle: agreement
                .billing_cycle
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            currency: agreement
                .currency
                .as_ref()
                .and_then(|c| c.code())
                .unwrap_or("")
                .to_owned(),
            prorate_flag: agreement.prorate_flag,
            fits: unfit.is_none(),
            reason: unfit.as_ref().map(|u| unfit_text(u, a.period, &a.currency)),
        })
        .collect();
    let company = r.company.map(|c| c.name.as_str()).unwrap_or_default();
    AgreementStep {
        message: options
            .iter()
            .all(|o| !o.fits)
            .then(|| fit::no_fitting_agreement(company, a.period, &a.currency)),
        options,
        chosen: a.chosen.map(|c| c.id),
        subscription_cycle: fit::cycle_words(a.period),
        subscription_currency: a.currency.clone(),
    }
}

/// The changes step: the plan's rows, the products' mappings, the additions to choose from.
fn plan_step(r: &Review, p: &review::Planned<'_>) -> PlanStep {
    let l = r.loaded;
    let a = r.agreements.as_ref();
    let currency = &p.currency;
    PlanStep {
            effective_date: a.map(|a| a.effective_text.clone()).unwrap_or_default(),
            effective_date_not_used: (l.task.task_type == crate::task::TaskType::BillingOrder)
                .then(|| {
                    "A Billing Order bills the period that closed before the order (the dates on its rows), so it takes no effective date.".to_owned()
                }),
            price_source: source_view(l.draft.price_source),
            rows: p
                .plan
                .rows
                .iter()
                .zip(&p.rows)
                .map(|(row, reviewed)| row_view(l, row, reviewed, currency))
                .collect(),
            products: p
                .products
                .iter()
                .map(|(key, name)| product_mapping(l, key, name))
                .collect(),
            choices: p
                .plan
                .ambiguous
                .iter()
                .map(|a| (&a.product_key, &a.addition_ids, None))
                .chain(
                    p.plan
                        .kept
                        .iter()
                        .map(|k| (&k.product_key, &k.addition_ids, Some(k.kept))),
                )
                .map(|(key, ids, kept)| AdditionChoice {
                    product_key: key.clone(),
                    product_name: review::product_name(&l.order, &l.subscription, key),
                    addition_ids: ids.clone(),
                    kept,
                })
                .collect(),
            notes: p.plan.notes.iter().map(notes::plan_note).collect(),
            calendar: crate::view::CalendarView::of(&p.invoiced),
            summary: plan_summary(r, p),
        }
}

/// The Summary: what Sync writes, the amounts before and after, and what is written already.
fn plan_summary(r: &Review, p: &review::Planned<'_>) -> PlanSummary {
    let currency = &p.currency;
    let places = currency.amount_places();
    let already = p.already_in_connectwise();
    PlanSummary {
        agreement_name: p.agreement.name.clone(),
        company_name: r.company.map(|c| c.name.clone()).unwrap_or_default(),
        currency: currency.code.clone(),
        prorated: money::format(p.totals.prorated, places),
        one_time: money::format(p.totals.one_time, places),
        agreement_amount: (!p.totals.agreement_amount.is_zero())
            .then(|| money::format(p.totals.agreement_amount, places)),
        recurring_before: money::format(p.totals.recurring_before, places),
        recurring_after: money::format(p.totals.recurring_after, places),
        writes: p.writes().map(|w| write_view(w, currency)).collect(),
        ready: r.is_ready() && (p.writes().next().is_some() || already.is_some()),
        written: p.written().map(|w| write_view(w, currency)).collect(),
        already: already.as_deref().map(crate::words::already_in_connectwise),
        problems: Vec::new(),
        next_invoice: p
            .next_invoice
            .as_ref()
            .map(|n| crate::view::NextInvoiceView::of(n, currency)),
        proration_warning: p.agreement.prorate_flag.then(|| {
            format!(
                "“{}” has ConnectWise proration on: ConnectWise prorates new additions itself, so no prorate additions are planned (adding them would charge the customer twice).",
                p.agreement.name
            )
        }),
    }
}

/// The Summary of a view with problems: each problem where it is, and no amount or write. A
/// refused value leaves the planned one in the plan, so its amounts and writes are not what
/// the person typed (quantity “abc” would still read “25 × 22.00 = 550.00”); an unmapped
/// product or an addition to choose leaves rows out.
fn summarise_problems(view: &mut WizardView) {
    let Some(plan) = view.plan.as_mut() else {
        return;
    };
    let listed: Vec<SummaryProblem> = view
        .problems
        .iter()
        .map(|p| SummaryProblem {
            row_key: p.row_key.clone(),
            field: p.field,
            place: problem_place(p, &plan.rows),
            message: p.message.clone(),
        })
        .collect();
    let summary = &mut plan.summary;
    summary.problems = listed;
    if summary.problems.is_empty() {
        return;
    }
    for amount in [
        &mut summary.prorated,
        &mut summary.one_time,
        &mut summary.recurring_before,
        &mut summary.recurring_after,
    ] {
        amount.clear();
    }
    summary.agreement_amount = None;
    summary.next_invoice = None;
    summary.writes.clear();
    summary.written.clear();
    summary.already = None;
    summary.ready = false;
}

/// Where a problem is, in a billing person's words: the row (its product and what it does) and
/// the field, or the part of the review a task's problem belongs to.
fn problem_place(p: &Problem, rows: &[PlanRowView]) -> String {
    let field = p.field.label();
    let Some(row) = p
        .row_key
        .as_deref()
        .and_then(|key| rows.iter().find(|r| r.key == key))
    else {
        return match p.field {
            ReviewField::Company => "Customer → ConnectWise company".to_owned(),
            ReviewField::Product => "Marketplace product → catalog item".to_owned(),
            ReviewField::Addition => "Existing additions".to_owned(),
            _ => field.to_owned(),
        };
    };
    let addition = |what: &str| match row.existing_addition_id {
        Some(id) => format!("{what} addition {id}"),
        None => format!("{what} addition"),
    };
    let role = match row.action {
        RowAction::Add => "new addition".to_owned(),
        RowAction::Cancel => addition("cancel date of"),
        RowAction::Change => addition("change of"),
        RowAction::Prorate => "prorate (one-time)".to_owned(),
        RowAction::Unchanged => addition(""),
        RowAction::Remove => addition("removal of"),
    };
    format!("{}, {} — {field}", row.product_name, role.trim())
}

/// What a reconcile fix fixes, as the wizard shows it above its steps.
fn fix_view(f: &Fix, r: &Review) -> FixView {
    let default_effective = r
        .agreements
        .as_ref()
        .and_then(|a| {
            crate::plan::subscription_period(&r.loaded.subscription)
                .ok()
                .map(|(_, anchor)| review::default_effective(r.loaded, a.period, anchor))
        })
        .map(|d| d.format("%Y-%m-%d").to_string());
    FixView {
        outcome: f.outcome,
        label: f.outcome.label().to_owned(),
        words: crate::reconcile::present::fix_words(&f.found),
        product_name: f.target.product_name.clone(),
        ends_only: f.target.mode == FixMode::End,
        default_effective_date: default_effective.unwrap_or_default(),
    }
}

/// A marketplace product and its catalog item (mapped, or ranked suggestions).
fn product_mapping(l: &Loaded, key: &str, name: &str) -> ProductMapping {
    let catalog = l
        .product_map
        .get(key)
        .and_then(|id| l.catalog.iter().find(|c| c.id == *id))
        .map(|c| catalog_option(c, None));
    let suggestions = l
        .catalog
        .rank(key.strip_prefix("setup:").unwrap_or(key), name, SUGGESTIONS)
        .into_iter()
        .map(|s| catalog_option(s.item, Some(s.score)))
        .collect();
    ProductMapping {
        product_key: key.to_owned(),
        name: name.to_owned(),
        catalog,
        suggestions,
    }
}

/// Builds the whole wizard view of a loaded task.
pub fn build(l: &Loaded) -> Result<WizardView> {
    Ok(present(&review::review(l)?))
}

/// The wizard of a task as it opens. Saved edits that can no longer be planned (an older
/// version's, or data that changed under them) do not lock the task: it opens without them,
/// says why, and offers to reset them.
pub fn open(conn: &Connection, task_id: i64, directory: &Directory) -> Result<WizardView> {
    let loaded = review::load_with(conn, task_id, directory.clone())?;
    match build(&loaded) {
        Ok(view) => Ok(view),
        Err(e) if loaded.draft != Draft::default() => {
            tracing::warn!(task_id, "the task's saved edits cannot be planned: {e}");
            let fresh = Loaded {
                draft: Draft::default(),
                draft_unreadable: false,
                ..loaded
            };
            let mut view = build(&fresh)?;
            let problem = format!(
                "This task's saved edits can no longer be planned: {e} Reset this task's edits to review it again from the order."
            );
            view.problems.insert(
                0,
                Problem {
                    row_key: None,
                    field: ReviewField::Draft,
                    message: problem.clone(),
                },
            );
            view.draft_problem = Some(problem);
            summarise_problems(&mut view);
            Ok(view)
        }
        Err(e) => Err(e),
    }
}

/// Applies one edit from the window to a task loaded once: the stored mappings and draft are
/// written, and `loaded` is brought to what a new load would read, so it is reviewed and shown
/// at once (DESIGN rule 12: one load per edit). Values are checked here.
pub fn apply(conn: &Connection, loaded: &mut Loaded, edit: &WizardEdit, now: &str) -> Result<()> {
    if loaded.draft_unreadable && *edit != WizardEdit::ResetTask {
        return Err(Error::invalid(
            crate::error::ReviewField::Draft,
            "This task's saved edits cannot be read: reset this task's edits first.",
        ));
    }
    let mut draft = loaded.draft.clone();
    match edit {
        WizardEdit::MapCustomer { company_id } => {
            if !loaded.companies.iter().any(|c| c.id == *company_id) {
                return Err(Error::invalid(
                    crate::error::ReviewField::Company,
                    format!("ConnectWise company {company_id} is not in the cache."),
                ));
            }
            mappings::set_company(conn, &loaded.task.customer_id, *company_id, now)?;
            // Another company: the chosen agreement no longer applies.
            if loaded.company_id != Some(*company_id) {
                draft.agreement_id = None;
                loaded.read_company(conn, Some(*company_id))?;
            }
        }
        WizardEdit::ChooseAgreement { agreement_id } => {
            choose_agreement(loaded, &mut draft, *agreement_id)?
        }
        WizardEdit::MapProduct {
            product_key,
            catalog_id,
        } => {
            check_mappable(loaded, *catalog_id)?;
            check_text(crate::error::ReviewField::Product, product_key, 200)?;
            mappings::set_product(conn, product_key, *catalog_id, now)?;
            loaded.product_map.insert(product_key.clone(), *catalog_id);
        }
        WizardEdit::ChooseAddition {
            product_key,
            addition_id,
        } => {
            let known = loaded
                .additions
                .values()
                .any(|(list, _)| list.iter().any(|a| a.id == *addition_id));
            if !known {
                return Err(Error::invalid(
                    crate::error::ReviewField::Addition,
                    format!("Addition {addition_id} is not on the agreement."),
                ));
            }
            check_text(crate::error::ReviewField::Product, product_key, 200)?;
            draft.chosen.insert(product_key.clone(), *addition_id);
        }
        WizardEdit::SetEffectiveDate { value } => {
            check_text(crate::error::ReviewField::EffectiveDate, value, 40)?;
            draft.effective_date = Some(value.clone());
        }
        WizardEdit::SetPriceSourceAll { source } => {
            draft.price_source = source_from_view(*source);
            draft.price_overrides.clear();
        }
        WizardEdit::SelectRow { row_key, selected } => {
            check_text(ErrorField::RowKey, row_key, 300)?;
            draft.rows.entry(row_key.clone()).or_default().selected = Some(*selected);
        }
        WizardEdit::EditRow {
            row_key,
            field,
            value,
        } => edit_row(loaded, &mut draft, row_key, *field, value)?,
        WizardEdit::ResetRow { row_key } => {
            draft.rows.remove(row_key);
        }
        WizardEdit::ResetTask => {
            draft = Draft::default();
        }
    }
    drafts::put(conn, loaded.task.id, &draft, now)?;
    loaded.draft = draft;
    loaded.draft_unreadable = false;
    Ok(())
}

/// The agreement chosen, if it is one of the company's and fits the subscription. Edits made
/// against another agreement's additions are dropped.
fn choose_agreement(loaded: &Loaded, draft: &mut Draft, agreement_id: i64) -> Result<()> {
    let decided = review::review(loaded)?;
    let agreements = decided.agreements.as_ref().ok_or_else(|| {
        Error::invalid(
            crate::error::ReviewField::Agreement,
            "Map the customer to a company first.",
        )
    })?;
    let (agreement, unfit) = agreements.unfit(agreement_id).ok_or_else(|| {
        Error::invalid(
            crate::error::ReviewField::Agreement,
            format!("Agreement {agreement_id} is not one of the company's agreements."),
        )
    })?;
    if let Some(unfit) = unfit {
        return Err(Error::invalid(
            crate::error::ReviewField::Agreement,
            format!(
                "“{}” cannot take this task: {}.",
                agreement.name,
                unfit_text(unfit, agreements.period, &agreements.currency)
            ),
        ));
    }
    if draft.agreement_id != Some(agreement_id) {
        draft.agreement_id = Some(agreement_id);
        draft.rows.clear();
        draft.chosen.clear();
    }
    Ok(())
}

/// A catalog item a product may be mapped to: cached and active.
fn check_mappable(loaded: &Loaded, catalog_id: i64) -> Result<()> {
    let item = loaded
        .catalog
        .iter()
        .find(|c| c.id == catalog_id)
        .ok_or_else(|| {
            Error::invalid(
                crate::error::ReviewField::Product,
                format!("Catalog item {catalog_id} is not in the cache."),
            )
        })?;
    if item.inactive_flag {
        return Err(Error::invalid(
            crate::error::ReviewField::Product,
            format!(
                "Catalog item {} is inactive in ConnectWise.",
                item.identifier
            ),
        ));
    }
    Ok(())
}

/// One field of a row as typed. A row's price source applies to its product (every row of it).
fn edit_row(
    loaded: &Loaded,
    draft: &mut Draft,
    row_key: &str,
    field: EditableField,
    value: &str,
) -> Result<()> {
    check_text(ErrorField::RowKey, row_key, 300)?;
    // Far beyond any valid value; keeps the draft small whatever arrives.
    check_text(ErrorField::Value, value, validate::MAX_DESCRIPTION + 100)?;
    if field != EditableField::PriceSource {
        draft
            .rows
            .entry(row_key.to_owned())
            .or_default()
            .fields
            .insert(field, value.to_owned());
        return Ok(());
    }
    let source: PriceSourceView =
        serde_json::from_value(serde_json::Value::String(value.to_owned())).map_err(|_| {
            Error::invalid(
                crate::error::ReviewField::PriceSource,
                format!("Unknown price source “{value}”."),
            )
        })?;
    let decided = review::review(loaded)?;
    let product = decided
        .planned
        .as_ref()
        .and_then(|p| p.plan.rows.iter().find(|r| r.key == row_key))
        .map(|r| r.product_key.clone())
        .ok_or_else(|| Error::invalid(ErrorField::RowKey, format!("There is no row {row_key}.")))?;
    draft
        .price_overrides
        .insert(product, source_from_view(source));
    Ok(())
}

fn check_text(field: impl Into<ErrorField>, value: &str, max: usize) -> Result<()> {
    let field = field.into();
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("The value of {} is too long.", field.name()),
        ));
    }
    Ok(())
}

/// Companies whose name or identifier contains `text` (case-insensitive), best match first.
pub fn search_companies(
    companies: &CompanyIndex,
    customer_name: &str,
    text: &str,
) -> Vec<CompanyOption> {
    let needle = text.trim().to_lowercase();
    companies
        .rank_where(customer_name, 50, |c| {
            needle.is_empty()
                || c.name.to_lowercase().contains(&needle)
                || c.identifier.to_lowercase().contains(&needle)
        })
        .into_iter()
        .map(|r| company_option(r.item, Some(r.score)))
        .collect()
}

/// Active catalog items whose identifier or description contains `text`.
pub fn search_catalog(catalog: &CatalogIndex, text: &str) -> Vec<CatalogOption> {
    let needle = text.trim().to_lowercase();
    catalog
        .iter()
        .filter(|c| !c.inactive_flag)
        .filter(|c| {
            needle.is_empty()
                || c.identifier.to_lowercase().contains(&needle)
                || c.description.to_lowercase().contains(&needle)
                || c.manufacturer_part_number
                    .as_deref()
                    .is_some_and(|m| m.to_lowercase().contains(&needle))
        })
        .take(50)
        .map(|c| catalog_option(c, None))
        .collect()
}
