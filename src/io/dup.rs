//! Functions which duplicate file descriptors.

use crate::fd::{AsFd, OwnedFd};
use crate::io::{DupFlags, Result};

/// `dup(fd)`—Creates a new `OwnedFd` for the same open file as `fd`.
///
/// The new fd does not have `O_CLOEXEC` set; [`fcntl_dupfd_cloexec`](crate::io::fcntl_dupfd_cloexec)
/// makes one that does.
///
/// # References
///  - [Linux `dup(2)`](https://man7.org/linux/man-pages/man2/dup.2.html)
#[inline]
pub fn dup<Fd: AsFd>(fd: Fd) -> Result<OwnedFd> {
    crate::io::syscalls::dup(fd.as_fd())
}

/// `dup2(fd, new)`—Makes `new` refer to the open file of `fd`.
///
/// The old file of `new` is closed. `new` keeps its number, and loses `O_CLOEXEC`. When `fd`
/// and `new` are the same open fd this does nothing and succeeds, on every architecture (aarch64
/// and riscv64 have no `dup2` system call; barecall builds it on `dup3` and keeps this case).
///
/// # References
///  - [Linux `dup2(2)`](https://man7.org/linux/man-pages/man2/dup2.2.html)
#[inline]
pub fn dup2<Fd: AsFd>(fd: Fd, new: &mut OwnedFd) -> Result<()> {
    crate::io::syscalls::dup2(fd.as_fd(), new)
}

/// `dup3(fd, new, flags)`—[`dup2`] with flags.
///
/// Unlike `dup2`, it fails with `Errno::INVAL` when `fd` and `new` are the same fd.
///
/// # References
///  - [Linux `dup3(2)`](https://man7.org/linux/man-pages/man2/dup3.2.html)
#[inline]
pub fn dup3<Fd: AsFd>(fd: Fd, new: &mut OwnedFd, flags: DupFlags) -> Result<()> {
    crate::io::syscalls::dup3(fd.as_fd(), new, flags)
}
