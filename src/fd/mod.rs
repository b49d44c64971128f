//! File descriptor ownership: `OwnedFd`, `BorrowedFd`, `AsFd` and the raw-fd traits.
//!
//! With the `std` feature these are std's own types, so `std::fs::File`, `std::net::TcpStream`,
//! `std::io::PipeReader` and the rest work with every barecall function. Without it barecall
//! supplies types with the same names, layout and semantics: an `OwnedFd` closes its fd when
//! dropped, a `BorrowedFd<'a>` is an fd kept open for `'a`.

pub(crate) mod syscalls;

#[cfg(feature = "std")]
pub use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

#[cfg(not(feature = "std"))]
pub use self::no_std_fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

// The kernel's fds are C `int`s; every conversion to a syscall argument relies on it.
static_assertions::assert_eq_size!(RawFd, linux_raw_sys::ctypes::c_int);
static_assertions::assert_eq_size!(OwnedFd, RawFd);
static_assertions::assert_eq_size!(BorrowedFd<'static>, RawFd);
// -1 is never an fd, and std's types use it as a niche: so do barecall's.
static_assertions::assert_eq_size!(Option<OwnedFd>, RawFd);
static_assertions::assert_eq_size!(Option<BorrowedFd<'static>>, RawFd);

#[cfg(not(feature = "std"))]
mod no_std_fd {
    use core::fmt;
    use core::marker::PhantomData;
    use core::mem::ManuallyDrop;
    use core::num::NonZeroU32;

    /// A raw file descriptor, as the kernel numbers them.
    pub type RawFd = linux_raw_sys::ctypes::c_int;

    /// Gives the raw fd of an object that has one.
    pub trait AsRawFd {
        /// The raw fd, still owned by `self`.
        fn as_raw_fd(&self) -> RawFd;
    }

    /// Builds an owning object from a raw fd.
    pub trait FromRawFd {
        /// Takes ownership of `fd`.
        ///
        /// # Safety
        ///
        /// `fd` must be open and owned by nobody else: the result will close it.
        unsafe fn from_raw_fd(fd: RawFd) -> Self;
    }

    /// Gives up ownership of a raw fd.
    pub trait IntoRawFd {
        /// Returns the raw fd; the caller becomes responsible for closing it.
        fn into_raw_fd(self) -> RawFd;
    }

    /// Borrows an object's fd.
    pub trait AsFd {
        /// The fd, borrowed for as long as `self` is.
        fn as_fd(&self) -> BorrowedFd<'_>;
    }

    /// An fd number other than -1, stored complemented: `!fd` is zero only for -1, so
    /// `Option<OwnedFd>` and `Option<BorrowedFd>` are as small as an fd, as std's are. (Any
    /// other negative number stays possible: `BorrowedFd` also holds `AT_FDCWD`, -100.)
    #[derive(Clone, Copy)]
    #[repr(transparent)]
    struct ValidFd(NonZeroU32);

    impl ValidFd {
        /// Panics on -1, as std's `OwnedFd::from_raw_fd` and `BorrowedFd::borrow_raw` do: it is
        /// the error value of C's fd functions, never an fd.
        #[inline]
        const fn new(fd: RawFd) -> Self {
            match NonZeroU32::new(!(fd as u32)) {
                Some(complement) => Self(complement),
                None => panic!("-1 is not a file descriptor"),
            }
        }

        #[inline]
        const fn get(self) -> RawFd {
            !self.0.get() as RawFd
        }
    }

    /// An open file descriptor that is closed when this value is dropped.
    #[repr(transparent)]
    pub struct OwnedFd {
        fd: ValidFd,
    }

    /// An open file descriptor borrowed for `'fd`.
    #[derive(Clone, Copy)]
    #[repr(transparent)]
    pub struct BorrowedFd<'fd> {
        fd: ValidFd,
        _borrow: PhantomData<&'fd OwnedFd>,
    }

    impl BorrowedFd<'_> {
        /// Borrows a raw fd.
        ///
        /// # Panics
        ///
        /// If `fd` is -1, as std's does.
        ///
        /// # Safety
        ///
        /// `fd` must stay open for the returned lifetime.
        #[inline]
        pub const unsafe fn borrow_raw(fd: RawFd) -> Self {
            Self {
                fd: ValidFd::new(fd),
                _borrow: PhantomData,
            }
        }

        /// `fcntl(fd, F_DUPFD_CLOEXEC, 3)`—A new owned fd for the same open file, close-on-exec.
        ///
        /// # References
        ///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
        pub fn try_clone_to_owned(&self) -> crate::errno::Result<OwnedFd> {
            crate::fd::syscalls::fcntl_dupfd_cloexec(*self, 3)
        }
    }

    impl OwnedFd {
        /// `fcntl(fd, F_DUPFD_CLOEXEC, 3)`—A new owned fd for the same open file, close-on-exec.
        ///
        /// # References
        ///  - [Linux `fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
        pub fn try_clone(&self) -> crate::errno::Result<Self> {
            self.as_fd().try_clone_to_owned()
        }
    }

    impl Drop for OwnedFd {
        #[inline]
        fn drop(&mut self) {
            // SAFETY: an `OwnedFd` owns its fd, and this is the last use of it.
            unsafe { crate::fd::syscalls::close(self.fd.get()) }
        }
    }

    impl AsRawFd for OwnedFd {
        #[inline]
        fn as_raw_fd(&self) -> RawFd {
            self.fd.get()
        }
    }

    impl AsRawFd for BorrowedFd<'_> {
        #[inline]
        fn as_raw_fd(&self) -> RawFd {
            self.fd.get()
        }
    }

    impl FromRawFd for OwnedFd {
        /// Takes ownership of `fd`.
        ///
        /// # Panics
        ///
        /// If `fd` is -1, as std's does.
        ///
        /// # Safety
        ///
        /// `fd` must be open and owned by nobody else: the result will close it.
        #[inline]
        unsafe fn from_raw_fd(fd: RawFd) -> Self {
            Self {
                fd: ValidFd::new(fd),
            }
        }
    }

    impl IntoRawFd for OwnedFd {
        #[inline]
        fn into_raw_fd(self) -> RawFd {
            ManuallyDrop::new(self).fd.get()
        }
    }

    impl AsFd for OwnedFd {
        #[inline]
        fn as_fd(&self) -> BorrowedFd<'_> {
            BorrowedFd {
                fd: self.fd,
                _borrow: PhantomData,
            }
        }
    }

    impl AsFd for BorrowedFd<'_> {
        #[inline]
        fn as_fd(&self) -> BorrowedFd<'_> {
            *self
        }
    }

    impl<T: AsFd + ?Sized> AsFd for &T {
        #[inline]
        fn as_fd(&self) -> BorrowedFd<'_> {
            T::as_fd(self)
        }
    }

    impl<T: AsFd + ?Sized> AsFd for &mut T {
        #[inline]
        fn as_fd(&self) -> BorrowedFd<'_> {
            T::as_fd(self)
        }
    }

    #[cfg(feature = "alloc")]
    impl<T: AsFd + ?Sized> AsFd for alloc::boxed::Box<T> {
        #[inline]
        fn as_fd(&self) -> BorrowedFd<'_> {
            T::as_fd(self)
        }
    }

    #[cfg(feature = "alloc")]
    impl<T: AsFd + ?Sized> AsFd for alloc::sync::Arc<T> {
        #[inline]
        fn as_fd(&self) -> BorrowedFd<'_> {
            T::as_fd(self)
        }
    }

    #[cfg(feature = "alloc")]
    impl<T: AsFd + ?Sized> AsFd for alloc::rc::Rc<T> {
        #[inline]
        fn as_fd(&self) -> BorrowedFd<'_> {
            T::as_fd(self)
        }
    }

    impl fmt::Debug for OwnedFd {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("OwnedFd")
                .field("fd", &self.fd.get())
                .finish()
        }
    }

    impl fmt::Debug for BorrowedFd<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("BorrowedFd")
                .field("fd", &self.fd.get())
                .finish()
        }
    }
}

