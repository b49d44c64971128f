//! [`SocketAddrAny`]: an encoded socket address of any family, and the buffer calls fill.

use crate::io::{Errno, Result};
use crate::net::addr::{
    decode_v4, decode_v6, SocketAddrArg, SocketAddrLen, SocketAddrOpaque, SocketAddrStorage,
    FAMILY_LEN,
};
use crate::net::{AddressFamily, SocketAddrUnix};
use core::fmt;
use core::mem::{size_of, MaybeUninit};
use core::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
use core::num::NonZeroU32;

/// Storage and length for a call that returns an address (`accept`, `getsockname`,
/// `recvfrom`, `recvmsg`): the kernel writes at most the storage and sets the length to the
/// address's full size, which may be larger.
pub(crate) struct SocketAddrBuf {
    pub(crate) len: SocketAddrLen,
    pub(crate) storage: MaybeUninit<SocketAddrStorage>,
}

impl SocketAddrBuf {
    #[inline]
    pub(crate) const fn new() -> Self {
        Self {
            len: size_of::<SocketAddrStorage>() as SocketAddrLen,
            storage: MaybeUninit::uninit(),
        }
    }

    /// The address the kernel wrote, `None` if it wrote none (a length of 0: TCP's
    /// `recvfrom`, for one).
    ///
    /// A length beyond the storage means the kernel wrote only the storage, so only that is
    /// kept; a length shorter than the family field, which Linux returns only as 0, is `None`.
    ///
    /// # Safety
    ///
    /// The kernel must have written the address into `storage` and its length into `len`.
    #[inline]
    pub(crate) unsafe fn into_any_option(self) -> Option<SocketAddrAny> {
        let len = (self.len as usize).min(size_of::<SocketAddrStorage>());
        if len < FAMILY_LEN {
            return None;
        }
        // SAFETY: the kernel initialized `len` bytes (at most the storage), at least the family.
        Some(unsafe { SocketAddrAny::new(self.storage, len as SocketAddrLen) })
    }

    /// As [`into_any_option`](Self::into_any_option), for the calls whose address is always
    /// there (`getsockname`); none is `Errno::INVAL`.
    ///
    /// # Safety
    ///
    /// As for `into_any_option`.
    #[inline]
    pub(crate) unsafe fn into_any(self) -> Result<SocketAddrAny> {
        // SAFETY: the caller's contract passes through.
        unsafe { self.into_any_option() }.ok_or(Errno::INVAL)
    }
}

/// A socket address of any family, as the kernel encodes it: what
/// [`getsockname`](crate::net::getsockname), [`recvfrom`](crate::net::recvfrom) and the rest
/// return.
///
/// Convert a specific address into one with [`From`], and back with [`TryFrom`], which is
/// `Errno::AFNOSUPPORT` when the family is not the one asked for. An IPv4 or IPv6 encoding
/// shorter than its `struct sockaddr_in`/`_in6` (which the kernel never returns, but
/// [`SocketAddrAny::new`] allows) converts to `Errno::INVAL`, where rustix panics.
#[derive(Clone)]
#[doc(alias = "sockaddr_storage")]
pub struct SocketAddrAny {
    len: NonZeroU32,
    storage: MaybeUninit<SocketAddrStorage>,
}

impl SocketAddrAny {
    /// An address from `storage`, whose first `len` bytes are an encoded address.
    ///
    /// # Panics
    ///
    /// If `len` is shorter than the family field (2 bytes) or longer than the storage.
    ///
    /// # Safety
    ///
    /// `storage`'s first `len` bytes must be initialized and hold a socket address.
    #[inline]
    pub const unsafe fn new(storage: MaybeUninit<SocketAddrStorage>, len: SocketAddrLen) -> Self {
        assert!(len as usize >= FAMILY_LEN);
        assert!(len as usize <= size_of::<SocketAddrStorage>());
        match NonZeroU32::new(len) {
            Some(len) => Self { len, storage },
            None => panic!("empty address"),
        }
    }

    /// An address copied from the `len` bytes at `ptr`.
    ///
    /// # Panics
    ///
    /// As [`new`](Self::new).
    ///
    /// # Safety
    ///
    /// `ptr` must point to `len` initialized bytes holding a socket address.
    pub unsafe fn read(ptr: *const SocketAddrStorage, len: SocketAddrLen) -> Self {
        assert!(len as usize >= FAMILY_LEN);
        assert!(len as usize <= size_of::<SocketAddrStorage>());
        let mut storage = MaybeUninit::<SocketAddrStorage>::uninit();
        // SAFETY: the caller gives `len` readable bytes; the storage holds `len` or more.
        unsafe {
            core::ptr::copy_nonoverlapping(
                ptr.cast::<u8>(),
                storage.as_mut_ptr().cast::<u8>(),
                len as usize,
            );
            Self::new(storage, len)
        }
    }

