//! Sockets driven by barecall's own epoll: a nonblocking `connect` completed through
//! `epoll::wait` and `SO_ERROR`, on 127.0.0.1 and ::1 (edge-triggered, the listener's accept
//! through epoll too), and a refused one (`ECONNREFUSED` through the same path, level-triggered:
//! the error bit goes once `SO_ERROR` has read the error). Loopback only, every wait bounded.

mod common;

use barecall::event::epoll::{self, CreateFlags, Event, EventData, EventFlags};
use barecall::event::Timespec;
use barecall::fd::OwnedFd;
use barecall::io::Errno;
use barecall::net::{
    accept_with, bind, connect, getpeername, getsockname, listen, recv, send, socket, socket_with,
    sockopt, AddressFamily, Ipv4Addr, Ipv6Addr, RecvFlags, SendFlags, SocketAddrAny, SocketAddrV4,
    SocketAddrV6, SocketFlags, SocketType,
};
use std::mem::MaybeUninit;

const LOCALHOST_V4: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);
const LOCALHOST_V6: SocketAddrV6 = SocketAddrV6::new(Ipv6Addr::LOCALHOST, 0, 0, 0);

/// Long enough for an emulated CPU; a test that waits this long has failed.
const TIMEOUT: Timespec = Timespec {
    tv_sec: 5,
    tv_nsec: 0,
};

const NONBLOCKING: SocketFlags = SocketFlags::NONBLOCK.union(SocketFlags::CLOEXEC);

/// Whether ::1 can be bound here; if not, reports `name` skipped (vm-init brings `lo` up, and
/// with it ::1, so only a host without IPv6 loopback skips).
fn ipv6_loopback(name: &str) -> bool {
    let probe = socket(AddressFamily::INET6, SocketType::DGRAM, None);
    match probe.and_then(|fd| bind(&fd, &LOCALHOST_V6)) {
        Ok(()) => true,
        Err(Errno::ADDRNOTAVAIL | Errno::AFNOSUPPORT) => {
            common::skip(name, "no IPv6 loopback (::1) here");
            false
        }
        Err(other) => panic!("binding ::1: {other:?}"),
    }
}

/// One `epoll::wait` that must report exactly one event (the test registers one fd at a time
/// or waits for one): its flags and data.
fn wait_one(epoll: &OwnedFd) -> (EventFlags, u64) {
    let mut events = [MaybeUninit::<Event>::uninit(); 4];
    let (ready, _) = epoll::wait(epoll, &mut events, Some(&TIMEOUT)).unwrap();
    assert_eq!(ready.len(), 1, "events: {ready:?}");
    (ready[0].flags, ready[0].data.u64())
}

/// Whether `epoll` has nothing to report right now.
fn nothing_ready(epoll: &OwnedFd) -> bool {
    let mut events = [MaybeUninit::<Event>::uninit(); 4];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let (ready, _) = epoll::wait(epoll, &mut events, Some(&now)).unwrap();
    ready.is_empty()
}

