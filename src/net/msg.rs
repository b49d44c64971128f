//! `sendmsg` and `recvmsg`, with ancillary data (`SCM_RIGHTS` fd passing).
//!
//! Control messages are laid out as the kernel's `CMSG_*` macros lay them out: each a
//! `struct cmsghdr` (`cmsg_len`, `cmsg_level`, `cmsg_type`), its payload at
//! `CMSG_ALIGN(sizeof(struct cmsghdr))`, the next message at `CMSG_ALIGN(cmsg_len)` further,
//! where `CMSG_ALIGN` rounds up to the size of a C `long`: 8 bytes on the 64-bit targets, 4 on
//! 32-bit arm. The buffers given to [`SendAncillaryBuffer::new`] and
//! [`RecvAncillaryBuffer::new`] are first aligned to that, which may cost up to that many
//! bytes at their start; [`cmsg_space!`](crate::cmsg_space) counts them in.
//!
//! Unlike rustix, barecall has only `SCM_RIGHTS` messages so far: no `SCM_CREDENTIALS`
//! (`UCred`), `SCM_TXTIME`, `sendmmsg` or `AncillaryDrain::parse`. The message enums are
//! `#[non_exhaustive]`, as rustix's, so code matching on them ports unchanged.

use crate::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use crate::io::{IoSlice, IoSliceMut, Result};
use crate::net::addr::SocketAddrArg;
use crate::net::any::SocketAddrBuf;
use crate::net::{syscalls, RecvFlags, ReturnFlags, SendFlags, SocketAddrAny};
use core::iter::FusedIterator;
use core::marker::PhantomData;
use core::mem::{align_of, size_of, MaybeUninit};
use linux_raw_sys::net::{cmsghdr, msghdr, SCM_RIGHTS, SOL_SOCKET};

/// The alignment of control messages: a C `long`, which is `usize` on every target here.
const CMSG_ALIGNMENT: usize = size_of::<usize>();
static_assertions::const_assert_eq!(align_of::<cmsghdr>(), CMSG_ALIGNMENT);

/// `CMSG_ALIGN(len)`; `None` on overflow.
const fn cmsg_align(len: usize) -> Option<usize> {
    match len.checked_add(CMSG_ALIGNMENT - 1) {
        Some(sum) => Some(sum & !(CMSG_ALIGNMENT - 1)),
        None => None,
    }
}

/// `CMSG_ALIGN(sizeof(struct cmsghdr))`: where the payload starts.
const CMSG_HEADER: usize = match cmsg_align(size_of::<cmsghdr>()) {
    Some(len) => len,
    None => panic!(),
};

/// `CMSG_LEN(len)`: the `cmsg_len` of a message with `len` bytes of payload.
const fn cmsg_len(len: usize) -> Option<usize> {
    CMSG_HEADER.checked_add(len)
}

/// `CMSG_SPACE(len)`: the room a message with `len` bytes of payload takes, padding included.
const fn cmsg_space(len: usize) -> Option<usize> {
    match cmsg_align(len) {
        Some(aligned) => CMSG_HEADER.checked_add(aligned),
        None => None,
    }
}

/// The bytes of control-message buffer that messages with the given payloads need, counting
/// the alignment of the buffer's start: `cmsg_space!(ScmRights(n))` holds `n` fds.
///
/// Several messages are `cmsg_space!(ScmRights(1), ScmRights(2))`.
#[macro_export]
macro_rules! cmsg_space {
    (ScmRights($len:expr)) => {
        $crate::net::__cmsg_space(
            $len * ::core::mem::size_of::<$crate::fd::BorrowedFd<'static>>(),
        )
    };
    ($firstid:ident($firstex:expr), $($restid:ident($restex:expr)),*) => {{
        let sum = $crate::cmsg_space!($firstid($firstex));
        $(
            let sum = sum + $crate::cmsg_space!($restid($restex))
                - $crate::net::__cmsg_space(0)
                + $crate::net::__cmsg_aligned_space(0);
        )*
        sum
    }};
}

