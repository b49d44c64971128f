//! The fs module's typed system calls: each a line or two over `crate::conv`.

use crate::conv::{
    by_mut, by_ref, c_uint, loff_checked, loff_of_u64, opt_by_mut, ret, ret_c_int, ret_c_uint,
    ret_owned_fd, ret_usize, size, zero,
};
use crate::errno::{Errno, Result};
use crate::fd::{BorrowedFd, OwnedFd};
use crate::fs::{
    Advice, AtFlags, FallocateFlags, FlockOperation, MemfdFlags, Mode, OFlags, SealFlags, SeekFrom,
    Stat, StatFs, Statx, StatxFlags, Timestamps,
};
use crate::ugid::{Gid, Uid};
use core::ffi::CStr;
use core::mem::MaybeUninit;
use linux_raw_sys::general as k;

#[inline]
pub(crate) fn openat(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    flags: OFlags,
    mode: Mode,
) -> Result<OwnedFd> {
    // Large-file support always: without it a 32-bit kernel refuses offsets past 2 GiB with
    // EFBIG/EOVERFLOW (64-bit kernels force it on anyway).
    let flags = flags | OFlags::LARGEFILE;
    // SAFETY: the kernel only reads the NUL-terminated path; a new fd comes back on success.
    unsafe { ret_owned_fd(syscall_readonly!(__NR_openat, dirfd, path, flags, mode)) }
}

/// `(offset, whence)` of a `SeekFrom`.
#[inline(always)]
fn seek_args(pos: SeekFrom) -> Result<(i64, u32)> {
    Ok(match pos {
        SeekFrom::Start(pos) => (loff_checked(pos)?, k::SEEK_SET),
        SeekFrom::Current(delta) => (delta, k::SEEK_CUR),
        SeekFrom::End(delta) => (delta, k::SEEK_END),
        SeekFrom::Data(pos) => (loff_checked(pos)?, k::SEEK_DATA),
        SeekFrom::Hole(pos) => (loff_checked(pos)?, k::SEEK_HOLE),
    })
}

#[cfg(target_pointer_width = "64")]
#[inline]
pub(crate) fn lseek(fd: BorrowedFd<'_>, pos: SeekFrom) -> Result<u64> {
    let (pos, whence) = seek_args(pos)?;
    // SAFETY: lseek touches no user memory.
    let raw = unsafe { syscall_readonly!(__NR_lseek, fd, crate::conv::loff(pos), c_uint(whence)) };
    crate::conv::ret_usize(raw).map(|pos| pos as u64)
}

/// 32-bit arm's `lseek` takes and returns a 32-bit offset; `_llseek` takes the offset as two
/// words (high first) and stores the result in a `loff_t`.
#[cfg(target_arch = "arm")]
#[inline]
pub(crate) fn lseek(fd: BorrowedFd<'_>, pos: SeekFrom) -> Result<u64> {
    let (pos, whence) = seek_args(pos)?;
    let (lo, hi) = crate::conv::loff_words(pos);
    let mut result = core::mem::MaybeUninit::<u64>::uninit();
    // SAFETY: _llseek writes one `loff_t` through the pointer, which is live and writable.
    unsafe {
        let result_ptr = crate::conv::by_mut(&mut result);
        crate::conv::ret(syscall!(
            __NR__llseek,
            fd,
            hi,
            lo,
            result_ptr,
            c_uint(whence)
        ))?;
        Ok(result.assume_init())
    }
}

// ---- stat, statfs, statx; fd calls; times, modes and owners ----------------------------------

#[cfg(target_pointer_width = "64")]
#[inline]
pub(crate) fn fstat(fd: BorrowedFd<'_>) -> Result<Stat> {
    let mut stat = MaybeUninit::<Stat>::uninit();
    // SAFETY: fstat writes one `struct stat`, which `Stat` is, through the live pointer; it is
    // all written when the call succeeds.
    unsafe {
        ret(syscall!(__NR_fstat, fd, by_mut(&mut stat)))?;
        Ok(stat.assume_init())
    }
}

