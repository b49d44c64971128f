//! The net module's typed system calls.
//!
//! Every architecture here has the socket calls as calls of their own (32-bit arm's EABI
//! included; only its old ABI and i386 went through `socketcall`). `send` and `recv` are
//! `sendto` and `recvfrom` without an address everywhere: aarch64, riscv64 and x86_64 have
//! nothing else, and the kernel's `send`/`recv` on arm are those same calls.

use crate::conv::{
    by_mut, c_int, c_uint, raw_ptr, ret, ret_owned_fd, ret_usize, size, slice_addr, zero,
};
use crate::errno::Result;
use crate::fd::{BorrowedFd, FromRawFd, OwnedFd};
use crate::net::addr::{SocketAddrLen, SocketAddrOpaque};
use crate::net::any::SocketAddrBuf;
use crate::net::{
    AddressFamily, Protocol, RecvFlags, SendFlags, Shutdown, SocketAddrAny, SocketFlags, SocketType,
};
use core::mem::MaybeUninit;
use linux_raw_sys::net::msghdr;

/// The `protocol` register: 0 for the family's default.
#[inline]
fn protocol(protocol: Option<Protocol>) -> u32 {
    protocol.map_or(0, |p| p.as_raw().get())
}

#[inline]
pub(crate) fn socket(
    family: AddressFamily,
    type_: SocketType,
    flags: SocketFlags,
    proto: Option<Protocol>,
) -> Result<OwnedFd> {
    // SAFETY: socket reads no user memory and returns a new fd on success.
    unsafe {
        ret_owned_fd(syscall_readonly!(
            __NR_socket,
            c_uint(family.as_raw().into()),
            c_uint(type_.as_raw() | flags.bits()),
            c_uint(protocol(proto))
        ))
    }
}

#[inline]
pub(crate) fn socketpair(
    family: AddressFamily,
    type_: SocketType,
    flags: SocketFlags,
    proto: Option<Protocol>,
) -> Result<(OwnedFd, OwnedFd)> {
    let mut fds = MaybeUninit::<[i32; 2]>::uninit();
    // SAFETY: socketpair writes two `int`s through the live, writable pointer; on success both
    // are new fds owned by nobody else.
    unsafe {
        ret(syscall!(
            __NR_socketpair,
            c_uint(family.as_raw().into()),
            c_uint(type_.as_raw() | flags.bits()),
            c_uint(protocol(proto)),
            by_mut(&mut fds)
        ))?;
        let [a, b] = fds.assume_init();
        Ok((OwnedFd::from_raw_fd(a), OwnedFd::from_raw_fd(b)))
    }
}

/// # Safety
///
/// `addr` must point to `len` readable bytes.
#[inline]
pub(crate) unsafe fn bind(
    fd: BorrowedFd<'_>,
    addr: *const SocketAddrOpaque,
    len: SocketAddrLen,
) -> Result<()> {
    // SAFETY: the kernel reads `len` bytes at `addr`, which the caller vouches for.
    unsafe { ret(syscall_readonly!(__NR_bind, fd, raw_ptr(addr), c_uint(len))) }
}

/// # Safety
///
/// `addr` must point to `len` readable bytes.
#[inline]
pub(crate) unsafe fn connect(
    fd: BorrowedFd<'_>,
    addr: *const SocketAddrOpaque,
    len: SocketAddrLen,
) -> Result<()> {
    // SAFETY: the kernel reads `len` bytes at `addr`, which the caller vouches for.
    unsafe {
        ret(syscall_readonly!(
            __NR_connect,
            fd,
            raw_ptr(addr),
            c_uint(len)
        ))
    }
}

#[inline]
pub(crate) fn connect_unspec(fd: BorrowedFd<'_>) -> Result<()> {
    let addr = crate::net::addr::SocketAddrStorage::zeroed();
    let len = core::mem::size_of_val(&addr) as SocketAddrLen;
    // SAFETY: `addr` is a live, initialized `sockaddr_storage` of family `AF_UNSPEC`.
    unsafe {
        ret(syscall_readonly!(
            __NR_connect,
            fd,
            crate::conv::by_ref(&addr),
            c_uint(len)
        ))
    }
}

#[inline]
pub(crate) fn listen(fd: BorrowedFd<'_>, backlog: i32) -> Result<()> {
    // SAFETY: listen touches no user memory.
    unsafe { ret(syscall_readonly!(__NR_listen, fd, c_int(backlog))) }
}

