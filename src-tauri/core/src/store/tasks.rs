//! Tasks in the cache: insert once per order, list with search/filter/sort in windows.

use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use crate::error::{Error, ErrorField, Result};
use crate::period::{BillingPeriod, PeriodUnit};
use crate::task::{OrderAmounts, TaskPage, TaskQuery, TaskRow, TaskSort};
use crate::task::{TaskStatus, TaskType};

/// A task about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub order_id: String,
    pub task_type: TaskType,
    pub order_date: String,
    pub customer_id: String,
    pub customer_name: String,
    pub subscription_id: String,
    pub subscription_name: String,
    pub amount: String,
    pub currency: String,
    /// What the amount is made of: a change per period, charges billed once, or both.
    pub amounts: OrderAmounts,
}

/// Text folded for search: lower case, accents taken off ("Müller" → "muller"), compatibility
/// forms written plainly ("ﬁ" → "fi"), and the letters that carry no accent to take off written
/// as their plain letters (ø, ł, đ, ß, æ, œ). The search and the text searched are both folded.
pub fn folded(text: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        for l in c.to_lowercase() {
            match l {
                'ø' => out.push('o'),
                'ł' => out.push('l'),
                'đ' | 'ð' => out.push('d'),
                'ı' => out.push('i'),
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                other => out.push(other),
            }
        }
    }
    out
}

/// What a task is found by: its five searchable columns, folded, one per line (a word typed is
/// looked for in each, never across two).
pub fn search_text(
    customer_name: &str,
    customer_id: &str,
    order_id: &str,
    subscription_id: &str,
    subscription_name: &str,
) -> String {
    folded(
        &[
            customer_name,
            customer_id,
            order_id,
            subscription_id,
            subscription_name,
        ]
        .join("\n"),
    )
}

/// An amount as stored: empty when there is none.
fn amount_text(amount: Option<rust_decimal::Decimal>) -> String {
    amount.map(|a| a.to_string()).unwrap_or_default()
}

/// Stores a task unless its order already has one. Returns whether it was new.
pub fn insert(conn: &Connection, task: &NewTask, now: &str) -> Result<bool> {
    let period = task.amounts.period;
    let changed = conn.execute(
        "INSERT INTO tasks (order_id, task_type, status, order_date, customer_id, customer_name,
                            subscription_id, subscription_name, amount, currency, created_at, updated_at,
                            recurring, one_time, period_unit, period_count, search_text)
         VALUES (?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT(order_id) DO NOTHING",
        params![
            task.order_id,
            task.task_type.as_str(),
            task.order_date,
            task.customer_id,
            task.customer_name,
            task.subscription_id,
            task.subscription_name,
            task.amount,
            task.currency,
            now,
            amount_text(task.amounts.recurring),
            amount_text(task.amounts.one_time),
            period.map(|p| p.unit().as_str()),
            period.map(|p| p.count()),
            search_text(
                &task.customer_name,
                &task.customer_id,
                &task.order_id,
                &task.subscription_id,
                &task.subscription_name
            ),
        ],
    )?;
    Ok(changed == 1)
}