#[cfg(target_pointer_width = "64")]
#[inline]
pub(crate) fn statat(dirfd: BorrowedFd<'_>, path: &CStr, flags: AtFlags) -> Result<Stat> {
    let mut stat = MaybeUninit::<Stat>::uninit();
    // SAFETY: as for fstat; the kernel also reads the NUL-terminated path.
    unsafe {
        ret(syscall!(
            __NR_newfstatat,
            dirfd,
            path,
            by_mut(&mut stat),
            flags
        ))?;
        Ok(stat.assume_init())
    }
}

/// 32-bit arm: `statx` of the fd itself (an empty path with `AT_EMPTY_PATH`), as rustix does.
/// `statx` would take `AT_FDCWD` for the current directory, where `fstat` says EBADF; so does
/// this (rustix does not).
#[cfg(target_arch = "arm")]
#[inline]
pub(crate) fn fstat(fd: BorrowedFd<'_>) -> Result<Stat> {
    if crate::fd::AsRawFd::as_raw_fd(&fd) == k::AT_FDCWD {
        return Err(Errno::BADF);
    }
    statx(fd, c"", AtFlags::EMPTY_PATH, StatxFlags::BASIC_STATS).and_then(stat_of_statx)
}

#[cfg(target_arch = "arm")]
#[inline]
pub(crate) fn statat(dirfd: BorrowedFd<'_>, path: &CStr, flags: AtFlags) -> Result<Stat> {
    statx(dirfd, path, flags, StatxFlags::BASIC_STATS).and_then(stat_of_statx)
}

/// 32-bit arm's `Stat` from a `statx` result; a size past `i64::MAX` is `Errno::OVERFLOW`.
#[cfg(target_arch = "arm")]
fn stat_of_statx(x: Statx) -> Result<Stat> {
    use crate::fs::stat_types::makedev;
    Ok(Stat {
        st_dev: makedev(x.stx_dev_major, x.stx_dev_minor),
        st_mode: x.stx_mode.into(),
        st_nlink: x.stx_nlink,
        st_uid: x.stx_uid,
        st_gid: x.stx_gid,
        st_rdev: makedev(x.stx_rdev_major, x.stx_rdev_minor),
        st_size: i64::try_from(x.stx_size).map_err(|_| Errno::OVERFLOW)?,
        st_blksize: x.stx_blksize,
        st_blocks: x.stx_blocks,
        st_atime: x.stx_atime.tv_sec,
        st_atime_nsec: x.stx_atime.tv_nsec,
        st_mtime: x.stx_mtime.tv_sec,
        st_mtime_nsec: x.stx_mtime.tv_nsec,
        st_ctime: x.stx_ctime.tv_sec,
        st_ctime_nsec: x.stx_ctime.tv_nsec,
        st_ino: x.stx_ino,
    })
}

/// `STATX__RESERVED` in the mask is refused (the kernel refuses it too), as rustix does: the
/// bit is kept for a larger `struct statx` some day.
#[inline]
pub(crate) fn statx(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    flags: AtFlags,
    mask: StatxFlags,
) -> Result<Statx> {
    if mask.bits() & k::STATX__RESERVED != 0 {
        return Err(Errno::INVAL);
    }
    let mut statx = MaybeUninit::<Statx>::uninit();
    // SAFETY: statx reads the path and writes one `struct statx` (fixed at 256 bytes, growth
    // going into its spare fields), which `Statx` is, through the live pointer; all of it is
    // written when the call succeeds.
    unsafe {
        ret(syscall!(
            __NR_statx,
            dirfd,
            path,
            flags,
            mask,
            by_mut(&mut statx)
        ))?;
        Ok(statx.assume_init())
    }
}

