//! Calls on paths relative to the current directory (when not absolute): the `*at` calls with
//! `CWD`.
//!
//! Every architecture gets the `*at` system call (aarch64 and riscv64 have nothing else).

use crate::fs::{
    chmodat, chownat, statat, syscalls, Access, AtFlags, Gid, Mode, RenameFlags, Stat, StatFs, Uid,
    CWD,
};
use crate::io::Result;
use crate::path;

/// `mkdir(path, mode)`—Creates a directory: `mkdirat(CWD, ...)`.
///
/// # References
///  - [Linux `mkdir(2)`](https://man7.org/linux/man-pages/man2/mkdir.2.html)
#[inline]
pub fn mkdir<P: path::Arg>(path: P, mode: Mode) -> Result<()> {
    path.into_with_c_str(|path| syscalls::mkdirat(CWD, path, mode))
}

/// `unlink(path)`—Removes a name that is not a directory: `unlinkat(CWD, path, 0)`.
///
/// # References
///  - [Linux `unlink(2)`](https://man7.org/linux/man-pages/man2/unlink.2.html)
#[inline]
pub fn unlink<P: path::Arg>(path: P) -> Result<()> {
    path.into_with_c_str(|path| syscalls::unlinkat(CWD, path, AtFlags::empty()))
}

/// `rmdir(path)`—Removes an empty directory: `unlinkat(CWD, path, AT_REMOVEDIR)`.
///
/// # References
///  - [Linux `rmdir(2)`](https://man7.org/linux/man-pages/man2/rmdir.2.html)
#[inline]
pub fn rmdir<P: path::Arg>(path: P) -> Result<()> {
    path.into_with_c_str(|path| syscalls::unlinkat(CWD, path, AtFlags::REMOVEDIR))
}

/// `rename(old_path, new_path)`—Renames a file or directory: `renameat2(CWD, ..., CWD, ...,
/// 0)`, which is `renameat`.
///
/// # References
///  - [Linux `rename(2)`](https://man7.org/linux/man-pages/man2/rename.2.html)
#[inline]
pub fn rename<P: path::Arg, Q: path::Arg>(old_path: P, new_path: Q) -> Result<()> {
    old_path.into_with_c_str(|old_path| {
        new_path.into_with_c_str(|new_path| {
            syscalls::renameat2(CWD, old_path, CWD, new_path, RenameFlags::empty())
        })
    })
}

/// `link(old_path, new_path)`—Makes a new name for a file: `linkat(CWD, ..., CWD, ..., 0)`.
///
/// A symlink at `old_path` is linked itself, not followed (Linux's `link` does the same).
///
/// # References
///  - [Linux `link(2)`](https://man7.org/linux/man-pages/man2/link.2.html)
#[inline]
pub fn link<P: path::Arg, Q: path::Arg>(old_path: P, new_path: Q) -> Result<()> {
    old_path.into_with_c_str(|old_path| {
        new_path.into_with_c_str(|new_path| {
            syscalls::linkat(CWD, old_path, CWD, new_path, AtFlags::empty())
        })
    })
}

/// `symlink(old_path, new_path)`—Creates a symlink at `new_path` whose contents are
/// `old_path`: `symlinkat(old_path, CWD, new_path)`.
///
/// # References
///  - [Linux `symlink(2)`](https://man7.org/linux/man-pages/man2/symlink.2.html)
#[inline]
pub fn symlink<P: path::Arg, Q: path::Arg>(old_path: P, new_path: Q) -> Result<()> {
    old_path.into_with_c_str(|old_path| {
        new_path.into_with_c_str(|new_path| syscalls::symlinkat(old_path, CWD, new_path))
    })
}

/// `readlink(path)`—Reads the contents of a symlink, of any length: `readlinkat(CWD, ...)`.
///
/// `reuse`'s allocation is used if it is large enough, as in
/// [`readlinkat`](crate::fs::readlinkat).
///
/// # References
///  - [Linux `readlink(2)`](https://man7.org/linux/man-pages/man2/readlink.2.html)
#[cfg(feature = "alloc")]
#[inline]
pub fn readlink<P: path::Arg, B: Into<alloc::vec::Vec<u8>>>(
    path: P,
    reuse: B,
) -> Result<alloc::ffi::CString> {
    path.into_with_c_str(|path| crate::fs::at::read_link(CWD, path, reuse.into()))
}

/// `access(path, access)`—Tests whether the process, by its real IDs, may access a file in
/// the ways `access` names: `faccessat(CWD, path, access)`.
///
/// # References
///  - [Linux `access(2)`](https://man7.org/linux/man-pages/man2/access.2.html)
#[inline]
pub fn access<P: path::Arg>(path: P, access: Access) -> Result<()> {
    path.into_with_c_str(|path| syscalls::accessat(CWD, path, access, AtFlags::empty()))
}

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
