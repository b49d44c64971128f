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
    unsafe { crate::fd::syscalls::close(raw_fd) }
}

/// `close(raw_fd)`—Closes a `RawFd` directly, and reports the kernel's error.
///
/// The fd is released whether or not an error comes back (Linux never keeps it open), so an
/// error is news about the file (`EIO`: data that an earlier write left was lost, on NFS say),
/// never a reason to close again: a retry could close a number another thread just got.
///
/// # Safety
///
/// `raw_fd` must be open and owned by the caller before the call, and is not valid after it.
///
/// # References
///  - [Linux `close(2)`](https://man7.org/linux/man-pages/man2/close.2.html)
#[cfg(feature = "try_close")]
#[inline]
pub unsafe fn try_close(raw_fd: RawFd) -> crate::io::Result<()> {
    // SAFETY: the caller passes ownership of `raw_fd` and does not use it again.
    unsafe { crate::io::syscalls::try_close(raw_fd) }
}
