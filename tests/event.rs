//! The event module's `poll` and `eventfd` (epoll is in tests/epoll.rs), cross-checked with
//! libc where the kernel's answer is the point.

mod common;
#[path = "event_support/mod.rs"]
mod support;

use barecall::event::{eventfd, poll, EventfdFlags, PollFd, PollFlags};
use barecall::io::{self, Errno};
use barecall::pipe::pipe;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::time::{Duration, Instant};
use support::{interrupted, ts, NOW};

fn closed_fd() -> BorrowedFd<'static> {
    assert!(!common::is_open(900));
    unsafe { BorrowedFd::borrow_raw(900) }
}

fn read_u64(fd: &OwnedFd) -> io::Result<u64> {
    let mut buf = [0u8; 8];
    let n = io::read(fd, &mut buf)?;
    assert_eq!(n, 8);
    Ok(u64::from_ne_bytes(buf))
}

fn write_u64(fd: &OwnedFd, value: u64) -> io::Result<usize> {
    io::write(fd, &value.to_ne_bytes())
}

/// What libc's `poll` says of one fd and events, with a zero timeout: (result, revents).
fn libc_poll_one(fd: i32, events: i16) -> (i32, i16) {
    let mut pfd = libc::pollfd {
        fd,
        events,
        revents: 0,
    };
    let ret = unsafe { libc::poll(&mut pfd, 1, 0) };
    (ret, pfd.revents)
}

// ---- poll ------------------------------------------------------------------------------------

#[test]
fn poll_reports_what_is_ready() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let mut fds = [
        PollFd::new(&reader, PollFlags::IN),
        PollFd::new(&writer, PollFlags::OUT),
    ];
    // Nothing to read yet; room to write.
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(1));
    assert_eq!(fds[0].revents(), PollFlags::empty());
    assert_eq!(fds[1].revents(), PollFlags::OUT);
    io::write(&writer, b"x").unwrap();
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(2));
    assert_eq!(fds[0].revents(), PollFlags::IN);
    assert_eq!(fds[1].revents(), PollFlags::OUT);
    // No timeout at all: returns at once, since something is ready.
    assert_eq!(poll(&mut fds, None), Ok(2));
    // RDNORM asked for is RDNORM found; the same bits libc's poll finds.
    let mut fds = [PollFd::new(&reader, PollFlags::IN | PollFlags::RDNORM)];
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(1));
    assert_eq!(fds[0].revents(), PollFlags::IN | PollFlags::RDNORM);
    let (ret, revents) = libc_poll_one(reader.as_raw_fd(), libc::POLLIN | libc::POLLRDNORM);
    assert_eq!((ret, revents as u16), (1, fds[0].revents().bits()));
    // Draining it makes it not ready again.
    io::read(&reader, &mut [0u8; 4]).unwrap();
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(0));
    assert_eq!(fds[0].revents(), PollFlags::empty());
}

#[test]
fn poll_reports_hangups_and_errors_unasked() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    drop(writer);
    let mut fds = [PollFd::new(&reader, PollFlags::empty())];
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(1));
    assert_eq!(fds[0].revents(), PollFlags::HUP);
    let (reader, writer) = pipe().unwrap();
    drop(reader);
    let mut fds = [PollFd::new(&writer, PollFlags::empty())];
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(1));
    assert_eq!(fds[0].revents(), PollFlags::ERR);
    let (ret, revents) = libc_poll_one(writer.as_raw_fd(), 0);
    assert_eq!((ret, revents), (1, libc::POLLERR));
}

#[test]
fn poll_zero_timeout_returns_at_once_and_short_timeout_waits_it_out() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe().unwrap();
    let mut fds = [PollFd::new(&reader, PollFlags::IN)];
    let start = Instant::now();
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(0));
    assert!(start.elapsed() < support::BOUND);
    // 30 ms and 1 ns.
    let start = Instant::now();
    assert_eq!(poll(&mut fds, Some(&ts(0, 30_000_001))), Ok(0));
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(30),
        "waited only {waited:?}"
    );
    assert!(waited < support::BOUND, "waited {waited:?}");
    // 1 ns: a wait, however short.
    assert_eq!(poll(&mut fds, Some(&ts(0, 1))), Ok(0));
    // No fds at all: a sleep.
    let start = Instant::now();
    assert_eq!(poll(&mut [], Some(&ts(0, 20_000_000))), Ok(0));
    assert!(start.elapsed() >= Duration::from_millis(20));
    assert_eq!(poll(&mut [], Some(&NOW)), Ok(0));
}

