//! Moving data to, from and between pipes without copying it through user memory.

use crate::fd::AsFd;
use crate::io::Result;
use crate::pipe::{syscalls, IoSliceRaw, SpliceFlags};

/// `splice(fd_in, off_in, fd_out, off_out, len, flags)`—Moves up to `len` bytes from `fd_in`
/// to `fd_out`, one of which must be a pipe, and returns how many it moved.
///
/// An offset must be `None` for a pipe's end. For a file, `Some(offset)` reads or writes at
/// `*offset`, leaves the file offset alone, and adds the count moved to `*offset`; `None` uses
/// and advances the file offset. An offset of 2^63 or more is `Errno::INVAL` without a call
/// (the kernel's `loff_t` is signed, and files with unsigned offsets would take it as one): for
/// a pipe's end too, where rustix passes it on and the kernel says `Errno::SPIPE`.
///
/// # References
///  - [Linux `splice(2)`](https://man7.org/linux/man-pages/man2/splice.2.html)
#[inline]
pub fn splice<FdIn: AsFd, FdOut: AsFd>(
    fd_in: FdIn,
    off_in: Option<&mut u64>,
    fd_out: FdOut,
    off_out: Option<&mut u64>,
    len: usize,
    flags: SpliceFlags,
) -> Result<usize> {
    syscalls::splice(fd_in.as_fd(), off_in, fd_out.as_fd(), off_out, len, flags)
}

/// `vmsplice(fd, bufs, flags)`—Moves data between user memory and a pipe: into the pipe from
/// `bufs` when `fd` is its write end, out of the pipe into `bufs` when it is the read end.
///
/// More than 1024 buffers (`UIO_MAXIOV`) is `Errno::INVAL`, as the kernel says; rustix passes
/// only the first 1024 instead, which this crate does not do, so no buffer is silently left out.
///
/// # Safety
///
/// With the read end, the kernel writes into `bufs`: the caller must make sure that memory may
/// be written (an `IoSliceRaw` made with `from_slice` over memory that must not change must only
/// go to a write end). With `SpliceFlags::GIFT`, the pages are given to the kernel: the caller
/// must not change them afterwards, and every buffer must be page-aligned and a whole number of
/// pages long.
///
/// # References
///  - [Linux `vmsplice(2)`](https://man7.org/linux/man-pages/man2/vmsplice.2.html)
#[inline]
pub unsafe fn vmsplice<PipeFd: AsFd>(
    fd: PipeFd,
    bufs: &[IoSliceRaw<'_>],
    flags: SpliceFlags,
) -> Result<usize> {
    // SAFETY: the caller answers for what the kernel does with the buffers.
    unsafe { syscalls::vmsplice(fd.as_fd(), bufs, flags) }
}

/// `tee(fd_in, fd_out, len, flags)`—Copies up to `len` bytes from the pipe `fd_in` to the pipe
/// `fd_out` without consuming them, and returns how many it copied.
///
/// # References
///  - [Linux `tee(2)`](https://man7.org/linux/man-pages/man2/tee.2.html)
#[inline]
pub fn tee<FdIn: AsFd, FdOut: AsFd>(
    fd_in: FdIn,
    fd_out: FdOut,
    len: usize,
    flags: SpliceFlags,
) -> Result<usize> {
    syscalls::tee(fd_in.as_fd(), fd_out.as_fd(), len, flags)
}
