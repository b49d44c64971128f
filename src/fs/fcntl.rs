//! `fcntl` commands on an open file's status flags and seals.

use crate::fd::AsFd;
use crate::fs::{syscalls, OFlags, SealFlags};
use crate::io::Result;

/// `fcntl(fd, F_GETFL)`—An open file's status flags and access mode.
///
/// The kernel reports `O_LARGEFILE` on files opened with it (barecall's `open` always adds
/// it); qemu-user leaves it out.
///
/// # References
///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
#[doc(alias = "F_GETFL")]
pub fn fcntl_getfl<Fd: AsFd>(fd: Fd) -> Result<OFlags> {
    syscalls::fcntl_getfl(fd.as_fd())
}

/// `fcntl(fd, F_SETFL, flags)`—Sets an open file's status flags.
///
/// Only `APPEND`, `ASYNC`, `DIRECT`, `NOATIME` and `NONBLOCK` can change; the kernel ignores
/// the others. `O_LARGEFILE` is always added, as in [`openat`](crate::fs::openat).
///
/// # References
///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
#[doc(alias = "F_SETFL")]
pub fn fcntl_setfl<Fd: AsFd>(fd: Fd, flags: OFlags) -> Result<()> {
    syscalls::fcntl_setfl(fd.as_fd(), flags)
}

/// `fcntl(fd, F_GET_SEALS)`—The seals of a file (a memfd, or a file on shmem/hugetlbfs).
///
/// # References
///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
#[doc(alias = "F_GET_SEALS")]
pub fn fcntl_get_seals<Fd: AsFd>(fd: Fd) -> Result<SealFlags> {
    syscalls::fcntl_get_seals(fd.as_fd())
}

/// `fcntl(fd, F_ADD_SEALS, seals)`—Adds seals to a file; seals are never removed.
///
/// # References
///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
#[doc(alias = "F_ADD_SEALS")]
pub fn fcntl_add_seals<Fd: AsFd>(fd: Fd, seals: SealFlags) -> Result<()> {
    syscalls::fcntl_add_seals(fd.as_fd(), seals)
}
