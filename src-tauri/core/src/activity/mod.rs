//! Activity and undo (SPEC §17): every write on record — searched, filtered, exported — and a
//! synced task, batch or fix taken back by a compensating plan written with the same safe sync.

pub mod csv;
pub mod log;
pub mod ops;
pub mod undo;
