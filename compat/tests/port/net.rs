// A program written against rustix 1.x's `net` module, as a user would write it: sockets over
// socketpairs and loopback, addresses, `SCM_RIGHTS`, socket options and errors. `net_port.rs`
// includes it under `use rustix::{...}` and under `use barecall::{...}`. What it observes goes
// into the returned lines: values, errno numbers, bytes, and comparisons (`true`/`false`)
// where a value differs from run to run (ports, abstract names the kernel picks).

use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::time::Duration;

use io::{Errno, IoSlice, IoSliceMut};
use net::{
    sockopt, AddressFamily, Ipv4Addr, Ipv6Addr, RecvAncillaryBuffer, RecvAncillaryMessage,
    RecvFlags, ReturnFlags, SendAncillaryBuffer, SendAncillaryMessage, SendFlags, Shutdown,
    SocketAddrAny, SocketAddrUnix, SocketAddrV4, SocketAddrV6, SocketFlags, SocketType,
};

fn seen<T: std::fmt::Debug>(result: io::Result<T>) -> String {
    match result {
        Ok(value) => format!("ok {value:?}"),
        Err(errno) => format!("errno {}", errno.raw_os_error()),
    }
}

fn errno_of<T>(result: io::Result<T>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(errno) => format!("errno {}", errno.raw_os_error()),
    }
}

fn unique(tag: &str) -> Vec<u8> {
    format!("barecall-compat-{tag}-{}-{}", std::process::id(), module_path!().replace("::", "-"))
        .into_bytes()
}

