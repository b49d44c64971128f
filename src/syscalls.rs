//! Typed system calls over `crate::raw`: the one place that turns Rust values into syscall
//! arguments and raw results back into `Result`s.
//!
//! Public functions elsewhere are one-liners over these. Everything here is `#[inline]` so that a
//! call compiles to the argument moves, the syscall instruction and one compare.

use crate::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use crate::fs::{Mode, OFlags, SeekFrom};
use crate::io::{DupFlags, Errno, FdFlags, IoSlice, IoSliceMut, ReadWriteFlags, Result};
use crate::pipe::PipeFlags;
use crate::raw::*;
use core::ffi::CStr;
use core::mem::MaybeUninit;
use linux_raw_sys::ctypes::c_int;
use linux_raw_sys::general::{self as k, iovec};
use linux_raw_sys::ioctl::{FIOCLEX, FIONBIO, FIONCLEX, FIONREAD};

// The kernel reads `IoSlice`s as its `struct iovec`.
static_assertions::assert_eq_size!(IoSlice<'static>, iovec);
static_assertions::assert_eq_align!(IoSlice<'static>, iovec);
static_assertions::assert_eq_size!(IoSliceMut<'static>, iovec);
static_assertions::assert_eq_align!(IoSliceMut<'static>, iovec);
static_assertions::const_assert!(
    core::mem::size_of::<usize>() == core::mem::size_of::<*const u8>()
);

// ---- Arguments -------------------------------------------------------------------------------

/// An fd as an argument register. Sign extension keeps `AT_FDCWD` (-100) what the kernel expects.
#[inline(always)]
fn fd_arg(fd: BorrowedFd<'_>) -> usize {
    fd.as_raw_fd() as usize
}

/// A C `int` (or `unsigned int`) argument; the kernel reads the low 32 bits.
#[inline(always)]
fn int_arg(value: c_int) -> usize {
    value as usize
}

/// A pointer argument.
#[inline(always)]
fn ptr_arg<T: ?Sized>(ptr: *const T) -> usize {
    ptr.cast::<u8>() as usize
}

/// A file offset: the kernel's `loff_t` is signed, so `2^63..` would arrive negative or, split
/// into words, as some other offset. Refuse it here rather than let it be reinterpreted.
#[inline(always)]
fn offset(offset: u64) -> Result<i64> {
    i64::try_from(offset).map_err(|_| Errno::INVAL)
}

/// A 64-bit offset as the `(low, high)` word pair of `preadv`-family calls and of 32-bit arm's
/// `pread64`. A 64-bit kernel takes the whole offset from the low word and ignores the high one.
#[inline(always)]
fn offset_words(offset: i64) -> (usize, usize) {
    #[cfg(target_pointer_width = "64")]
    {
        (offset as usize, 0)
    }
    #[cfg(target_pointer_width = "32")]
    {
        (offset as u32 as usize, ((offset as u64) >> 32) as usize)
    }
}

// ---- Results ---------------------------------------------------------------------------------

/// Decodes a raw result: `-4095..=-1` is `-errno`. One unsigned compare.
#[inline(always)]
fn ret_usize(raw: usize) -> Result<usize> {
    if raw > -4096_isize as usize {
        Err(Errno::from_kernel(raw.wrapping_neg() as u16))
    } else {
        Ok(raw)
    }
}

/// Decodes a result that carries no value.
#[inline(always)]
fn ret(raw: usize) -> Result<()> {
    ret_usize(raw).map(drop)
}

/// Decodes a result that carries a C `int`.
#[inline(always)]
fn ret_c_int(raw: usize) -> Result<c_int> {
    ret_usize(raw).map(|value| value as c_int)
}

/// Decodes a result that is a new fd.
///
/// # Safety
///
/// `raw` must come from a call that, on success, returns a new fd the caller now owns.
#[inline(always)]
unsafe fn ret_owned_fd(raw: usize) -> Result<OwnedFd> {
    let fd = ret_c_int(raw)?;
    // SAFETY: per this function's contract the fd is new and nobody else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

// ---- Calls -------------------------------------------------------------------------------------

/// 32-bit arm has only `fcntl64` for 64-bit `off_t` programs; the others have `fcntl`.
#[cfg(target_arch = "arm")]
const NR_FCNTL: u32 = k::__NR_fcntl64;
#[cfg(not(target_arch = "arm"))]
const NR_FCNTL: u32 = k::__NR_fcntl;

/// # Safety
///
/// `fd` is owned by the caller and is not used again.
#[inline]
pub(crate) unsafe fn close(fd: RawFd) {
    // SAFETY: the caller gives up `fd`; close writes no user memory. Its error is meaningless
    // after the fact (the fd is gone either way), so it is dropped, never panicked on.
    unsafe { syscall1_readonly(k::__NR_close, int_arg(fd)) };
}

#[inline]
pub(crate) fn dup(fd: BorrowedFd<'_>) -> Result<OwnedFd> {
    // SAFETY: dup reads no user memory and returns a new fd on success.
    unsafe { ret_owned_fd(syscall1_readonly(k::__NR_dup, fd_arg(fd))) }
}

#[cfg(any(target_arch = "x86_64", target_arch = "arm"))]
#[inline]
pub(crate) fn dup2(fd: BorrowedFd<'_>, new: &mut OwnedFd) -> Result<()> {
    // SAFETY: dup2 replaces the open file behind `new`, which the caller owns mutably, so no
    // borrow of the old file survives; it reads no user memory.
    unsafe {
        ret(syscall2_readonly(
            k::__NR_dup2,
            fd_arg(fd),
            int_arg(new.as_raw_fd()),
        ))
    }
}

/// aarch64 and riscv64 have no `dup2`; `dup3` refuses `fd == new` with EINVAL where `dup2`
/// succeeds if `fd` is open, so that case is answered by checking that `fd` is open.
#[cfg(not(any(target_arch = "x86_64", target_arch = "arm")))]
#[inline]
pub(crate) fn dup2(fd: BorrowedFd<'_>, new: &mut OwnedFd) -> Result<()> {
    if fd.as_raw_fd() == new.as_raw_fd() {
        return fcntl_getfd(fd).map(drop);
    }
    dup3(fd, new, DupFlags::empty())
}

#[inline]
pub(crate) fn dup3(fd: BorrowedFd<'_>, new: &mut OwnedFd, flags: DupFlags) -> Result<()> {
    // SAFETY: as for dup2.
    unsafe {
        ret(syscall3_readonly(
            k::__NR_dup3,
            fd_arg(fd),
            int_arg(new.as_raw_fd()),
            flags.bits() as usize,
        ))
    }
}

#[inline]
pub(crate) fn fcntl_getfd(fd: BorrowedFd<'_>) -> Result<FdFlags> {
    // SAFETY: F_GETFD touches no user memory.
    let bits = unsafe { ret_c_int(syscall2_readonly(NR_FCNTL, fd_arg(fd), k::F_GETFD as usize))? };
    Ok(FdFlags::from_bits_retain(bits as u32))
}

#[inline]
pub(crate) fn fcntl_setfd(fd: BorrowedFd<'_>, flags: FdFlags) -> Result<()> {
    // SAFETY: F_SETFD touches no user memory.
    unsafe {
        ret(syscall3_readonly(
            NR_FCNTL,
            fd_arg(fd),
            k::F_SETFD as usize,
            flags.bits() as usize,
        ))
    }
}

#[inline]
pub(crate) fn fcntl_dupfd_cloexec(fd: BorrowedFd<'_>, min: RawFd) -> Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC touches no user memory and returns a new fd on success.
    unsafe {
        ret_owned_fd(syscall3_readonly(
            NR_FCNTL,
            fd_arg(fd),
            k::F_DUPFD_CLOEXEC as usize,
            int_arg(min),
        ))
    }
}

/// `ioctl` requests that take no argument.
#[inline]
fn ioctl_noarg(fd: BorrowedFd<'_>, request: u32) -> Result<()> {
    // SAFETY: FIOCLEX and FIONCLEX touch no user memory.
    unsafe {
        ret(syscall2_readonly(
            k::__NR_ioctl,
            fd_arg(fd),
            request as usize,
        ))
    }
}

#[inline]
pub(crate) fn ioctl_fioclex(fd: BorrowedFd<'_>) -> Result<()> {
    ioctl_noarg(fd, FIOCLEX)
}

#[inline]
pub(crate) fn ioctl_fionclex(fd: BorrowedFd<'_>) -> Result<()> {
    ioctl_noarg(fd, FIONCLEX)
}

#[inline]
pub(crate) fn ioctl_fionbio(fd: BorrowedFd<'_>, value: bool) -> Result<()> {
    let value = c_int::from(value);
    // SAFETY: FIONBIO reads one `int` from the pointer, which is live for the call.
    unsafe {
        ret(syscall3_readonly(
            k::__NR_ioctl,
            fd_arg(fd),
            FIONBIO as usize,
            ptr_arg(&value),
        ))
    }
}

#[inline]
pub(crate) fn ioctl_fionread(fd: BorrowedFd<'_>) -> Result<u64> {
    let mut count = MaybeUninit::<c_int>::uninit();
    // SAFETY: FIONREAD writes one `int` through the pointer, which is live and writable.
    unsafe {
        ret(syscall3(
            k::__NR_ioctl,
            fd_arg(fd),
            FIONREAD as usize,
            ptr_arg(count.as_mut_ptr()),
        ))?;
        // The kernel's count is an `int`: sign-extended as rustix does, wrapped values and all.
        Ok(count.assume_init() as u64)
    }
}

/// # Safety
///
/// `buf` is valid for writes of `len` bytes.
#[inline]
pub(crate) unsafe fn read(fd: BorrowedFd<'_>, (buf, len): (*mut u8, usize)) -> Result<usize> {
    // SAFETY: the caller vouches for the buffer.
    unsafe { ret_usize(syscall3(k::__NR_read, fd_arg(fd), ptr_arg(buf), len)) }
}

#[inline]
pub(crate) fn write(fd: BorrowedFd<'_>, buf: &[u8]) -> Result<usize> {
    // SAFETY: the kernel only reads `buf`, which is live for the call.
    unsafe {
        ret_usize(syscall3_readonly(
            k::__NR_write,
            fd_arg(fd),
            ptr_arg(buf.as_ptr()),
            buf.len(),
        ))
    }
}

/// # Safety
///
/// `buf` is valid for writes of `len` bytes.
#[inline]
pub(crate) unsafe fn pread(
    fd: BorrowedFd<'_>,
    (buf, len): (*mut u8, usize),
    pos: u64,
) -> Result<usize> {
    let pos = offset(pos)?;
    // SAFETY: the caller vouches for the buffer.
    unsafe {
        #[cfg(target_pointer_width = "64")]
        let raw = syscall4(k::__NR_pread64, fd_arg(fd), ptr_arg(buf), len, pos as usize);
        #[cfg(target_arch = "arm")]
        let raw = {
            // EABI puts the 64-bit offset in the even pair r4:r5, so r3 is a pad.
            let (lo, hi) = offset_words(pos);
            syscall6(k::__NR_pread64, fd_arg(fd), ptr_arg(buf), len, 0, lo, hi)
        };
        ret_usize(raw)
    }
}

#[inline]
pub(crate) fn pwrite(fd: BorrowedFd<'_>, buf: &[u8], pos: u64) -> Result<usize> {
    let pos = offset(pos)?;
    let (ptr, len) = (ptr_arg(buf.as_ptr()), buf.len());
    // SAFETY: the kernel only reads `buf`, which is live for the call.
    unsafe {
        #[cfg(target_pointer_width = "64")]
        let raw = syscall4_readonly(k::__NR_pwrite64, fd_arg(fd), ptr, len, pos as usize);
        #[cfg(target_arch = "arm")]
        let raw = {
            // EABI puts the 64-bit offset in the even pair r4:r5, so r3 is a pad.
            let (lo, hi) = offset_words(pos);
            syscall6_readonly(k::__NR_pwrite64, fd_arg(fd), ptr, len, 0, lo, hi)
        };
        ret_usize(raw)
    }
}

// The kernel rejects more than UIO_MAXIOV (1024) iovecs with EINVAL. The full count is passed on
// unchanged so that it can: truncating the list (as rustix does) would silently drop buffers.

#[inline]
pub(crate) fn readv(fd: BorrowedFd<'_>, bufs: &mut [IoSliceMut<'_>]) -> Result<usize> {
    // SAFETY: each `IoSliceMut` is an iovec over a live, writable buffer.
    unsafe {
        ret_usize(syscall3(
            k::__NR_readv,
            fd_arg(fd),
            ptr_arg(bufs.as_ptr()),
            bufs.len(),
        ))
    }
}

#[inline]
pub(crate) fn writev(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>]) -> Result<usize> {
    // SAFETY: each `IoSlice` is an iovec over a live buffer, which the kernel only reads.
    unsafe {
        ret_usize(syscall3_readonly(
            k::__NR_writev,
            fd_arg(fd),
            ptr_arg(bufs.as_ptr()),
            bufs.len(),
        ))
    }
}

#[inline]
pub(crate) fn preadv(fd: BorrowedFd<'_>, bufs: &mut [IoSliceMut<'_>], pos: u64) -> Result<usize> {
    let (lo, hi) = offset_words(offset(pos)?);
    // SAFETY: each `IoSliceMut` is an iovec over a live, writable buffer.
    unsafe {
        ret_usize(syscall5(
            k::__NR_preadv,
            fd_arg(fd),
            ptr_arg(bufs.as_ptr()),
            bufs.len(),
            lo,
            hi,
        ))
    }
}

#[inline]
pub(crate) fn pwritev(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>], pos: u64) -> Result<usize> {
    let (lo, hi) = offset_words(offset(pos)?);
    // SAFETY: each `IoSlice` is an iovec over a live buffer, which the kernel only reads.
    unsafe {
        ret_usize(syscall5_readonly(
            k::__NR_pwritev,
            fd_arg(fd),
            ptr_arg(bufs.as_ptr()),
            bufs.len(),
            lo,
            hi,
        ))
    }
}

/// `preadv2`/`pwritev2` take `u64::MAX` to mean "the current file offset" (the kernel's -1).
#[inline(always)]
fn offset_or_current(pos: u64) -> Result<i64> {
    if pos == u64::MAX {
        Ok(-1)
    } else {
        offset(pos)
    }
}

#[inline]
pub(crate) fn preadv2(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    pos: u64,
    flags: ReadWriteFlags,
) -> Result<usize> {
    let (lo, hi) = offset_words(offset_or_current(pos)?);
    // SAFETY: each `IoSliceMut` is an iovec over a live, writable buffer.
    unsafe {
        ret_usize(syscall6(
            k::__NR_preadv2,
            fd_arg(fd),
            ptr_arg(bufs.as_ptr()),
            bufs.len(),
            lo,
            hi,
            flags.bits() as usize,
        ))
    }
}

#[inline]
pub(crate) fn pwritev2(
    fd: BorrowedFd<'_>,
    bufs: &[IoSlice<'_>],
    pos: u64,
    flags: ReadWriteFlags,
) -> Result<usize> {
    let (lo, hi) = offset_words(offset_or_current(pos)?);
    // SAFETY: each `IoSlice` is an iovec over a live buffer, which the kernel only reads.
    unsafe {
        ret_usize(syscall6_readonly(
            k::__NR_pwritev2,
            fd_arg(fd),
            ptr_arg(bufs.as_ptr()),
            bufs.len(),
            lo,
            hi,
            flags.bits() as usize,
        ))
    }
}

#[inline]
pub(crate) fn openat(
    dirfd: BorrowedFd<'_>,
    path: &CStr,
    flags: OFlags,
    mode: Mode,
) -> Result<OwnedFd> {
    // Large-file support always: without it a 32-bit kernel refuses offsets past 2 GiB with
    // EFBIG/EOVERFLOW (64-bit kernels force it on anyway).
    let flags = flags.bits() | k::O_LARGEFILE;
    // SAFETY: the kernel only reads the NUL-terminated path; a new fd comes back on success.
    unsafe {
        ret_owned_fd(syscall4_readonly(
            k::__NR_openat,
            fd_arg(dirfd),
            ptr_arg(path.as_ptr()),
            flags as usize,
            mode.bits() as usize,
        ))
    }
}

/// `(offset, whence)` of a `SeekFrom`.
#[inline(always)]
fn seek_args(pos: SeekFrom) -> Result<(i64, u32)> {
    Ok(match pos {
        SeekFrom::Start(pos) => (offset(pos)?, k::SEEK_SET),
        SeekFrom::Current(delta) => (delta, k::SEEK_CUR),
        SeekFrom::End(delta) => (delta, k::SEEK_END),
        SeekFrom::Data(pos) => (offset(pos)?, k::SEEK_DATA),
        SeekFrom::Hole(pos) => (offset(pos)?, k::SEEK_HOLE),
    })
}

#[cfg(target_pointer_width = "64")]
#[inline]
pub(crate) fn lseek(fd: BorrowedFd<'_>, pos: SeekFrom) -> Result<u64> {
    let (pos, whence) = seek_args(pos)?;
    // SAFETY: lseek touches no user memory.
    unsafe {
        ret_usize(syscall3_readonly(
            k::__NR_lseek,
            fd_arg(fd),
            pos as usize,
            whence as usize,
        ))
        .map(|pos| pos as u64)
    }
}

/// 32-bit arm's `lseek` takes and returns a 32-bit offset; `_llseek` takes the offset as two
/// words (high first) and stores the result in a `loff_t`.
#[cfg(target_arch = "arm")]
#[inline]
pub(crate) fn lseek(fd: BorrowedFd<'_>, pos: SeekFrom) -> Result<u64> {
    let (pos, whence) = seek_args(pos)?;
    let (lo, hi) = offset_words(pos);
    let mut result = MaybeUninit::<u64>::uninit();
    // SAFETY: _llseek writes one `loff_t` through the pointer, which is live and writable.
    unsafe {
        ret(syscall5(
            k::__NR__llseek,
            fd_arg(fd),
            hi,
            lo,
            ptr_arg(result.as_mut_ptr()),
            whence as usize,
        ))?;
        Ok(result.assume_init())
    }
}

#[inline]
pub(crate) fn pipe2(flags: PipeFlags) -> Result<(OwnedFd, OwnedFd)> {
    let mut fds = MaybeUninit::<[c_int; 2]>::uninit();
    // SAFETY: pipe2 writes two `int`s through the pointer, which is live and writable; on
    // success both are new fds owned by nobody else.
    unsafe {
        ret(syscall2(
            k::__NR_pipe2,
            ptr_arg(fds.as_mut_ptr()),
            flags.bits() as usize,
        ))?;
        let [reader, writer] = fds.assume_init();
        Ok((OwnedFd::from_raw_fd(reader), OwnedFd::from_raw_fd(writer)))
    }
}

#[inline]
pub(crate) fn exit_group(status: c_int) -> ! {
    // SAFETY: exit_group ends every thread of the process; it does not return.
    unsafe { syscall1_noreturn(k::__NR_exit_group, int_arg(status)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_is_one_compare_at_the_errno_boundary() {
        assert_eq!(ret_usize(0), Ok(0));
        assert_eq!(ret_usize(isize::MAX as usize), Ok(isize::MAX as usize));
        // -4096 is a valid result (an address or count); -4095..=-1 are errors.
        assert_eq!(ret_usize(-4096_isize as usize), Ok(-4096_isize as usize));
        assert_eq!(
            ret_usize(-4095_isize as usize),
            Err(Errno::from_raw_os_error(4095))
        );
        assert_eq!(ret_usize(-9_isize as usize), Err(Errno::BADF));
        assert_eq!(ret_usize(usize::MAX), Err(Errno::PERM));
    }

    #[test]
    fn offsets_of_2_pow_63_and_more_are_refused() {
        assert_eq!(offset(0), Ok(0));
        assert_eq!(offset(i64::MAX as u64), Ok(i64::MAX));
        assert_eq!(offset(1 << 63), Err(Errno::INVAL));
        assert_eq!(offset(u64::MAX), Err(Errno::INVAL));
        assert_eq!(offset_or_current(u64::MAX), Ok(-1));
        assert_eq!(offset_or_current(u64::MAX - 1), Err(Errno::INVAL));
    }

    #[test]
    fn offset_words_split_low_word_first() {
        let five_gib = 5_i64 << 30;
        #[cfg(target_pointer_width = "64")]
        assert_eq!(offset_words(five_gib), (five_gib as usize, 0));
        #[cfg(target_pointer_width = "32")]
        assert_eq!(offset_words(five_gib), (1 << 30, 1));
        #[cfg(target_pointer_width = "32")]
        assert_eq!(offset_words(-1), (usize::MAX, usize::MAX));
    }
}
