//! The net module: sockets over socketpairs and loopback (127.0.0.1, ::1) only, with bounded
//! counts and no waits beyond a short `poll`: send and recv with their flags, UDP and TCP,
//! connection errors, shutdown, and the errors of every call (bad fd, not a socket, unknown
//! flag bits, a family mismatch), checked against libc's answers.
//!
//! Addresses are in tests/net_addr.rs, fd passing in tests/net_msg.rs, socket options in
//! tests/net_sockopt.rs.

mod common;

use barecall::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use barecall::io::{self, Errno};
use barecall::net::{
    self, accept, accept_with, acceptfrom, bind, connect, connect_unspec, getpeername, getsockname,
    listen, recv, recvfrom, send, sendto, shutdown, socket, socket_with, socketpair, sockopt,
    AddressFamily, Ipv4Addr, Ipv6Addr, RecvFlags, SendFlags, Shutdown, SocketAddrAny,
    SocketAddrUnix, SocketAddrV4, SocketAddrV6, SocketFlags, SocketType,
};
use std::mem::MaybeUninit;
use std::time::Duration;

const LOCALHOST_V4: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);
const LOCALHOST_V6: SocketAddrV6 = SocketAddrV6::new(Ipv6Addr::LOCALHOST, 0, 0, 0);

fn closed_fd() -> BorrowedFd<'static> {
    assert!(!common::is_open(900));
    unsafe { BorrowedFd::borrow_raw(900) }
}

fn errno() -> Errno {
    Errno::from_raw_os_error(std::io::Error::last_os_error().raw_os_error().unwrap())
}

fn stream_pair() -> (OwnedFd, OwnedFd) {
    socketpair(
        AddressFamily::UNIX,
        SocketType::STREAM,
        SocketFlags::CLOEXEC,
        None,
    )
    .unwrap()
}

/// Whether ::1 can be bound here; if not, reports `name` skipped.
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

/// A listening TCP socket on `addr` (port 0: the kernel picks one) and its address.
fn tcp_listener(addr: &SocketAddrAny) -> (OwnedFd, SocketAddrAny) {
    let listener = socket_with(
        addr.address_family(),
        SocketType::STREAM,
        SocketFlags::CLOEXEC,
        None,
    )
    .unwrap();
    bind(&listener, addr).unwrap();
    listen(&listener, 8).unwrap();
    let bound = getsockname(&listener).unwrap();
    (listener, bound)
}

/// A connected TCP pair over loopback: `(client, server side)`.
fn tcp_pair(addr: &SocketAddrAny) -> (OwnedFd, OwnedFd) {
    let (listener, bound) = tcp_listener(addr);
    let client = socket(addr.address_family(), SocketType::STREAM, None).unwrap();
    connect(&client, &bound).unwrap();
    let server = accept(&listener).unwrap();
    (client, server)
}

/// Waits (at most a second) for `fd` to have `events`; returns the events seen.
fn poll_for(fd: &OwnedFd, events: i16) -> i16 {
    let mut pfd = libc::pollfd {
        fd: fd.as_raw_fd(),
        events,
        revents: 0,
    };
    let n = unsafe { libc::poll(&mut pfd, 1, 1000) };
    assert_eq!(n, 1, "poll timed out");
    pfd.revents
}

// ---- socketpair, send, recv ----------------------------------------------------------------

#[test]
fn socketpair_send_recv_peek_dontwait() {
    let _check = common::FdCheck::new();
    let (a, b) = stream_pair();
    common::assert_lowest_free(a.as_raw_fd(), 0);
    assert_eq!(send(&a, b"hello", SendFlags::empty()), Ok(5));
    let mut buf = [0u8; 16];
    // PEEK leaves the bytes queued.
    assert_eq!(recv(&b, &mut buf, RecvFlags::PEEK), Ok((5, 5)));
    assert_eq!(&buf[..5], b"hello");
    let mut buf = [0u8; 3];
    assert_eq!(recv(&b, &mut buf, RecvFlags::empty()), Ok((3, 3)));
    assert_eq!(&buf, b"hel");
    let mut buf = [0u8; 16];
    assert_eq!(recv(&b, &mut buf, RecvFlags::DONTWAIT), Ok((2, 2)));
    assert_eq!(&buf[..2], b"lo");
    // Empty: DONTWAIT says so rather than block, as libc's recv does.
    assert_eq!(recv(&b, &mut buf, RecvFlags::DONTWAIT), Err(Errno::AGAIN));
    let n = unsafe {
        libc::recv(
            b.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            16,
            libc::MSG_DONTWAIT,
        )
    };
    assert_eq!((n, errno()), (-1, Errno::AGAIN));
    // Uninitialized buffers get the filled part back.
    send(&b, b"xyz", SendFlags::empty()).unwrap();
    let mut raw = [MaybeUninit::<u8>::uninit(); 8];
    let ((filled, rest), len) = recv(&a, &mut raw, RecvFlags::empty()).unwrap();
    assert_eq!((&*filled, rest.len(), len), (&b"xyz"[..], 5, 3));
    // The peer gone: recv reads the end.
    drop(a);
    assert_eq!(recv(&b, &mut buf, RecvFlags::DONTWAIT), Ok((0, 0)));
}

