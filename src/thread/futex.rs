//! Linux futexes: rustix's `thread::futex` module (feature `thread`).
//!
//! A futex is a `u32` in memory that threads wait on and wake each other through; mutexes,
//! condition variables and one-time initialisation are built on it. Each function here is one
//! `futex(2)` operation, named as in rustix; the word is an [`AtomicU32`], so the kernel's reads
//! and writes of it are ones the program's type allows.
//!
//! On 32-bit arm every operation goes through `futex_time64` (Linux 5.1), whose timeout is
//! [`Timespec`]'s 64-bit layout.
//!
//! ```
//! use barecall::thread::futex;
//! use std::sync::atomic::AtomicU32;
//!
//! let word = AtomicU32::new(0);
//! // Nobody waits: no one is woken.
//! assert_eq!(futex::wake(&word, futex::Flags::PRIVATE, 1), Ok(0));
//! // The word is not the expected value: the wait returns at once.
//! assert_eq!(
//!     futex::wait(&word, futex::Flags::PRIVATE, 1, None),
//!     Err(barecall::io::Errno::AGAIN)
//! );
//! ```
//!
//! # References
//!  - [Linux `futex(2)`](https://man7.org/linux/man-pages/man2/futex.2.html)

use crate::errno::Result;
use crate::thread::syscalls::{futex_timeout, futex_val2};
use crate::thread::types::{wake_op_word, Operation};
use core::num::NonZeroU32;
use core::sync::atomic::AtomicU32;

pub use crate::thread::types::{Flags, WakeOp, WakeOpCmp, OWNER_DIED, WAITERS};
pub use crate::timespec::{Nsecs, Secs, Timespec};

/// `FUTEX_WAIT`—Sleeps while `*uaddr == val`, until a wake, a signal or the relative `timeout`
/// (`None`: no limit).
///
/// The comparison and the sleep are one atomic step against wakes. `Err(AGAIN)`: the word was
/// not `val`; `Err(TIMEDOUT)`: the time ran out; `Err(INTR)`: a signal handler ran. A wake
/// may also come without any thread calling [`wake`] (the kernel's `CLEARTID` at a thread's
/// exit), so a caller re-checks its condition.
///
/// # References
///  - [Linux `FUTEX_WAIT(2const)`](https://man7.org/linux/man-pages/man2/FUTEX_WAIT.2const.html)
#[inline]
pub fn wait(uaddr: &AtomicU32, flags: Flags, val: u32, timeout: Option<&Timespec>) -> Result<()> {
    futex_timeout(uaddr, Operation::Wait, flags, val, timeout, 0).map(drop)
}

/// `FUTEX_WAKE`—Wakes at most `val` of the threads waiting on `uaddr`; returns how many it
/// woke.
///
/// The kernel reads `val` as an `int` and counts after each wake: 0 wakes one waiter, if there
/// is one, and so does anything above `i32::MAX` (negative to the kernel). `i32::MAX` is
/// "every waiter".
///
/// # References
///  - [Linux `FUTEX_WAKE(2const)`](https://man7.org/linux/man-pages/man2/FUTEX_WAKE.2const.html)
#[inline]
pub fn wake(uaddr: &AtomicU32, flags: Flags, val: u32) -> Result<usize> {
    crate::thread::syscalls::futex_wake(uaddr, flags, val)
}

/// `FUTEX_REQUEUE`—Wakes at most `val` waiters on `uaddr` and moves at most `val2` of the
/// others to wait on `uaddr2`; returns how many it woke and moved together (futex(2) says
/// "woken"; the kernel counts both, and the tests check it).
///
/// Counts above `i32::MAX` are negative to the kernel: `Err(INVAL)`.
///
/// # References
///  - [Linux `FUTEX_REQUEUE(2const)`](https://man7.org/linux/man-pages/man2/FUTEX_REQUEUE.2const.html)
#[inline]
pub fn requeue(
    uaddr: &AtomicU32,
    flags: Flags,
    val: u32,
    val2: u32,
    uaddr2: &AtomicU32,
) -> Result<usize> {
    futex_val2(uaddr, Operation::Requeue, flags, val, val2, Some(uaddr2), 0)
}

/// `FUTEX_CMP_REQUEUE`—As [`requeue`], if `*uaddr == val3` (else `Err(AGAIN)`, and nothing
/// happens); returns how many waiters it woke and moved together. With no wake (`val` 0) and
/// room to move them all (`val2` `i32::MAX`), the count is of the waiters that slept on
/// `uaddr`, now on `uaddr2`.
///
/// # References
///  - [Linux `FUTEX_CMP_REQUEUE(2const)`](https://man7.org/linux/man-pages/man2/FUTEX_CMP_REQUEUE.2const.html)
#[inline]
pub fn cmp_requeue(
    uaddr: &AtomicU32,
    flags: Flags,
    val: u32,
    val2: u32,
    uaddr2: &AtomicU32,
    val3: u32,
) -> Result<usize> {
    futex_val2(
        uaddr,
        Operation::CmpRequeue,
        flags,
        val,
        val2,
        Some(uaddr2),
        val3,
    )
}

