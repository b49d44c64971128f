//! Resource limits: `getrlimit`, `setrlimit` and `prlimit`, all made with `prlimit64`.
//!
//! aarch64 and riscv64 have no `getrlimit`/`setrlimit` calls, and 32-bit arm's take 32-bit
//! limits, so every architecture uses `prlimit64` on the calling process, which takes 64-bit
//! limits everywhere.

use crate::io::Result;
use crate::process::{syscalls, Pid, Resource, Rlimit};

/// `getrlimit(resource)`—The process's current (soft) and maximum (hard) limits of
/// `resource`.
///
/// Infallible, as in rustix. `prlimit64` on the calling process cannot fail for a valid
/// resource; should a seccomp policy refuse it, both limits read as `Some(0)` (nothing
/// allowed), never as uninitialized memory (rustix falls back to the older `getrlimit` calls,
/// which barecall does not make).
///
/// # References
///  - [Linux `getrlimit(2)`](https://man7.org/linux/man-pages/man2/getrlimit.2.html)
#[inline]
pub fn getrlimit(resource: Resource) -> Rlimit {
    syscalls::getrlimit(resource)
}

/// `setrlimit(resource, new)`—Sets the process's limits of `resource`.
///
/// A current limit above the maximum is `Errno::INVAL`; raising the maximum without
/// `CAP_SYS_RESOURCE` is `Errno::PERM`, as is raising `Nofile`'s above `/proc/sys/fs/nr_open`.
///
/// # References
///  - [Linux `setrlimit(2)`](https://man7.org/linux/man-pages/man2/setrlimit.2.html)
#[inline]
pub fn setrlimit(resource: Resource, new: Rlimit) -> Result<()> {
    syscalls::setrlimit(resource, new)
}

/// `prlimit(pid, resource, new)`—Sets the limits of `resource` for process `pid` (`None`: this
/// process), and returns the ones it had.
///
/// Another process's limits need `CAP_SYS_RESOURCE`, or its user and group IDs all matching
/// the caller's real ones (`Errno::PERM` otherwise); an unknown `pid` is `Errno::SRCH`.
///
/// # References
///  - [Linux `prlimit(2)`](https://man7.org/linux/man-pages/man2/prlimit.2.html)
#[inline]
pub fn prlimit(pid: Option<Pid>, resource: Resource, new: Rlimit) -> Result<Rlimit> {
    syscalls::prlimit(pid, resource, new)
}