#[test]
fn socketpair_datagram_trunc_reports_the_whole_length() {
    let _check = common::FdCheck::new();
    let (a, b) = socketpair(
        AddressFamily::UNIX,
        SocketType::DGRAM,
        SocketFlags::empty(),
        None,
    )
    .unwrap();
    send(&a, b"0123456789", SendFlags::empty()).unwrap();
    send(&a, b"abcdef", SendFlags::empty()).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(recv(&b, &mut buf, RecvFlags::TRUNC), Ok((4, 10)));
    assert_eq!(&buf, b"0123");
    // Without TRUNC, the count is what fit; the rest of the datagram is gone either way.
    assert_eq!(recv(&b, &mut buf, RecvFlags::empty()), Ok((4, 4)));
    assert_eq!(&buf, b"abcd");
    // recvfrom on an unnamed peer: the kernel gives no address.
    send(&a, b"x", SendFlags::empty()).unwrap();
    let (n, len, addr) = recvfrom(&b, &mut buf, RecvFlags::empty()).unwrap();
    assert_eq!((n, len), (1, 1));
    // Linux reports the peer's (unnamed) unix address or none at all, by version.
    if let Some(addr) = addr {
        assert!(SocketAddrUnix::try_from(addr).unwrap().is_unnamed());
    }
}

#[test]
fn trunc_on_tcp_discards_and_an_uninit_buffer_reads_zeros() {
    let _check = common::FdCheck::new();
    // On TCP, MSG_TRUNC throws the bytes away without copying them (tcp(7)) and counts them:
    // the part of a `MaybeUninit` buffer the count covers must still be initialized (zeros),
    // and an initialized buffer keeps what it held, as through libc.
    let (a, b) = tcp_pair(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0).into());
    send(&a, b"abcdef", SendFlags::empty()).unwrap();
    assert_eq!(poll_for(&b, libc::POLLIN) & libc::POLLIN, libc::POLLIN);
    let mut uninit = [MaybeUninit::<u8>::new(0xaa); 4];
    let ((filled, rest), n) = recv(&b, &mut uninit, RecvFlags::TRUNC).unwrap();
    assert_eq!(n, 4);
    assert_eq!(filled, [0, 0, 0, 0]);
    assert!(rest.is_empty());
    let mut kept = [0x55u8; 4];
    assert_eq!(recv(&b, &mut kept, RecvFlags::TRUNC), Ok((2, 2)));
    assert_eq!(kept, [0x55; 4]);
}

#[test]
fn socket_flags_reach_the_fd() {
    let _check = common::FdCheck::new();
    let (a, b) = socketpair(
        AddressFamily::UNIX,
        SocketType::STREAM,
        SocketFlags::CLOEXEC | SocketFlags::NONBLOCK,
        None,
    )
    .unwrap();
    for fd in [&a, &b] {
        assert_eq!(common::libc_fd_flags(fd.as_raw_fd()), libc::FD_CLOEXEC);
        assert_ne!(
            common::libc_status_flags(fd.as_raw_fd()) & libc::O_NONBLOCK,
            0
        );
    }
    let mut buf = [0u8; 4];
    assert_eq!(recv(&a, &mut buf, RecvFlags::empty()), Err(Errno::AGAIN));
    let plain = socket(AddressFamily::INET, SocketType::DGRAM, None).unwrap();
    common::assert_lowest_free(plain.as_raw_fd(), 0);
    assert_eq!(common::libc_fd_flags(plain.as_raw_fd()), 0);
    assert_eq!(
        common::libc_status_flags(plain.as_raw_fd()) & libc::O_NONBLOCK,
        0
    );
    let cloexec = socket_with(
        AddressFamily::INET,
        SocketType::DGRAM,
        SocketFlags::CLOEXEC,
        Some(net::ipproto::UDP),
    )
    .unwrap();
    assert_eq!(common::libc_fd_flags(cloexec.as_raw_fd()), libc::FD_CLOEXEC);
    assert_eq!(
        sockopt::socket_protocol(&cloexec),
        Ok(Some(net::ipproto::UDP))
    );
}

// ---- UDP ------------------------------------------------------------------------------------