#[inline]
pub(crate) fn accept4(fd: BorrowedFd<'_>, flags: SocketFlags) -> Result<OwnedFd> {
    // SAFETY: with null address pointers accept4 writes no user memory; it returns a new fd.
    unsafe { ret_owned_fd(syscall_readonly!(__NR_accept4, fd, zero(), zero(), flags)) }
}

#[inline]
pub(crate) fn acceptfrom4(
    fd: BorrowedFd<'_>,
    flags: SocketFlags,
) -> Result<(OwnedFd, Option<SocketAddrAny>)> {
    let mut addr = SocketAddrBuf::new();
    // SAFETY: accept4 writes at most `addr.len` bytes into the storage and the full length
    // into `addr.len`; it returns a new fd.
    unsafe {
        let fd = ret_owned_fd(syscall!(
            __NR_accept4,
            fd,
            by_mut(&mut addr.storage),
            len_mut(&mut addr.len),
            flags
        ))?;
        Ok((fd, addr.into_any_option()))
    }
}

#[inline]
pub(crate) fn shutdown(fd: BorrowedFd<'_>, how: Shutdown) -> Result<()> {
    // SAFETY: shutdown touches no user memory.
    unsafe { ret(syscall_readonly!(__NR_shutdown, fd, c_uint(how as u32))) }
}

#[inline]
pub(crate) fn getsockname(fd: BorrowedFd<'_>) -> Result<SocketAddrAny> {
    let mut addr = SocketAddrBuf::new();
    // SAFETY: getsockname writes at most `addr.len` bytes into the storage and the full length
    // into `addr.len`.
    unsafe {
        ret(syscall!(
            __NR_getsockname,
            fd,
            by_mut(&mut addr.storage),
            len_mut(&mut addr.len)
        ))?;
        addr.into_any()
    }
}

#[inline]
pub(crate) fn getpeername(fd: BorrowedFd<'_>) -> Result<Option<SocketAddrAny>> {
    let mut addr = SocketAddrBuf::new();
    // SAFETY: as for getsockname.
    unsafe {
        ret(syscall!(
            __NR_getpeername,
            fd,
            by_mut(&mut addr.storage),
            len_mut(&mut addr.len)
        ))?;
        Ok(addr.into_any_option())
    }
}

/// A `socklen_t` the kernel reads and updates.
#[inline]
fn len_mut(len: &mut SocketAddrLen) -> crate::conv::Arg<'_> {
    crate::conv::opt_by_mut(Some(len))
}

#[inline]
pub(crate) fn send(fd: BorrowedFd<'_>, buf: &[u8], flags: SendFlags) -> Result<usize> {
    // SAFETY: sendto reads `buf` and, with a null address, nothing else.
    unsafe {
        ret_usize(syscall_readonly!(
            __NR_sendto,
            fd,
            slice_addr(buf),
            size(buf.len()),
            flags,
            zero(),
            zero()
        ))
    }
}

/// # Safety
///
/// `addr` must point to `len` readable bytes.
#[inline]
pub(crate) unsafe fn sendto(
    fd: BorrowedFd<'_>,
    buf: &[u8],
    flags: SendFlags,
    addr: *const SocketAddrOpaque,
    len: SocketAddrLen,
) -> Result<usize> {
    // SAFETY: sendto reads `buf` and the `len` bytes at `addr`, which the caller vouches for.
    unsafe {
        ret_usize(syscall_readonly!(
            __NR_sendto,
            fd,
            slice_addr(buf),
            size(buf.len()),
            flags,
            raw_ptr(addr),
            c_uint(len)
        ))
    }
}

/// # Safety
///
/// `buf` must be writable for its length.
#[inline]
pub(crate) unsafe fn recv(
    fd: BorrowedFd<'_>,
    buf: (*mut u8, usize),
    flags: RecvFlags,
) -> Result<usize> {
    // SAFETY: recvfrom writes at most `buf.1` bytes at `buf.0` (the caller vouches for them)
    // and, with null address pointers, nothing else.
    unsafe {
        ret_usize(syscall!(
            __NR_recvfrom,
            fd,
            raw_ptr(buf.0),
            size(buf.1),
            flags,
            zero(),
            zero()
        ))
    }
}

/// # Safety
///
/// `buf` must be writable for its length.
#[inline]
pub(crate) unsafe fn recvfrom(
    fd: BorrowedFd<'_>,
    buf: (*mut u8, usize),
    flags: RecvFlags,
) -> Result<(usize, Option<SocketAddrAny>)> {
    let mut addr = SocketAddrBuf::new();
    // SAFETY: recvfrom writes at most `buf.1` bytes at `buf.0`, at most `addr.len` bytes into
    // the storage and the address's length into `addr.len` (0 where there is none).
    unsafe {
        let n = ret_usize(syscall!(
            __NR_recvfrom,
            fd,
            raw_ptr(buf.0),
            size(buf.1),
            flags,
            by_mut(&mut addr.storage),
            len_mut(&mut addr.len)
        ))?;
        Ok((n, addr.into_any_option()))
    }
}

