//! The event module's types: poll's, epoll's and eventfd's.

use crate::fd::{AsFd, BorrowedFd};
use core::ffi::c_void;
use core::fmt;
use core::hash::{Hash, Hasher};
use linux_raw_sys::general as k;

// ---- poll ------------------------------------------------------------------------------------

flags! {
    /// `POLL*` flags for [`PollFd`]: the events [`poll`](crate::event::poll) waits for, and the
    /// ones it found.
    pub struct PollFlags: u16 {
        /// `POLLIN`: there is data to read.
        const IN = k::POLLIN as u16;
        /// `POLLPRI`: there is urgent data to read (out-of-band TCP data, a pseudo-terminal
        /// state change).
        const PRI = k::POLLPRI as u16;
        /// `POLLOUT`: a write would not block.
        const OUT = k::POLLOUT as u16;
        /// `POLLRDNORM`: as `IN`.
        const RDNORM = k::POLLRDNORM as u16;
        /// `POLLWRNORM`: as `OUT`.
        const WRNORM = k::POLLWRNORM as u16;
        /// `POLLRDBAND`: priority-band data can be read.
        const RDBAND = k::POLLRDBAND as u16;
        /// `POLLWRBAND`: priority-band data can be written.
        const WRBAND = k::POLLWRBAND as u16;
        /// `POLLERR`: an error condition (reported whether asked for or not).
        const ERR = k::POLLERR as u16;
        /// `POLLHUP`: the other end hung up (reported whether asked for or not).
        const HUP = k::POLLHUP as u16;
        /// `POLLNVAL`: the fd is not open (reported, never asked for).
        const NVAL = k::POLLNVAL as u16;
        /// `POLLRDHUP`: the peer of a stream socket shut down its writing half.
        const RDHUP = k::POLLRDHUP as u16;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

/// `struct pollfd`—An fd for [`poll`](crate::event::poll), the events to wait for on it, and
/// the events found.
///
/// Laid out as the kernel's `struct pollfd`, so that a `&mut [PollFd]` is the array `poll`
/// takes. The fd is borrowed for `'fd`, so it stays open while it is polled.
///
/// # References
///  - [Linux `poll(2)`](https://man7.org/linux/man-pages/man2/poll.2.html)
#[doc(alias = "pollfd")]
#[repr(C)]
#[derive(Debug, Clone)]
pub struct PollFd<'fd> {
    fd: BorrowedFd<'fd>,
    events: u16,
    revents: u16,
}

impl<'fd> PollFd<'fd> {
    /// A `PollFd` that waits for `events` on `fd`, with no events found yet.
    #[inline]
    pub fn new<Fd: AsFd>(fd: &'fd Fd, events: PollFlags) -> Self {
        Self::from_borrowed_fd(fd.as_fd(), events)
    }

    /// As [`new`](Self::new), from a `BorrowedFd` (which can be a temporary, where `new` would
    /// borrow it).
    #[inline]
    pub fn from_borrowed_fd(fd: BorrowedFd<'fd>, events: PollFlags) -> Self {
        Self {
            fd,
            events: events.bits(),
            revents: 0,
        }
    }

    /// Replaces the fd to poll (the events asked for and found stay).
    #[inline]
    pub fn set_fd<Fd: AsFd>(&mut self, fd: &'fd Fd) {
        self.fd = fd.as_fd();
    }

    /// Forgets the events found, as before the first `poll`.
    #[inline]
    pub fn clear_revents(&mut self) {
        self.revents = 0;
    }

    /// The events the last `poll` found (`revents`).
    ///
    /// Bits that [`PollFlags`] does not name are kept, so this never fails (rustix panics on
    /// such bits; the kernel sets none today).
    #[inline]
    pub fn revents(&self) -> PollFlags {
        PollFlags::from_bits_retain(self.revents)
    }
}

impl AsFd for PollFd<'_> {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd
    }
}

