//! `msync`.

use crate::io::Result;
use crate::mm::{syscalls, MsyncFlags};
use core::ffi::c_void;

/// `msync(addr, len, flags)`—Writes the changed pages of a shared file mapping back to the
/// file: `MsyncFlags::SYNC` waits for it, `ASYNC` does not. A range with unmapped pages is
/// `Errno::NOMEM`.
///
/// # Safety
///
/// `addr` must be page-aligned, and the range memory the caller may use.
///
/// # References
///  - [Linux `msync(2)`](https://man7.org/linux/man-pages/man2/msync.2.html)
#[inline]
pub unsafe fn msync(addr: *mut c_void, len: usize, flags: MsyncFlags) -> Result<()> {
    // SAFETY: forwarded to the caller.
    unsafe { syscalls::msync(addr, len, flags) }
}
