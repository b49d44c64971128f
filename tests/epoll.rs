//! The event module's `epoll`: readiness (level- and edge-triggered, `ONESHOT`), the interest
//! list (`add`, `modify`, `delete`), every `Buffer` form of `wait`, 1,000 registered fds,
//! `EINTR`, and the kernel's errors, cross-checked with libc where the kernel's answer is the
//! point.

mod common;
#[path = "event_support/mod.rs"]
mod support;

use barecall::buffer::spare_capacity;
use barecall::event::epoll::{self, CreateFlags, Event, EventData, EventFlags};
use barecall::event::{eventfd, EventfdFlags};
use barecall::io::{self, Errno};
use barecall::pipe::pipe;
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::time::{Duration, Instant};
use support::{interrupted, ts, NOW};

fn closed_fd() -> BorrowedFd<'static> {
    assert!(!common::is_open(900));
    unsafe { BorrowedFd::borrow_raw(900) }
}

fn data(n: u64) -> EventData {
    EventData::new_u64(n)
}

fn new_epoll() -> OwnedFd {
    epoll::create(CreateFlags::CLOEXEC).unwrap()
}

/// The events ready now, as (flags, data) pairs sorted by data.
fn ready_now(epoll: &OwnedFd) -> Vec<(EventFlags, u64)> {
    let mut events = [MaybeUninit::<Event>::uninit(); 64];
    let (ready, _) = epoll::wait(epoll, &mut events, Some(&NOW)).unwrap();
    let mut pairs: Vec<(EventFlags, u64)> = ready.iter().map(|e| (e.flags, e.data.u64())).collect();
    pairs.sort_by_key(|&(_, d)| d);
    pairs
}

fn poke(counter: &OwnedFd, n: u64) {
    io::write(counter, &n.to_ne_bytes()).unwrap();
}

fn drain(counter: &OwnedFd) -> u64 {
    let mut buf = [0u8; 8];
    io::read(counter, &mut buf).unwrap();
    u64::from_ne_bytes(buf)
}

/// libc's `epoll_ctl` on raw fds: 0 or the errno.
fn libc_ctl(epoll: i32, op: i32, fd: i32, events: u32, data: u64) -> i32 {
    let mut event = libc::epoll_event { events, u64: data };
    if unsafe { libc::epoll_ctl(epoll, op, fd, &mut event) } == 0 {
        0
    } else {
        support::errno()
    }
}

fn errno_of(result: io::Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(err) => err.raw_os_error(),
    }
}

// ---- create ----------------------------------------------------------------------------------

#[test]
fn create_sets_cloexec_and_refuses_unknown_bits() {
    let _check = common::FdCheck::new();
    let plain = epoll::create(CreateFlags::empty()).unwrap();
    assert_eq!(
        common::libc_fd_flags(plain.as_raw_fd()) & libc::FD_CLOEXEC,
        0
    );
    let cloexec = epoll::create(CreateFlags::CLOEXEC).unwrap();
    assert_eq!(
        common::libc_fd_flags(cloexec.as_raw_fd()) & libc::FD_CLOEXEC,
        libc::FD_CLOEXEC
    );
    drop((plain, cloexec));
    let fd = epoll::create(CreateFlags::empty()).unwrap();
    common::assert_lowest_free(fd.as_raw_fd(), 0);
    drop(fd);
    let mut dropped = false;
    for bits in [1u32, libc::O_NONBLOCK as u32, 1 << 30, u32::MAX] {
        let ours = epoll::create(CreateFlags::from_bits_retain(bits)).map(drop);
        let theirs = match unsafe { libc::epoll_create1(bits as i32) } {
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
            "create_sets_cloexec_and_refuses_unknown_bits",
            support::QEMU_DROPS_FLAGS,
        );
    }
}

