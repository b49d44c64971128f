//! The IDs of the process: its own, its parent's, its users' and groups'.
//!
//! None of these calls can fail.

use crate::process::{syscalls, Gid, Pid, Uid};

/// `getpid()`—The ID of this process (of its thread group, for a thread).
///
/// # References
///  - [Linux `getpid(2)`](https://man7.org/linux/man-pages/man2/getpid.2.html)
#[inline]
#[must_use]
pub fn getpid() -> Pid {
    syscalls::getpid()
}

/// `getppid()`—The ID of this process's parent, or `None` when it has none that its PID
/// namespace can see (for the init process of a namespace, [`Pid::INIT`]).
///
/// # References
///  - [Linux `getppid(2)`](https://man7.org/linux/man-pages/man2/getppid.2.html)
#[inline]
#[must_use]
pub fn getppid() -> Option<Pid> {
    syscalls::getppid()
}

/// `getuid()`—The real user ID of this process.
///
/// 32-bit arm uses `getuid32`: its `getuid` gives 16-bit IDs.
///
/// # References
///  - [Linux `getuid(2)`](https://man7.org/linux/man-pages/man2/getuid.2.html)
#[inline]
#[must_use]
pub fn getuid() -> Uid {
    syscalls::getuid()
}

/// `geteuid()`—The effective user ID of this process (`geteuid32` on 32-bit arm).
///
/// # References
///  - [Linux `geteuid(2)`](https://man7.org/linux/man-pages/man2/geteuid.2.html)
#[inline]
#[must_use]
pub fn geteuid() -> Uid {
    syscalls::geteuid()
}

/// `getgid()`—The real group ID of this process (`getgid32` on 32-bit arm).
///
/// # References
///  - [Linux `getgid(2)`](https://man7.org/linux/man-pages/man2/getgid.2.html)
#[inline]
#[must_use]
pub fn getgid() -> Gid {
    syscalls::getgid()
}

/// `getegid()`—The effective group ID of this process (`getegid32` on 32-bit arm).
///
/// # References
///  - [Linux `getegid(2)`](https://man7.org/linux/man-pages/man2/getegid.2.html)
#[inline]
#[must_use]
pub fn getegid() -> Gid {
    syscalls::getegid()
}
