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
/// buffer; only the bytes that fit are written. 0 bytes from a stream is its end.
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
    let received = unsafe { syscalls::recv(fd.as_fd(), (ptr, len), flags)? };
    // SAFETY: the kernel wrote the first `written(..)` bytes.
    Ok((
        unsafe { buf.assume_init(written(len, received, flags)) },
        received,
    ))
}

/// How many bytes of a `len`-byte buffer a receive that returned `received` wrote: `received`
/// itself (at most `len`, as for `read`), except with `RecvFlags::TRUNC`, where the kernel
/// returns a datagram's whole length, which may be more.
#[inline(always)]
fn written(len: usize, received: usize, flags: RecvFlags) -> usize {
    if flags.contains(RecvFlags::TRUNC) {
        len.min(received)
    } else {
        received
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
    let (received, addr) = unsafe { syscalls::recvfrom(fd.as_fd(), (ptr, len), flags)? };
    // SAFETY: the kernel wrote the first `written(..)` bytes.
    Ok((
        unsafe { buf.assume_init(written(len, received, flags)) },
        received,
        addr,
    ))
}
