//! Ending the process.

/// `exit_group(status)`—Ends every thread of the process, with exit status `status & 0xff`.
///
/// Nothing runs afterwards: no destructors, no `atexit` handlers, no flushing of std's buffers.
///
/// # References
///  - [Linux `exit_group(2)`](https://man7.org/linux/man-pages/man2/exit_group.2.html)
#[inline]
pub fn exit(status: i32) -> ! {
    crate::process::syscalls::exit_group(status)
}