// A `&mut [PollFd]` is read and written by the kernel as `struct pollfd[]`.
static_assertions::assert_eq_size!(PollFd<'static>, k::pollfd);
static_assertions::assert_eq_align!(PollFd<'static>, k::pollfd);

// ---- epoll -----------------------------------------------------------------------------------

flags! {
    /// `EPOLL_*` flags for [`epoll::create`](crate::event::epoll::create).
    pub struct CreateFlags: u32 {
        /// `EPOLL_CLOEXEC`
        const CLOEXEC = k::EPOLL_CLOEXEC;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `EPOLL*` flags: the events [`epoll::add`](crate::event::epoll::add) registers interest
    /// in and how, and the events [`epoll::wait`](crate::event::epoll::wait) reports.
    pub struct EventFlags: u32 {
        /// `EPOLLIN`: there is data to read.
        const IN = k::EPOLLIN;
        /// `EPOLLOUT`: a write would not block.
        const OUT = k::EPOLLOUT;
        /// `EPOLLPRI`: there is urgent data to read.
        const PRI = k::EPOLLPRI;
        /// `EPOLLERR`: an error condition (reported whether asked for or not).
        const ERR = k::EPOLLERR;
        /// `EPOLLHUP`: the other end hung up (reported whether asked for or not).
        const HUP = k::EPOLLHUP;
        /// `EPOLLRDNORM`: as `IN`.
        const RDNORM = k::EPOLLRDNORM;
        /// `EPOLLRDBAND`: priority-band data can be read.
        const RDBAND = k::EPOLLRDBAND;
        /// `EPOLLWRNORM`: as `OUT`.
        const WRNORM = k::EPOLLWRNORM;
        /// `EPOLLWRBAND`: priority-band data can be written.
        const WRBAND = k::EPOLLWRBAND;
        /// `EPOLLMSG`: unused by Linux.
        const MSG = k::EPOLLMSG;
        /// `EPOLLRDHUP`: the peer of a stream socket shut down its writing half.
        const RDHUP = k::EPOLLRDHUP;
        /// `EPOLLET`: edge-triggered: report a readiness once per change, not for as long as it
        /// lasts.
        const ET = k::EPOLLET;
        /// `EPOLLONESHOT`: report one event, then disable the fd until
        /// [`epoll::modify`](crate::event::epoll::modify) re-arms it.
        const ONESHOT = k::EPOLLONESHOT;
        /// `EPOLLWAKEUP`: keep the system from suspending while the event is pending (needs
        /// `CAP_BLOCK_SUSPEND`, silently ignored without it).
        const WAKEUP = k::EPOLLWAKEUP;
        /// `EPOLLEXCLUSIVE`: of several epoll instances waiting on the same fd, wake only one
        /// (only with `add`; `modify` refuses it).
        const EXCLUSIVE = k::EPOLLEXCLUSIVE;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

/// No flags, as in rustix.
impl Default for EventFlags {
    #[inline]
    fn default() -> Self {
        Self::empty()
    }
}

/// `struct epoll_event`—An event that [`epoll::wait`](crate::event::epoll::wait) reports: what
/// happened, and the data registered with the fd.
///
/// Laid out as the kernel's `struct epoll_event`, which is packed on x86_64 (12 bytes, `data`
/// at offset 4) and naturally aligned elsewhere (16 bytes, `data` at offset 8). A field of a
/// packed struct cannot be borrowed, so portable code reads fields by value and calls `&self`
/// methods on a copy: `let flags = event.flags;`, `{ event.flags }.bits()`.
///
/// # References
///  - [Linux `epoll_wait(2)`](https://man7.org/linux/man-pages/man2/epoll_wait.2.html)
#[repr(C)]
#[cfg_attr(target_arch = "x86_64", repr(packed))]
#[derive(Copy, Clone, Eq, PartialEq, Hash)]
pub struct Event {
    /// The events that occurred (and `ET`/`ONESHOT`-style bits as registered, never).
    pub flags: EventFlags,
    /// The data registered with the fd.
    pub data: EventData,
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Copies: the fields of a packed struct cannot be borrowed.
        let (flags, data) = (self.flags, self.data);
        f.debug_struct("Event")
            .field("flags", &flags)
            .field("data", &data)
            .finish()
    }
}

// The kernel reads and writes `Event`s as `struct epoll_event`.
static_assertions::assert_eq_size!(Event, k::epoll_event);
static_assertions::assert_eq_align!(Event, k::epoll_event);

/// The data registered with an fd in an epoll instance and reported with its events: a `u64`,
/// or a pointer that keeps its provenance.
///
/// Either way it is 64 bits; a pointer on a 32-bit target fills the low half and the high half
/// is zero. Two values are equal when their 64 bits are.
///
/// # References
///  - [Linux `epoll_ctl(2)`](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
#[repr(C)]
#[derive(Copy, Clone)]
pub union EventData {
    /// All 64 bits, always initialized.
    as_u64: u64,
    /// The pointer, in the low bits on every target (barecall's targets are little-endian).
    as_ptr: PtrWord,
}

/// A pointer widened to 64 bits, so that reading an [`EventData`] as a `u64` never reads
/// uninitialized memory.
#[repr(C)]
#[derive(Copy, Clone)]
struct PtrWord {
    ptr: *mut c_void,
    #[cfg(target_pointer_width = "32")]
    high: u32,
}

static_assertions::assert_eq_size!(EventData, u64);
static_assertions::assert_eq_size!(PtrWord, u64);

impl EventData {
    /// Data holding `value`.
    #[inline]
    pub const fn new_u64(value: u64) -> Self {
        Self { as_u64: value }
    }

    /// Data holding the pointer `value` (with its provenance, so [`ptr`](Self::ptr) gives back
    /// a pointer that may be used as `value` could).
    #[inline]
    pub const fn new_ptr(value: *mut c_void) -> Self {
        Self {
            as_ptr: PtrWord {
                ptr: value,
                #[cfg(target_pointer_width = "32")]
                high: 0,
            },
        }
    }

    /// The 64 bits as a `u64` (a pointer's address, zero-extended on 32-bit targets).
    #[inline]
    pub fn u64(self) -> u64 {
        // SAFETY: both fields cover all 64 bits and every constructor initializes them all;
        // any bit pattern is a `u64`.
        unsafe { self.as_u64 }
    }

    /// The data as a pointer: the one [`new_ptr`](Self::new_ptr) stored, or the low bits of a
    /// `u64` as an address (a pointer without provenance, for comparison only).
    #[inline]
    pub fn ptr(self) -> *mut c_void {
        // SAFETY: as for `u64`; any bit pattern is a raw pointer.
        unsafe { self.as_ptr.ptr }
    }
}

impl PartialEq for EventData {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.u64() == other.u64()
    }
}

impl Eq for EventData {}

impl Hash for EventData {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.u64().hash(state);
    }
}

/// The 64 bits, in hex.
impl fmt::Debug for EventData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EventData")
            .field(&format_args!("{:#x}", self.u64()))
            .finish()
    }
}

