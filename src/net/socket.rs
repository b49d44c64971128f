//! Making, naming and connecting sockets.

use crate::fd::{AsFd, OwnedFd};
use crate::io::Result;
use crate::net::addr::SocketAddrArg;
use crate::net::{
    syscalls, AddressFamily, Protocol, Shutdown, SocketAddrAny, SocketFlags, SocketType,
};

/// `socket(domain, type_, protocol)`—Creates a socket.
///
/// `protocol` `None` is the default protocol of the family and type (`IPPROTO_IP`, 0). The new
/// fd is the lowest free number. For `SOCK_CLOEXEC` or `SOCK_NONBLOCK`, use [`socket_with`].
///
/// # References
///  - [Linux `socket(2)`](https://man7.org/linux/man-pages/man2/socket.2.html)
#[inline]
pub fn socket(
    domain: AddressFamily,
    type_: SocketType,
    protocol: Option<Protocol>,
) -> Result<OwnedFd> {
    syscalls::socket(domain, type_, SocketFlags::empty(), protocol)
}

/// `socket(domain, type_ | flags, protocol)`—Creates a socket, with `SOCK_*` flags.
///
/// # References
///  - [Linux `socket(2)`](https://man7.org/linux/man-pages/man2/socket.2.html)
#[doc(alias = "socket")]
#[inline]
pub fn socket_with(
    domain: AddressFamily,
    type_: SocketType,
    flags: SocketFlags,
    protocol: Option<Protocol>,
) -> Result<OwnedFd> {
    syscalls::socket(domain, type_, flags, protocol)
}

/// `socketpair(domain, type_ | flags, protocol, fds)`—Creates a pair of connected sockets.
///
/// Linux makes pairs only of `AddressFamily::UNIX` sockets; other families are
/// `Errno::OPNOTSUPP` (or `Errno::AFNOSUPPORT`), as the kernel answers.
///
/// # References
///  - [Linux `socketpair(2)`](https://man7.org/linux/man-pages/man2/socketpair.2.html)
#[inline]
pub fn socketpair(
    domain: AddressFamily,
    type_: SocketType,
    flags: SocketFlags,
    protocol: Option<Protocol>,
) -> Result<(OwnedFd, OwnedFd)> {
    syscalls::socketpair(domain, type_, flags, protocol)
}

/// `bind(sockfd, addr)`—Gives a socket its local address.
///
/// An address of another family than the socket's is the kernel's answer: `Errno::AFNOSUPPORT`
/// for IPv4 (`Errno::INVAL` for IPv6 and unix sockets).
///
/// # References
///  - [Linux `bind(2)`](https://man7.org/linux/man-pages/man2/bind.2.html)
pub fn bind<Fd: AsFd>(sockfd: Fd, addr: &impl SocketAddrArg) -> Result<()> {
    let fd = sockfd.as_fd();
    // SAFETY: `with_sockaddr` gives a pointer to `len` readable bytes for the call.
    unsafe { addr.with_sockaddr(|ptr, len| syscalls::bind(fd, ptr, len)) }
}

/// `connect(sockfd, addr)`—Connects a socket to `addr` (or, for a datagram socket, sets the
/// address it sends to and receives from).
///
/// A nonblocking stream socket returns `Errno::INPROGRESS`; the outcome is then
/// [`sockopt::socket_error`](crate::net::sockopt::socket_error) once the socket is writable.
///
/// # References
///  - [Linux `connect(2)`](https://man7.org/linux/man-pages/man2/connect.2.html)
pub fn connect<Fd: AsFd>(sockfd: Fd, addr: &impl SocketAddrArg) -> Result<()> {
    let fd = sockfd.as_fd();
    // SAFETY: `with_sockaddr` gives a pointer to `len` readable bytes for the call.
    unsafe { addr.with_sockaddr(|ptr, len| syscalls::connect(fd, ptr, len)) }
}

/// `connect(sockfd, {.sa_family = AF_UNSPEC}, sizeof(struct sockaddr_storage))`—Dissolves a
/// datagram socket's association with its peer.
///
/// # References
///  - [Linux `connect(2)`](https://man7.org/linux/man-pages/man2/connect.2.html)
#[doc(alias = "connect")]
#[inline]
pub fn connect_unspec<Fd: AsFd>(sockfd: Fd) -> Result<()> {
    syscalls::connect_unspec(sockfd.as_fd())
}