/// `CMSG_SPACE(len)` plus the alignment slack of a buffer's start; for [`cmsg_space!`].
///
/// # Panics
///
/// If the size overflows `usize` (at compile time where `cmsg_space!` is used in a constant).
#[doc(hidden)]
pub const fn __cmsg_space(len: usize) -> usize {
    match cmsg_space(len) {
        Some(space) => match space.checked_add(CMSG_ALIGNMENT) {
            Some(space) => space,
            None => panic!("cmsg_space overflow"),
        },
        None => panic!("cmsg_space overflow"),
    }
}

/// `CMSG_SPACE(len)`; for [`cmsg_space!`].
///
/// # Panics
///
/// If the size overflows `usize`.
#[doc(hidden)]
pub const fn __cmsg_aligned_space(len: usize) -> usize {
    match cmsg_space(len) {
        Some(space) => space,
        None => panic!("cmsg_space overflow"),
    }
}

/// The part of `buffer` from its first `cmsghdr`-aligned byte (empty if there is none).
fn align_for_cmsghdr(buffer: &mut [MaybeUninit<u8>]) -> &mut [MaybeUninit<u8>] {
    let skip = buffer.as_ptr().align_offset(CMSG_ALIGNMENT);
    let skip = skip.min(buffer.len());
    &mut buffer[skip..]
}

/// An ancillary message to send with [`sendmsg`].
#[non_exhaustive]
pub enum SendAncillaryMessage<'slice, 'fd> {
    /// `SCM_RIGHTS`: fds to pass; the receiver gets new fds for the same open files.
    #[doc(alias = "SCM_RIGHTS")]
    ScmRights(&'slice [BorrowedFd<'fd>]),
}

impl SendAncillaryMessage<'_, '_> {
    /// The room the message takes in a [`SendAncillaryBuffer`], counting the alignment of
    /// the buffer's start, as [`cmsg_space!`](crate::cmsg_space) does.
    pub const fn size(&self) -> usize {
        match self {
            Self::ScmRights(fds) => cmsg_space!(ScmRights(fds.len())),
        }
    }
}

/// A received ancillary message, from [`RecvAncillaryBuffer::drain`].
#[non_exhaustive]
pub enum RecvAncillaryMessage<'a> {
    /// `SCM_RIGHTS`: the fds received, which the iterator hands out as `OwnedFd`s; those it
    /// does not hand out are closed when it is dropped.
    #[doc(alias = "SCM_RIGHTS")]
    ScmRights(AncillaryIter<'a, OwnedFd>),
}

/// Control messages to send: a caller-provided buffer that [`push`](Self::push) fills.
///
/// The buffer borrows the fds it holds for `'fd`, so they stay open until it is sent.
pub struct SendAncillaryBuffer<'buf, 'slice, 'fd> {
    buffer: &'buf mut [MaybeUninit<u8>],
    /// Bytes of `buffer` holding messages (initialized, padding included).
    length: usize,
    _fds: PhantomData<&'slice [BorrowedFd<'fd>]>,
}

impl<'buf> From<&'buf mut [MaybeUninit<u8>]> for SendAncillaryBuffer<'buf, '_, '_> {
    fn from(buffer: &'buf mut [MaybeUninit<u8>]) -> Self {
        Self::new(buffer)
    }
}

impl Default for SendAncillaryBuffer<'_, '_, '_> {
    fn default() -> Self {
        Self {
            buffer: &mut [],
            length: 0,
            _fds: PhantomData,
        }
    }
}

impl<'buf, 'slice, 'fd> SendAncillaryBuffer<'buf, 'slice, 'fd> {
    /// A buffer over `buffer` (from its first aligned byte), with no messages. Size it with
    /// [`cmsg_space!`](crate::cmsg_space).
    #[inline]
    pub fn new(buffer: &'buf mut [MaybeUninit<u8>]) -> Self {
        Self {
            buffer: align_for_cmsghdr(buffer),
            length: 0,
            _fds: PhantomData,
        }
    }

    /// The control pointer and length for `msghdr` (null when empty).
    fn control(&mut self) -> (*mut MaybeUninit<u8>, usize) {
        if self.length == 0 {
            (core::ptr::null_mut(), 0)
        } else {
            (self.buffer.as_mut_ptr(), self.length)
        }
    }

