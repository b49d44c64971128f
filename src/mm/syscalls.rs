//! The mm module's typed system calls.
//!
//! The calls that return an address decode it with `ret_usize`'s range rule (only
//! `-4095..=-1` is an error), so an address with the top bit set is an address.

use crate::conv::{c_int, c_uint, raw_ptr, ret, ret_usize, size};
use crate::errno::Result;
use crate::fd::{AsRawFd, BorrowedFd};
use crate::mm::{
    Advice, MapFlags, MlockAllFlags, MlockFlags, MprotectFlags, MremapFlags, MsyncFlags, ProtFlags,
};
use core::ffi::c_void;
use linux_raw_sys::general::{MAP_ANONYMOUS, MREMAP_FIXED};

/// The offset argument of the mmap call of this arch, in its units: bytes in one register on
/// the 64-bit ABIs, which take the kernel's `unsigned long` as is.
#[cfg(target_pointer_width = "64")]
#[inline(always)]
fn mmap_offset(offset: u64) -> Result<usize> {
    Ok(offset as usize)
}

/// 32-bit arm's `mmap2` takes the offset as an `unsigned long` count of 4096-byte units
/// (whatever the page size): an offset that is not a multiple of 4096, or whose count does not
/// fit 32 bits, cannot be said to the kernel and is `Errno::INVAL`, never rounded or truncated.
#[cfg(target_pointer_width = "32")]
#[inline(always)]
fn mmap_offset(offset: u64) -> Result<usize> {
    if offset % 4096 != 0 {
        return Err(crate::errno::Errno::INVAL);
    }
    u32::try_from(offset / 4096)
        .map(|units| units as usize)
        .map_err(|_| crate::errno::Errno::INVAL)
}

/// # Safety
///
/// As [`crate::mm::mmap`]: with `MAP_FIXED` the range replaced holds nothing still in use.
#[inline]
pub(crate) unsafe fn mmap(
    addr: *mut c_void,
    len: usize,
    prot: ProtFlags,
    flags: MapFlags,
    fd: Option<BorrowedFd<'_>>,
    offset: u64,
) -> Result<*mut c_void> {
    let offset = mmap_offset(offset)?;
    let (fd, flags) = match fd {
        Some(fd) => (fd.as_raw_fd(), flags.bits()),
        None => (-1, flags.bits() | MAP_ANONYMOUS),
    };
    // On 32-bit arm `__NR_mmap` is mmap2, and `offset` is already in its units.
    // SAFETY: the kernel reads no user memory here; a fixed mapping replaces what was in its
    // range, which the caller vouches holds nothing in use (hence not `readonly`). `fd` is
    // borrowed for the call (or -1 for an anonymous map).
    let raw = unsafe {
        syscall!(
            __NR_mmap,
            raw_ptr(addr),
            size(len),
            prot,
            c_uint(flags),
            c_int(fd),
            size(offset)
        )
    };
    ret_usize(raw).map(|addr| addr as *mut c_void)
}

/// # Safety
///
/// Nothing still in use is in the range.
#[inline]
pub(crate) unsafe fn munmap(addr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: the caller vouches for the range; munmap writes no user memory it leaves mapped.
    unsafe { ret(syscall!(__NR_munmap, raw_ptr(addr), size(len))) }
}

/// # Safety
///
/// As [`crate::mm::mremap`] and [`crate::mm::mremap_fixed`].
#[inline]
pub(crate) unsafe fn mremap(
    old: *mut c_void,
    old_len: usize,
    new_len: usize,
    flags: MremapFlags,
    new: Option<*mut c_void>,
) -> Result<*mut c_void> {
    let (flags, new) = match new {
        Some(new) => (flags.bits() | MREMAP_FIXED, new),
        None => (flags.bits(), core::ptr::null_mut()),
    };
    // SAFETY: the caller vouches for both ranges; mremap moves pages but writes no memory
    // through our pointers that the caller still uses.
    let raw = unsafe {
        syscall!(
            __NR_mremap,
            raw_ptr(old),
            size(old_len),
            size(new_len),
            c_uint(flags),
            raw_ptr(new)
        )
    };
    ret_usize(raw).map(|addr| addr as *mut c_void)
}

