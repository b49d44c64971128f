//! Calls on paths relative to a directory fd (`*at`), and their `CWD` forms.

use crate::fd::{AsFd, OwnedFd};
use crate::fs::{syscalls, Mode, OFlags, CWD};
use crate::io::Result;
use crate::path;

/// `openat(dirfd, path, oflags, mode)`—Opens a file relative to a directory fd.
///
/// # References
///  - [Linux `openat(2)`](https://man7.org/linux/man-pages/man2/openat.2.html)
#[inline]
pub fn openat<P: path::Arg, Fd: AsFd>(
    dirfd: Fd,
    path: P,
    oflags: OFlags,
    create_mode: Mode,
) -> Result<OwnedFd> {
    path.into_with_c_str(|path| syscalls::openat(dirfd.as_fd(), path, oflags, create_mode))
}

/// `open(path, oflags, mode)`—Opens a file: `openat(CWD, ...)`.
///
/// # References
///  - [Linux `open(2)`](https://man7.org/linux/man-pages/man2/open.2.html)
#[inline]
pub fn open<P: path::Arg>(path: P, flags: OFlags, mode: Mode) -> Result<OwnedFd> {
    openat(CWD, path, flags, mode)
}
