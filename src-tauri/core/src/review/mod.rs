//! Deciding a task's review (DESIGN rule 12): from everything loaded for a task once ([`Loaded`])
//! to typed decisions ([`Review`]) — the customer's company, each agreement and why it cannot
//! take the task, the plan with the person's edits, and what blocks Sync. [`review`] does no I/O
//! and builds no screen: the wizard shows a review (`wizard::present`), Sync writes it, a batch
//! prepares many.

use crate::calendar::{self, Invoiced, RecapRead};
use crate::invoice::InvoiceChange;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::connectwise::wire::{Addition, Agreement, Company};
use crate::draft::{EditableField, RowEdit};
use crate::error::Result;
use crate::fit::{agreement_currency, no_fitting_agreement, subscription_currency, unfit, Unfit};
use crate::found;
use crate::marketplace::wire::{Order, Subscription};
use crate::money::{self, Currency};
use crate::period::{self, BillingPeriod};
use crate::plan::{self, Action, BillCustomer, Plan, PlanInput, PlannedAddition, Totals};
use crate::task::TaskType;
use crate::validate::{self, Refusal, ReviewField};

pub mod load;

pub use load::{load, load_with, Directory, DirectoryCache, Loaded};

/// Something that blocks Sync: the field it is about (of a row, when `row_key` is set) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub row_key: Option<String>,
    pub field: ReviewField,
    pub message: String,
}

impl Problem {
    fn of_task(field: ReviewField, message: impl Into<String>) -> Problem {
        Problem {
            row_key: None,
            field,
            message: message.into(),
        }
    }

    fn of_row(row_key: &str, refusal: Refusal) -> Problem {
        Problem {
            row_key: Some(row_key.to_owned()),
            field: refusal.field,
            message: refusal.message,
        }
    }
}

impl From<Refusal> for Problem {
    fn from(r: Refusal) -> Self {
        Problem::of_task(r.field, r.message)
    }
}

/// The agreement step: which of the company's agreements can take the task.
pub struct Agreements<'l> {
    pub period: BillingPeriod,
    /// The subscription's currency code.
    pub currency: String,
    /// The effective date as typed (the order's day when nothing was typed).
    pub effective_text: String,
    /// The effective date planned with: the typed one when valid, else the order's day.
    pub effective: NaiveDate,
    pub options: Vec<(&'l Agreement, Option<Unfit>)>,
    pub chosen: Option<&'l Agreement>,
}

impl Agreements<'_> {
    pub fn fitting(&self) -> impl Iterator<Item = &Agreement> {
        self.options
            .iter()
            .filter(|(_, unfit)| unfit.is_none())
            .map(|(a, _)| *a)
    }

    pub fn unfit(&self, agreement_id: i64) -> Option<(&Agreement, Option<&Unfit>)> {
        self.options
            .iter()
            .find(|(a, _)| a.id == agreement_id)
            .map(|(a, unfit)| (*a, unfit.as_ref()))
    }
}

/// One planned row as the person left it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowReview {
    /// Fields typed with a value that was refused, as typed (shown instead of the planned one).
    pub refused: BTreeMap<EditableField, String>,
    /// The person's edit of the row, if any.
    pub edit: Option<RowEdit>,
}

impl RowReview {
    /// The row's extended amount holds: its quantity and unit price are the ones planned with.
    pub fn amounts_valid(&self) -> bool {
        !self.refused.contains_key(&EditableField::Quantity)
            && !self.refused.contains_key(&EditableField::UnitPrice)
    }
}

/// The plan of a task on its chosen agreement, with the person's edits.
pub struct Planned<'l> {
    pub agreement: &'l Agreement,
    pub currency: Currency,
    /// The agreement's additions as reviewed.
    pub additions: &'l [Addition],
    /// The plan with the edits applied to its rows.
    pub plan: Plan,
    /// Beside each of `plan.rows`, what the person typed into it.
    pub rows: Vec<RowReview>,
    /// Marketplace products (key, name) the plan names, in order; those without a catalog item
    /// are problems.
    pub products: Vec<(String, String)>,
    pub totals: Totals,
    /// Which of the agreement's periods are invoiced (SPEC §16).
    pub invoiced: Invoiced,
    /// The agreement's next invoice before and after the plan, when its calendar is known.
    pub next_invoice: Option<InvoiceChange>,
}

