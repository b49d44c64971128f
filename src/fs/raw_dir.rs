//! [`RawDir`]: directory entries read with `getdents64` into a caller's buffer, without
//! allocating.

use crate::fd::AsFd;
use crate::fs::types::{DirentRecord, DIRENT_ALIGN};
use crate::fs::{syscalls, FileType};
use crate::io::{Errno, Result};
use core::ffi::CStr;
use core::fmt;
use core::mem::MaybeUninit;

/// A directory's entries, read with `getdents64` into a buffer the caller supplies.
///
/// Each refill holds as many whole entries as fit. A buffer too small for the next entry
/// makes [`next`](Self::next) return `Err(Errno::INVAL)` (the kernel's answer) and leaves the
/// fd's position where it was: drop the `RawDir`, and make a new one with a larger buffer on
/// the same fd to go on from there. An entry takes `19 + name length + 1` bytes rounded up to
/// 8, so 280 bytes hold any name of up to 255 bytes (Linux's `NAME_MAX` on most filesystems).
///
/// Entries include `.` and `..`.
///
/// # References
///  - [Linux `getdents64(2)`](https://man7.org/linux/man-pages/man2/getdents64.2.html)
pub struct RawDir<'buf, Fd: AsFd> {
    fd: Fd,
    buf: &'buf mut [MaybeUninit<u8>],
    /// How many bytes at the start of `buf` the last `getdents64` wrote.
    initialized: usize,
    /// Where the next entry starts in `buf`.
    offset: usize,
}

impl<'buf, Fd: AsFd> RawDir<'buf, Fd> {
    /// Reads the entries of directory `fd`, from its current position, through `buf`.
    ///
    /// Records must start 8-aligned, so the first bytes of a buffer that does not start on
    /// a multiple of 8 go unused (up to 7 of them).
    pub fn new(fd: Fd, buf: &'buf mut [MaybeUninit<u8>]) -> Self {
        let skip = buf.as_ptr().align_offset(DIRENT_ALIGN).min(buf.len());
        Self {
            fd,
            buf: &mut buf[skip..],
            initialized: 0,
            offset: 0,
        }
    }

    /// The next entry, `None` at the end of the directory, or the error of the refill.
    ///
    /// An entry borrows the buffer, so it must go before the next call; an error does not end
    /// the iteration (a later call tries again).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<RawDirEntry<'_>>> {
        if self.is_buffer_empty() {
            match syscalls::getdents64(self.fd.as_fd(), self.buf) {
                Ok(0) => return None,
                // More than was offered: never from the kernel, but not to be trusted as a
                // length of initialized bytes.
                Ok(len) if len > self.buf.len() => return Some(Err(Errno::IO)),
                Ok(len) => {
                    self.initialized = len;
                    self.offset = 0;
                }
                Err(err) => return Some(Err(err)),
            }
        }
        let filled = &self.buf[self.offset..self.initialized];
        // SAFETY: `getdents64` initialized the first `initialized` bytes, and `MaybeUninit<u8>`
        // has the layout of `u8`.
        let filled = unsafe { &*(filled as *const [MaybeUninit<u8>] as *const [u8]) };
        match DirentRecord::parse(filled) {
            Ok(record) => {
                self.offset += record.len;
                Some(Ok(RawDirEntry {
                    file_name: record.name,
                    file_type: record.d_type,
                    inode_number: record.ino,
                    next_entry_cookie: record.off,
                }))
            }
            Err(err) => {
                // A malformed record: drop the rest of the buffer rather than loop on it.
                self.offset = self.initialized;
                Some(Err(err))
            }
        }
    }

    /// Whether the buffer holds no more entries, so the next [`next`](Self::next) calls
    /// `getdents64`.
    pub fn is_buffer_empty(&self) -> bool {
        self.offset >= self.initialized
    }
}

/// One entry of a [`RawDir`], borrowing its buffer. `.` and `..` are entries too.
pub struct RawDirEntry<'a> {
    file_name: &'a CStr,
    file_type: u8,
    inode_number: u64,
    next_entry_cookie: i64,
}

impl RawDirEntry<'_> {
    /// The entry's name.
    #[inline]
    pub fn file_name(&self) -> &CStr {
        self.file_name
    }

    /// The entry's type as the filesystem reports it (`d_type`); some report
    /// [`FileType::Unknown`] for everything.
    #[inline]
    pub fn file_type(&self) -> FileType {
        FileType::from_dirent_d_type(self.file_type)
    }

    /// The entry's inode number (`d_ino`).
    #[inline]
    #[doc(alias = "inode_number")]
    pub fn ino(&self) -> u64 {
        self.inode_number
    }

    /// The position after this entry (`d_off`), an opaque cookie for `lseek`.
    #[inline]
    #[doc(alias = "off")]
    pub fn next_entry_cookie(&self) -> u64 {
        self.next_entry_cookie as u64
    }
}

impl fmt::Debug for RawDirEntry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawDirEntry")
            .field("file_name", &self.file_name())
            .field("file_type", &self.file_type())
            .field("ino", &self.ino())
            .field("next_entry_cookie", &self.next_entry_cookie())
            .finish()
    }
}
