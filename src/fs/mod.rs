//! Filesystem calls: rustix's `fs` module (feature `fs`).

mod at;
mod fd;
pub(crate) mod syscalls;
mod types;

pub use crate::ugid::{Gid, Uid};
pub use at::{open, openat};
pub use fd::seek;
pub use types::{Mode, OFlags, SeekFrom, CWD};

// ---- fsdir: directories and names ----
mod abs;
#[cfg(feature = "alloc")]
mod dir;
mod raw_dir;

#[cfg(feature = "alloc")]
pub use abs::readlink;
pub use abs::{access, link, mkdir, rename, rmdir, symlink, unlink};
#[cfg(feature = "alloc")]
pub use at::readlinkat;
pub use at::{
    accessat, linkat, mkdirat, readlinkat_raw, renameat, renameat_with, symlinkat, unlinkat,
};
#[cfg(feature = "alloc")]
pub use dir::{Dir, DirEntry};
pub use raw_dir::{RawDir, RawDirEntry};
pub use types::{Access, AtFlags, FileType, RawMode, RenameFlags};
