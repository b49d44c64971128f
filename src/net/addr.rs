//! Socket addresses: how they are passed to the kernel ([`SocketAddrArg`]), and the
//! `struct sockaddr_*` encodings of IPv4, IPv6 and unix addresses, written and read by hand in
//! network byte order.
//!
//! The layouts are the kernel's (`sockaddr_in`: family, port, address, 8 bytes of zeros;
//! `sockaddr_in6`: family, port, flow info, address, scope id; `sockaddr_un`: family, path),
//! with the family in host order, the port, IPv4 address and flow info big-endian, and the
//! scope id in host order. The offsets are checked against linux-raw-sys's structs below.

use crate::io::{Errno, Result};
use crate::net::{AddressFamily, SocketAddrAny};
use core::fmt;
use core::hash::{Hash, Hasher};
use core::mem::{size_of, MaybeUninit};
use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use linux_raw_sys::net as k;

/// The length of an encoded socket address, in bytes: the kernel's `socklen_t`.
#[doc(alias = "socklen_t")]
pub type SocketAddrLen = u32;

/// An encoded socket address of any family, seen only through a pointer: what
/// [`SocketAddrArg::with_sockaddr`] hands out.
#[repr(C)]
pub struct SocketAddrOpaque {
    _data: [u8; 0],
}

/// `struct sockaddr_storage`—Room for an encoded socket address of any family: 128 bytes,
/// aligned as a pointer, as the kernel's.
#[repr(C)]
#[derive(Copy, Clone)]
#[doc(alias = "sockaddr_storage")]
pub struct SocketAddrStorage {
    family: u16,
    data: [u8; 126],
    _align: [usize; 0],
}

static_assertions::assert_eq_size!(SocketAddrStorage, k::__kernel_sockaddr_storage);
static_assertions::assert_eq_align!(SocketAddrStorage, k::__kernel_sockaddr_storage);

impl SocketAddrStorage {
    /// Storage of all zeros, whose family is [`AddressFamily::UNSPEC`].
    #[inline]
    pub const fn zeroed() -> Self {
        Self {
            family: k::AF_UNSPEC as u16,
            data: [0; 126],
            _align: [],
        }
    }

    /// The `sa_family` field.
    #[inline]
    pub fn family(&self) -> AddressFamily {
        AddressFamily::from_raw(self.family)
    }

    /// Sets the `sa_family` field to [`AddressFamily::UNSPEC`].
    #[inline]
    pub fn clear_family(&mut self) {
        self.family = k::AF_UNSPEC as u16;
    }

    /// The storage as bytes.
    #[inline]
    fn bytes_mut(&mut self) -> &mut [u8; 128] {
        // SAFETY: `repr(C)`, 2 + 126 bytes with no padding (the zero-length array adds only
        // alignment), so the struct is 128 initialized bytes.
        unsafe { &mut *(self as *mut Self).cast::<[u8; 128]>() }
    }
}

/// The size of the family field that begins every `sockaddr`: an address shorter than this
/// has no family.
pub(crate) const FAMILY_LEN: usize = size_of::<u16>();

/// A socket address that can be passed to the kernel: [`bind`](crate::net::bind),
/// [`connect`](crate::net::connect), [`sendto`](crate::net::sendto) and
/// [`sendmsg_addr`](crate::net::sendmsg_addr) take any of them.
///
/// # Safety
///
/// `with_sockaddr` must call `f` with a pointer to a valid, initialized encoded socket address
/// of the length it passes, valid for the duration of the call.
pub unsafe trait SocketAddrArg {
    /// Calls `f` with a pointer to the encoded address and its length.
    ///
    /// # Safety
    ///
    /// `f` may read only the given number of bytes behind the pointer, and only during the
    /// call.
    unsafe fn with_sockaddr<R>(
        &self,
        f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R,
    ) -> R;

    /// The address as a [`SocketAddrAny`].
    fn as_any(&self) -> SocketAddrAny {
        let mut storage = MaybeUninit::<SocketAddrStorage>::uninit();
        // SAFETY: `write_sockaddr` initializes `len` bytes of `storage`, an encoded address.
        unsafe {
            let len = self.write_sockaddr(storage.as_mut_ptr());
            SocketAddrAny::new(storage, len)
        }
    }