fn udp_round_trip(local: SocketAddrAny) {
    let family = local.address_family();
    let a = socket(family, SocketType::DGRAM, None).unwrap();
    let b = socket(family, SocketType::DGRAM, None).unwrap();
    bind(&a, &local).unwrap();
    bind(&b, &local).unwrap();
    let a_addr = getsockname(&a).unwrap();
    let b_addr = getsockname(&b).unwrap();
    assert_eq!(a_addr.address_family(), family);
    assert_ne!(a_addr, b_addr);
    assert_eq!(sendto(&a, b"datagram", SendFlags::empty(), &b_addr), Ok(8));
    let mut buf = [0u8; 32];
    let (n, len, from) = recvfrom(&b, &mut buf, RecvFlags::empty()).unwrap();
    assert_eq!((n, len, &buf[..n]), (8, 8, &b"datagram"[..]));
    assert_eq!(from, Some(a_addr.clone()));
    // Nothing more: DONTWAIT, PEEK or not.
    assert_eq!(
        recvfrom(&b, &mut buf, RecvFlags::DONTWAIT | RecvFlags::PEEK).map(|r| r.0),
        Err(Errno::AGAIN)
    );
    // Connected, `send` and `getpeername` work; `connect_unspec` undoes it.
    assert_eq!(getpeername(&a), Err(Errno::NOTCONN));
    connect(&a, &b_addr).unwrap();
    assert_eq!(getpeername(&a), Ok(Some(b_addr.clone())));
    assert_eq!(send(&a, b"two", SendFlags::empty()), Ok(3));
    assert_eq!(recv(&b, &mut buf, RecvFlags::PEEK), Ok((3, 3)));
    assert_eq!(recv(&b, &mut buf, RecvFlags::empty()), Ok((3, 3)));
    assert_eq!(&buf[..3], b"two");
    connect_unspec(&a).unwrap();
    assert_eq!(getpeername(&a), Err(Errno::NOTCONN));
    assert_eq!(send(&a, b"x", SendFlags::empty()), Err(Errno::DESTADDRREQ));
    // The address, as libc sees it (disconnecting gave up the port `bind` let the kernel
    // pick, so the socket's address is asked again).
    let a_addr = getsockname(&a).unwrap();
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of_val(&storage) as libc::socklen_t;
    let r = unsafe {
        libc::getsockname(
            a.as_raw_fd(),
            (&mut storage as *mut libc::sockaddr_storage).cast(),
            &mut len,
        )
    };
    assert_eq!(r, 0);
    assert_eq!(len, a_addr.addr_len());
    let bytes = unsafe {
        std::slice::from_raw_parts(
            (&storage as *const libc::sockaddr_storage).cast::<u8>(),
            len as usize,
        )
    };
    let ours = unsafe { std::slice::from_raw_parts(a_addr.as_ptr().cast::<u8>(), len as usize) };
    assert_eq!(bytes, ours);
}

#[test]
fn udp_over_ipv4_loopback() {
    let _check = common::FdCheck::new();
    udp_round_trip(LOCALHOST_V4.into());
    // The decoded address: 127.0.0.1 and the port libc sees, in host order.
    let fd = socket(AddressFamily::INET, SocketType::DGRAM, None).unwrap();
    bind(&fd, &LOCALHOST_V4).unwrap();
    let addr = SocketAddrV4::try_from(getsockname(&fd).unwrap()).unwrap();
    assert_eq!(*addr.ip(), Ipv4Addr::LOCALHOST);
    let mut sin: libc::sockaddr_in = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of_val(&sin) as libc::socklen_t;
    unsafe {
        libc::getsockname(
            fd.as_raw_fd(),
            (&mut sin as *mut libc::sockaddr_in).cast(),
            &mut len,
        )
    };
    assert_eq!(addr.port(), u16::from_be(sin.sin_port));
    assert_ne!(addr.port(), 0);
}

#[test]
fn udp_over_ipv6_loopback() {
    let _check = common::FdCheck::new();
    if !ipv6_loopback("udp_over_ipv6_loopback") {
        return;
    }
    udp_round_trip(LOCALHOST_V6.into());
    let fd = socket(AddressFamily::INET6, SocketType::DGRAM, None).unwrap();
    bind(&fd, &LOCALHOST_V6).unwrap();
    let addr = SocketAddrV6::try_from(getsockname(&fd).unwrap()).unwrap();
    assert_eq!(*addr.ip(), Ipv6Addr::LOCALHOST);
    let mut sin6: libc::sockaddr_in6 = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of_val(&sin6) as libc::socklen_t;
    unsafe {
        libc::getsockname(
            fd.as_raw_fd(),
            (&mut sin6 as *mut libc::sockaddr_in6).cast(),
            &mut len,
        )
    };
    assert_eq!(addr.port(), u16::from_be(sin6.sin6_port));
    assert_eq!(
        SocketAddrV4::try_from(getsockname(&fd).unwrap()),
        Err(Errno::AFNOSUPPORT)
    );
}