impl Planned<'_> {
    /// The rows Sync writes: selected, not left as they are, not already in ConnectWise.
    pub fn writes(&self) -> impl Iterator<Item = &PlannedAddition> {
        self.plan.rows.iter().filter(|r| r.is_write())
    }

    /// The rows already in ConnectWise (SPEC §15): written by this task from some desk.
    pub fn written(&self) -> impl Iterator<Item = &PlannedAddition> {
        self.plan
            .rows
            .iter()
            .filter(|r| r.found.as_ref().is_some_and(plan::Found::is_written))
    }

    /// When every write of the task is already in ConnectWise: the additions that show it.
    pub fn already_in_connectwise(&self) -> Option<Vec<i64>> {
        let ids: Vec<i64> = self
            .written()
            .filter_map(|r| r.found.as_ref().map(|f| f.addition_id))
            .collect();
        (self.writes().next().is_none() && !ids.is_empty()).then_some(ids)
    }
}

/// A task reviewed: what was decided at each step, and what blocks Sync.
pub struct Review<'l> {
    pub loaded: &'l Loaded,
    pub company: Option<&'l Company>,
    /// Present once the customer is mapped to a company.
    pub agreements: Option<Agreements<'l>>,
    /// Present once an agreement is chosen and its additions are cached.
    pub planned: Option<Planned<'l>>,
    /// Everything that blocks Sync; empty when the plan can be written.
    pub problems: Vec<Problem>,
}

impl Review<'_> {
    pub fn is_ready(&self) -> bool {
        self.problems.is_empty() && self.planned.is_some()
    }
}

/// The quantities a row of this kind may have: a new or changed addition more than 0, a prorate
/// credit negative, anything else 0 or more.
fn quantity_rule(action: Action) -> validate::QuantityRule {
    match action {
        Action::Add | Action::Change => validate::QuantityRule::Positive,
        Action::Prorate => validate::QuantityRule::Signed,
        Action::Cancel | Action::Unchanged | Action::Remove => validate::QuantityRule::NotNegative,
    }
}

/// Applies a person's edit to a planned row. Valid values replace the plan's; refused ones are
/// kept as typed in `refused` and reported.
fn apply_edit(
    row: &mut PlannedAddition,
    edit: &RowEdit,
    currency: &Currency,
    refused: &mut BTreeMap<EditableField, String>,
    problems: &mut Vec<Problem>,
) {
    if let Some(selected) = edit.selected {
        let written = row.found.as_ref().is_some_and(plan::Found::is_written);
        if row.action != Action::Unchanged && !written {
            row.selected = selected;
        }
    }
    let credit = row.action == Action::Prorate;
    for (&field, text) in &edit.fields {
        use EditableField as F;
        let result: std::result::Result<(), Refusal> = match field {
            F::EffectiveDate => validate::date(field.into(), "The effective date", text)
                .map(|d| row.effective_date = d),
            F::CancelDate => validate::optional_date(field.into(), "The cancel date", text)
                .map(|d| row.cancel_date = d),
            F::Description => validate::description(text).map(|d| row.description = d),
            F::Quantity => {
                validate::quantity(text, quantity_rule(row.action)).map(|q| row.quantity = q)
            }
            F::UnitPrice => validate::amount(field.into(), "Unit price", text, currency, credit)
                .map(|v| row.unit_price = v),
            F::UnitCost => validate::amount(field.into(), "Unit cost", text, currency, credit)
                .map(|v| row.unit_cost = v),
            F::BillCustomer => BillCustomer::parse(text.trim())
                .map(|b| row.bill_customer = b)
                .ok_or_else(|| Refusal {
                    field: ReviewField::BillCustomer,
                    message: format!(
                        "Billing must be one of {}, not “{text}”.",
                        BillCustomer::ALL.map(BillCustomer::label).join(", ")
                    ),
                }),
            F::Taxable => validate::flag(field.into(), text).map(|t| row.taxable = t),
            // The price source is planned per product; nothing to apply on the row itself.
            F::PriceSource => Ok(()),
        };
        if let Err(r) = result {
            refused.insert(field, text.to_owned());
            problems.push(Problem::of_row(&row.key, r));
        }
    }
}