// ---- eventfd ---------------------------------------------------------------------------------

flags! {
    /// `EFD_*` flags for [`eventfd`](crate::event::eventfd).
    pub struct EventfdFlags: u32 {
        /// `EFD_CLOEXEC`
        const CLOEXEC = k::EFD_CLOEXEC;
        /// `EFD_NONBLOCK`: a read of a zero counter, or a write that would overflow it, fails
        /// with `Errno::AGAIN` rather than blocking.
        const NONBLOCK = k::EFD_NONBLOCK;
        /// `EFD_SEMAPHORE`: a read takes 1 from the counter and returns 1, rather than taking
        /// the whole count.
        const SEMAPHORE = k::EFD_SEMAPHORE;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::{offset_of, size_of};

    #[test]
    fn layouts_are_the_kernels() {
        assert_eq!(offset_of!(Event, flags), offset_of!(k::epoll_event, events));
        assert_eq!(offset_of!(Event, data), offset_of!(k::epoll_event, data));
        // Packed on x86_64 only, as the kernel's `__EPOLL_PACKED`.
        #[cfg(target_arch = "x86_64")]
        assert_eq!((size_of::<Event>(), offset_of!(Event, data)), (12, 4));
        #[cfg(not(target_arch = "x86_64"))]
        assert_eq!((size_of::<Event>(), offset_of!(Event, data)), (16, 8));
        assert_eq!(offset_of!(PollFd<'_>, fd), offset_of!(k::pollfd, fd));
        assert_eq!(
            offset_of!(PollFd<'_>, events),
            offset_of!(k::pollfd, events)
        );
        assert_eq!(
            offset_of!(PollFd<'_>, revents),
            offset_of!(k::pollfd, revents)
        );
        assert_eq!(size_of::<k::kernel_sigset_t>(), 8);
    }
}
