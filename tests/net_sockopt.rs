//! Socket options: each one set, read back, and compared with libc's `getsockopt` of the
//! same option; the errors of options that do not apply.

mod common;

use barecall::fd::{AsRawFd, OwnedFd};
use barecall::io::Errno;
use barecall::net::{
    bind, listen, socket, socketpair, sockopt, AddressFamily, Ipv6Addr, SocketAddrV6, SocketFlags,
    SocketType,
};
use std::time::Duration;

fn libc_int(fd: &OwnedFd, level: i32, name: i32) -> i32 {
    let mut value = 0i32;
    let mut len = 4 as libc::socklen_t;
    let r = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&mut value as *mut i32).cast(),
            &mut len,
        )
    };
    assert_eq!((r, len), (0, 4), "libc getsockopt({level}, {name})");
    value
}

/// The errno of libc's `getsockopt` of an option that must fail.
fn libc_error(fd: &OwnedFd, level: i32, name: i32) -> Errno {
    let mut value = 0i32;
    let mut len = 4 as libc::socklen_t;
    let r = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&mut value as *mut i32).cast(),
            &mut len,
        )
    };
    assert_eq!(r, -1);
    Errno::from_raw_os_error(std::io::Error::last_os_error().raw_os_error().unwrap())
}

/// The errno of libc's `setsockopt` (to 1) of an option that must fail.
fn libc_set_error(fd: &OwnedFd, level: i32, name: i32) -> Errno {
    let value = 1i32;
    let r = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&value as *const i32).cast(),
            4,
        )
    };
    assert_eq!(r, -1);
    Errno::from_raw_os_error(std::io::Error::last_os_error().raw_os_error().unwrap())
}

fn libc_linger(fd: &OwnedFd) -> (i32, i32) {
    let mut value = libc::linger {
        l_onoff: 0,
        l_linger: 0,
    };
    let mut len = std::mem::size_of_val(&value) as libc::socklen_t;
    let r = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&mut value as *mut libc::linger).cast(),
            &mut len,
        )
    };
    assert_eq!(r, 0);
    (value.l_onoff, value.l_linger)
}

fn tcp() -> OwnedFd {
    socket(AddressFamily::INET, SocketType::STREAM, None).unwrap()
}

/// A boolean option: set both ways, read back by barecall and by libc.
fn check_bool(
    fd: &OwnedFd,
    level: i32,
    name: i32,
    set: fn(&OwnedFd, bool) -> barecall::io::Result<()>,
    get: fn(&OwnedFd) -> barecall::io::Result<bool>,
) {
    for value in [true, false, true] {
        set(fd, value).unwrap();
        assert_eq!(get(fd), Ok(value));
        assert_eq!(libc_int(fd, level, name) != 0, value);
    }
}

#[test]
fn boolean_socket_options() {
    let _check = common::FdCheck::new();
    let fd = tcp();
    assert_eq!(sockopt::socket_reuseaddr(&fd), Ok(false));
    check_bool(
        &fd,
        libc::SOL_SOCKET,
        libc::SO_REUSEADDR,
        |fd, v| sockopt::set_socket_reuseaddr(fd, v),
        |fd| sockopt::socket_reuseaddr(fd),
    );
    check_bool(
        &fd,
        libc::SOL_SOCKET,
        libc::SO_REUSEPORT,
        |fd, v| sockopt::set_socket_reuseport(fd, v),
        |fd| sockopt::socket_reuseport(fd),
    );
    check_bool(
        &fd,
        libc::SOL_SOCKET,
        libc::SO_KEEPALIVE,
        |fd, v| sockopt::set_socket_keepalive(fd, v),
        |fd| sockopt::socket_keepalive(fd),
    );
    check_bool(
        &fd,
        libc::IPPROTO_TCP,
        libc::TCP_NODELAY,
        |fd, v| sockopt::set_tcp_nodelay(fd, v),
        |fd| sockopt::tcp_nodelay(fd),
    );
    let udp = socket(AddressFamily::INET, SocketType::DGRAM, None).unwrap();
    check_bool(
        &udp,
        libc::SOL_SOCKET,
        libc::SO_BROADCAST,
        |fd, v| sockopt::set_socket_broadcast(fd, v),
        |fd| sockopt::socket_broadcast(fd),
    );
}

