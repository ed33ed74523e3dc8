//! The activity log as CSV (RFC 4180): what the window shows, every row of it.

use chrono::NaiveDate;

use crate::batch::csv::{field, write, Destination};
use crate::batch::SavedFile;
use crate::error::Result;
use crate::view::{ActivityKind, ActivityResult, ActivityRow};

const HEADER: [&str; 17] = [
    "When",
    "Profile",
    "Desk",
    "Source",
    "Customer",
    "Order",
    "Agreement id",
    "Agreement",
    "What",
    "Addition id",
    "Product",
    "Before",
    "After",
    "Result",
    "Message",
    "Sync",
    "Task",
];

fn kind_text(k: ActivityKind) -> &'static str {
    match k {
        ActivityKind::Create => "Create",
        ActivityKind::CancelDate => "Cancel date",
        ActivityKind::Change => "Change",
        ActivityKind::Remove => "Remove",
    }
}

pub fn result_text(r: ActivityResult) -> &'static str {
    match r {
        ActivityResult::Confirmed => "Confirmed",
        ActivityResult::Failed => "Failed",
        ActivityResult::Unknown => "Outcome unknown",
        ActivityResult::Pending => "Not sent",
        ActivityResult::OtherDesk => "Another desk",
    }
}

/// The rows as CSV, lines ending in CRLF.
pub fn render(rows: &[ActivityRow]) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    for r in rows {
        let line = [
            field(&r.at, false),
            field(&r.profile_name, true),
            field(&r.desk, true),
            field(&r.source, true),
            field(&r.customer, true),
            field(r.order_id.as_deref().unwrap_or(""), true),
            field(&r.agreement_id.to_string(), false),
            field(&r.agreement_name, true),
            field(kind_text(r.kind), false),
            field(&opt(r.addition_id), false),
            field(&r.product, true),
            field(&r.before, true),
            field(&r.after, true),
            field(result_text(r.result), false),
            field(r.message.as_deref().unwrap_or(""), true),
            field(&opt(r.sync_id), false),
            field(&opt(r.task_id), false),
        ];
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `agreement-sync-activity-<yyyy-mm-dd>.csv`
pub fn file_name(today: NaiveDate) -> String {
    format!("agreement-sync-activity-{}.csv", today.format("%Y-%m-%d"))
}

/// Writes the rows' CSV into `dir` (created if needed).
pub fn save(rows: &[ActivityRow], to: &Destination, today: NaiveDate) -> Result<SavedFile> {
    let path = write(to, &file_name(today), &render(rows))?;
    Ok(SavedFile {
        path: path.display().to_string(),
        rows: rows.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_one_quoted_line_and_formulas_stay_text() {
        let row = ActivityRow {
            id: "w1".into(),
            at: "2026-12-07T10:00:00Z".into(),
            profile_name: "Demo".into(),
            desk: "ana on BILLING-PC".into(),
            other_desk: false,
            sync_id: Some(3),
            task_id: Some(7),
            source: "Change Order 1000231".into(),
            customer: "Müller, GmbH".into(),
            order_id: Some("1000231".into()),
            agreement_id: 4127,
            agreement_name: "=cmd".into(),
            kind: ActivityKind::CancelDate,
            addition_id: Some(30211),
            product: "MS-365-BP".into(),
            before: "20 × MS-365-BP @ 22.00, 2026-11-01 → open".into(),
            after: "20 × MS-365-BP @ 22.00, 2026-11-01 → 2026-11-30".into(),
            result: ActivityResult::Confirmed,
            message: None,
            undoable: true,
        };
        let text = render(&[row]);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[1].contains("\"Müller, GmbH\""), "{}", lines[1]);
        assert!(lines[1].contains(",'=cmd,"), "{}", lines[1]);
        assert!(lines[1].contains(",Cancel date,30211,"), "{}", lines[1]);
        assert_eq!(
            file_name(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()),
            "agreement-sync-activity-2026-12-07.csv"
        );
    }
}
