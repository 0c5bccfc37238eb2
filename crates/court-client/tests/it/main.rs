//! System tests of the court client against court-sim on loopback: typed calls, refusals,
//! refresh, uploads through injected faults, exactly-once filing, the offline queue, the
//! event feed, and interoperability with the peer tus server from npm.

mod api;
mod outbox;
mod support;
mod tus_peer;