// ---- TCP ------------------------------------------------------------------------------------

fn tcp_round_trip(local: SocketAddrAny) {
    let family = local.address_family();
    let (listener, bound) = tcp_listener(&local);
    assert_eq!(sockopt::socket_acceptconn(&listener), Ok(true));
    let client = socket(family, SocketType::STREAM, None).unwrap();
    assert_eq!(sockopt::socket_acceptconn(&client), Ok(false));
    connect(&client, &bound).unwrap();
    let (server, peer) = acceptfrom(&listener).unwrap();
    assert_eq!(peer, Some(getsockname(&client).unwrap()));
    assert_eq!(getpeername(&client), Ok(Some(bound.clone())));
    assert_eq!(
        getpeername(&server),
        Ok(Some(getsockname(&client).unwrap()))
    );
    assert_eq!(getsockname(&server), Ok(bound.clone()));
    // Both ways, bytes as sent.
    let message: Vec<u8> = (0..=255).collect();
    assert_eq!(send(&client, &message, SendFlags::empty()), Ok(256));
    let mut buf = vec![0u8; 512];
    let mut got = 0;
    while got < 256 {
        let (n, _) = recv(&server, &mut buf[got..], RecvFlags::empty()).unwrap();
        assert_ne!(n, 0);
        got += n;
    }
    assert_eq!(&buf[..256], &message[..]);
    send(&server, b"reply", SendFlags::empty()).unwrap();
    let mut buf = [0u8; 5];
    assert_eq!(recv(&client, &mut buf, RecvFlags::WAITALL), Ok((5, 5)));
    assert_eq!(&buf, b"reply");
    // TCP's recvfrom gives no address.
    send(&server, b"z", SendFlags::empty()).unwrap();
    assert_eq!(
        recvfrom(&client, &mut buf, RecvFlags::empty()).unwrap().2,
        None
    );
    // Half-closes: the write half first, which the peer reads as the end.
    shutdown(&client, Shutdown::Write).unwrap();
    assert_eq!(recv(&server, &mut buf, RecvFlags::empty()), Ok((0, 0)));
    assert_eq!(
        send(&client, b"late", SendFlags::NOSIGNAL),
        Err(Errno::PIPE)
    );
    // The other direction still works.
    send(&server, b"still", SendFlags::empty()).unwrap();
    assert_eq!(recv(&client, &mut buf, RecvFlags::WAITALL), Ok((5, 5)));
    shutdown(&client, Shutdown::Read).unwrap();
    assert_eq!(recv(&client, &mut buf, RecvFlags::DONTWAIT), Ok((0, 0)));
    shutdown(&server, Shutdown::Both).unwrap();
    // The accepted socket takes the lowest free number, and accept_with's flags.
    let again = socket(family, SocketType::STREAM, None).unwrap();
    connect(&again, &bound).unwrap();
    let accepted = accept_with(&listener, SocketFlags::CLOEXEC | SocketFlags::NONBLOCK).unwrap();
    common::assert_lowest_free(accepted.as_raw_fd(), 0);
    assert_eq!(
        common::libc_fd_flags(accepted.as_raw_fd()),
        libc::FD_CLOEXEC
    );
    assert_ne!(
        common::libc_status_flags(accepted.as_raw_fd()) & libc::O_NONBLOCK,
        0
    );
    assert_eq!(
        recv(&accepted, &mut buf, RecvFlags::empty()),
        Err(Errno::AGAIN)
    );
    // Nothing waiting: a nonblocking listener says AGAIN.
    let nonblocking = socket_with(family, SocketType::STREAM, SocketFlags::NONBLOCK, None).unwrap();
    bind(&nonblocking, &local).unwrap();
    listen(&nonblocking, 1).unwrap();
    assert_eq!(accept(&nonblocking).err(), Some(Errno::AGAIN));
}

#[test]
fn tcp_over_ipv4_loopback() {
    let _check = common::FdCheck::new();
    tcp_round_trip(LOCALHOST_V4.into());
}

#[test]
fn tcp_over_ipv6_loopback() {
    let _check = common::FdCheck::new();
    if !ipv6_loopback("tcp_over_ipv6_loopback") {
        return;
    }
    tcp_round_trip(LOCALHOST_V6.into());
}

// ---- Connection errors ----------------------------------------------------------------------

