//! `getrandom`.

use crate::buffer::Buffer;
use crate::io::Result;
use crate::rand::{syscalls, GetRandomFlags};

/// `getrandom(buf, flags)`—Fills `buf` with random bytes from the kernel, and returns what
/// [`read`](crate::io::read) returns for that kind of buffer.
///
/// `buf` is any [`Buffer`]: `&mut [u8]` and `&mut [u8; N]` give the count written,
/// `&mut [MaybeUninit<u8>]` gives the filled and unfilled parts, and `buffer::spare_capacity`
/// appends to a `Vec`.
///
/// From the default `urandom` source, once the kernel's pool is initialized, a request of up to
/// 256 bytes is always filled whole and is not interrupted by signals; a larger one may come
/// back short (a signal, or more than 32 MiB asked for at once), so call again for the rest. Before the pool is initialized the
/// call waits for it, or fails with `Errno::AGAIN` given `GetRandomFlags::NONBLOCK`.
///
/// This is the system call; it does not use the vDSO's `getrandom` (Linux 6.11), as rustix does
/// not.
///
/// # References
///  - [Linux `getrandom(2)`](https://man7.org/linux/man-pages/man2/getrandom.2.html)
#[inline]
pub fn getrandom<Buf: Buffer<u8>>(mut buf: Buf, flags: GetRandomFlags) -> Result<Buf::Output> {
    // SAFETY: `parts_mut` is writable for its length, and the kernel initialized `len` bytes.
    unsafe { syscalls::getrandom(buf.parts_mut(), flags).map(|len| buf.assume_init(len)) }
}
