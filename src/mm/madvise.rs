//! `madvise`.

use crate::io::Result;
use crate::mm::{syscalls, Advice};
use core::ffi::c_void;

/// `madvise(addr, len, advice)`—Tells the kernel how the range will be used.
///
/// Some advice changes contents: after `Advice::LinuxDontNeed` a private anonymous page reads
/// as zeros, and a private file page as the file's bytes again.
///
/// # Safety
///
/// `addr` must be page-aligned, and with advice that discards contents, no Rust references
/// may point into the range.
///
/// # References
///  - [Linux `madvise(2)`](https://man7.org/linux/man-pages/man2/madvise.2.html)
#[inline]
pub unsafe fn madvise(addr: *mut c_void, len: usize, advice: Advice) -> Result<()> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::madvise(addr, len, advice) }
}
