//! The task list as CSV (SPEC §18): the tasks the list shows — its search, filters and sort —
//! with their amounts and states, saved where the person chose.

use chrono::NaiveDate;

use crate::batch::csv::field;
use crate::batch::SavedFile;
use crate::context::Context;
use crate::error::Result;
use crate::saving::{self, Destination};
use crate::store::tasks;
use crate::task::{TaskQuery, TaskRow, TaskStatus};

const HEADER: [&str; 15] = [
    "Task",
    "Order",
    "Type",
    "State",
    "Order date",
    "Customer",
    "Account id",
    "Subscription",
    "Subscription id",
    "Amount",
    "Recurring change",
    "Per",
    "One-time",
    "Currency",
    "Ignored because",
];

/// `agreement-sync-tasks-<yyyy-mm-dd>.csv`
pub fn file_name(today: NaiveDate) -> String {
    saving::dated_name("tasks", today)
}

fn state_text(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Pending => "Pending",
        TaskStatus::Synced => "Synced",
        TaskStatus::Ignored => "Ignored",
        TaskStatus::Failed => "Failed",
    }
}

/// The rows as CSV (a header, then one line per task; CRLF line ends).
pub fn render(rows: &[TaskRow]) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for r in rows {
        let line = [
            field(&r.id.to_string(), false),
            field(&r.order_id, true),
            field(r.task_type.label(), true),
            field(state_text(r.status), false),
            field(&r.order_date, true),
            field(&r.customer_name, true),
            field(&r.customer_id, true),
            field(&r.subscription_name, true),
            field(&r.subscription_id, true),
            field(&r.amount, false),
            field(&r.recurring, false),
            field(&r.per, true),
            field(&r.one_time, false),
            field(&r.currency, true),
            field(r.ignored_reason.as_deref().unwrap_or(""), true),
        ];
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

impl Context {
    /// Saves the tasks `query` shows, in its order, as CSV to `to`.
    pub async fn save_tasks_csv(
        &self,
        query: TaskQuery,
        to: impl Into<Destination>,
    ) -> Result<SavedFile> {
        crate::validate::search(&query.search)?;
        let to = to.into();
        let today = self.clock.today();
        self.store
            .call(move |c| {
                let mut rows = Vec::new();
                loop {
                    let page =
                        tasks::list_counted(c, &query, rows.len() as u32, tasks::MAX_WINDOW, None)?;
                    let done =
                        page.rows.is_empty() || rows.len() + page.rows.len() >= page.total as usize;
                    rows.extend(page.rows);
                    if done {
                        break;
                    }
                }
                let path = saving::write(&to, &file_name(today), &render(&rows))?;
                Ok(SavedFile {
                    path: path.display().to_string(),
                    rows: rows.len() as u32,
                })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::TaskType;

    #[test]
    fn a_task_is_one_line_with_its_amounts_and_state() {
        let row = TaskRow {
            id: 7,
            task_type: TaskType::ChangeOrder,
            status: TaskStatus::Pending,
            order_id: "1000231".into(),
            order_date: "2026-11-16T10:04:11Z".into(),
            customer_id: "1000048531".into(),
            customer_name: "Green Lane, LLC".into(),
            subscription_id: "S-1".into(),
            subscription_name: "=SUM(A1)".into(),
            amount: "102.00".into(),
            currency: "USD".into(),
            recurring: "-1050.00".into(),
            per: "month".into(),
            one_time: String::new(),
            ignored_reason: None,
        };
        let text = render(&[row]);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(
            lines[1],
            "7,1000231,Change Order,Pending,2026-11-16T10:04:11Z,\"Green Lane, LLC\",1000048531,'=SUM(A1),S-1,102.00,-1050.00,month,,USD,"
        );
        assert_eq!(
            file_name(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()),
            "agreement-sync-tasks-2026-12-07.csv"
        );
    }
}