/// Fills what caches written before version 9 lack: each task's search text (indexed by the
/// next migration), what its amount is made of (from its cached order and subscriptions), and
/// the product a Billing Order bills.
/// An order that is not cached or cannot be read keeps its amount as it was.
pub fn fill_words(conn: &Connection) -> Result<()> {
    use crate::store::marketplace;
    let tasks: Vec<(i64, TaskType, String, [String; 5])> = conn
        .prepare(
            "SELECT id, task_type, order_id, customer_name, customer_id, subscription_id,
                    subscription_name FROM tasks",
        )?
        .query_map([], |r| {
            let kind: String = r.get(1)?;
            Ok((
                r.get(0)?,
                TaskType::parse(&kind).unwrap_or(TaskType::ReconcileFix),
                r.get(2)?,
                [r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(2)?],
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (
        id,
        task_type,
        order_id,
        [customer_name, customer_id, subscription_id, mut subscription_name, _],
    ) in tasks
    {
        let order = marketplace::order(conn, &order_id).ok().flatten();
        let subscriptions: Vec<_> = order
            .iter()
            .flat_map(|o| o.products.iter().filter_map(|p| p.subscription_id.clone()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter_map(|sid| marketplace::subscription(conn, &sid).ok().flatten())
            .collect();
        let amounts = match (&order, task_type) {
            (Some(order), t) if t != TaskType::ReconcileFix => {
                Some(OrderAmounts::of(t, order, &subscriptions))
            }
            _ => None,
        };
        if let (Some(order), TaskType::BillingOrder) = (&order, task_type) {
            if let Some(name) = crate::task::billing_products(order, &subscriptions) {
                subscription_name = name;
            }
        }
        let text = search_text(
            &customer_name,
            &customer_id,
            &order_id,
            &subscription_id,
            &subscription_name,
        );
        conn.execute(
            "UPDATE tasks SET search_text = ?2, subscription_name = ?3 WHERE id = ?1",
            params![id, text, subscription_name],
        )?;
        if let Some(a) = amounts {
            conn.execute(
                "UPDATE tasks SET recurring = ?2, one_time = ?3, period_unit = ?4, period_count = ?5
                  WHERE id = ?1",
                params![
                    id,
                    amount_text(a.recurring),
                    amount_text(a.one_time),
                    a.period.map(|p| p.unit().as_str()),
                    a.period.map(|p| p.count())
                ],
            )?;
        }
    }
    Ok(())
}

pub fn exists_for_order(conn: &Connection, order_id: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM tasks WHERE order_id = ?1",
            [order_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The id of the task of order `order_id`.
pub fn id_for_order(conn: &Connection, order_id: &str) -> Result<i64> {
    conn.query_row(
        "SELECT id FROM tasks WHERE order_id = ?1",
        [order_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("The task of order {order_id}")))
}

/// A customer's order tasks not synced yet (pending or failed), oldest first.
pub fn unsynced_orders_of(conn: &Connection, customer_id: &str) -> Result<Vec<TaskRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tasks WHERE customer_id = ?1 AND status IN ('pending', 'failed')
           AND task_type != 'reconcileFix' ORDER BY order_date, id"
    ))?;
    let rows = stmt.query_map([customer_id], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The type of each of the customer's orders this cache has a task for, by order id.
pub fn order_types_of(
    conn: &Connection,
    customer_id: &str,
) -> Result<std::collections::HashMap<String, TaskType>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tasks WHERE customer_id = ?1"
    ))?;
    let rows = stmt.query_map([customer_id], row)?;
    rows.map(|r| r.map(|t| (t.order_id, t.task_type)).map_err(Into::into))
        .collect()
}

pub fn count(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("SELECT count(*) FROM tasks", [], |r| r.get(0))?)
}

const COLUMNS: &str = "id, task_type, status, order_id, order_date, customer_id, customer_name,
                       subscription_id, subscription_name, amount, currency, ignored_reason,
                       recurring, one_time, period_unit, period_count";

fn row(r: &Row<'_>) -> rusqlite::Result<TaskRow> {
    let task_type: String = r.get(1)?;
    let status: String = r.get(2)?;
    let bad = |col: usize, v: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            col,
            rusqlite::types::Type::Text,
            format!("unknown value {v:?}").into(),
        )
    };
    Ok(TaskRow {
        id: r.get(0)?,
        task_type: TaskType::parse(&task_type).ok_or_else(|| bad(1, &task_type))?,
        status: TaskStatus::parse(&status).ok_or_else(|| bad(2, &status))?,
        order_id: r.get(3)?,
        order_date: r.get(4)?,
        customer_id: r.get(5)?,
        customer_name: r.get(6)?,
        subscription_id: r.get(7)?,
        subscription_name: r.get(8)?,
        amount: r.get(9)?,
        currency: r.get(10)?,
        ignored_reason: r.get(11)?,
        recurring: r.get(12)?,
        one_time: r.get(13)?,
        per: period_of(r.get(14)?, r.get(15)?)
            .map(|p| p.per_words())
            .unwrap_or_default(),
    })
}

/// A stored billing period (unit and count), when there is one that can be read.
fn period_of(unit: Option<String>, count: Option<u32>) -> Option<BillingPeriod> {
    BillingPeriod::new(PeriodUnit::parse(&unit?)?, count?)
}

pub fn get(conn: &Connection, id: i64) -> Result<TaskRow> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM tasks WHERE id = ?1"),
        [id],
        row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("Task {id}")))
}

/// Whether the list searched and filtered by `query` shows task `id`.
pub fn matches(conn: &Connection, query: &TaskQuery, id: i64) -> Result<bool> {
    let all = count_of(conn, "", &[], None)?;
    let Filter {
        indexed, mut args, ..
    } = filter_of(conn, query, all)?;
    args.push(id.to_string());
    let mut clauses = indexed;
    clauses.push(format!("id = CAST(?{} AS INTEGER)", args.len()));
    Ok(conn
        .prepare(&format!("SELECT 1 FROM tasks {}", where_clause(&clauses)))?
        .query_row(params_from_iter(args.iter()), |_| Ok(()))
        .optional()?
        .is_some())
}

