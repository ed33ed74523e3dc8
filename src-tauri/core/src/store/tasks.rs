//! Tasks in the cache: insert once per order, list with search/filter/sort in windows.

use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, ToSql};

use crate::error::{Error, Result};
use crate::task::{TaskPage, TaskQuery, TaskRow, TaskSort};
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
}

/// Stores a task unless its order already has one. Returns whether it was new.
pub fn insert(conn: &Connection, task: &NewTask, now: &str) -> Result<bool> {
    let changed = conn.execute(
        "INSERT INTO tasks (order_id, task_type, status, order_date, customer_id, customer_name,
                            subscription_id, subscription_name, amount, currency, created_at, updated_at)
         VALUES (?1, ?2, 'pending', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
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
            now
        ],
    )?;
    Ok(changed == 1)
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

pub fn count(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("SELECT count(*) FROM tasks", [], |r| r.get(0))?)
}

const COLUMNS: &str = "id, task_type, status, order_id, order_date, customer_id, customer_name,
                       subscription_id, subscription_name, amount, currency, ignored_reason";

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
    })
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

/// The largest window one call returns.
pub const MAX_WINDOW: u32 = 1000;

/// Rows `offset..offset+limit` of the tasks matching `query`, and how many match in all.
pub fn list(conn: &Connection, query: &TaskQuery, offset: u32, limit: u32) -> Result<TaskPage> {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let search = query.search.trim();
    if !search.is_empty() {
        let escaped = search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        args.push(Box::new(format!("%{escaped}%")));
        let n = args.len();
        clauses.push(format!(
            "(customer_name LIKE ?{n} ESCAPE '\\' OR customer_id LIKE ?{n} ESCAPE '\\'
              OR order_id LIKE ?{n} ESCAPE '\\' OR subscription_id LIKE ?{n} ESCAPE '\\'
              OR subscription_name LIKE ?{n} ESCAPE '\\')"
        ));
    }
    if !query.types.is_empty() {
        let marks = push_all(&mut args, query.types.iter().map(|t| t.as_str()));
        clauses.push(format!("task_type IN ({marks})"));
    }
    if !query.statuses.is_empty() {
        let marks = push_all(&mut args, query.statuses.iter().map(|s| s.as_str()));
        clauses.push(format!("status IN ({marks})"));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let order = match query.sort {
        TaskSort::DateDesc => "order_date DESC, id DESC",
        TaskSort::DateAsc => "order_date ASC, id ASC",
        TaskSort::CustomerAsc => "customer_name COLLATE NOCASE ASC, order_date DESC, id DESC",
        TaskSort::CustomerDesc => "customer_name COLLATE NOCASE DESC, order_date DESC, id DESC",
    };
    let total: u32 = conn.query_row(
        &format!("SELECT count(*) FROM tasks {filter}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let limit = limit.min(MAX_WINDOW);
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

fn push_all<'a>(args: &mut Vec<Box<dyn ToSql>>, values: impl Iterator<Item = &'a str>) -> String {
    let mut marks = Vec::new();
    for v in values {
        args.push(Box::new(v.to_owned()));
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
                return Err(Error::invalid("reason", "Say why the task is ignored."));
            }
            if reason.chars().count() > MAX_IGNORE_REASON {
                return Err(Error::invalid(
                    "reason",
                    format!("The reason is too long (at most {MAX_IGNORE_REASON} characters)."),
                ));
            }
            if task.status == TaskStatus::Synced {
                return Err(Error::invalid("status", "A synced task cannot be ignored."));
            }
            conn.execute(
                "UPDATE tasks SET status = 'ignored', ignored_reason = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, reason, now],
            )?;
        }
        None => {
            if task.status != TaskStatus::Ignored {
                return Err(Error::invalid("status", "The task is not ignored."));
            }
            conn.execute(
                "UPDATE tasks SET status = 'pending', ignored_reason = NULL, updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
    }
    get(conn, id)
}
