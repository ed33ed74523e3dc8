//! A batch's result as CSV (RFC 4180): one line per task, for the billing person's records or a
//! spreadsheet.

use std::path::Path;

use chrono::NaiveDate;

use crate::batch::{BatchTaskState, BoardView, SavedFile};
use crate::error::{Error, Result};

const HEADER: [&str; 15] = [
    "Task",
    "Order",
    "Type",
    "Customer",
    "Account id",
    "Agreement",
    "Writes",
    "Addition ids",
    "Prorated",
    "Recurring before",
    "Recurring after",
    "Recurring change",
    "Currency",
    "State",
    "Message",
];

/// One field, quoted when it holds a separator, a quote or a line break. Text that a spreadsheet
/// would run as a formula (`=`, `+`, `-`, `@` first) is kept as text with a leading `'`.
pub(crate) fn field(value: &str, text: bool) -> String {
    let value = if text && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn state_text(state: BatchTaskState) -> &'static str {
    match state {
        BatchTaskState::Waiting => "Waiting",
        BatchTaskState::Syncing => "Syncing",
        BatchTaskState::Synced => "Synced",
        BatchTaskState::Failed => "Failed",
        BatchTaskState::NotStarted => "Not started",
    }
}

/// The board as CSV, lines ending in CRLF.
pub fn render(board: &BoardView) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for r in &board.rows {
        let message = r.message.clone().unwrap_or_else(|| {
            r.attention
                .iter()
                .map(|a| a.message.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        });
        let ids = r
            .addition_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        let line = [
            field(&r.task.id.to_string(), false),
            field(&r.task.order_id, true),
            field(r.task.task_type.label(), true),
            field(&r.task.customer_name, true),
            field(&r.task.customer_id, true),
            field(r.agreement_name.as_deref().unwrap_or(""), true),
            field(&r.writes.to_string(), false),
            field(&ids, false),
            field(&r.prorated, false),
            field(&r.recurring_before, false),
            field(&r.recurring_after, false),
            field(&r.recurring_change, false),
            field(&r.currency, true),
            field(state_text(r.state), false),
            field(&message, true),
        ];
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `agreement-sync-batch-<id>-<yyyy-mm-dd>.csv`
pub fn file_name(batch_id: i64, today: NaiveDate) -> String {
    format!(
        "agreement-sync-batch-{batch_id}-{}.csv",
        today.format("%Y-%m-%d")
    )
}

/// Writes the board's CSV into `dir` (created if needed).
pub fn save(board: &BoardView, dir: &Path, today: NaiveDate) -> Result<SavedFile> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::Config(format!(
            "The folder {} could not be created to save the CSV: {e}",
            dir.display()
        ))
    })?;
    let path = dir.join(file_name(board.batch_id, today));
    std::fs::write(&path, render(board)).map_err(|e| {
        Error::Config(format!(
            "The CSV could not be saved to {}: {e}",
            path.display()
        ))
    })?;
    Ok(SavedFile {
        path: path.display().to_string(),
        rows: board.rows.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_kept_as_text() {
        assert_eq!(field("Green Lane LLC", true), "Green Lane LLC");
        assert_eq!(
            field("Müller & Söhne, GmbH", true),
            "\"Müller & Söhne, GmbH\""
        );
        assert_eq!(field("say \"hi\"", true), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines", true), "\"two\nlines\"");
        assert_eq!(
            field("=HYPERLINK(\"x\")", true),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(field("-7.48", false), "-7.48", "amounts stay numbers");
        assert_eq!(
            file_name(7, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
            "agreement-sync-batch-7-2026-11-24.csv"
        );
    }
}
