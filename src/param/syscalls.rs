//! The param module's typed system calls: the ways to read the auxiliary vector when the
//! program's entry was not barecall's, and the page size probe of last resort.

use crate::conv::{c_int, c_uint, raw_ptr, ret, ret_owned_fd, ret_usize, size, zero};
use crate::errno::Result;
use crate::fd::{AsFd, BorrowedFd, OwnedFd};
use core::ffi::CStr;
use linux_raw_sys::general::{
    AT_FDCWD, MAP_ANONYMOUS, MAP_PRIVATE, O_CLOEXEC, O_RDONLY, PROT_NONE,
};

/// `PR_GET_AUXV` (Linux 6.4), from `<linux/prctl.h>` (linux-raw-sys's `prctl` feature, which
/// barecall does not otherwise need).
const PR_GET_AUXV: u32 = 0x4155_5856;

/// `prctl(PR_GET_AUXV, buf, len, 0, 0)`: copies as much of the auxiliary vector as fits and
/// returns its whole size.
#[inline]
pub(crate) fn prctl_get_auxv(buf: &mut [u8]) -> Result<usize> {
    // SAFETY: the kernel writes at most `buf.len()` bytes to `buf`.
    unsafe {
        ret_usize(syscall!(
            __NR_prctl,
            c_uint(PR_GET_AUXV),
            raw_ptr(buf.as_mut_ptr()),
            size(buf.len()),
            zero(),
            zero()
        ))
    }
}

/// `openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC)`.
#[inline]
pub(crate) fn open_readonly(path: &CStr) -> Result<OwnedFd> {
    // SAFETY: `path` is NUL-terminated; openat returns a new fd, which we then own.
    unsafe {
        ret_owned_fd(syscall_readonly!(
            __NR_openat,
            c_int(AT_FDCWD),
            path,
            c_uint(O_RDONLY | O_CLOEXEC),
            zero()
        ))
    }
}

/// `read(fd, buf)`.
#[inline]
pub(crate) fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: the kernel writes at most `buf.len()` bytes to `buf`.
    unsafe {
        ret_usize(syscall!(
            __NR_read,
            fd.as_fd(),
            raw_ptr(buf.as_mut_ptr()),
            size(buf.len())
        ))
    }
}

/// The page size found by trial: maps `2 * max` bytes of inaccessible memory and returns the
/// smallest power of two from 4096 at which `mprotect` accepts an address, which is the page
/// size (an address is page-aligned exactly when it is a multiple of the page size).
pub(crate) fn probe_page_size() -> Option<usize> {
    const MAX: usize = 1 << 20;
    // SAFETY: a fresh private anonymous mapping chosen by the kernel replaces nothing.
    let raw = unsafe {
        syscall!(
            __NR_mmap,
            zero(),
            size(2 * MAX),
            c_uint(PROT_NONE),
            c_uint(MAP_PRIVATE | MAP_ANONYMOUS),
            c_int(-1),
            zero()
        )
    };
    let base = ret_usize(raw).ok()?;
    let mut found = None;
    let mut candidate = 4096;
    while candidate <= MAX {
        // SAFETY: the range is inside the mapping just made, which nothing else uses.
        let result = unsafe {
            ret(syscall_readonly!(
                __NR_mprotect,
                size(base + candidate),
                size(candidate),
                c_uint(PROT_NONE)
            ))
        };
        if result.is_ok() {
            found = Some(candidate);
            break;
        }
        candidate *= 2;
    }
    // SAFETY: unmaps only the mapping made above.
    let _ = unsafe { ret(syscall!(__NR_munmap, size(base), size(2 * MAX))) };
    found
}
