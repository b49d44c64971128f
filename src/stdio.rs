//! The standard streams, as borrowed fds.
//!
//! These are safe, as in rustix with `std`, also without `std` (where rustix makes them `unsafe`):
//! fds 0, 1 and 2 are the process's for its whole life. Only `unsafe` code can close one
//! (`io::close`, or `OwnedFd::from_raw_fd` and a drop), and that code takes on the invariant:
//! it must not let the number come to mean another file that something else owns, which is
//! the same assumption std's safe `stdin()` makes. A stream the process was started without
//! is only `Errno::BADF` on every call.

use crate::fd::BorrowedFd;

/// `STDIN_FILENO`—Standard input, fd 0.
///
/// # References
///  - [Linux `stdin(3)`](https://man7.org/linux/man-pages/man3/stdin.3.html)
#[inline]
pub const fn stdin() -> BorrowedFd<'static> {
    // SAFETY: see the module docs: fd 0 belongs to the process for its whole life.
    unsafe { BorrowedFd::borrow_raw(0) }
}

/// `STDOUT_FILENO`—Standard output, fd 1.
///
/// # References
///  - [Linux `stdout(3)`](https://man7.org/linux/man-pages/man3/stdout.3.html)
#[inline]
pub const fn stdout() -> BorrowedFd<'static> {
    // SAFETY: see the module docs: fd 1 belongs to the process for its whole life.
    unsafe { BorrowedFd::borrow_raw(1) }
}

/// `STDERR_FILENO`—Standard error, fd 2.
///
/// # References
///  - [Linux `stderr(3)`](https://man7.org/linux/man-pages/man3/stderr.3.html)
#[inline]
pub const fn stderr() -> BorrowedFd<'static> {
    // SAFETY: see the module docs: fd 2 belongs to the process for its whole life.
    unsafe { BorrowedFd::borrow_raw(2) }
}