    /// Removes every message.
    pub fn clear(&mut self) {
        self.length = 0;
    }

    /// Appends a message; `false`, leaving the buffer as it was, if it does not fit.
    pub fn push(&mut self, msg: SendAncillaryMessage<'slice, 'fd>) -> bool {
        match msg {
            SendAncillaryMessage::ScmRights(fds) => {
                let fd_size = size_of::<i32>();
                let Some(payload) = fds.len().checked_mul(fd_size) else {
                    return false;
                };
                let (Some(space), Some(len)) = (cmsg_space(payload), cmsg_len(payload)) else {
                    return false;
                };
                let Some(end) = self.length.checked_add(space) else {
                    return false;
                };
                let Some(room) = self.buffer.get_mut(self.length..end) else {
                    return false;
                };
                room.fill(MaybeUninit::new(0));
                let header = cmsghdr {
                    cmsg_len: len as _,
                    cmsg_level: SOL_SOCKET as _,
                    cmsg_type: SCM_RIGHTS as _,
                };
                write_bytes(&mut room[..size_of::<cmsghdr>()], &header);
                for (i, fd) in fds.iter().enumerate() {
                    let at = CMSG_HEADER + i * fd_size;
                    write_bytes(&mut room[at..at + fd_size], &fd.as_raw_fd());
                }
                self.length = end;
                true
            }
        }
    }
}

/// Copies the bytes of `value` into `dest`, which is exactly as long.
fn write_bytes<T: Copy>(dest: &mut [MaybeUninit<u8>], value: &T) {
    assert_eq!(dest.len(), size_of::<T>());
    // SAFETY: `dest` is `size_of::<T>()` writable bytes; `T` here is `cmsghdr` or `i32`,
    // which have no padding, so every byte read is initialized.
    unsafe {
        core::ptr::copy_nonoverlapping(
            (value as *const T).cast::<MaybeUninit<u8>>(),
            dest.as_mut_ptr(),
            size_of::<T>(),
        );
    }
}

impl<'slice, 'fd> Extend<SendAncillaryMessage<'slice, 'fd>>
    for SendAncillaryBuffer<'_, 'slice, 'fd>
{
    /// Pushes messages until one does not fit.
    fn extend<T: IntoIterator<Item = SendAncillaryMessage<'slice, 'fd>>>(&mut self, iter: T) {
        iter.into_iter().all(|msg| self.push(msg));
    }
}

/// Room for received control messages: a caller-provided buffer that [`recvmsg`] fills and
/// [`drain`](Self::drain) reads.
///
/// Received fds are owned by the buffer until drained: any not taken are closed when the
/// buffer is dropped, or at the next `recvmsg` into it, so none leak.
#[derive(Default)]
pub struct RecvAncillaryBuffer<'buf> {
    buffer: &'buf mut [MaybeUninit<u8>],
    /// Where the messages not yet drained begin.
    read: usize,
    /// How many bytes of messages, from `read`, are not yet drained.
    length: usize,
}

impl<'buf> From<&'buf mut [MaybeUninit<u8>]> for RecvAncillaryBuffer<'buf> {
    fn from(buffer: &'buf mut [MaybeUninit<u8>]) -> Self {
        Self::new(buffer)
    }
}

impl<'buf> RecvAncillaryBuffer<'buf> {
    /// A buffer over `buffer` (from its first aligned byte). Size it with
    /// [`cmsg_space!`](crate::cmsg_space); messages that do not fit are cut off, and
    /// [`recvmsg`] says [`ReturnFlags::CTRUNC`].
    #[inline]
    pub fn new(buffer: &'buf mut [MaybeUninit<u8>]) -> Self {
        Self {
            buffer: align_for_cmsghdr(buffer),
            read: 0,
            length: 0,
        }
    }

    /// Drops every message not yet drained (closing their fds).
    fn clear(&mut self) {
        self.drain().for_each(drop);
    }