#[inline]
pub(crate) fn fstatfs(fd: BorrowedFd<'_>) -> Result<StatFs> {
    let mut statfs = MaybeUninit::<StatFs>::uninit();
    // SAFETY: the call writes one `struct statfs` (arm: `statfs64`, whose size is passed),
    // which `StatFs` is, through the live pointer; all of it when the call succeeds.
    unsafe {
        #[cfg(target_pointer_width = "64")]
        ret(syscall!(__NR_fstatfs, fd, by_mut(&mut statfs)))?;
        #[cfg(target_arch = "arm")]
        ret(syscall!(
            __NR_fstatfs64,
            fd,
            size(core::mem::size_of::<StatFs>()),
            by_mut(&mut statfs)
        ))?;
        Ok(statfs.assume_init())
    }
}

#[inline]
pub(crate) fn statfs(path: &CStr) -> Result<StatFs> {
    let mut statfs = MaybeUninit::<StatFs>::uninit();
    // SAFETY: as for fstatfs; the kernel also reads the NUL-terminated path.
    unsafe {
        #[cfg(target_pointer_width = "64")]
        ret(syscall!(__NR_statfs, path, by_mut(&mut statfs)))?;
        #[cfg(target_arch = "arm")]
        ret(syscall!(
            __NR_statfs64,
            path,
            size(core::mem::size_of::<StatFs>()),
            by_mut(&mut statfs)
        ))?;
        Ok(statfs.assume_init())
    }
}

#[inline]
pub(crate) fn fcntl_getfl(fd: BorrowedFd<'_>) -> Result<OFlags> {
    // SAFETY: F_GETFL touches no user memory.
    let bits = unsafe { ret_c_uint(syscall_readonly!(__NR_fcntl, fd, c_uint(k::F_GETFL)))? };
    Ok(OFlags::from_bits_retain(bits))
}

#[inline]
pub(crate) fn fcntl_setfl(fd: BorrowedFd<'_>, flags: OFlags) -> Result<()> {
    // As in openat: large-file support always.
    let flags = flags | OFlags::LARGEFILE;
    // SAFETY: F_SETFL touches no user memory.
    unsafe { ret(syscall_readonly!(__NR_fcntl, fd, c_uint(k::F_SETFL), flags)) }
}

#[inline]
pub(crate) fn fcntl_get_seals(fd: BorrowedFd<'_>) -> Result<SealFlags> {
    // SAFETY: F_GET_SEALS touches no user memory.
    let bits = unsafe { ret_c_int(syscall_readonly!(__NR_fcntl, fd, c_uint(k::F_GET_SEALS)))? };
    Ok(SealFlags::from_bits_retain(bits as u32))
}

#[inline]
pub(crate) fn fcntl_add_seals(fd: BorrowedFd<'_>, seals: SealFlags) -> Result<()> {
    // SAFETY: F_ADD_SEALS touches no user memory.
    unsafe {
        ret(syscall_readonly!(
            __NR_fcntl,
            fd,
            c_uint(k::F_ADD_SEALS),
            seals
        ))
    }
}

#[inline]
pub(crate) fn flock(fd: BorrowedFd<'_>, operation: FlockOperation) -> Result<()> {
    // SAFETY: flock touches no user memory.
    unsafe { ret(syscall_readonly!(__NR_flock, fd, c_uint(operation as u32))) }
}

#[inline]
pub(crate) fn fsync(fd: BorrowedFd<'_>) -> Result<()> {
    // SAFETY: fsync touches no user memory.
    unsafe { ret(syscall_readonly!(__NR_fsync, fd)) }
}

#[inline]
pub(crate) fn fdatasync(fd: BorrowedFd<'_>) -> Result<()> {
    // SAFETY: fdatasync touches no user memory.
    unsafe { ret(syscall_readonly!(__NR_fdatasync, fd)) }
}