    /// The encoded bytes.
    #[inline]
    fn bytes(&self) -> &[u8] {
        // SAFETY: `new`'s contract: the first `len` bytes (at most the storage) are initialized.
        unsafe {
            core::slice::from_raw_parts(self.storage.as_ptr().cast::<u8>(), self.len.get() as usize)
        }
    }

    /// The address family.
    #[inline]
    pub fn address_family(&self) -> AddressFamily {
        let bytes = self.bytes();
        AddressFamily::from_raw(u16::from_ne_bytes([bytes[0], bytes[1]]))
    }

    /// A pointer to the encoded address.
    #[inline]
    pub fn as_ptr(&self) -> *const SocketAddrStorage {
        self.storage.as_ptr()
    }

    /// A mutable pointer to the encoded address.
    #[inline]
    pub fn as_mut_ptr(&mut self) -> *mut SocketAddrStorage {
        self.storage.as_mut_ptr()
    }

    /// The length of the encoded address, in bytes.
    #[inline]
    pub fn addr_len(&self) -> SocketAddrLen {
        self.len.get()
    }
}

impl PartialEq for SocketAddrAny {
    fn eq(&self, other: &Self) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for SocketAddrAny {}

impl PartialOrd for SocketAddrAny {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SocketAddrAny {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.bytes().cmp(other.bytes())
    }
}

impl core::hash::Hash for SocketAddrAny {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.bytes().hash(state)
    }
}

impl fmt::Debug for SocketAddrAny {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.address_family() {
            AddressFamily::INET => {
                if let Ok(addr) = decode_v4(self.bytes()) {
                    return addr.fmt(f);
                }
            }
            AddressFamily::INET6 => {
                if let Ok(addr) = decode_v6(self.bytes()) {
                    return addr.fmt(f);
                }
            }
            AddressFamily::UNIX => {
                if let Ok(addr) = SocketAddrUnix::decode(self.bytes()) {
                    return addr.fmt(f);
                }
            }
            _ => {}
        }
        f.debug_struct("SocketAddrAny")
            .field("address_family", &self.address_family())
            .field("namelen", &self.addr_len())
            .finish()
    }
}

// SAFETY: the storage holds `len` encoded bytes, and lives across the call.
unsafe impl SocketAddrArg for SocketAddrAny {
    unsafe fn with_sockaddr<R>(
        &self,
        f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R,
    ) -> R {
        f(self.as_ptr().cast(), self.addr_len())
    }
}

impl From<SocketAddr> for SocketAddrAny {
    #[inline]
    fn from(from: SocketAddr) -> Self {
        from.as_any()
    }
}

impl From<SocketAddrV4> for SocketAddrAny {
    #[inline]
    fn from(from: SocketAddrV4) -> Self {
        from.as_any()
    }
}

impl From<SocketAddrV6> for SocketAddrAny {
    #[inline]
    fn from(from: SocketAddrV6) -> Self {
        from.as_any()
    }
}

impl From<SocketAddrUnix> for SocketAddrAny {
    #[inline]
    fn from(from: SocketAddrUnix) -> Self {
        from.as_any()
    }
}

impl TryFrom<SocketAddrAny> for SocketAddr {
    type Error = Errno;

    /// An IPv4 or IPv6 address; any other family is `Errno::AFNOSUPPORT`.
    #[inline]
    fn try_from(value: SocketAddrAny) -> Result<Self> {
        match value.address_family() {
            AddressFamily::INET => decode_v4(value.bytes()).map(SocketAddr::V4),
            AddressFamily::INET6 => decode_v6(value.bytes()).map(SocketAddr::V6),
            _ => Err(Errno::AFNOSUPPORT),
        }
    }
}

impl TryFrom<SocketAddrAny> for SocketAddrV4 {
    type Error = Errno;

    /// An IPv4 address; any other family is `Errno::AFNOSUPPORT`.
    #[inline]
    fn try_from(value: SocketAddrAny) -> Result<Self> {
        if value.address_family() != AddressFamily::INET {
            return Err(Errno::AFNOSUPPORT);
        }
        decode_v4(value.bytes())
    }
}

impl TryFrom<SocketAddrAny> for SocketAddrV6 {
    type Error = Errno;

    /// An IPv6 address; any other family is `Errno::AFNOSUPPORT`.
    #[inline]
    fn try_from(value: SocketAddrAny) -> Result<Self> {
        if value.address_family() != AddressFamily::INET6 {
            return Err(Errno::AFNOSUPPORT);
        }
        decode_v6(value.bytes())
    }
}

impl TryFrom<SocketAddrAny> for SocketAddrUnix {
    type Error = Errno;

    /// A unix address; any other family is `Errno::AFNOSUPPORT`.
    #[inline]
    fn try_from(value: SocketAddrAny) -> Result<Self> {
        if value.address_family() != AddressFamily::UNIX {
            return Err(Errno::AFNOSUPPORT);
        }
        SocketAddrUnix::decode(value.bytes())
    }
}