#[test]
fn ipv6_v6only() {
    let _check = common::FdCheck::new();
    let fd = socket(AddressFamily::INET6, SocketType::STREAM, None).unwrap();
    // The default is the system's (net.ipv6.bindv6only), as libc reads it.
    let default = libc_int(&fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY) != 0;
    assert_eq!(sockopt::ipv6_v6only(&fd), Ok(default));
    check_bool(
        &fd,
        libc::IPPROTO_IPV6,
        libc::IPV6_V6ONLY,
        |fd, v| sockopt::set_ipv6_v6only(fd, v),
        |fd| sockopt::ipv6_v6only(fd),
    );
    // An IPv4 socket has no IPv6 options: the kernel's errno (EOPNOTSUPP on recent kernels,
    // ENOPROTOOPT on older ones), as libc gets it.
    let v4 = tcp();
    let expected = libc_error(&v4, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY);
    assert!(matches!(expected, Errno::OPNOTSUPP | Errno::NOPROTOOPT));
    assert_eq!(sockopt::ipv6_v6only(&v4), Err(expected));
    let expected = libc_set_error(&v4, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY);
    assert_eq!(sockopt::set_ipv6_v6only(&v4, true), Err(expected));
    // After bind it can no longer change.
    let bound = socket(AddressFamily::INET6, SocketType::STREAM, None).unwrap();
    match bind(&bound, &SocketAddrV6::new(Ipv6Addr::LOCALHOST, 0, 0, 0)) {
        Ok(()) => assert_eq!(sockopt::set_ipv6_v6only(&bound, true), Err(Errno::INVAL)),
        Err(Errno::ADDRNOTAVAIL) => common::skip("ipv6_v6only", "no IPv6 loopback (::1) here"),
        Err(other) => panic!("binding ::1: {other:?}"),
    }
}

#[test]
fn buffer_sizes() {
    let _check = common::FdCheck::new();
    let fd = tcp();
    let rcv = sockopt::socket_recv_buffer_size(&fd).unwrap();
    assert_eq!(
        rcv,
        libc_int(&fd, libc::SOL_SOCKET, libc::SO_RCVBUF) as usize
    );
    let snd = sockopt::socket_send_buffer_size(&fd).unwrap();
    assert_eq!(
        snd,
        libc_int(&fd, libc::SOL_SOCKET, libc::SO_SNDBUF) as usize
    );
    // The kernel doubles what is asked (within its limits).
    sockopt::set_socket_recv_buffer_size(&fd, 32768).unwrap();
    assert_eq!(sockopt::socket_recv_buffer_size(&fd), Ok(65536));
    assert_eq!(libc_int(&fd, libc::SOL_SOCKET, libc::SO_RCVBUF), 65536);
    sockopt::set_socket_send_buffer_size(&fd, 16384).unwrap();
    assert_eq!(sockopt::socket_send_buffer_size(&fd), Ok(32768));
    assert_eq!(libc_int(&fd, libc::SOL_SOCKET, libc::SO_SNDBUF), 32768);
    // More than an `int` is refused before the call.
    if cfg!(target_pointer_width = "64") {
        let huge = (i32::MAX as usize) + 1;
        assert_eq!(
            sockopt::set_socket_recv_buffer_size(&fd, huge),
            Err(Errno::INVAL)
        );
        assert_eq!(
            sockopt::set_socket_send_buffer_size(&fd, huge),
            Err(Errno::INVAL)
        );
    }
    // A tiny request gets the kernel's minimum, as libc sees it.
    sockopt::set_socket_recv_buffer_size(&fd, 1).unwrap();
    let min = sockopt::socket_recv_buffer_size(&fd).unwrap();
    assert!(min > 1);
    assert_eq!(
        min,
        libc_int(&fd, libc::SOL_SOCKET, libc::SO_RCVBUF) as usize
    );
}

