//! Socket addresses: unix paths, abstract names and unnamed sockets as the kernel reports
//! them (with the lengths it returns, shorter than `sockaddr_un`), getsockname/getpeername
//! values against libc's, and the conversions of `SocketAddrAny`.

mod common;

use barecall::fd::{AsRawFd, OwnedFd};
use barecall::io::Errno;
use barecall::net::{
    accept, acceptfrom, bind, connect, getpeername, getsockname, listen, recvfrom, sendto, socket,
    socketpair, AddressFamily, Ipv4Addr, Ipv6Addr, RecvFlags, SendFlags, SocketAddr, SocketAddrAny,
    SocketAddrUnix, SocketAddrV4, SocketAddrV6, SocketFlags, SocketType,
};

/// `sun_path`'s offset in `sockaddr_un`.
const SUN_PATH: u32 = 2;

/// A name unique to this process and call.
fn unique(tag: &str) -> Vec<u8> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "barecall-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
    .into_bytes()
}

/// libc's getsockname (or getpeername) bytes of `fd`.
fn libc_name(fd: &OwnedFd, peer: bool) -> Vec<u8> {
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of_val(&storage) as libc::socklen_t;
    let ptr = (&mut storage as *mut libc::sockaddr_storage).cast::<libc::sockaddr>();
    let r = unsafe {
        if peer {
            libc::getpeername(fd.as_raw_fd(), ptr, &mut len)
        } else {
            libc::getsockname(fd.as_raw_fd(), ptr, &mut len)
        }
    };
    assert_eq!(r, 0);
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len as usize) };
    bytes.to_vec()
}

fn bytes_of(addr: &SocketAddrAny) -> Vec<u8> {
    unsafe { std::slice::from_raw_parts(addr.as_ptr().cast::<u8>(), addr.addr_len() as usize) }
        .to_vec()
}

#[test]
fn unnamed_sockets_decode_from_the_family_alone() {
    let _check = common::FdCheck::new();
    let (a, b) = socketpair(
        AddressFamily::UNIX,
        SocketType::STREAM,
        SocketFlags::empty(),
        None,
    )
    .unwrap();
    for fd in [&a, &b] {
        // The kernel returns 2 bytes, the family: far shorter than `sockaddr_un`.
        let name = getsockname(fd).unwrap();
        assert_eq!(name.addr_len(), SUN_PATH);
        assert_eq!(name.address_family(), AddressFamily::UNIX);
        assert_eq!(bytes_of(&name), libc_name(fd, false));
        let unix = SocketAddrUnix::try_from(name).unwrap();
        assert!(unix.is_unnamed());
        assert_eq!(unix.path_bytes(), None);
        assert_eq!(unix.abstract_name(), None);
        assert_eq!(unix, SocketAddrUnix::new_unnamed());
        let peer = getpeername(fd).unwrap().unwrap();
        assert_eq!(bytes_of(&peer), libc_name(fd, true));
        assert!(SocketAddrUnix::try_from(peer).unwrap().is_unnamed());
    }
    // An unbound unix socket too.
    let fd = socket(AddressFamily::UNIX, SocketType::DGRAM, None).unwrap();
    assert_eq!(getsockname(&fd).unwrap().addr_len(), SUN_PATH);
    assert_eq!(getpeername(&fd), Err(Errno::NOTCONN));
    assert_eq!(
        format!("{:?}", SocketAddrUnix::new_unnamed()),
        "\"(unnamed)\""
    );
}

#[test]
fn abstract_names_round_trip() {
    let _check = common::FdCheck::new();
    let name = unique("abstract");
    let addr = SocketAddrUnix::new_abstract_name(&name).unwrap();
    let listener = socket(AddressFamily::UNIX, SocketType::STREAM, None).unwrap();
    bind(&listener, &addr).unwrap();
    listen(&listener, 1).unwrap();
    let got = getsockname(&listener).unwrap();
    // The family, the NUL, the name: no terminator and nothing past it.
    assert_eq!(got.addr_len(), SUN_PATH + 1 + name.len() as u32);
    assert_eq!(bytes_of(&got), libc_name(&listener, false));
    let decoded = SocketAddrUnix::try_from(got.clone()).unwrap();
    assert_eq!(decoded.abstract_name(), Some(&name[..]));
    assert_eq!(decoded.path_bytes(), None);
    assert_eq!(decoded, addr);
    assert_eq!(SocketAddrAny::from(addr.clone()), got);
    // A second bind of the name is in use.
    let other = socket(AddressFamily::UNIX, SocketType::STREAM, None).unwrap();
    assert_eq!(bind(&other, &addr), Err(Errno::ADDRINUSE));
    // Connect by name; the peer's name is what the listener is bound to.
    let client = socket(AddressFamily::UNIX, SocketType::STREAM, None).unwrap();
    connect(&client, &addr).unwrap();
    assert_eq!(getpeername(&client), Ok(Some(got)));
    let (server, from) = acceptfrom(&listener).unwrap();
    // The client is unnamed: the kernel reports the family alone (or nothing).
    if let Some(from) = from {
        assert!(SocketAddrUnix::try_from(from).unwrap().is_unnamed());
    }
    drop(server);
    // A name that differs by a trailing byte is another name.
    let mut longer = name.clone();
    longer.push(b'x');
    let client = socket(AddressFamily::UNIX, SocketType::STREAM, None).unwrap();
    let missing = SocketAddrUnix::new_abstract_name(&longer).unwrap();
    assert_eq!(connect(&client, &missing), Err(Errno::CONNREFUSED));
    // Binary names with NULs inside are names too.
    let binary = [0u8, 1, 0, 2, 0];
    let mut name = unique("bin");
    name.extend_from_slice(&binary);
    let addr = SocketAddrUnix::new_abstract_name(&name).unwrap();
    let fd = socket(AddressFamily::UNIX, SocketType::DGRAM, None).unwrap();
    bind(&fd, &addr).unwrap();
    let got = SocketAddrUnix::try_from(getsockname(&fd).unwrap()).unwrap();
    assert_eq!(got.abstract_name(), Some(&name[..]));
}