/// A loopback address nothing listens on: a bound socket's, which stays bound (so the port is
/// not reused) while the caller holds it.
fn refusing_address() -> (OwnedFd, SocketAddrAny) {
    let holder = socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    bind(&holder, &LOCALHOST_V4).unwrap();
    let addr = getsockname(&holder).unwrap();
    (holder, addr)
}

#[test]
fn connect_to_a_closed_port_is_refused() {
    let _check = common::FdCheck::new();
    let (_holder, addr) = refusing_address();
    let client = socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    assert_eq!(connect(&client, &addr), Err(Errno::CONNREFUSED));
    // Nonblocking: in progress, then the error through SO_ERROR, which reading clears.
    let client = socket_with(
        AddressFamily::INET,
        SocketType::STREAM,
        SocketFlags::NONBLOCK,
        None,
    )
    .unwrap();
    match connect(&client, &addr) {
        Err(Errno::INPROGRESS) => {
            poll_for(&client, libc::POLLOUT);
            assert_eq!(sockopt::socket_error(&client), Ok(Err(Errno::CONNREFUSED)));
        }
        // Loopback may refuse at once.
        Err(Errno::CONNREFUSED) => {}
        other => panic!("nonblocking connect: {other:?}"),
    }
    assert_eq!(sockopt::socket_error(&client), Ok(Ok(())));
    // A nonblocking connect that succeeds: SO_ERROR is clear.
    let (listener, bound) = tcp_listener(&LOCALHOST_V4.into());
    let client = socket_with(
        AddressFamily::INET,
        SocketType::STREAM,
        SocketFlags::NONBLOCK,
        None,
    )
    .unwrap();
    match connect(&client, &bound) {
        Ok(()) | Err(Errno::INPROGRESS) => {}
        other => panic!("nonblocking connect: {other:?}"),
    }
    poll_for(&client, libc::POLLOUT);
    assert_eq!(sockopt::socket_error(&client), Ok(Ok(())));
    // Linux answers the first connect after completion with success, then EISCONN.
    let _ = connect(&client, &bound);
    assert_eq!(connect(&client, &bound), Err(Errno::ISCONN));
    drop(accept(&listener).unwrap());
}

#[test]
fn linger_zero_then_close_resets_the_peer() {
    let _check = common::FdCheck::new();
    let (client, server) = tcp_pair(&LOCALHOST_V4.into());
    sockopt::set_socket_linger(&server, Some(Duration::ZERO)).unwrap();
    assert_eq!(sockopt::socket_linger(&server), Ok(Some(Duration::ZERO)));
    drop(server);
    poll_for(&client, libc::POLLIN);
    let mut buf = [0u8; 8];
    assert_eq!(
        recv(&client, &mut buf, RecvFlags::empty()),
        Err(Errno::CONNRESET)
    );
    // The reset is reported once; the stream then reads as ended.
    assert_eq!(recv(&client, &mut buf, RecvFlags::empty()), Ok((0, 0)));
}

#[test]
fn broken_stream_is_epipe_and_nosignal_sends_no_sigpipe() {
    let _check = common::FdCheck::new();
    let (a, b) = stream_pair();
    drop(b);
    // Block SIGPIPE in this thread, so a thread-directed one stays pending where we can see it.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        assert_eq!(libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old), 0);
        let pending = || {
            let mut p: libc::sigset_t = std::mem::zeroed();
            libc::sigpending(&mut p);
            libc::sigismember(&p, libc::SIGPIPE) == 1
        };
        assert!(!pending());
        assert_eq!(send(&a, b"x", SendFlags::NOSIGNAL), Err(Errno::PIPE));
        assert!(!pending(), "NOSIGNAL still raised SIGPIPE");
        assert_eq!(send(&a, b"x", SendFlags::empty()), Err(Errno::PIPE));
        assert!(pending(), "a send on a broken stream raised no SIGPIPE");
        // Take it, so that unblocking does not deliver it.
        let zero = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        assert_eq!(
            libc::sigtimedwait(&set, std::ptr::null_mut(), &zero),
            libc::SIGPIPE
        );
        assert_eq!(
            libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut()),
            0
        );
    }
}

