//! The event module's typed system calls: each a line or two over `crate::conv`.

use crate::conv::{
    by_ref, c_int, c_uint, opt_by_mut, raw_ptr, ret, ret_owned_fd, ret_usize, size, slice_mut_addr,
    zero,
};
use crate::errno::{Errno, Result};
use crate::event::epoll::{CreateFlags, Event};
use crate::event::{EventfdFlags, PollFd, Timespec};
use crate::fd::{BorrowedFd, OwnedFd};
use linux_raw_sys::ctypes::c_int as CInt;
use linux_raw_sys::general::{EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD};

/// The size of the kernel's signal set, which `ppoll` and `epoll_pwait` take beside their
/// (here always null) signal mask.
const SIGSET_SIZE: usize = core::mem::size_of::<linux_raw_sys::general::kernel_sigset_t>();

/// A timeout for the calls that take milliseconds in a C `int` (`epoll_wait` and
/// `epoll_pwait`): `None` is -1, "no timeout"; nanoseconds are rounded up to the next
/// millisecond, so the wait is never shorter than asked.
///
/// A `Timespec` the kernel's `ppoll` and `epoll_pwait2` would refuse (negative seconds,
/// nanoseconds outside `0..1_000_000_000`) is `Errno::INVAL`, as they say; so is one of more
/// than `i32::MAX` milliseconds (about 24.8 days), which no `int` holds.
#[inline]
pub(crate) fn timeout_millis(timeout: Option<&Timespec>) -> Result<CInt> {
    let Some(timeout) = timeout else {
        return Ok(-1);
    };
    if timeout.tv_sec < 0 || !(0..1_000_000_000).contains(&timeout.tv_nsec) {
        return Err(Errno::INVAL);
    }
    let millis = timeout
        .tv_sec
        .checked_mul(1000)
        .and_then(|millis| millis.checked_add((timeout.tv_nsec + 999_999) / 1_000_000))
        .ok_or(Errno::INVAL)?;
    CInt::try_from(millis).map_err(|_| Errno::INVAL)
}

