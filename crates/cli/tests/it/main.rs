//! The `litigant` binary as a script would run it.

mod convert;
mod escl;
mod evidence;
mod hearing;
mod id_check;
mod platform;
mod pulse;
mod record;
mod verify;