#[test]
fn event_layout_is_libcs() {
    // Packed on x86_64 only, as `struct epoll_event` is (`__EPOLL_PACKED`).
    assert_eq!(
        std::mem::size_of::<Event>(),
        std::mem::size_of::<libc::epoll_event>()
    );
    assert_eq!(
        std::mem::align_of::<Event>(),
        std::mem::align_of::<libc::epoll_event>()
    );
    let expected = if cfg!(target_arch = "x86_64") { 12 } else { 16 };
    assert_eq!(std::mem::size_of::<Event>(), expected);
    let event = Event {
        flags: EventFlags::IN | EventFlags::ET,
        data: data(0x0102_0304_0506_0708),
    };
    let raw: libc::epoll_event = unsafe { std::mem::transmute(event) };
    let (events, u64) = (raw.events, raw.u64);
    assert_eq!(
        (events, u64),
        (
            libc::EPOLLIN as u32 | libc::EPOLLET as u32,
            0x0102_0304_0506_0708
        )
    );
    assert_eq!(
        format!("{event:?}"),
        "Event { flags: EventFlags(IN | ET), data: EventData(0x102030405060708) }"
    );
    assert_eq!(EventFlags::default(), EventFlags::empty());
}

// ---- readiness -------------------------------------------------------------------------------

#[test]
fn level_triggered_reports_for_as_long_as_it_lasts() {
    let _check = common::FdCheck::new();
    let epoll = new_epoll();
    let counter = eventfd(0, EventfdFlags::NONBLOCK).unwrap();
    let (reader, writer) = pipe().unwrap();
    epoll::add(&epoll, &counter, data(1), EventFlags::IN).unwrap();
    epoll::add(&epoll, &reader, data(2), EventFlags::IN).unwrap();
    epoll::add(&epoll, &writer, data(3), EventFlags::OUT).unwrap();
    assert_eq!(ready_now(&epoll), [(EventFlags::OUT, 3)]);
    poke(&counter, 1);
    io::write(&writer, b"abc").unwrap();
    let all = [
        (EventFlags::IN, 1),
        (EventFlags::IN, 2),
        (EventFlags::OUT, 3),
    ];
    assert_eq!(ready_now(&epoll), all);
    // Still ready, so still reported.
    assert_eq!(ready_now(&epoll), all);
    drain(&counter);
    io::read(&reader, &mut [0u8; 2]).unwrap();
    assert_eq!(
        ready_now(&epoll),
        [(EventFlags::IN, 2), (EventFlags::OUT, 3)]
    );
    io::read(&reader, &mut [0u8; 2]).unwrap();
    assert_eq!(ready_now(&epoll), [(EventFlags::OUT, 3)]);
    // The writer gone: the reader hangs up, reported without being asked for.
    drop(writer);
    assert_eq!(ready_now(&epoll), [(EventFlags::HUP, 2)]);
}

#[test]
fn edge_triggered_reports_each_change_once() {
    let _check = common::FdCheck::new();
    let epoll = new_epoll();
    let (reader, writer) = pipe().unwrap();
    epoll::add(&epoll, &reader, data(7), EventFlags::IN | EventFlags::ET).unwrap();
    assert_eq!(ready_now(&epoll), []);
    io::write(&writer, b"a").unwrap();
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 7)]);
    // Data still there, but no new edge.
    assert_eq!(ready_now(&epoll), []);
    io::write(&writer, b"b").unwrap();
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 7)]);
    assert_eq!(ready_now(&epoll), []);
    let mut buf = [0u8; 4];
    assert_eq!(io::read(&reader, &mut buf), Ok(2));
    assert_eq!(ready_now(&epoll), []);
    // An eventfd: every write is an edge.
    let counter = eventfd(0, EventfdFlags::NONBLOCK).unwrap();
    epoll::add(&epoll, &counter, data(8), EventFlags::IN | EventFlags::ET).unwrap();
    poke(&counter, 1);
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 8)]);
    assert_eq!(ready_now(&epoll), []);
    poke(&counter, 1);
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 8)]);
    assert_eq!(drain(&counter), 2);
}

