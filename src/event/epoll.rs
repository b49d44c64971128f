//! `epoll`: an fd that watches a set of other fds and reports which are ready.
//!
//! [`create`] makes the epoll instance; [`add`], [`modify`] and [`delete`] change its interest
//! list (each entry an fd, the [`EventFlags`] to wait for, and an [`EventData`] to report with
//! them); [`wait`] reads ready [`Event`]s into any [`Buffer<Event>`](crate::buffer::Buffer): a
//! caller's array or slice, initialized or not, without an allocator, or
//! [`spare_capacity`](crate::buffer::spare_capacity) of a `Vec` with the `alloc` feature.
//!
//! ```
//! use barecall::event::{epoll, eventfd, EventfdFlags, Timespec};
//! use core::mem::MaybeUninit;
//!
//! # fn main() -> barecall::io::Result<()> {
//! let epoll = epoll::create(epoll::CreateFlags::CLOEXEC)?;
//! let counter = eventfd(0, EventfdFlags::NONBLOCK)?;
//! epoll::add(&epoll, &counter, epoll::EventData::new_u64(7), epoll::EventFlags::IN)?;
//!
//! let mut events = [MaybeUninit::<epoll::Event>::uninit(); 4];
//! let now = Timespec { tv_sec: 0, tv_nsec: 0 };
//! let (ready, _) = epoll::wait(&epoll, &mut events, Some(&now))?;
//! assert!(ready.is_empty());
//!
//! barecall::io::write(&counter, &1u64.to_ne_bytes())?;
//! let (ready, _) = epoll::wait(&epoll, &mut events, None)?;
//! assert_eq!(ready.len(), 1);
//! let event = ready[0];
//! assert_eq!((event.flags, event.data.u64()), (epoll::EventFlags::IN, 7));
//! # Ok(())
//! # }
//! ```
//!
//! # References
//!  - [Linux `epoll(7)`](https://man7.org/linux/man-pages/man7/epoll.7.html)

use crate::buffer::Buffer;
use crate::event::{syscalls, Timespec};
use crate::fd::{AsFd, OwnedFd};
use crate::io::Result;

pub use crate::event::types::{CreateFlags, Event, EventData, EventFlags};

/// `epoll_create1(flags)`—Creates an epoll instance, with an empty interest list.
///
/// Unknown flag bits are the kernel's `Errno::INVAL`.
///
/// # References
///  - [Linux `epoll_create1(2)`](https://man7.org/linux/man-pages/man2/epoll_create1.2.html)
#[doc(alias = "epoll_create1")]
#[inline]
pub fn create(flags: CreateFlags) -> Result<OwnedFd> {
    syscalls::epoll_create1(flags)
}

/// `epoll_ctl(epoll, EPOLL_CTL_ADD, source, { event_flags, data })`—Adds `source` to the
/// interest list of `epoll`, waiting for `event_flags` and reporting `data` with them.
///
/// An fd already there is `Errno::EXIST`; an fd that cannot be polled (a regular file, a
/// directory) is `Errno::PERM`; `epoll` not an epoll instance, or `source` being `epoll`
/// itself, is `Errno::INVAL`; a closed fd is `Errno::BADF`.
///
/// The kernel keys the entry by the open file and the fd number together, and drops it when the
/// last fd of the file is closed. Closing `source` while a `dup` of it stays open therefore
/// keeps the entry, whose events keep coming, and the `dup`, another number, does not name it
/// (`delete` through it is `Errno::NOENT`): delete before closing. See
/// [epoll(7)](https://man7.org/linux/man-pages/man7/epoll.7.html), "Questions and answers".
///
/// # References
///  - [Linux `epoll_ctl(2)`](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
#[doc(alias = "epoll_ctl")]
#[inline]
pub fn add<EpollFd: AsFd, SourceFd: AsFd>(
    epoll: EpollFd,
    source: SourceFd,
    data: EventData,
    event_flags: EventFlags,
) -> Result<()> {
    let event = Event {
        flags: event_flags,
        data,
    };
    syscalls::epoll_add(epoll.as_fd(), source.as_fd(), &event)
}

