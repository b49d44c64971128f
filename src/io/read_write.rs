//! `read` and `write`, optionally positioned, optionally vectored.
//!
//! Offsets are `u64` as in rustix, but the kernel's are signed: an offset of 2^63 or more
//! reaches it as a negative one, which every positioned call refuses with `Errno::INVAL` (save
//! `u64::MAX` for `preadv2`/`pwritev2`, "the current offset"); it never becomes another offset,
//! on 32-bit arm's split words too.
//! More than 1024 buffers in a vectored call is `Errno::INVAL`, as the kernel says; the list is
//! never shortened behind the caller's back.

use crate::buffer::Buffer;
use crate::fd::AsFd;
use crate::io::{syscalls, IoSlice, IoSliceMut, ReadWriteFlags, Result};

/// `read(fd, buf)`—Reads from a stream.
///
/// `buf` is any [`Buffer`]: `&mut [u8]` and `&mut [u8; N]` give the count read,
/// `&mut [MaybeUninit<u8>]` gives the filled and unfilled parts, and
/// `buffer::spare_capacity` appends to a `Vec`.
///
/// # References
///  - [Linux `read(2)`](https://man7.org/linux/man-pages/man2/read.2.html)
#[inline]
pub fn read<Fd: AsFd, Buf: Buffer<u8>>(fd: Fd, mut buf: Buf) -> Result<Buf::Output> {
    // SAFETY: `parts_mut` is writable for its length, and the kernel initialized `len` bytes.
    unsafe { syscalls::read(fd.as_fd(), buf.parts_mut()).map(|len| buf.assume_init(len)) }
}

/// `write(fd, buf)`—Writes to a stream.
///
/// # References
///  - [Linux `write(2)`](https://man7.org/linux/man-pages/man2/write.2.html)
#[inline]
pub fn write<Fd: AsFd>(fd: Fd, buf: &[u8]) -> Result<usize> {
    syscalls::write(fd.as_fd(), buf)
}

/// `pread(fd, buf, offset)`—Reads from a file at a given position, leaving the file offset
/// alone.
///
/// `buf` is any [`Buffer`], as for [`read`].
///
/// # References
///  - [Linux `pread(2)`](https://man7.org/linux/man-pages/man2/pread.2.html)
#[inline]
pub fn pread<Fd: AsFd, Buf: Buffer<u8>>(fd: Fd, mut buf: Buf, offset: u64) -> Result<Buf::Output> {
    // SAFETY: `parts_mut` is writable for its length, and the kernel initialized `len` bytes.
    unsafe { syscalls::pread(fd.as_fd(), buf.parts_mut(), offset).map(|len| buf.assume_init(len)) }
}

/// `pwrite(fd, buf, offset)`—Writes to a file at a given position, leaving the file offset
/// alone.
///
/// On Linux, if the file was opened with `O_APPEND`, the data goes to the end of the file
/// whatever `offset` says.
///
/// # References
///  - [Linux `pwrite(2)`](https://man7.org/linux/man-pages/man2/pwrite.2.html)
#[inline]
pub fn pwrite<Fd: AsFd>(fd: Fd, buf: &[u8], offset: u64) -> Result<usize> {
    syscalls::pwrite(fd.as_fd(), buf, offset)
}