#[test]
fn autobind_gives_an_abstract_name() {
    let _check = common::FdCheck::new();
    let fd = socket(AddressFamily::UNIX, SocketType::DGRAM, None).unwrap();
    bind(&fd, &SocketAddrUnix::new_unnamed()).unwrap();
    let got = getsockname(&fd).unwrap();
    assert_eq!(bytes_of(&got), libc_name(&fd, false));
    let unix = SocketAddrUnix::try_from(got).unwrap();
    // Linux picks five hex digits.
    let name = unix.abstract_name().unwrap();
    assert_eq!(name.len(), 5);
    assert!(name.iter().all(u8::is_ascii_hexdigit));
}

#[test]
fn path_names_round_trip() {
    let _check = common::FdCheck::new();
    let dir = std::env::temp_dir();
    let path = dir.join(String::from_utf8(unique("path")).unwrap());
    let addr = SocketAddrUnix::new(&*path).unwrap();
    let bytes = path.as_os_str().as_encoded_bytes();
    assert_eq!(addr.path_bytes(), Some(bytes));
    assert_eq!(addr.path().unwrap().to_bytes(), bytes);
    let server = socket(AddressFamily::UNIX, SocketType::DGRAM, None).unwrap();
    bind(&server, &addr).unwrap();
    let got = getsockname(&server).unwrap();
    // The family, the path and its NUL.
    assert_eq!(got.addr_len(), SUN_PATH + bytes.len() as u32 + 1);
    assert_eq!(bytes_of(&got), libc_name(&server, false));
    let decoded = SocketAddrUnix::try_from(got).unwrap();
    assert_eq!(decoded.path_bytes(), Some(bytes));
    assert_eq!(decoded, addr);
    // A datagram from a named client carries its name.
    let client_path = dir.join(String::from_utf8(unique("client")).unwrap());
    let client_addr = SocketAddrUnix::new(&*client_path).unwrap();
    let client = socket(AddressFamily::UNIX, SocketType::DGRAM, None).unwrap();
    bind(&client, &client_addr).unwrap();
    sendto(&client, b"hi", SendFlags::empty(), &addr).unwrap();
    let mut buf = [0u8; 4];
    let (n, _, from) = recvfrom(&server, &mut buf, RecvFlags::empty()).unwrap();
    assert_eq!(&buf[..n], b"hi");
    assert_eq!(
        SocketAddrUnix::try_from(from.unwrap()).unwrap(),
        client_addr
    );
    // Binding an existing path is in use; a missing directory is ENOENT.
    let again = socket(AddressFamily::UNIX, SocketType::DGRAM, None).unwrap();
    assert_eq!(bind(&again, &addr), Err(Errno::ADDRINUSE));
    let missing = SocketAddrUnix::new("/nonexistent-barecall-dir/sock").unwrap();
    assert_eq!(bind(&again, &missing), Err(Errno::NOENT));
    assert_eq!(connect(&again, &missing), Err(Errno::NOENT));
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_file(&client_path).unwrap();
}

#[test]
fn unix_address_limits() {
    // 108 bytes fill `sun_path` without a NUL; 109 do not fit; an interior NUL is refused.
    let full = [b'p'; 108];
    let addr = SocketAddrUnix::new(&full[..]).unwrap();
    assert_eq!(addr.path_bytes(), Some(&full[..]));
    assert_eq!(SocketAddrAny::from(addr.clone()).addr_len(), 110);
    assert_eq!(addr.path().unwrap().to_bytes(), &full[..]);
    assert_eq!(
        SocketAddrUnix::new(&[b'p'; 109][..]).err(),
        Some(Errno::NAMETOOLONG)
    );
    assert_eq!(SocketAddrUnix::new("a\0b").err(), Some(Errno::INVAL));
    assert!(SocketAddrUnix::new_abstract_name(&[7; 107]).is_ok());
    assert_eq!(
        SocketAddrUnix::new_abstract_name(&[7; 108]).err(),
        Some(Errno::NAMETOOLONG)
    );
    assert_eq!(
        format!("{:?}", SocketAddrUnix::new("/tmp/x").unwrap()),
        "\"/tmp/x\""
    );
    assert_eq!(
        format!("{:?}", SocketAddrUnix::new_abstract_name(b"ab").unwrap()),
        "\"ab\""
    );
}