/// Task `id` with what its order changed (from the cached order and subscriptions), and whether
/// the list searched and filtered by `query` shows it.
pub fn details(
    conn: &Connection,
    id: i64,
    query: &TaskQuery,
) -> Result<crate::task::TaskDetailsView> {
    use crate::store::marketplace;
    let task = get(conn, id)?;
    // An order that is not cached, or cannot be read, shows no lines; the task is still shown.
    let order = marketplace::order(conn, &task.order_id).ok().flatten();
    let lines = match &order {
        Some(order) => {
            let ids: std::collections::BTreeSet<String> = order
                .products
                .iter()
                .filter_map(|p| p.subscription_id.clone())
                .collect();
            let subscriptions: Vec<_> = ids
                .iter()
                .filter_map(|sid| marketplace::subscription(conn, sid).ok().flatten())
                .collect();
            crate::task::order_lines(task.task_type, order, &subscriptions)
        }
        None => Vec::new(),
    };
    Ok(crate::task::TaskDetailsView {
        in_list: matches(conn, query, id)?,
        task,
        lines,
    })
}

/// The largest window one call returns.
pub const MAX_WINDOW: u32 = 1000;

/// How many tasks match a filter, kept while the cache is unchanged: the window asks for one
/// window of rows at a time, and a filter's count is read once, not once per window.
#[derive(Debug, Default)]
pub struct ListCounts {
    /// (filter, the connection's change count when counted, count), most recent last.
    entries: std::sync::Mutex<Vec<(String, u64, u32)>>,
    /// (filter and order, change count, the ids in that order) of filters that hold most tasks,
    /// read whole once a window deep in the list is asked for: each later window is a slice.
    orders: std::sync::Mutex<Vec<(String, u64, Ids)>>,
}

/// Task ids in a list's order, shared by the windows that read them.
type Ids = std::sync::Arc<Vec<i64>>;

/// Orders of whole filters kept (each is 8 bytes a task).
const KEPT_ORDERS: usize = 4;

/// Windows this deep into a filter that holds most tasks are served from its ids in order.
const DEEP_WINDOW: u32 = 2_000;

/// Filters whose counts are kept.
const KEPT_COUNTS: usize = 16;

impl ListCounts {
    fn get(&self, filter: &str, version: u64) -> Option<u32> {
        let entries = self.entries.lock().ok()?;
        entries
            .iter()
            .find(|(f, v, _)| f == filter && *v == version)
            .map(|(_, _, total)| *total)
    }

    fn order(&self, key: &str, version: u64) -> Option<Ids> {
        let orders = self.orders.lock().ok()?;
        orders
            .iter()
            .find(|(k, v, _)| k == key && *v == version)
            .map(|(_, _, ids)| ids.clone())
    }

    fn put_order(&self, key: String, version: u64, ids: Ids) {
        if let Ok(mut orders) = self.orders.lock() {
            orders.retain(|(k, v, _)| *k != key && *v == version);
            if orders.len() >= KEPT_ORDERS {
                orders.remove(0);
            }
            orders.push((key, version, ids));
        }
    }

    fn put(&self, filter: String, version: u64, total: u32) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|(f, v, _)| *f != filter && *v == version);
            if entries.len() >= KEPT_COUNTS {
                entries.remove(0);
            }
            entries.push((filter, version, total));
        }
    }
}

/// Searches this long or longer may go through the trigram index; shorter ones are scanned.
const INDEXED_SEARCH: usize = 3;

/// A filter that holds more than this share of all tasks is read in list order (the first window
/// is found at once), not through its index and a sort of everything it holds.
const DENSE_SHARE: u32 = 8;

/// Rows `offset..offset+limit` of the tasks matching `query`, and how many match in all.
pub fn list(conn: &Connection, query: &TaskQuery, offset: u32, limit: u32) -> Result<TaskPage> {
    list_counted(conn, query, offset, limit, None)
}

/// How a search is answered.
enum SearchBy {
    /// No search.
    Nothing,
    /// Through the trigram index: few tasks hold the words. The tasks holding the rarest
    /// trigrams of the words (found in the index) are tested word by word.
    Index { rarest: Vec<String> },
    /// By reading the tasks: every word is short, or most tasks hold them.
    Scan,
}

