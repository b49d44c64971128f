//! Locks over the futex (feature `thread`): [`Mutex`], [`Condvar`], [`Once`] and [`OnceLock`],
//! usable from `no_std` and without an allocator, in any program, with or without libc.
//!
//! The algorithms are std's for Linux: a mutex is one `u32` (0 free, 1 held, 2 held with
//! waiters), taken by one compare-and-swap when free and released by one swap, with a
//! [`futex::wake`] only when a thread sleeps on it; a condition
//! variable is a counter that waiters sleep on; a `Once` is a state word whose waiters sleep
//! while the initialiser runs. All futexes here are `PRIVATE` (used by one process).
//!
//! Unlike std's, none of these is poisoned by a panic: a guard dropped while a panic unwinds
//! releases the lock as usual (the data is as the panicking code left it), and a `Once` whose
//! initialiser panicked is as if it had never run, so the next caller runs it; `lock` and
//! `wait` return the guard itself, not a `LockResult`. Under barecall's `panic-handler` a panic
//! ends the process anyway.

mod condvar;
mod mutex;
mod once;
mod once_lock;

pub use condvar::{Condvar, WaitTimeoutResult};
pub use mutex::{Mutex, MutexGuard};
pub use once::Once;
pub use once_lock::OnceLock;

use crate::thread::futex::{self, Flags};
use core::sync::atomic::AtomicU32;

/// Sleeps while `*word == expected`, until a wake, a signal or the `timeout`; whether it timed
/// out. Every error but the timeout (the word changed, a signal) is a return to the caller's
/// loop, which checks its condition again.
#[inline]
fn wait(word: &AtomicU32, expected: u32, timeout: Option<&futex::Timespec>) -> bool {
    matches!(
        futex::wait(word, Flags::PRIVATE, expected, timeout),
        Err(crate::errno::Errno::TIMEDOUT)
    )
}

/// Wakes up to `count` threads sleeping on `word`.
#[inline]
fn wake(word: &AtomicU32, count: u32) {
    // Its only errors would be for a bad address or flags, which these are not.
    let _ = futex::wake(word, Flags::PRIVATE, count);
}

/// "Every waiter", as the kernel reads a count (an `int`).
const ALL: u32 = i32::MAX as u32;
