//! [`Arg`]: the path types [`fs::open`](crate::fs::open) and [`fs::openat`](crate::fs::openat)
//! accept.

use crate::io::{Errno, Result};
use core::ffi::CStr;
use core::mem::MaybeUninit;

/// The kernel's `PATH_MAX`: the longest path it accepts, terminating NUL included.
const PATH_MAX: usize = linux_raw_sys::general::PATH_MAX as usize;

/// A path argument: anything that can be presented to the kernel as a NUL-terminated string.
///
/// `&CStr` is passed as it is. Other strings are copied, with a NUL added, into a `PATH_MAX`
/// buffer on the stack: nothing is allocated, in `no_std` too. A path with an interior NUL is
/// `Errno::INVAL`; one of `PATH_MAX` bytes or more is `Errno::NAMETOOLONG`, as the kernel would
/// say.
pub trait Arg {
    /// Calls `f` with the path as a `&CStr`.
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T>;
}

/// Copies `bytes` and a NUL to the stack and hands the result to `f`.
fn with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(bytes: &[u8], f: F) -> Result<T> {
    if bytes.len() >= PATH_MAX {
        return Err(Errno::NAMETOOLONG);
    }
    let mut buf = [MaybeUninit::<u8>::uninit(); PATH_MAX];
    let with_nul = &mut buf[..=bytes.len()];
    for (dst, &src) in with_nul.iter_mut().zip(bytes) {
        dst.write(src);
    }
    with_nul[bytes.len()].write(0);
    // SAFETY: every byte of `with_nul` was just written.
    let with_nul = unsafe { &*(with_nul as *const [MaybeUninit<u8>] as *const [u8]) };
    let c_str = CStr::from_bytes_with_nul(with_nul).map_err(|_| Errno::INVAL)?;
    f(c_str)
}

impl Arg for &CStr {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        f(self)
    }
}

impl Arg for &str {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        with_c_str(self.as_bytes(), f)
    }
}

impl Arg for &[u8] {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        with_c_str(self, f)
    }
}

#[cfg(feature = "alloc")]
impl Arg for &alloc::string::String {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        with_c_str(self.as_bytes(), f)
    }
}

#[cfg(feature = "alloc")]
impl Arg for &alloc::ffi::CString {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        f(self)
    }
}

#[cfg(feature = "alloc")]
impl Arg for alloc::string::String {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        with_c_str(self.as_bytes(), f)
    }
}

#[cfg(feature = "alloc")]
impl Arg for alloc::ffi::CString {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        f(&self)
    }
}

#[cfg(feature = "std")]
impl Arg for std::path::PathBuf {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        self.as_path().into_with_c_str(f)
    }
}

#[cfg(feature = "std")]
impl Arg for &std::path::Path {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        use std::os::unix::ffi::OsStrExt;
        with_c_str(self.as_os_str().as_bytes(), f)
    }
}

#[cfg(feature = "std")]
impl Arg for &std::path::PathBuf {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        self.as_path().into_with_c_str(f)
    }
}

#[cfg(feature = "std")]
impl Arg for &std::ffi::OsStr {
    #[inline]
    fn into_with_c_str<T, F: FnOnce(&CStr) -> Result<T>>(self, f: F) -> Result<T> {
        use std::os::unix::ffi::OsStrExt;
        with_c_str(self.as_bytes(), f)
    }
}
