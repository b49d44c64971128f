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

// ---- Stat, sync, size, space, advice, times, modes and owners of an fd ----

use crate::fs::{Advice, FallocateFlags, FlockOperation, Gid, Mode, Stat, StatFs, Timestamps, Uid};
use core::num::NonZeroU64;

/// `lseek(fd, 0, SEEK_CUR)`—The file offset.
///
/// # References
///  - [Linux `lseek(2)`](https://man7.org/linux/man-pages/man2/lseek.2.html)
#[inline]
pub fn tell<Fd: AsFd>(fd: Fd) -> Result<u64> {
    syscalls::lseek(fd.as_fd(), SeekFrom::Current(0))
}

/// `fstat(fd)`—The metadata of an open file.
///
/// On 32-bit arm this is `statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS)`, for 64-bit
/// times: see [`Stat`]. There, [`CWD`](crate::fs::CWD) is refused with `Errno::BADF` as the
/// kernel's `fstat` refuses it (rustix's `statx` form reports the current directory).
///
/// # References
///  - [Linux `fstat(2)`](https://man7.org/linux/man-pages/man2/fstat.2.html)
#[inline]
pub fn fstat<Fd: AsFd>(fd: Fd) -> Result<Stat> {
    syscalls::fstat(fd.as_fd())
}

/// `fstatfs(fd)`—The metadata of the filesystem an open file is on (`fstatfs64` on 32-bit
/// arm).
///
/// # References
///  - [Linux `fstatfs(2)`](https://man7.org/linux/man-pages/man2/fstatfs.2.html)
#[inline]
pub fn fstatfs<Fd: AsFd>(fd: Fd) -> Result<StatFs> {
    syscalls::fstatfs(fd.as_fd())
}

/// `fsync(fd)`—Writes a file's data and metadata to its storage.
///
/// # References
///  - [Linux `fsync(2)`](https://man7.org/linux/man-pages/man2/fsync.2.html)
#[inline]
pub fn fsync<Fd: AsFd>(fd: Fd) -> Result<()> {
    syscalls::fsync(fd.as_fd())
}

/// `fdatasync(fd)`—Writes a file's data, and the metadata needed to read it back, to its
/// storage.
///
/// # References
///  - [Linux `fdatasync(2)`](https://man7.org/linux/man-pages/man2/fdatasync.2.html)
#[inline]
pub fn fdatasync<Fd: AsFd>(fd: Fd) -> Result<()> {
    syscalls::fdatasync(fd.as_fd())
}

/// `ftruncate(fd, length)`—Sets a file's size, cutting it or extending it with zeros.
///
/// A length of 2^63 or more reaches the kernel as a negative one, which it refuses with
/// `Errno::INVAL`. 32-bit arm uses `ftruncate64`.
///
/// # References
///  - [Linux `ftruncate(2)`](https://man7.org/linux/man-pages/man2/ftruncate.2.html)
#[inline]
pub fn ftruncate<Fd: AsFd>(fd: Fd, length: u64) -> Result<()> {
    syscalls::ftruncate(fd.as_fd(), length)
}

/// `fallocate(fd, mode, offset, len)`—Allocates (or, by `mode`, frees or zeroes) a byte range
/// of a file's storage.
///
/// An offset or length of 2^63 or more reaches the kernel as a negative one, which it refuses
/// with `Errno::INVAL` after its other checks (a closed fd is `Errno::BADF`).
///
/// # References
///  - [Linux `fallocate(2)`](https://man7.org/linux/man-pages/man2/fallocate.2.html)
#[inline]
#[doc(alias = "posix_fallocate")]
pub fn fallocate<Fd: AsFd>(fd: Fd, mode: FallocateFlags, offset: u64, len: u64) -> Result<()> {
    syscalls::fallocate(fd.as_fd(), mode, offset, len)
}

