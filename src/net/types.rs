//! The net module's types: socket types, address families, protocols, flags.

use core::num::NonZeroU32;
use linux_raw_sys::general as g;
use linux_raw_sys::net as k;

/// The raw number of a socket type (`SOCK_*`).
pub type RawSocketType = u32;

/// `SOCK_*`—The kind of socket [`socket`](crate::net::socket) makes: its semantics of
/// delivery.
#[derive(Debug, Clone, Copy, Eq, PartialEq, Hash)]
#[repr(transparent)]
pub struct SocketType(pub(crate) RawSocketType);

impl SocketType {
    /// `SOCK_STREAM`: a reliable, ordered byte stream (TCP, a unix stream socket).
    pub const STREAM: Self = Self(k::SOCK_STREAM);
    /// `SOCK_DGRAM`: datagrams, unreliable for IP (UDP), reliable for unix sockets.
    pub const DGRAM: Self = Self(k::SOCK_DGRAM);
    /// `SOCK_SEQPACKET`: reliable, ordered datagrams.
    pub const SEQPACKET: Self = Self(k::SOCK_SEQPACKET);
    /// `SOCK_RAW`: raw network protocol access.
    pub const RAW: Self = Self(k::SOCK_RAW);
    /// `SOCK_RDM`: reliable datagrams without ordering.
    pub const RDM: Self = Self(k::SOCK_RDM);

    /// The socket type with raw number `raw`.
    #[inline]
    pub const fn from_raw(raw: RawSocketType) -> Self {
        Self(raw)
    }

    /// The raw number of this socket type.
    #[inline]
    pub const fn as_raw(self) -> RawSocketType {
        self.0
    }
}

/// The raw number of an address family (`AF_*`): the kernel's `sa_family_t`.
pub type RawAddressFamily = u16;

/// `AF_*`—An address family: what kind of addresses a socket uses.
///
/// The families Linux defines, under rustix's names; any other number goes through
/// [`from_raw`](Self::from_raw).
#[derive(Debug, Clone, Copy, Eq, PartialEq, Hash)]
#[repr(transparent)]
pub struct AddressFamily(pub(crate) RawAddressFamily);