#[test]
fn oneshot_reports_once_until_modify_rearms() {
    let _check = common::FdCheck::new();
    let epoll = new_epoll();
    let counter = eventfd(1, EventfdFlags::NONBLOCK).unwrap();
    epoll::add(
        &epoll,
        &counter,
        data(5),
        EventFlags::IN | EventFlags::ONESHOT,
    )
    .unwrap();
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 5)]);
    // Disabled, though still readable and still registered.
    assert_eq!(ready_now(&epoll), []);
    poke(&counter, 1);
    assert_eq!(ready_now(&epoll), []);
    assert_eq!(
        epoll::add(&epoll, &counter, data(5), EventFlags::IN),
        Err(Errno::EXIST)
    );
    epoll::modify(
        &epoll,
        &counter,
        data(6),
        EventFlags::IN | EventFlags::ONESHOT,
    )
    .unwrap();
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 6)]);
    assert_eq!(ready_now(&epoll), []);
    epoll::delete(&epoll, &counter).unwrap();
}

#[test]
fn modify_changes_events_and_data() {
    let _check = common::FdCheck::new();
    let epoll = new_epoll();
    let counter = eventfd(0, EventfdFlags::NONBLOCK).unwrap();
    epoll::add(&epoll, &counter, data(1), EventFlags::IN).unwrap();
    assert_eq!(ready_now(&epoll), []);
    epoll::modify(&epoll, &counter, data(2), EventFlags::OUT).unwrap();
    assert_eq!(ready_now(&epoll), [(EventFlags::OUT, 2)]);
    epoll::modify(
        &epoll,
        &counter,
        data(u64::MAX),
        EventFlags::IN | EventFlags::OUT,
    )
    .unwrap();
    poke(&counter, 3);
    assert_eq!(
        ready_now(&epoll),
        [(EventFlags::IN | EventFlags::OUT, u64::MAX)]
    );
    // Interest in nothing: only ERR and HUP could still come.
    epoll::modify(&epoll, &counter, data(4), EventFlags::empty()).unwrap();
    assert_eq!(ready_now(&epoll), []);
    // A pointer as the data, with its provenance.
    let mut slot = 0u32;
    let ptr = (&mut slot as *mut u32).cast();
    epoll::modify(&epoll, &counter, EventData::new_ptr(ptr), EventFlags::IN).unwrap();
    let mut events = [MaybeUninit::<Event>::uninit(); 2];
    let (ready, _) = epoll::wait(&epoll, &mut events, Some(&NOW)).unwrap();
    assert_eq!(ready.len(), 1);
    let got = ready[0].data;
    assert_eq!(got.ptr(), ptr);
    unsafe { *got.ptr().cast::<u32>() = 9 };
    assert_eq!(slot, 9);
    // Not registered: ENOENT; EXCLUSIVE cannot be modified in.
    let other = eventfd(0, EventfdFlags::NONBLOCK).unwrap();
    assert_eq!(
        epoll::modify(&epoll, &other, data(0), EventFlags::IN),
        Err(Errno::NOENT)
    );
    assert_eq!(
        epoll::modify(
            &epoll,
            &counter,
            data(0),
            EventFlags::IN | EventFlags::EXCLUSIVE
        ),
        Err(Errno::INVAL)
    );
}

