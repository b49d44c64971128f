//! The working directory.

use crate::fd::AsFd;
use crate::io::Result;
use crate::process::syscalls;

/// `chdir(path)`—Makes `path` the process's working directory (with feature `fs`, whose path
/// arguments it takes, as in rustix).
///
/// A file is `Errno::NOTDIR`; a missing path `Errno::NOENT`.
///
/// # References
///  - [Linux `chdir(2)`](https://man7.org/linux/man-pages/man2/chdir.2.html)
#[cfg(feature = "fs")]
#[inline]
pub fn chdir<P: crate::path::Arg>(path: P) -> Result<()> {
    path.into_with_c_str(syscalls::chdir)
}

/// `fchdir(fd)`—Makes the directory `fd` refers to the process's working directory.
///
/// A fd that is not a directory is `Errno::NOTDIR`.
///
/// # References
///  - [Linux `fchdir(2)`](https://man7.org/linux/man-pages/man2/fchdir.2.html)
#[inline]
pub fn fchdir<Fd: AsFd>(fd: Fd) -> Result<()> {
    syscalls::fchdir(fd.as_fd())
}

/// `getcwd()`—The process's working directory, as an absolute path (with features `fs` and
/// `alloc`, as in rustix).
///
/// The path is written into `reuse`'s allocation, whose contents are dropped first; when it is
/// too small (the kernel says `ERANGE`), it grows and the call is made again, so the path is
/// never cut short. A working directory that was removed is `Errno::NOENT`; one longer than
/// `PATH_MAX` is `Errno::NAMETOOLONG`.
///
/// # References
///  - [Linux `getcwd(2)`](https://man7.org/linux/man-pages/man2/getcwd.2.html)
#[cfg(all(feature = "fs", feature = "alloc"))]
#[inline]
pub fn getcwd<B: Into<alloc::vec::Vec<u8>>>(reuse: B) -> Result<alloc::ffi::CString> {
    getcwd_into(reuse.into())
}

/// The growth loop of [`getcwd`], out of its generic shell.
#[cfg(all(feature = "fs", feature = "alloc"))]
fn getcwd_into(mut buffer: alloc::vec::Vec<u8>) -> Result<alloc::ffi::CString> {
    use crate::io::Errno;
    // Most paths fit in the first try; the kernel never needs more than PATH_MAX.
    const FIRST_TRY: usize = 256;
    buffer.clear();
    buffer.reserve(FIRST_TRY);
    loop {
        match syscalls::getcwd(buffer.spare_capacity_mut()) {
            // Too small: double the capacity (`reserve` from an empty `Vec` asks for at least
            // that much) and ask again. The kernel's answer needs at most PATH_MAX bytes, so this
            // ends.
            Err(Errno::RANGE) => buffer.reserve(buffer.capacity() + 1),
            Err(errno) => return Err(errno),
            Ok(len) => {
                // SAFETY: the kernel wrote `len` bytes, the path and its NUL, at the start of the
                // spare capacity (all of the capacity, the `Vec` being empty), no more than it
                // was given; `min` keeps the length within the capacity all the same.
                unsafe { buffer.set_len(len.min(buffer.capacity())) };
                // The kernel's path has exactly one NUL, at its end; anything else would be a
                // kernel bug, reported as `INVAL` rather than trusted.
                return alloc::ffi::CString::from_vec_with_nul(buffer).map_err(|_| Errno::INVAL);
            }
        }
    }
}
