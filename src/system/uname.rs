//! `uname`.

use crate::system::{syscalls, Uname};

/// `uname()`—The names of the running kernel and machine: [`Uname`]'s fields. It cannot fail.
///
/// The host name (`gethostname`) is [`Uname::nodename`].
///
/// # References
///  - [Linux `uname(2)`](https://man7.org/linux/man-pages/man2/uname.2.html)
#[doc(alias = "gethostname")]
#[inline]
pub fn uname() -> Uname {
    syscalls::uname()
}
