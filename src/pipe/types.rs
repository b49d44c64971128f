//! The pipe module's types.

use core::marker::PhantomData;
use linux_raw_sys::general as k;

/// `PIPE_BUF`—The largest write to a pipe that the kernel keeps whole: a write of at most this
/// many bytes is never interleaved with other writers' data.
///
/// # References
///  - [Linux `pipe(7)`](https://man7.org/linux/man-pages/man7/pipe.7.html)
pub const PIPE_BUF: usize = k::PIPE_BUF as usize;

flags! {
    /// `O_*` flags for [`pipe_with`](crate::pipe::pipe_with).
    pub struct PipeFlags: u32 {
        /// `O_CLOEXEC`
        const CLOEXEC = k::O_CLOEXEC;
        /// `O_DIRECT`: packet mode.
        const DIRECT = k::O_DIRECT;
        /// `O_NONBLOCK`
        const NONBLOCK = k::O_NONBLOCK;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `SPLICE_F_*` flags for [`splice`](crate::pipe::splice),
    /// [`vmsplice`](crate::pipe::vmsplice) and [`tee`](crate::pipe::tee).
    pub struct SpliceFlags: u32 {
        /// `SPLICE_F_MOVE`: a hint to move pages rather than copy them.
        const MOVE = k::SPLICE_F_MOVE;
        /// `SPLICE_F_NONBLOCK`: do not block on the pipe (the other fd's own `O_NONBLOCK`
        /// still decides for it).
        const NONBLOCK = k::SPLICE_F_NONBLOCK;
        /// `SPLICE_F_MORE`: more data follows (a hint for sockets).
        const MORE = k::SPLICE_F_MORE;
        /// `SPLICE_F_GIFT`: `vmsplice` gives the pages to the kernel.
        const GIFT = k::SPLICE_F_GIFT;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

/// One buffer for [`vmsplice`](crate::pipe::vmsplice): a `struct iovec` in memory, borrowing
/// its bytes for `'a`.
///
/// Unlike `IoSlice` and `IoSliceMut` it promises nothing about whether the kernel reads or
/// writes the bytes, like a raw pointer: which one happens depends on the pipe end `vmsplice`
/// is given, and `vmsplice`'s caller answers for it.
#[repr(transparent)]
pub struct IoSliceRaw<'a> {
    _iovec: k::iovec,
    _borrow: PhantomData<&'a ()>,
}

impl<'a> IoSliceRaw<'a> {
    /// A buffer over `buf`, for `vmsplice` to a pipe's write end, which only reads it.
    #[inline]
    pub fn from_slice(buf: &'a [u8]) -> Self {
        Self {
            _iovec: k::iovec {
                iov_base: buf.as_ptr().cast_mut().cast(),
                iov_len: buf.len() as _,
            },
            _borrow: PhantomData,
        }
    }

    /// A buffer over `buf`, for `vmsplice` from either end of a pipe.
    #[inline]
    pub fn from_slice_mut(buf: &'a mut [u8]) -> Self {
        Self {
            _iovec: k::iovec {
                iov_base: buf.as_mut_ptr().cast(),
                iov_len: buf.len() as _,
            },
            _borrow: PhantomData,
        }
    }
}

// The kernel reads a `&[IoSliceRaw]` as `struct iovec[]`.
static_assertions::assert_eq_size!(IoSliceRaw<'static>, k::iovec);
static_assertions::assert_eq_align!(IoSliceRaw<'static>, k::iovec);
