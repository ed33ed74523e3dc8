//! The activity log as the window shows it: each journaled write (and each addition another
//! desk wrote) in words.

use rust_decimal::Decimal;

use crate::connectwise::wire::Addition;
use crate::error::Result;
use crate::record::write::{Action, WriteKind, WriteSpec};
use crate::store::activity::{self, Entry};
use crate::store::journal::State;
use crate::task::TaskType;
use crate::view::{ActivityKind, ActivityPage, ActivityQuery, ActivityResult, ActivityRow};

/// The most rows one window holds.
pub const MAX_WINDOW: u32 = 500;

/// A price as typed in ConnectWise: at least two decimals, more only when it has them.
fn price(v: Decimal) -> String {
    let v = v.normalize();
    if v.scale() < 2 {
        format!("{v:.2}")
    } else {
        v.to_string()
    }
}

/// An addition in words: "5 × MS-365-BP @ 22.00, 2026-12-01 → open".
pub fn addition_words(a: &Addition) -> String {
    let day = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or_else(|| "open".to_owned(), |t| t.date_naive().to_string())
    };
    let name = if a.product.identifier.is_empty() {
        format!("addition {}", a.id)
    } else {
        a.product.identifier.clone()
    };
    format!(
        "{} × {name} @ {}, {} → {}",
        a.quantity.unwrap_or_default().normalize(),
        price(a.unit_price.unwrap_or_default()),
        day(a.effective_date),
        day(a.cancelled_date)
    )
}

/// A state in words: "—" for no addition.
pub fn state_words(s: &State) -> String {
    match s {
        State::NotRecorded => "not recorded".to_owned(),
        State::Absent => "—".to_owned(),
        State::Addition(a) => addition_words(a),
    }
}

fn kind_of(spec: &WriteSpec) -> ActivityKind {
    match (spec.kind, spec.action) {
        (WriteKind::Create, _) => ActivityKind::Create,
        (WriteKind::Delete, _) => ActivityKind::Remove,
        (WriteKind::Patch, Action::Cancel) => ActivityKind::CancelDate,
        (WriteKind::Patch, _) => ActivityKind::Change,
    }
}

fn result_of(state: &str) -> ActivityResult {
    match state {
        "confirmed" => ActivityResult::Confirmed,
        "failed" => ActivityResult::Failed,
        "pending" => ActivityResult::Pending,
        _ => ActivityResult::Unknown,
    }
}

/// What wrote it, in words.
fn source_of(e: &Entry) -> String {
    if let Some(undone) = e.undoes {
        return format!("Undo of sync {undone}");
    }
    let kind = e.task_type.as_deref().and_then(TaskType::parse);
    match (kind, e.order_id.as_deref()) {
        (Some(TaskType::ReconcileFix), _) => "Reconcile fix".to_owned(),
        (Some(t), Some(order)) => format!("{} {order}", t.label()),
        _ => "Sync".to_owned(),
    }
}

/// One of this desk's writes.
fn own_row(e: Entry, spec: WriteSpec) -> ActivityRow {
    let undoable = e.sync_state.as_deref() == Some("synced") && e.undone_by.is_none();
    let after = match (&e.after, spec.kind) {
        // Not confirmed (yet): what it would write.
        (State::NotRecorded, WriteKind::Create) => format!("{} (planned)", spec.description),
        (s, _) => state_words(s),
    };
    ActivityRow {
        id: format!("w{}", e.write_id.unwrap_or_default()),
        source: source_of(&e),
        at: e.at,
        profile_name: e.profile_name.unwrap_or_default(),
        desk: e
            .desk
            .unwrap_or_else(|| "this desk (before desks were recorded)".to_owned()),
        other_desk: false,
        sync_id: e.sync_id,
        task_id: e.task_id,
        customer: e.customer.unwrap_or_default(),
        order_id: e.order_id,
        agreement_id: e.agreement_id,
        agreement_name: e.agreement_name.unwrap_or_default(),
        kind: kind_of(&spec),
        addition_id: e.addition_id.or(spec.addition_id),
        product: spec.product_name,
        before: state_words(&e.before),
        after,
        result: result_of(&e.state),
        message: e.message,
        undoable,
    }
}

/// An addition another desk wrote, recognised by its key.
fn other_row(e: Entry, profile: &str) -> ActivityRow {
    let parts = e.key.as_deref().and_then(crate::ledger::parse);
    let addition = e.after.addition();
    ActivityRow {
        id: format!("a{}", e.addition_id.unwrap_or_default()),
        at: e.at.clone(),
        profile_name: profile.to_owned(),
        desk: "another desk".to_owned(),
        other_desk: true,
        sync_id: None,
        task_id: None,
        source: match &parts {
            Some(p) if p.source.starts_with("FIX") => "Reconcile fix (another desk)".to_owned(),
            Some(p) => format!("Order {} (another desk)", p.source),
            None => "Another desk".to_owned(),
        },
        customer: e.customer.clone().unwrap_or_default(),
        order_id: parts.map(|p| p.source),
        agreement_id: e.agreement_id,
        agreement_name: e.agreement_name.clone().unwrap_or_default(),
        kind: ActivityKind::Create,
        addition_id: e.addition_id,
        product: addition
            .map(|a| a.product.identifier.clone())
            .unwrap_or_default(),
        before: "—".to_owned(),
        after: state_words(&e.after),
        result: ActivityResult::OtherDesk,
        message: e.key,
        undoable: false,
    }
}

/// A row of the log; a write whose journal cannot be read is shown as such, not dropped.
pub fn row_of(e: Entry, profile: &str) -> ActivityRow {
    if e.write_id.is_none() {
        return other_row(e, profile);
    }
    match e.spec.as_deref().map(serde_json::from_str::<WriteSpec>) {
        Some(Ok(spec)) => own_row(e, spec),
        _ => ActivityRow {
            id: format!("w{}", e.write_id.unwrap_or_default()),
            source: source_of(&e),
            at: e.at,
            profile_name: e.profile_name.unwrap_or_default(),
            desk: e.desk.unwrap_or_default(),
            other_desk: false,
            sync_id: e.sync_id,
            task_id: e.task_id,
            customer: e.customer.unwrap_or_default(),
            order_id: e.order_id,
            agreement_id: e.agreement_id,
            agreement_name: e.agreement_name.unwrap_or_default(),
            kind: ActivityKind::Change,
            addition_id: e.addition_id,
            product: String::new(),
            before: state_words(&e.before),
            after: state_words(&e.after),
            result: result_of(&e.state),
            message: Some("This write's journal entry is unreadable.".to_owned()),
            undoable: false,
        },
    }
}

/// A window of the log.
pub fn page(
    conn: &rusqlite::Connection,
    q: &ActivityQuery,
    offset: u32,
    limit: u32,
    profile: &str,
) -> Result<ActivityPage> {
    let (total, entries) = activity::window(conn, q, offset, limit.min(MAX_WINDOW))?;
    Ok(ActivityPage {
        total,
        offset,
        rows: entries.into_iter().map(|e| row_of(e, profile)).collect(),
        profiles: activity::profiles(conn)?,
    })
}
