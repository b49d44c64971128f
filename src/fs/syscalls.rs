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
