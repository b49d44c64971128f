//! The unsafe `close` for raw file descriptors.

use crate::fd::RawFd;

/// `close(raw_fd)`—Closes a `RawFd` directly.
///
/// Most programs never need this: an [`OwnedFd`](crate::fd::OwnedFd) closes its fd on drop.
///
/// There is no result. Linux releases the fd even when `close` reports an error, so there is
/// nothing to retry; the error is dropped, and this function never panics, in debug builds too.
///
/// # Safety
///
/// `raw_fd` must be open and owned by the caller before the call, and is not valid after it.
///
/// # References
///  - [Linux `close(2)`](https://man7.org/linux/man-pages/man2/close.2.html)
#[inline]
pub unsafe fn close(raw_fd: RawFd) {
    // SAFETY: the caller passes ownership of `raw_fd` and does not use it again.
    unsafe { crate::syscalls::close(raw_fd) }
}
