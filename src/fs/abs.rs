//! Calls on paths, relative to the current directory if not absolute.

use crate::fs::{chmodat, chownat, statat, syscalls, AtFlags, Gid, Mode, Stat, StatFs, Uid, CWD};
use crate::io::Result;
use crate::path;

/// `stat(path)`—The metadata of a file, following a final symlink.
///
/// `statat(CWD, path, AtFlags::empty())`: see [`statat`].
///
/// # References
///  - [Linux `stat(2)`](https://man7.org/linux/man-pages/man2/stat.2.html)
#[inline]
pub fn stat<P: path::Arg>(path: P) -> Result<Stat> {
    statat(CWD, path, AtFlags::empty())
}

/// `lstat(path)`—The metadata of a file, or of a final symlink itself.
///
/// `statat(CWD, path, AtFlags::SYMLINK_NOFOLLOW)`: see [`statat`].
///
/// # References
///  - [Linux `lstat(2)`](https://man7.org/linux/man-pages/man2/lstat.2.html)
#[inline]
pub fn lstat<P: path::Arg>(path: P) -> Result<Stat> {
    statat(CWD, path, AtFlags::SYMLINK_NOFOLLOW)
}

/// `statfs(path)`—The metadata of the filesystem a file is on (`statfs64` on 32-bit arm).
///
/// # References
///  - [Linux `statfs(2)`](https://man7.org/linux/man-pages/man2/statfs.2.html)
#[inline]
pub fn statfs<P: path::Arg>(path: P) -> Result<StatFs> {
    path.into_with_c_str(syscalls::statfs)
}

/// `chmod(path, mode)`—Sets a file's permission bits, following symlinks:
/// `chmodat(CWD, path, mode, AtFlags::empty())`.
///
/// # References
///  - [Linux `chmod(2)`](https://man7.org/linux/man-pages/man2/chmod.2.html)
#[inline]
pub fn chmod<P: path::Arg>(path: P, mode: Mode) -> Result<()> {
    chmodat(CWD, path, mode, AtFlags::empty())
}

/// `chown(path, owner, group)`—Sets a file's owner and group, following symlinks; `None`
/// leaves one as it is: `chownat(CWD, path, owner, group, AtFlags::empty())`.
///
/// # References
///  - [Linux `chown(2)`](https://man7.org/linux/man-pages/man2/chown.2.html)
#[inline]
pub fn chown<P: path::Arg>(path: P, owner: Option<Uid>, group: Option<Gid>) -> Result<()> {
    chownat(CWD, path, owner, group, AtFlags::empty())
}
