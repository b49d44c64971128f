//! Sockets: rustix's `net` module (feature `net`).
//!
//! Addresses are `core::net`'s ([`SocketAddrV4`], [`SocketAddrV6`], ...), [`SocketAddrUnix`]
//! for unix sockets, and [`SocketAddrAny`] for what the kernel returns; calls that take an
//! address take any [`SocketAddrArg`](addr::SocketAddrArg).
//!
//! ```
//! use barecall::net::{self, AddressFamily, RecvFlags, SendFlags, SocketFlags, SocketType};
//!
//! # fn main() -> barecall::io::Result<()> {
//! let (a, b) = net::socketpair(AddressFamily::UNIX, SocketType::STREAM, SocketFlags::CLOEXEC, None)?;
//! net::send(&a, b"ping", SendFlags::empty())?;
//! let mut buf = [0u8; 8];
//! let (n, _) = net::recv(&b, &mut buf, RecvFlags::empty())?;
//! assert_eq!(&buf[..n], b"ping");
//! # Ok(())
//! # }
//! ```

pub mod addr;
mod any;
mod msg;
mod send_recv;
mod socket;
pub mod sockopt;
pub(crate) mod syscalls;
mod types;

pub use addr::SocketAddrUnix;
pub use any::SocketAddrAny;
pub use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
#[doc(hidden)]
pub use msg::{__cmsg_aligned_space, __cmsg_space};
pub use msg::{
    recvmsg, sendmsg, sendmsg_addr, AncillaryDrain, AncillaryIter, RecvAncillaryBuffer,
    RecvAncillaryMessage, RecvMsg, SendAncillaryBuffer, SendAncillaryMessage,
};
pub use send_recv::{recv, recvfrom, send, sendto};
pub use socket::{
    accept, accept_with, acceptfrom, acceptfrom_with, bind, connect, connect_unspec, getpeername,
    getsockname, listen, shutdown, socket, socket_with, socketpair,
};
pub use types::{
    ipproto, AddressFamily, Protocol, RawAddressFamily, RawProtocol, RawSocketType, RecvFlags,
    ReturnFlags, SendFlags, Shutdown, SocketFlags, SocketType,
};