    /// Writes the encoded address into `storage` and returns its length.
    ///
    /// # Safety
    ///
    /// `storage` must be valid for writes of a whole [`SocketAddrStorage`].
    unsafe fn write_sockaddr(&self, storage: *mut SocketAddrStorage) -> SocketAddrLen {
        // SAFETY: `with_sockaddr` gives `len` readable bytes; the caller gives a writable
        // storage, and at most the storage's size is copied (every encoding here is at most
        // `sockaddr_un`'s 110 bytes, so nothing is cut).
        unsafe {
            self.with_sockaddr(|ptr, len| {
                let len = (len as usize).min(size_of::<SocketAddrStorage>());
                core::ptr::copy_nonoverlapping(ptr.cast::<u8>(), storage.cast::<u8>(), len);
                len as SocketAddrLen
            })
        }
    }
}

// ---- IPv4 and IPv6 ---------------------------------------------------------------------------

const IN_LEN: usize = size_of::<k::sockaddr_in>();
const IN6_LEN: usize = size_of::<k::sockaddr_in6>();
static_assertions::const_assert_eq!(IN_LEN, 16);
static_assertions::const_assert_eq!(IN6_LEN, 28);
static_assertions::const_assert_eq!(core::mem::offset_of!(k::sockaddr_in, sin_port), 2);
static_assertions::const_assert_eq!(core::mem::offset_of!(k::sockaddr_in, sin_addr), 4);
static_assertions::const_assert_eq!(core::mem::offset_of!(k::sockaddr_in6, sin6_port), 2);
static_assertions::const_assert_eq!(core::mem::offset_of!(k::sockaddr_in6, sin6_flowinfo), 4);
static_assertions::const_assert_eq!(core::mem::offset_of!(k::sockaddr_in6, sin6_addr), 8);
static_assertions::const_assert_eq!(core::mem::offset_of!(k::sockaddr_in6, sin6_scope_id), 24);

/// Encodes `sockaddr_in` into zeroed storage; returns its length.
pub(crate) fn encode_v4(addr: &SocketAddrV4, storage: &mut SocketAddrStorage) -> SocketAddrLen {
    storage.family = k::AF_INET as u16;
    let bytes = storage.bytes_mut();
    bytes[2..4].copy_from_slice(&addr.port().to_be_bytes());
    bytes[4..8].copy_from_slice(&addr.ip().octets());
    bytes[8..IN_LEN].fill(0);
    IN_LEN as SocketAddrLen
}

/// Encodes `sockaddr_in6` into storage; returns its length.
pub(crate) fn encode_v6(addr: &SocketAddrV6, storage: &mut SocketAddrStorage) -> SocketAddrLen {
    storage.family = k::AF_INET6 as u16;
    let bytes = storage.bytes_mut();
    bytes[2..4].copy_from_slice(&addr.port().to_be_bytes());
    bytes[4..8].copy_from_slice(&addr.flowinfo().to_be_bytes());
    bytes[8..24].copy_from_slice(&addr.ip().octets());
    bytes[24..28].copy_from_slice(&addr.scope_id().to_ne_bytes());
    IN6_LEN as SocketAddrLen
}

/// Decodes `sockaddr_in` from the first `bytes.len()` bytes the kernel wrote.
pub(crate) fn decode_v4(bytes: &[u8]) -> Result<SocketAddrV4> {
    let bytes: &[u8; IN_LEN] = bytes
        .get(..IN_LEN)
        .and_then(|b| b.try_into().ok())
        .ok_or(Errno::INVAL)?;
    let port = u16::from_be_bytes([bytes[2], bytes[3]]);
    let ip = Ipv4Addr::new(bytes[4], bytes[5], bytes[6], bytes[7]);
    Ok(SocketAddrV4::new(ip, port))
}