#[test]
fn delete_removes_and_a_closed_fd_is_ebadf() {
    let _check = common::FdCheck::new();
    let epoll = new_epoll();
    let counter = eventfd(1, EventfdFlags::NONBLOCK).unwrap();
    epoll::add(&epoll, &counter, data(1), EventFlags::IN).unwrap();
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 1)]);
    epoll::delete(&epoll, &counter).unwrap();
    assert_eq!(ready_now(&epoll), []);
    assert_eq!(epoll::delete(&epoll, &counter), Err(Errno::NOENT));
    // Registered, then closed: the entry goes with the file, and the number is EBADF.
    let closing = eventfd(1, EventfdFlags::NONBLOCK).unwrap();
    epoll::add(&epoll, &closing, data(2), EventFlags::IN).unwrap();
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 2)]);
    let number = closing.as_raw_fd();
    drop(closing);
    assert_eq!(ready_now(&epoll), []);
    let stale = unsafe { BorrowedFd::borrow_raw(number) };
    assert_eq!(epoll::delete(&epoll, stale), Err(Errno::BADF));
    assert_eq!(
        unsafe {
            libc::epoll_ctl(
                epoll.as_raw_fd(),
                libc::EPOLL_CTL_DEL,
                number,
                std::ptr::null_mut(),
            )
        },
        -1
    );
    assert_eq!(support::errno(), libc::EBADF);
    // Closed while a dup stays open: the entry (keyed by the file and the fd number together)
    // stays and keeps reporting, and the dup, another number, does not name it: ENOENT, as
    // libc says. Closing the last fd of the file removes it.
    let original = eventfd(1, EventfdFlags::NONBLOCK).unwrap();
    epoll::add(&epoll, &original, data(3), EventFlags::IN).unwrap();
    let dup = io::dup(&original).unwrap();
    drop(original);
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 3)]);
    assert_eq!(epoll::delete(&epoll, &dup), Err(Errno::NOENT));
    assert_eq!(
        unsafe {
            libc::epoll_ctl(
                epoll.as_raw_fd(),
                libc::EPOLL_CTL_DEL,
                dup.as_raw_fd(),
                std::ptr::null_mut(),
            )
        },
        -1
    );
    assert_eq!(support::errno(), libc::ENOENT);
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 3)]);
    drop(dup);
    assert_eq!(ready_now(&epoll), []);
}

#[test]
fn bad_fds_and_wrong_kinds_are_the_kernels_errors() {
    let _check = common::FdCheck::new();
    let epoll = new_epoll();
    let counter = eventfd(0, EventfdFlags::NONBLOCK).unwrap();
    let (reader, _writer) = pipe().unwrap();
    let file = common::scratch_file();
    let mut events = [MaybeUninit::<Event>::uninit(); 4];
    // A closed epoll fd, or a closed source.
    assert_eq!(
        epoll::add(closed_fd(), &counter, data(0), EventFlags::IN),
        Err(Errno::BADF)
    );
    assert_eq!(
        epoll::add(&epoll, closed_fd(), data(0), EventFlags::IN),
        Err(Errno::BADF)
    );
    assert_eq!(
        epoll::modify(&epoll, closed_fd(), data(0), EventFlags::IN),
        Err(Errno::BADF)
    );
    assert_eq!(epoll::delete(closed_fd(), &counter), Err(Errno::BADF));
    assert_eq!(
        epoll::wait(closed_fd(), &mut events, Some(&NOW)).map(|(r, _)| r.len()),
        Err(Errno::BADF)
    );
    // Not an epoll fd: EINVAL.
    assert_eq!(
        epoll::add(&reader, &counter, data(0), EventFlags::IN),
        Err(Errno::INVAL)
    );
    assert_eq!(
        epoll::wait(&reader, &mut events, Some(&NOW)).map(|(r, _)| r.len()),
        Err(Errno::INVAL)
    );
    // An epoll fd watching itself: EINVAL. A regular file cannot be polled: EPERM.
    assert_eq!(
        epoll::add(&epoll, &epoll, data(0), EventFlags::IN),
        Err(Errno::INVAL)
    );
    assert_eq!(
        epoll::add(&epoll, &file, data(0), EventFlags::IN),
        Err(Errno::PERM)
    );
    assert_eq!(
        libc_ctl(
            epoll.as_raw_fd(),
            libc::EPOLL_CTL_ADD,
            file.as_raw_fd(),
            libc::EPOLLIN as u32,
            0
        ),
        libc::EPERM
    );
    // Another epoll instance can be watched.
    let inner = new_epoll();
    epoll::add(&epoll, &inner, data(9), EventFlags::IN).unwrap();
    epoll::add(&inner, &counter, data(1), EventFlags::IN).unwrap();
    assert_eq!(ready_now(&epoll), []);
    poke(&counter, 1);
    assert_eq!(ready_now(&epoll), [(EventFlags::IN, 9)]);
}

