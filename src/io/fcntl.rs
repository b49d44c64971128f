//! `fcntl` requests on the fd itself (the ones on the open file are in `fs` in rustix).
//!
//! 32-bit arm uses `fcntl64`, the others `fcntl`.

use crate::fd::{AsFd, OwnedFd, RawFd};
use crate::io::{FdFlags, Result};

/// `fcntl(fd, F_GETFD)`—Returns a file descriptor's flags.
///
/// # References
///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
pub fn fcntl_getfd<Fd: AsFd>(fd: Fd) -> Result<FdFlags> {
    crate::io::syscalls::fcntl_getfd(fd.as_fd())
}

/// `fcntl(fd, F_SETFD, flags)`—Sets a file descriptor's flags.
///
/// # References
///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
pub fn fcntl_setfd<Fd: AsFd>(fd: Fd, flags: FdFlags) -> Result<()> {
    crate::io::syscalls::fcntl_setfd(fd.as_fd(), flags)
}

/// `fcntl(fd, F_DUPFD_CLOEXEC, min)`—Creates a new `OwnedFd`, numbered at least `min`, with
/// `O_CLOEXEC` set, for the same open file as `fd`.
///
/// A negative `min`, or one at or above `RLIMIT_NOFILE`, is `Errno::INVAL`.
///
/// # References
///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
pub fn fcntl_dupfd_cloexec<Fd: AsFd>(fd: Fd, min: RawFd) -> Result<OwnedFd> {
    crate::fd::syscalls::fcntl_dupfd_cloexec(fd.as_fd(), min)
}