pub fn run() -> Vec<String> {
    let mut out = Vec::new();
    let mut log = |line: String| out.push(line);
    let v4_local = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);

    // Socketpairs: send, recv with PEEK, DONTWAIT, TRUNC.
    let (a, b) =
        net::socketpair(AddressFamily::UNIX, SocketType::STREAM, SocketFlags::CLOEXEC, None)
            .unwrap();
    log(format!("send: {}", seen(net::send(&a, b"hello", SendFlags::empty()))));
    let mut buf = [0u8; 16];
    log(format!("peek: {}", seen(net::recv(&b, &mut buf, RecvFlags::PEEK))));
    log(format!("recv: {} {:?}", seen(net::recv(&b, &mut buf[..3], RecvFlags::empty())), &buf[..3]));
    log(format!("rest: {}", seen(net::recv(&b, &mut buf, RecvFlags::DONTWAIT))));
    log(format!("empty: {}", seen(net::recv(&b, &mut buf, RecvFlags::DONTWAIT))));
    let mut raw = [MaybeUninit::<u8>::uninit(); 8];
    net::send(&b, b"xyz", SendFlags::empty()).unwrap();
    let ((filled, rest), len) = net::recv(&a, &mut raw, RecvFlags::empty()).unwrap();
    log(format!("uninit: {filled:?} {} {len}", rest.len()));
    let (c, d) =
        net::socketpair(AddressFamily::UNIX, SocketType::DGRAM, SocketFlags::empty(), None)
            .unwrap();
    net::send(&c, b"0123456789", SendFlags::empty()).unwrap();
    log(format!("trunc: {}", seen(net::recv(&d, &mut buf[..4], RecvFlags::TRUNC))));
    log(format!("socketpair inet: {}", errno_of(net::socketpair(
        AddressFamily::INET, SocketType::STREAM, SocketFlags::empty(), None))));

    // Unix names: unnamed, abstract, autobind.
    let name = net::getsockname(&a).unwrap();
    log(format!("unnamed len {} family {:?}", name.addr_len(), name.address_family()));
    let unix = SocketAddrUnix::try_from(name).unwrap();
    log(format!("unnamed: {} {:?} {:?}", unix.is_unnamed(), unix.path_bytes(), unix.abstract_name()));
    let abstract_name = unique("abs");
    let addr = SocketAddrUnix::new_abstract_name(&abstract_name).unwrap();
    let listener = net::socket(AddressFamily::UNIX, SocketType::STREAM, None).unwrap();
    net::bind(&listener, &addr).unwrap();
    net::listen(&listener, 1).unwrap();
    let got = net::getsockname(&listener).unwrap();
    log(format!("abstract len {}", got.addr_len() as usize - abstract_name.len()));
    log(format!("abstract same: {}", SocketAddrUnix::try_from(got.clone()).unwrap() == addr));
    let client = net::socket(AddressFamily::UNIX, SocketType::STREAM, None).unwrap();
    net::connect(&client, &addr).unwrap();
    log(format!("peer same: {}", net::getpeername(&client).unwrap() == Some(got)));
    let (_server, from) = net::acceptfrom(&listener).unwrap();
    log(format!("accepted from unnamed: {:?}", from.map(|f| SocketAddrUnix::try_from(f).unwrap().is_unnamed())));
    let auto = net::socket(AddressFamily::UNIX, SocketType::DGRAM, None).unwrap();
    net::bind(&auto, &SocketAddrUnix::new_unnamed()).unwrap();
    let auto_name = SocketAddrUnix::try_from(net::getsockname(&auto).unwrap()).unwrap();
    log(format!("autobind name len {:?}", auto_name.abstract_name().map(<[u8]>::len)));
    let path = std::env::temp_dir().join(String::from_utf8(unique("path")).unwrap());
    let path_addr = SocketAddrUnix::new(&path).unwrap();
    log(format!("path round trip: {}", path_addr.path_bytes() == Some(path.as_os_str().as_encoded_bytes())));
    log(format!("path cstr: {}", path_addr.path().unwrap().to_bytes() == path.as_os_str().as_encoded_bytes()));
    log(format!("too long: {}", errno_of(SocketAddrUnix::new(&[b'p'; 109][..]))));
    log(format!("abstract too long: {}", errno_of(SocketAddrUnix::new_abstract_name(&[1; 108]))));
    log(format!("unnamed debug: {:?}", SocketAddrUnix::new_unnamed()));

    // UDP over 127.0.0.1.
    let u1 = net::socket(AddressFamily::INET, SocketType::DGRAM, None).unwrap();
    let u2 = net::socket(AddressFamily::INET, SocketType::DGRAM, None).unwrap();
    net::bind(&u1, &v4_local).unwrap();
    net::bind(&u2, &v4_local).unwrap();
    let n1 = net::getsockname(&u1).unwrap();
    let n2 = net::getsockname(&u2).unwrap();
    let v4 = SocketAddrV4::try_from(n1.clone()).unwrap();
    log(format!("udp name: {} {} {}", v4.ip(), v4.port() != 0, n1.addr_len()));
    log(format!("sendto: {}", seen(net::sendto(&u1, b"dgram", SendFlags::empty(), &n2))));
    let (n, len, from) = net::recvfrom(&u2, &mut buf, RecvFlags::empty()).unwrap();
    log(format!("recvfrom: {n} {len} {:?} {}", &buf[..n], from == Some(n1.clone())));
    log(format!("peer before: {}", errno_of(net::getpeername(&u1))));
    net::connect(&u1, &n2).unwrap();
    log(format!("peer after: {}", net::getpeername(&u1).unwrap() == Some(n2.clone())));
    net::connect_unspec(&u1).unwrap();
    log(format!("unspec: {}", errno_of(net::send(&u1, b"x", SendFlags::empty()))));

    // TCP over 127.0.0.1.
    let tl = net::socket_with(AddressFamily::INET, SocketType::STREAM, SocketFlags::CLOEXEC, None)
        .unwrap();
    net::bind(&tl, &v4_local).unwrap();
    net::listen(&tl, 4).unwrap();
    let bound = net::getsockname(&tl).unwrap();
    log(format!("acceptconn: {}", seen(sockopt::socket_acceptconn(&tl))));
    let tc = net::socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    net::connect(&tc, &bound).unwrap();
    let (ts, peer) = net::acceptfrom(&tl).unwrap();
    log(format!("tcp peer: {}", peer == Some(net::getsockname(&tc).unwrap())));
    net::send(&tc, b"stream", SendFlags::empty()).unwrap();
    log(format!("waitall: {}", seen(net::recv(&ts, &mut buf[..6], RecvFlags::WAITALL))));
    log(format!("tcp recvfrom addr: {:?}", {
        net::send(&ts, b"z", SendFlags::empty()).unwrap();
        net::recvfrom(&tc, &mut buf, RecvFlags::empty()).unwrap().2
    }));
    net::shutdown(&tc, Shutdown::Write).unwrap();
    log(format!("eof: {}", seen(net::recv(&ts, &mut buf, RecvFlags::empty()))));
    log(format!("epipe: {}", errno_of(net::send(&tc, b"x", SendFlags::NOSIGNAL))));
    let late = net::socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    net::connect(&late, &bound).unwrap();
    let accepted = net::accept_with(&tl, SocketFlags::NONBLOCK).unwrap();
    log(format!("accept_with nonblock: {}", errno_of(net::recv(&accepted, &mut buf, RecvFlags::empty()))));
    let refused = net::socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    let holder = net::socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    net::bind(&holder, &v4_local).unwrap();
    log(format!("refused: {}", errno_of(net::connect(&refused, &net::getsockname(&holder).unwrap()))));
    let taken = net::socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    log(format!("in use: {}", errno_of(net::bind(&taken, &bound))));

    // Socket options.
    let fd = net::socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    log(format!("reuseaddr: {}", seen(sockopt::socket_reuseaddr(&fd))));
    sockopt::set_socket_reuseaddr(&fd, true).unwrap();
    log(format!("reuseaddr: {}", seen(sockopt::socket_reuseaddr(&fd))));
    sockopt::set_socket_reuseport(&fd, true).unwrap();
    log(format!("reuseport: {}", seen(sockopt::socket_reuseport(&fd))));
    sockopt::set_socket_keepalive(&fd, true).unwrap();
    log(format!("keepalive: {}", seen(sockopt::socket_keepalive(&fd))));
    sockopt::set_tcp_nodelay(&fd, true).unwrap();
    log(format!("nodelay: {}", seen(sockopt::tcp_nodelay(&fd))));
    sockopt::set_socket_recv_buffer_size(&fd, 32768).unwrap();
    log(format!("rcvbuf: {}", seen(sockopt::socket_recv_buffer_size(&fd))));
    sockopt::set_socket_send_buffer_size(&fd, 16384).unwrap();
    log(format!("sndbuf: {}", seen(sockopt::socket_send_buffer_size(&fd))));
    log(format!("linger: {}", seen(sockopt::socket_linger(&fd))));
    sockopt::set_socket_linger(&fd, Some(Duration::from_millis(2500))).unwrap();
    log(format!("linger: {}", seen(sockopt::socket_linger(&fd))));
    sockopt::set_socket_linger(&fd, None).unwrap();
    log(format!("linger: {}", seen(sockopt::socket_linger(&fd))));
    log(format!("error: {}", seen(sockopt::socket_error(&fd))));
    log(format!("type: {}", seen(sockopt::socket_type(&fd))));
    log(format!("domain: {}", seen(sockopt::socket_domain(&fd))));
    log(format!("protocol: {}", seen(sockopt::socket_protocol(&fd))));
    log(format!("nodelay on unix: {}", errno_of(sockopt::tcp_nodelay(&a))));
    log(format!("v6only on v4: {}", errno_of(sockopt::ipv6_v6only(&fd))));
    let v6 = net::socket(AddressFamily::INET6, SocketType::STREAM, None).unwrap();
    sockopt::set_ipv6_v6only(&v6, true).unwrap();
    log(format!("v6only: {}", seen(sockopt::ipv6_v6only(&v6))));
    sockopt::set_ipv6_v6only(&v6, false).unwrap();
    log(format!("v6only: {}", seen(sockopt::ipv6_v6only(&v6))));

    // SCM_RIGHTS.
    let (reader, writer) = pipe::pipe().unwrap();
    let fds = [reader.as_fd()];
    let mut space = [MaybeUninit::<u8>::uninit(); cmsg_space!(ScmRights(1))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    log(format!("push: {}", control.push(SendAncillaryMessage::ScmRights(&fds))));
    log(format!("sendmsg: {}", seen(net::sendmsg(&a, &[IoSlice::new(b"fd")], &mut control, SendFlags::empty()))));
    let mut space = [MaybeUninit::<u8>::uninit(); cmsg_space!(ScmRights(1))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let msg = net::recvmsg(&b, &mut [IoSliceMut::new(&mut buf)], &mut control, RecvFlags::CMSG_CLOEXEC)
        .unwrap();
    log(format!("recvmsg: {} {:?} ctrunc {}", msg.bytes, &buf[..msg.bytes], msg.flags.contains(ReturnFlags::CTRUNC)));
    let mut received: Vec<OwnedFd> = Vec::new();
    for message in control.drain() {
        if let RecvAncillaryMessage::ScmRights(iter) = message {
            received.extend(iter);
        }
    }
    log(format!("received: {}", received.len()));
    io::write(&writer, b"via fd").unwrap();
    log(format!("through: {}", seen(io::read(&received[0], &mut buf))));
    log(format!("cloexec: {}", seen(io::fcntl_getfd(&received[0]))));
    log(format!("cmsg_space: {}", cmsg_space!(ScmRights(2)) == cmsg_space!(ScmRights(1)) + 4
        || cmsg_space!(ScmRights(2)) == cmsg_space!(ScmRights(1)) + 8));

    // Errors.
    let closed = unsafe { BorrowedFd::borrow_raw(900) };
    log(format!("closed: {}", errno_of(net::bind(closed, &v4_local))));
    log(format!("closed recv: {}", errno_of(net::recv(closed, &mut buf, RecvFlags::empty()))));
    log(format!("not a socket: {}", errno_of(net::listen(&writer, 1))));
    log(format!("not a socket name: {}", errno_of(net::getsockname(&writer))));
    log(format!("family mismatch: {}", errno_of(net::bind(&fd, &SocketAddrV6::new(Ipv6Addr::LOCALHOST, 0, 0, 0)))));
    log(format!("unix on inet: {}", errno_of(net::bind(&u1, &addr))));
    log(format!("unknown family: {}", errno_of(net::socket(AddressFamily::from_raw(200), SocketType::STREAM, None))));
    let _ = Errno::INVAL;

    // Conversions and formatting.
    let any = SocketAddrAny::from(SocketAddrV4::new(Ipv4Addr::new(10, 1, 2, 3), 80));
    log(format!("any: {any:?} {} {:?}", any.addr_len(), any.address_family()));
    log(format!("as v6: {}", errno_of(SocketAddrV6::try_from(any.clone()))));
    log(format!("as v4: {:?}", SocketAddrV4::try_from(any)));
    log(format!("flags: {:?} {:?} {:?}", SendFlags::NOSIGNAL | SendFlags::DONTWAIT, RecvFlags::PEEK, SocketFlags::CLOEXEC));
    log(format!("types: {:?} {:?}", SocketType::DGRAM, AddressFamily::INET6));
    log(format!("shutdown: {:?}", Shutdown::Both));
    drop(path);
    let _ = (c, d, a.as_raw_fd());
    out
}
