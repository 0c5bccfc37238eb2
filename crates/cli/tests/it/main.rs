//! The `litigant` binary as a script would run it.

mod convert;
mod id_check;
mod platform;
mod pulse;
mod record;
mod verify;