/// The words of a search, folded as the searched text is: each is looked for on its own, in
/// any of the task's columns ("Green Lane 1000231": the customer's name and the order).
fn words_of(search: &str) -> Vec<String> {
    folded(search)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Whether the trigram index answers the search of `words` faster than reading the tasks in
/// list order: the rarest of their trigrams is held by few tasks.
fn search_by(conn: &Connection, words: &[String], all: u32) -> Result<SearchBy> {
    if words.is_empty() {
        return Ok(SearchBy::Nothing);
    }
    // How many tasks hold each trigram, counted only up to the share that makes a search dense:
    // a trigram most tasks hold costs a fraction of counting it whole.
    let dense_from = all / DENSE_SHARE + 1;
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM (SELECT rowid FROM tasks_search WHERE tasks_search MATCH ?1 LIMIT ?2)",
    )?;
    let mut held: Vec<(u32, String)> = Vec::new();
    for word in words {
        let chars: Vec<char> = word.chars().collect();
        for trigram in chars.windows(INDEXED_SEARCH) {
            let term: String = trigram.iter().collect();
            if held.iter().any(|(_, t)| *t == term) {
                continue;
            }
            let docs: u32 =
                stmt.query_row(rusqlite::params![quoted(&term), dense_from], |r| r.get(0))?;
            held.push((docs, term));
        }
    }
    // Every word shorter than a trigram: nothing to look up.
    if held.is_empty() {
        return Ok(SearchBy::Scan);
    }
    held.sort();
    let rarest = held.first().map_or(0, |(docs, _)| *docs);
    Ok(if rarest >= dense_from {
        SearchBy::Scan
    } else {
        // Two trigrams narrow the tasks to test as well as all of them, at a fraction of the cost.
        SearchBy::Index {
            rarest: held.into_iter().take(2).map(|(_, t)| t).collect(),
        }
    })
}

/// Text as one phrase of the index's query language (its own syntax taken as plain text).
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// How many tasks `filter` holds, from `counts` while the cache is unchanged.
fn count_of(
    conn: &Connection,
    filter: &str,
    args: &[String],
    counts: Option<&ListCounts>,
) -> Result<u32> {
    let key = format!("{filter}\u{1f}{}", args.join("\u{1f}"));
    let version = conn.total_changes();
    if let Some(total) = counts.and_then(|c| c.get(&key, version)) {
        return Ok(total);
    }
    let total: u32 = conn
        .prepare_cached(&format!("SELECT count(*) FROM tasks {filter}"))?
        .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
    if let Some(counts) = counts {
        counts.put(key, version, total);
    }
    Ok(total)
}

/// As [`list`], with the counts of filters kept in `counts` until the cache changes.
pub fn list_counted(
    conn: &Connection,
    query: &TaskQuery,
    offset: u32,
    limit: u32,
    counts: Option<&ListCounts>,
) -> Result<TaskPage> {
    let all = count_of(conn, "", &[], counts)?;
    let Filter {
        indexed,
        scanned,
        args,
        short,
    } = filter_of(conn, query, all)?;
    let filter = |clauses: &[String]| where_clause(clauses);
    let order = order_of(query.sort);
    let total = count_of(conn, &filter(&indexed), &args, counts)?;
    let dense = total.saturating_mul(DENSE_SHARE) > all;
    let filter = filter(if dense { &scanned } else { &indexed });
    let limit = limit.min(MAX_WINDOW);
    if let (true, Some(counts)) = ((dense || short) && offset >= DEEP_WINDOW, counts) {
        // The ids of a short search that few tasks hold: read in the table's own order (one
        // pass, not a look-up per task through the date index), the matches then sorted.
        let filter = if short && !dense {
            format!("NOT INDEXED {filter}")
        } else {
            filter
        };
        let ids = ids_in_order(conn, counts, &filter, order, &args)?;
        return Ok(TaskPage {
            total,
            offset,
            rows: window_of(conn, &ids, offset, limit)?,
        });
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM tasks {filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    ))?;
    let rows = stmt
        .query_map(params_from_iter(args.iter()), row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(TaskPage {
        total,
        offset,
        rows,
    })
}

/// A query's conditions, written twice: as the indexes serve them (few tasks), and as a test of
/// each task read in list order (many tasks).
struct Filter {
    indexed: Vec<String>,
    scanned: Vec<String>,
    args: Vec<String>,
    /// A short search: no trigram to look up, every task is tested.
    short: bool,
}

fn where_clause(clauses: &[String]) -> String {
    if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    }
}