/// `posix_fadvise(fd, offset, len, advice)`—Tells the kernel how a byte range of a file will
/// be read; `len` `None` means "to the end of the file".
///
/// An offset of 2^63 or more is `Errno::INVAL` before the call: the kernel would read it as a
/// negative offset and succeed (rustix passes it on). A length that large reaches the kernel
/// as a negative one, which it refuses with `Errno::INVAL`. 32-bit arm uses
/// `arm_fadvise64_64`.
///
/// # References
///  - [Linux `posix_fadvise(2)`](https://man7.org/linux/man-pages/man2/posix_fadvise.2.html)
#[inline]
#[doc(alias = "posix_fadvise")]
pub fn fadvise<Fd: AsFd>(
    fd: Fd,
    offset: u64,
    len: Option<NonZeroU64>,
    advice: Advice,
) -> Result<()> {
    syscalls::fadvise(fd.as_fd(), offset, len.map_or(0, NonZeroU64::get), advice)
}

/// `flock(fd, operation)`—Takes or releases an advisory lock on a whole open file.
///
/// # References
///  - [Linux `flock(2)`](https://man7.org/linux/man-pages/man2/flock.2.html)
#[inline]
pub fn flock<Fd: AsFd>(fd: Fd, operation: FlockOperation) -> Result<()> {
    syscalls::flock(fd.as_fd(), operation)
}

/// `futimens(fd, times)`—Sets an open file's access and modification times.
///
/// A `tv_nsec` of [`UTIME_NOW`](crate::fs::UTIME_NOW) or [`UTIME_OMIT`](crate::fs::UTIME_OMIT)
/// sets that time to now or leaves it. 32-bit arm uses `utimensat_time64` (Linux 5.1 and
/// later; unlike rustix, no fallback to the 32-bit-time call: `Errno::NOSYS` before 5.1).
/// [`CWD`](crate::fs::CWD) is `Errno::BADF`, as in glibc (rustix passes it on and the kernel
/// says `EFAULT`).
///
/// # References
///  - [Linux `utimensat(2)`](https://man7.org/linux/man-pages/man2/utimensat.2.html)
#[inline]
pub fn futimens<Fd: AsFd>(fd: Fd, times: &Timestamps) -> Result<()> {
    syscalls::futimens(fd.as_fd(), times)
}

/// `fchmod(fd, mode)`—Sets an open file's permission bits.
///
/// # References
///  - [Linux `fchmod(2)`](https://man7.org/linux/man-pages/man2/fchmod.2.html)
#[inline]
pub fn fchmod<Fd: AsFd>(fd: Fd, mode: Mode) -> Result<()> {
    syscalls::fchmod(fd.as_fd(), mode)
}

/// `fchown(fd, owner, group)`—Sets an open file's owner and group; `None` leaves one as it is.
///
/// 32-bit arm uses `fchown32`, for 32-bit IDs.
///
/// # References
///  - [Linux `fchown(2)`](https://man7.org/linux/man-pages/man2/fchown.2.html)
#[inline]
pub fn fchown<Fd: AsFd>(fd: Fd, owner: Option<Uid>, group: Option<Gid>) -> Result<()> {
    syscalls::fchown(fd.as_fd(), owner, group)
}

/// `copy_file_range(fd_in, off_in, fd_out, off_out, len, 0)`—Copies up to `len` bytes between
/// files in the kernel; returns how many it copied (0 at the end of the input).
///
/// An offset given is read from and advanced in place, and that file's offset is left alone;
/// without one, the file offset is used and advanced. An offset of 2^63 or more reaches the
/// kernel as a negative one, which it refuses with `Errno::INVAL`.
///
/// # References
///  - [Linux `copy_file_range(2)`](https://man7.org/linux/man-pages/man2/copy_file_range.2.html)
#[inline]
pub fn copy_file_range<InFd: AsFd, OutFd: AsFd>(
    fd_in: InFd,
    off_in: Option<&mut u64>,
    fd_out: OutFd,
    off_out: Option<&mut u64>,
    len: usize,
) -> Result<usize> {
    syscalls::copy_file_range(fd_in.as_fd(), off_in, fd_out.as_fd(), off_out, len)
}
