//! `eventfd`.

use crate::event::{syscalls, EventfdFlags};
use crate::fd::OwnedFd;
use crate::io::Result;

/// `eventfd(initval, flags)`—Creates an event counter: an fd holding a `u64` that starts at
/// `initval`.
///
/// A write of 8 bytes (a native-endian `u64`) adds to the counter; one that would take it to
/// `u64::MAX` or beyond blocks (`Errno::AGAIN` with `EventfdFlags::NONBLOCK`), and writing
/// `u64::MAX` itself is `Errno::INVAL`. A read of 8 bytes or more takes the whole count and
/// resets it to 0, or with `EventfdFlags::SEMAPHORE` takes 1 and returns 1; a read of a zero
/// counter blocks (`Errno::AGAIN` with `NONBLOCK`). Reads and writes of fewer than 8 bytes are
/// `Errno::INVAL`. The fd is readable (`poll`, `epoll`) while the counter is above 0, and
/// writable while 1 more can be added.
///
/// Unknown flag bits are the kernel's `Errno::INVAL`.
///
/// # References
///  - [Linux `eventfd(2)`](https://man7.org/linux/man-pages/man2/eventfd.2.html)
#[inline]
pub fn eventfd(initval: u32, flags: EventfdFlags) -> Result<OwnedFd> {
    syscalls::eventfd2(initval, flags)
}