#[test]
fn binding_a_taken_address_is_eaddrinuse() {
    let _check = common::FdCheck::new();
    for type_ in [SocketType::STREAM, SocketType::DGRAM] {
        let first = socket(AddressFamily::INET, type_, None).unwrap();
        bind(&first, &LOCALHOST_V4).unwrap();
        let taken = getsockname(&first).unwrap();
        let second = socket(AddressFamily::INET, type_, None).unwrap();
        assert_eq!(bind(&second, &taken), Err(Errno::ADDRINUSE));
        // Binding again a bound socket is EINVAL.
        assert_eq!(bind(&first, &LOCALHOST_V4), Err(Errno::INVAL));
        // SO_REUSEPORT on both (before bind) lets them share it.
        let a = socket(AddressFamily::INET, type_, None).unwrap();
        let b = socket(AddressFamily::INET, type_, None).unwrap();
        sockopt::set_socket_reuseport(&a, true).unwrap();
        sockopt::set_socket_reuseport(&b, true).unwrap();
        bind(&a, &LOCALHOST_V4).unwrap();
        bind(&b, &getsockname(&a).unwrap()).unwrap();
    }
    // A listening TCP port is in use even with SO_REUSEADDR on the newcomer.
    let (_listener, bound) = tcp_listener(&LOCALHOST_V4.into());
    let late = socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    sockopt::set_socket_reuseaddr(&late, true).unwrap();
    assert_eq!(bind(&late, &bound), Err(Errno::ADDRINUSE));
}

// ---- Errors of every call -------------------------------------------------------------------

/// Every call on `fd`, each expected to fail with `expected`.
fn every_call_fails(fd: BorrowedFd<'_>, expected: Errno) {
    let v4: SocketAddrAny = LOCALHOST_V4.into();
    let mut buf = [0u8; 4];
    assert_eq!(bind(fd, &v4), Err(expected), "bind");
    assert_eq!(connect(fd, &v4), Err(expected), "connect");
    assert_eq!(connect_unspec(fd), Err(expected), "connect_unspec");
    assert_eq!(listen(fd, 1), Err(expected), "listen");
    assert_eq!(accept(fd).err(), Some(expected), "accept");
    assert_eq!(
        accept_with(fd, SocketFlags::CLOEXEC).err(),
        Some(expected),
        "accept_with"
    );
    assert_eq!(acceptfrom(fd).err(), Some(expected), "acceptfrom");
    assert_eq!(send(fd, b"x", SendFlags::empty()), Err(expected), "send");
    assert_eq!(
        sendto(fd, b"x", SendFlags::empty(), &v4),
        Err(expected),
        "sendto"
    );
    assert_eq!(
        recv(fd, &mut buf, RecvFlags::DONTWAIT),
        Err(expected),
        "recv"
    );
    assert_eq!(
        recvfrom(fd, &mut buf, RecvFlags::DONTWAIT).map(|r| r.0),
        Err(expected),
        "recvfrom"
    );
    assert_eq!(shutdown(fd, Shutdown::Both), Err(expected), "shutdown");
    assert_eq!(getsockname(fd), Err(expected), "getsockname");
    assert_eq!(getpeername(fd), Err(expected), "getpeername");
    let iov = [io::IoSlice::new(b"x")];
    let mut control = net::SendAncillaryBuffer::default();
    assert_eq!(
        net::sendmsg(fd, &iov, &mut control, SendFlags::empty()),
        Err(expected),
        "sendmsg"
    );
    let mut iov = [io::IoSliceMut::new(&mut buf)];
    let mut control = net::RecvAncillaryBuffer::default();
    assert_eq!(
        net::recvmsg(fd, &mut iov, &mut control, RecvFlags::DONTWAIT).map(|m| m.bytes),
        Err(expected),
        "recvmsg"
    );
    assert_eq!(sockopt::socket_reuseaddr(fd), Err(expected), "getsockopt");
    assert_eq!(
        sockopt::set_socket_reuseaddr(fd, true),
        Err(expected),
        "setsockopt"
    );
    assert_eq!(sockopt::socket_linger(fd), Err(expected), "SO_LINGER");
    assert_eq!(
        sockopt::set_socket_linger(fd, None),
        Err(expected),
        "SO_LINGER set"
    );
    // libc agrees.
    let r = unsafe { libc::listen(fd.as_raw_fd(), 1) };
    assert_eq!((r, errno()), (-1, expected));
}

#[test]
fn a_closed_fd_is_ebadf() {
    let _check = common::FdCheck::new();
    every_call_fails(closed_fd(), Errno::BADF);
}

#[test]
fn a_fd_that_is_not_a_socket_is_enotsock() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    every_call_fails(file.as_fd(), Errno::NOTSOCK);
    let (reader, _writer) = barecall::pipe::pipe().unwrap();
    every_call_fails(reader.as_fd(), Errno::NOTSOCK);
}