fn connect_through_epoll(local: SocketAddrAny) {
    let epoll = epoll::create(CreateFlags::CLOEXEC).unwrap();
    let listener = socket_with(
        local.address_family(),
        SocketType::STREAM,
        NONBLOCKING,
        None,
    )
    .unwrap();
    bind(&listener, &local).unwrap();
    listen(&listener, 4).unwrap();
    let bound = getsockname(&listener).unwrap();
    let edge = EventFlags::ET;
    epoll::add(
        &epoll,
        &listener,
        EventData::new_u64(1),
        EventFlags::IN | edge,
    )
    .unwrap();
    // No connection yet: nothing to accept, and nothing reported.
    assert_eq!(
        accept_with(&listener, NONBLOCKING).err(),
        Some(Errno::AGAIN)
    );
    assert!(nothing_ready(&epoll));

    let client = socket_with(
        local.address_family(),
        SocketType::STREAM,
        NONBLOCKING,
        None,
    )
    .unwrap();
    let interest = EventFlags::OUT | EventFlags::IN | EventFlags::RDHUP | edge;
    match connect(&client, &bound) {
        Ok(()) | Err(Errno::INPROGRESS) => {}
        other => panic!("nonblocking connect to {bound:?}: {other:?}"),
    }
    epoll::add(&epoll, &client, EventData::new_u64(2), interest).unwrap();

    // The listener becomes readable and the client writable, in either order.
    let mut seen = [EventFlags::empty(); 2];
    while seen.iter().any(EventFlags::is_empty) {
        let (flags, data) = wait_one_or_two(&epoll, &mut seen);
        assert!(data == 1 || data == 2, "data {data}, flags {flags:?}");
    }
    assert!(seen[0].contains(EventFlags::IN), "listener: {:?}", seen[0]);
    assert!(seen[1].contains(EventFlags::OUT), "client: {:?}", seen[1]);
    assert!(
        !seen[1].intersects(EventFlags::ERR | EventFlags::HUP | EventFlags::IN),
        "client: {:?}",
        seen[1]
    );
    assert_eq!(sockopt::socket_error(&client), Ok(Ok(())));
    assert_eq!(getpeername(&client).unwrap(), Some(bound));
    let server = accept_with(&listener, NONBLOCKING).unwrap();
    assert_eq!(
        getpeername(&server).unwrap(),
        Some(getsockname(&client).unwrap())
    );
    // Edge-triggered: both edges were consumed; nothing more until something happens.
    assert!(nothing_ready(&epoll));

    // A byte from the server: one IN edge for the client, and the byte.
    epoll::add(&epoll, &server, EventData::new_u64(3), interest).unwrap();
    assert_eq!(wait_one(&epoll), (EventFlags::OUT, 3));
    assert_eq!(send(&server, b"x", SendFlags::NOSIGNAL), Ok(1));
    let (flags, data) = wait_one(&epoll);
    assert_eq!(data, 2);
    assert!(
        flags.contains(EventFlags::IN | EventFlags::OUT),
        "{flags:?}"
    );
    let mut buf = [0u8; 4];
    assert_eq!(recv(&client, &mut buf, RecvFlags::empty()), Ok((1, 1)));
    assert_eq!(buf[0], b'x');
    // The client's close: the server sees IN and RDHUP (the end of the stream).
    drop(client);
    let (flags, data) = wait_one(&epoll);
    assert_eq!(data, 3);
    assert!(
        flags.contains(EventFlags::IN | EventFlags::RDHUP),
        "{flags:?}"
    );
    assert_eq!(recv(&server, &mut buf, RecvFlags::empty()), Ok((0, 0)));
}

/// Waits for one or two events and adds each to `seen` (at index data - 1).
fn wait_one_or_two(epoll: &OwnedFd, seen: &mut [EventFlags; 2]) -> (EventFlags, u64) {
    let mut events = [MaybeUninit::<Event>::uninit(); 4];
    let (ready, _) = epoll::wait(epoll, &mut events, Some(&TIMEOUT)).unwrap();
    assert!(!ready.is_empty() && ready.len() <= 2, "events: {ready:?}");
    let mut last = (EventFlags::empty(), 0);
    for event in ready.iter() {
        let (flags, data) = (event.flags, event.data.u64());
        assert!(data == 1 || data == 2, "data {data}");
        // A second wakeup of the same fd may come before the other's first.
        seen[data as usize - 1] |= flags;
        last = (flags, data);
    }
    last
}

#[test]
fn nonblocking_connect_completes_through_epoll_v4() {
    let _check = common::FdCheck::new();
    connect_through_epoll(LOCALHOST_V4.into());
}

#[test]
fn nonblocking_connect_completes_through_epoll_v6() {
    let _check = common::FdCheck::new();
    if ipv6_loopback("nonblocking_connect_completes_through_epoll_v6") {
        connect_through_epoll(LOCALHOST_V6.into());
    }
}

/// What a refused nonblocking connect goes through, as answers: the connect, the epoll events,
/// `SO_ERROR` twice, the events after, the next connect, and the one after that.
#[derive(Debug, PartialEq, Eq)]
struct Refusal {
    connect: Option<Errno>,
    events: u32,
    error: Option<Errno>,
    error_again: Option<Errno>,
    events_after: u32,
    reconnect: Option<Errno>,
    third: Option<Errno>,
}

/// The attempt through barecall, or `None` if the connect was refused at once.
fn refusal_barecall(addr: &SocketAddrAny, epoll: &OwnedFd, token: u64) -> Option<Refusal> {
    let client = socket_with(AddressFamily::INET, SocketType::STREAM, NONBLOCKING, None).unwrap();
    let connect_result = connect(&client, addr).err();
    match connect_result {
        Some(Errno::INPROGRESS) => {}
        Some(Errno::CONNREFUSED) => return None,
        other => panic!("nonblocking connect: {other:?}"),
    }
    let interest = EventFlags::OUT | EventFlags::IN;
    epoll::add(epoll, &client, EventData::new_u64(token), interest).unwrap();
    let (events, data) = wait_one(epoll);
    assert_eq!(data, token);
    let error = sockopt::socket_error(&client).unwrap().err();
    let error_again = sockopt::socket_error(&client).unwrap().err();
    // Level-triggered: the socket is still reported.
    let (events_after, _) = wait_one(epoll);
    let reconnect = connect(&client, addr).err();
    let third = connect(&client, addr).err();
    epoll::delete(epoll, &client).unwrap();
    Some(Refusal {
        connect: connect_result,
        events: events.bits(),
        error,
        error_again,
        events_after: events_after.bits(),
        reconnect,
        third,
    })
}