    /// The received messages not yet taken. Messages this version does not know are
    /// skipped; an `SCM_RIGHTS` message's fds are closed when its iterator is dropped, the
    /// ones it handed out excepted.
    pub fn drain(&mut self) -> AncillaryDrain<'_> {
        let end = self.read + self.length;
        AncillaryDrain {
            data: &mut self.buffer[self.read..end],
            read: &mut self.read,
            length: &mut self.length,
        }
    }
}

impl Drop for RecvAncillaryBuffer<'_> {
    fn drop(&mut self) {
        self.clear();
    }
}

/// An iterator over the received messages of a [`RecvAncillaryBuffer`], each taken from the
/// buffer as it is returned.
pub struct AncillaryDrain<'buf> {
    data: &'buf mut [MaybeUninit<u8>],
    read: &'buf mut usize,
    length: &'buf mut usize,
}

impl<'buf> Iterator for AncillaryDrain<'buf> {
    type Item = RecvAncillaryMessage<'buf>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.data.len() < size_of::<cmsghdr>() {
                return None;
            }
            let mut header = MaybeUninit::<cmsghdr>::uninit();
            // SAFETY: the kernel wrote a whole header at every message's start within the
            // length it returned (`length` only ever ends at a message's end, its padding
            // included); `header` has room for it.
            let header = unsafe {
                core::ptr::copy_nonoverlapping(
                    self.data.as_ptr(),
                    header.as_mut_ptr().cast::<MaybeUninit<u8>>(),
                    size_of::<cmsghdr>(),
                );
                header.assume_init()
            };
            let cmsg_len = header.cmsg_len as usize;
            if cmsg_len < CMSG_HEADER {
                // Not a message the kernel writes: stop rather than guess.
                self.data = &mut [];
                *self.read += *self.length;
                *self.length = 0;
                return None;
            }
            // The message's initialized bytes, and the room it takes up to the next one.
            let msg_len = cmsg_len.min(self.data.len());
            let step = cmsg_align(cmsg_len).map_or(self.data.len(), |s| s.min(self.data.len()));
            let data = core::mem::take(&mut self.data);
            let (msg, rest) = data.split_at_mut(step);
            self.data = rest;
            *self.read += step;
            *self.length -= step;
            let payload = &mut msg[CMSG_HEADER..msg_len];
            if (header.cmsg_level as u32, header.cmsg_type as u32) == (SOL_SOCKET, SCM_RIGHTS) {
                let whole = payload.len() - payload.len() % size_of::<i32>();
                return Some(RecvAncillaryMessage::ScmRights(AncillaryIter {
                    data: &mut payload[..whole],
                    _item: PhantomData,
                }));
            }
        }
    }
}

impl FusedIterator for AncillaryDrain<'_> {}

pub(crate) mod private {
    /// What an [`AncillaryIter`](super::AncillaryIter) can hand out.
    pub trait Item: Sized {
        /// Size of one item in the payload.
        const SIZE: usize;

        /// Takes one item out of its `SIZE` payload bytes.
        ///
        /// # Safety
        ///
        /// `bytes` must be `SIZE` bytes the kernel wrote, which nothing reads again.
        unsafe fn take(bytes: &[u8]) -> Self;
    }

    impl Item for crate::fd::OwnedFd {
        const SIZE: usize = core::mem::size_of::<i32>();

        unsafe fn take(bytes: &[u8]) -> Self {
            let fd = i32::from_ne_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            // SAFETY: the kernel installed this fd for the receiver; nothing else owns it, and
            // the caller makes sure it is taken once.
            unsafe { <Self as crate::fd::FromRawFd>::from_raw_fd(fd) }
        }
    }
}

/// The items of an ancillary message: for `SCM_RIGHTS`, the received fds as `OwnedFd`s.
/// Dropping the iterator closes the fds it has not handed out.
pub struct AncillaryIter<'data, T: private::Item> {
    data: &'data mut [MaybeUninit<u8>],
    _item: PhantomData<T>,
}

impl<T: private::Item> AncillaryIter<'_, T> {
    fn take_at(&mut self, at: usize) -> T {
        let bytes = &self.data[at..at + T::SIZE];
        // SAFETY: the payload bytes up to the message's `cmsg_len` are initialized.
        let bytes = unsafe { &*(bytes as *const [MaybeUninit<u8>] as *const [u8]) };
        // SAFETY: the caller removes these bytes from `data` right after, so each item is
        // taken once.
        unsafe { T::take(bytes) }
    }
}

