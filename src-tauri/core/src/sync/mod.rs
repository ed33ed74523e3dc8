//! Talking to the services on the user's behalf: Check Changes, and Sync (writing a reviewed
//! plan to ConnectWise with its journal).

pub mod apply;
pub mod check_changes;
pub mod refresh_connectwise;
pub mod write;