/// The same through libc, on its own socket and epoll instance.
fn refusal_libc(addr: &SocketAddrV4) -> Option<Refusal> {
    let errno =
        || Errno::from_raw_os_error(std::io::Error::last_os_error().raw_os_error().unwrap());
    let sin = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: addr.port().to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(*addr.ip()).to_be(),
        },
        sin_zero: [0; 8],
    };
    let len = std::mem::size_of_val(&sin) as libc::socklen_t;
    unsafe {
        let fd = libc::socket(
            libc::AF_INET,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        );
        assert!(fd >= 0);
        let ep = libc::epoll_create1(libc::EPOLL_CLOEXEC);
        assert!(ep >= 0);
        let connect = |fd| {
            let r = libc::connect(fd, (&sin as *const libc::sockaddr_in).cast(), len);
            if r == 0 {
                None
            } else {
                Some(errno())
            }
        };
        let wait = || {
            let mut ev = libc::epoll_event { events: 0, u64: 0 };
            assert_eq!(libc::epoll_wait(ep, &mut ev, 1, 5000), 1);
            ev.events
        };
        let so_error = |fd| {
            let mut value: libc::c_int = -1;
            let mut size = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
            let r = libc::getsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_ERROR,
                (&mut value as *mut libc::c_int).cast(),
                &mut size,
            );
            assert_eq!(r, 0);
            (value != 0).then(|| Errno::from_raw_os_error(value))
        };
        let first = connect(fd);
        let result = if first == Some(Errno::CONNREFUSED) {
            None
        } else {
            assert_eq!(first, Some(Errno::INPROGRESS));
            let mut ev = libc::epoll_event {
                events: (libc::EPOLLOUT | libc::EPOLLIN) as u32,
                u64: 7,
            };
            assert_eq!(libc::epoll_ctl(ep, libc::EPOLL_CTL_ADD, fd, &mut ev), 0);
            let events = wait();
            let error = so_error(fd);
            let error_again = so_error(fd);
            let events_after = wait();
            let reconnect = connect(fd);
            let third = connect(fd);
            Some(Refusal {
                connect: first,
                events,
                error,
                error_again,
                events_after,
                reconnect,
                third,
            })
        };
        libc::close(ep);
        libc::close(fd);
        result
    }
}

#[test]
fn refused_nonblocking_connect_is_econnrefused_through_epoll() {
    let _check = common::FdCheck::new();
    // A bound socket that does not listen: its port refuses connections.
    let holder = socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    bind(&holder, &LOCALHOST_V4).unwrap();
    let addr = getsockname(&holder).unwrap();
    let addr_v4 = SocketAddrV4::try_from(addr.clone()).unwrap();
    let epoll = epoll::create(CreateFlags::CLOEXEC).unwrap();
    // Linux answers a nonblocking connect with EINPROGRESS, the refusal arriving after; a
    // refusal at once would leave nothing for epoll to report, so try a few times.
    let mut through_epoll = 0;
    for attempt in 0..5 {
        let Some(ours) = refusal_barecall(&addr, &epoll, attempt) else {
            continue;
        };
        // A refused connection is an error and a hang-up (ERR and HUP are reported asked for
        // or not); SO_ERROR gives ECONNREFUSED once, then reading it has cleared it; the
        // socket stays hung up but no longer in error.
        let events = EventFlags::from_bits_retain(ours.events);
        assert!(
            events.contains(EventFlags::ERR | EventFlags::HUP),
            "{ours:?}"
        );
        assert_eq!(ours.error, Some(Errno::CONNREFUSED), "{ours:?}");
        assert_eq!(ours.error_again, None, "{ours:?}");
        let after = EventFlags::from_bits_retain(ours.events_after);
        assert!(
            after.contains(EventFlags::HUP) && !after.contains(EventFlags::ERR),
            "{ours:?}"
        );
        // The next connect finds the attempt over and its error read: ECONNABORTED; the one
        // after starts afresh.
        assert_eq!(ours.reconnect, Some(Errno::CONNABORTED), "{ours:?}");
        assert!(
            matches!(ours.third, Some(Errno::INPROGRESS | Errno::CONNREFUSED)),
            "{ours:?}"
        );
        // libc, through the same calls on a twin socket, sees the same (a refusal at once
        // leaves it nothing to compare).
        if let Some(theirs) = refusal_libc(&addr_v4) {
            assert_eq!(ours, theirs);
        }
        through_epoll += 1;
    }
    assert!(through_epoll > 0, "every connect was refused at once");
}