/// What a sync would send for a row, checked against the bounds every value keeps (SPEC §6),
/// whether typed or planned; fields already refused as typed are not reported twice.
fn check_row_values(
    row: &PlannedAddition,
    currency: &Currency,
    refused: &BTreeMap<EditableField, String>,
) -> Vec<Refusal> {
    use EditableField as F;
    let credit = row.action == Action::Prorate;
    let mut found = Vec::new();
    let mut check = |field: F, result: std::result::Result<(), Refusal>| {
        if let (false, Err(r)) = (refused.contains_key(&field), result) {
            found.push(r);
        }
    };
    check(
        F::EffectiveDate,
        validate::date_in_range(
            ReviewField::EffectiveDate,
            "The effective date",
            row.effective_date,
        ),
    );
    if let Some(c) = row.cancel_date {
        check(
            F::CancelDate,
            validate::date_in_range(ReviewField::CancelDate, "The cancel date", c),
        );
    }
    if row.action != Action::Cancel {
        check(
            F::Quantity,
            validate::quantity_value(row.quantity, quantity_rule(row.action)),
        );
        for (field, label, value) in [
            (F::UnitPrice, "Unit price", row.unit_price),
            (F::UnitCost, "Unit cost", row.unit_cost),
        ] {
            check(
                field,
                validate::amount_value(field.into(), label, value, currency, credit),
            );
        }
    }
    found
}

/// The marketplace products a plan names (rows that change something, then unmapped ones), in
/// order, each once.
fn products_of(planned: &Plan) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = Vec::new();
    let named = planned
        .rows
        .iter()
        .filter(|r| r.action != Action::Unchanged)
        .map(|r| (&r.product_key, &r.product_name))
        .chain(planned.unmapped.iter().map(|u| (&u.product_key, &u.name)));
    for (key, name) in named {
        if !keys.iter().any(|(k, _)| k == key) {
            keys.push((key.clone(), name.clone()));
        }
    }
    keys
}

/// The name of a product of the order (or subscription) by its key; a setup fee's says so.
pub fn product_name(order: &Order, subscription: &Subscription, key: &str) -> String {
    let mpn = key.strip_prefix("setup:").unwrap_or(key);
    let base = order
        .products
        .iter()
        .find(|p| p.mpn == mpn)
        .map(|p| p.name.clone())
        .or_else(|| {
            subscription
                .products
                .iter()
                .find(|p| p.mpn == mpn)
                .map(|p| p.name.clone())
        })
        .unwrap_or_else(|| key.to_owned());
    if key.starts_with("setup:") {
        format!("{base} — setup fee")
    } else {
        base
    }
}

/// Reviews a loaded task (pure): company, agreements, the plan with the person's edits, and
/// every problem that blocks Sync. An error means the task cannot be planned at all (the
/// subscription's billing period is unknown, a sum does not fit).
pub fn review(l: &Loaded) -> Result<Review<'_>> {
    let mut problems: Vec<Problem> = Vec::new();
    if l.draft_unreadable {
        problems.push(Problem::of_task(
            ReviewField::Draft,
            "This task's saved edits cannot be read (they may come from another version of the app). Reset this task's edits to review it again from the order.",
        ));
    }
    let company = l
        .company_id
        .and_then(|id| l.companies.iter().find(|c| c.id == id));
    let mut review = Review {
        loaded: l,
        company,
        agreements: None,
        planned: None,
        problems: Vec::new(),
    };
    // Customer → company → agreement → the plan with the person's edits; each step needs the
    // one before it, and a missing one is the problem to solve first.
    if let Some(company) = company {
        let agreements = agreements(l, company, &mut problems)?;
        if let Some(agreement) = agreements.chosen {
            review.planned = plan_with_edits(l, agreement, agreements.effective, &mut problems)?;
        }
        review.agreements = Some(agreements);
    } else {
        problems.push(Problem::of_task(
            ReviewField::Company,
            if l.companies.is_empty() {
                "No ConnectWise companies are read yet: press Check Changes to read them."
                    .to_owned()
            } else {
                format!("Map {} to a ConnectWise company.", l.task.customer_name)
            },
        ));
    }
    review.problems = problems;
    Ok(review)
}

