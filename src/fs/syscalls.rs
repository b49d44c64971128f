//! The fs module's typed system calls: each a line or two over `crate::conv`.

use crate::conv::{c_uint, ret_owned_fd};
use crate::errno::{Errno, Result};
use crate::fd::{BorrowedFd, OwnedFd};
use crate::fs::{Mode, OFlags, SeekFrom};
use core::ffi::CStr;
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

/// An `lseek` offset. Unlike positioned I/O, `lseek` lets some files (`/dev/mem`) take a
/// negative `loff_t`, so 2^63 and more would silently mean something else: refused here.
#[inline(always)]
fn seek_offset(offset: u64) -> Result<i64> {
    i64::try_from(offset).map_err(|_| Errno::INVAL)
}

/// `(offset, whence)` of a `SeekFrom`.
#[inline(always)]
fn seek_args(pos: SeekFrom) -> Result<(i64, u32)> {
    Ok(match pos {
        SeekFrom::Start(pos) => (seek_offset(pos)?, k::SEEK_SET),
        SeekFrom::Current(delta) => (delta, k::SEEK_CUR),
        SeekFrom::End(delta) => (delta, k::SEEK_END),
        SeekFrom::Data(pos) => (seek_offset(pos)?, k::SEEK_DATA),
        SeekFrom::Hole(pos) => (seek_offset(pos)?, k::SEEK_HOLE),
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

// ---- fsdir: directories and names ----
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
        #[cfg(target_arch = "arm")]
        let ids = [
            syscall_readonly!(__NR_getuid32),
            syscall_readonly!(__NR_geteuid32),
            syscall_readonly!(__NR_getgid32),
            syscall_readonly!(__NR_getegid32),
        ];
        #[cfg(not(target_arch = "arm"))]
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

/// `fcntl(fd, F_GETFL)`: the file status flags (`__NR_fcntl` is `fcntl64` on 32-bit arm).
/// For `Dir::read_from`. (fsfile has the same function, ungated: merge keeps theirs.)
#[cfg(feature = "alloc")]
#[inline]
pub(crate) fn fcntl_getfl(fd: BorrowedFd<'_>) -> Result<OFlags> {
    // SAFETY: F_GETFL touches no user memory.
    let bits =
        unsafe { crate::conv::ret_c_uint(syscall_readonly!(__NR_fcntl, fd, c_uint(k::F_GETFL)))? };
    Ok(OFlags::from_bits_retain(bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seek_offsets_of_2_pow_63_and_more_are_refused() {
        assert_eq!(seek_offset(i64::MAX as u64), Ok(i64::MAX));
        assert_eq!(seek_offset(1 << 63), Err(Errno::INVAL));
        assert_eq!(seek_offset(u64::MAX), Err(Errno::INVAL));
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