#[cfg(all(test, not(feature = "std")))]
mod tests {
    //! The no_std fd types: what std's would do, checked through libc.
    use super::*;
    use crate::io::{fcntl_getfd, FdFlags};

    fn is_open(fd: RawFd) -> bool {
        // SAFETY: F_GETFD only asks about the number; it changes nothing.
        unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
    }

    fn pipe() -> (OwnedFd, OwnedFd) {
        crate::pipe::pipe().expect("pipe")
    }

    #[test]
    #[cfg_attr(miri, ignore)] // makes system calls, which Miri cannot run
    fn owned_fd_closes_on_drop_and_not_after_into_raw_fd() {
        let _lock = crate::test_fd_lock();
        let (reader, writer) = pipe();
        let raw = reader.as_raw_fd();
        assert!(is_open(raw));
        drop(reader);
        assert!(!is_open(raw));
        let raw = writer.into_raw_fd();
        assert!(is_open(raw));
        // SAFETY: `raw` came from `into_raw_fd`, so it is open and owned by nobody else.
        drop(unsafe { OwnedFd::from_raw_fd(raw) });
        assert!(!is_open(raw));
    }

    #[test]
    #[cfg_attr(miri, ignore)] // makes system calls, which Miri cannot run
    fn try_clone_is_cloexec_and_at_least_3() {
        let _lock = crate::test_fd_lock();
        let (reader, _writer) = pipe();
        let clone = reader.try_clone().expect("try_clone");
        assert!(clone.as_raw_fd() >= 3);
        assert_ne!(clone.as_raw_fd(), reader.as_raw_fd());
        assert_eq!(fcntl_getfd(&clone), Ok(FdFlags::CLOEXEC));
        assert_eq!(fcntl_getfd(&reader), Ok(FdFlags::empty()));
        let borrowed = reader
            .as_fd()
            .try_clone_to_owned()
            .expect("try_clone_to_owned");
        assert_eq!(fcntl_getfd(&borrowed), Ok(FdFlags::CLOEXEC));
    }

