//! The review wizard (SPEC §2.4): from a task and the cached data to everything the window shows
//! — company mapping, agreement choice, the plan with the user's edits, problems and amounts —
//! and the edits that change it. Works from the cache only, so it works offline.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::connectwise::wire::{Addition, Agreement, BillingCycle, CatalogItem, Company};
use crate::error::{Error, Result};
use crate::marketplace::wire::{Order, Subscription};
use crate::money::{self, Currency};
use crate::period::{self, BillingPeriod};
use crate::plan::{self, Action, BillCustomer, Plan, PlanInput, PlannedAddition, PriceSource};
use crate::store::{cache, connectwise as cw, drafts, journal, mappings, tasks};
use crate::suggest;
use crate::validate::{self, Refusal};
use crate::view::*;

/// How many ranked suggestions the window gets.
const SUGGESTIONS: usize = 5;

/// A task's wizard state that is not a mapping (mappings are kept for every task).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Draft {
    pub agreement_id: Option<i64>,
    /// As typed; the order's date when absent.
    pub effective_date: Option<String>,
    pub price_source: PriceSource,
    /// Product key → a price source for that product alone.
    pub price_overrides: BTreeMap<String, PriceSource>,
    /// Product key → the existing addition chosen where several match.
    pub chosen: BTreeMap<String, i64>,
    pub rows: BTreeMap<String, RowEdit>,
}

/// A person's changes to one planned row, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RowEdit {
    pub selected: Option<bool>,
    pub fields: BTreeMap<String, String>,
}

/// The fields of a row a person may edit.
pub const EDITABLE: &[&str] = &[
    "effectiveDate",
    "cancelDate",
    "description",
    "quantity",
    "unitPrice",
    "unitCost",
    "billCustomer",
    "taxable",
    "priceSource",
];

/// Everything the wizard reads from the cache for one task.
pub struct Loaded {
    pub task: TaskRow,
    pub order: Order,
    pub subscription: Subscription,
    pub companies: Vec<Company>,
    pub company_id: Option<i64>,
    pub agreements: Vec<Agreement>,
    pub additions: HashMap<i64, (Vec<Addition>, String)>,
    pub catalog: Vec<CatalogItem>,
    pub cycles: Vec<BillingCycle>,
    pub currencies: Vec<crate::connectwise::wire::Currency>,
    pub product_map: HashMap<String, i64>,
    pub fetched_at: Option<String>,
    pub draft: Draft,
    /// The saved draft could not be read (it is then replaced by an empty one until reset).
    pub draft_unreadable: bool,
    /// The task's syncs, newest first.
    pub history: Vec<SyncView>,
}

/// A task as reviewed: the view, and what a sync writes from it.
pub struct Reviewed {
    pub view: WizardView,
    /// The chosen agreement, its currency and its additions as reviewed — present when a plan
    /// could be made.
    pub agreement: Option<(Agreement, Currency, Vec<Addition>)>,
    /// The plan's rows with the person's edits.
    pub rows: Vec<PlannedAddition>,
}

impl Reviewed {
    fn without_plan(view: WizardView) -> Reviewed {
        Reviewed {
            view,
            agreement: None,
            rows: Vec::new(),
        }
    }
}

pub fn load(conn: &Connection, task_id: i64) -> Result<Loaded> {
    let task = tasks::get(conn, task_id)?;
    let order = cache::order(conn, &task.order_id)?.ok_or_else(|| {
        Error::NotFound(format!("The cached order {} of this task", task.order_id))
    })?;
    let subscription = cache::subscription(conn, &task.subscription_id)?.ok_or_else(|| {
        Error::NotFound(format!(
            "The cached subscription {} of this task",
            task.subscription_id
        ))
    })?;
    let company_id = mappings::company_for(conn, &task.customer_id)?;
    let agreements = match company_id {
        Some(id) => cw::agreements_of(conn, id)?,
        None => Vec::new(),
    };
    let mut additions = HashMap::new();
    for a in &agreements {
        if let Some(found) = cw::additions_of(conn, a.id)? {
            additions.insert(a.id, found);
        }
    }
    let (draft, draft_unreadable) = match drafts::get(conn, task_id) {
        Ok(draft) => (draft, false),
        Err(e) => {
            // The parser's details stay in the log.
            tracing::warn!(task_id, "{e}");
            (Draft::default(), true)
        }
    };
    Ok(Loaded {
        draft,
        draft_unreadable,
        history: journal::history(conn, task_id)?,
        task,
        order,
        subscription,
        companies: cw::companies(conn)?,
        company_id,
        agreements,
        additions,
        catalog: cw::catalog(conn)?,
        cycles: cw::billing_cycles(conn)?,
        currencies: cw::currencies(conn)?,
        product_map: mappings::products(conn)?,
        fetched_at: cw::refreshed_at(conn)?,
    })
}