#[inline]
pub(crate) fn ftruncate(fd: BorrowedFd<'_>, length: u64) -> Result<()> {
    let length = loff_of_u64(length);
    // SAFETY: ftruncate touches no user memory.
    #[cfg(target_pointer_width = "64")]
    unsafe {
        ret(syscall_readonly!(
            __NR_ftruncate,
            fd,
            crate::conv::loff(length)
        ))
    }
    // 32-bit arm: the length goes in the even pair r2:r3, after a pad register.
    #[cfg(target_arch = "arm")]
    {
        let (lo, hi) = crate::conv::loff_words(length);
        // SAFETY: ftruncate64 touches no user memory.
        unsafe { ret(syscall_readonly!(__NR_ftruncate64, fd, zero(), lo, hi)) }
    }
}

#[inline]
pub(crate) fn fallocate(
    fd: BorrowedFd<'_>,
    mode: FallocateFlags,
    offset: u64,
    len: u64,
) -> Result<()> {
    let (offset, len) = (loff_of_u64(offset), loff_of_u64(len));
    // SAFETY: fallocate touches no user memory.
    #[cfg(target_pointer_width = "64")]
    unsafe {
        use crate::conv::loff;
        ret(syscall_readonly!(
            __NR_fallocate,
            fd,
            mode,
            loff(offset),
            loff(len)
        ))
    }
    // 32-bit arm: the offset in r2:r3, the length in r4:r5.
    #[cfg(target_arch = "arm")]
    {
        use crate::conv::loff_words;
        let ((off_lo, off_hi), (len_lo, len_hi)) = (loff_words(offset), loff_words(len));
        // SAFETY: fallocate touches no user memory.
        unsafe {
            ret(syscall_readonly!(
                __NR_fallocate,
                fd,
                mode,
                off_lo,
                off_hi,
                len_lo,
                len_hi
            ))
        }
    }
}

/// `len` 0 means "to the end of the file".
#[inline]
pub(crate) fn fadvise(fd: BorrowedFd<'_>, offset: u64, len: u64, advice: Advice) -> Result<()> {
    let (offset, len) = (loff_checked(offset)?, loff_of_u64(len));
    let advice = c_uint(advice as u32);
    // SAFETY: fadvise64 touches no user memory.
    #[cfg(target_pointer_width = "64")]
    unsafe {
        use crate::conv::loff;
        ret(syscall_readonly!(
            __NR_fadvise64,
            fd,
            loff(offset),
            loff(len),
            advice
        ))
    }
    // 32-bit arm: arm_fadvise64_64 moves the advice up front so that both 64-bit values fall
    // in even register pairs (r2:r3, r4:r5).
    #[cfg(target_arch = "arm")]
    {
        use crate::conv::loff_words;
        let ((off_lo, off_hi), (len_lo, len_hi)) = (loff_words(offset), loff_words(len));
        // SAFETY: arm_fadvise64_64 touches no user memory.
        unsafe {
            ret(syscall_readonly!(
                __NR_arm_fadvise64_64,
                fd,
                advice,
                off_lo,
                off_hi,
                len_lo,
                len_hi
            ))
        }
    }
}

#[inline]
pub(crate) fn memfd_create(name: &CStr, flags: MemfdFlags) -> Result<OwnedFd> {
    // SAFETY: the kernel only reads the NUL-terminated name; a new fd comes back on success.
    unsafe { ret_owned_fd(syscall_readonly!(__NR_memfd_create, name, flags)) }
}

/// Offsets of 2^63 and more reach the kernel as negative ones, which it refuses with `EINVAL`.
#[inline]
pub(crate) fn copy_file_range(
    fd_in: BorrowedFd<'_>,
    off_in: Option<&mut u64>,
    fd_out: BorrowedFd<'_>,
    off_out: Option<&mut u64>,
    len: usize,
) -> Result<usize> {
    // SAFETY: the kernel reads and updates each offset through its pointer, which points to
    // a live, writable `u64` (a `loff_t`'s layout) or is null; it touches no other user memory.
    unsafe {
        ret_usize(syscall!(
            __NR_copy_file_range,
            fd_in,
            opt_by_mut(off_in),
            fd_out,
            opt_by_mut(off_out),
            size(len),
            c_uint(0)
        ))
    }
}

