//! `getsockopt` and `setsockopt`: socket options, one getter and one setter each, under
//! rustix's names.
//!
//! Boolean options read as `true` for any nonzero value the kernel returns and are set as 1
//! or 0. A value that does not fit the kernel's `int` is `Errno::INVAL` without a call.
//!
//! # References
//!  - [Linux `getsockopt(2)`](https://man7.org/linux/man-pages/man2/getsockopt.2.html)
//!  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)

use crate::fd::AsFd;
use crate::io::{Errno, Result};
use crate::net::{syscalls, AddressFamily, Protocol, SocketType};
use core::num::NonZeroU32;
use core::time::Duration;
use linux_raw_sys::net as k;

const SOL_SOCKET: u32 = k::SOL_SOCKET;
const IPPROTO_TCP: u32 = k::IPPROTO_TCP as u32;
const IPPROTO_IPV6: u32 = k::IPPROTO_IPV6 as u32;

fn get_bool<Fd: AsFd>(fd: Fd, level: u32, name: u32) -> Result<bool> {
    syscalls::getsockopt_int(fd.as_fd(), level, name).map(|value| value != 0)
}

fn set_bool<Fd: AsFd>(fd: Fd, level: u32, name: u32, value: bool) -> Result<()> {
    syscalls::setsockopt_int(fd.as_fd(), level, name, i32::from(value))
}

fn set_size<Fd: AsFd>(fd: Fd, name: u32, value: usize) -> Result<()> {
    let value = i32::try_from(value).map_err(|_| Errno::INVAL)?;
    syscalls::setsockopt_int(fd.as_fd(), SOL_SOCKET, name, value)
}

fn get_size<Fd: AsFd>(fd: Fd, name: u32) -> Result<usize> {
    syscalls::getsockopt_int(fd.as_fd(), SOL_SOCKET, name).map(|value| value as u32 as usize)
}

/// `getsockopt(fd, SOL_SOCKET, SO_TYPE)`—The socket's type.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_type<Fd: AsFd>(fd: Fd) -> Result<SocketType> {
    syscalls::getsockopt_int(fd.as_fd(), SOL_SOCKET, k::SO_TYPE)
        .map(|value| SocketType::from_raw(value as u32))
}

/// `getsockopt(fd, SOL_SOCKET, SO_DOMAIN)`—The socket's address family.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_domain<Fd: AsFd>(fd: Fd) -> Result<AddressFamily> {
    let domain = syscalls::getsockopt_int(fd.as_fd(), SOL_SOCKET, k::SO_DOMAIN)?;
    u16::try_from(domain)
        .map(AddressFamily::from_raw)
        .map_err(|_| Errno::OPNOTSUPP)
}

/// `getsockopt(fd, SOL_SOCKET, SO_PROTOCOL)`—The socket's protocol (`None` for 0).
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_protocol<Fd: AsFd>(fd: Fd) -> Result<Option<Protocol>> {
    syscalls::getsockopt_int(fd.as_fd(), SOL_SOCKET, k::SO_PROTOCOL)
        .map(|value| NonZeroU32::new(value as u32).map(Protocol::from_raw))
}

/// `getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN)`—Whether the socket is listening.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_acceptconn<Fd: AsFd>(fd: Fd) -> Result<bool> {
    get_bool(fd, SOL_SOCKET, k::SO_ACCEPTCONN)
}

/// `setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, value)`—Sets whether `bind` may reuse a local
/// address that a socket in `TIME_WAIT` (or, for UDP, another such socket) still holds.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn set_socket_reuseaddr<Fd: AsFd>(fd: Fd, value: bool) -> Result<()> {
    set_bool(fd, SOL_SOCKET, k::SO_REUSEADDR, value)
}

/// `getsockopt(fd, SOL_SOCKET, SO_REUSEADDR)`
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_reuseaddr<Fd: AsFd>(fd: Fd) -> Result<bool> {
    get_bool(fd, SOL_SOCKET, k::SO_REUSEADDR)
}

/// `setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, value)`—Sets whether several sockets (of the
/// same user, each with the option set before `bind`) may bind the same address and port.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn set_socket_reuseport<Fd: AsFd>(fd: Fd, value: bool) -> Result<()> {
    set_bool(fd, SOL_SOCKET, k::SO_REUSEPORT, value)
}

/// `getsockopt(fd, SOL_SOCKET, SO_REUSEPORT)`
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_reuseport<Fd: AsFd>(fd: Fd) -> Result<bool> {
    get_bool(fd, SOL_SOCKET, k::SO_REUSEPORT)
}

/// `setsockopt(fd, SOL_SOCKET, SO_BROADCAST, value)`—Sets whether a datagram socket may
/// send to a broadcast address.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn set_socket_broadcast<Fd: AsFd>(fd: Fd, value: bool) -> Result<()> {
    set_bool(fd, SOL_SOCKET, k::SO_BROADCAST, value)
}

/// `getsockopt(fd, SOL_SOCKET, SO_BROADCAST)`
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_broadcast<Fd: AsFd>(fd: Fd) -> Result<bool> {
    get_bool(fd, SOL_SOCKET, k::SO_BROADCAST)
}

/// `setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, value)`—Sets whether a connected stream sends
/// keep-alive probes.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn set_socket_keepalive<Fd: AsFd>(fd: Fd, value: bool) -> Result<()> {
    set_bool(fd, SOL_SOCKET, k::SO_KEEPALIVE, value)
}

/// `getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE)`
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_keepalive<Fd: AsFd>(fd: Fd) -> Result<bool> {
    get_bool(fd, SOL_SOCKET, k::SO_KEEPALIVE)
}