fn company_option(c: &Company, score: Option<u8>) -> CompanyOption {
    CompanyOption {
        id: c.id,
        identifier: c.identifier.clone(),
        name: c.name.clone(),
        score,
    }
}

fn catalog_option(c: &CatalogItem, score: Option<u8>) -> CatalogOption {
    CatalogOption {
        id: c.id,
        identifier: c.identifier.clone(),
        description: c.description.clone(),
        price: c
            .price
            .map(|p| p.normalize().to_string())
            .unwrap_or_default(),
        score,
    }
}

/// The subscription's currency code.
fn subscription_currency(s: &Subscription) -> String {
    s.total_price
        .as_ref()
        .map(|m| m.currency.clone())
        .or_else(|| {
            s.products
                .iter()
                .find_map(|p| p.unit_price.as_ref().map(|m| m.currency.clone()))
        })
        .or_else(|| {
            s.products
                .iter()
                .flat_map(|p| &p.prices)
                .map(|p| p.currency.clone())
                .find(|c| !c.is_empty())
        })
        .unwrap_or_default()
}

fn cycle_words(period: BillingPeriod) -> String {
    period::connectwise_cycle_name(period)
        .map(str::to_owned)
        .unwrap_or_else(|| period.to_string())
}

/// Why an agreement cannot take this subscription, or `None` when it can (SPEC §2.4.2, §6).
fn unfit_reason(
    a: &Agreement,
    cycles: &[BillingCycle],
    period: BillingPeriod,
    currency: &str,
    on: NaiveDate,
) -> Option<String> {
    if a.cancelled_flag
        || a.agreement_status
            .as_deref()
            .is_some_and(|s| !s.eq_ignore_ascii_case("active"))
    {
        return Some(format!(
            "{} — only active agreements can be changed",
            a.agreement_status.as_deref().unwrap_or("Cancelled")
        ));
    }
    if let Some(end) = a.end_date.map(|d| d.date_naive()).filter(|e| *e < on) {
        return Some(format!("Ended {end}"));
    }
    let cycle_name = a
        .billing_cycle
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let options = a
        .billing_cycle
        .as_ref()
        .and_then(|c| cycles.iter().find(|x| x.id == c.id))
        .and_then(|c| c.billing_options.clone());
    let fits_cycle = period::matches_connectwise_cycle(period, &cycle_name)
        || options
            .as_deref()
            .is_some_and(|o| period::matches_connectwise_cycle(period, o));
    if !fits_cycle {
        return Some(format!(
            "{} — subscription is {}",
            if cycle_name.is_empty() {
                "No billing cycle"
            } else {
                &cycle_name
            },
            cycle_words(period)
        ));
    }
    let code = a.currency.as_ref().and_then(|c| c.code()).unwrap_or("");
    if !code.eq_ignore_ascii_case(currency) {
        return Some(format!(
            "{} — subscription is {currency}",
            if code.is_empty() { "No currency" } else { code }
        ));
    }
    None
}