/// `utimensat` with a path, or (`path` null) on `dirfd` itself: 32-bit arm's
/// `utimensat_time64` (Linux 5.1 and later), whose times have 64-bit seconds as everywhere else.
#[inline]
fn utimensat_raw(
    dirfd: BorrowedFd<'_>,
    path: crate::conv::Arg<'_>,
    times: &Timestamps,
    flags: AtFlags,
) -> Result<()> {
    // SAFETY: the kernel reads the path (or takes null) and two `__kernel_timespec`s, which
    // `Timestamps` is; it writes no user memory.
    #[cfg(target_pointer_width = "64")]
    unsafe {
        ret(syscall_readonly!(
            __NR_utimensat,
            dirfd,
            path,
            by_ref(times),
            flags
        ))
    }
    // SAFETY: as above.
    #[cfg(target_arch = "arm")]
    unsafe {
        ret(syscall_readonly!(
            __NR_utimensat_time64,
            dirfd,
            path,
            by_ref(times),
            flags
        ))
    }
}

#[inline]
pub(crate) fn utimensat(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    times: &Timestamps,
    flags: AtFlags,
) -> Result<()> {
    utimensat_raw(dirfd, path.into(), times, flags)
}

/// `AT_FDCWD` with a null path would be the kernel's EFAULT; it is no open file, so EBADF as
/// for any other non-fd (and as glibc's `futimens` says).
#[inline]
pub(crate) fn futimens(fd: BorrowedFd<'_>, times: &Timestamps) -> Result<()> {
    if crate::fd::AsRawFd::as_raw_fd(&fd) == k::AT_FDCWD {
        return Err(Errno::BADF);
    }
    utimensat_raw(fd, zero(), times, AtFlags::empty())
}

/// `fchmodat` has no flags argument: as in rustix, `SYMLINK_NOFOLLOW` alone is
/// `Errno::OPNOTSUPP` and any other flag `Errno::INVAL`.
#[inline]
pub(crate) fn chmodat(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    mode: Mode,
    flags: AtFlags,
) -> Result<()> {
    if flags == AtFlags::SYMLINK_NOFOLLOW {
        return Err(Errno::OPNOTSUPP);
    }
    if !flags.is_empty() {
        return Err(Errno::INVAL);
    }
    // SAFETY: the kernel only reads the NUL-terminated path.
    unsafe { ret(syscall_readonly!(__NR_fchmodat, dirfd, path, mode)) }
}

#[inline]
pub(crate) fn fchmod(fd: BorrowedFd<'_>, mode: Mode) -> Result<()> {
    // SAFETY: fchmod touches no user memory.
    unsafe { ret(syscall_readonly!(__NR_fchmod, fd, mode)) }
}

/// 32-bit arm's `fchown` takes 16-bit IDs; `fchown32` takes the whole `uid_t`/`gid_t`.
#[inline]
pub(crate) fn fchown(fd: BorrowedFd<'_>, owner: Option<Uid>, group: Option<Gid>) -> Result<()> {
    // SAFETY: fchown touches no user memory.
    #[cfg(target_pointer_width = "64")]
    unsafe {
        ret(syscall_readonly!(__NR_fchown, fd, owner, group))
    }
    // SAFETY: fchown32 touches no user memory.
    #[cfg(target_arch = "arm")]
    unsafe {
        ret(syscall_readonly!(__NR_fchown32, fd, owner, group))
    }
}

#[inline]
pub(crate) fn chownat(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    owner: Option<Uid>,
    group: Option<Gid>,
    flags: AtFlags,
) -> Result<()> {
    // SAFETY: the kernel only reads the NUL-terminated path.
    unsafe {
        ret(syscall_readonly!(
            __NR_fchownat,
            dirfd,
            path,
            owner,
            group,
            flags
        ))
    }
}

