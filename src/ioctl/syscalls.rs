//! The ioctl module's typed system calls.

use crate::conv::{c_uint, raw_ptr, ret_c_int};
use crate::errno::Result;
use crate::fd::BorrowedFd;
use crate::ioctl::{IoctlOutput, Opcode};
use core::ffi::c_void;

/// # Safety
///
/// The request, with this argument, is sound to make.
#[inline]
pub(crate) unsafe fn ioctl(
    fd: BorrowedFd<'_>,
    request: Opcode,
    arg: *mut c_void,
) -> Result<IoctlOutput> {
    // SAFETY: the caller vouches for the request and its argument.
    unsafe { ret_c_int(syscall!(__NR_ioctl, fd, c_uint(request), raw_ptr(arg))) }
}

/// # Safety
///
/// As for [`ioctl`], and the request writes no user memory.
#[inline]
pub(crate) unsafe fn ioctl_readonly(
    fd: BorrowedFd<'_>,
    request: Opcode,
    arg: *mut c_void,
) -> Result<IoctlOutput> {
    // SAFETY: the caller vouches for the request, its argument, and that it only reads.
    unsafe {
        ret_c_int(syscall_readonly!(
            __NR_ioctl,
            fd,
            c_uint(request),
            raw_ptr(arg)
        ))
    }
}
