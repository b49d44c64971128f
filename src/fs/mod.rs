//! Filesystem calls: rustix's `fs` module (feature `fs`).

mod abs;
mod at;
#[cfg(feature = "alloc")]
mod dir;
mod fcntl;
mod fd;
mod memfd;
mod raw_dir;
mod stat_types;
mod statx;
pub(crate) mod syscalls;
mod types;

pub use crate::ugid::{Gid, Uid};
#[cfg(feature = "alloc")]
pub use abs::readlink;
pub use abs::{
    access, chmod, chown, link, lstat, mkdir, rename, rmdir, stat, statfs, symlink, unlink,
};
#[cfg(feature = "alloc")]
pub use at::readlinkat;
pub use at::{
    accessat, chmodat, chownat, linkat, mkdirat, open, openat, readlinkat_raw, renameat,
    renameat_with, statat, symlinkat, unlinkat, utimensat,
};
#[cfg(feature = "alloc")]
pub use dir::{Dir, DirEntry};
pub use fcntl::{fcntl_add_seals, fcntl_get_seals, fcntl_getfl, fcntl_setfl};
pub use fd::{
    copy_file_range, fadvise, fallocate, fchmod, fchown, fdatasync, flock, fstat, fstatfs, fsync,
    ftruncate, futimens, seek, tell,
};
pub use memfd::memfd_create;
pub use raw_dir::{RawDir, RawDirEntry};
pub use stat_types::{
    major, makedev, minor, Dev, FsWord, Fsid, Stat, StatFs, Statx, StatxAttributes, StatxFlags,
    StatxTimestamp, NFS_SUPER_MAGIC, PROC_SUPER_MAGIC,
};
pub use statx::statx;
pub use types::{
    Access, Advice, AtFlags, FallocateFlags, FileType, FlockOperation, MemfdFlags, Mode, Nsecs,
    OFlags, RawMode, RenameFlags, SealFlags, Secs, SeekFrom, Timespec, Timestamps, CWD, UTIME_NOW,
    UTIME_OMIT,
};