// ---- Directories and names ------------------------------------------------------------------
//
// aarch64 and riscv64 have only the `*at` forms (no `mkdir`, `unlink`, `rmdir`, `rename`,
// `link`, `symlink`, `readlink`, `access`), which mean the same with `AT_FDCWD`: they are used
// on every architecture, so no call here needs a cfg. Renames use `renameat2` everywhere:
// riscv64 has no `renameat`, and with flags 0 the kernel runs the same code for both
// (`renameat` is `renameat2` with flags 0 since Linux 3.15).

#[inline]
pub(crate) fn mkdirat(dirfd: BorrowedFd<'_>, path: &CStr, mode: Mode) -> Result<()> {
    // SAFETY: the kernel only reads the NUL-terminated path.
    unsafe { crate::conv::ret(syscall_readonly!(__NR_mkdirat, dirfd, path, mode)) }
}

#[inline]
pub(crate) fn unlinkat(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    flags: crate::fs::AtFlags,
) -> Result<()> {
    // SAFETY: the kernel only reads the NUL-terminated path.
    unsafe { crate::conv::ret(syscall_readonly!(__NR_unlinkat, dirfd, path, flags)) }
}

#[inline]
pub(crate) fn renameat2(
    old_dirfd: BorrowedFd<'_>,
    old_path: &CStr,
    new_dirfd: BorrowedFd<'_>,
    new_path: &CStr,
    flags: crate::fs::RenameFlags,
) -> Result<()> {
    // SAFETY: the kernel only reads the two NUL-terminated paths.
    unsafe {
        crate::conv::ret(syscall_readonly!(
            __NR_renameat2,
            old_dirfd,
            old_path,
            new_dirfd,
            new_path,
            flags
        ))
    }
}

#[inline]
pub(crate) fn linkat(
    old_dirfd: BorrowedFd<'_>,
    old_path: &CStr,
    new_dirfd: BorrowedFd<'_>,
    new_path: &CStr,
    flags: crate::fs::AtFlags,
) -> Result<()> {
    // SAFETY: the kernel only reads the two NUL-terminated paths.
    unsafe {
        crate::conv::ret(syscall_readonly!(
            __NR_linkat,
            old_dirfd,
            old_path,
            new_dirfd,
            new_path,
            flags
        ))
    }
}

#[inline]
pub(crate) fn symlinkat(target: &CStr, dirfd: BorrowedFd<'_>, path: &CStr) -> Result<()> {
    // SAFETY: the kernel only reads the two NUL-terminated strings.
    unsafe { crate::conv::ret(syscall_readonly!(__NR_symlinkat, target, dirfd, path)) }
}

/// The kernel takes `readlinkat`'s size as an `int`: a longer buffer is offered as its first
/// `i32::MAX` bytes, rather than as a size whose low 32 bits mean something else.
///
/// # Safety
///
/// `buf` must be valid for writes of `len` bytes.
#[inline]
pub(crate) unsafe fn readlinkat(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    (buf, len): (*mut u8, usize),
) -> Result<usize> {
    let len = len.min(i32::MAX as usize);
    // SAFETY: the kernel reads the path and writes at most `len` bytes at `buf`, which the
    // caller vouches for.
    unsafe {
        crate::conv::ret_usize(syscall!(
            __NR_readlinkat,
            dirfd,
            path,
            crate::conv::raw_ptr(buf),
            crate::conv::size(len)
        ))
    }
}

