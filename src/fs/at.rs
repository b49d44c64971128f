//! Calls on paths relative to a directory fd (`*at`), and their `CWD` forms.

use crate::buffer::Buffer;
use crate::fd::{AsFd, OwnedFd};
use crate::fs::{
    syscalls, Access, AtFlags, Gid, Mode, OFlags, RenameFlags, Stat, Timestamps, Uid, CWD,
};
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

// ---- Stat, times, modes and owners relative to a directory fd ----

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

// ---- Directories and names ----

/// `mkdirat(dirfd, path, mode)`—Creates a directory relative to a directory fd.
///
/// The new directory's permissions are `mode` less the process's umask (or the directory's
/// default ACL).
///
/// # References
///  - [Linux `mkdirat(2)`](https://man7.org/linux/man-pages/man2/mkdirat.2.html)
#[inline]
pub fn mkdirat<P: path::Arg, Fd: AsFd>(dirfd: Fd, path: P, mode: Mode) -> Result<()> {
    path.into_with_c_str(|path| syscalls::mkdirat(dirfd.as_fd(), path, mode))
}

/// `unlinkat(dirfd, path, flags)`—Removes a name, or with [`AtFlags::REMOVEDIR`] an empty
/// directory, relative to a directory fd.
///
/// # References
///  - [Linux `unlinkat(2)`](https://man7.org/linux/man-pages/man2/unlinkat.2.html)
#[inline]
pub fn unlinkat<P: path::Arg, Fd: AsFd>(dirfd: Fd, path: P, flags: AtFlags) -> Result<()> {
    path.into_with_c_str(|path| syscalls::unlinkat(dirfd.as_fd(), path, flags))
}

/// `renameat(old_dirfd, old_path, new_dirfd, new_path)`—Renames a file or directory, each
/// path relative to its directory fd.
///
/// Made with `renameat2` and no flags on every architecture (riscv64 has no `renameat`),
/// which the kernel treats exactly as `renameat`. [`renameat_with`] takes flags.
///
/// # References
///  - [Linux `renameat(2)`](https://man7.org/linux/man-pages/man2/renameat.2.html)
#[inline]
pub fn renameat<P: path::Arg, Q: path::Arg, PFd: AsFd, QFd: AsFd>(
    old_dirfd: PFd,
    old_path: P,
    new_dirfd: QFd,
    new_path: Q,
) -> Result<()> {
    renameat_with(
        old_dirfd,
        old_path,
        new_dirfd,
        new_path,
        RenameFlags::empty(),
    )
}

/// `renameat2(old_dirfd, old_path, new_dirfd, new_path, flags)`—[`renameat`] with
/// [`RenameFlags`]: no replacing, swapping two names, whiteouts.
///
/// Flags the filesystem does not support are `Errno::INVAL`, as are unknown bits.
///
/// # References
///  - [Linux `renameat2(2)`](https://man7.org/linux/man-pages/man2/renameat2.2.html)
#[inline]
#[doc(alias = "renameat2")]
pub fn renameat_with<P: path::Arg, Q: path::Arg, PFd: AsFd, QFd: AsFd>(
    old_dirfd: PFd,
    old_path: P,
    new_dirfd: QFd,
    new_path: Q,
    flags: RenameFlags,
) -> Result<()> {
    old_path.into_with_c_str(|old_path| {
        new_path.into_with_c_str(|new_path| {
            syscalls::renameat2(
                old_dirfd.as_fd(),
                old_path,
                new_dirfd.as_fd(),
                new_path,
                flags,
            )
        })
    })
}

/// `symlinkat(old_path, new_dirfd, new_path)`—Creates a symlink at `new_path`, relative to
/// `new_dirfd`, whose contents are `old_path`.
///
/// `old_path` is stored as it is: it is not resolved, and need not exist.
///
/// # References
///  - [Linux `symlinkat(2)`](https://man7.org/linux/man-pages/man2/symlinkat.2.html)
#[inline]
pub fn symlinkat<P: path::Arg, Q: path::Arg, Fd: AsFd>(
    old_path: P,
    new_dirfd: Fd,
    new_path: Q,
) -> Result<()> {
    old_path.into_with_c_str(|old_path| {
        new_path
            .into_with_c_str(|new_path| syscalls::symlinkat(old_path, new_dirfd.as_fd(), new_path))
    })
}

/// `readlinkat(dirfd, path)`—Reads the contents of a symlink, of any length.
///
/// `reuse`'s allocation is used for the result if it is large enough (its contents are
/// discarded); the buffer grows until the whole contents fit, so the result is never
/// truncated.
///
/// # References
///  - [Linux `readlinkat(2)`](https://man7.org/linux/man-pages/man2/readlinkat.2.html)
#[cfg(feature = "alloc")]
#[inline]
pub fn readlinkat<P: path::Arg, Fd: AsFd, B: Into<alloc::vec::Vec<u8>>>(
    dirfd: Fd,
    path: P,
    reuse: B,
) -> Result<alloc::ffi::CString> {
    path.into_with_c_str(|path| read_link(dirfd.as_fd(), path, reuse.into()))
}