/// The effective date when none is typed: the order's day; for a reconcile fix, the start of the
/// period after the one it was made in, so nothing is prorated (SPEC §13).
pub fn default_effective(l: &Loaded, period: BillingPeriod, anchor: NaiveDate) -> NaiveDate {
    let day = l.order.creation_date.date_naive();
    if l.task.task_type != TaskType::ReconcileFix {
        return day;
    }
    period::checked_period_containing(anchor, period, day)
        .map(|span| span.end_exclusive)
        .unwrap_or(day)
}

/// The company's agreements, each fitting the subscription or not (and why), and the one chosen:
/// the draft's choice if it fits, else a fix's agreement if it fits, else the only one that
/// fits.
fn agreements<'l>(
    l: &'l Loaded,
    company: &Company,
    problems: &mut Vec<Problem>,
) -> Result<Agreements<'l>> {
    let (period, anchor) = plan::subscription_period(&l.subscription)?;
    let currency_code = subscription_currency(&l.subscription);
    let order_day = default_effective(l, period, anchor);
    let effective_text = l
        .draft
        .effective_date
        .clone()
        .unwrap_or_else(|| order_day.format("%Y-%m-%d").to_string());
    let effective = validate::date(
        ReviewField::EffectiveDate,
        "The effective date",
        &effective_text,
    )
    .unwrap_or_else(|r| {
        problems.push(r.into());
        order_day
    });
    let options: Vec<(&Agreement, Option<Unfit>)> = l
        .agreements
        .iter()
        .map(|a| (a, unfit(a, &l.cycles, period, &currency_code, effective)))
        .collect();
    let fitting: Vec<&Agreement> = options
        .iter()
        .filter(|(_, u)| u.is_none())
        .map(|(a, _)| *a)
        .collect();
    let fix_agreement = l.fix.as_ref().and_then(|f| f.agreement_id);
    let chosen = match l
        .draft
        .agreement_id
        .or(fix_agreement)
        .and_then(|id| fitting.iter().find(|a| a.id == id))
    {
        Some(a) => Some(*a),
        None if fitting.len() == 1 => fitting.first().copied(),
        None => None,
    };
    if chosen.is_none() {
        problems.push(Problem::of_task(
            ReviewField::Agreement,
            if fitting.is_empty() {
                no_fitting_agreement(&company.name, period, &currency_code)
            } else {
                "Choose the agreement to change.".to_owned()
            },
        ));
    }
    Ok(Agreements {
        period,
        currency: currency_code,
        effective_text,
        effective,
        options,
        chosen,
    })
}