/// The conditions of `query` over a cache of `all` tasks.
fn filter_of(conn: &Connection, query: &TaskQuery, all: u32) -> Result<Filter> {
    // Each filter is written twice: as its index serves it (few tasks), and as a test of each
    // task read in list order (many tasks; `+column` keeps SQLite from using the column's index).
    let (mut indexed, mut scanned): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let mut args: Vec<String> = Vec::new();
    let words = words_of(&query.search);
    let search_by = search_by(conn, &words, all)?;
    // A short search has no trigram to look up: every task is tested. It is counted in one pass,
    // its first windows are found in list order, and its deep windows are slices of its ids.
    let short = matches!(search_by, SearchBy::Scan)
        && words.iter().all(|w| w.chars().count() < INDEXED_SEARCH);
    match search_by {
        SearchBy::Nothing => {}
        SearchBy::Index { rarest } => {
            let terms: Vec<String> = rarest.iter().map(|t| quoted(t)).collect();
            args.push(terms.join(" AND "));
            let narrowed = format!(
                "id IN (SELECT rowid FROM tasks_search WHERE tasks_search MATCH ?{})",
                args.len()
            );
            let like = words_clause(&mut args, &words);
            indexed.push(format!("{narrowed} AND {like}"));
            scanned.push(format!("{narrowed} AND {like}"));
        }
        SearchBy::Scan => {
            let like = words_clause(&mut args, &words);
            indexed.push(like.clone());
            scanned.push(like);
        }
    }
    if !query.types.is_empty() {
        let marks = push_all(&mut args, query.types.iter().map(|t| t.as_str()));
        indexed.push(format!("task_type IN ({marks})"));
        scanned.push(format!("+task_type IN ({marks})"));
    }
    if !query.statuses.is_empty() {
        let marks = push_all(&mut args, query.statuses.iter().map(|s| s.as_str()));
        indexed.push(format!("status IN ({marks})"));
        scanned.push(format!("+status IN ({marks})"));
    }
    Ok(Filter {
        indexed,
        scanned,
        args,
        short,
    })
}