#[test]
fn poll_timeouts_that_do_not_fit_are_refused_not_truncated() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    io::write(&writer, b"x").unwrap();
    let mut fds = [PollFd::new(&reader, PollFlags::IN)];
    // Invalid on every target: negative seconds, nanoseconds out of range (ppoll's EINVAL).
    for bad in [ts(-1, 0), ts(0, -1), ts(0, 1_000_000_000), ts(i64::MIN, 0)] {
        assert_eq!(poll(&mut fds, Some(&bad)), Err(Errno::INVAL), "{bad:?}");
        assert_eq!(fds[0].revents(), PollFlags::empty());
    }
    // Timeouts past what an `int` of milliseconds holds are timeouts too: the call takes a
    // timespec (ppoll, ppoll_time64) on every target, as rustix's does. The fd is ready, so a
    // valid timeout returns at once.
    let max_millis = ts(2_147_483, 647_000_000);
    assert_eq!(poll(&mut fds, Some(&max_millis)), Ok(1));
    for beyond in [
        ts(2_147_483, 647_000_001),
        ts(i64::from(i32::MAX), 0),
        ts(i64::MAX, 999_999_999),
    ] {
        assert_eq!(poll(&mut fds, Some(&beyond)), Ok(1), "{beyond:?}");
    }
}

#[test]
fn poll_marks_closed_fds_nval_rather_than_failing() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe().unwrap();
    let mut fds = [
        PollFd::from_borrowed_fd(closed_fd(), PollFlags::IN),
        PollFd::new(&reader, PollFlags::IN),
    ];
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(1));
    assert_eq!(fds[0].revents(), PollFlags::NVAL);
    assert_eq!(fds[1].revents(), PollFlags::empty());
    let (ret, revents) = libc_poll_one(900, libc::POLLIN);
    assert_eq!((ret, revents), (1, libc::POLLNVAL));
    // A negative fd is skipped (revents 0), as the kernel does for any negative number.
    let negative = unsafe { BorrowedFd::borrow_raw(-2) };
    let mut fds = [PollFd::from_borrowed_fd(negative, PollFlags::IN)];
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(0));
    assert_eq!(fds[0].revents(), PollFlags::empty());
}

#[test]
fn poll_more_fds_than_rlimit_nofile_is_einval() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe().unwrap();
    // Lower the limit (through libc) rather than build millions of entries; back afterwards.
    let (current, _) = support::nofile();
    let lowered = 64;
    support::set_nofile(lowered).unwrap();
    let mut fds: Vec<PollFd<'_>> = (0..=lowered)
        .map(|_| PollFd::new(&reader, PollFlags::IN))
        .collect();
    let ours = poll(&mut fds, Some(&NOW));
    let mut raw: Vec<libc::pollfd> = (0..=lowered)
        .map(|_| libc::pollfd {
            fd: reader.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    let theirs = unsafe { libc::poll(raw.as_mut_ptr(), raw.len() as _, 0) };
    let theirs_errno = support::errno();
    let at_limit = poll(&mut fds[..lowered as usize], Some(&NOW));
    support::set_nofile(current).unwrap();
    assert_eq!((theirs, theirs_errno), (-1, libc::EINVAL));
    assert_eq!(ours, Err(Errno::INVAL));
    assert_eq!(at_limit, Ok(0));
}

#[test]
fn poll_unknown_event_bits_are_the_kernels_business() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    io::write(&writer, b"x").unwrap();
    // Bits no `POLL*` names: the kernel takes them and reports nothing for them.
    for bits in [0x8000u16, 0x4000, 0x1000 | 0x0001, 0xFFFF] {
        let mut fds = [PollFd::new(&reader, PollFlags::from_bits_retain(bits))];
        let ours = poll(&mut fds, Some(&NOW));
        let (ret, revents) = libc_poll_one(reader.as_raw_fd(), bits as i16);
        assert_eq!(ours, Ok(ret as usize), "{bits:#x}");
        assert_eq!(fds[0].revents().bits(), revents as u16, "{bits:#x}");
    }
}