fn agreement_currency(
    a: &Agreement,
    currencies: &[crate::connectwise::wire::Currency],
) -> Currency {
    let code = a
        .currency
        .as_ref()
        .and_then(|c| c.code())
        .unwrap_or("USD")
        .to_owned();
    let decimals = a
        .currency
        .as_ref()
        .and_then(|c| c.number_of_decimals)
        .or_else(|| {
            currencies
                .iter()
                .find(|c| c.code() == Some(code.as_str()))
                .and_then(|c| c.number_of_decimals)
        })
        .unwrap_or(Currency::DEFAULT_DECIMALS);
    Currency::new(code, decimals)
}

fn action_view(a: Action) -> RowAction {
    match a {
        Action::Add => RowAction::Add,
        Action::Cancel => RowAction::Cancel,
        Action::Change => RowAction::Change,
        Action::Prorate => RowAction::Prorate,
        Action::Unchanged => RowAction::Unchanged,
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

fn bill_text(b: BillCustomer) -> &'static str {
    match b {
        BillCustomer::Billable => "Billable",
        BillCustomer::DoNotBill => "DoNotBill",
        BillCustomer::NoCharge => "NoCharge",
    }
}

/// A unit price or cost as shown: at least the currency's decimals, more when it has them
/// (22 → "22.00", 0.0025 → "0.0025", 12.0645 → "12.0645").
fn price_text(v: rust_decimal::Decimal, currency: &Currency) -> String {
    money::format(v, money::places(v).max(currency.amount_places()))
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The quantities a row of this kind may have: a new or changed addition more than 0, a prorate
/// credit negative, anything else 0 or more.
fn quantity_rule(action: Action) -> validate::QuantityRule {
    match action {
        Action::Add | Action::Change => validate::QuantityRule::Positive,
        Action::Prorate => validate::QuantityRule::Signed,
        Action::Cancel | Action::Unchanged => validate::QuantityRule::NotNegative,
    }
}

/// What a sync would send for a row, checked against the bounds every value keeps (SPEC §6),
/// whether typed or planned: the fields in `typed_wrong` were already refused as typed.
fn check_row_values(
    row: &PlannedAddition,
    currency: &Currency,
    typed_wrong: &BTreeMap<&'static str, String>,
) -> Vec<validate::Refusal> {
    let credit = row.action == Action::Prorate;
    let mut found = Vec::new();
    let mut check = |field: &'static str, result: std::result::Result<(), Refusal>| {
        if let (false, Err(r)) = (typed_wrong.contains_key(field), result) {
            found.push(r);
        }
    };
    check(
        "effectiveDate",
        validate::date_in_range("effectiveDate", "The effective date", row.effective_date),
    );
    if let Some(c) = row.cancel_date {
        check(
            "cancelDate",
            validate::date_in_range("cancelDate", "The cancel date", c),
        );
    }
    if row.action != Action::Cancel {
        check(
            "quantity",
            validate::quantity_value(row.quantity, quantity_rule(row.action)),
        );
        check(
            "unitPrice",
            validate::amount_value("unitPrice", "Unit price", row.unit_price, currency, credit),
        );
        check(
            "unitCost",
            validate::amount_value("unitCost", "Unit cost", row.unit_cost, currency, credit),
        );
    }
    found
}

/// Applies a person's edits to a planned row. Valid values replace the plan's; invalid ones are
/// kept as typed (shown) and reported as problems.
fn apply_edit(
    row: &mut PlannedAddition,
    edit: &RowEdit,
    currency: &Currency,
    shown: &mut BTreeMap<&'static str, String>,
    problems: &mut Vec<Problem>,
) {
    if let Some(selected) = edit.selected {
        if row.action != Action::Unchanged {
            row.selected = selected;
        }
    }
    let key = row.key.clone();
    for (field, text) in &edit.fields {
        let result: std::result::Result<(), Refusal> = match field.as_str() {
            "effectiveDate" => validate::date("effectiveDate", "The effective date", text)
                .map(|d| row.effective_date = d),
            "cancelDate" => validate::optional_date("cancelDate", "The cancel date", text)
                .map(|d| row.cancel_date = d),
            "description" => validate::description(text).map(|d| row.description = d),
            "quantity" => {
                validate::quantity(text, quantity_rule(row.action)).map(|q| row.quantity = q)
            }
            "unitPrice" => validate::amount(
                "unitPrice",
                "Unit price",
                text,
                currency,
                row.action == Action::Prorate,
            )
            .map(|v| row.unit_price = v),
            "unitCost" => validate::amount(
                "unitCost",
                "Unit cost",
                text,
                currency,
                row.action == Action::Prorate,
            )
            .map(|v| row.unit_cost = v),
            "billCustomer" => BillCustomer::parse(text.trim())
                .map(|b| row.bill_customer = b)
                .ok_or_else(|| Refusal {
                    field: "billCustomer",
                    message: format!(
                        "Billable must be Billable, DoNotBill or NoCharge, not “{text}”."
                    ),
                }),
            "taxable" => validate::flag("taxable", text).map(|t| row.taxable = t),
            // The price source is planned per product; nothing to apply on the row itself.
            _ => Ok(()),
        };
        if let Err(r) = result {
            shown.insert(r.field, text.to_owned());
            problems.push(Problem {
                row_key: Some(key.clone()),
                field: r.field.to_owned(),
                message: r.message,
            });
        }
    }
}

/// Builds the whole wizard view of a loaded task.
pub fn build(l: &Loaded) -> Result<WizardView> {
    evaluate(l).map(|r| r.view)
}

/// The wizard of a task as it opens. Saved edits that can no longer be planned (an older
/// version's, or data that changed under them) do not lock the task: it opens without them,
/// says why, and offers to reset them.
pub fn open(conn: &Connection, task_id: i64) -> Result<WizardView> {
    let loaded = load(conn, task_id)?;
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
                    field: "draft".into(),
                    message: problem.clone(),
                },
            );
            view.draft_problem = Some(problem);
            Ok(view)
        }
        Err(e) => Err(e),
    }
}