/// The plan for the chosen agreement with the person's edits applied, each row reviewed, and
/// the problems left to solve (dates outside the agreement, products without a catalog item,
/// additions to choose). `None` when the agreement's additions are not cached.
fn plan_with_edits<'l>(
    l: &'l Loaded,
    agreement: &'l Agreement,
    effective: NaiveDate,
    problems: &mut Vec<Problem>,
) -> Result<Option<Planned<'l>>> {
    let draft = &l.draft;
    let Some((additions, _)) = l.additions.get(&agreement.id) else {
        let message = match l.additions_unreadable.get(&agreement.id) {
            Some(why) => format!(
                "The additions of “{}” could not be read from ConnectWise: {why}",
                agreement.name
            ),
            None => format!(
                "The additions of “{}” are not read yet: they are read as soon as ConnectWise can be reached (open this task again then).",
                agreement.name
            ),
        };
        problems.push(Problem::of_task(ReviewField::Agreement, message));
        return Ok(None);
    };
    let currency = agreement_currency(agreement, &l.currencies);
    let overrides: HashMap<String, _> = draft.price_overrides.clone().into_iter().collect();
    let chosen_additions: HashMap<String, i64> = draft.chosen.clone().into_iter().collect();
    // Planned against the agreement as it was before this task's own writes (SPEC §15).
    let (mine, others) = found::split(additions, &l.order.id, &l.subscription.id);
    let invoiced = calendar::invoiced(
        agreement,
        l.recaps.get(&agreement.id).unwrap_or(&RecapRead::NotRead),
    );
    let mut planned: Plan = plan::plan(&PlanInput {
        task_type: l.task.task_type,
        order: &l.order,
        subscription: &l.subscription,
        agreement,
        additions: &others,
        catalog: &l.catalog,
        product_map: &l.product_map,
        currency: &currency,
        effective_date: effective,
        price_source: draft.price_source,
        price_overrides: &overrides,
        chosen: &chosen_additions,
        fix: l.fix.as_ref().map(|f| &f.target),
        catalog_currency: l.catalog_currency.as_deref(),
        invoiced: &invoiced,
    })?;
    let agreement_span = (
        agreement.start_date.map(|d| d.date_naive()),
        agreement.end_date.map(|d| d.date_naive()),
    );
    if let Err(r) = validate::within_agreement(
        effective,
        agreement_span.0,
        agreement_span.1,
        &agreement.name,
    ) {
        problems.push(r.into());
    }

    found::recognise(&mut planned.rows, &mine, &others);
    let mut rows = Vec::with_capacity(planned.rows.len());
    for row in planned.rows.iter_mut() {
        let edit = draft.rows.get(&row.key);
        let reviewed = review_row(row, edit, &currency, (agreement, agreement_span), problems)?;
        rows.push(reviewed);
    }

    let products = products_of(&planned);
    for (key, name) in &products {
        let mapped = l
            .product_map
            .get(key)
            .is_some_and(|id| l.catalog.iter().any(|c| c.id == *id));
        if !mapped {
            problems.push(Problem::of_task(
                ReviewField::Product,
                format!("Map “{name}” to a ConnectWise catalog item."),
            ));
        }
    }
    for a in &planned.ambiguous {
        let name = product_name(&l.order, &l.subscription, &a.product_key);
        problems.push(Problem::of_task(
            ReviewField::Addition,
            if l.fix.is_some() {
                format!("Several active additions bill “{name}”: choose the one to keep (the others get a cancel date).")
            } else {
                format!("Several active additions match “{name}”: choose the one this task changes.")
            },
        ));
    }
    let basis = before_the_task(&others, &planned);
    let totals = plan::totals(agreement, &basis, &planned, effective, &currency)?;
    let next_invoice = next_invoice_of(&invoiced, agreement, &basis, &planned, &currency)?;
    Ok(Some(Planned {
        agreement,
        currency,
        additions,
        plan: planned,
        rows,
        products,
        totals,
        invoiced,
        next_invoice,
    }))
}

/// The additions the amounts before → after the task start from: a cancel date this task set
/// already (from some desk) is taken back out of "before".
fn before_the_task(others: &[Addition], planned: &Plan) -> Vec<Addition> {
    others
        .iter()
        .cloned()
        .map(|mut a| {
            let ended_here = planned.rows.iter().any(|r| {
                r.action == Action::Cancel
                    && r.existing_addition_id == Some(a.id)
                    && r.found
                        .as_ref()
                        .is_some_and(|f| f.kind == plan::FoundKind::AsPlanned)
            });
            if ended_here {
                a.cancelled_date = None;
                a.agreement_status = None;
            }
            a
        })
        .collect()
}

/// The agreement's next invoice before and after the plan, when its calendar is known.
fn next_invoice_of(
    invoiced: &Invoiced,
    agreement: &Agreement,
    basis: &[Addition],
    planned: &Plan,
    currency: &Currency,
) -> Result<Option<InvoiceChange>> {
    let Some(cal) = invoiced.calendar() else {
        return Ok(None);
    };
    let bill_amount = agreement.bill_amount.unwrap_or_default();
    crate::invoice::change(cal, bill_amount, basis, &planned.rows, currency).map(Some)
}