#[allow(non_upper_case_globals)]
impl AddressFamily {
    /// `AF_UNSPEC`: no family (an unset address, or "any" in a lookup).
    pub const UNSPEC: Self = Self(k::AF_UNSPEC as _);
    /// `AF_INET`: IPv4.
    ///
    /// # References
    ///  - [Linux `ip(7)`](https://man7.org/linux/man-pages/man7/ip.7.html)
    pub const INET: Self = Self(k::AF_INET as _);
    /// `AF_INET6`: IPv6.
    ///
    /// # References
    ///  - [Linux `ipv6(7)`](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    pub const INET6: Self = Self(k::AF_INET6 as _);
    /// `AF_NETLINK`: kernel–user messaging.
    ///
    /// # References
    ///  - [Linux `netlink(7)`](https://man7.org/linux/man-pages/man7/netlink.7.html)
    pub const NETLINK: Self = Self(k::AF_NETLINK as _);
    /// `AF_UNIX` (also `AF_LOCAL`): local sockets, named by path or abstract name.
    ///
    /// # References
    ///  - [Linux `unix(7)`](https://man7.org/linux/man-pages/man7/unix.7.html)
    #[doc(alias = "LOCAL")]
    pub const UNIX: Self = Self(k::AF_UNIX as _);
    /// `AF_AX25`
    pub const AX25: Self = Self(k::AF_AX25 as _);
    /// `AF_IPX`
    pub const IPX: Self = Self(k::AF_IPX as _);
    /// `AF_APPLETALK`
    pub const APPLETALK: Self = Self(k::AF_APPLETALK as _);
    /// `AF_NETROM`
    pub const NETROM: Self = Self(k::AF_NETROM as _);
    /// `AF_BRIDGE`
    pub const BRIDGE: Self = Self(k::AF_BRIDGE as _);
    /// `AF_ATMPVC`
    pub const ATMPVC: Self = Self(k::AF_ATMPVC as _);
    /// `AF_X25`
    pub const X25: Self = Self(k::AF_X25 as _);
    /// `AF_ROSE`
    pub const ROSE: Self = Self(k::AF_ROSE as _);
    /// `AF_DECnet`
    pub const DECnet: Self = Self(k::AF_DECnet as _);
    /// `AF_NETBEUI`
    pub const NETBEUI: Self = Self(k::AF_NETBEUI as _);
    /// `AF_SECURITY`
    pub const SECURITY: Self = Self(k::AF_SECURITY as _);
    /// `AF_KEY`
    pub const KEY: Self = Self(k::AF_KEY as _);
    /// `AF_PACKET`: raw packets at the device level.
    ///
    /// # References
    ///  - [Linux `packet(7)`](https://man7.org/linux/man-pages/man7/packet.7.html)
    pub const PACKET: Self = Self(k::AF_PACKET as _);
    /// `AF_ASH`
    pub const ASH: Self = Self(k::AF_ASH as _);
    /// `AF_ECONET`
    pub const ECONET: Self = Self(k::AF_ECONET as _);
    /// `AF_ATMSVC`
    pub const ATMSVC: Self = Self(k::AF_ATMSVC as _);
    /// `AF_RDS`
    pub const RDS: Self = Self(k::AF_RDS as _);
    /// `AF_SNA`
    pub const SNA: Self = Self(k::AF_SNA as _);
    /// `AF_IRDA`
    pub const IRDA: Self = Self(k::AF_IRDA as _);
    /// `AF_PPPOX`
    pub const PPPOX: Self = Self(k::AF_PPPOX as _);
    /// `AF_WANPIPE`
    pub const WANPIPE: Self = Self(k::AF_WANPIPE as _);
    /// `AF_LLC`
    pub const LLC: Self = Self(k::AF_LLC as _);
    /// `AF_CAN`
    pub const CAN: Self = Self(k::AF_CAN as _);
    /// `AF_TIPC`
    pub const TIPC: Self = Self(k::AF_TIPC as _);
    /// `AF_BLUETOOTH`
    pub const BLUETOOTH: Self = Self(k::AF_BLUETOOTH as _);
    /// `AF_IUCV`
    pub const IUCV: Self = Self(k::AF_IUCV as _);
    /// `AF_RXRPC`
    pub const RXRPC: Self = Self(k::AF_RXRPC as _);
    /// `AF_ISDN`
    pub const ISDN: Self = Self(k::AF_ISDN as _);
    /// `AF_PHONET`
    pub const PHONET: Self = Self(k::AF_PHONET as _);
    /// `AF_IEEE802154`
    pub const IEEE802154: Self = Self(k::AF_IEEE802154 as _);
    /// `AF_CAIF`
    pub const CAIF: Self = Self(k::AF_CAIF as _);
    /// `AF_ALG`
    pub const ALG: Self = Self(k::AF_ALG as _);
    /// `AF_NFC`
    pub const NFC: Self = Self(k::AF_NFC as _);
    /// `AF_VSOCK`
    pub const VSOCK: Self = Self(k::AF_VSOCK as _);
    /// `AF_KCM`
    pub const KCM: Self = Self(k::AF_KCM as _);
    /// `AF_QIPCRTR`
    pub const QIPCRTR: Self = Self(k::AF_QIPCRTR as _);
    /// `AF_SMC`
    pub const SMC: Self = Self(k::AF_SMC as _);
    /// `AF_XDP`
    pub const XDP: Self = Self(k::AF_XDP as _);
    /// `AF_MCTP`
    pub const MCTP: Self = Self(k::AF_MCTP as _);

    /// The address family with raw number `raw`.
    #[inline]
    pub const fn from_raw(raw: RawAddressFamily) -> Self {
        Self(raw)
    }

    /// The raw number of this address family.
    #[inline]
    pub const fn as_raw(self) -> RawAddressFamily {
        self.0
    }
}

/// The raw number of a protocol: never 0, which is "the family's default" and is spelled
/// `None` where a protocol is optional.
pub type RawProtocol = NonZeroU32;

const fn protocol(raw: u32) -> Protocol {
    match NonZeroU32::new(raw) {
        Some(raw) => Protocol(raw),
        None => panic!("protocol 0 is spelled `None`"),
    }
}

/// `IPPROTO_*` and other protocol numbers for [`socket`](crate::net::socket),
/// [`socket_with`](crate::net::socket_with) and [`socketpair`](crate::net::socketpair).
///
/// The default protocol of a family and type (`IPPROTO_IP`, 0) is `None` in those calls; the
/// constants are in [`ipproto`](crate::net::ipproto).
#[derive(Debug, Clone, Copy, Eq, PartialEq, Hash)]
#[repr(transparent)]
#[doc(alias = "IPPROTO_IP")]
pub struct Protocol(pub(crate) RawProtocol);

