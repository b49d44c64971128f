//! The standard streams, as borrowed fds.
//!
//! A borrow of fd 0, 1 or 2 is only sound if that number is open for the whole process: a
//! process started with one closed (`prog <&-`) would otherwise get the number back from its
//! first `open` or `pipe`, as an `OwnedFd`, while `stdin()` handed out a second handle to the
//! same file (and once that `OwnedFd` is dropped, to whatever file comes next).
//!
//! - With feature `rt` or `std` these functions are safe, as rustix's are with std. They rest
//!   on the program's runtime having opened `/dev/null` over each standard stream the process
//!   was started without, before any other code ran: barecall's `_start` does (feature `rt`
//!   links it, and a second `_start` from C's start files would not link), and so does std's
//!   for a binary with a Rust `main`. A program whose entry is neither (a `cdylib` or
//!   `staticlib` called from C, a `#![no_main]` std program, `rt` linked with `-e` naming
//!   another entry) must do the same before it calls them, as a C program that `open`s files
//!   it writes diagnostics around must. Only `unsafe` code can close a stream later
//!   (`io::close`, or `OwnedFd::from_raw_fd` and a drop), and that code takes on the rule: it
//!   must not let the number come to mean a file that something else owns.
//! - Otherwise (`no_std`, a runtime of the program's own) nothing tells barecall that the
//!   numbers are open, so the functions are `unsafe`, as in rustix without std: the caller
//!   promises what the runtime would have.

use crate::fd::BorrowedFd;
use crate::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use crate::io::Result;
use core::mem::ManuallyDrop;

/// Declares one standard stream's function: safe where a runtime keeps the fd open, `unsafe`
/// where the caller must.
macro_rules! standard_stream {
    ($(#[$doc:meta])* $name:ident = $fd:literal) => {
        $(#[$doc])*
        #[cfg(any(feature = "std", feature = "rt"))]
        #[inline]
        pub const fn $name() -> BorrowedFd<'static> {
            // SAFETY: see the module docs: the runtime keeps the fd open for the whole process.
            unsafe { BorrowedFd::borrow_raw($fd) }
        }

        $(#[$doc])*
        ///
        /// # Safety
        ///
        #[doc = concat!("fd ", $fd, " must be open, and stay open while the borrow is in use: ")]
        /// the program's runtime opens `/dev/null` over a missing standard stream at entry (as
        /// barecall's `rt` and std's do), or the caller knows the number to be its stream.
        #[cfg(not(any(feature = "std", feature = "rt")))]
        #[inline]
        pub const unsafe fn $name() -> BorrowedFd<'static> {
            // SAFETY: the caller keeps the fd open for as long as the borrow is in use.
            unsafe { BorrowedFd::borrow_raw($fd) }
        }
    };
}

standard_stream! {
    /// `STDIN_FILENO`—Standard input, fd 0.
    ///
    /// # References
    ///  - [Linux `stdin(3)`](https://man7.org/linux/man-pages/man3/stdin.3.html)
    stdin = 0
}

standard_stream! {
    /// `STDOUT_FILENO`—Standard output, fd 1.
    ///
    /// # References
    ///  - [Linux `stdout(3)`](https://man7.org/linux/man-pages/man3/stdout.3.html)
    stdout = 1
}

standard_stream! {
    /// `STDERR_FILENO`—Standard error, fd 2.
    ///
    /// # References
    ///  - [Linux `stderr(3)`](https://man7.org/linux/man-pages/man3/stderr.3.html)
    stderr = 2
}

/// Makes the standard stream `target` (0, 1 or 2) refer to `fd`'s open file, as `dup2` does;
/// nothing when `fd` is that stream already.
#[inline]
fn dup2_standard(fd: BorrowedFd<'_>, target: RawFd) -> Result<()> {
    if fd.as_raw_fd() == target {
        return Ok(());
    }
    // SAFETY: the `OwnedFd` only names the number for `dup2`, which replaces whatever file it
    // refers to (or none); `ManuallyDrop` keeps it from ever being closed, and it is not handed
    // out, so nothing takes ownership of the stream.
    let mut target = ManuallyDrop::new(unsafe { OwnedFd::from_raw_fd(target) });
    crate::io::syscalls::dup2(fd, &mut target)
}

/// `dup2(fd, STDIN_FILENO)`—Makes standard input (fd 0) refer to `fd`'s open file.
///
/// Whatever fd 0 referred to is closed; `fd` stays open, and fd 0 does not have `O_CLOEXEC`.
/// If `fd` is fd 0 already, nothing happens. aarch64 and riscv64, which have no `dup2`, use
/// `dup3`, as [`io::dup2`](crate::io::dup2) does.
///
/// # References
///  - [Linux `dup2(2)`](https://man7.org/linux/man-pages/man2/dup2.2.html)
#[inline]
pub fn dup2_stdin<Fd: AsFd>(fd: Fd) -> Result<()> {
    dup2_standard(fd.as_fd(), 0)
}

/// `dup2(fd, STDOUT_FILENO)`—Makes standard output (fd 1) refer to `fd`'s open file.
///
/// As [`dup2_stdin`], for fd 1. Output that std or other code buffers is not flushed first.
///
/// # References
///  - [Linux `dup2(2)`](https://man7.org/linux/man-pages/man2/dup2.2.html)
#[inline]
pub fn dup2_stdout<Fd: AsFd>(fd: Fd) -> Result<()> {
    dup2_standard(fd.as_fd(), 1)
}

/// `dup2(fd, STDERR_FILENO)`—Makes standard error (fd 2) refer to `fd`'s open file.
///
/// As [`dup2_stdin`], for fd 2.
///
/// # References
///  - [Linux `dup2(2)`](https://man7.org/linux/man-pages/man2/dup2.2.html)
#[inline]
pub fn dup2_stderr<Fd: AsFd>(fd: Fd) -> Result<()> {
    dup2_standard(fd.as_fd(), 2)
}