/// `epoll_ctl(epoll, EPOLL_CTL_MOD, source, { event_flags, data })`—Replaces the events and
/// data of `source`'s entry in `epoll` (and re-arms it after a `ONESHOT` event).
///
/// An fd that is not in the interest list is `Errno::NOENT`; `EventFlags::EXCLUSIVE`, or an
/// entry added with it, is `Errno::INVAL`.
///
/// # References
///  - [Linux `epoll_ctl(2)`](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
#[doc(alias = "epoll_ctl")]
#[inline]
pub fn modify<EpollFd: AsFd, SourceFd: AsFd>(
    epoll: EpollFd,
    source: SourceFd,
    data: EventData,
    event_flags: EventFlags,
) -> Result<()> {
    let event = Event {
        flags: event_flags,
        data,
    };
    syscalls::epoll_mod(epoll.as_fd(), source.as_fd(), &event)
}

/// `epoll_ctl(epoll, EPOLL_CTL_DEL, source, NULL)`—Removes `source` from the interest list of
/// `epoll`.
///
/// An fd that is not in the list is `Errno::NOENT`; a closed one is `Errno::BADF`.
///
/// # References
///  - [Linux `epoll_ctl(2)`](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
#[doc(alias = "epoll_ctl")]
#[inline]
pub fn delete<EpollFd: AsFd, SourceFd: AsFd>(epoll: EpollFd, source: SourceFd) -> Result<()> {
    syscalls::epoll_del(epoll.as_fd(), source.as_fd())
}

/// `epoll_wait(epoll, events, timeout)`—Waits until an fd of `epoll`'s interest list is ready,
/// or the timeout passes, and reads the ready events into `event_list`; returns what a read
/// into that kind of [`Buffer`] returns (the count, or the filled and unfilled parts, or, for
/// `spare_capacity(&mut vec)`, the count appended to `vec`).
///
/// `timeout` of `None` waits for as long as it takes; `Some(&Timespec { tv_sec: 0, tv_nsec: 0 })`
/// does not wait, and with nothing ready gives 0 events. A signal handled during the wait
/// interrupts it with `Errno::INTR`, `SA_RESTART` or not (the kernel never restarts it; see
/// [signal(7)](https://man7.org/linux/man-pages/man7/signal.7.html)). An empty buffer is the kernel's `Errno::INVAL` (give `spare_capacity` a `Vec`
/// with room: `Vec::with_capacity(n)`); so is a buffer of more than `i32::MAX` events, which no
/// `int` counts.
///
/// The timeout is in milliseconds, as `epoll_wait` takes it: nanoseconds are rounded up to the
/// next millisecond, and a timeout of negative seconds, of nanoseconds outside
/// `0..1_000_000_000`, or of more than `i32::MAX` milliseconds (about 24.8 days) is
/// `Errno::INVAL`, never cut short. rustix documents the same limit where it has no
/// `epoll_pwait2` (Linux before 5.11, or without its `linux_5_11` feature).
///
/// The call is `epoll_wait` on x86_64 and 32-bit arm, `epoll_pwait` with no signal mask on
/// aarch64 and riscv64, which have only that.
///
/// # References
///  - [Linux `epoll_wait(2)`](https://man7.org/linux/man-pages/man2/epoll_wait.2.html)
#[doc(alias = "epoll_wait")]
#[inline]
pub fn wait<EpollFd: AsFd, Buf: Buffer<Event>>(
    epoll: EpollFd,
    mut event_list: Buf,
    timeout: Option<&Timespec>,
) -> Result<Buf::Output> {
    // SAFETY: `parts_mut` is writable for its length, and the kernel initialized `len` events.
    unsafe {
        syscalls::epoll_wait(epoll.as_fd(), event_list.parts_mut(), timeout)
            .map(|len| event_list.assume_init(len))
    }
}