#[test]
fn unknown_event_bits_are_the_kernels_business() {
    let _check = common::FdCheck::new();
    let ours = new_epoll();
    let theirs = new_epoll();
    let counter = eventfd(1, EventfdFlags::NONBLOCK).unwrap();
    // Bits no `EPOLL*` names, alone and with EXCLUSIVE (which allows only a few others).
    for bits in [
        1u32 << 20,
        1 << 15,
        0x0FFF_0000,
        1 << 20 | libc::EPOLLEXCLUSIVE as u32,
    ] {
        let flags = EventFlags::IN | EventFlags::from_bits_retain(bits);
        let a = errno_of(epoll::add(&ours, &counter, data(1), flags));
        let b = libc_ctl(
            theirs.as_raw_fd(),
            libc::EPOLL_CTL_ADD,
            counter.as_raw_fd(),
            flags.bits(),
            1,
        );
        assert_eq!(a, b, "add {bits:#x}");
        if a == 0 {
            assert_eq!(ready_now(&ours), [(EventFlags::IN, 1)], "{bits:#x}");
            let a = errno_of(epoll::modify(&ours, &counter, data(2), flags));
            let b = libc_ctl(
                theirs.as_raw_fd(),
                libc::EPOLL_CTL_MOD,
                counter.as_raw_fd(),
                flags.bits(),
                2,
            );
            assert_eq!(a, b, "modify {bits:#x}");
            epoll::delete(&ours, &counter).unwrap();
            epoll::delete(&theirs, &counter).unwrap();
        }
    }
    // EXCLUSIVE with a bit it does not allow (ONESHOT) is EINVAL.
    assert_eq!(
        epoll::add(
            &ours,
            &counter,
            data(1),
            EventFlags::IN | EventFlags::EXCLUSIVE | EventFlags::ONESHOT
        ),
        Err(Errno::INVAL)
    );
}

// ---- wait ------------------------------------------------------------------------------------