impl<T: private::Item> Iterator for AncillaryIter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.data.len() < T::SIZE {
            return None;
        }
        let item = self.take_at(0);
        let data = core::mem::take(&mut self.data);
        self.data = &mut data[T::SIZE..];
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.len();
        (len, Some(len))
    }
}

impl<T: private::Item> DoubleEndedIterator for AncillaryIter<'_, T> {
    fn next_back(&mut self) -> Option<T> {
        let at = self.data.len().checked_sub(T::SIZE)?;
        let item = self.take_at(at);
        let data = core::mem::take(&mut self.data);
        self.data = &mut data[..at];
        Some(item)
    }
}

impl<T: private::Item> ExactSizeIterator for AncillaryIter<'_, T> {
    fn len(&self) -> usize {
        self.data.len() / T::SIZE
    }
}

impl<T: private::Item> FusedIterator for AncillaryIter<'_, T> {}

impl<T: private::Item> Drop for AncillaryIter<'_, T> {
    fn drop(&mut self) {
        self.for_each(drop);
    }
}

/// What [`recvmsg`] returns.
#[derive(Debug, Clone)]
pub struct RecvMsg {
    /// The number of bytes received (with [`RecvFlags::TRUNC`] on a datagram socket, the
    /// datagram's length, which may exceed the buffers).
    pub bytes: usize,
    /// The flags the kernel returned: [`ReturnFlags::TRUNC`] for a datagram cut short,
    /// [`ReturnFlags::CTRUNC`] for control messages that did not fit.
    pub flags: ReturnFlags,
    /// The sender's address, where the kernel gives one.
    pub address: Option<SocketAddrAny>,
}

/// A `msghdr` over the given parts.
fn msghdr_of(
    name: (*mut core::ffi::c_void, u32),
    iov: (*mut linux_raw_sys::general::iovec, usize),
    control: (*mut MaybeUninit<u8>, usize),
) -> msghdr {
    msghdr {
        msg_name: name.0,
        msg_namelen: name.1 as _,
        msg_iov: iov.0.cast(),
        msg_iovlen: iov.1 as _,
        msg_control: control.0.cast(),
        msg_controllen: control.1 as _,
        msg_flags: 0,
    }
}

