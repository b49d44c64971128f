//! Threads: rustix's `thread` module (feature `thread`): thread IDs, the scheduler's CPU
//! affinity, yielding, and the [`futex`] calls that locks are built on.

pub mod futex;
mod id;
mod sched;
mod sched_yield;
pub(crate) mod syscalls;
mod types;

pub use crate::pid::{Pid, RawPid};
pub use id::{gettid, set_tid_address};
pub use sched::{sched_getaffinity, sched_getcpu, sched_setaffinity};
pub use sched_yield::sched_yield;
pub use types::CpuSet;