/// # Safety
///
/// Every pointer in `msg` must be valid for its length: the name, iovecs and control buffer
/// for reads.
#[inline]
pub(crate) unsafe fn sendmsg(fd: BorrowedFd<'_>, msg: &msghdr, flags: SendFlags) -> Result<usize> {
    // SAFETY: the kernel reads `msg` and what it points to, which the caller vouches for.
    unsafe {
        ret_usize(syscall_readonly!(
            __NR_sendmsg,
            fd,
            crate::conv::by_ref(msg),
            flags
        ))
    }
}

/// # Safety
///
/// Every pointer in `msg` must be valid for writes of its length.
#[inline]
pub(crate) unsafe fn recvmsg(
    fd: BorrowedFd<'_>,
    msg: &mut msghdr,
    flags: RecvFlags,
) -> Result<usize> {
    // SAFETY: the kernel writes the name, iovecs and control buffer within their lengths
    // (vouched for by the caller) and updates `msg`'s lengths and flags.
    unsafe {
        ret_usize(syscall!(
            __NR_recvmsg,
            fd,
            crate::conv::opt_by_mut(Some(msg)),
            flags
        ))
    }
}

// ---- Socket options --------------------------------------------------------------------------

/// `getsockopt` of an option whose value is a C `int`.
#[inline]
pub(crate) fn getsockopt_int(fd: BorrowedFd<'_>, level: u32, name: u32) -> Result<i32> {
    let mut value = MaybeUninit::<i32>::uninit();
    let mut len = core::mem::size_of::<i32>() as SocketAddrLen;
    // SAFETY: getsockopt writes at most `len` (4) bytes into `value` and the length it wrote
    // into `len`.
    unsafe {
        ret(syscall!(
            __NR_getsockopt,
            fd,
            c_uint(level),
            c_uint(name),
            by_mut(&mut value),
            len_mut(&mut len)
        ))?;
        // Every `int` option writes 4 bytes; anything else would leave `value` unwritten.
        if len as usize != core::mem::size_of::<i32>() {
            return Err(crate::errno::Errno::INVAL);
        }
        Ok(value.assume_init())
    }
}

/// `setsockopt` of an option whose value is a C `int`.
#[inline]
pub(crate) fn setsockopt_int(fd: BorrowedFd<'_>, level: u32, name: u32, value: i32) -> Result<()> {
    // SAFETY: setsockopt reads the 4 bytes of `value`.
    unsafe {
        ret(syscall_readonly!(
            __NR_setsockopt,
            fd,
            c_uint(level),
            c_uint(name),
            crate::conv::by_ref(&value),
            c_uint(4)
        ))
    }
}

/// `getsockopt(fd, SOL_SOCKET, SO_LINGER)`: `(l_onoff, l_linger)`.
#[inline]
pub(crate) fn getsockopt_linger(fd: BorrowedFd<'_>) -> Result<linux_raw_sys::net::linger> {
    use linux_raw_sys::net::{linger, SOL_SOCKET, SO_LINGER};
    let mut value = MaybeUninit::<linger>::uninit();
    let mut len = core::mem::size_of::<linger>() as SocketAddrLen;
    // SAFETY: getsockopt writes at most `len` bytes into `value` and the length into `len`.
    unsafe {
        ret(syscall!(
            __NR_getsockopt,
            fd,
            c_uint(SOL_SOCKET),
            c_uint(SO_LINGER),
            by_mut(&mut value),
            len_mut(&mut len)
        ))?;
        if len as usize != core::mem::size_of::<linger>() {
            return Err(crate::errno::Errno::INVAL);
        }
        Ok(value.assume_init())
    }
}

/// `setsockopt(fd, SOL_SOCKET, SO_LINGER, value)`.
#[inline]
pub(crate) fn setsockopt_linger(
    fd: BorrowedFd<'_>,
    value: &linux_raw_sys::net::linger,
) -> Result<()> {
    use linux_raw_sys::net::{SOL_SOCKET, SO_LINGER};
    // SAFETY: setsockopt reads the `struct linger`.
    unsafe {
        ret(syscall_readonly!(
            __NR_setsockopt,
            fd,
            c_uint(SOL_SOCKET),
            c_uint(SO_LINGER),
            crate::conv::by_ref(value),
            c_uint(core::mem::size_of_val(value) as u32)
        ))
    }
}
