//! A pipe's capacity: `fcntl` `F_GETPIPE_SZ` and `F_SETPIPE_SZ`.

use crate::fd::AsFd;
use crate::io::Result;
use crate::pipe::syscalls;

/// `fcntl(fd, F_GETPIPE_SZ)`—Returns the capacity of a pipe's buffer, in bytes.
///
/// Either end of the pipe will do; any other kind of fd is `Errno::BADF`.
///
/// # References
///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
pub fn fcntl_getpipe_size<Fd: AsFd>(fd: Fd) -> Result<usize> {
    syscalls::fcntl_getpipe_size(fd.as_fd())
}

/// `fcntl(fd, F_SETPIPE_SZ, size)`—Sets the capacity of a pipe's buffer to at least `size`
/// bytes, and returns the capacity the kernel chose (`size` rounded up to a power-of-two number
/// of pages).
///
/// A `size` beyond a C `int` is `Errno::PERM` without a call, as in rustix (the kernel would
/// refuse it too: past `/proc/sys/fs/pipe-max-size` with `EPERM` unless privileged, past 2^31
/// with `EINVAL`). Shrinking below the data the pipe holds is `Errno::BUSY`.
///
/// # References
///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
pub fn fcntl_setpipe_size<Fd: AsFd>(fd: Fd, size: usize) -> Result<usize> {
    syscalls::fcntl_setpipe_size(fd.as_fd(), size)
}