#[test]
fn wait_takes_every_buffer_form() {
    let _check = common::FdCheck::new();
    let epoll = new_epoll();
    let counters: Vec<OwnedFd> = (0..3)
        .map(|_| eventfd(1, EventfdFlags::NONBLOCK).unwrap())
        .collect();
    for (i, counter) in counters.iter().enumerate() {
        epoll::add(&epoll, counter, data(i as u64 + 10), EventFlags::IN).unwrap();
    }
    let sorted = |events: &[Event]| {
        let mut d: Vec<u64> = events.iter().map(|e| e.data.u64()).collect();
        d.sort_unstable();
        d
    };
    let blank = Event {
        flags: EventFlags::empty(),
        data: data(0),
    };
    // Initialized slice and array: the count.
    let mut array = [blank; 8];
    assert_eq!(epoll::wait(&epoll, &mut array, Some(&NOW)), Ok(3));
    assert_eq!(sorted(&array[..3]), [10, 11, 12]);
    assert_eq!(array[3], blank);
    assert_eq!(epoll::wait(&epoll, &mut array[..], Some(&NOW)), Ok(3));
    // Uninitialized slice and array: the filled part and the rest.
    let mut uninit = [MaybeUninit::<Event>::uninit(); 5];
    let (filled, rest) = epoll::wait(&epoll, &mut uninit[..], Some(&NOW)).unwrap();
    assert_eq!((sorted(filled), rest.len()), (vec![10, 11, 12], 2));
    let (filled, rest) = epoll::wait(&epoll, &mut uninit, Some(&NOW)).unwrap();
    assert_eq!((filled.len(), rest.len()), (3, 2));
    // A Vec: its length; its spare capacity, appended to.
    let mut vec = vec![blank; 2];
    assert_eq!(epoll::wait(&epoll, &mut vec, Some(&NOW)), Ok(2));
    let mut list = Vec::with_capacity(4);
    list.push(blank);
    assert_eq!(
        epoll::wait(&epoll, spare_capacity(&mut list), Some(&NOW)),
        Ok(3)
    );
    assert_eq!(list.len(), 4);
    assert_eq!(list[0], blank);
    assert_eq!(sorted(&list[1..]), [10, 11, 12]);
    let mut vec_uninit = vec![MaybeUninit::<Event>::uninit(); 3];
    let (filled, rest) = epoll::wait(&epoll, &mut vec_uninit, Some(&NOW)).unwrap();
    assert_eq!((filled.len(), rest.len()), (3, 0));
    // A buffer smaller than what is ready: that many now, the others next (round robin).
    let mut one = [blank; 1];
    let mut seen = Vec::new();
    for _ in 0..3 {
        assert_eq!(epoll::wait(&epoll, &mut one, Some(&NOW)), Ok(1));
        seen.push(one[0].data.u64());
    }
    seen.sort_unstable();
    assert_eq!(seen, [10, 11, 12]);
    // Nothing to read into: the kernel's EINVAL, also for a full Vec's spare capacity.
    assert_eq!(
        epoll::wait(&epoll, &mut [] as &mut [Event], Some(&NOW)),
        Err(Errno::INVAL)
    );
    let mut full: Vec<Event> = Vec::new();
    assert_eq!(
        epoll::wait(&epoll, spare_capacity(&mut full), Some(&NOW)),
        Err(Errno::INVAL)
    );
    assert!(full.is_empty());
}

#[test]
fn wait_zero_timeout_returns_at_once_and_short_timeout_waits_it_out() {
    let _check = common::FdCheck::new();
    let epoll = new_epoll();
    let counter = eventfd(0, EventfdFlags::NONBLOCK).unwrap();
    epoll::add(&epoll, &counter, data(1), EventFlags::IN).unwrap();
    let mut events = [MaybeUninit::<Event>::uninit(); 4];
    let start = Instant::now();
    let (ready, _) = epoll::wait(&epoll, &mut events, Some(&NOW)).unwrap();
    assert!(ready.is_empty());
    assert!(start.elapsed() < support::BOUND);
    let start = Instant::now();
    let (ready, _) = epoll::wait(&epoll, &mut events, Some(&ts(0, 30_000_001))).unwrap();
    assert!(ready.is_empty());
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(30),
        "waited only {waited:?}"
    );
    assert!(waited < support::BOUND, "waited {waited:?}");
    // A write from another thread ends a wait without a timeout.
    let writer = io::dup(&counter).unwrap();
    let thread = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        poke(&writer, 1);
    });
    let (ready, _) = epoll::wait(&epoll, &mut events, None).unwrap();
    assert_eq!(ready.len(), 1);
    assert_eq!(ready[0].data.u64(), 1);
    thread.join().unwrap();
}

#[test]
fn wait_timeouts_that_do_not_fit_are_refused_not_truncated() {
    let _check = common::FdCheck::new();
    let epoll = new_epoll();
    let counter = eventfd(1, EventfdFlags::NONBLOCK).unwrap();
    epoll::add(&epoll, &counter, data(1), EventFlags::IN).unwrap();
    let mut events = [MaybeUninit::<Event>::uninit(); 4];
    let mut count =
        |timeout| epoll::wait(&epoll, &mut events, Some(&timeout)).map(|(r, _)| r.len());
    assert_eq!(count(ts(2_147_483, 647_000_000)), Ok(1));
    for bad in [
        ts(-1, 0),
        ts(0, -1),
        ts(0, 1_000_000_000),
        ts(2_147_483, 647_000_001),
        ts(i64::MAX, 0),
    ] {
        assert_eq!(count(bad), Err(Errno::INVAL), "{bad:?}");
    }
}