/// Reviews a loaded task: the wizard view and the edited plan behind it.
pub fn evaluate(l: &Loaded) -> Result<Reviewed> {
    let draft = &l.draft;
    let mut problems: Vec<Problem> = Vec::new();
    let problem = |field: &str, message: String| Problem {
        row_key: None,
        field: field.to_owned(),
        message,
    };

    // Step 1: customer → company.
    let company = l
        .company_id
        .and_then(|id| l.companies.iter().find(|c| c.id == id));
    let customer = CustomerStep {
        customer_id: l.task.customer_id.clone(),
        customer_name: l.task.customer_name.clone(),
        company: company.map(|c| company_option(c, None)),
        suggestions: suggest::companies(&l.task.customer_name, &l.companies, SUGGESTIONS)
            .into_iter()
            .map(|r| company_option(r.item, Some(r.score)))
            .collect(),
    };
    let mut view = WizardView {
        task: l.task.clone(),
        connectwise_fetched_at: l.fetched_at.clone(),
        customer,
        agreements: None,
        plan: None,
        problems: Vec::new(),
        history: l.history.clone(),
        draft_problem: None,
    };
    if l.draft_unreadable {
        let message = "This task's saved edits cannot be read (they may come from another version of the app). Reset this task's edits to review it again from the order.".to_owned();
        problems.push(problem("draft", message.clone()));
        view.draft_problem = Some(message);
    }
    let Some(company) = company else {
        let message = if l.companies.is_empty() {
            "No ConnectWise companies are cached yet: connect and Check Changes first.".to_owned()
        } else {
            format!("Map {} to a ConnectWise company.", l.task.customer_name)
        };
        problems.push(problem("company", message));
        view.problems = problems;
        return Ok(Reviewed::without_plan(view));
    };

    // Step 2: the agreement.
    let (period, _anchor) = plan::subscription_period(&l.subscription)?;
    let currency_code = subscription_currency(&l.subscription);
    let order_day = l.order.creation_date.date_naive();
    let effective_text = draft
        .effective_date
        .clone()
        .unwrap_or_else(|| date_text(order_day));
    let effective = match validate::date("effectiveDate", "The effective date", &effective_text) {
        Ok(d) => d,
        Err(r) => {
            problems.push(problem(r.field, r.message));
            order_day
        }
    };
    let options: Vec<AgreementOption> = l
        .agreements
        .iter()
        .map(|a| {
            let reason = unfit_reason(a, &l.cycles, period, &currency_code, effective);
            AgreementOption {
                id: a.id,
                name: a.name.clone(),
                billing_cycle: a
                    .billing_cycle
                    .as_ref()
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                currency: a
                    .currency
                    .as_ref()
                    .and_then(|c| c.code())
                    .unwrap_or("")
                    .to_owned(),
                prorate_flag: a.prorate_flag,
                fits: reason.is_none(),
                reason,
            }
        })
        .collect();
    let fitting: Vec<i64> = options.iter().filter(|o| o.fits).map(|o| o.id).collect();
    let chosen = match draft.agreement_id.filter(|id| fitting.contains(id)) {
        Some(id) => Some(id),
        None if fitting.len() == 1 => fitting.first().copied(),
        None => None,
    };
    let message = fitting.is_empty().then(|| {
        format!(
            "None of {}'s agreements is {} in {}. Create such an agreement in ConnectWise (or fix an agreement's billing cycle or currency), then Check Changes again.",
            company.name,
            cycle_words(period),
            currency_code
        )
    });
    view.agreements = Some(AgreementStep {
        options,
        chosen,
        message: message.clone(),
        subscription_cycle: cycle_words(period),
        subscription_currency: currency_code.clone(),
    });
    let Some(agreement) = chosen.and_then(|id| l.agreements.iter().find(|a| a.id == id)) else {
        problems.push(problem(
            "agreement",
            message.unwrap_or_else(|| "Choose the agreement to change.".to_owned()),
        ));
        view.problems = problems;
        return Ok(Reviewed::without_plan(view));
    };
    let Some((additions, _)) = l.additions.get(&agreement.id) else {
        problems.push(problem(
            "agreement",
            format!(
                "The additions of “{}” are not cached yet: connect and Check Changes to read them.",
                agreement.name
            ),
        ));
        view.problems = problems;
        return Ok(Reviewed::without_plan(view));
    };

    // Steps 3–5: the plan with the person's edits.
    let currency = agreement_currency(agreement, &l.currencies);
    let overrides: HashMap<String, PriceSource> =
        draft.price_overrides.clone().into_iter().collect();
    let chosen_additions: HashMap<String, i64> = draft.chosen.clone().into_iter().collect();
    let task_type = l.task.task_type;
    let mut planned: Plan = plan::plan(&PlanInput {
        task_type,
        order: &l.order,
        subscription: &l.subscription,
        agreement,
        additions,
        catalog: &l.catalog,
        product_map: &l.product_map,
        currency: &currency,
        effective_date: effective,
        price_source: draft.price_source,
        price_overrides: &overrides,
        chosen: &chosen_additions,
    })?;
    if let Err(r) = validate::within_agreement(
        effective,
        agreement.start_date.map(|d| d.date_naive()),
        agreement.end_date.map(|d| d.date_naive()),
        &agreement.name,
    ) {
        problems.push(problem(r.field, r.message));
    }

    let mut rows = Vec::new();
    for row in planned.rows.iter_mut() {
        let mut shown: BTreeMap<&'static str, String> = BTreeMap::new();
        let edit = draft.rows.get(&row.key);
        if let Some(edit) = edit {
            apply_edit(row, edit, &currency, &mut shown, &mut problems);
        }
        let valid_amounts = !shown.contains_key("quantity") && !shown.contains_key("unitPrice");
        if valid_amounts {
            row.ext_price = money::extend(row.quantity, row.unit_price, &currency)?;
        }
        if row.selected && row.action != Action::Unchanged {
            for r in check_row_values(row, &currency, &shown) {
                problems.push(Problem {
                    row_key: Some(row.key.clone()),
                    field: r.field.to_owned(),
                    message: r.message,
                });
            }
            if let Err(r) = validate::dates_in_order(row.effective_date, row.cancel_date) {
                problems.push(Problem {
                    row_key: Some(row.key.clone()),
                    field: r.field.to_owned(),
                    message: r.message,
                });
            }
            if matches!(row.action, Action::Add | Action::Prorate) {
                if let Err(r) = validate::within_agreement(
                    row.effective_date,
                    agreement.start_date.map(|d| d.date_naive()),
                    agreement.end_date.map(|d| d.date_naive()),
                    &agreement.name,
                ) {
                    problems.push(Problem {
                        row_key: Some(row.key.clone()),
                        field: r.field.to_owned(),
                        message: r.message,
                    });
                }
            }
        }
        let catalog_identifier = row
            .catalog_item_id
            .and_then(|id| l.catalog.iter().find(|c| c.id == id))
            .map(|c| c.identifier.clone());
        let text = |field: &'static str, value: String| shown.get(field).cloned().unwrap_or(value);
        rows.push(PlanRowView {
            key: row.key.clone(),
            action: action_view(row.action),
            selected: row.selected,
            product_key: row.product_key.clone(),
            product_name: row.product_name.clone(),
            catalog_identifier,
            existing_addition_id: row.existing_addition_id,
            effective_date: text("effectiveDate", date_text(row.effective_date)),
            cancel_date: text(
                "cancelDate",
                row.cancel_date.map(date_text).unwrap_or_default(),
            ),
            description: text("description", row.description.clone()),
            quantity: text("quantity", row.quantity.normalize().to_string()),
            unit_price: text("unitPrice", price_text(row.unit_price, &currency)),
            unit_cost: text("unitCost", price_text(row.unit_cost, &currency)),
            bill_customer: text("billCustomer", bill_text(row.bill_customer).to_owned()),
            taxable: row.taxable,
            price_source: source_view(row.price_source),
            ext_price: if valid_amounts {
                money::format(row.ext_price, currency.amount_places())
            } else {
                String::new()
            },
            note: row.note.clone(),
            edited: edit
                .map(|e| {
                    let mut f: Vec<String> = e.fields.keys().cloned().collect();
                    if e.selected.is_some() {
                        f.push("selected".into());
                    }
                    f
                })
                .unwrap_or_default(),
        });
    }

    let products: Vec<ProductMapping> = products_of(l, &planned);
    for p in products.iter().filter(|p| p.catalog.is_none()) {
        problems.push(problem(
            "product",
            format!("Map “{}” to a ConnectWise catalog item.", p.name),
        ));
    }
    let choices: Vec<AdditionChoice> = planned
        .ambiguous
        .iter()
        .map(|a| AdditionChoice {
            product_key: a.product_key.clone(),
            product_name: name_of(&l.order, &l.subscription, &a.product_key),
            addition_ids: a.addition_ids.clone(),
        })
        .collect();
    for c in &choices {
        problems.push(problem(
            "addition",
            format!(
                "Several active additions match “{}”: choose the one this task changes.",
                c.product_name
            ),
        ));
    }
    let totals = plan::totals(agreement, additions, &planned, effective, &currency)?;
    let places = currency.amount_places();
    let writes = planned
        .rows
        .iter()
        .filter(|r| r.selected && r.action != Action::Unchanged)
        .map(|r| PlannedWrite {
            row_key: r.key.clone(),
            kind: match r.action {
                Action::Cancel => "Set cancel date",
                Action::Change => "Change addition",
                _ => "Create addition",
            }
            .to_owned(),
            description: match r.action {
                Action::Cancel => format!(
                    "{} (addition {}): cancel on {}",
                    r.product_name,
                    r.existing_addition_id.unwrap_or_default(),
                    r.cancel_date.map(date_text).unwrap_or_default()
                ),
                _ => format!(
                    "{} × {} @ {} {} = {}",
                    r.quantity.normalize(),
                    r.product_name,
                    price_text(r.unit_price, &currency),
                    currency.code,
                    money::format(r.ext_price, places)
                ),
            },
        })
        .collect();
    view.plan = Some(PlanStep {
        effective_date: effective_text,
        price_source: source_view(draft.price_source),
        rows,
        products,
        choices,
        notes: planned.notes.clone(),
        summary: PlanSummary {
            currency: currency.code.clone(),
            prorated: money::format(totals.prorated, places),
            recurring_before: money::format(totals.recurring_before, places),
            recurring_after: money::format(totals.recurring_after, places),
            writes,
            proration_warning: agreement.prorate_flag.then(|| {
                format!(
                    "“{}” has ConnectWise proration on: ConnectWise prorates new additions itself, so no prorate additions are planned (adding them would charge the customer twice).",
                    agreement.name
                )
            }),
        },
    });
    view.problems = problems;
    Ok(Reviewed {
        view,
        agreement: Some((agreement.clone(), currency, additions.clone())),
        rows: planned.rows,
    })
}