#[test]
fn unknown_flag_bits_get_the_kernels_answer() {
    let _check = common::FdCheck::new();
    // socket, socketpair and accept4 refuse flags beyond CLOEXEC and NONBLOCK. qemu-user
    // translates the flags it knows and drops the rest, so there they succeed: a named skip.
    let name = "unknown_flag_bits_get_the_kernels_answer";
    let reason = "qemu-user drops unknown SOCK_* flag bits";
    let bogus = SocketFlags::from_bits_retain(0x0100_0000);
    let ours = socket_with(AddressFamily::UNIX, SocketType::STREAM, bogus, None).err();
    if common::under_qemu_user() && ours.is_none() {
        common::skip(name, reason);
    } else {
        let theirs = unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_STREAM | 0x0100_0000, 0) };
        assert_eq!((theirs, Some(errno())), (-1, ours));
        assert_eq!(ours, Some(Errno::INVAL));
        assert_eq!(
            socketpair(AddressFamily::UNIX, SocketType::STREAM, bogus, None).err(),
            Some(Errno::INVAL)
        );
        // accept4 likewise (on a nonblocking listener, so that no answer can block).
        let listener = socket_with(
            AddressFamily::INET,
            SocketType::STREAM,
            SocketFlags::NONBLOCK,
            None,
        )
        .unwrap();
        bind(&listener, &LOCALHOST_V4).unwrap();
        listen(&listener, 1).unwrap();
        assert_eq!(accept_with(&listener, bogus).err(), Some(Errno::INVAL));
    }
    // An unknown socket type.
    assert_eq!(
        socket(AddressFamily::UNIX, SocketType::from_raw(77), None).err(),
        Some(Errno::INVAL)
    );
    // send and recv ignore bits they do not know, as libc's calls show.
    let (a, b) = stream_pair();
    let unknown = 0x0400_0000_u32;
    let ours = send(&a, b"ab", SendFlags::from_bits_retain(unknown));
    let theirs = unsafe { libc::send(a.as_raw_fd(), b"cd".as_ptr().cast(), 2, unknown as i32) };
    match ours {
        Ok(n) => assert_eq!(theirs, n as isize),
        Err(e) => assert_eq!((theirs, errno()), (-1, e)),
    }
    let mut buf = [0u8; 2];
    let ours = recv(
        &b,
        &mut buf,
        RecvFlags::from_bits_retain(unknown) | RecvFlags::DONTWAIT,
    );
    let theirs = unsafe {
        libc::recv(
            b.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            2,
            (unknown as i32) | libc::MSG_DONTWAIT,
        )
    };
    match ours {
        Ok((n, _)) => assert_eq!(theirs, n as isize),
        Err(e) => assert_eq!((theirs, errno()), (-1, e)),
    }
    // MSG_OOB on a unix stream: the kernel's EOPNOTSUPP for send (recent kernels support
    // it on unix streams, so compare with libc rather than guess).
    let ours = send(&a, b"o", SendFlags::OOB).err();
    let theirs = unsafe { libc::send(a.as_raw_fd(), b"o".as_ptr().cast(), 1, libc::MSG_OOB) };
    assert_eq!(ours.is_none(), theirs == 1);
    if let Some(e) = ours {
        assert_eq!(errno(), e);
    }
}

#[test]
fn address_family_mismatch_gets_the_kernels_errno() {
    let _check = common::FdCheck::new();
    let v4 = socket(AddressFamily::INET, SocketType::DGRAM, None).unwrap();
    let v6 = socket(AddressFamily::INET6, SocketType::DGRAM, None).unwrap();
    let unix = socket(AddressFamily::UNIX, SocketType::DGRAM, None).unwrap();
    let name = SocketAddrUnix::new_abstract_name(b"barecall-mismatch").unwrap();
    // Each compared with libc given the same bytes.
    let check = |fd: &OwnedFd, addr: SocketAddrAny, expected: Errno| {
        assert_eq!(bind(fd, &addr), Err(expected));
        let r = unsafe { libc::bind(fd.as_raw_fd(), addr.as_ptr().cast(), addr.addr_len()) };
        assert_eq!((r, errno()), (-1, expected));
        assert_eq!(connect(fd, &addr), Err(expected), "connect");
    };
    check(&v4, LOCALHOST_V6.into(), Errno::AFNOSUPPORT);
    check(&v4, name.clone().into(), Errno::AFNOSUPPORT);
    check(&v6, name.clone().into(), Errno::INVAL);
    check(&unix, LOCALHOST_V4.into(), Errno::INVAL);
    // An IPv4 address given to an IPv6 socket is too short for `sockaddr_in6`.
    assert_eq!(bind(&v6, &LOCALHOST_V4), Err(Errno::INVAL));
    // A socketpair of a family that has none.
    let ours = socketpair(
        AddressFamily::INET,
        SocketType::STREAM,
        SocketFlags::empty(),
        None,
    )
    .err();
    let mut fds = [0; 2];
    let theirs = unsafe { libc::socketpair(libc::AF_INET, libc::SOCK_STREAM, 0, fds.as_mut_ptr()) };
    assert_eq!((theirs, Some(errno())), (-1, ours));
    // An unknown family.
    let ours = socket(AddressFamily::from_raw(200), SocketType::STREAM, None).err();
    let theirs = unsafe { libc::socket(200, libc::SOCK_STREAM, 0) };
    assert_eq!((theirs, Some(errno())), (-1, ours));
    assert_eq!(ours, Some(Errno::AFNOSUPPORT));
    // A decoded address of one family asked for as another.
    let v4_addr = getsockname(&v4).unwrap();
    assert_eq!(
        SocketAddrV6::try_from(v4_addr.clone()),
        Err(Errno::AFNOSUPPORT)
    );
    assert_eq!(
        SocketAddrUnix::try_from(v4_addr).err(),
        Some(Errno::AFNOSUPPORT)
    );
}

