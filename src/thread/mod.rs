//! Threads: rustix's `thread` module (feature `thread`): thread IDs, the scheduler's CPU
//! affinity, yielding, and the [`futex`] calls that locks are built on; and barecall's own
//! threads without libc, which rustix does not have: [`spawn_raw`] (any program that has no
//! libc, `unsafe`) and, with `rt` and `alloc`, `spawn` of closures with `JoinHandle`s.

pub mod futex;
mod id;
mod raw;
mod sched;
mod sched_yield;
#[cfg(all(feature = "alloc", feature = "rt"))]
mod spawn;
mod stack_cache;
pub(crate) mod syscalls;
pub mod tls;
mod types;

pub use crate::pid::{Pid, RawPid};
pub use id::{gettid, set_tid_address};
pub use raw::{spawn_raw, RawThread, DEFAULT_STACK_SIZE, MIN_STACK_SIZE};
pub use sched::{sched_getaffinity, sched_getcpu, sched_setaffinity};
pub use sched_yield::sched_yield;
#[cfg(all(feature = "alloc", feature = "rt"))]
pub(crate) use spawn::started_at_barecalls_entry;
#[cfg(all(feature = "alloc", feature = "rt"))]
pub use spawn::{current_id, spawn, Builder, JoinHandle};
pub use stack_cache::{free_cached_stacks, CACHED_STACKS};
pub use types::CpuSet;
