//! Filesystem calls: rustix's `fs` module (feature `fs`).

mod at;
mod fd;
pub(crate) mod syscalls;
mod types;

pub use crate::ugid::{Gid, Uid};
pub use at::{open, openat};
pub use fd::seek;
pub use types::{AtFlags, FileType, Mode, OFlags, RawMode, SeekFrom, CWD};
