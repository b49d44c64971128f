//! Sending and receiving: `send`, `recv`, `sendto`, `recvfrom`.

use crate::buffer::Buffer;
use crate::fd::AsFd;
use crate::io::Result;
use crate::net::addr::SocketAddrArg;
use crate::net::{syscalls, RecvFlags, SendFlags, SocketAddrAny};

/// `send(fd, buf, flags)`—Sends bytes on a connected socket; returns how many were sent.
///
/// A stream whose peer is gone is `Errno::PIPE`, and the process also gets `SIGPIPE` unless
/// `flags` has [`SendFlags::NOSIGNAL`].
///
/// # References
///  - [Linux `send(2)`](https://man7.org/linux/man-pages/man2/send.2.html)
#[inline]
pub fn send<Fd: AsFd>(fd: Fd, buf: &[u8], flags: SendFlags) -> Result<usize> {
    syscalls::send(fd.as_fd(), buf, flags)
}

/// `recv(fd, buf, flags)`—Receives bytes from a socket.
///
/// Returns the buffer's output and the length the kernel reported, which with
/// [`RecvFlags::TRUNC`] on a datagram socket is the whole datagram's, and may exceed the
/// buffer; only the bytes that fit are written. On a TCP socket `TRUNC` discards the data
/// instead of copying it, and the buffer keeps what it held; a `MaybeUninit` buffer is zeroed
/// before a `TRUNC` receive, so that the part the count covers is initialized (rustix would
/// hand back bytes nobody wrote). 0 bytes from a stream is its end.
///
/// # References
///  - [Linux `recv(2)`](https://man7.org/linux/man-pages/man2/recv.2.html)
#[inline]
pub fn recv<Fd: AsFd, Buf: Buffer<u8>>(
    fd: Fd,
    mut buf: Buf,
    flags: RecvFlags,
) -> Result<(Buf::Output, usize)> {
    let (ptr, len) = buf.parts_mut();
    // SAFETY: `parts_mut` is writable for `len` bytes.
    unsafe { zero_for_trunc::<Buf>(ptr, len, flags) };
    // SAFETY: as above.
    let received = unsafe { syscalls::recv(fd.as_fd(), (ptr, len), flags)? };
    // SAFETY: the first `min(len, received)` bytes are the kernel's, or zeros under `TRUNC`.
    Ok((unsafe { buf.assume_init(len.min(received)) }, received))
}

/// The count a receive returns can exceed what it wrote: with `RecvFlags::TRUNC` a datagram's
/// whole length, and a TCP socket discards the data it counts instead of copying it (tcp(7));
/// `MSG_OOB` into an empty buffer counts the urgent byte. So only `min(len, received)` bytes
/// are taken as written, and under `TRUNC` a buffer that may be uninitialized is zeroed first,
/// so that those bytes are initialized whatever the socket (an initialized one keeps its
/// bytes, as libc's callers see).
///
/// # Safety
///
/// `ptr` is writable for `len` bytes.
#[inline(always)]
unsafe fn zero_for_trunc<Buf: Buffer<u8>>(ptr: *mut u8, len: usize, flags: RecvFlags) {
    if Buf::MAY_BE_UNINIT && flags.contains(RecvFlags::TRUNC) {
        // SAFETY: the caller vouches for the `len` bytes.
        unsafe { ptr.write_bytes(0, len) };
    }
}

/// `sendto(fd, buf, flags, addr)`—Sends bytes to `addr`; returns how many were sent.
///
/// # References
///  - [Linux `sendto(2)`](https://man7.org/linux/man-pages/man2/sendto.2.html)
pub fn sendto<Fd: AsFd>(
    fd: Fd,
    buf: &[u8],
    flags: SendFlags,
    addr: &impl SocketAddrArg,
) -> Result<usize> {
    let fd = fd.as_fd();
    // SAFETY: `with_sockaddr` gives a pointer to `len` readable bytes for the call.
    unsafe { addr.with_sockaddr(|ptr, len| syscalls::sendto(fd, buf, flags, ptr, len)) }
}

/// `recvfrom(fd, buf, flags, addr, len)`—Receives bytes and the sender's address (`None`
/// where the kernel gives none, as for a connected stream).
///
/// The lengths are as in [`recv`].
///
/// # References
///  - [Linux `recvfrom(2)`](https://man7.org/linux/man-pages/man2/recvfrom.2.html)
#[inline]
pub fn recvfrom<Fd: AsFd, Buf: Buffer<u8>>(
    fd: Fd,
    mut buf: Buf,
    flags: RecvFlags,
) -> Result<(Buf::Output, usize, Option<SocketAddrAny>)> {
    let (ptr, len) = buf.parts_mut();
    // SAFETY: `parts_mut` is writable for `len` bytes.
    unsafe { zero_for_trunc::<Buf>(ptr, len, flags) };
    // SAFETY: as above.
    let (received, addr) = unsafe { syscalls::recvfrom(fd.as_fd(), (ptr, len), flags)? };
    // SAFETY: the first `min(len, received)` bytes are the kernel's, or zeros under `TRUNC`.
    let filled = unsafe { buf.assume_init(len.min(received)) };
    Ok((filled, received, addr))
}