/// Decodes `sockaddr_in6` from the first `bytes.len()` bytes the kernel wrote.
pub(crate) fn decode_v6(bytes: &[u8]) -> Result<SocketAddrV6> {
    let bytes: &[u8; IN6_LEN] = bytes
        .get(..IN6_LEN)
        .and_then(|b| b.try_into().ok())
        .ok_or(Errno::INVAL)?;
    let word = |at: usize| [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
    let port = u16::from_be_bytes([bytes[2], bytes[3]]);
    let flowinfo = u32::from_be_bytes(word(4));
    let mut octets = [0u8; 16];
    octets.copy_from_slice(&bytes[8..24]);
    let scope_id = u32::from_ne_bytes(word(24));
    Ok(SocketAddrV6::new(
        Ipv6Addr::from(octets),
        port,
        flowinfo,
        scope_id,
    ))
}

/// Calls `f` with `storage`'s address and `len`.
///
/// # Safety
///
/// `len` bytes of `storage` must be an encoded address.
#[inline]
unsafe fn call_with_storage<R>(
    storage: &SocketAddrStorage,
    len: SocketAddrLen,
    f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R,
) -> R {
    f((storage as *const SocketAddrStorage).cast(), len)
}

// SAFETY: the storage lives across the call and holds `len` encoded bytes.
unsafe impl SocketAddrArg for SocketAddrV4 {
    unsafe fn with_sockaddr<R>(
        &self,
        f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R,
    ) -> R {
        let mut storage = SocketAddrStorage::zeroed();
        let len = encode_v4(self, &mut storage);
        // SAFETY: `encode_v4` wrote `len` bytes.
        unsafe { call_with_storage(&storage, len, f) }
    }
}

// SAFETY: as for `SocketAddrV4`.
unsafe impl SocketAddrArg for SocketAddrV6 {
    unsafe fn with_sockaddr<R>(
        &self,
        f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R,
    ) -> R {
        let mut storage = SocketAddrStorage::zeroed();
        let len = encode_v6(self, &mut storage);
        // SAFETY: `encode_v6` wrote `len` bytes.
        unsafe { call_with_storage(&storage, len, f) }
    }
}

// SAFETY: delegates to the V4 and V6 impls.
unsafe impl SocketAddrArg for SocketAddr {
    unsafe fn with_sockaddr<R>(
        &self,
        f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R,
    ) -> R {
        // SAFETY: the caller's contract passes through.
        unsafe {
            match self {
                Self::V4(v4) => v4.with_sockaddr(f),
                Self::V6(v6) => v6.with_sockaddr(f),
            }
        }
    }
}

// ---- Unix ------------------------------------------------------------------------------------

/// The length of `sockaddr_un`'s `sun_path`.
const SUN_PATH_LEN: usize = 108;
static_assertions::const_assert_eq!(core::mem::offset_of!(k::sockaddr_un, sun_path), FAMILY_LEN);
static_assertions::const_assert_eq!(size_of::<k::sockaddr_un>(), FAMILY_LEN + SUN_PATH_LEN);

/// `struct sockaddr_un` as the kernel lays it out.
#[repr(C)]
#[derive(Clone, Copy)]
struct RawUnix {
    family: u16,
    path: [u8; SUN_PATH_LEN],
}

/// `struct sockaddr_un`—A unix socket's address: a filesystem path, an abstract name (Linux),
/// or none (unnamed).
///
/// An address the kernel returns is decoded from the bytes it wrote and no further: an
/// unnamed socket's (the family alone) is [`is_unnamed`](Self::is_unnamed), an abstract name
/// is the bytes after the leading NUL up to the length, a path is the bytes up to its NUL, or
/// all 108 where it fills `sun_path` without one.
///
/// Unlike rustix 1.1.6, which decodes an unnamed socket's address as the abstract name `""`
/// (`is_unnamed()` false, `abstract_name()` `Some(b"")`), barecall decodes it as unnamed,
/// equal to [`new_unnamed`](Self::new_unnamed) (`compat/tests/net_port.rs` shows both).
#[derive(Clone)]
#[doc(alias = "sockaddr_un")]
pub struct SocketAddrUnix {
    unix: RawUnix,
    /// The encoded length: the family plus the used part of `sun_path`.
    len: SocketAddrLen,
}

impl SocketAddrUnix {
    /// An address naming the filesystem path `path`.
    ///
    /// The path is stored with its NUL where that fits in `sun_path`'s 108 bytes, and without
    /// it where the path is exactly 108 bytes (the kernel accepts both); longer is
    /// `Errno::NAMETOOLONG`. A path with an interior NUL is `Errno::INVAL`.
    #[inline]
    pub fn new<P: crate::path::Arg>(path: P) -> Result<Self> {
        path.into_with_c_str(|path| {
            let mut bytes = path.to_bytes_with_nul();
            if bytes.len() > SUN_PATH_LEN {
                bytes = path.to_bytes();
            }
            Self::with_path_bytes(bytes, 0)
        })
    }

    /// An address in Linux's abstract namespace: `name` after a leading NUL byte, not a file.
    /// A name longer than 107 bytes is `Errno::NAMETOOLONG`.
    ///
    /// # References
    ///  - [Linux `unix(7)`](https://man7.org/linux/man-pages/man7/unix.7.html)
    #[inline]
    pub fn new_abstract_name(name: &[u8]) -> Result<Self> {
        Self::with_path_bytes(name, 1)
    }

    /// The unnamed address: `bind` with it gives the socket an abstract name the kernel
    /// picks (autobind), which [`getsockname`](crate::net::getsockname) then reports.
    ///
    /// # References
    ///  - [Linux `unix(7)`](https://man7.org/linux/man-pages/man7/unix.7.html)
    #[inline]
    pub fn new_unnamed() -> Self {
        Self {
            unix: RawUnix {
                family: k::AF_UNIX as u16,
                path: [0; SUN_PATH_LEN],
            },
            len: FAMILY_LEN as SocketAddrLen,
        }
    }

    /// `bytes` at `sun_path[at..]`, the rest zero.
    fn with_path_bytes(bytes: &[u8], at: usize) -> Result<Self> {
        let mut addr = Self::new_unnamed();
        let used = at + bytes.len();
        addr.unix
            .path
            .get_mut(at..used)
            .ok_or(Errno::NAMETOOLONG)?
            .copy_from_slice(bytes);
        addr.len = (FAMILY_LEN + used) as SocketAddrLen;
        Ok(addr)
    }

    /// Decodes the first `bytes.len()` bytes of a `sockaddr_un` the kernel wrote (family
    /// included); anything past `sockaddr_un` is ignored.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Self> {
        let used = bytes
            .get(FAMILY_LEN..)
            .ok_or(Errno::INVAL)?
            .get(..SUN_PATH_LEN)
            .unwrap_or(&bytes[FAMILY_LEN..]);
        Self::with_path_bytes(used, 0)
    }

    /// The used part of `sun_path`.
    #[inline]
    fn bytes(&self) -> &[u8] {
        &self.unix.path[..self.len as usize - FAMILY_LEN]
    }

    /// For a filesystem path address, the path, without its NUL.
    #[inline]
    pub fn path_bytes(&self) -> Option<&[u8]> {
        match self.bytes() {
            [] | [0, ..] => None,
            bytes => Some(bytes.split(|&b| b == 0).next().unwrap_or(bytes)),
        }
    }

    /// For a filesystem path address, the path as a C string (borrowed where `sun_path` holds
    /// its NUL, copied where the path fills all 108 bytes).
    #[cfg(feature = "alloc")]
    pub fn path(&self) -> Option<alloc::borrow::Cow<'_, core::ffi::CStr>> {
        use alloc::borrow::Cow;
        let path = self.path_bytes()?;
        match core::ffi::CStr::from_bytes_with_nul(&self.unix.path[..=path.len().min(107)]) {
            Ok(c_str) if c_str.to_bytes().len() == path.len() => Some(Cow::Borrowed(c_str)),
            _ => alloc::ffi::CString::new(path).ok().map(Cow::Owned),
        }
    }

    /// For an abstract address, the name (without the leading NUL).
    #[inline]
    pub fn abstract_name(&self) -> Option<&[u8]> {
        match self.bytes() {
            [0, name @ ..] => Some(name),
            _ => None,
        }
    }

    /// Whether this is the unnamed address.
    #[inline]
    pub fn is_unnamed(&self) -> bool {
        self.bytes().is_empty()
    }
}

