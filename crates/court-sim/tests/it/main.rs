//! System tests of court-sim: the real binary on loopback, every resource over real HTTP,
//! bad input included, and the simulator's database read to see what a refusal left behind.

mod deposit;
mod documents;
mod embedded;
mod filings;
mod identity;
mod identity_checks;
mod openapi;
mod proceedings;
mod resilience;
mod support;
mod tus_peer;
