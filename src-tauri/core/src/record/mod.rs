//! Records: the types the cache persists — a sync and its writes, a reconcile fix, what
//! Reconcile found, where each task of a batch stands, what a Check Changes found — on the
//! ground floor, so that the store and the features both stand on them (DESIGN rule 16).
//! Plain values: no I/O, and nothing here reaches a floor above.

pub mod activity;
pub mod batch;
pub mod check;
pub mod fix;
pub mod reconcile;
pub mod sync;
pub mod write;