// SAFETY: `unix` is a `sockaddr_un` whose first `len` bytes are initialized.
unsafe impl SocketAddrArg for SocketAddrUnix {
    unsafe fn with_sockaddr<R>(
        &self,
        f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R,
    ) -> R {
        f((&self.unix as *const RawUnix).cast(), self.len)
    }
}

impl PartialEq for SocketAddrUnix {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for SocketAddrUnix {}

impl PartialOrd for SocketAddrUnix {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SocketAddrUnix {
    #[inline]
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.bytes().cmp(other.bytes())
    }
}

impl Hash for SocketAddrUnix {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.bytes().hash(state)
    }
}

impl fmt::Debug for SocketAddrUnix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = |f: &mut fmt::Formatter<'_>, bytes: &[u8]| match core::str::from_utf8(bytes) {
            Ok(s) => s.fmt(f),
            Err(_) => bytes.fmt(f),
        };
        if let Some(path) = self.path_bytes() {
            text(f, path)
        } else if let Some(name) = self.abstract_name() {
            text(f, name)
        } else {
            "(unnamed)".fmt(f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_and_v6_round_trip_in_network_order() {
        let mut storage = SocketAddrStorage::zeroed();
        let v4 = SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 1), 0x1234);
        assert_eq!(encode_v4(&v4, &mut storage), 16);
        let bytes = *storage.bytes_mut();
        assert_eq!(&bytes[2..8], &[0x12, 0x34, 127, 0, 0, 1]);
        assert_eq!(decode_v4(&bytes[..16]), Ok(v4));
        assert_eq!(decode_v4(&bytes[..15]), Err(Errno::INVAL));
        let v6 = SocketAddrV6::new(Ipv6Addr::LOCALHOST, 443, 0x0102_0304, 7);
        assert_eq!(encode_v6(&v6, &mut storage), 28);
        let bytes = *storage.bytes_mut();
        assert_eq!(&bytes[2..8], &[1, 187, 1, 2, 3, 4]);
        assert_eq!(bytes[23], 1);
        assert_eq!(decode_v6(&bytes[..28]), Ok(v6));
        assert_eq!(decode_v6(&bytes[..27]), Err(Errno::INVAL));
    }

    #[test]
    fn unix_names() {
        let path = SocketAddrUnix::new("/tmp/x").unwrap();
        assert_eq!(path.len, 2 + 7);
        assert_eq!(path.path_bytes(), Some(&b"/tmp/x"[..]));
        assert_eq!(path.abstract_name(), None);
        let long = [b'a'; 108];
        let full = SocketAddrUnix::new(&long[..]).unwrap();
        assert_eq!(full.len, 110);
        assert_eq!(full.path_bytes(), Some(&long[..]));
        assert_eq!(
            SocketAddrUnix::new(&[b'a'; 109][..]).err(),
            Some(Errno::NAMETOOLONG)
        );
        let name = SocketAddrUnix::new_abstract_name(b"barecall").unwrap();
        assert_eq!(name.abstract_name(), Some(&b"barecall"[..]));
        assert_eq!(name.path_bytes(), None);
        assert!(SocketAddrUnix::new_abstract_name(&[1; 107]).is_ok());
        assert_eq!(
            SocketAddrUnix::new_abstract_name(&[1; 108]).err(),
            Some(Errno::NAMETOOLONG)
        );
        let unnamed = SocketAddrUnix::new_unnamed();
        assert!(unnamed.is_unnamed());
        assert_eq!(unnamed.path_bytes(), None);
        assert_eq!(unnamed.abstract_name(), None);
        // Decoding reads the length the kernel gave and no further.
        assert!(SocketAddrUnix::decode(&[1, 0]).unwrap().is_unnamed());
        assert_eq!(SocketAddrUnix::decode(&[1]).err(), Some(Errno::INVAL));
        let decoded = SocketAddrUnix::decode(&[1, 0, 0, b'a', b'b']).unwrap();
        assert_eq!(decoded.abstract_name(), Some(&b"ab"[..]));
        let decoded = SocketAddrUnix::decode(&[1, 0, b'/', b'x', 0]).unwrap();
        assert_eq!(decoded, SocketAddrUnix::new("/x").unwrap());
    }
}
