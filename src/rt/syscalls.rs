//! The runtime's typed system calls: the standard-stream check at entry.
//!
//! Both compare the raw result with one value instead of decoding it: the entry runs them, and
//! the full decoding would add its error path to every freestanding binary.

use crate::conv::{c_int, c_uint, raw_fd};
use crate::errno::Errno;
use crate::fd::RawFd;
use linux_raw_sys::general::{AT_FDCWD, F_GETFD, O_LARGEFILE, O_RDWR};

/// Whether `fd` is open (`F_GETFD` succeeds), closed (it fails with `EBADF`), or unknown (any
/// other error: a seccomp policy, say). Takes a raw number because a `BorrowedFd` of a number
/// that may be closed would be a lie.
#[inline]
pub(crate) fn fd_is_open(fd: RawFd) -> Option<bool> {
    // SAFETY: F_GETFD touches no user memory and changes nothing.
    let raw = unsafe { syscall_readonly!(__NR_fcntl, raw_fd(fd), c_uint(F_GETFD)) };
    if raw == (Errno::BADF.raw_os_error() as usize).wrapping_neg() {
        Some(false)
    } else {
        // The fd flags are a small non-negative `int`; an error is -4095..=-1.
        (raw <= i32::MAX as usize).then_some(true)
    }
}

/// Opens `/dev/null` read-write over the closed `fd`, which must be the lowest closed number;
/// says whether the kernel gave exactly that number. The fd is left open for good: it becomes
/// the standard stream. An error is `-errno`, never a number as small as `fd`, so one compare
/// decodes both.
#[inline]
pub(crate) fn open_dev_null_as(fd: RawFd) -> bool {
    let flags = c_uint(O_RDWR | O_LARGEFILE);
    // SAFETY: the kernel only reads the NUL-terminated path; the new fd is kept open forever,
    // owned by the process as the standard stream `fd`.
    let raw =
        unsafe { syscall_readonly!(__NR_openat, c_int(AT_FDCWD), c"/dev/null", flags, c_uint(0)) };
    raw == c_int(fd).into_raw()
}
