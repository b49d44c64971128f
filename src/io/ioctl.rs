//! The `ioctl` requests every fd understands (`FIO*`).
//!
//! The request numbers are the asm-generic ones on all four supported architectures.

use crate::fd::AsFd;
use crate::io::Result;

/// `ioctl(fd, FIOCLEX, NULL)`—Sets the close-on-exec flag.
///
/// Like `fcntl_setfd(fd, FdFlags::CLOEXEC)`, but leaves any other fd flag alone. Fails with
/// `Errno::BADF` on `O_PATH` fds.
///
/// # References
///  - [Linux `ioctl(2)`](https://man7.org/linux/man-pages/man2/ioctl.2.html)
#[inline]
pub fn ioctl_fioclex<Fd: AsFd>(fd: Fd) -> Result<()> {
    crate::io::syscalls::ioctl_fioclex(fd.as_fd())
}

/// `ioctl(fd, FIONCLEX, NULL)`—Clears the close-on-exec flag.
///
/// Like `fcntl_setfd(fd, FdFlags::empty())`, but leaves any other fd flag alone. Fails with
/// `Errno::BADF` on `O_PATH` fds.
///
/// # References
///  - [Linux `ioctl(2)`](https://man7.org/linux/man-pages/man2/ioctl.2.html)
#[inline]
pub fn ioctl_fionclex<Fd: AsFd>(fd: Fd) -> Result<()> {
    crate::io::syscalls::ioctl_fionclex(fd.as_fd())
}

/// `ioctl(fd, FIONBIO, &value)`—Turns non-blocking mode (`O_NONBLOCK`) on or off.
///
/// # References
///  - [Linux `ioctl_tty(2)`, `FIONBIO`](https://man7.org/linux/man-pages/man2/ioctl_tty.2.html)
#[inline]
pub fn ioctl_fionbio<Fd: AsFd>(fd: Fd, value: bool) -> Result<()> {
    crate::io::syscalls::ioctl_fionbio(fd.as_fd(), value)
}

/// `ioctl(fd, FIONREAD)`—Returns the number of bytes ready to be read.
///
/// The kernel reports the count as a C `int`, which may have wrapped for huge counts; it is
/// sign-extended here, as rustix does.
///
/// # References
///  - [Linux `ioctl_tty(2)`, `FIONREAD`](https://man7.org/linux/man-pages/man2/ioctl_tty.2.html)
#[inline]
pub fn ioctl_fionread<Fd: AsFd>(fd: Fd) -> Result<u64> {
    crate::io::syscalls::ioctl_fionread(fd.as_fd())
}
