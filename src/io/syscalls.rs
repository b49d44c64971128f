//! The io module's typed system calls: each a line or two over `crate::conv`.
//!
//! `#[inline]` throughout, so that a call compiles to the argument moves, the syscall
//! instruction and one compare.

use crate::conv::{
    by_mut, by_ref, c_uint, loff_of_u64, loff_words, raw_fd, raw_ptr, ret, ret_c_int, ret_owned_fd,
    ret_usize, size, slice_addr,
};
use crate::errno::Result;
use crate::fd::{AsRawFd, BorrowedFd, OwnedFd};
use crate::io::{DupFlags, FdFlags, IoSlice, IoSliceMut, ReadWriteFlags};
use core::mem::MaybeUninit;
use linux_raw_sys::general::{F_GETFD, F_SETFD};
use linux_raw_sys::ioctl::{FIOCLEX, FIONBIO, FIONCLEX, FIONREAD};

#[inline]
pub(crate) fn dup(fd: BorrowedFd<'_>) -> Result<OwnedFd> {
    // SAFETY: dup reads no user memory and returns a new fd on success.
    unsafe { ret_owned_fd(syscall_readonly!(__NR_dup, fd)) }
}

#[cfg(any(target_arch = "x86_64", target_arch = "arm"))]
#[inline]
pub(crate) fn dup2(fd: BorrowedFd<'_>, new: &mut OwnedFd) -> Result<()> {
    // SAFETY: dup2 replaces the open file behind `new`, which the caller owns mutably, so no
    // borrow of the old file survives; it reads no user memory.
    unsafe { ret(syscall_readonly!(__NR_dup2, fd, raw_fd(new.as_raw_fd()))) }
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
        ret(syscall_readonly!(
            __NR_dup3,
            fd,
            raw_fd(new.as_raw_fd()),
            flags
        ))
    }
}

#[inline]
pub(crate) fn fcntl_getfd(fd: BorrowedFd<'_>) -> Result<FdFlags> {
    // SAFETY: F_GETFD touches no user memory.
    let bits = unsafe { ret_c_int(syscall_readonly!(__NR_fcntl, fd, c_uint(F_GETFD)))? };
    Ok(FdFlags::from_bits_retain(bits as u32))
}

#[inline]
pub(crate) fn fcntl_setfd(fd: BorrowedFd<'_>, flags: FdFlags) -> Result<()> {
    // SAFETY: F_SETFD touches no user memory.
    unsafe { ret(syscall_readonly!(__NR_fcntl, fd, c_uint(F_SETFD), flags)) }
}

/// `ioctl` requests that take no argument.
#[inline]
fn ioctl_noarg(fd: BorrowedFd<'_>, request: u32) -> Result<()> {
    // SAFETY: FIOCLEX and FIONCLEX touch no user memory.
    unsafe { ret(syscall_readonly!(__NR_ioctl, fd, c_uint(request))) }
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
    let value = i32::from(value);
    // SAFETY: FIONBIO reads one `int` from the pointer, which is live for the call.
    unsafe {
        ret(syscall_readonly!(
            __NR_ioctl,
            fd,
            c_uint(FIONBIO),
            by_ref(&value)
        ))
    }
}