impl Protocol {
    /// The protocol with raw number `raw`.
    #[inline]
    pub const fn from_raw(raw: RawProtocol) -> Self {
        Self(raw)
    }

    /// The raw number of this protocol.
    #[inline]
    pub const fn as_raw(self) -> RawProtocol {
        self.0
    }
}

/// `IPPROTO_*`—IP protocol numbers. For `IPPROTO_IP` (0), pass `None`.
pub mod ipproto {
    use super::{protocol, Protocol};
    use linux_raw_sys::net as k;

    /// `IPPROTO_ICMP`
    pub const ICMP: Protocol = protocol(k::IPPROTO_ICMP as _);
    /// `IPPROTO_IGMP`
    pub const IGMP: Protocol = protocol(k::IPPROTO_IGMP as _);
    /// `IPPROTO_IPIP`
    pub const IPIP: Protocol = protocol(k::IPPROTO_IPIP as _);
    /// `IPPROTO_TCP`
    pub const TCP: Protocol = protocol(k::IPPROTO_TCP as _);
    /// `IPPROTO_EGP`
    pub const EGP: Protocol = protocol(k::IPPROTO_EGP as _);
    /// `IPPROTO_PUP`
    pub const PUP: Protocol = protocol(k::IPPROTO_PUP as _);
    /// `IPPROTO_UDP`
    pub const UDP: Protocol = protocol(k::IPPROTO_UDP as _);
    /// `IPPROTO_IDP`
    pub const IDP: Protocol = protocol(k::IPPROTO_IDP as _);
    /// `IPPROTO_TP`
    pub const TP: Protocol = protocol(k::IPPROTO_TP as _);
    /// `IPPROTO_DCCP`
    pub const DCCP: Protocol = protocol(k::IPPROTO_DCCP as _);
    /// `IPPROTO_IPV6`
    pub const IPV6: Protocol = protocol(k::IPPROTO_IPV6 as _);
    /// `IPPROTO_RSVP`
    pub const RSVP: Protocol = protocol(k::IPPROTO_RSVP as _);
    /// `IPPROTO_GRE`
    pub const GRE: Protocol = protocol(k::IPPROTO_GRE as _);
    /// `IPPROTO_ESP`
    pub const ESP: Protocol = protocol(k::IPPROTO_ESP as _);
    /// `IPPROTO_AH`
    pub const AH: Protocol = protocol(k::IPPROTO_AH as _);
    /// `IPPROTO_MTP`
    pub const MTP: Protocol = protocol(k::IPPROTO_MTP as _);
    /// `IPPROTO_BEETPH`
    pub const BEETPH: Protocol = protocol(k::IPPROTO_BEETPH as _);
    /// `IPPROTO_ENCAP`
    pub const ENCAP: Protocol = protocol(k::IPPROTO_ENCAP as _);
    /// `IPPROTO_PIM`
    pub const PIM: Protocol = protocol(k::IPPROTO_PIM as _);
    /// `IPPROTO_COMP`
    pub const COMP: Protocol = protocol(k::IPPROTO_COMP as _);
    /// `IPPROTO_SCTP`
    pub const SCTP: Protocol = protocol(k::IPPROTO_SCTP as _);
    /// `IPPROTO_UDPLITE`
    pub const UDPLITE: Protocol = protocol(k::IPPROTO_UDPLITE as _);
    /// `IPPROTO_MPLS`
    pub const MPLS: Protocol = protocol(k::IPPROTO_MPLS as _);
    /// `IPPROTO_ETHERNET`
    pub const ETHERNET: Protocol = protocol(k::IPPROTO_ETHERNET as _);
    /// `IPPROTO_RAW`
    pub const RAW: Protocol = protocol(k::IPPROTO_RAW as _);
    /// `IPPROTO_MPTCP`
    pub const MPTCP: Protocol = protocol(k::IPPROTO_MPTCP as _);
    /// `IPPROTO_FRAGMENT`
    pub const FRAGMENT: Protocol = protocol(k::IPPROTO_FRAGMENT as _);
    /// `IPPROTO_ICMPV6`
    pub const ICMPV6: Protocol = protocol(k::IPPROTO_ICMPV6 as _);
    /// `IPPROTO_MH`
    pub const MH: Protocol = protocol(k::IPPROTO_MH as _);
    /// `IPPROTO_ROUTING`
    pub const ROUTING: Protocol = protocol(k::IPPROTO_ROUTING as _);
}

