//! The file creation mask (with feature `fs`, whose `Mode` it takes, as in rustix).

use crate::fs::Mode;

/// `umask(mask)`—Sets the process's file creation mask to `mask`, and returns the old one.
///
/// Only the permission bits (`0o777`) are kept.
///
/// # References
///  - [Linux `umask(2)`](https://man7.org/linux/man-pages/man2/umask.2.html)
#[inline]
pub fn umask(mask: Mode) -> Mode {
    crate::process::syscalls::umask(mask)
}
