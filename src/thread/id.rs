//! The calling thread's ID, and the word the kernel clears when the thread ends.

use crate::thread::Pid;
use core::ffi::c_void;

/// `gettid()`—Returns the calling thread's ID. In a single-threaded process it equals
/// `getpid()`. It cannot fail.
///
/// Always a system call: a thread runtime that keeps the ID in its thread control block can
/// answer without one.
///
/// # References
///  - [Linux `gettid(2)`](https://man7.org/linux/man-pages/man2/gettid.2.html)
#[inline]
#[must_use]
pub fn gettid() -> Pid {
    crate::thread::syscalls::gettid()
}

/// `set_tid_address(data)`—Sets the calling thread's `clear_child_tid` pointer, and returns
/// its thread ID.
///
/// When the thread ends, the kernel writes 0 to the `u32` at `data` (if it is not null) and
/// wakes one futex waiter on it, with a shared wake (so a waiter must not use
/// `Flags::PRIVATE`): that is how a joiner learns that a thread is gone. It does so only while
/// another task shares the memory; the last thread of a process leaves the word as it is.
/// Null turns this off. rustix keeps this call in its hidden `runtime` module; here it is public.
///
/// # Safety
///
/// Until the thread ends or sets another pointer, `data` is null or points to a `u32`
/// (aligned, in memory mapped for as long as the thread lives) that nothing else uses in a
/// way a write of 0 would break; the kernel writes it from the exiting thread, with no
/// synchronisation but the futex wake.
///
/// # References
///  - [Linux `set_tid_address(2)`](https://man7.org/linux/man-pages/man2/set_tid_address.2.html)
#[inline]
pub unsafe fn set_tid_address(data: *mut c_void) -> Pid {
    // SAFETY: the caller answers for `data`, as this function's contract says.
    unsafe { crate::thread::syscalls::set_tid_address(data) }
}