#[inline]
pub(crate) fn ioctl_fionread(fd: BorrowedFd<'_>) -> Result<u64> {
    let mut count = MaybeUninit::<i32>::uninit();
    // SAFETY: FIONREAD writes one `int` through the pointer, which is live and writable.
    unsafe {
        ret(syscall!(
            __NR_ioctl,
            fd,
            c_uint(FIONREAD),
            by_mut(&mut count)
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
    unsafe { ret_usize(syscall!(__NR_read, fd, raw_ptr(buf), size(len))) }
}

#[inline]
pub(crate) fn write(fd: BorrowedFd<'_>, buf: &[u8]) -> Result<usize> {
    // SAFETY: the kernel only reads `buf`, which is live for the call.
    unsafe {
        ret_usize(syscall_readonly!(
            __NR_write,
            fd,
            slice_addr(buf),
            size(buf.len())
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
    let pos = loff_of_u64(pos);
    // SAFETY: the caller vouches for the buffer.
    unsafe {
        #[cfg(target_pointer_width = "64")]
        let raw = syscall!(
            __NR_pread64,
            fd,
            raw_ptr(buf),
            size(len),
            crate::conv::loff(pos)
        );
        // EABI puts the 64-bit offset in the even pair r4:r5, so r3 is a pad.
        #[cfg(target_arch = "arm")]
        let raw = {
            let (lo, hi) = loff_words(pos);
            syscall!(
                __NR_pread64,
                fd,
                raw_ptr(buf),
                size(len),
                crate::conv::zero(),
                lo,
                hi
            )
        };
        ret_usize(raw)
    }
}

#[inline]
pub(crate) fn pwrite(fd: BorrowedFd<'_>, buf: &[u8], pos: u64) -> Result<usize> {
    let pos = loff_of_u64(pos);
    let (addr, len) = (slice_addr(buf), size(buf.len()));
    // SAFETY: the kernel only reads `buf`, which is live for the call.
    unsafe {
        #[cfg(target_pointer_width = "64")]
        let raw = syscall_readonly!(__NR_pwrite64, fd, addr, len, crate::conv::loff(pos));
        // EABI puts the 64-bit offset in the even pair r4:r5, so r3 is a pad.
        #[cfg(target_arch = "arm")]
        let raw = {
            let (lo, hi) = loff_words(pos);
            syscall_readonly!(__NR_pwrite64, fd, addr, len, crate::conv::zero(), lo, hi)
        };
        ret_usize(raw)
    }
}

// The kernel rejects more than UIO_MAXIOV (1024) iovecs with EINVAL. The full count is passed on
// unchanged so that it can: truncating the list (as rustix does) would silently drop buffers.

#[inline]
pub(crate) fn readv(fd: BorrowedFd<'_>, bufs: &mut [IoSliceMut<'_>]) -> Result<usize> {
    // SAFETY: each `IoSliceMut` is an iovec over a live, writable buffer.
    unsafe { ret_usize(syscall!(__NR_readv, fd, slice_addr(bufs), size(bufs.len()))) }
}

#[inline]
pub(crate) fn writev(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>]) -> Result<usize> {
    // SAFETY: each `IoSlice` is an iovec over a live buffer, which the kernel only reads.
    unsafe {
        ret_usize(syscall_readonly!(
            __NR_writev,
            fd,
            slice_addr(bufs),
            size(bufs.len())
        ))
    }
}

#[inline]
pub(crate) fn preadv(fd: BorrowedFd<'_>, bufs: &mut [IoSliceMut<'_>], pos: u64) -> Result<usize> {
    let (lo, hi) = loff_words(loff_of_u64(pos));
    // SAFETY: each `IoSliceMut` is an iovec over a live, writable buffer.
    unsafe {
        ret_usize(syscall!(
            __NR_preadv,
            fd,
            slice_addr(bufs),
            size(bufs.len()),
            lo,
            hi
        ))
    }
}

#[inline]
pub(crate) fn pwritev(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>], pos: u64) -> Result<usize> {
    let (lo, hi) = loff_words(loff_of_u64(pos));
    let (addr, len) = (slice_addr(bufs), size(bufs.len()));
    // SAFETY: each `IoSlice` is an iovec over a live buffer, which the kernel only reads.
    unsafe { ret_usize(syscall_readonly!(__NR_pwritev, fd, addr, len, lo, hi)) }
}

#[inline]
pub(crate) fn preadv2(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    pos: u64,
    flags: ReadWriteFlags,
) -> Result<usize> {
    let (lo, hi) = loff_words(loff_of_u64(pos));
    let (addr, len) = (slice_addr(bufs), size(bufs.len()));
    // SAFETY: each `IoSliceMut` is an iovec over a live, writable buffer.
    unsafe { ret_usize(syscall!(__NR_preadv2, fd, addr, len, lo, hi, flags)) }
}

#[inline]
pub(crate) fn pwritev2(
    fd: BorrowedFd<'_>,
    bufs: &[IoSlice<'_>],
    pos: u64,
    flags: ReadWriteFlags,
) -> Result<usize> {
    let (lo, hi) = loff_words(loff_of_u64(pos));
    let (addr, len) = (slice_addr(bufs), size(bufs.len()));
    // SAFETY: each `IoSlice` is an iovec over a live buffer, which the kernel only reads.
    unsafe {
        ret_usize(syscall_readonly!(
            __NR_pwritev2,
            fd,
            addr,
            len,
            lo,
            hi,
            flags
        ))
    }
}

/// # Safety
///
/// `fd` is owned by the caller and is not used again.
#[cfg(feature = "try_close")]
#[inline]
pub(crate) unsafe fn try_close(fd: crate::fd::RawFd) -> Result<()> {
    // SAFETY: the caller gives up `fd`; close writes no user memory.
    unsafe { ret(syscall_readonly!(__NR_close, raw_fd(fd))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_the_kernels_and_keep_unknown_bits() {
        use linux_raw_sys::general as k;
        assert_eq!(DupFlags::CLOEXEC.bits(), k::O_CLOEXEC);
        assert_eq!(FdFlags::CLOEXEC.bits(), k::FD_CLOEXEC);
        assert_eq!(ReadWriteFlags::APPEND.bits(), k::RWF_APPEND);
        assert_eq!(ReadWriteFlags::NOWAIT.bits(), k::RWF_NOWAIT);
        // Bits no constant names go to the kernel as they are, which then decides.
        let unknown = 0x4000_0000;
        assert_eq!(DupFlags::from_bits_retain(unknown).bits(), unknown);
        assert_eq!(DupFlags::from_bits_truncate(unknown).bits(), unknown);
        assert_eq!(
            FdFlags::from_bits(unknown).map(|flags| flags.bits()),
            Some(unknown)
        );
        assert_eq!(ReadWriteFlags::from_bits_retain(u32::MAX).bits(), u32::MAX);
        assert_eq!(
            crate::conv::Arg::from(DupFlags::from_bits_retain(unknown)).into_raw(),
            unknown as usize
        );
    }

    #[test]
    fn io_slices_are_iovecs_in_memory() {
        use linux_raw_sys::general::iovec;
        // The kernel reads a `&[IoSlice]` as `struct iovec[]`: base first, then length.
        let data = *b"abcdef";
        let slices = [IoSlice::new(&data[1..4]), IoSlice::new(&data[..0])];
        // SAFETY: `IoSlice` has the size and alignment of `iovec` (asserted in io/types.rs) and
        // both are two plain words; the slices live until the end of the test.
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
