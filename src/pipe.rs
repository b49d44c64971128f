//! Pipes.

use crate::fd::OwnedFd;
use crate::io::Result;
use linux_raw_sys::general as k;

flags! {
    /// `O_*` flags for [`pipe_with`].
    pub struct PipeFlags: u32 {
        /// `O_CLOEXEC`
        const CLOEXEC = k::O_CLOEXEC;
        /// `O_DIRECT`: packet mode.
        const DIRECT = k::O_DIRECT;
        /// `O_NONBLOCK`
        const NONBLOCK = k::O_NONBLOCK;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

/// `pipe()`—Creates a pipe: `(reader, writer)`.
///
/// aarch64 and riscv64 have only `pipe2`, so this is `pipe2(fds, 0)` everywhere.
///
/// # References
///  - [Linux `pipe(2)`](https://man7.org/linux/man-pages/man2/pipe.2.html)
#[inline]
pub fn pipe() -> Result<(OwnedFd, OwnedFd)> {
    crate::syscalls::pipe2(PipeFlags::empty())
}

/// `pipe2(fds, flags)`—Creates a pipe with flags: `(reader, writer)`.
///
/// # References
///  - [Linux `pipe2(2)`](https://man7.org/linux/man-pages/man2/pipe2.2.html)
#[inline]
pub fn pipe_with(flags: PipeFlags) -> Result<(OwnedFd, OwnedFd)> {
    crate::syscalls::pipe2(flags)
}