#[test]
fn wait_is_interrupted_by_a_signal() {
    let _check = common::FdCheck::new();
    let epoll = new_epoll();
    let counter = eventfd(0, EventfdFlags::NONBLOCK).unwrap();
    epoll::add(&epoll, &counter, data(1), EventFlags::IN).unwrap();
    let waiter = io::dup(&epoll).unwrap();
    let unblock = io::dup(&counter).unwrap();
    let result = interrupted(
        move || {
            let mut events = [MaybeUninit::<Event>::uninit(); 4];
            epoll::wait(&waiter, &mut events, None).map(|(r, _)| r.len())
        },
        move || poke(&unblock, 1),
    );
    assert_eq!(result, Err(Errno::INTR));
    // With a timeout, and with an empty interest list.
    let empty = new_epoll();
    let result = interrupted(
        move || {
            let mut events = [MaybeUninit::<Event>::uninit(); 4];
            epoll::wait(&empty, &mut events, Some(&ts(3600, 0))).map(|(r, _)| r.len())
        },
        || {},
    );
    assert_eq!(result, Err(Errno::INTR));
}

#[test]
fn a_thousand_registered_fds() {
    let _check = common::FdCheck::new();
    const N: usize = 1000;
    let _limit = support::NofileAtLeast::new(N as u64 + 64);
    let epoll = new_epoll();
    let counters: Vec<OwnedFd> = (0..N)
        .map(|_| eventfd(0, EventfdFlags::NONBLOCK).unwrap())
        .collect();
    for (i, counter) in counters.iter().enumerate() {
        epoll::add(&epoll, counter, data(i as u64), EventFlags::IN).unwrap();
    }
    let mut events: Vec<Event> = Vec::with_capacity(N + 24);
    assert_eq!(
        epoll::wait(&epoll, spare_capacity(&mut events), Some(&NOW)),
        Ok(0)
    );
    // Every odd one ready.
    for counter in counters.iter().skip(1).step_by(2) {
        poke(counter, 1);
    }
    assert_eq!(
        epoll::wait(&epoll, spare_capacity(&mut events), Some(&NOW)),
        Ok(N / 2)
    );
    let mut got: Vec<u64> = events.iter().map(|e| e.data.u64()).collect();
    got.sort_unstable();
    assert_eq!(got, (1..N as u64).step_by(2).collect::<Vec<_>>());
    assert!(events.iter().all(|e| { e.flags } == EventFlags::IN));
    // All of them, read 100 at a time, each once.
    for counter in counters.iter().step_by(2) {
        poke(counter, 1);
    }
    let mut seen = vec![0u32; N];
    let mut chunk = [MaybeUninit::<Event>::uninit(); 100];
    for _ in 0..N / 100 {
        let (ready, _) = epoll::wait(&epoll, &mut chunk, Some(&NOW)).unwrap();
        assert_eq!(ready.len(), 100);
        for event in ready.iter() {
            let i = event.data.u64() as usize;
            seen[i] += 1;
            drain(&counters[i]);
        }
    }
    assert!(
        seen.iter().all(|&n| n == 1),
        "some fds were reported twice or never"
    );
    let (ready, _) = epoll::wait(&epoll, &mut chunk, Some(&NOW)).unwrap();
    assert!(ready.is_empty());
    // And deleted again, one by one.
    for counter in &counters {
        epoll::delete(&epoll, counter).unwrap();
    }
    assert_eq!(epoll::delete(&epoll, &counters[0]), Err(Errno::NOENT));
    drop(counters);
}