/// `readv(fd, bufs)`—Reads from a stream into several buffers, filling each in turn.
///
/// # References
///  - [Linux `readv(2)`](https://man7.org/linux/man-pages/man2/readv.2.html)
#[inline]
pub fn readv<Fd: AsFd>(fd: Fd, bufs: &mut [IoSliceMut<'_>]) -> Result<usize> {
    syscalls::readv(fd.as_fd(), bufs)
}

/// `writev(fd, bufs)`—Writes to a stream from several buffers, in order.
///
/// # References
///  - [Linux `writev(2)`](https://man7.org/linux/man-pages/man2/writev.2.html)
#[inline]
pub fn writev<Fd: AsFd>(fd: Fd, bufs: &[IoSlice<'_>]) -> Result<usize> {
    syscalls::writev(fd.as_fd(), bufs)
}

/// `preadv(fd, bufs, offset)`—Reads from a file at a given position into several buffers.
///
/// # References
///  - [Linux `preadv(2)`](https://man7.org/linux/man-pages/man2/preadv.2.html)
#[inline]
pub fn preadv<Fd: AsFd>(fd: Fd, bufs: &mut [IoSliceMut<'_>], offset: u64) -> Result<usize> {
    syscalls::preadv(fd.as_fd(), bufs, offset)
}

/// `pwritev(fd, bufs, offset)`—Writes to a file at a given position from several buffers.
///
/// On Linux, if the file was opened with `O_APPEND`, the data goes to the end of the file
/// whatever `offset` says.
///
/// # References
///  - [Linux `pwritev(2)`](https://man7.org/linux/man-pages/man2/pwritev.2.html)
#[inline]
pub fn pwritev<Fd: AsFd>(fd: Fd, bufs: &[IoSlice<'_>], offset: u64) -> Result<usize> {
    syscalls::pwritev(fd.as_fd(), bufs, offset)
}

/// `preadv2(fd, bufs, offset, flags)`—Reads data, with several options.
///
/// An `offset` of `u64::MAX` means to use and update the current file offset.
///
/// # References
///  - [Linux `preadv2(2)`](https://man7.org/linux/man-pages/man2/preadv2.2.html)
#[inline]
pub fn preadv2<Fd: AsFd>(
    fd: Fd,
    bufs: &mut [IoSliceMut<'_>],
    offset: u64,
    flags: ReadWriteFlags,
) -> Result<usize> {
    syscalls::preadv2(fd.as_fd(), bufs, offset, flags)
}

/// `pwritev2(fd, bufs, offset, flags)`—Writes data, with several options.
///
/// An `offset` of `u64::MAX` means to use and update the current file offset.
///
/// # References
///  - [Linux `pwritev2(2)`](https://man7.org/linux/man-pages/man2/pwritev2.2.html)
#[inline]
pub fn pwritev2<Fd: AsFd>(
    fd: Fd,
    bufs: &[IoSlice<'_>],
    offset: u64,
    flags: ReadWriteFlags,
) -> Result<usize> {
    syscalls::pwritev2(fd.as_fd(), bufs, offset, flags)
}

/// Writes all of `buf`, retrying after `EINTR` and short writes (beyond rustix, which has no
/// such helper; std's `Write::write_all` needs std).
///
/// A write that accepts nothing is `Errno::IO`, where std would say `WriteZero`: the kernel
/// does not do that for a non-empty buffer on the files Linux has.
///
/// # References
///  - [Linux `write(2)`](https://man7.org/linux/man-pages/man2/write.2.html)
pub fn write_all<Fd: AsFd>(fd: Fd, mut buf: &[u8]) -> Result<()> {
    let fd = fd.as_fd();
    while !buf.is_empty() {
        match syscalls::write(fd, buf) {
            Ok(0) => return Err(crate::io::Errno::IO),
            // The kernel never reports more than it was given; `get` keeps a panic path (and
            // the formatting code behind it) out of freestanding binaries all the same.
            Ok(n) => buf = buf.get(n..).unwrap_or_default(),
            Err(crate::io::Errno::INTR) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// Reads exactly `buf.len()` bytes, retrying after `EINTR` and short reads; a file that ends
/// first is `Err(Errno::NODATA)` (beyond rustix, which has no such helper).
///
/// As std's `Read::read_exact`, which fails with `UnexpectedEof` there, a short read is never
/// an `Ok`: code ported from std that writes `read_exact(fd, buf)?` cannot read a truncated
/// buffer as a whole one. There is no errno for "ended early"; `NODATA` ("No data available")
/// stands for it, which `read(2)` does not return for regular files, pipes or sockets. What was
/// read before the end is in `buf`; to learn how much, or to treat the end as normal, use
/// [`read_full`].
///
/// # References
///  - [Linux `read(2)`](https://man7.org/linux/man-pages/man2/read.2.html)
pub fn read_exact<Fd: AsFd>(fd: Fd, buf: &mut [u8]) -> Result<()> {
    if read_full(fd, buf)? < buf.len() {
        return Err(crate::io::Errno::NODATA);
    }
    Ok(())
}

/// Reads until `buf` is full or the file ends, retrying after `EINTR` and short reads; returns
/// the count, which is less than `buf.len()` only if the file ended first (beyond rustix).
///
/// # References
///  - [Linux `read(2)`](https://man7.org/linux/man-pages/man2/read.2.html)
#[must_use = "a count below `buf.len()` means the file ended first; `read_exact` fails then"]
pub fn read_full<Fd: AsFd>(fd: Fd, buf: &mut [u8]) -> Result<usize> {
    let fd = fd.as_fd();
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        // SAFETY: `rest` is a live, writable slice of its length.
        match unsafe { syscalls::read(fd, (rest.as_mut_ptr(), rest.len())) } {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(crate::io::Errno::INTR) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

#[cfg(all(test, not(feature = "std")))]
mod tests {
    use super::*;

    #[test]
    fn no_std_io_slices_cover_their_bytes() {
        let data = *b"abcdef";
        let slice = IoSlice::new(&data[1..4]);
        assert_eq!(&*slice, b"bcd");
        let mut buf = [0u8; 3];
        let mut slice_mut = IoSliceMut::new(&mut buf);
        slice_mut.copy_from_slice(b"xyz");
        assert_eq!(&*slice_mut, b"xyz");
        assert_eq!(buf, *b"xyz");
    }

    #[test]
    fn no_std_io_slices_advance_like_std() {
        let data = *b"abcdef";
        let mut slice = IoSlice::new(&data);
        slice.advance(2);
        assert_eq!(slice.as_slice(), b"cdef");
        slice.advance(4);
        assert!(slice.as_slice().is_empty());

        let mut buf = *b"012345";
        let mut slice_mut = IoSliceMut::new(&mut buf);
        slice_mut.advance(3);
        slice_mut.as_mut_slice()[0] = b'X';
        assert_eq!(slice_mut.as_slice(), b"X45");
        slice_mut.advance(0);
        assert_eq!(&*slice_mut, b"X45");
        // To the very end, which is allowed (one past it is not).
        slice_mut.advance(3);
        assert!(slice_mut.is_empty());
        assert_eq!(buf, *b"012X45");
    }

    #[test]
    fn no_std_io_slices_debug_as_their_bytes() {
        let mut buf = *b"hi";
        assert_eq!(std::format!("{:?}", IoSlice::new(b"ab")), "[97, 98]");
        assert_eq!(
            std::format!("{:?}", IoSliceMut::new(&mut buf)),
            "[104, 105]"
        );
    }

    #[test]
    #[should_panic(expected = "beyond its length")]
    fn no_std_io_slice_advance_past_the_end_panics_as_std() {
        IoSlice::new(b"ab").advance(3);
    }

    #[test]
    #[should_panic(expected = "beyond its length")]
    fn no_std_io_slice_mut_advance_past_the_end_panics_as_std() {
        IoSliceMut::new(&mut [0u8; 2]).advance(3);
    }

    #[test]
    #[cfg_attr(miri, ignore)] // makes system calls, which Miri cannot run
    fn no_std_io_slices_go_to_the_kernel_as_iovecs() {
        let _lock = crate::test_fd_lock();
        let (reader, writer) = crate::pipe::pipe().expect("pipe");
        let written = writev(
            &writer,
            &[IoSlice::new(b"ab"), IoSlice::new(b""), IoSlice::new(b"cde")],
        );
        assert_eq!(written, Ok(5));
        let (mut first, mut second) = ([0u8; 2], [0u8; 8]);
        let read = readv(
            &reader,
            &mut [IoSliceMut::new(&mut first), IoSliceMut::new(&mut second)],
        );
        assert_eq!(read, Ok(5));
        assert_eq!((&first, &second[..3]), (b"ab", &b"cde"[..]));
    }
}
