//! Calls on an open file's fd.

use crate::fd::AsFd;
use crate::fs::{syscalls, SeekFrom};
use crate::io::Result;

/// `lseek(fd, offset, whence)`—Moves the file offset; returns the new one.
///
/// 32-bit arm uses `_llseek`, so offsets past 4 GiB work there too.
///
/// # References
///  - [Linux `lseek(2)`](https://man7.org/linux/man-pages/man2/lseek.2.html)
#[inline]
pub fn seek<Fd: AsFd>(fd: Fd, pos: SeekFrom) -> Result<u64> {
    syscalls::lseek(fd.as_fd(), pos)
}
