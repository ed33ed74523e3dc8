//! Where each task of a batch stands, as the cache keeps it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a task of a batch is in its sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BatchTaskState {
    /// Not synced by this batch yet (on the board, or waiting its turn).
    Waiting,
    Syncing,
    Synced,
    /// Its sync failed or stopped part-way; `message` says why.
    Failed,
    /// Left when the batch was stopped, or not ready when it started.
    NotStarted,
}

impl BatchTaskState {
    /// Stable name used in the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchTaskState::Waiting => "waiting",
            BatchTaskState::Syncing => "syncing",
            BatchTaskState::Synced => "synced",
            BatchTaskState::Failed => "failed",
            BatchTaskState::NotStarted => "notStarted",
        }
    }

    pub fn parse(s: &str) -> Option<BatchTaskState> {
        [
            BatchTaskState::Waiting,
            BatchTaskState::Syncing,
            BatchTaskState::Synced,
            BatchTaskState::Failed,
            BatchTaskState::NotStarted,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}
