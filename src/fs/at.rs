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

// ---- fsfile: stat, times, modes and owners relative to a directory fd ----

use crate::fs::{AtFlags, Gid, Stat, Timestamps, Uid};

/// `fstatat(dirfd, path, flags)`—The metadata of a file relative to a directory fd.
///
/// `AtFlags::SYMLINK_NOFOLLOW` reports a final symlink itself; `AtFlags::EMPTY_PATH` with an
/// empty path, `dirfd` itself. The call is `newfstatat`; on 32-bit arm it is `statx` with
/// `STATX_BASIC_STATS`, for 64-bit times (see [`Stat`]).
///
/// # References
///  - [Linux `fstatat(2)`](https://man7.org/linux/man-pages/man2/fstatat.2.html)
#[inline]
#[doc(alias = "fstatat")]
pub fn statat<P: path::Arg, Fd: AsFd>(dirfd: Fd, path: P, flags: AtFlags) -> Result<Stat> {
    path.into_with_c_str(|path| syscalls::statat(dirfd.as_fd(), path, flags))
}

/// `utimensat(dirfd, path, times, flags)`—Sets a file's access and modification times,
/// relative to a directory fd.
///
/// A `tv_nsec` of [`UTIME_NOW`](crate::fs::UTIME_NOW) or [`UTIME_OMIT`](crate::fs::UTIME_OMIT)
/// sets that time to now or leaves it. 32-bit arm uses `utimensat_time64` (Linux 5.1 and
/// later; unlike rustix, no fallback to the 32-bit-time call: `Errno::NOSYS` before 5.1).
///
/// # References
///  - [Linux `utimensat(2)`](https://man7.org/linux/man-pages/man2/utimensat.2.html)
#[inline]
pub fn utimensat<P: path::Arg, Fd: AsFd>(
    dirfd: Fd,
    path: P,
    times: &Timestamps,
    flags: AtFlags,
) -> Result<()> {
    path.into_with_c_str(|path| syscalls::utimensat(dirfd.as_fd(), path, times, flags))
}

/// `fchmodat(dirfd, path, mode, flags)`—Sets a file's permission bits, relative to a
/// directory fd.
///
/// The kernel call has no flags: as in rustix, `AtFlags::SYMLINK_NOFOLLOW` is
/// `Errno::OPNOTSUPP` and any other flag `Errno::INVAL`, before any call.
///
/// # References
///  - [Linux `fchmodat(2)`](https://man7.org/linux/man-pages/man2/fchmodat.2.html)
#[inline]
#[doc(alias = "fchmodat")]
pub fn chmodat<P: path::Arg, Fd: AsFd>(
    dirfd: Fd,
    path: P,
    mode: Mode,
    flags: AtFlags,
) -> Result<()> {
    path.into_with_c_str(|path| syscalls::chmodat(dirfd.as_fd(), path, mode, flags))
}

/// `fchownat(dirfd, path, owner, group, flags)`—Sets a file's owner and group, relative to a
/// directory fd; `None` leaves one as it is.
///
/// # References
///  - [Linux `fchownat(2)`](https://man7.org/linux/man-pages/man2/fchownat.2.html)
#[inline]
#[doc(alias = "fchownat")]
pub fn chownat<P: path::Arg, Fd: AsFd>(
    dirfd: Fd,
    path: P,
    owner: Option<Uid>,
    group: Option<Gid>,
    flags: AtFlags,
) -> Result<()> {
    path.into_with_c_str(|path| syscalls::chownat(dirfd.as_fd(), path, owner, group, flags))
}