#[test]
fn linger() {
    let _check = common::FdCheck::new();
    let fd = tcp();
    assert_eq!(sockopt::socket_linger(&fd), Ok(None));
    assert_eq!(libc_linger(&fd).0, 0);
    sockopt::set_socket_linger(&fd, Some(Duration::from_secs(3))).unwrap();
    assert_eq!(
        sockopt::socket_linger(&fd),
        Ok(Some(Duration::from_secs(3)))
    );
    assert_eq!(libc_linger(&fd), (1, 3));
    // Fractions round up to whole seconds.
    sockopt::set_socket_linger(&fd, Some(Duration::from_millis(1500))).unwrap();
    assert_eq!(libc_linger(&fd), (1, 2));
    sockopt::set_socket_linger(&fd, Some(Duration::ZERO)).unwrap();
    assert_eq!(libc_linger(&fd), (1, 0));
    assert_eq!(sockopt::socket_linger(&fd), Ok(Some(Duration::ZERO)));
    sockopt::set_socket_linger(&fd, None).unwrap();
    assert_eq!(sockopt::socket_linger(&fd), Ok(None));
    assert_eq!(libc_linger(&fd).0, 0);
    // More seconds than an `int` holds: refused before the call.
    assert_eq!(
        sockopt::set_socket_linger(&fd, Some(Duration::from_secs(1 << 31))),
        Err(Errno::INVAL)
    );
    assert_eq!(
        sockopt::set_socket_linger(&fd, Some(Duration::MAX)),
        Err(Errno::INVAL)
    );
}

#[test]
fn read_only_options() {
    let _check = common::FdCheck::new();
    let fd = tcp();
    assert_eq!(sockopt::socket_type(&fd), Ok(SocketType::STREAM));
    assert_eq!(sockopt::socket_domain(&fd), Ok(AddressFamily::INET));
    assert_eq!(
        sockopt::socket_protocol(&fd),
        Ok(Some(barecall::net::ipproto::TCP))
    );
    assert_eq!(sockopt::socket_acceptconn(&fd), Ok(false));
    assert_eq!(sockopt::socket_error(&fd), Ok(Ok(())));
    assert_eq!(
        libc_int(&fd, libc::SOL_SOCKET, libc::SO_TYPE),
        libc::SOCK_STREAM
    );
    bind(
        &fd,
        &barecall::net::SocketAddrV4::new(barecall::net::Ipv4Addr::LOCALHOST, 0),
    )
    .unwrap();
    listen(&fd, 1).unwrap();
    assert_eq!(sockopt::socket_acceptconn(&fd), Ok(true));
    assert_eq!(libc_int(&fd, libc::SOL_SOCKET, libc::SO_ACCEPTCONN), 1);
    let (a, _b) = socketpair(
        AddressFamily::UNIX,
        SocketType::SEQPACKET,
        SocketFlags::empty(),
        None,
    )
    .unwrap();
    assert_eq!(sockopt::socket_type(&a), Ok(SocketType::SEQPACKET));
    assert_eq!(sockopt::socket_domain(&a), Ok(AddressFamily::UNIX));
    assert_eq!(sockopt::socket_protocol(&a), Ok(None));
    // TCP options on a unix or UDP socket: the kernel's answer, as libc gets it.
    let expected = libc_error(&a, libc::IPPROTO_TCP, libc::TCP_NODELAY);
    assert_eq!(sockopt::tcp_nodelay(&a), Err(expected));
    let expected = libc_set_error(&a, libc::IPPROTO_TCP, libc::TCP_NODELAY);
    assert_eq!(sockopt::set_tcp_nodelay(&a, true), Err(expected));
    let udp = socket(AddressFamily::INET, SocketType::DGRAM, None).unwrap();
    let expected = libc_error(&udp, libc::IPPROTO_TCP, libc::TCP_NODELAY);
    assert_eq!(sockopt::tcp_nodelay(&udp), Err(expected));
}
