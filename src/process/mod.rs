//! Processes: rustix's `process` module (feature `process`), and `exit`.

pub(crate) mod syscalls;

pub use crate::ugid::{Gid, RawGid, RawUid, Uid};

/// `exit_group(status)`—Ends every thread of the process, with exit status `status & 0xff`.
///
/// Nothing runs afterwards: no destructors, no `atexit` handlers, no flushing of std's buffers.
///
/// # References
///  - [Linux `exit_group(2)`](https://man7.org/linux/man-pages/man2/exit_group.2.html)
#[inline]
pub fn exit(status: i32) -> ! {
    syscalls::exit_group(status)
}
