//! Talking to the services on the user's behalf: Check Changes (and, later, applying a plan).

pub mod check_changes;
pub mod refresh_connectwise;
