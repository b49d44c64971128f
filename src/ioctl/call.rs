//! The generic `ioctl` call.

use crate::fd::AsFd;
use crate::io::Result;
use crate::ioctl::{syscalls, Ioctl};

/// `ioctl(fd, request, arg)`—Makes the `ioctl` request that `ioctl` describes.
///
/// The common `FIO*` requests have safe functions in [`io`](crate::io) (`ioctl_fionread`,
/// `ioctl_fionbio`, ...); this is for the rest. An fd that does not know the request fails with
/// `Errno::NOTTY`.
///
/// # Safety
///
/// The request must be what the driver behind `fd` expects: its opcode, the type and direction
/// of its data, and its side effects, which may be anything (an `ioctl` can change memory the
/// program holds borrows of). The [`Ioctl`] implementation answers for the first part; the
/// caller answers for using it on a fd whose driver agrees, and for the effects.
///
/// # References
///  - [Linux `ioctl(2)`](https://man7.org/linux/man-pages/man2/ioctl.2.html)
#[inline]
pub unsafe fn ioctl<F: AsFd, I: Ioctl>(fd: F, mut ioctl: I) -> Result<I::Output> {
    let request = ioctl.opcode();
    let arg = ioctl.as_ptr();
    // SAFETY: the caller and the `Ioctl` implementation vouch for the request, its argument and
    // `IS_MUTATING`; `arg` points into `ioctl`, which lives until the output is read.
    unsafe {
        let out = if I::IS_MUTATING {
            syscalls::ioctl(fd.as_fd(), request, arg)?
        } else {
            syscalls::ioctl_readonly(fd.as_fd(), request, arg)?
        };
        I::output_from_ptr(out, arg)
    }
}
