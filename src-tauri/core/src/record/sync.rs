//! Where a sync and each of its writes stand (SPEC §7): what the journal records and Sync acts on.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where one sync of a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SyncState {
    /// Writing now.
    Running,
    /// Stopped part-way when the app closed or was killed; Retry checks and finishes it.
    Interrupted,
    /// A write failed or its outcome could not be checked; Retry finishes the rest.
    Failed,
    /// Every write is confirmed in ConnectWise.
    Synced,
    /// Nothing was written: the agreement changed in ConnectWise since it was reviewed.
    Changed,
    /// Synced already; checked again and nothing new was written.
    NothingToWrite,
    /// A person set the unfinished writes aside to review the task again.
    Discarded,
    /// Nothing was written: every write of the task was already in ConnectWise (written from
    /// another desk, or by this one before its cache was lost — SPEC §15). The task is synced.
    AlreadyInConnectWise,
}

impl SyncState {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncState::Running => "running",
            SyncState::Interrupted => "interrupted",
            SyncState::Failed => "failed",
            SyncState::Synced => "synced",
            SyncState::Changed => "changed",
            SyncState::NothingToWrite => "nothingToWrite",
            SyncState::Discarded => "discarded",
            SyncState::AlreadyInConnectWise => "alreadyInConnectWise",
        }
    }

    pub fn parse(s: &str) -> Option<SyncState> {
        [
            SyncState::Running,
            SyncState::Interrupted,
            SyncState::Failed,
            SyncState::Synced,
            SyncState::Changed,
            SyncState::NothingToWrite,
            SyncState::Discarded,
            SyncState::AlreadyInConnectWise,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// A sync with writes still to finish.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            SyncState::Running | SyncState::Interrupted | SyncState::Failed
        )
    }
}

/// Where one journaled write stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum WriteState {
    /// Not sent (yet).
    Pending,
    /// Sent; no answer recorded (the app stopped while waiting).
    Sending,
    /// Sent; the answer was lost. The agreement is re-read to know whether it happened.
    Unknown,
    /// In ConnectWise.
    Confirmed,
    /// ConnectWise refused it; it did not happen.
    Failed,
}

impl WriteState {
    pub fn as_str(self) -> &'static str {
        match self {
            WriteState::Pending => "pending",
            WriteState::Sending => "sending",
            WriteState::Unknown => "unknown",
            WriteState::Confirmed => "confirmed",
            WriteState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<WriteState> {
        [
            WriteState::Pending,
            WriteState::Sending,
            WriteState::Unknown,
            WriteState::Confirmed,
            WriteState::Failed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}