fn name_of(order: &Order, subscription: &Subscription, key: &str) -> String {
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

/// The marketplace products of the plan and their catalog items (mapped or suggested).
fn products_of(l: &Loaded, planned: &Plan) -> Vec<ProductMapping> {
    let mut keys: Vec<(String, String)> = Vec::new();
    for r in planned
        .rows
        .iter()
        .filter(|r| r.action != Action::Unchanged)
    {
        if !keys.iter().any(|(k, _)| *k == r.product_key) {
            keys.push((r.product_key.clone(), r.product_name.clone()));
        }
    }
    for u in &planned.unmapped {
        if !keys.iter().any(|(k, _)| *k == u.product_key) {
            keys.push((u.product_key.clone(), u.name.clone()));
        }
    }
    keys.into_iter()
        .map(|(key, name)| {
            let catalog = l
                .product_map
                .get(&key)
                .and_then(|id| l.catalog.iter().find(|c| c.id == *id))
                .map(|c| catalog_option(c, None));
            let suggestions = suggest::catalog_items(
                key.strip_prefix("setup:").unwrap_or(&key),
                &name,
                &l.catalog,
                SUGGESTIONS,
            )
            .into_iter()
            .map(|r| catalog_option(r.item, Some(r.score)))
            .collect();
            ProductMapping {
                product_key: key,
                name,
                catalog,
                suggestions,
            }
        })
        .collect()
}

/// Applies one edit from the window to the stored mappings and draft. Values are checked here.
pub fn apply(conn: &Connection, task_id: i64, edit: &WizardEdit, now: &str) -> Result<()> {
    let loaded = load(conn, task_id)?;
    if loaded.draft_unreadable && *edit != WizardEdit::ResetTask {
        return Err(Error::invalid(
            "draft",
            "This task's saved edits cannot be read: reset this task's edits first.",
        ));
    }
    let mut draft = loaded.draft.clone();
    match edit {
        WizardEdit::MapCustomer { company_id } => {
            if !loaded.companies.iter().any(|c| c.id == *company_id) {
                return Err(Error::invalid(
                    "company",
                    format!("ConnectWise company {company_id} is not in the cache."),
                ));
            }
            mappings::set_company(conn, &loaded.task.customer_id, *company_id, now)?;
            // Another company: the chosen agreement no longer applies.
            if loaded.company_id != Some(*company_id) {
                draft.agreement_id = None;
            }
        }
        WizardEdit::ChooseAgreement { agreement_id } => {
            let view = build(&loaded)?;
            let step = view.agreements.ok_or_else(|| {
                Error::invalid("agreement", "Map the customer to a company first.")
            })?;
            let option = step
                .options
                .iter()
                .find(|o| o.id == *agreement_id)
                .ok_or_else(|| {
                    Error::invalid(
                        "agreement",
                        format!("Agreement {agreement_id} is not one of the company's agreements."),
                    )
                })?;
            if let Some(reason) = &option.reason {
                return Err(Error::invalid(
                    "agreement",
                    format!("“{}” cannot take this task: {reason}.", option.name),
                ));
            }
            if draft.agreement_id != Some(*agreement_id) {
                draft.agreement_id = Some(*agreement_id);
                // Edits were made against another agreement's additions.
                draft.rows.clear();
                draft.chosen.clear();
            }
        }
        WizardEdit::MapProduct {
            product_key,
            catalog_id,
        } => {
            let item = loaded
                .catalog
                .iter()
                .find(|c| c.id == *catalog_id)
                .ok_or_else(|| {
                    Error::invalid(
                        "product",
                        format!("Catalog item {catalog_id} is not in the cache."),
                    )
                })?;
            if item.inactive_flag {
                return Err(Error::invalid(
                    "product",
                    format!(
                        "Catalog item {} is inactive in ConnectWise.",
                        item.identifier
                    ),
                ));
            }
            check_text("product", product_key, 200)?;
            mappings::set_product(conn, product_key, *catalog_id, now)?;
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
                    "addition",
                    format!("Addition {addition_id} is not on the agreement."),
                ));
            }
            check_text("product", product_key, 200)?;
            draft.chosen.insert(product_key.clone(), *addition_id);
        }
        WizardEdit::SetEffectiveDate { value } => {
            check_text("effectiveDate", value, 40)?;
            draft.effective_date = Some(value.clone());
        }
        WizardEdit::SetPriceSourceAll { source } => {
            draft.price_source = source_from_view(*source);
            draft.price_overrides.clear();
        }
        WizardEdit::SelectRow { row_key, selected } => {
            check_text("rowKey", row_key, 300)?;
            draft.rows.entry(row_key.clone()).or_default().selected = Some(*selected);
        }
        WizardEdit::EditRow {
            row_key,
            field,
            value,
        } => {
            check_text("rowKey", row_key, 300)?;
            if !EDITABLE.contains(&field.as_str()) {
                return Err(Error::invalid(
                    "field",
                    format!("“{field}” cannot be edited."),
                ));
            }
            // Far beyond any valid value; keeps the draft small whatever arrives.
            check_text(field, value, validate::MAX_DESCRIPTION + 100)?;
            if field == "priceSource" {
                let source = match value.as_str() {
                    "cloudMarketplace" => PriceSource::CloudMarketplace,
                    "connectWise" => PriceSource::ConnectWise,
                    other => {
                        return Err(Error::invalid(
                            "priceSource",
                            format!("Unknown price source “{other}”."),
                        ))
                    }
                };
                let product = build(&loaded)?
                    .plan
                    .and_then(|p| p.rows.into_iter().find(|r| r.key == *row_key))
                    .map(|r| r.product_key)
                    .ok_or_else(|| {
                        Error::invalid("rowKey", format!("There is no row {row_key}."))
                    })?;
                draft.price_overrides.insert(product, source);
            } else {
                draft
                    .rows
                    .entry(row_key.clone())
                    .or_default()
                    .fields
                    .insert(field.clone(), value.clone());
            }
        }
        WizardEdit::ResetRow { row_key } => {
            draft.rows.remove(row_key);
        }
        WizardEdit::ResetTask => {
            draft = Draft::default();
        }
    }
    drafts::put(conn, task_id, &draft, now)
}

fn check_text(field: &str, value: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("The value of {field} is too long."),
        ));
    }
    Ok(())
}

/// Companies whose name or identifier contains `text` (case-insensitive), best match first.
pub fn search_companies(
    conn: &Connection,
    customer_name: &str,
    text: &str,
) -> Result<Vec<CompanyOption>> {
    let needle = text.trim().to_lowercase();
    let companies = cw::companies(conn)?;
    let found: Vec<Company> = companies
        .into_iter()
        .filter(|c| !c.deleted)
        .filter(|c| {
            needle.is_empty()
                || c.name.to_lowercase().contains(&needle)
                || c.identifier.to_lowercase().contains(&needle)
        })
        .collect();
    Ok(suggest::companies(customer_name, &found, 50)
        .into_iter()
        .map(|r| company_option(r.item, Some(r.score)))
        .collect())
}

/// Active catalog items whose identifier or description contains `text`.
pub fn search_catalog(conn: &Connection, text: &str) -> Result<Vec<CatalogOption>> {
    let needle = text.trim().to_lowercase();
    Ok(cw::catalog(conn)?
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
        .collect())
}