/// How much room a link's contents get at first: most are short.
#[cfg(feature = "alloc")]
const FIRST_LINK_BUFFER: usize = 256;

/// The loop of [`readlinkat`] and [`readlink`](crate::fs::readlink): read, and if the contents
/// filled the buffer (so may have been cut short), grow it and read again.
#[cfg(feature = "alloc")]
pub(crate) fn read_link(
    dirfd: crate::fd::BorrowedFd<'_>,
    path: &core::ffi::CStr,
    mut buf: alloc::vec::Vec<u8>,
) -> Result<alloc::ffi::CString> {
    buf.clear();
    buf.reserve(FIRST_LINK_BUFFER);
    loop {
        let spare = buf.spare_capacity_mut();
        // The kernel is offered at most `i32::MAX` bytes (its size is an `int`).
        let offered = spare.len().min(i32::MAX as usize);
        // SAFETY: `spare` is writable for `offered` bytes.
        let len =
            unsafe { syscalls::readlinkat(dirfd, path, (spare.as_mut_ptr().cast(), offered))? };
        if len < offered {
            // SAFETY: the kernel initialized the first `len` bytes of the spare capacity.
            unsafe { buf.set_len(len) };
            // A link's contents hold no NUL (the kernel stored them from a C string).
            return alloc::ffi::CString::new(buf).map_err(|_| crate::io::Errno::IO);
        }
        if offered == i32::MAX as usize {
            // Contents of 2 GiB or more cannot be told from a cut-short read.
            return Err(crate::io::Errno::NAMETOOLONG);
        }
        // Doubles the capacity (`reserve` of more than the spare room grows it at least to
        // `len + additional`).
        buf.reserve(buf.capacity() + 1);
    }
}

/// `readlinkat(dirfd, path, buf)`—Reads the contents of a symlink into `buf`, without
/// allocating.
///
/// The contents are cut short if `buf` is too small for them (a result that fills `buf`
/// may have been), and no NUL is added.
///
/// # References
///  - [Linux `readlinkat(2)`](https://man7.org/linux/man-pages/man2/readlinkat.2.html)
#[inline]
pub fn readlinkat_raw<P: path::Arg, Fd: AsFd, Buf: Buffer<u8>>(
    dirfd: Fd,
    path: P,
    mut buf: Buf,
) -> Result<Buf::Output> {
    // SAFETY: `parts_mut` is writable for its length, and the kernel wrote the `len` bytes
    // it reports (no more than it was offered).
    unsafe {
        let len = path
            .into_with_c_str(|path| syscalls::readlinkat(dirfd.as_fd(), path, buf.parts_mut()))?;
        Ok(buf.assume_init(len))
    }
}

/// `linkat(old_dirfd, old_path, new_dirfd, new_path, flags)`—Makes a new name (a hard link)
/// for an existing file.
///
/// A symlink at `old_path` is linked itself unless [`AtFlags::SYMLINK_FOLLOW`] is given.
///
/// # References
///  - [Linux `linkat(2)`](https://man7.org/linux/man-pages/man2/linkat.2.html)
#[inline]
pub fn linkat<P: path::Arg, Q: path::Arg, PFd: AsFd, QFd: AsFd>(
    old_dirfd: PFd,
    old_path: P,
    new_dirfd: QFd,
    new_path: Q,
    flags: AtFlags,
) -> Result<()> {
    old_path.into_with_c_str(|old_path| {
        new_path.into_with_c_str(|new_path| {
            syscalls::linkat(
                old_dirfd.as_fd(),
                old_path,
                new_dirfd.as_fd(),
                new_path,
                flags,
            )
        })
    })
}

/// `faccessat(dirfd, path, access, flags)`—Tests whether the process may access a file in
/// the ways `access` names.
///
/// As in rustix: with flags, this is `faccessat2` (Linux 5.8); flags other than
/// [`AtFlags::EACCESS`] and [`AtFlags::SYMLINK_NOFOLLOW`] are `Errno::INVAL` without a call
/// (the kernel would also take `AT_EMPTY_PATH`). Where `faccessat2` is missing, `EACCESS`
/// alone still works when the real IDs are the effective ones; other flags give `NOSYS`.
///
/// The check uses the real IDs unless `EACCESS` is given; for root, the answer is the
/// kernel's (write access to a read-only file is granted, execute only if some `x` bit is
/// set).
///
/// # References
///  - [Linux `faccessat(2)`](https://man7.org/linux/man-pages/man2/faccessat.2.html)
#[inline]
#[doc(alias = "faccessat")]
pub fn accessat<P: path::Arg, Fd: AsFd>(
    dirfd: Fd,
    path: P,
    access: Access,
    flags: AtFlags,
) -> Result<()> {
    path.into_with_c_str(|path| syscalls::accessat(dirfd.as_fd(), path, access, flags))
}