/// `sendmsg(fd, msg, flags)`—Sends the bytes of `iov`, in order, with the control messages
/// of `control`, on a connected socket; returns how many bytes were sent.
///
/// # References
///  - [Linux `sendmsg(2)`](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
#[inline]
pub fn sendmsg<Fd: AsFd>(
    socket: Fd,
    iov: &[IoSlice<'_>],
    control: &mut SendAncillaryBuffer<'_, '_, '_>,
    flags: SendFlags,
) -> Result<usize> {
    let msg = msghdr_of(
        (core::ptr::null_mut(), 0),
        (iov.as_ptr().cast_mut().cast(), iov.len()),
        control.control(),
    );
    // SAFETY: the iovecs (`IoSlice` is an `iovec`) and the control messages are live and
    // initialized for their lengths, and the kernel only reads them.
    unsafe { syscalls::sendmsg(socket.as_fd(), &msg, flags) }
}

/// `sendmsg(fd, msg, flags)` with `msg_name`—[`sendmsg`] to `addr`.
///
/// # References
///  - [Linux `sendmsg(2)`](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
#[inline]
pub fn sendmsg_addr<Fd: AsFd>(
    socket: Fd,
    addr: &impl SocketAddrArg,
    iov: &[IoSlice<'_>],
    control: &mut SendAncillaryBuffer<'_, '_, '_>,
    flags: SendFlags,
) -> Result<usize> {
    let fd = socket.as_fd();
    let control = control.control();
    // SAFETY: `with_sockaddr` gives `len` readable bytes for the call; the iovecs and control
    // messages are as in `sendmsg`; the kernel only reads them.
    unsafe {
        addr.with_sockaddr(|ptr, len| {
            let msg = msghdr_of(
                (ptr.cast_mut().cast(), len),
                (iov.as_ptr().cast_mut().cast(), iov.len()),
                control,
            );
            syscalls::sendmsg(fd, &msg, flags)
        })
    }
}

/// `recvmsg(fd, msg, flags)`—Receives bytes into the buffers of `iov`, in order, and control
/// messages into `control`.
///
/// Messages left in `control` from an earlier call are dropped first (their fds closed).
/// Received fds become `OwnedFd`s through [`RecvAncillaryBuffer::drain`]; fds that did not
/// fit in `control` are closed by the kernel, which says so with [`ReturnFlags::CTRUNC`].
///
/// # References
///  - [Linux `recvmsg(2)`](https://man7.org/linux/man-pages/man2/recvmsg.2.html)
#[inline]
pub fn recvmsg<Fd: AsFd>(
    socket: Fd,
    iov: &mut [IoSliceMut<'_>],
    control: &mut RecvAncillaryBuffer<'_>,
    flags: RecvFlags,
) -> Result<RecvMsg> {
    control.clear();
    let mut name = SocketAddrBuf::new();
    let room = control.buffer.len();
    let mut msg = msghdr_of(
        (name.storage.as_mut_ptr().cast(), name.len),
        (iov.as_mut_ptr().cast(), iov.len()),
        (control.buffer.as_mut_ptr(), room),
    );
    // SAFETY: the name storage, the iovecs (`IoSliceMut` is an `iovec` over writable bytes)
    // and the control buffer are writable for the lengths given.
    let bytes = unsafe { syscalls::recvmsg(socket.as_fd(), &mut msg, flags)? };
    // The kernel sets `msg_controllen` to the bytes of messages it wrote (never more than the
    // room; the `min` keeps a misbehaving emulator from making the drain read past it).
    control.read = 0;
    control.length = msg.msg_controllen.min(room);
    name.len = msg.msg_namelen as u32;
    Ok(RecvMsg {
        bytes,
        flags: ReturnFlags::from_bits_retain(msg.msg_flags),
        // SAFETY: the kernel wrote the name (at most the storage) and its length.
        address: unsafe { name.into_any_option() },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmsg_sizes_follow_the_kernels_macros() {
        #[cfg(target_pointer_width = "64")]
        {
            assert_eq!(CMSG_HEADER, 16);
            assert_eq!(cmsg_len(4), Some(20));
            assert_eq!(cmsg_space(4), Some(24));
            assert_eq!(cmsg_space(12), Some(32));
        }
        #[cfg(target_pointer_width = "32")]
        {
            assert_eq!(CMSG_HEADER, 12);
            assert_eq!(cmsg_len(4), Some(16));
            assert_eq!(cmsg_space(4), Some(16));
            assert_eq!(cmsg_space(12), Some(24));
        }
        assert_eq!(cmsg_space(usize::MAX), None);
        assert_eq!(
            crate::cmsg_space!(ScmRights(2)),
            cmsg_space(8).unwrap() + CMSG_ALIGNMENT
        );
        assert_eq!(
            crate::cmsg_space!(ScmRights(1), ScmRights(3)),
            cmsg_space(4).unwrap() + cmsg_space(12).unwrap() + CMSG_ALIGNMENT
        );
    }

    #[test]
    fn push_refuses_what_does_not_fit() {
        let mut space = [MaybeUninit::<u8>::uninit(); 64];
        let mut buffer = SendAncillaryBuffer::new(&mut space);
        // SAFETY: fd 0 is not closed while the borrow lives (only its number is copied).
        let fd = unsafe { BorrowedFd::borrow_raw(0) };
        let many = [fd; 16];
        assert!(!buffer.push(SendAncillaryMessage::ScmRights(&many)));
        assert_eq!(buffer.length, 0);
        assert!(buffer.push(SendAncillaryMessage::ScmRights(&many[..2])));
        assert_eq!(buffer.length, cmsg_space(8).unwrap());
        let mut empty = SendAncillaryBuffer::default();
        assert!(!empty.push(SendAncillaryMessage::ScmRights(&many[..1])));
    }
}
