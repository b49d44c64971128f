//! Threads: rustix's `thread` module (feature `thread`); for now only `sched_yield`.

mod sched_yield;
pub(crate) mod syscalls;

pub use sched_yield::sched_yield;
