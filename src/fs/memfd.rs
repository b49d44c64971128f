//! Anonymous memory-backed files.

use crate::fd::OwnedFd;
use crate::fs::{syscalls, MemfdFlags};
use crate::io::Result;
use crate::path;

/// `memfd_create(name, flags)`—Creates an anonymous file in memory; `name` (at most 249
/// bytes) shows in `/proc/self/fd` only.
///
/// # References
///  - [Linux `memfd_create(2)`](https://man7.org/linux/man-pages/man2/memfd_create.2.html)
#[inline]
pub fn memfd_create<P: path::Arg>(name: P, flags: MemfdFlags) -> Result<OwnedFd> {
    name.into_with_c_str(|name| syscalls::memfd_create(name, flags))
}