/// The `unsigned int` count of `poll`'s array; no `PollFd` is left out silently.
#[inline]
fn nfds(fds: &[PollFd<'_>]) -> Result<u32> {
    u32::try_from(fds.len()).map_err(|_| Errno::INVAL)
}

/// `ppoll` on every architecture, as rustix does: aarch64 and riscv64 have no `poll`, and
/// `poll`'s `int` of milliseconds would refuse timeouts that rustix takes. 32-bit arm's
/// `ppoll` takes a 32-bit `timespec`, so there it is `ppoll_time64`, which takes `Timespec`'s
/// layout. Both write the time left into the timespec, so they get a copy of the caller's.
#[inline]
pub(crate) fn poll(fds: &mut [PollFd<'_>], timeout: Option<&Timespec>) -> Result<usize> {
    let nfds = nfds(fds)?;
    let mut timeout = timeout.copied();
    // SAFETY: ppoll reads and writes `nfds` live `struct pollfd`s (`PollFd`'s layout, asserted
    // in types.rs; any `revents` bits are a valid `u16`) and the live local `__kernel_timespec`
    // copy, if any (asserted in timespec.rs); no signal mask is given.
    unsafe {
        #[cfg(target_arch = "arm")]
        let raw = syscall!(
            __NR_ppoll_time64,
            slice_mut_addr(fds),
            c_uint(nfds),
            opt_by_mut(timeout.as_mut()),
            zero(),
            size(SIGSET_SIZE)
        );
        #[cfg(not(target_arch = "arm"))]
        let raw = syscall!(
            __NR_ppoll,
            slice_mut_addr(fds),
            c_uint(nfds),
            opt_by_mut(timeout.as_mut()),
            zero(),
            size(SIGSET_SIZE)
        );
        ret_usize(raw)
    }
}

#[inline]
pub(crate) fn epoll_create1(flags: CreateFlags) -> Result<OwnedFd> {
    // SAFETY: epoll_create1 touches no user memory and returns a new fd on success.
    unsafe { ret_owned_fd(syscall_readonly!(__NR_epoll_create1, flags)) }
}

#[inline]
pub(crate) fn epoll_add(epoll: BorrowedFd<'_>, fd: BorrowedFd<'_>, event: &Event) -> Result<()> {
    // SAFETY: EPOLL_CTL_ADD reads one `struct epoll_event`, laid out as `Event`, and writes no
    // user memory.
    unsafe {
        ret(syscall_readonly!(
            __NR_epoll_ctl,
            epoll,
            c_uint(EPOLL_CTL_ADD),
            fd,
            by_ref(event)
        ))
    }
}

#[inline]
pub(crate) fn epoll_mod(epoll: BorrowedFd<'_>, fd: BorrowedFd<'_>, event: &Event) -> Result<()> {
    // SAFETY: as for EPOLL_CTL_ADD.
    unsafe {
        ret(syscall_readonly!(
            __NR_epoll_ctl,
            epoll,
            c_uint(EPOLL_CTL_MOD),
            fd,
            by_ref(event)
        ))
    }
}

#[inline]
pub(crate) fn epoll_del(epoll: BorrowedFd<'_>, fd: BorrowedFd<'_>) -> Result<()> {
    // SAFETY: EPOLL_CTL_DEL ignores the event pointer (null here) since Linux 2.6.9 and touches
    // no user memory.
    unsafe {
        ret(syscall_readonly!(
            __NR_epoll_ctl,
            epoll,
            c_uint(EPOLL_CTL_DEL),
            fd,
            zero()
        ))
    }
}

/// The `int` count of `epoll_wait`'s array. More than `i32::MAX` events is `Errno::INVAL` here,
/// as the kernel answers any count above `INT_MAX / sizeof(struct epoll_event)` (and 0).
#[inline]
fn max_events(len: usize) -> Result<CInt> {
    CInt::try_from(len).map_err(|_| Errno::INVAL)
}

/// `epoll_wait` on x86_64 and 32-bit arm; `epoll_pwait` with no signal mask on aarch64 and
/// riscv64, which have only that.
///
/// # Safety
///
/// `events` is valid for writes of `len` `Event`s.
#[inline]
pub(crate) unsafe fn epoll_wait(
    epoll: BorrowedFd<'_>,
    (events, len): (*mut Event, usize),
    timeout: Option<&Timespec>,
) -> Result<usize> {
    let (max_events, timeout) = (max_events(len)?, timeout_millis(timeout)?);
    // SAFETY: the caller vouches for the buffer; the kernel writes at most `max_events`
    // `struct epoll_event`s, laid out as `Event`, whose every bit pattern is valid.
    unsafe {
        #[cfg(any(target_arch = "x86_64", target_arch = "arm"))]
        let raw = syscall!(
            __NR_epoll_wait,
            epoll,
            raw_ptr(events),
            c_int(max_events),
            c_int(timeout)
        );
        #[cfg(any(target_arch = "aarch64", target_arch = "riscv64"))]
        let raw = syscall!(
            __NR_epoll_pwait,
            epoll,
            raw_ptr(events),
            c_int(max_events),
            c_int(timeout),
            zero(),
            size(SIGSET_SIZE)
        );
        ret_usize(raw)
    }
}

#[inline]
pub(crate) fn eventfd2(initval: u32, flags: EventfdFlags) -> Result<OwnedFd> {
    // SAFETY: eventfd2 touches no user memory and returns a new fd on success.
    unsafe { ret_owned_fd(syscall_readonly!(__NR_eventfd2, c_uint(initval), flags)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linux_raw_sys::general as k;

    const fn ts(tv_sec: i64, tv_nsec: i64) -> Timespec {
        Timespec { tv_sec, tv_nsec }
    }

    #[test]
    fn timeouts_round_up_to_milliseconds_and_never_truncate() {
        assert_eq!(timeout_millis(None), Ok(-1));
        assert_eq!(timeout_millis(Some(&ts(0, 0))), Ok(0));
        assert_eq!(timeout_millis(Some(&ts(0, 1))), Ok(1));
        assert_eq!(timeout_millis(Some(&ts(0, 1_000_000))), Ok(1));
        assert_eq!(timeout_millis(Some(&ts(0, 1_000_001))), Ok(2));
        assert_eq!(timeout_millis(Some(&ts(2, 999_999_999))), Ok(3000));
        assert_eq!(
            timeout_millis(Some(&ts(2_147_483, 647_000_000))),
            Ok(i32::MAX)
        );
        assert_eq!(
            timeout_millis(Some(&ts(2_147_483, 647_000_001))),
            Err(Errno::INVAL)
        );
        assert_eq!(timeout_millis(Some(&ts(i64::MAX, 0))), Err(Errno::INVAL));
        assert_eq!(timeout_millis(Some(&ts(-1, 0))), Err(Errno::INVAL));
        assert_eq!(timeout_millis(Some(&ts(0, -1))), Err(Errno::INVAL));
        assert_eq!(
            timeout_millis(Some(&ts(0, 1_000_000_000))),
            Err(Errno::INVAL)
        );
    }

    #[test]
    fn counts_that_do_not_fit_are_refused() {
        assert_eq!(max_events(1), Ok(1));
        assert_eq!(max_events(i32::MAX as usize), Ok(i32::MAX));
        assert_eq!(max_events(i32::MAX as usize + 1), Err(Errno::INVAL));
        assert_eq!(max_events(usize::MAX), Err(Errno::INVAL));
    }

    #[test]
    fn flags_are_the_kernels() {
        use crate::event::epoll::EventFlags;
        use crate::event::PollFlags;
        assert_eq!(CreateFlags::CLOEXEC.bits(), k::O_CLOEXEC);
        assert_eq!(EventfdFlags::CLOEXEC.bits(), k::O_CLOEXEC);
        assert_eq!(EventfdFlags::NONBLOCK.bits(), k::O_NONBLOCK);
        assert_eq!(EventfdFlags::SEMAPHORE.bits(), 1);
        assert_eq!(EventFlags::IN.bits(), 1);
        assert_eq!(EventFlags::ET.bits(), 1 << 31);
        assert_eq!(EventFlags::ONESHOT.bits(), 1 << 30);
        assert_eq!(PollFlags::IN.bits(), 1);
        assert_eq!(PollFlags::NVAL.bits(), 0x20);
        assert_eq!(PollFlags::RDHUP.bits(), 0x2000);
        assert_eq!(PollFlags::all().bits(), u16::MAX);
        assert_eq!(EventFlags::default(), EventFlags::empty());
    }

    #[test]
    fn event_data_keeps_u64s_and_pointers() {
        use crate::event::epoll::EventData;
        let data = EventData::new_u64(0x0123_4567_89AB_CDEF);
        assert_eq!(data.u64(), 0x0123_4567_89AB_CDEF);
        assert_eq!(data.ptr() as usize, 0x0123_4567_89AB_CDEF_u64 as usize);
        let mut target = 5u32;
        let ptr = (&mut target as *mut u32).cast::<core::ffi::c_void>();
        let data = EventData::new_ptr(ptr);
        assert_eq!(data.u64(), ptr as usize as u64);
        // SAFETY: the pointer came from `&mut target`, which is live, with its provenance.
        unsafe { *data.ptr().cast::<u32>() = 7 };
        assert_eq!(target, 7);
        assert_eq!(
            EventData::new_ptr(ptr),
            EventData::new_u64(ptr as usize as u64)
        );
        assert_ne!(EventData::new_u64(1), EventData::new_u64(2));
        assert_eq!(
            std::format!("{:?}", EventData::new_u64(255)),
            "EventData(0xff)"
        );
    }
}