/// `FUTEX_WAKE_OP`—Atomically applies `op` with `oparg` to `*uaddr2`, wakes at most `val`
/// waiters on `uaddr`, and, if the old value of `*uaddr2` passes `cmp` against `cmparg`, at
/// most `val2` waiters on `uaddr2`; returns how many it woke on both.
///
/// `oparg` and `cmparg` have 12 bits in the kernel's encoding: a larger one is `Err(INVAL)`,
/// before any call, rather than cut. The kernel reads the 12 bits as signed: 2048..=4095 are
/// -2048..=-1 (`Set` with 4095 stores `u32::MAX`). A shift op takes `oparg & 31`.
///
/// # References
///  - [Linux `FUTEX_WAKE_OP(2const)`](https://man7.org/linux/man-pages/man2/FUTEX_WAKE_OP.2const.html)
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn wake_op(
    uaddr: &AtomicU32,
    flags: Flags,
    val: u32,
    val2: u32,
    uaddr2: &AtomicU32,
    op: WakeOp,
    cmp: WakeOpCmp,
    oparg: u16,
    cmparg: u16,
) -> Result<usize> {
    let val3 = wake_op_word(op, cmp, oparg, cmparg)?;
    futex_val2(
        uaddr,
        Operation::WakeOp,
        flags,
        val,
        val2,
        Some(uaddr2),
        val3,
    )
}

/// `FUTEX_LOCK_PI`—Takes the priority-inheritance lock `uaddr` (whose word is 0 when free
/// and the owner's thread ID when held), sleeping until the absolute `CLOCK_REALTIME` time
/// `timeout` (`None`: no limit) while another thread holds it.
///
/// `Err(DEADLK)`: the caller holds it already; `Err(TIMEDOUT)`: the time ran out; `Err(SRCH)`
/// or `Err(INVAL)`: the word names no thread, or is not in the kernel's PI state.
///
/// # References
///  - [Linux `FUTEX_LOCK_PI(2const)`](https://man7.org/linux/man-pages/man2/FUTEX_LOCK_PI.2const.html)
#[inline]
pub fn lock_pi(uaddr: &AtomicU32, flags: Flags, timeout: Option<&Timespec>) -> Result<()> {
    futex_timeout(uaddr, Operation::LockPi, flags, 0, timeout, 0).map(drop)
}

/// `FUTEX_UNLOCK_PI`—Releases the priority-inheritance lock `uaddr`, which the caller holds
/// (else `Err(PERM)`), handing it to the highest-priority waiter.
///
/// # References
///  - [Linux `FUTEX_UNLOCK_PI(2const)`](https://man7.org/linux/man-pages/man2/FUTEX_UNLOCK_PI.2const.html)
#[inline]
pub fn unlock_pi(uaddr: &AtomicU32, flags: Flags) -> Result<()> {
    futex_val2(uaddr, Operation::UnlockPi, flags, 0, 0, None, 0).map(drop)
}

/// `FUTEX_TRYLOCK_PI`—Takes the priority-inheritance lock `uaddr` if no thread holds it;
/// `Ok(true)` when it did (rustix's reading of the kernel's 0). A held lock is
/// `Err(AGAIN)`; one the caller holds already, `Err(DEADLK)`.
///
/// # References
///  - [Linux `FUTEX_TRYLOCK_PI(2const)`](https://man7.org/linux/man-pages/man2/FUTEX_TRYLOCK_PI.2const.html)
#[inline]
pub fn trylock_pi(uaddr: &AtomicU32, flags: Flags) -> Result<bool> {
    futex_val2(uaddr, Operation::TrylockPi, flags, 0, 0, None, 0).map(|ret| ret == 0)
}

/// `FUTEX_WAIT_BITSET`—As [`wait`], woken only by wakes whose bitset shares a bit with `val3`,
/// and with `timeout` absolute (`CLOCK_MONOTONIC`, or `CLOCK_REALTIME` with that flag).
///
/// # References
///  - [Linux `FUTEX_WAIT_BITSET(2const)`](https://man7.org/linux/man-pages/man2/FUTEX_WAIT_BITSET.2const.html)
#[inline]
pub fn wait_bitset(
    uaddr: &AtomicU32,
    flags: Flags,
    val: u32,
    timeout: Option<&Timespec>,
    val3: NonZeroU32,
) -> Result<()> {
    futex_timeout(
        uaddr,
        Operation::WaitBitset,
        flags,
        val,
        timeout,
        val3.get(),
    )
    .map(drop)
}

/// `FUTEX_WAKE_BITSET`—As [`wake`], waking only waiters whose bitset shares a bit with
/// `val3`; returns how many it woke.
///
/// # References
///  - [Linux `FUTEX_WAKE_BITSET(2const)`](https://man7.org/linux/man-pages/man2/FUTEX_WAKE_BITSET.2const.html)
#[inline]
pub fn wake_bitset(uaddr: &AtomicU32, flags: Flags, val: u32, val3: NonZeroU32) -> Result<usize> {
    futex_val2(
        uaddr,
        Operation::WakeBitset,
        flags,
        val,
        0,
        None,
        val3.get(),
    )
}
