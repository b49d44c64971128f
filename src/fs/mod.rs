//! Filesystem calls: rustix's `fs` module (feature `fs`).

mod at;
mod fd;
pub(crate) mod syscalls;
mod types;
// fsfile
mod abs;
mod fcntl;
mod makedev;
mod memfd;
mod stat_types;
mod statx;

pub use crate::ugid::{Gid, Uid};
pub use at::{open, openat};
pub use fd::seek;
pub use types::{AtFlags, FileType, Mode, OFlags, RawMode, SeekFrom, CWD};
// fsfile
pub use abs::{chmod, chown, lstat, stat, statfs};
pub use at::{chmodat, chownat, statat, utimensat};
pub use fcntl::{fcntl_add_seals, fcntl_get_seals, fcntl_getfl, fcntl_setfl};
pub use fd::{
    copy_file_range, fadvise, fallocate, fchmod, fchown, fdatasync, flock, fstat, fstatfs, fsync,
    ftruncate, futimens, tell,
};
pub use makedev::{major, makedev, minor};
pub use memfd::memfd_create;
pub use stat_types::{
    Dev, FsWord, Fsid, Stat, StatFs, Statx, StatxAttributes, StatxFlags, StatxTimestamp,
    NFS_SUPER_MAGIC, PROC_SUPER_MAGIC,
};
pub use statx::statx;
pub use types::{
    Advice, FallocateFlags, FlockOperation, MemfdFlags, Nsecs, SealFlags, Secs, Timespec,
    Timestamps, UTIME_NOW, UTIME_OMIT,
};
