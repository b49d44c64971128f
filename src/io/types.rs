//! The io module's types: what its typed syscalls take, re-exported by `io`.

#[cfg(feature = "std")]
pub use std::io::{IoSlice, IoSliceMut};

#[cfg(not(feature = "std"))]
pub use self::no_std_ioslice::{IoSlice, IoSliceMut};

// The kernel reads `IoSlice`s as its `struct iovec`.
static_assertions::assert_eq_size!(IoSlice<'static>, linux_raw_sys::general::iovec);
static_assertions::assert_eq_align!(IoSlice<'static>, linux_raw_sys::general::iovec);
static_assertions::assert_eq_size!(IoSliceMut<'static>, linux_raw_sys::general::iovec);
static_assertions::assert_eq_align!(IoSliceMut<'static>, linux_raw_sys::general::iovec);
// The layouts `Errno`'s docs rely on (rustc's choice, so checked).
static_assertions::assert_eq_size!(crate::io::Result<FdFlags>, u64);

flags! {
    /// `O_*` flags for [`dup3`](crate::io::dup3).
    pub struct DupFlags: u32 {
        /// `O_CLOEXEC`
        const CLOEXEC = linux_raw_sys::general::O_CLOEXEC;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `FD_*` flags of a file descriptor, for [`fcntl_getfd`](crate::io::fcntl_getfd) and [`fcntl_setfd`](crate::io::fcntl_setfd).
    pub struct FdFlags: u32 {
        /// `FD_CLOEXEC`
        const CLOEXEC = linux_raw_sys::general::FD_CLOEXEC;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `RWF_*` flags for [`preadv2`](crate::io::preadv2) and [`pwritev2`](crate::io::pwritev2).
    pub struct ReadWriteFlags: u32 {
        /// `RWF_DSYNC` (since Linux 4.7)
        const DSYNC = linux_raw_sys::general::RWF_DSYNC;
        /// `RWF_HIPRI` (since Linux 4.6)
        const HIPRI = linux_raw_sys::general::RWF_HIPRI;
        /// `RWF_SYNC` (since Linux 4.7)
        const SYNC = linux_raw_sys::general::RWF_SYNC;
        /// `RWF_NOWAIT` (since Linux 4.14)
        const NOWAIT = linux_raw_sys::general::RWF_NOWAIT;
        /// `RWF_APPEND` (since Linux 4.16)
        const APPEND = linux_raw_sys::general::RWF_APPEND;
        /// Bits this version does not name: kept, and passed to the kernel, which refuses the
        /// ones it does not know with `Errno::OPNOTSUPP`.
        const _ = !0;
    }
}

#[cfg(not(feature = "std"))]
mod no_std_ioslice {
    use core::fmt;
    use core::marker::PhantomData;
    use core::ops::{Deref, DerefMut};
    use linux_raw_sys::general::iovec;

    /// A buffer for vectored writes: the kernel's `struct iovec` over a `&[u8]`.
    #[derive(Clone, Copy)]
    #[repr(transparent)]
    pub struct IoSlice<'a> {
        vec: iovec,
        _borrow: PhantomData<&'a [u8]>,
    }

    /// A buffer for vectored reads: the kernel's `struct iovec` over a `&mut [u8]`.
    #[repr(transparent)]
    pub struct IoSliceMut<'a> {
        vec: iovec,
        _borrow: PhantomData<&'a mut [u8]>,
    }

    // SAFETY: an `IoSlice` is a shared borrow of bytes, which may cross and be shared between
    // threads like the `&[u8]` it stands for.
    unsafe impl Send for IoSlice<'_> {}
    // SAFETY: as above.
    unsafe impl Sync for IoSlice<'_> {}
    // SAFETY: an `IoSliceMut` is an exclusive borrow of bytes, like `&mut [u8]`.
    unsafe impl Send for IoSliceMut<'_> {}
    // SAFETY: as above; `&IoSliceMut` only gives out `&[u8]`.
    unsafe impl Sync for IoSliceMut<'_> {}

    /// Where `advance` is refused: past the end, as std's `IoSlice::advance` panics.
    #[cold]
    #[track_caller]
    fn advanced_past_end(n: usize, len: usize) -> ! {
        panic!("advancing an IoSlice by {n} bytes, beyond its length {len}")
    }

    impl<'a> IoSlice<'a> {
        /// Wraps `buf`.
        #[inline]
        pub fn new(buf: &'a [u8]) -> Self {
            Self {
                vec: iovec {
                    iov_base: buf.as_ptr() as *mut _,
                    iov_len: buf.len() as _,
                },
                _borrow: PhantomData,
            }
        }

        /// The bytes, for as long as the borrow this slice was made from.
        #[inline]
        pub fn as_slice(&self) -> &'a [u8] {
            // SAFETY: `vec` was made from a `&'a [u8]` that this value still borrows.
            unsafe {
                core::slice::from_raw_parts(self.vec.iov_base.cast(), self.vec.iov_len as usize)
            }
        }

        /// Drops the first `n` bytes, as after a write that took them.
        ///
        /// # Panics
        ///
        /// If `n` is more than the length, as std's `IoSlice::advance` does (the same code
        /// builds with feature `std`, where this type is std's).
        #[inline]
        #[track_caller]
        pub fn advance(&mut self, n: usize) {
            let bytes = self.as_slice();
            match bytes.get(n..) {
                Some(rest) => *self = Self::new(rest),
                None => advanced_past_end(n, bytes.len()),
            }
        }
    }

    impl<'a> IoSliceMut<'a> {
        /// Wraps `buf`.
        #[inline]
        pub fn new(buf: &'a mut [u8]) -> Self {
            Self {
                vec: iovec {
                    iov_base: buf.as_mut_ptr().cast(),
                    iov_len: buf.len() as _,
                },
                _borrow: PhantomData,
            }
        }

        /// The bytes.
        #[inline]
        pub fn as_slice(&self) -> &[u8] {
            self
        }

        /// The bytes, writable.
        #[inline]
        pub fn as_mut_slice(&mut self) -> &mut [u8] {
            self
        }

        /// Drops the first `n` bytes, as after a read that filled them.
        ///
        /// # Panics
        ///
        /// If `n` is more than the length, as std's `IoSliceMut::advance` does.
        #[inline]
        #[track_caller]
        pub fn advance(&mut self, n: usize) {
            let len = self.vec.iov_len as usize;
            if n > len {
                advanced_past_end(n, len);
            }
            // SAFETY: `vec` was made from a `&'a mut [u8]` that this value borrows exclusively,
            // and `n <= len`, so the rest is within it; `self` is replaced, so the dropped front
            // is no longer reachable through it.
            let rest = unsafe {
                core::slice::from_raw_parts_mut(self.vec.iov_base.cast::<u8>().add(n), len - n)
            };
            *self = Self::new(rest);
        }
    }

    impl Deref for IoSlice<'_> {
        type Target = [u8];
        #[inline]
        fn deref(&self) -> &[u8] {
            // SAFETY: `vec` was made from a `&'a [u8]` that this value still borrows.
            unsafe {
                core::slice::from_raw_parts(self.vec.iov_base.cast(), self.vec.iov_len as usize)
            }
        }
    }

    impl Deref for IoSliceMut<'_> {
        type Target = [u8];
        #[inline]
        fn deref(&self) -> &[u8] {
            // SAFETY: `vec` was made from a `&'a mut [u8]` that this value still borrows.
            unsafe {
                core::slice::from_raw_parts(self.vec.iov_base.cast(), self.vec.iov_len as usize)
            }
        }
    }

    impl DerefMut for IoSliceMut<'_> {
        #[inline]
        fn deref_mut(&mut self) -> &mut [u8] {
            // SAFETY: `vec` was made from a `&'a mut [u8]` that this value borrows exclusively.
            unsafe {
                core::slice::from_raw_parts_mut(self.vec.iov_base.cast(), self.vec.iov_len as usize)
            }
        }
    }

    impl fmt::Debug for IoSlice<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Debug::fmt(&**self, f)
        }
    }

    impl fmt::Debug for IoSliceMut<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Debug::fmt(&**self, f)
        }
    }
}