/// `setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value)`—Sets the receive buffer's size.
///
/// The kernel doubles `value` (for its bookkeeping), caps it at `net.core.rmem_max` and has
/// a minimum, so [`socket_recv_buffer_size`] reads back something else. More than `i32::MAX`
/// is `Errno::INVAL`.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn set_socket_recv_buffer_size<Fd: AsFd>(fd: Fd, value: usize) -> Result<()> {
    set_size(fd, k::SO_RCVBUF, value)
}

/// `getsockopt(fd, SOL_SOCKET, SO_RCVBUF)`—The receive buffer's size, as the kernel keeps it.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_recv_buffer_size<Fd: AsFd>(fd: Fd) -> Result<usize> {
    get_size(fd, k::SO_RCVBUF)
}

/// `setsockopt(fd, SOL_SOCKET, SO_SNDBUF, value)`—Sets the send buffer's size (doubled and
/// capped by the kernel as for [`set_socket_recv_buffer_size`], at `net.core.wmem_max`).
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn set_socket_send_buffer_size<Fd: AsFd>(fd: Fd, value: usize) -> Result<()> {
    set_size(fd, k::SO_SNDBUF, value)
}

/// `getsockopt(fd, SOL_SOCKET, SO_SNDBUF)`—The send buffer's size, as the kernel keeps it.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_send_buffer_size<Fd: AsFd>(fd: Fd) -> Result<usize> {
    get_size(fd, k::SO_SNDBUF)
}

/// `getsockopt(fd, SOL_SOCKET, SO_ERROR)`—Takes the socket's pending error: `Ok(Err(errno))`
/// if there was one (reading clears it), `Ok(Ok(()))` if not.
///
/// This is how a nonblocking `connect` that returned `Errno::INPROGRESS` reports its outcome.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_error<Fd: AsFd>(fd: Fd) -> Result<core::result::Result<(), Errno>> {
    let error = syscalls::getsockopt_int(fd.as_fd(), SOL_SOCKET, k::SO_ERROR)?;
    Ok(match error {
        0 => Ok(()),
        code => Err(Errno::from_raw_os_error(code)),
    })
}

/// `setsockopt(fd, SOL_SOCKET, SO_LINGER, value)`—Sets how `close` treats unsent data:
/// `None` returns at once and sends it in the background; `Some(duration)` waits up to
/// `duration` for it, and `Some(Duration::ZERO)` discards it and resets the connection.
///
/// The duration is in whole seconds, rounded up; more than `i32::MAX` seconds is
/// `Errno::INVAL`.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn set_socket_linger<Fd: AsFd>(fd: Fd, value: Option<Duration>) -> Result<()> {
    let seconds = match value {
        None => 0,
        Some(duration) => {
            let whole = duration.as_secs();
            let rounded = if duration.subsec_nanos() == 0 {
                Some(whole)
            } else {
                whole.checked_add(1)
            };
            rounded
                .and_then(|secs| i32::try_from(secs).ok())
                .ok_or(Errno::INVAL)?
        }
    };
    let linger = k::linger {
        l_onoff: i32::from(value.is_some()),
        l_linger: seconds,
    };
    syscalls::setsockopt_linger(fd.as_fd(), &linger)
}

/// `getsockopt(fd, SOL_SOCKET, SO_LINGER)`—`None` if lingering is off, else how long `close`
/// waits.
///
/// # References
///  - [Linux `socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html)
#[inline]
pub fn socket_linger<Fd: AsFd>(fd: Fd) -> Result<Option<Duration>> {
    let linger = syscalls::getsockopt_linger(fd.as_fd())?;
    Ok((linger.l_onoff != 0)
        .then(|| Duration::from_secs(u64::try_from(linger.l_linger).unwrap_or(0))))
}

/// `setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, value)`—Sets whether TCP sends small segments at
/// once rather than waiting to coalesce them (Nagle's algorithm off).
///
/// # References
///  - [Linux `tcp(7)`](https://man7.org/linux/man-pages/man7/tcp.7.html)
#[inline]
pub fn set_tcp_nodelay<Fd: AsFd>(fd: Fd, value: bool) -> Result<()> {
    set_bool(fd, IPPROTO_TCP, k::TCP_NODELAY, value)
}

/// `getsockopt(fd, IPPROTO_TCP, TCP_NODELAY)`
///
/// # References
///  - [Linux `tcp(7)`](https://man7.org/linux/man-pages/man7/tcp.7.html)
#[inline]
pub fn tcp_nodelay<Fd: AsFd>(fd: Fd) -> Result<bool> {
    get_bool(fd, IPPROTO_TCP, k::TCP_NODELAY)
}

/// `setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, value)`—Sets whether an IPv6 socket is IPv6
/// only, rather than also taking IPv4 as mapped addresses. Set it before `bind`; afterwards
/// the kernel says `Errno::INVAL`.
///
/// # References
///  - [Linux `ipv6(7)`](https://man7.org/linux/man-pages/man7/ipv6.7.html)
#[inline]
pub fn set_ipv6_v6only<Fd: AsFd>(fd: Fd, value: bool) -> Result<()> {
    set_bool(fd, IPPROTO_IPV6, k::IPV6_V6ONLY, value)
}

/// `getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY)`
///
/// # References
///  - [Linux `ipv6(7)`](https://man7.org/linux/man-pages/man7/ipv6.7.html)
#[inline]
pub fn ipv6_v6only<Fd: AsFd>(fd: Fd) -> Result<bool> {
    get_bool(fd, IPPROTO_IPV6, k::IPV6_V6ONLY)
}
