//! The pipe module's typed system calls.

use crate::conv::{by_mut, c_int, c_uint, opt_by_mut, ret, ret_usize, size, slice_addr};
use crate::errno::{Errno, Result};
use crate::fd::{BorrowedFd, FromRawFd, OwnedFd};
use crate::pipe::{IoSliceRaw, PipeFlags, SpliceFlags};
use core::mem::MaybeUninit;
use linux_raw_sys::general::{F_GETPIPE_SZ, F_SETPIPE_SZ};

#[inline]
pub(crate) fn pipe2(flags: PipeFlags) -> Result<(OwnedFd, OwnedFd)> {
    let mut fds = MaybeUninit::<[i32; 2]>::uninit();
    // SAFETY: pipe2 writes two `int`s through the pointer, which is live and writable; on
    // success both are new fds owned by nobody else.
    unsafe {
        ret(syscall!(__NR_pipe2, by_mut(&mut fds), flags))?;
        let [reader, writer] = fds.assume_init();
        Ok((OwnedFd::from_raw_fd(reader), OwnedFd::from_raw_fd(writer)))
    }
}

#[inline]
pub(crate) fn fcntl_getpipe_size(fd: BorrowedFd<'_>) -> Result<usize> {
    // SAFETY: F_GETPIPE_SZ touches no user memory.
    unsafe { ret_usize(syscall_readonly!(__NR_fcntl, fd, c_uint(F_GETPIPE_SZ))) }
}

#[inline]
pub(crate) fn fcntl_setpipe_size(fd: BorrowedFd<'_>, size: usize) -> Result<usize> {
    // As rustix: a size no `int` holds is refused as the unprivileged kernel would refuse it.
    let size = i32::try_from(size).map_err(|_| Errno::PERM)?;
    // SAFETY: F_SETPIPE_SZ touches no user memory.
    unsafe {
        ret_usize(syscall_readonly!(
            __NR_fcntl,
            fd,
            c_uint(F_SETPIPE_SZ),
            c_int(size)
        ))
    }
}

/// Refuses a `splice` offset that the kernel's signed `loff_t` would read as negative.
#[inline(always)]
fn check_offset(offset: &Option<&mut u64>) -> Result<()> {
    match offset {
        Some(offset) if **offset > i64::MAX as u64 => Err(Errno::INVAL),
        _ => Ok(()),
    }
}

#[inline]
pub(crate) fn splice(
    fd_in: BorrowedFd<'_>,
    off_in: Option<&mut u64>,
    fd_out: BorrowedFd<'_>,
    off_out: Option<&mut u64>,
    len: usize,
    flags: SpliceFlags,
) -> Result<usize> {
    check_offset(&off_in)?;
    check_offset(&off_out)?;
    // SAFETY: each offset is null or a live, writable `u64`, which has the layout of `loff_t`;
    // the kernel reads and updates it and touches no other user memory.
    unsafe {
        ret_usize(syscall!(
            __NR_splice,
            fd_in,
            opt_by_mut(off_in),
            fd_out,
            opt_by_mut(off_out),
            size(len),
            flags
        ))
    }
}

/// # Safety
///
/// The kernel may write the buffers (when `fd` is a read end): the caller allows it.
#[inline]
pub(crate) unsafe fn vmsplice(
    fd: BorrowedFd<'_>,
    bufs: &[IoSliceRaw<'_>],
    flags: SpliceFlags,
) -> Result<usize> {
    // SAFETY: each `IoSliceRaw` is an iovec over a live buffer; the caller vouches for writes.
    unsafe {
        ret_usize(syscall!(
            __NR_vmsplice,
            fd,
            slice_addr(bufs),
            size(bufs.len()),
            flags
        ))
    }
}

#[inline]
pub(crate) fn tee(
    fd_in: BorrowedFd<'_>,
    fd_out: BorrowedFd<'_>,
    len: usize,
    flags: SpliceFlags,
) -> Result<usize> {
    // SAFETY: tee moves data between two pipes in the kernel; it touches no user memory.
    unsafe { ret_usize(syscall_readonly!(__NR_tee, fd_in, fd_out, size(len), flags)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_the_kernels() {
        use linux_raw_sys::general as k;
        assert_eq!(PipeFlags::NONBLOCK.bits(), k::O_NONBLOCK);
        assert_eq!(PipeFlags::all().bits(), u32::MAX);
        assert_eq!(SpliceFlags::MOVE.bits(), 1);
        assert_eq!(SpliceFlags::NONBLOCK.bits(), 2);
        assert_eq!(SpliceFlags::MORE.bits(), 4);
        assert_eq!(SpliceFlags::GIFT.bits(), 8);
        assert_eq!(crate::pipe::PIPE_BUF, 4096);
    }

    #[test]
    fn splice_offsets_past_i64_max_are_refused() {
        let (mut ok, mut max, mut big, mut huge) = (0, i64::MAX as u64, 1u64 << 63, u64::MAX);
        assert_eq!(check_offset(&None), Ok(()));
        assert_eq!(check_offset(&Some(&mut ok)), Ok(()));
        assert_eq!(check_offset(&Some(&mut max)), Ok(()));
        assert_eq!(check_offset(&Some(&mut big)), Err(Errno::INVAL));
        assert_eq!(check_offset(&Some(&mut huge)), Err(Errno::INVAL));
    }

    #[test]
    fn io_slice_raw_is_an_iovec() {
        use linux_raw_sys::general::iovec;
        let data = *b"abcdef";
        let slices = [IoSliceRaw::from_slice(&data[2..5])];
        // SAFETY: `IoSliceRaw` is a transparent `iovec` (asserted in pipe/types.rs); the
        // slice lives until the end of the test.
        let vecs = unsafe { &*(&slices as *const [IoSliceRaw<'_>; 1] as *const [iovec; 1]) };
        assert_eq!(
            vecs[0].iov_base.cast::<u8>().cast_const(),
            data[2..].as_ptr()
        );
        assert_eq!(vecs[0].iov_len as usize, 3);
        let mut buf = [0u8; 7];
        let base = buf.as_mut_ptr();
        let slices = [IoSliceRaw::from_slice_mut(&mut buf)];
        // SAFETY: as above.
        let vecs = unsafe { &*(&slices as *const [IoSliceRaw<'_>; 1] as *const [iovec; 1]) };
        assert_eq!(
            (vecs[0].iov_base.cast::<u8>(), vecs[0].iov_len as usize),
            (base, 7)
        );
    }
}