/// # Safety
///
/// Nothing in the range is used in ways the new protection forbids.
#[inline]
pub(crate) unsafe fn mprotect(addr: *mut c_void, len: usize, prot: MprotectFlags) -> Result<()> {
    // SAFETY: the caller vouches for the range; mprotect changes no contents.
    unsafe { ret(syscall!(__NR_mprotect, raw_ptr(addr), size(len), prot)) }
}

/// # Safety
///
/// As [`crate::mm::madvise`]: advice that discards contents needs a range not in use.
#[inline]
pub(crate) unsafe fn madvise(addr: *mut c_void, len: usize, advice: Advice) -> Result<()> {
    // SAFETY: the caller vouches for the range.
    unsafe {
        ret(syscall!(
            __NR_madvise,
            raw_ptr(addr),
            size(len),
            c_uint(advice as u32)
        ))
    }
}

/// # Safety
///
/// The range is mapped memory the caller may use.
#[inline]
pub(crate) unsafe fn msync(addr: *mut c_void, len: usize, flags: MsyncFlags) -> Result<()> {
    // SAFETY: msync writes pages back to their file; it changes no contents.
    unsafe { ret(syscall!(__NR_msync, raw_ptr(addr), size(len), flags)) }
}

/// # Safety
///
/// The range is memory the caller may use.
#[inline]
pub(crate) unsafe fn mlock(addr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: mlock faults the pages in and pins them; contents do not change.
    unsafe { ret(syscall!(__NR_mlock, raw_ptr(addr), size(len))) }
}

/// # Safety
///
/// The range is memory the caller may use.
#[inline]
pub(crate) unsafe fn mlock2(addr: *mut c_void, len: usize, flags: MlockFlags) -> Result<()> {
    // SAFETY: as mlock.
    unsafe { ret(syscall!(__NR_mlock2, raw_ptr(addr), size(len), flags)) }
}

/// # Safety
///
/// The range is memory the caller may use.
#[inline]
pub(crate) unsafe fn munlock(addr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: munlock unpins pages; contents do not change.
    unsafe { ret(syscall!(__NR_munlock, raw_ptr(addr), size(len))) }
}

#[inline]
pub(crate) fn mlockall(flags: MlockAllFlags) -> Result<()> {
    // SAFETY: mlockall pins pages; it changes no contents and reads no user memory.
    unsafe { ret(syscall_readonly!(__NR_mlockall, flags)) }
}

#[inline]
pub(crate) fn munlockall() -> Result<()> {
    // SAFETY: munlockall unpins pages; it changes no contents.
    unsafe { ret(syscall_readonly!(__NR_munlockall)) }
}

#[cfg(test)]
mod tests {
    /// 32-bit: mmap2's 4096-byte units, checked; 64-bit: bytes, passed as they are (the
    /// kernel checks alignment there).
    #[test]
    fn mmap_offsets_in_this_abis_units() {
        use super::mmap_offset;
        use crate::errno::Errno;
        assert_eq!(mmap_offset(0), Ok(0));
        let max_units = (u64::from(u32::MAX) + 1) * 4096;
        if cfg!(target_pointer_width = "32") {
            assert_eq!(mmap_offset(5 << 30), Ok(5 * 1024 * 1024 / 4));
            assert_eq!(mmap_offset(5), Err(Errno::INVAL));
            assert_eq!(mmap_offset(max_units - 4096), Ok(u32::MAX as usize));
            assert_eq!(mmap_offset(max_units), Err(Errno::INVAL));
        } else {
            assert_eq!(mmap_offset(5 << 30).map(|o| o as u64), Ok(5 << 30));
            assert_eq!(mmap_offset(5), Ok(5));
            assert_eq!(mmap_offset(max_units).map(|o| o as u64), Ok(max_units));
        }
    }

    #[test]
    fn flags_are_the_kernels() {
        use crate::mm::{MapFlags, MremapFlags, ProtFlags};
        assert_eq!(ProtFlags::READ.bits(), 1);
        assert_eq!(ProtFlags::WRITE.bits(), 2);
        assert_eq!(MapFlags::PRIVATE.bits(), 2);
        assert_eq!(MremapFlags::MAYMOVE.bits(), 1);
    }
}