    #[test]
    #[cfg_attr(miri, ignore)] // makes system calls, which Miri cannot run
    fn borrowed_fd_is_the_owned_number() {
        let _lock = crate::test_fd_lock();
        let (reader, _writer) = pipe();
        let borrowed: BorrowedFd<'_> = reader.as_fd();
        assert_eq!(borrowed.as_raw_fd(), reader.as_raw_fd());
        assert_eq!((&&reader).as_fd().as_raw_fd(), reader.as_raw_fd());
    }

    /// Ownership moves the number around without a system call: for Miri too. The number is
    /// never handed to the kernel, and `into_raw_fd` takes it back so that nothing closes it.
    #[test]
    fn ownership_moves_the_number_without_closing() {
        // SAFETY: 1000 is owned by nothing else here, and is never closed or used: it is taken
        // back with `into_raw_fd` below, so no drop (no `close`) happens.
        let owned = unsafe { OwnedFd::from_raw_fd(1000) };
        assert_eq!(owned.as_raw_fd(), 1000);
        let borrowed = owned.as_fd();
        let copied = borrowed;
        assert_eq!((borrowed.as_raw_fd(), copied.as_raw_fd()), (1000, 1000));
        assert_eq!(<&OwnedFd as AsFd>::as_fd(&&owned).as_raw_fd(), 1000);
        assert_eq!(borrowed.as_fd().as_raw_fd(), 1000);
        assert_eq!(std::format!("{owned:?}"), "OwnedFd { fd: 1000 }");
        assert_eq!(std::format!("{borrowed:?}"), "BorrowedFd { fd: 1000 }");
        #[cfg(feature = "alloc")]
        let owned = {
            let boxed = std::boxed::Box::new(owned);
            assert_eq!(boxed.as_fd().as_raw_fd(), 1000);
            let shared = std::rc::Rc::new(*boxed);
            assert_eq!(shared.as_fd().as_raw_fd(), 1000);
            let owned = std::rc::Rc::into_inner(shared).unwrap();
            let shared = std::sync::Arc::new(owned);
            assert_eq!(shared.as_fd().as_raw_fd(), 1000);
            std::sync::Arc::into_inner(shared).unwrap()
        };
        let mut owned = owned;
        assert_eq!(<&mut OwnedFd as AsFd>::as_fd(&&mut owned).as_raw_fd(), 1000);
        assert_eq!(owned.into_raw_fd(), 1000);

        // `AT_FDCWD` is negative, and fine to borrow in a constant.
        // SAFETY: `AT_FDCWD` is not an fd that can be closed; it stays valid forever.
        const CWD: BorrowedFd<'static> = unsafe { BorrowedFd::borrow_raw(-100) };
        assert_eq!(CWD.as_raw_fd(), -100);
        assert_eq!(crate::fs::CWD.as_raw_fd(), -100);

        // Every number but -1 survives the complemented storage, the extremes included.
        for raw in [0, 1, 2, i32::MAX, i32::MIN, -2] {
            // SAFETY: the borrow is only read back, never handed to the kernel.
            assert_eq!(unsafe { BorrowedFd::borrow_raw(raw) }.as_raw_fd(), raw);
        }
    }

    /// -1 is refused, as std refuses it (std's message differs).
    #[test]
    #[should_panic = "-1 is not a file descriptor"]
    fn borrow_raw_refuses_minus_one() {
        // SAFETY: the call panics before any borrow exists.
        let _ = unsafe { BorrowedFd::borrow_raw(-1) };
    }

    #[test]
    #[should_panic = "-1 is not a file descriptor"]
    fn from_raw_fd_refuses_minus_one() {
        // SAFETY: the call panics before anything owns the number.
        let _ = unsafe { OwnedFd::from_raw_fd(-1) };
    }

    /// The niche: `None` costs no space, as with std's types.
    #[test]
    fn options_of_fds_are_as_small_as_fds() {
        assert_eq!(core::mem::size_of::<Option<OwnedFd>>(), 4);
        assert_eq!(core::mem::size_of::<Option<BorrowedFd<'static>>>(), 4);
    }
}
