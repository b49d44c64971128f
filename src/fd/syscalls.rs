//! The two calls the fd types make themselves: `close` (an `OwnedFd`'s drop) and
//! `F_DUPFD_CLOEXEC` (`try_clone`); `io::close` and `io::fcntl_dupfd_cloexec` are one-liners
//! over them. Here, below `io`, so that the fd types depend on nothing above them.

use crate::conv::{c_int, c_uint, raw_fd, ret_owned_fd};
use crate::errno::Result;
use crate::fd::{BorrowedFd, OwnedFd, RawFd};
use linux_raw_sys::general::F_DUPFD_CLOEXEC;

/// # Safety
///
/// `fd` is owned by the caller and is not used again.
#[inline]
pub(crate) unsafe fn close(fd: RawFd) {
    // SAFETY: the caller gives up `fd`; close writes no user memory. Its error is meaningless
    // after the fact (the fd is gone either way), so it is dropped, never panicked on.
    unsafe { syscall_readonly!(__NR_close, raw_fd(fd)) };
}

#[inline]
pub(crate) fn fcntl_dupfd_cloexec(fd: BorrowedFd<'_>, min: RawFd) -> Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC touches no user memory and returns a new fd on success.
    unsafe {
        ret_owned_fd(syscall_readonly!(
            __NR_fcntl,
            fd,
            c_uint(F_DUPFD_CLOEXEC),
            c_int(min)
        ))
    }
}
