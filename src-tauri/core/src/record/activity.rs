//! What the activity log is asked for (SPEC §17): the kinds and results of writes it names, and
//! a search with its filters. The store answers it; the window sends it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a write did, as the activity log names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ActivityKind {
    /// A new addition.
    Create,
    /// A cancel date set (or taken off).
    CancelDate,
    /// An addition changed in place.
    Change,
    /// An addition removed (an undo).
    Remove,
}

/// How a write ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ActivityResult {
    /// In ConnectWise.
    Confirmed,
    /// ConnectWise refused it; it did not happen.
    Failed,
    /// Sent, its outcome not known yet (Retry checks it).
    Unknown,
    /// Not sent (yet).
    Pending,
    /// Written by another desk (recognised by its key, SPEC §15).
    OtherDesk,
}

/// What the activity log shows: a search and filters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActivityQuery {
    /// Words found in the customer, order, agreement (name or id) or addition id.
    #[serde(default)]
    pub search: String,
    #[serde(default)]
    pub profile: Option<String>,
    #[serde(default)]
    pub kind: Option<ActivityKind>,
    #[serde(default)]
    pub result: Option<ActivityResult>,
    /// `yyyy-MM-dd`, inclusive.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}