#[test]
fn poll_fd_accessors() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    io::write(&writer, b"x").unwrap();
    let mut fds = [PollFd::new(&writer, PollFlags::IN)];
    assert_eq!(fds[0].as_fd().as_raw_fd(), writer.as_raw_fd());
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(0));
    fds[0].set_fd(&reader);
    assert_eq!(fds[0].as_fd().as_raw_fd(), reader.as_raw_fd());
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(1));
    assert_eq!(fds[0].revents(), PollFlags::IN);
    let copy = fds[0].clone();
    assert_eq!(copy.revents(), PollFlags::IN);
    fds[0].clear_revents();
    assert_eq!(fds[0].revents(), PollFlags::empty());
    assert!(format!("{copy:?}").contains("PollFd"));
    assert_eq!(
        std::mem::size_of::<PollFd<'_>>(),
        std::mem::size_of::<libc::pollfd>()
    );
}

#[test]
fn poll_is_interrupted_by_a_signal() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let unblock = writer.try_clone().unwrap();
    let result = interrupted(
        move || poll(&mut [PollFd::new(&reader, PollFlags::IN)], None),
        move || {
            io::write(&unblock, b"x").unwrap();
        },
    );
    assert_eq!(result, Err(Errno::INTR));
    // With a timeout too.
    let (reader2, writer2) = pipe().unwrap();
    let result = interrupted(
        move || {
            poll(
                &mut [PollFd::new(&reader2, PollFlags::IN)],
                Some(&ts(3600, 0)),
            )
        },
        move || {
            io::write(&writer2, b"x").unwrap();
        },
    );
    assert_eq!(result, Err(Errno::INTR));
    drop(writer);
}

#[test]
fn poll_sees_eventfd_readiness() {
    let _check = common::FdCheck::new();
    let counter = eventfd(0, EventfdFlags::NONBLOCK).unwrap();
    let mut fds = [PollFd::new(&counter, PollFlags::IN | PollFlags::OUT)];
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(1));
    assert_eq!(fds[0].revents(), PollFlags::OUT);
    write_u64(&counter, 2).unwrap();
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(1));
    assert_eq!(fds[0].revents(), PollFlags::IN | PollFlags::OUT);
    // At u64::MAX - 1 nothing more can be added: not writable.
    write_u64(&counter, u64::MAX - 3).unwrap();
    assert_eq!(poll(&mut fds, Some(&NOW)), Ok(1));
    assert_eq!(fds[0].revents(), PollFlags::IN);
}

// ---- eventfd ---------------------------------------------------------------------------------

#[test]
fn eventfd_counter_mode_reads_the_whole_count() {
    let _check = common::FdCheck::new();
    let counter = eventfd(5, EventfdFlags::NONBLOCK).unwrap();
    assert_eq!(read_u64(&counter), Ok(5));
    assert_eq!(read_u64(&counter), Err(Errno::AGAIN));
    assert_eq!(write_u64(&counter, 3), Ok(8));
    assert_eq!(write_u64(&counter, 4), Ok(8));
    assert_eq!(read_u64(&counter), Ok(7));
    assert_eq!(read_u64(&counter), Err(Errno::AGAIN));
    // The largest initial value.
    let big = eventfd(u32::MAX, EventfdFlags::NONBLOCK).unwrap();
    assert_eq!(read_u64(&big), Ok(u64::from(u32::MAX)));
    // A read of more than 8 bytes takes 8.
    write_u64(&big, 9).unwrap();
    let mut buf = [0xAAu8; 16];
    assert_eq!(io::read(&big, &mut buf), Ok(8));
    assert_eq!(u64::from_ne_bytes(buf[..8].try_into().unwrap()), 9);
    assert_eq!(buf[8..], [0xAA; 8]);
}

#[test]
fn eventfd_semaphore_mode_reads_one_at_a_time() {
    let _check = common::FdCheck::new();
    let sem = eventfd(3, EventfdFlags::SEMAPHORE | EventfdFlags::NONBLOCK).unwrap();
    for _ in 0..3 {
        assert_eq!(read_u64(&sem), Ok(1));
    }
    assert_eq!(read_u64(&sem), Err(Errno::AGAIN));
    write_u64(&sem, 2).unwrap();
    assert_eq!(read_u64(&sem), Ok(1));
    assert_eq!(read_u64(&sem), Ok(1));
    assert_eq!(read_u64(&sem), Err(Errno::AGAIN));
}