/// `faccessat2` where there are flags, as rustix: `faccessat` has no flags argument. Flags
/// other than `EACCESS` and `SYMLINK_NOFOLLOW` are refused with `INVAL` before any call, as
/// rustix refuses them. Where `faccessat2` is missing (`NOSYS`: Linux before 5.8, some
/// seccomp filters), `EACCESS` alone is honoured by `faccessat` when the real IDs are the
/// effective ones, which makes it a no-op; anything else stays `NOSYS`.
#[inline]
pub(crate) fn accessat(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    access: crate::fs::Access,
    flags: crate::fs::AtFlags,
) -> Result<()> {
    use crate::fs::AtFlags;
    if !flags
        .difference(AtFlags::EACCESS | AtFlags::SYMLINK_NOFOLLOW)
        .is_empty()
    {
        return Err(Errno::INVAL);
    }
    if flags.is_empty() {
        return faccessat(dirfd, path, access);
    }
    // SAFETY: the kernel only reads the NUL-terminated path.
    let result = unsafe {
        crate::conv::ret(syscall_readonly!(
            __NR_faccessat2,
            dirfd,
            path,
            access,
            flags
        ))
    };
    match result {
        Err(Errno::NOSYS) if flags == AtFlags::EACCESS && real_ids_are_effective() => {
            faccessat(dirfd, path, access)
        }
        result => result,
    }
}

#[inline]
fn faccessat(dirfd: BorrowedFd<'_>, path: &CStr, access: crate::fs::Access) -> Result<()> {
    // SAFETY: the kernel only reads the NUL-terminated path.
    unsafe { crate::conv::ret(syscall_readonly!(__NR_faccessat, dirfd, path, access)) }
}

/// Whether the real user and group IDs are the effective ones (32-bit arm's 32-bit ID calls
/// are `*32`; its plain ones are the old 16-bit calls).
#[cold]
fn real_ids_are_effective() -> bool {
    // SAFETY: the four calls take no arguments and touch no user memory.
    unsafe {
        // `__NR_getuid` and friends are the 32-bit-ID calls on every architecture (arm's
        // call-number table renames them).
        let ids = [
            syscall_readonly!(__NR_getuid),
            syscall_readonly!(__NR_geteuid),
            syscall_readonly!(__NR_getgid),
            syscall_readonly!(__NR_getegid),
        ];
        ids[0] == ids[1] && ids[2] == ids[3]
    }
}

/// The longest buffer offered to `getdents64`: the kernel keeps the count as an `int`, so a
/// larger one would fail every entry; a multiple of the record alignment.
const GETDENTS_MAX: usize = i32::MAX as usize & !(crate::fs::types::DIRENT_ALIGN - 1);

/// `getdents64(fd, buf)`: the number of bytes of whole records written at the start of `buf`.
#[inline]
pub(crate) fn getdents64(
    fd: BorrowedFd<'_>,
    buf: &mut [core::mem::MaybeUninit<u8>],
) -> Result<usize> {
    let len = buf.len().min(GETDENTS_MAX);
    // SAFETY: the kernel writes at most `len` bytes into `buf`, which is live and writable for
    // that long.
    unsafe {
        crate::conv::ret_usize(syscall!(
            __NR_getdents64,
            fd,
            crate::conv::slice_mut_addr(buf),
            crate::conv::size(len)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seek_offsets_of_2_pow_63_and_more_are_refused() {
        assert_eq!(seek_args(SeekFrom::Start(5)), Ok((5, k::SEEK_SET)));
        assert_eq!(seek_args(SeekFrom::Start(1 << 63)), Err(Errno::INVAL));
        assert_eq!(seek_args(SeekFrom::Current(-5)), Ok((-5, k::SEEK_CUR)));
        assert_eq!(
            seek_args(SeekFrom::End(i64::MIN)),
            Ok((i64::MIN, k::SEEK_END))
        );
        assert_eq!(seek_args(SeekFrom::Data(u64::MAX)), Err(Errno::INVAL));
        assert_eq!(seek_args(SeekFrom::Hole(3)), Ok((3, k::SEEK_HOLE)));
    }

    #[test]
    fn flags_are_the_kernels() {
        assert_eq!(OFlags::CREATE.bits(), k::O_CREAT);
        assert_eq!(Mode::RWXU.bits(), k::S_IRWXU);
        assert_eq!(
            (OFlags::RDWR | OFlags::CLOEXEC).bits(),
            k::O_RDWR | k::O_CLOEXEC
        );
        assert_eq!(
            crate::conv::Arg::from(crate::fs::CWD).into_raw(),
            -100_isize as usize
        );
    }
}