/// One planned row with the person's edit applied, and its problems: refused values, values past
/// the bounds, dates out of order or outside the agreement.
fn review_row(
    row: &mut PlannedAddition,
    edit: Option<&RowEdit>,
    currency: &Currency,
    (agreement, (start, end)): (&Agreement, (Option<NaiveDate>, Option<NaiveDate>)),
    problems: &mut Vec<Problem>,
) -> Result<RowReview> {
    let mut reviewed = RowReview {
        edit: edit.cloned(),
        ..RowReview::default()
    };
    if let Some(edit) = edit {
        apply_edit(row, edit, currency, &mut reviewed.refused, problems);
    }
    if reviewed.amounts_valid() {
        row.ext_price = money::extend(row.quantity, row.unit_price, currency)?;
    }
    if row.is_write() {
        let mut refusals = check_row_values(row, currency, &reviewed.refused);
        refusals.extend(validate::dates_in_order(row.effective_date, row.cancel_date).err());
        if matches!(row.action, Action::Add | Action::Prorate) {
            refusals.extend(
                validate::within_agreement(row.effective_date, start, end, &agreement.name).err(),
            );
        }
        problems.extend(refusals.into_iter().map(|r| Problem::of_row(&row.key, r)));
    }
    Ok(reviewed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Draft;
    use crate::store::connectwise as cw_store;
    use crate::suggest::{CatalogIndex, CompanyIndex};
    use crate::task::TaskRow;
    use crate::task::TaskStatus;
    use std::sync::Arc;

    fn fixture<T: serde::de::DeserializeOwned>(text: &str) -> T {
        serde_json::from_str(text).expect("fixture reads")
    }

    /// Green Lane's Change Order, its company and agreement cached, nothing mapped or edited.
    fn green_lane() -> Loaded {
        let agreement: Agreement = fixture(include_str!(
            "../../tests/fixtures/connectwise/agreement.json"
        ));
        let additions: Vec<Addition> = fixture(include_str!(
            "../../tests/fixtures/connectwise/additions.json"
        ));
        Loaded {
            task: TaskRow {
                id: 1,
                task_type: TaskType::ChangeOrder,
                status: TaskStatus::Pending,
                order_id: "1000231".into(),
                order_date: "2026-11-16T10:04:11Z".into(),
                customer_id: "1000048531".into(),
                customer_name: "Green Lane LLC".into(),
                subscription_id: "1000517".into(),
                subscription_name: "Microsoft 365 Business Premium".into(),
                amount: "102.00".into(),
                currency: "USD".into(),
                ignored_reason: None,
                recurring: String::new(),
                per: String::new(),
                one_time: String::new(),
            },
            fix: None,
            catalog_currency: Some("USD".into()),
            order: fixture(include_str!(
                "../../tests/fixtures/marketplace/order_change.json"
            )),
            subscription: fixture(include_str!(
                "../../tests/fixtures/marketplace/subscription.json"
            )),
            companies: Arc::new(CompanyIndex::new(fixture(include_str!(
                "../../tests/fixtures/connectwise/companies.json"
            )))),
            company_id: None,
            additions: HashMap::from([(agreement.id, (additions, String::new()))]),
            recaps: HashMap::new(),
            agreements: vec![agreement],
            catalog: Arc::new(CatalogIndex::new(fixture(include_str!(
                "../../tests/fixtures/connectwise/catalog.json"
            )))),
            cycles: fixture(include_str!(
                "../../tests/fixtures/connectwise/billing_cycles.json"
            )),
            currencies: fixture(include_str!(
                "../../tests/fixtures/connectwise/currencies.json"
            )),
            product_map: HashMap::new(),
            fetched_at: None,
            draft: Draft::default(),
            draft_unreadable: false,
            history: Vec::new(),
            additions_unreadable: HashMap::new(),
        }
    }

    /// Mapped to company 250 and both products to their catalog items.
    fn mapped() -> Loaded {
        Loaded {
            company_id: Some(250),
            product_map: HashMap::from([
                ("CFQ7TTC0LCHC:0002_P1M".to_owned(), 611),
                ("CFQ7TTC0LH16:0001_P1M".to_owned(), 612),
            ]),
            ..green_lane()
        }
    }

    fn fields<'r>(r: &'r Review) -> Vec<(Option<&'r str>, ReviewField)> {
        r.problems
            .iter()
            .map(|p| (p.row_key.as_deref(), p.field))
            .collect()
    }

    #[test]
    fn each_step_decides_what_blocks_sync() {
        type Setup = fn(&mut Loaded);
        // (what, setup, expected problem fields, agreement step?, plan?)
        let cases: &[(&str, Setup, &[ReviewField], bool, bool)] = &[
            (
                "nothing mapped",
                |_| {},
                &[ReviewField::Company],
                false,
                false,
            ),
            (
                "no company cached",
                |l| {
                    l.companies = Arc::new(CompanyIndex::new(Vec::new()));
                    l.company_id = Some(250);
                },
                &[ReviewField::Company],
                false,
                false,
            ),
            ("all mapped", |l| *l = mapped(), &[], true, true),
            (
                "products not mapped",
                |l| {
                    *l = mapped();
                    l.product_map.clear();
                },
                &[ReviewField::Product, ReviewField::Product],
                true,
                true,
            ),
            (
                "effective date not a date",
                |l| {
                    *l = mapped();
                    l.draft.effective_date = Some("+262142-12-31".into());
                },
                &[ReviewField::EffectiveDate],
                true,
                true,
            ),
            (
                "agreement of another cycle",
                |l| {
                    *l = mapped();
                    l.agreements[0].billing_cycle.as_mut().unwrap().name = "Yearly".into();
                    l.agreements[0].billing_cycle.as_mut().unwrap().id = 999;
                },
                &[ReviewField::Agreement],
                true,
                false,
            ),
            (
                "additions not cached",
                |l| {
                    *l = mapped();
                    l.additions.clear();
                },
                &[ReviewField::Agreement],
                true,
                false,
            ),
            (
                "saved edits unreadable",
                |l| {
                    *l = mapped();
                    l.draft_unreadable = true;
                },
                &[ReviewField::Draft],
                true,
                true,
            ),
        ];
        for (what, setup, expected, agreements, planned) in cases {
            let mut l = green_lane();
            setup(&mut l);
            let r = review(&l).unwrap_or_else(|e| panic!("{what}: {e}"));
            let found: Vec<ReviewField> = r.problems.iter().map(|p| p.field).collect();
            assert_eq!(&found, expected, "{what}: {:?}", r.problems);
            assert_eq!(r.agreements.is_some(), *agreements, "{what}");
            assert_eq!(r.planned.is_some(), *planned, "{what}");
            assert_eq!(r.is_ready(), expected.is_empty() && *planned, "{what}");
        }
    }

    #[test]
    fn agreements_say_why_they_cannot_take_the_task() {
        let mut l = mapped();
        let fits = l.agreements[0].clone();
        let mut yearly = fits.clone();
        yearly.id = 2;
        yearly.billing_cycle.as_mut().unwrap().name = "Yearly".into();
        yearly.billing_cycle.as_mut().unwrap().id = 999;
        let mut euro = fits.clone();
        euro.id = 3;
        euro.currency.as_mut().unwrap().currency_code = Some("EUR".into());
        euro.currency.as_mut().unwrap().currency_identifier = Some("EUR".into());
        let mut cancelled = fits.clone();
        cancelled.id = 4;
        cancelled.cancelled_flag = true;
        l.agreements = vec![fits, yearly, euro, cancelled];
        let r = review(&l).unwrap();
        let a = r.agreements.as_ref().unwrap();
        assert_eq!(a.chosen.map(|c| c.id), Some(4127), "the one that fits");
        let unfit: Vec<Option<&Unfit>> = a.options.iter().map(|(_, u)| u.as_ref()).collect();
        assert_eq!(unfit[0], None);
        assert!(matches!(unfit[1], Some(Unfit::OtherCycle { cycle }) if cycle == "Yearly"));
        assert!(
            matches!(unfit[2], Some(Unfit::OtherCurrency { currency }) if currency == "EUR"),
            "{:?}",
            unfit[2]
        );
        assert!(matches!(unfit[3], Some(Unfit::NotActive { .. })));
        assert_eq!(a.fitting().count(), 1);
    }

    #[test]
    fn refused_edits_stay_as_typed_and_name_their_row_and_field() {
        let mut l = mapped();
        let edit = |pairs: &[(EditableField, &str)]| RowEdit {
            selected: None,
            fields: pairs.iter().map(|(f, v)| (*f, (*v).to_owned())).collect(),
        };
        let key = "add:CFQ7TTC0LCHC:0002_P1M".to_owned();
        l.draft.rows.insert(
            key.clone(),
            edit(&[
                (EditableField::Quantity, "-0"),
                (EditableField::UnitPrice, "21.5"),
                (EditableField::BillCustomer, "Maybe"),
            ]),
        );
        let r = review(&l).unwrap();
        assert_eq!(
            fields(&r),
            [
                (Some(key.as_str()), ReviewField::Quantity),
                (Some(key.as_str()), ReviewField::BillCustomer),
            ]
        );
        let p = r.planned.as_ref().unwrap();
        let (row, reviewed) = p
            .plan
            .rows
            .iter()
            .zip(&p.rows)
            .find(|(row, _)| row.key == key)
            .unwrap();
        assert_eq!(reviewed.refused[&EditableField::Quantity], "-0");
        assert_eq!(reviewed.refused[&EditableField::BillCustomer], "Maybe");
        let billing = r
            .problems
            .iter()
            .find(|p| p.field == ReviewField::BillCustomer)
            .unwrap();
        assert_eq!(
            billing.message,
            "Billing must be one of Billable, Do not bill, No charge, not “Maybe”."
        );
        assert!(!reviewed.amounts_valid());
        assert_eq!(
            row.unit_price.to_string(),
            "21.5",
            "a valid edit is applied"
        );
        let writes: Vec<&str> = p.writes().map(|w| w.key.as_str()).collect();
        // In the fixture, Exchange has no active addition (30212 is cancelled): it is only added.
        // The fixture's agreement is invoiced through November (next invoice 2026-12-01), so the
        // change of 16 November is caught up (and, refunded, credited) on December's invoice.
        assert_eq!(
            writes,
            [
                "cancel:30211",
                "add:CFQ7TTC0LCHC:0002_P1M",
                "catchup:CFQ7TTC0LCHC:0002_P1M:2026-11-01",
                "add:CFQ7TTC0LH16:0001_P1M",
                "credit:CFQ7TTC0LH16:0001_P1M:2026-11-01"
            ]
        );
    }

    #[test]
    fn the_directory_is_read_once_per_refresh() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let company = |id: i64, name: &str| Company {
            id,
            identifier: name.replace(' ', ""),
            name: name.into(),
            deleted: false,
            info: None,
        };
        let refresh = |list: Vec<Company>, at: &str| {
            store
                .with(|c| cw_store::replace_companies(c, &list, at))
                .unwrap()
        };
        let cache = DirectoryCache::default();
        let get = || store.with(|c| cache.get(c)).unwrap();
        let names =
            |d: &Directory| -> Vec<String> { d.companies.iter().map(|c| c.name.clone()).collect() };

        refresh(vec![company(1, "Green Lane LLC")], "2026-11-24T12:00:00Z");
        let first = get();
        assert_eq!(names(&first), ["Green Lane LLC"]);
        assert_eq!(first.fetched_at.as_deref(), Some("2026-11-24T12:00:00Z"));
        // The next call finds the same lists (and the index already built), not a new read.
        assert_eq!(first.companies.rank("Green Lane", 1)[0].score, 100);
        assert!(Arc::ptr_eq(&first.companies, &get().companies));

        // A refresh lands: read again.
        refresh(
            vec![company(1, "Green Lane LLC"), company(2, "Bluewater Dental")],
            "2026-11-24T12:05:00Z",
        );
        assert_eq!(names(&get()), ["Bluewater Dental", "Green Lane LLC"]);

        // A refresh with the same time and count is not seen until the directory is forgotten
        // (as a session does once a Check Changes ends).
        refresh(
            vec![company(1, "Green Lane LLC"), company(2, "Redwood Realty")],
            "2026-11-24T12:05:00Z",
        );
        assert_eq!(names(&get()), ["Bluewater Dental", "Green Lane LLC"]);
        cache.forget();
        assert_eq!(names(&get()), ["Green Lane LLC", "Redwood Realty"]);
    }
}
