//! `mmap`, `munmap`, `mremap`, `mprotect` and the `mlock` family.

use crate::fd::AsFd;
use crate::io::Result;
use crate::mm::{
    syscalls, MapFlags, MlockAllFlags, MlockFlags, MprotectFlags, MremapFlags, ProtFlags,
};
use core::ffi::c_void;

/// `mmap(ptr, len, prot, flags, fd, offset)`—Maps `len` bytes of the file `fd` from `offset`,
/// and returns the mapping's address.
///
/// `offset` must be a multiple of the page size. On 32-bit arm the call is `mmap2`, which
/// takes the offset in 4096-byte units: there an offset that is not a multiple of 4096 or past
/// 2^44 bytes is `Errno::INVAL` before any call (the kernel could not be told it), never
/// rounded. For an anonymous mapping, see [`mmap_anonymous`].
///
/// # Safety
///
/// If `ptr` is not null it must be page-aligned; with `MapFlags::FIXED`, the range from `ptr`
/// for `len` bytes rounded up to pages must be memory the caller may replace, with no Rust
/// references into it. A `SHARED` mapping's contents can change under the program when the
/// file does.
///
/// # References
///  - [Linux `mmap(2)`](https://man7.org/linux/man-pages/man2/mmap.2.html)
#[inline]
pub unsafe fn mmap<Fd: AsFd>(
    ptr: *mut c_void,
    len: usize,
    prot: ProtFlags,
    flags: MapFlags,
    fd: Fd,
    offset: u64,
) -> Result<*mut c_void> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::mmap(ptr, len, prot, flags, Some(fd.as_fd()), offset) }
}

/// `mmap(ptr, len, prot, MAP_ANONYMOUS | flags, -1, 0)`—Maps `len` bytes of fresh zeroed
/// memory, and returns its address.
///
/// # Safety
///
/// As [`mmap`]: with `MapFlags::FIXED`, the range replaced must be the caller's to replace.
///
/// # References
///  - [Linux `mmap(2)`](https://man7.org/linux/man-pages/man2/mmap.2.html)
#[inline]
pub unsafe fn mmap_anonymous(
    ptr: *mut c_void,
    len: usize,
    prot: ProtFlags,
    flags: MapFlags,
) -> Result<*mut c_void> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::mmap(ptr, len, prot, flags, None, 0) }
}

/// `munmap(ptr, len)`—Removes the mappings in the range. A range with nothing mapped in it is
/// `Ok`; an unaligned `ptr` or a zero `len` is `Errno::INVAL`.
///
/// # Safety
///
/// `ptr` must be page-aligned, and nothing in the range (rounded up to pages) may be used
/// afterwards, Rust references included.
///
/// # References
///  - [Linux `munmap(2)`](https://man7.org/linux/man-pages/man2/munmap.2.html)
#[inline]
pub unsafe fn munmap(ptr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::munmap(ptr, len) }
}

/// `mremap(old_address, old_size, new_size, flags)`—Grows or shrinks a mapping, moving it if
/// `MremapFlags::MAYMOVE` allows, and returns its (possibly new) address. The contents are
/// kept up to the smaller size.
///
/// # Safety
///
/// `old_address` must be page-aligned and the start of a mapping the caller owns for
/// `old_size` bytes; if the mapping moves or shrinks, nothing may use the old range afterwards.
///
/// # References
///  - [Linux `mremap(2)`](https://man7.org/linux/man-pages/man2/mremap.2.html)
#[inline]
pub unsafe fn mremap(
    old_address: *mut c_void,
    old_size: usize,
    new_size: usize,
    flags: MremapFlags,
) -> Result<*mut c_void> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::mremap(old_address, old_size, new_size, flags, None) }
}

/// `mremap(old_address, old_size, new_size, MREMAP_FIXED | flags, new_address)`—As
/// [`mremap`], moving the mapping to exactly `new_address` (which needs
/// `MremapFlags::MAYMOVE`), replacing whatever is mapped there.
///
/// # Safety
///
/// As [`mremap`], and the range at `new_address` for `new_size` bytes must be the caller's to
/// replace, with no Rust references into it.
///
/// # References
///  - [Linux `mremap(2)`](https://man7.org/linux/man-pages/man2/mremap.2.html)
#[inline]
#[doc(alias = "mremap")]
pub unsafe fn mremap_fixed(
    old_address: *mut c_void,
    old_size: usize,
    new_size: usize,
    flags: MremapFlags,
    new_address: *mut c_void,
) -> Result<*mut c_void> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::mremap(old_address, old_size, new_size, flags, Some(new_address)) }
}

/// `mprotect(ptr, len, flags)`—Changes the protection of the pages in the range.
///
/// # Safety
///
/// `ptr` must be page-aligned, and no code may go on using the range in a way the new
/// protection forbids (a Rust reference to memory made unreadable faults when used).
///
/// # References
///  - [Linux `mprotect(2)`](https://man7.org/linux/man-pages/man2/mprotect.2.html)
#[inline]
pub unsafe fn mprotect(ptr: *mut c_void, len: usize, flags: MprotectFlags) -> Result<()> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::mprotect(ptr, len, flags) }
}

/// `mlock(ptr, len)`—Locks the pages of the range in memory, faulting them in now.
///
/// The kernel limits locked memory per process (`RLIMIT_MEMLOCK`): past it this is
/// `Errno::NOMEM` (or `Errno::PERM` without the limit and privilege).
///
/// # Safety
///
/// The range must be memory the caller may touch (as in rustix, where it is `unsafe` too).
///
/// # References
///  - [Linux `mlock(2)`](https://man7.org/linux/man-pages/man2/mlock.2.html)
#[inline]
pub unsafe fn mlock(ptr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::mlock(ptr, len) }
}

/// `mlock2(ptr, len, flags)`—As [`mlock`], with `MlockFlags` (Linux 4.4).
///
/// # Safety
///
/// As [`mlock`].
///
/// # References
///  - [Linux `mlock2(2)`](https://man7.org/linux/man-pages/man2/mlock2.2.html)
#[inline]
#[doc(alias = "mlock2")]
pub unsafe fn mlock_with(ptr: *mut c_void, len: usize, flags: MlockFlags) -> Result<()> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::mlock2(ptr, len, flags) }
}

/// `munlock(ptr, len)`—Unlocks the pages of the range.
///
/// # Safety
///
/// As [`mlock`].
///
/// # References
///  - [Linux `munlock(2)`](https://man7.org/linux/man-pages/man2/munlock.2.html)
#[inline]
pub unsafe fn munlock(ptr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::munlock(ptr, len) }
}

/// `mlockall(flags)`—Locks every page of the process, now (`CURRENT`), from now on
/// (`FUTURE`), or both.
///
/// # References
///  - [Linux `mlockall(2)`](https://man7.org/linux/man-pages/man2/mlockall.2.html)
#[inline]
pub fn mlockall(flags: MlockAllFlags) -> Result<()> {
    syscalls::mlockall(flags)
}

/// `munlockall()`—Unlocks every page of the process and undoes `MCL_FUTURE`.
///
/// # References
///  - [Linux `munlockall(2)`](https://man7.org/linux/man-pages/man2/munlockall.2.html)
#[inline]
pub fn munlockall() -> Result<()> {
    syscalls::munlockall()
}