/// `SHUT_*`—Which half of a connection [`shutdown`](crate::net::shutdown) closes.
#[derive(Debug, Clone, Copy, Eq, PartialEq, Hash)]
#[repr(u32)]
pub enum Shutdown {
    /// `SHUT_RD`: no more receiving.
    Read = k::SHUT_RD,
    /// `SHUT_WR`: no more sending; the peer reads end-of-file.
    Write = k::SHUT_WR,
    /// `SHUT_RDWR`: both.
    Both = k::SHUT_RDWR,
}

flags! {
    /// `SOCK_*` flags for [`socket_with`](crate::net::socket_with),
    /// [`socketpair`](crate::net::socketpair), [`accept_with`](crate::net::accept_with) and
    /// [`acceptfrom_with`](crate::net::acceptfrom_with).
    ///
    /// As in rustix, there are no unnamed bits, so that `from_bits_truncate` takes these
    /// flags out of a word that also holds a socket type.
    pub struct SocketFlags: u32 {
        /// `SOCK_NONBLOCK`
        const NONBLOCK = g::O_NONBLOCK;
        /// `SOCK_CLOEXEC`
        const CLOEXEC = g::O_CLOEXEC;
    }
}

flags! {
    /// `MSG_*` flags for [`send`](crate::net::send), [`sendto`](crate::net::sendto) and
    /// [`sendmsg`](crate::net::sendmsg).
    pub struct SendFlags: u32 {
        /// `MSG_CONFIRM`
        const CONFIRM = k::MSG_CONFIRM;
        /// `MSG_DONTROUTE`
        const DONTROUTE = k::MSG_DONTROUTE;
        /// `MSG_DONTWAIT`: do not block; `Errno::AGAIN` where the call would.
        const DONTWAIT = k::MSG_DONTWAIT;
        /// `MSG_EOR`
        const EOR = k::MSG_EOR;
        /// `MSG_MORE`
        const MORE = k::MSG_MORE;
        /// `MSG_NOSIGNAL`: a send on a broken stream is `Errno::PIPE` without `SIGPIPE`.
        const NOSIGNAL = k::MSG_NOSIGNAL;
        /// `MSG_OOB`
        const OOB = k::MSG_OOB;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `MSG_*` flags for [`recv`](crate::net::recv), [`recvfrom`](crate::net::recvfrom) and
    /// [`recvmsg`](crate::net::recvmsg).
    pub struct RecvFlags: u32 {
        /// `MSG_CMSG_CLOEXEC`: fds received with `SCM_RIGHTS` are close-on-exec.
        const CMSG_CLOEXEC = k::MSG_CMSG_CLOEXEC;
        /// `MSG_DONTWAIT`: do not block; `Errno::AGAIN` where the call would.
        const DONTWAIT = k::MSG_DONTWAIT;
        /// `MSG_ERRQUEUE`
        const ERRQUEUE = k::MSG_ERRQUEUE;
        /// `MSG_OOB`
        const OOB = k::MSG_OOB;
        /// `MSG_PEEK`: return the data without taking it from the queue.
        const PEEK = k::MSG_PEEK;
        /// `MSG_TRUNC`: return the whole datagram's length, even when the buffer is shorter.
        const TRUNC = k::MSG_TRUNC;
        /// `MSG_WAITALL`: block until the buffer is full (or an error, a signal, the end).
        const WAITALL = k::MSG_WAITALL;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `MSG_*` flags that [`recvmsg`](crate::net::recvmsg) returns, in
    /// [`RecvMsg::flags`](crate::net::RecvMsg::flags).
    pub struct ReturnFlags: u32 {
        /// `MSG_OOB`
        const OOB = k::MSG_OOB;
        /// `MSG_EOR`
        const EOR = k::MSG_EOR;
        /// `MSG_TRUNC`: the datagram was longer than the buffers.
        const TRUNC = k::MSG_TRUNC;
        /// `MSG_CTRUNC`: the ancillary data did not fit the control buffer; what did not fit
        /// (fds included, which the kernel closes) is lost.
        const CTRUNC = k::MSG_CTRUNC;
        /// `MSG_ERRQUEUE`
        const ERRQUEUE = k::MSG_ERRQUEUE;
        /// `MSG_CMSG_CLOEXEC`
        const CMSG_CLOEXEC = k::MSG_CMSG_CLOEXEC;
        /// Bits this version does not name: kept as the kernel returned them.
        const _ = !0;
    }
}
