//! I/O operations: rustix's `io` module, item for item.
//!
//! If you're looking for `SeekFrom`, it's in the `fs` module (feature `fs`).

mod close;
mod dup;
mod fcntl;
mod fmt;
mod ioctl;
mod read_write;
pub(crate) mod syscalls;
mod types;

pub use crate::errno::{Errno, Result};
pub use close::close;
#[cfg(feature = "try_close")]
pub use close::try_close;
pub use dup::{dup, dup2, dup3};
pub use fcntl::{fcntl_dupfd_cloexec, fcntl_getfd, fcntl_setfd};
#[doc(hidden)]
pub use fmt::_print;
pub use fmt::{BufferedWriter, FdWriter};
pub use ioctl::{ioctl_fioclex, ioctl_fionbio, ioctl_fionclex, ioctl_fionread};
pub use read_write::{
    pread, preadv, preadv2, pwrite, pwritev, pwritev2, read, read_exact, read_full, readv, write,
    write_all, writev,
};
pub use types::{DupFlags, FdFlags, IoSlice, IoSliceMut, ReadWriteFlags};

/// Calls `f` until it returns something other than `Err(Errno::INTR)`.
///
/// A blocking call interrupted by a signal whose handler was installed without `SA_RESTART`
/// fails with `EINTR` having done nothing; calling it again is the usual answer.
///
/// # References
///  - [Linux `signal(7)`, "Interruption of system calls"](https://man7.org/linux/man-pages/man7/signal.7.html)
#[inline]
pub fn retry_on_intr<T, F: FnMut() -> Result<T>>(mut f: F) -> Result<T> {
    loop {
        match f() {
            Err(Errno::INTR) => continue,
            result => return result,
        }
    }
}