#[test]
fn eventfd_overflow_and_short_buffers_are_refused() {
    let _check = common::FdCheck::new();
    let counter = eventfd(0, EventfdFlags::NONBLOCK).unwrap();
    // u64::MAX itself is never a value to add.
    assert_eq!(write_u64(&counter, u64::MAX), Err(Errno::INVAL));
    // Up to u64::MAX - 1 fits; one more would overflow: EAGAIN when non-blocking.
    assert_eq!(write_u64(&counter, u64::MAX - 1), Ok(8));
    assert_eq!(write_u64(&counter, 1), Err(Errno::AGAIN));
    assert_eq!(write_u64(&counter, 0), Ok(8));
    assert_eq!(read_u64(&counter), Ok(u64::MAX - 1));
    // Fewer than 8 bytes either way.
    assert_eq!(io::write(&counter, &[1, 0, 0, 0]), Err(Errno::INVAL));
    assert_eq!(io::read(&counter, &mut [0u8; 7]), Err(Errno::INVAL));
    // libc agrees on the overflow.
    let raw = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK) };
    assert!(raw >= 0);
    let max = u64::MAX.to_ne_bytes();
    let ret = unsafe { libc::write(raw, max.as_ptr().cast(), 8) };
    let err = support::errno();
    unsafe { libc::close(raw) };
    assert_eq!((ret, err), (-1, libc::EINVAL));
}

#[test]
fn eventfd_blocking_read_waits_for_a_write() {
    let _check = common::FdCheck::new();
    let counter = std::sync::Arc::new(eventfd(0, EventfdFlags::empty()).unwrap());
    let writer = std::sync::Arc::clone(&counter);
    let thread = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        write_u64(&writer, 42).unwrap();
    });
    assert_eq!(read_u64(&counter), Ok(42));
    thread.join().unwrap();
}

#[test]
fn eventfd_flags_reach_the_fd_and_unknown_bits_are_einval() {
    let _check = common::FdCheck::new();
    let plain = eventfd(0, EventfdFlags::empty()).unwrap();
    assert_eq!(
        common::libc_fd_flags(plain.as_raw_fd()) & libc::FD_CLOEXEC,
        0
    );
    assert_eq!(
        common::libc_status_flags(plain.as_raw_fd()) & libc::O_NONBLOCK,
        0
    );
    let flagged = eventfd(0, EventfdFlags::CLOEXEC | EventfdFlags::NONBLOCK).unwrap();
    assert_eq!(
        common::libc_fd_flags(flagged.as_raw_fd()) & libc::FD_CLOEXEC,
        libc::FD_CLOEXEC
    );
    assert_eq!(
        common::libc_status_flags(flagged.as_raw_fd()) & libc::O_NONBLOCK,
        libc::O_NONBLOCK
    );
    drop((plain, flagged));
    let fd = eventfd(1, EventfdFlags::empty()).unwrap();
    common::assert_lowest_free(fd.as_raw_fd(), 0);
    drop(fd);
    // Bits beyond EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE: the kernel's EINVAL, libc's too.
    let mut dropped = false;
    for bits in [0x4u32, 0x10, 1 << 30, u32::MAX] {
        let ours = eventfd(0, EventfdFlags::from_bits_retain(bits)).map(drop);
        let theirs = match unsafe { libc::eventfd(0, bits as i32) } {
            -1 => Err(support::errno()),
            fd => {
                unsafe { libc::close(fd) };
                Ok(())
            }
        };
        dropped |= support::unknown_flags_refused(bits, ours, theirs);
    }
    if dropped {
        common::skip(
            "eventfd_flags_reach_the_fd_and_unknown_bits_are_einval",
            support::QEMU_DROPS_FLAGS,
        );
    }
}

#[test]
fn eventfd_dups_share_the_counter_and_closed_fds_are_ebadf() {
    let _check = common::FdCheck::new();
    let counter = eventfd(0, EventfdFlags::NONBLOCK).unwrap();
    let dup = io::dup(&counter).unwrap();
    write_u64(&dup, 6).unwrap();
    assert_eq!(read_u64(&counter), Ok(6));
    assert_eq!(read_u64(&dup), Err(Errno::AGAIN));
    assert_eq!(
        io::write(closed_fd(), &1u64.to_ne_bytes()),
        Err(Errno::BADF)
    );
    assert_eq!(io::read(closed_fd(), &mut [0u8; 8]), Err(Errno::BADF));
}