#[test]
fn a_full_length_path_binds_and_reads_back() {
    let _check = common::FdCheck::new();
    // A relative path of exactly 108 bytes, in a scratch directory made the working one is not
    // possible in a test binary with threads; build an absolute one of 108 bytes instead.
    let dir = std::env::temp_dir().join(String::from_utf8(unique("d")).unwrap());
    std::fs::create_dir(&dir).unwrap();
    let prefix = dir.as_os_str().as_encoded_bytes().len() + 1;
    assert!(
        prefix < 100,
        "the temp dir {dir:?} is too deep for a 108-byte path: set TMPDIR to a shorter one"
    );
    let file = "f".repeat(108 - prefix);
    let path = dir.join(&file);
    let bytes = path.as_os_str().as_encoded_bytes().to_vec();
    assert_eq!(bytes.len(), 108);
    let addr = SocketAddrUnix::new(&*path).unwrap();
    let fd = socket(AddressFamily::UNIX, SocketType::DGRAM, None).unwrap();
    bind(&fd, &addr).unwrap();
    let got = getsockname(&fd).unwrap();
    assert_eq!(bytes_of(&got), libc_name(&fd, false));
    let decoded = SocketAddrUnix::try_from(got).unwrap();
    assert_eq!(decoded.path_bytes(), Some(&bytes[..]));
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_dir(&dir).unwrap();
}

#[test]
fn inet_addresses_convert_and_match_libc() {
    let _check = common::FdCheck::new();
    let v4 = SocketAddrV4::new(Ipv4Addr::new(10, 1, 2, 3), 8080);
    let any = SocketAddrAny::from(v4);
    assert_eq!(any.address_family(), AddressFamily::INET);
    assert_eq!(any.addr_len(), 16);
    let sin = unsafe { &*any.as_ptr().cast::<libc::sockaddr_in>() };
    assert_eq!(sin.sin_family, libc::AF_INET as libc::sa_family_t);
    assert_eq!(u16::from_be(sin.sin_port), 8080);
    assert_eq!(sin.sin_addr.s_addr.to_ne_bytes(), [10, 1, 2, 3]);
    assert_eq!(SocketAddrV4::try_from(any.clone()), Ok(v4));
    assert_eq!(SocketAddr::try_from(any.clone()), Ok(SocketAddr::V4(v4)));
    assert_eq!(format!("{any:?}"), "10.1.2.3:8080");
    let v6 = SocketAddrV6::new(
        Ipv6Addr::new(0xfe80, 0, 0, 0, 1, 2, 3, 4),
        443,
        0x0abc_def0,
        5,
    );
    let any = SocketAddrAny::from(v6);
    assert_eq!(any.addr_len(), 28);
    let sin6 = unsafe { &*any.as_ptr().cast::<libc::sockaddr_in6>() };
    assert_eq!(sin6.sin6_family, libc::AF_INET6 as libc::sa_family_t);
    assert_eq!(u16::from_be(sin6.sin6_port), 443);
    assert_eq!(u32::from_be(sin6.sin6_flowinfo), 0x0abc_def0);
    assert_eq!(sin6.sin6_scope_id, 5);
    assert_eq!(sin6.sin6_addr.s6_addr, v6.ip().octets());
    assert_eq!(SocketAddrV6::try_from(any.clone()), Ok(v6));
    assert_eq!(SocketAddr::try_from(any.clone()), Ok(SocketAddr::V6(v6)));
    assert_eq!(SocketAddrV4::try_from(any).err(), Some(Errno::AFNOSUPPORT));
    // An address shorter than its type is refused, not read past its length.
    let short = unsafe { SocketAddrAny::read(SocketAddrAny::from(v4).as_ptr(), 8) };
    assert_eq!(SocketAddrV4::try_from(short.clone()), Err(Errno::INVAL));
    assert_eq!(SocketAddr::try_from(short).err(), Some(Errno::INVAL));
    let unix = SocketAddrAny::from(SocketAddrUnix::new_unnamed());
    assert_eq!(SocketAddr::try_from(unix).err(), Some(Errno::AFNOSUPPORT));
    // The kernel's view of a connected TCP pair.
    let listener = socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    bind(&listener, &SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)).unwrap();
    listen(&listener, 1).unwrap();
    let client = socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    connect(&client, &getsockname(&listener).unwrap()).unwrap();
    let server = accept(&listener).unwrap();
    for fd in [&client, &server] {
        assert_eq!(bytes_of(&getsockname(fd).unwrap()), libc_name(fd, false));
        assert_eq!(
            bytes_of(&getpeername(fd).unwrap().unwrap()),
            libc_name(fd, true)
        );
    }
}