#[test]
fn shutdown_needs_a_connection() {
    let _check = common::FdCheck::new();
    let fd = socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    for how in [Shutdown::Read, Shutdown::Write, Shutdown::Both] {
        assert_eq!(shutdown(&fd, how), Err(Errno::NOTCONN));
    }
    // A socketpair's halves, one at a time.
    let (a, b) = stream_pair();
    shutdown(&a, Shutdown::Read).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(recv(&a, &mut buf, RecvFlags::DONTWAIT), Ok((0, 0)));
    send(&a, b"ok", SendFlags::empty()).unwrap();
    assert_eq!(recv(&b, &mut buf, RecvFlags::empty()), Ok((2, 2)));
    shutdown(&a, Shutdown::Write).unwrap();
    assert_eq!(recv(&b, &mut buf, RecvFlags::empty()), Ok((0, 0)));
    assert_eq!(send(&a, b"no", SendFlags::NOSIGNAL), Err(Errno::PIPE));
    assert_eq!(Shutdown::Read as u32, libc::SHUT_RD as u32);
    assert_eq!(Shutdown::Write as u32, libc::SHUT_WR as u32);
    assert_eq!(Shutdown::Both as u32, libc::SHUT_RDWR as u32);
}

#[test]
fn constants_are_the_c_ones() {
    assert_eq!(AddressFamily::INET.as_raw(), libc::AF_INET as u16);
    assert_eq!(AddressFamily::INET6.as_raw(), libc::AF_INET6 as u16);
    assert_eq!(AddressFamily::UNIX.as_raw(), libc::AF_UNIX as u16);
    assert_eq!(AddressFamily::NETLINK.as_raw(), libc::AF_NETLINK as u16);
    assert_eq!(AddressFamily::PACKET.as_raw(), libc::AF_PACKET as u16);
    assert_eq!(SocketType::STREAM.as_raw(), libc::SOCK_STREAM as u32);
    assert_eq!(SocketType::DGRAM.as_raw(), libc::SOCK_DGRAM as u32);
    assert_eq!(SocketType::SEQPACKET.as_raw(), libc::SOCK_SEQPACKET as u32);
    assert_eq!(SocketType::RAW.as_raw(), libc::SOCK_RAW as u32);
    assert_eq!(SocketFlags::CLOEXEC.bits(), libc::SOCK_CLOEXEC as u32);
    assert_eq!(SocketFlags::NONBLOCK.bits(), libc::SOCK_NONBLOCK as u32);
    assert_eq!(net::ipproto::TCP.as_raw().get(), libc::IPPROTO_TCP as u32);
    assert_eq!(net::ipproto::UDP.as_raw().get(), libc::IPPROTO_UDP as u32);
    assert_eq!(
        net::ipproto::ICMPV6.as_raw().get(),
        libc::IPPROTO_ICMPV6 as u32
    );
    assert_eq!(SendFlags::NOSIGNAL.bits(), libc::MSG_NOSIGNAL as u32);
    assert_eq!(SendFlags::DONTWAIT.bits(), libc::MSG_DONTWAIT as u32);
    assert_eq!(SendFlags::MORE.bits(), libc::MSG_MORE as u32);
    assert_eq!(RecvFlags::PEEK.bits(), libc::MSG_PEEK as u32);
    assert_eq!(RecvFlags::TRUNC.bits(), libc::MSG_TRUNC as u32);
    assert_eq!(RecvFlags::WAITALL.bits(), libc::MSG_WAITALL as u32);
    assert_eq!(
        RecvFlags::CMSG_CLOEXEC.bits(),
        libc::MSG_CMSG_CLOEXEC as u32
    );
    assert_eq!(net::ReturnFlags::CTRUNC.bits(), libc::MSG_CTRUNC as u32);
}