/// `listen(fd, backlog)`—Makes a stream socket accept connections, with at most about
/// `backlog` of them waiting (a negative or too large backlog is the system's maximum).
///
/// # References
///  - [Linux `listen(2)`](https://man7.org/linux/man-pages/man2/listen.2.html)
#[inline]
pub fn listen<Fd: AsFd>(sockfd: Fd, backlog: i32) -> Result<()> {
    syscalls::listen(sockfd.as_fd(), backlog)
}

/// `accept(fd, NULL, NULL)`—Accepts a connection and returns its socket.
///
/// This is `accept4(fd, NULL, NULL, 0)`, the one form every architecture here has. For the
/// peer's address, use [`acceptfrom`]; for flags, [`accept_with`].
///
/// # References
///  - [Linux `accept(2)`](https://man7.org/linux/man-pages/man2/accept.2.html)
#[inline]
pub fn accept<Fd: AsFd>(sockfd: Fd) -> Result<OwnedFd> {
    syscalls::accept4(sockfd.as_fd(), SocketFlags::empty())
}

/// `accept4(fd, NULL, NULL, flags)`—Accepts a connection, with `SOCK_*` flags for the new
/// socket.
///
/// # References
///  - [Linux `accept4(2)`](https://man7.org/linux/man-pages/man2/accept4.2.html)
#[doc(alias = "accept4")]
#[inline]
pub fn accept_with<Fd: AsFd>(sockfd: Fd, flags: SocketFlags) -> Result<OwnedFd> {
    syscalls::accept4(sockfd.as_fd(), flags)
}

/// `accept(fd, &addr, &len)`—Accepts a connection and returns its socket and the peer's
/// address (`None` where the kernel gives none).
///
/// # References
///  - [Linux `accept(2)`](https://man7.org/linux/man-pages/man2/accept.2.html)
#[doc(alias = "accept")]
#[inline]
pub fn acceptfrom<Fd: AsFd>(sockfd: Fd) -> Result<(OwnedFd, Option<SocketAddrAny>)> {
    syscalls::acceptfrom4(sockfd.as_fd(), SocketFlags::empty())
}

/// `accept4(fd, &addr, &len, flags)`—[`acceptfrom`] with `SOCK_*` flags for the new socket.
///
/// # References
///  - [Linux `accept4(2)`](https://man7.org/linux/man-pages/man2/accept4.2.html)
#[doc(alias = "accept4")]
#[inline]
pub fn acceptfrom_with<Fd: AsFd>(
    sockfd: Fd,
    flags: SocketFlags,
) -> Result<(OwnedFd, Option<SocketAddrAny>)> {
    syscalls::acceptfrom4(sockfd.as_fd(), flags)
}

/// `shutdown(fd, how)`—Closes the receiving half, the sending half, or both, of a
/// connection.
///
/// An unconnected socket is `Errno::NOTCONN`.
///
/// # References
///  - [Linux `shutdown(2)`](https://man7.org/linux/man-pages/man2/shutdown.2.html)
#[inline]
pub fn shutdown<Fd: AsFd>(sockfd: Fd, how: Shutdown) -> Result<()> {
    syscalls::shutdown(sockfd.as_fd(), how)
}

/// `getsockname(fd, addr, len)`—Returns a socket's local address.
///
/// The address is decoded from the bytes the kernel wrote and no further: an unbound unix
/// socket's is the unnamed address, an abstract or path name is as long as the kernel says.
///
/// # References
///  - [Linux `getsockname(2)`](https://man7.org/linux/man-pages/man2/getsockname.2.html)
#[inline]
pub fn getsockname<Fd: AsFd>(sockfd: Fd) -> Result<SocketAddrAny> {
    syscalls::getsockname(sockfd.as_fd())
}

/// `getpeername(fd, addr, len)`—Returns the address of a socket's peer (`None` where the
/// kernel gives none). An unconnected socket is `Errno::NOTCONN`.
///
/// # References
///  - [Linux `getpeername(2)`](https://man7.org/linux/man-pages/man2/getpeername.2.html)
#[inline]
pub fn getpeername<Fd: AsFd>(sockfd: Fd) -> Result<Option<SocketAddrAny>> {
    syscalls::getpeername(sockfd.as_fd())
}
