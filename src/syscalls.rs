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

/// A positioned read or write's offset as the kernel's signed `loff_t`. Offsets of 2^63 and
/// more become negative, and `pread64`, `pwrite64`, `preadv`, `pwritev`, `preadv2` and
/// `pwritev2` all refuse a negative offset with `EINVAL` before anything else (the last two take
/// -1, which is `u64::MAX`, as "the current offset", as documented). The tests check this on every
/// target, real kernels included, so no check is spent here.
#[inline(always)]
fn io_offset(offset: u64) -> i64 {
    offset as i64
}

/// An `lseek` offset. Unlike the calls above, `lseek` lets some files (`/dev/mem`) take a
/// negative `loff_t`, so 2^63 and more would silently mean something else: refused here.
#[inline(always)]
fn seek_offset(offset: u64) -> Result<i64> {
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
        Err(errno_of(raw))
    } else {
        Ok(raw)
    }
}

/// The error of a failed call, out of line and cold: inlined, LLVM merges both arms of
/// `ret_usize` into a branch-free select that costs every call eight more instructions
/// (measured by `cargo xtask bench` on `fcntl_getfd`).
#[cold]
#[inline(never)]
fn errno_of(raw: usize) -> Errno {
    Errno::from_kernel(raw.wrapping_neg() as u32)
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

/// Whether `fd` is open (`F_GETFD` succeeds), closed (it fails with `EBADF`), or unknown (any
/// other error: a seccomp policy, say). Takes a raw number because a `BorrowedFd` of a number
/// that may be closed would be a lie. The result is compared with `-EBADF` itself: the
/// program's entry runs this, and the full decoding would add its error path to every
/// freestanding binary.
#[cfg(feature = "rt")]
#[inline]
pub(crate) fn fd_is_open(fd: RawFd) -> Option<bool> {
    // SAFETY: F_GETFD touches no user memory and changes nothing.
    let raw = unsafe { syscall2_readonly(NR_FCNTL, int_arg(fd), k::F_GETFD as usize) };
    if raw == (Errno::BADF.raw_os_error() as usize).wrapping_neg() {
        Some(false)
    } else {
        // The fd flags are a small non-negative `int`; an error is -4095..=-1.
        (raw <= c_int::MAX as usize).then_some(true)
    }
}

/// Opens `/dev/null` read-write over the closed `fd`, which must be the lowest closed number;
/// says whether the kernel gave exactly that number. The fd is left open for good: it becomes
/// the standard stream. An error is `-errno`, never a number as small as `fd`, so one compare
/// decodes both (for the entry's code size, as above).
#[cfg(feature = "rt")]
#[inline]
pub(crate) fn open_dev_null_as(fd: RawFd) -> bool {
    let flags = k::O_RDWR | k::O_LARGEFILE;
    // SAFETY: the kernel only reads the NUL-terminated path; the new fd is kept open forever,
    // owned by the process as the standard stream `fd`.
    let raw = unsafe {
        syscall4_readonly(
            k::__NR_openat,
            k::AT_FDCWD as usize,
            ptr_arg(c"/dev/null".as_ptr()),
            flags as usize,
            0,
        )
    };
    raw == int_arg(fd)
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
    let pos = io_offset(pos);
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
    let pos = io_offset(pos);
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
    let (lo, hi) = offset_words(io_offset(pos));
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
    let (lo, hi) = offset_words(io_offset(pos));
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

#[inline]
pub(crate) fn preadv2(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    pos: u64,
    flags: ReadWriteFlags,
) -> Result<usize> {
    let (lo, hi) = offset_words(io_offset(pos));
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
    let (lo, hi) = offset_words(io_offset(pos));
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
    fn offsets_of_2_pow_63_and_more_never_reach_the_kernel_as_valid_ones() {
        // Positioned I/O: negative, which the kernel refuses (tests/read_write.rs checks that).
        assert_eq!(io_offset(0), 0);
        assert_eq!(io_offset(i64::MAX as u64), i64::MAX);
        assert!(io_offset(1 << 63) < 0);
        assert_eq!(io_offset(u64::MAX), -1);
        // lseek: refused here.
        assert_eq!(seek_offset(i64::MAX as u64), Ok(i64::MAX));
        assert_eq!(seek_offset(1 << 63), Err(Errno::INVAL));
        assert_eq!(seek_offset(u64::MAX), Err(Errno::INVAL));
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

    // The tests below make no system call, so that Miri can run them (`cargo xtask miri`):
    // Miri checks the unsafe code they reach for undefined behaviour.

    /// What `io::read` does with a `Buffer`, minus the kernel: copies up to `parts_mut`'s
    /// length of `data` to its start, then calls `assume_init` with the count.
    fn fake_read<B: crate::buffer::Buffer<u8>>(mut buf: B, data: &[u8]) -> B::Output {
        let (ptr, len) = buf.parts_mut();
        let n = len.min(data.len());
        // SAFETY: `parts_mut` is writable for `len` bytes and `n <= len`; `data` is a separate
        // borrow, so the two do not overlap; after the copy the first `n` bytes are initialized.
        unsafe {
            core::ptr::copy_nonoverlapping(data.as_ptr(), ptr, n);
            buf.assume_init(n)
        }
    }

    #[test]
    fn buffer_forms_take_what_a_read_gives() {
        let mut slice = [0xAAu8; 8];
        assert_eq!(fake_read(&mut slice[..], b"abc"), 3);
        assert_eq!(&slice, b"abc\xAA\xAA\xAA\xAA\xAA");
        assert_eq!(fake_read(&mut slice[..], b"0123456789"), 8);
        assert_eq!(&slice, b"01234567");
        assert_eq!(fake_read(&mut slice[..0], b"abc"), 0);

        let mut array = [0u8; 4];
        assert_eq!(fake_read(&mut array, b"xy"), 2);
        assert_eq!(array, *b"xy\0\0");
        assert_eq!(fake_read(&mut array, b"123456"), 4);
        assert_eq!(array, *b"1234");

        // Uninitialized storage: the filled part and the rest, in order, without overlap.
        let mut storage = [MaybeUninit::<u8>::uninit(); 8];
        let (filled, rest) = fake_read(&mut storage[..], b"xyz");
        assert_eq!(filled, b"xyz");
        assert_eq!(rest.len(), 5);
        filled[0] = b'X';
        rest[0].write(b'!');
        assert_eq!(filled.as_ptr_range().end, rest.as_ptr().cast::<u8>());
        // SAFETY: bytes 0..4 were written above (the read, then `rest[0]`).
        let first: [u8; 4] = core::array::from_fn(|i| unsafe { storage[i].assume_init() });
        assert_eq!(&first, b"Xyz!");

        let mut storage = [MaybeUninit::<u8>::uninit(); 3];
        let (filled, rest) = fake_read(&mut storage, b"abcdef");
        assert_eq!((&*filled, rest.len()), (&b"abc"[..], 0));
        let (filled, rest) = fake_read(&mut storage, b"");
        assert_eq!((filled.len(), rest.len()), (0, 3));
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn buffer_spare_capacity_appends_without_allocating() {
        use crate::buffer::spare_capacity;
        let mut vec = std::vec::Vec::with_capacity(8);
        vec.push(b'>');
        let capacity = vec.capacity();
        let n = fake_read(spare_capacity(&mut vec), b"abcdefghijklmnop");
        assert_eq!(n, capacity - 1);
        assert_eq!(vec.len(), capacity);
        assert_eq!(&vec[..], &b">abcdefghijklmnop"[..capacity]);
        assert_eq!(vec.capacity(), capacity);
        // Full, or never allocated: nothing to read into.
        assert_eq!(fake_read(spare_capacity(&mut vec), b"more"), 0);
        let mut empty: std::vec::Vec<u8> = std::vec::Vec::new();
        assert_eq!(fake_read(spare_capacity(&mut empty), b"more"), 0);
        assert!(empty.is_empty());
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn buffer_vec_forms_read_into_their_length() {
        let mut vec = std::vec![0xAAu8; 4];
        vec.reserve(16);
        assert_eq!(fake_read(&mut vec, b"abcdefgh"), 4);
        assert_eq!(
            &vec[..],
            b"abcd",
            "the length bounds the read, not the capacity"
        );

        let mut uninit = std::vec![MaybeUninit::<u8>::uninit(); 5];
        let (filled, rest) = fake_read(&mut uninit, b"xy");
        assert_eq!((&*filled, rest.len()), (&b"xy"[..], 3));
        assert_eq!(filled.as_ptr_range().end, rest.as_ptr().cast::<u8>());
    }

    #[test]
    fn every_error_result_decodes_to_its_errno() {
        for code in 1..=4095_u16 {
            let raw = (-isize::from(code as i16)) as usize;
            let errno = Errno::from_raw_os_error(i32::from(code));
            assert_eq!(ret_usize(raw), Err(errno));
            assert_eq!(ret(raw), Err(errno));
            assert_eq!(ret_c_int(raw), Err(errno));
            assert_eq!(errno.raw_os_error(), i32::from(code));
            assert_eq!(Errno::from_kernel(code.into()), errno);
        }
        assert_eq!(Errno::from_kernel(0), Errno::INVAL);
        assert_eq!(ret_c_int(7), Ok(7));
        assert_eq!(ret(0), Ok(()));
        // SAFETY: an error result makes no fd; no `OwnedFd` is created.
        let error = unsafe { ret_owned_fd(-9_isize as usize) }.err();
        assert_eq!(error, Some(Errno::BADF));
        // SAFETY: 1000 is owned by nothing else here; `into_raw_fd` takes it back unclosed.
        let fd = unsafe { ret_owned_fd(1000) }.map(crate::fd::IntoRawFd::into_raw_fd);
        assert_eq!(fd, Ok(1000));
    }

    #[test]
    fn errno_names_and_messages() {
        use std::string::ToString;
        for code in 1..=133 {
            let errno = Errno::from_raw_os_error(code);
            if code == 41 || code == 58 {
                assert_eq!(
                    (errno.name(), errno.description()),
                    ("EUNKNOWN", "Unknown error")
                );
            } else {
                assert!(errno.name().starts_with('E'), "{code}");
                assert_ne!(errno.description(), "Unknown error", "{code}");
            }
        }
        assert_eq!(Errno::BADF.name(), "EBADF");
        assert_eq!(Errno::BADF.description(), "Bad file descriptor");
        assert_eq!(
            Errno::BADF.to_string(),
            "Bad file descriptor (EBADF, os error 9)"
        );
        assert_eq!(std::format!("{:?}", Errno::WOULDBLOCK), "EAGAIN");
        assert_eq!(
            std::format!("{:?}", Errno::from_raw_os_error(500)),
            "Errno(500)"
        );
        assert_eq!(
            Errno::from_raw_os_error(4095).to_string(),
            "Unknown error (EUNKNOWN, os error 4095)"
        );
        for raw in [0, -1, 4096, i32::MAX, i32::MIN] {
            assert_eq!(Errno::from_raw_os_error(raw), Errno::INVAL);
        }
    }

    #[test]
    fn flags_are_the_kernels_and_keep_unknown_bits() {
        assert_eq!(DupFlags::CLOEXEC.bits(), k::O_CLOEXEC);
        assert_eq!(FdFlags::CLOEXEC.bits(), k::FD_CLOEXEC);
        assert_eq!(PipeFlags::NONBLOCK.bits(), k::O_NONBLOCK);
        assert_eq!(ReadWriteFlags::APPEND.bits(), k::RWF_APPEND);
        assert_eq!(ReadWriteFlags::NOWAIT.bits(), k::RWF_NOWAIT);
        assert_eq!(OFlags::CREATE.bits(), k::O_CREAT);
        assert_eq!(Mode::RWXU.bits(), k::S_IRWXU);
        // Bits no constant names go to the kernel as they are, which then decides.
        let unknown = 0x4000_0000;
        assert_eq!(DupFlags::from_bits_retain(unknown).bits(), unknown);
        assert_eq!(DupFlags::from_bits_truncate(unknown).bits(), unknown);
        assert_eq!(
            FdFlags::from_bits(unknown).map(|flags| flags.bits()),
            Some(unknown)
        );
        assert_eq!(ReadWriteFlags::from_bits_retain(u32::MAX).bits(), u32::MAX);
        assert_eq!(PipeFlags::all().bits(), u32::MAX);
        assert_eq!(
            (OFlags::RDWR | OFlags::CLOEXEC).bits(),
            k::O_RDWR | k::O_CLOEXEC
        );
    }

    #[test]
    fn arguments_keep_their_meaning() {
        // Sign extension keeps AT_FDCWD (and any int) what the kernel reads from the low bits.
        assert_eq!(fd_arg(crate::fs::CWD), -100_isize as usize);
        assert_eq!(int_arg(-1), usize::MAX);
        assert_eq!(int_arg(i32::MIN) as u32, 0x8000_0000);
        let byte = 7u8;
        assert_eq!(ptr_arg(&byte), &byte as *const u8 as usize);

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
    fn io_slices_are_iovecs_in_memory() {
        // The kernel reads a `&[IoSlice]` as `struct iovec[]`: base first, then length.
        let data = *b"abcdef";
        let slices = [IoSlice::new(&data[1..4]), IoSlice::new(&data[..0])];
        // SAFETY: `IoSlice` has the size and alignment of `iovec` (asserted at the top of this
        // file) and both are two plain words; the slices live until the end of the test.
        let vecs = unsafe { &*(&slices as *const [IoSlice<'_>; 2] as *const [iovec; 2]) };
        assert_eq!(
            vecs[0].iov_base.cast::<u8>().cast_const(),
            data[1..].as_ptr()
        );
        assert_eq!(vecs[0].iov_len as usize, 3);
        assert_eq!(vecs[1].iov_len as usize, 0);

        let mut buf = [0u8; 5];
        let base = buf.as_mut_ptr();
        let mut slices = [IoSliceMut::new(&mut buf)];
        slices[0][4] = b'!';
        // SAFETY: as above, for `IoSliceMut`.
        let vecs = unsafe { &*(&slices as *const [IoSliceMut<'_>; 1] as *const [iovec; 1]) };
        assert_eq!(
            (vecs[0].iov_base.cast::<u8>(), vecs[0].iov_len as usize),
            (base, 5)
        );
        assert_eq!(buf[4], b'!');
    }
}
