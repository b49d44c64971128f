//! Linux's extended `stat`.

use crate::fd::AsFd;
use crate::fs::{syscalls, AtFlags, Statx, StatxFlags};
use crate::io::Result;
use crate::path;

/// `statx(dirfd, path, flags, mask)`—The metadata `mask` asks for (and what else the kernel
/// has at hand) of a file relative to a directory fd; `stx_mask` of the result says which
/// fields were filled in.
///
/// `STATX__RESERVED` (bit 31) in `mask` is `Errno::INVAL`. Needs Linux 4.11; unlike rustix,
/// barecall does not probe for it and translate the odd errors of old container sandboxes
/// into `Errno::NOSYS`.
///
/// # References
///  - [Linux `statx(2)`](https://man7.org/linux/man-pages/man2/statx.2.html)
#[inline]
pub fn statx<P: path::Arg, Fd: AsFd>(
    dirfd: Fd,
    path: P,
    flags: AtFlags,
    mask: StatxFlags,
) -> Result<Statx> {
    path.into_with_c_str(|path| syscalls::statx(dirfd.as_fd(), path, flags, mask))
}