/// Every task matching `query` (not one window of them), in the list's order.
pub fn ids_matching(conn: &Connection, query: &TaskQuery) -> Result<Vec<i64>> {
    let all = count_of(conn, "", &[], None)?;
    let f = filter_of(conn, query, all)?;
    let order = order_of(query.sort);
    let ids = conn
        .prepare(&format!(
            "SELECT id FROM tasks {} ORDER BY {order}",
            where_clause(&f.indexed)
        ))?
        .query_map(params_from_iter(f.args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// The list's order for a sort.
fn order_of(sort: TaskSort) -> &'static str {
    match sort {
        TaskSort::DateDesc => "order_date DESC, id DESC",
        TaskSort::DateAsc => "order_date ASC, id ASC",
        TaskSort::CustomerAsc => "customer_name COLLATE NOCASE ASC, order_date DESC, id DESC",
        TaskSort::CustomerDesc => "customer_name COLLATE NOCASE DESC, order_date DESC, id DESC",
    }
}

/// The ids a filter holds, in the list's order: read once, then kept in `counts` until the cache
/// changes. Serves a filter that holds most tasks deep in the list (skipping tens of thousands
/// of tasks costs more than a frame each time), and a search read task by task (each window
/// would read every task again).
fn ids_in_order(
    conn: &Connection,
    counts: &ListCounts,
    filter: &str,
    order: &str,
    args: &[String],
) -> Result<Ids> {
    let key = format!("{filter}\u{1f}{order}\u{1f}{}", args.join("\u{1f}"));
    let version = conn.total_changes();
    if let Some(ids) = counts.order(&key, version) {
        return Ok(ids);
    }
    let ids: Vec<i64> = conn
        .prepare_cached(&format!("SELECT id FROM tasks {filter} ORDER BY {order}"))?
        .query_map(params_from_iter(args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let ids = std::sync::Arc::new(ids);
    counts.put_order(key, version, ids.clone());
    Ok(ids)
}

/// Rows `offset..offset+limit` of `ids`, in their order.
fn window_of(conn: &Connection, ids: &[i64], offset: u32, limit: u32) -> Result<Vec<TaskRow>> {
    let start = (offset as usize).min(ids.len());
    let end = (start + limit.min(MAX_WINDOW) as usize).min(ids.len());
    let window = &ids[start..end];
    if window.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; window.len()].join(", ");
    let mut found: std::collections::HashMap<i64, TaskRow> = conn
        .prepare(&format!(
            "SELECT {COLUMNS} FROM tasks WHERE id IN ({marks})"
        ))?
        .query_map(params_from_iter(window.iter()), row)?
        .map(|r| r.map(|row| (row.id, row)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(window.iter().filter_map(|id| found.remove(id)).collect())
}

/// Every word anywhere in the task's searchable text (folded), with LIKE's wildcards taken as
/// plain text.
fn words_clause(args: &mut Vec<String>, words: &[String]) -> String {
    let tests: Vec<String> = words
        .iter()
        .map(|word| {
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            args.push(format!("%{escaped}%"));
            format!("search_text LIKE ?{} ESCAPE '\\'", args.len())
        })
        .collect();
    format!("({})", tests.join(" AND "))
}

fn push_all<'a>(args: &mut Vec<String>, values: impl Iterator<Item = &'a str>) -> String {
    let mut marks = Vec::new();
    for v in values {
        args.push(v.to_owned());
        marks.push(format!("?{}", args.len()));
    }
    marks.join(", ")
}

/// The longest reason kept for an ignored task.
pub const MAX_IGNORE_REASON: usize = 500;

/// Ignores a task with a reason, or un-ignores it (`None`). Synced tasks cannot be ignored.
/// Sets a task's status after a sync (pending, synced or failed).
pub fn set_status(conn: &Connection, id: i64, status: TaskStatus, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE tasks SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), now],
    )?;
    Ok(())
}

pub fn set_ignored(conn: &Connection, id: i64, reason: Option<&str>, now: &str) -> Result<TaskRow> {
    let task = get(conn, id)?;
    match reason {
        Some(reason) => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(Error::invalid(
                    ErrorField::Reason,
                    "Say why the task is ignored.",
                ));
            }
            if reason.chars().count() > MAX_IGNORE_REASON {
                return Err(Error::invalid(
                    ErrorField::Reason,
                    format!("The reason is too long (at most {MAX_IGNORE_REASON} characters)."),
                ));
            }
            if task.status == TaskStatus::Synced {
                return Err(Error::invalid(
                    ErrorField::Status,
                    "A synced task cannot be ignored.",
                ));
            }
            conn.execute(
                "UPDATE tasks SET status = 'ignored', ignored_reason = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, reason, now],
            )?;
        }
        None => {
            if task.status != TaskStatus::Ignored {
                return Err(Error::invalid(
                    ErrorField::Status,
                    "The task is not ignored.",
                ));
            }
            conn.execute(
                "UPDATE tasks SET status = 'pending', ignored_reason = NULL, updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
    }
    get(conn, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    const NOW: &str = "2026-11-24T12:00:00Z";

    /// Stores a task (and the order it needs) for `customer` with `subscription`.
    fn add(conn: &Connection, order_id: &str, customer: &str, subscription: &str) -> i64 {
        conn.execute(
            "INSERT INTO orders VALUES (?1, 'change', 'c', '2026-11-16T10:04:11Z', 'completed', '{}', ?2)",
            [order_id, NOW],
        )
        .unwrap();
        insert(
            conn,
            &NewTask {
                order_id: order_id.into(),
                task_type: TaskType::ChangeOrder,
                order_date: format!("2026-11-{:02}T10:00:00Z", 1 + order_id.len() % 27),
                customer_id: format!("10000{order_id}"),
                customer_name: customer.into(),
                subscription_id: format!("5{order_id}"),
                subscription_name: subscription.into(),
                amount: "10.00".into(),
                currency: "USD".into(),
                amounts: Default::default(),
            },
            NOW,
        )
        .unwrap();
        conn.query_row(
            "SELECT id FROM tasks WHERE order_id = ?1",
            [order_id],
            |r| r.get(0),
        )
        .unwrap()
    }

    fn found(conn: &Connection, search: &str) -> Vec<String> {
        let query = TaskQuery {
            search: search.into(),
            ..Default::default()
        };
        let page = list(conn, &query, 0, MAX_WINDOW).unwrap();
        assert_eq!(page.total as usize, page.rows.len(), "{search}");
        let mut ids: Vec<String> = page
            .rows
            .into_iter()
            .map(|r| r.order_id)
            .filter(|id| !id.starts_with('9'))
            .collect();
        ids.sort();
        ids
    }

    /// Four tasks to find, among forty that are alike (so most searches are rare, and a few —
    /// "filler", "azure" — are held by most tasks).
    fn world(conn: &Connection) {
        for i in 0..40 {
            add(
                conn,
                &format!("9{i:03}"),
                &format!("Filler {i}"),
                "Azure plan",
            );
        }
        add(
            conn,
            "1000231",
            "Green Lane LLC",
            "Microsoft 365 Business Premium",
        );
        add(
            conn,
            "1000220",
            "Müller & Söhne GmbH",
            "Exchange Online (Plan 1)",
        );
        add(
            conn,
            "1000233",
            "Summit \"Ridge\" Engineering",
            "Microsoft Defender for Business",
        );
        add(conn, "77", "100% Pure_Water Co", "Azure plan");
    }

    #[test]
    fn search_finds_each_word_in_any_column_whatever_its_case_accents_or_length() {
        let store = Store::open_in_memory().unwrap();
        store
            .with(|c| {
                world(c);
                let cases: &[(&str, &[&str])] = &[
                    // Customer name, any case, through the trigram index.
                    ("green LANE", &["1000231"]),
                    ("müller", &["1000220"]),
                    ("SÖHNE", &["1000220"]),
                    // Whatever the accents: typed without them, or with others.
                    ("muller", &["1000220"]),
                    ("MULLER sohne", &["1000220"]),
                    ("Söhné", &["1000220"]),
                    // Words are found in any column, each on its own: the customer's name and
                    // the order; the subscription and the customer's id.
                    ("Green Lane 1000231", &["1000231"]),
                    ("1000231 premium green", &["1000231"]),
                    ("green lane 1000220", &[]),
                    ("defender 100001000233", &["1000233"]),
                    // A word never spans two columns.
                    ("llc100001000231", &[]),
                    // Order id, customer id and subscription id, in part.
                    ("00023", &["1000231", "1000233"]),
                    ("100001000220", &["1000220"]),
                    ("51000233", &["1000233"]),
                    // Subscription name.
                    ("microsoft", &["1000231", "1000233"]),
                    ("(plan 1)", &["1000220"]),
                    // Quotes and the index's own syntax are plain text.
                    ("\"Ridge\"", &["1000233"]),
                    ("Ridge\" OR \"nowhere", &[]),
                    ("lane AND green", &[]),
                    ("plan*", &[]),
                    // LIKE's wildcards are plain text too.
                    ("100%", &["77"]),
                    ("e_w", &["77"]),
                    // Shorter than a trigram: scanned, same rules.
                    ("%", &["77"]),
                    ("_", &["77"]),
                    ("Gm", &["1000220"]),
                    ("77", &["77"]),
                    // Held by most tasks: read in list order, same rules.
                    ("FILLER", &[]),
                    ("azure", &["77"]),
                    ("e pl", &["1000220", "77"]),
                    // Nothing, and everything.
                    ("zzzz", &[]),
                    ("  ", &["1000220", "1000231", "1000233", "77"]),
                ];
                for (search, want) in cases {
                    assert_eq!(found(c, search), *want, "search {search:?}");
                }
                // Both ways of answering were taken above.
                let all = count_of(c, "", &[], None)?;
                let by = |text: &str| search_by(c, &words_of(text), all);
                assert!(matches!(by("green lane")?, SearchBy::Index { .. }));
                assert!(matches!(by("SÖHNE")?, SearchBy::Index { .. }));
                assert!(matches!(by("azure")?, SearchBy::Scan));
                assert!(matches!(by("Gm")?, SearchBy::Scan));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn the_search_index_follows_the_tasks() {
        let store = Store::open_in_memory().unwrap();
        store
            .with(|c| {
                world(c);
                let id = add(c, "1000300", "Tailspin Toys", "Microsoft 365 Apps");
                assert_eq!(found(c, "tailspin"), vec!["1000300"]);
                c.execute(
                    "UPDATE tasks SET customer_name = 'Wingtip Accounting', search_text = ?2 WHERE id = ?1",
                    params![
                        id,
                        search_text(
                            "Wingtip Accounting",
                            "100001000300",
                            "1000300",
                            "51000300",
                            "Microsoft 365 Apps"
                        )
                    ],
                )?;
                assert!(found(c, "tailspin").is_empty());
                assert_eq!(found(c, "wingtip"), vec!["1000300"]);
                c.execute("DELETE FROM tasks WHERE id = ?1", [id])?;
                assert!(found(c, "wingtip").is_empty());
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_filter_is_counted_once_until_the_cache_changes() {
        let store = Store::open_in_memory().unwrap();
        let counts = ListCounts::default();
        store
            .with(|c| {
                world(c);
                let query = TaskQuery {
                    search: "microsoft".into(),
                    ..Default::default()
                };
                let first = list_counted(c, &query, 0, 1, Some(&counts))?;
                assert_eq!((first.total, first.rows.len()), (2, 1));
                // Counted once: a wrong count planted in the cache is what the next window gets,
                // which shows it was not counted again.
                let key = counts
                    .entries
                    .lock()
                    .unwrap()
                    .iter()
                    .map(|(k, _, _)| k.clone())
                    .find(|k| k.contains("MATCH"))
                    .unwrap();
                counts.put(key, c.total_changes(), 99);
                assert_eq!(list_counted(c, &query, 1, 1, Some(&counts))?.total, 99);
                // A new task: counted again, and right.
                add(c, "1000301", "Tailspin Toys", "Microsoft 365 Apps");
                assert_eq!(list_counted(c, &query, 0, 10, Some(&counts))?.total, 3);
                Ok(())
            })
            .unwrap();
    }
}

#[cfg(test)]
mod deep_tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn deep_windows_of_a_filter_that_holds_most_tasks_are_the_rows_read_in_order() {
        let store = Store::open_in_memory().unwrap();
        let counts = ListCounts::default();
        store
            .with(|c| {
                let tx = c.transaction()?;
                for i in 0..3000u32 {
                    let order_id = format!("{}", 2_000_000 + i);
                    tx.execute(
                        "INSERT INTO orders VALUES (?1, 'change', 'c', '2026-11-16T10:04:11Z', 'completed', '{}', '2026-11-24T12:00:00Z')",
                        [&order_id],
                    )?;
                    insert(
                        &tx,
                        &NewTask {
                            order_id,
                            task_type: TaskType::FROM_ORDERS[(i % 4) as usize],
                            // Many tasks share a day: the order's tie-break (id) matters.
                            order_date: format!("2026-11-{:02}T10:00:00Z", 1 + i % 28),
                            customer_id: format!("{}", 1_000_000 + i % 700),
                            customer_name: format!("Customer {:04} Holdings", (i * 7919) % 700),
                            subscription_id: format!("{}", 3_000_000 + i),
                            subscription_name: "Microsoft 365 Business Premium".into(),
                            amount: "1.00".into(),
                            currency: "USD".into(),
                            amounts: Default::default(),
                        },
                        "2026-11-24T12:00:00Z",
                    )?;
                }
                tx.commit()?;
                let queries = [
                    TaskQuery {
                        search: "holdings".into(),
                        ..Default::default()
                    },
                    TaskQuery {
                        search: "ol".into(),
                        sort: TaskSort::CustomerAsc,
                        ..Default::default()
                    },
                    // Short and held by few: every window from the ids.
                    TaskQuery {
                        search: "42".into(),
                        ..Default::default()
                    },
                    TaskQuery {
                        types: vec![TaskType::ChangeOrder, TaskType::SalesOrder],
                        sort: TaskSort::DateAsc,
                        ..Default::default()
                    },
                ];
                for query in &queries {
                    for offset in [0u32, 30, 2_000, 2_050, 1_400, 2_990] {
                        let kept = list_counted(c, query, offset, 200, Some(&counts))?;
                        let read = list(c, query, offset, 200)?;
                        assert_eq!(kept, read, "{query:?} at {offset}");
                    }
                }
                // A new task: the order is read again and holds it.
                let query = &queries[0];
                let before = list_counted(c, query, 2_000, 1000, Some(&counts))?;
                c.execute(
                    "INSERT INTO orders VALUES ('1', 'change', 'c', '2026-11-16T10:04:11Z', 'completed', '{}', '2026-11-24T12:00:00Z')",
                    [],
                )?;
                insert(
                    c,
                    &NewTask {
                        order_id: "1".into(),
                        task_type: TaskType::ChangeOrder,
                        order_date: "2026-01-01T00:00:00Z".into(),
                        customer_id: "1".into(),
                        customer_name: "Zeta Holdings".into(),
                        subscription_id: "1".into(),
                        subscription_name: "x".into(),
                        amount: "1.00".into(),
                        currency: "USD".into(),
                        amounts: Default::default(),
                    },
                    "2026-11-24T12:00:00Z",
                )?;
                let after = list_counted(c, query, 2_900, 1000, Some(&counts))?;
                assert_eq!(after.total, before.total + 1);
                // Newest first: the task of January is the last.
                assert_eq!(after.rows.last().map(|r| r.order_id.as_str()), Some("1"));
                assert_eq!(after, list(c, query, 2_900, 1000)?);
                Ok(())
            })
            .unwrap();
    }
}
