//! Sync: writing a reviewed plan to ConnectWise safely, with its journal (SPEC §7).

pub mod apply;
pub mod state;
pub mod write;

pub use state::{SyncState, WriteState};
