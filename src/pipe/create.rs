//! Making pipes.

use crate::fd::OwnedFd;
use crate::io::Result;
use crate::pipe::{syscalls, PipeFlags};

/// `pipe()`—Creates a pipe: `(reader, writer)`.
///
/// aarch64 and riscv64 have only `pipe2`, so this is `pipe2(fds, 0)` everywhere.
///
/// # References
///  - [Linux `pipe(2)`](https://man7.org/linux/man-pages/man2/pipe.2.html)
#[inline]
pub fn pipe() -> Result<(OwnedFd, OwnedFd)> {
    syscalls::pipe2(PipeFlags::empty())
}

/// `pipe2(fds, flags)`—Creates a pipe with flags: `(reader, writer)`.
///
/// # References
///  - [Linux `pipe2(2)`](https://man7.org/linux/man-pages/man2/pipe2.2.html)
#[inline]
pub fn pipe_with(flags: PipeFlags) -> Result<(OwnedFd, OwnedFd)> {
    syscalls::pipe2(flags)
}
