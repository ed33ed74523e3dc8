//! Integration tests: a real simulator on a loopback port, driven with reqwest.

mod common;
mod connectwise;
mod desks;
mod faults;
mod invoices;
mod marketplace;
mod shapes;
mod world;
mod writes;
