//! `poll`.

use crate::event::{syscalls, PollFd, Timespec};
use crate::io::Result;

/// `poll(fds, timeout)`—Waits until one of `fds` is ready for the events it asks for, or the
/// timeout passes; returns how many have events, which each one's
/// [`revents`](PollFd::revents) says.
///
/// `timeout` of `None` waits for as long as it takes; `Some(&Timespec { tv_sec: 0, tv_nsec: 0 })`
/// does not wait. An fd that is not open is reported with `PollFlags::NVAL`, not as an error;
/// `ERR` and `HUP` are reported whether asked for or not. A signal handled during the wait
/// interrupts it with `Errno::INTR`, `SA_RESTART` or not (the kernel never restarts it; see
/// [signal(7)](https://man7.org/linux/man-pages/man7/signal.7.html)). More fds than `RLIMIT_NOFILE` is
/// `Errno::INVAL`.
///
/// The call is `ppoll` (`ppoll_time64` on 32-bit arm, whose `ppoll` takes 32-bit seconds) on
/// every architecture, as in rustix, so the timeout is never rounded. A timeout with negative
/// seconds, or nanoseconds outside `0..1_000_000_000`, is `Errno::INVAL` (`ppoll`'s answer).
///
/// # References
///  - [Linux `poll(2)`](https://man7.org/linux/man-pages/man2/poll.2.html)
///  - [Linux `ppoll(2)`](https://man7.org/linux/man-pages/man2/ppoll.2.html)
#[inline]
pub fn poll(fds: &mut [PollFd<'_>], timeout: Option<&Timespec>) -> Result<usize> {
    syscalls::poll(fds, timeout)
}
