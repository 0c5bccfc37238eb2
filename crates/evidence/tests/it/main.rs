//! System tests of the evidence crate against a real court-sim on loopback: proofs the court
//! issues are checked offline and every kind of tampering is refused with its own reason;
//! signatures made here are accepted by the platform.

mod catalogue;
mod deposit;
mod opinions;
mod signatures;
mod support;
