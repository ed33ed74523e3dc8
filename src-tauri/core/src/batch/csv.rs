//! A batch's result as CSV (RFC 4180): one line per task, for the billing person's records or a
//! spreadsheet. Its columns keep their order for the spreadsheets already reading them; columns
//! added later come at the end (README, "Bulk review and sync").

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::batch::{BatchTaskState, BoardRow, BoardView, OneTimeKind, SavedFile};
use crate::error::Result;
pub use crate::saving::{write, Destination};

const HEADER: [&str; 21] = [
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
    // Added after the first release: at the end, so existing readers keep their columns.
    "One-time charges",
    "Usage charges",
    "Fees",
    "Effective date",
    "Billing cycle",
    "Agreement's own amount",
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

/// A row's one-time charges of `kinds`, summed as the board shows them ("0.00" when it has a plan
/// and none of them; empty without a plan).
fn one_time_of(r: &BoardRow, kinds: &[OneTimeKind]) -> String {
    if r.one_time.is_empty() {
        return String::new();
    }
    let mut sum: Option<Decimal> = None;
    for part in r.one_time_parts.iter().filter(|p| kinds.contains(&p.kind)) {
        let Ok(v) = part.amount.parse::<Decimal>() else {
            return String::new();
        };
        match sum.unwrap_or(Decimal::ZERO).checked_add(v) {
            Some(next) => sum = Some(next),
            None => return String::new(),
        }
    }
    sum.map_or_else(|| zero_like(&r.one_time), |s| s.to_string())
}

/// "0.00" with the places of `amount` ("0" for a currency without decimals).
fn zero_like(amount: &str) -> String {
    match amount.split_once('.') {
        Some((_, places)) => format!("0.{}", "0".repeat(places.len())),
        None => "0".to_owned(),
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
            field(&r.one_time, false),
            field(&one_time_of(r, &[OneTimeKind::Usage]), false),
            field(
                &one_time_of(r, &[OneTimeKind::Fee, OneTimeKind::SetupFee]),
                false,
            ),
            field(&r.effective_date, true),
            field(&r.billing_cycle, true),
            field(&r.agreement_amount, false),
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

/// Writes the board's CSV to `to` (the proposed name dated `today`).
pub fn save(board: &BoardView, to: &Destination, today: NaiveDate) -> Result<SavedFile> {
    let path = write(to, &file_name(board.batch_id, today), &render(board))?;
    Ok(SavedFile {
        path: path.display().to_string(),
        rows: board.rows.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_columns_keep_their_order_and_new_ones_come_last() {
        assert_eq!(
            HEADER[..15].join(","),
            "Task,Order,Type,Customer,Account id,Agreement,Writes,Addition ids,Prorated,\
Recurring before,Recurring after,Recurring change,Currency,State,Message"
        );
        assert_eq!(
            HEADER[15..],
            [
                "One-time charges",
                "Usage charges",
                "Fees",
                "Effective date",
                "Billing cycle",
                "Agreement's own amount"
            ]
        );
        assert_eq!(zero_like("28.91"), "0.00");
        assert_eq!(zero_like("1200"), "0");
    }

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
