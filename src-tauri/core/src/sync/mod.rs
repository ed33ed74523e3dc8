//! Sync: writing a reviewed plan to ConnectWise safely, with its journal (SPEC §7).

pub mod apply;
pub mod ops;
pub mod write;

pub use crate::record::sync::{SyncState, WriteState};

use crate::store::journal::SyncRecord;
use crate::view::{SyncView, WriteView};

/// What the window shows of a recorded sync.
impl From<SyncRecord> for SyncView {
    fn from(r: SyncRecord) -> Self {
        SyncView {
            id: r.id,
            task_id: r.task_id,
            task_label: r.task_label,
            profile_name: r.profile_name,
            agreement_id: r.agreement_id,
            agreement_name: r.agreement_name,
            currency: r.currency,
            undoable: r.state == SyncState::Synced
                && r.undone_by.is_none()
                && r.writes
                    .iter()
                    .any(|w| w.state == WriteState::Confirmed && w.spec.already.is_none()),
            desk: r.desk,
            undoes: r.undoes,
            undone_by: r.undone_by,
            state: r.state,
            open: r.state.is_open(),
            message: r.message,
            activity: None,
            changes: r.changes,
            started_at: r.started_at,
            finished_at: r.finished_at,
            writes: r
                .writes
                .into_iter()
                .map(|w| WriteView {
                    seq: w.seq,
                    kind: w.spec.label,
                    description: w.spec.description,
                    amount: w.spec.amount,
                    state: w.state,
                    addition_id: w.addition_id,
                    message: w.message,
                    attempts: w.attempts,
                })
                .collect(),
        }
    }
}
