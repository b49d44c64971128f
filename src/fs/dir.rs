//! [`Dir`]: a directory's entries, read with `getdents64` into a buffer of its own (feature
//! `alloc`).

use crate::fd::{AsFd, BorrowedFd, OwnedFd};
use crate::fs::types::DirentRecord;
use crate::fs::{syscalls, FileType, Mode, OFlags, SeekFrom, Stat, StatFs};
use crate::io::{self, Errno, Result};
use alloc::borrow::ToOwned;
use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::CStr;
use core::fmt;

/// The buffer's first size: room for a dozen long names, or some forty short ones.
const FIRST_BUFFER: usize = 2048;
/// The size past which refills no longer grow the buffer.
const GROWN_BUFFER: usize = 32 * 1024;
/// The size past which a record that does not fit is an error: well above the largest record
/// `d_reclen` (16 bits) can describe.
const MAX_BUFFER: usize = 128 * 1024;

/// A directory stream, as C's `DIR*`: an fd of its own and a buffer of entries.
///
/// Entries include `.` and `..`. After an error, [`read`](Self::read) returns `None` until
/// [`rewind`](Self::rewind); a directory removed while it is read ends (`ENOENT`) without an
/// error, as in rustix.
///
/// Unlike rustix, there is no `statvfs` method (barecall has no `fstatvfs`). And a record
/// too large for the buffer (never with Linux's 255-byte names) makes the buffer grow rather
/// than fail.
///
/// # References
///  - [Linux `getdents64(2)`](https://man7.org/linux/man-pages/man2/getdents64.2.html)
///  - [`readdir(3)`](https://man7.org/linux/man-pages/man3/readdir.3.html)
pub struct Dir {
    fd: OwnedFd,
    /// Records from the last `getdents64`, in `buf[pos..end]`; `buf.len()` is what the next
    /// call is offered.
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// An error was reported: nothing more until a rewind.
    any_errors: bool,
    /// A rewind was asked for: seek to the start before the next read.
    rewind: bool,
}

impl Dir {
    /// Reads the entries of the directory `fd`, which the `Dir` takes over, from its current
    /// position.
    #[inline]
    pub fn new<Fd: Into<OwnedFd>>(fd: Fd) -> Result<Self> {
        Ok(Self::with_fd(fd.into()))
    }

    /// Reads the entries of the directory `fd` through a new fd of its own (`openat(fd, ".")`
    /// with `fd`'s status flags and `O_CLOEXEC`), from the start; `fd` is left alone.
    #[inline]
    pub fn read_from<Fd: AsFd>(fd: Fd) -> Result<Self> {
        let fd = fd.as_fd();
        let flags = syscalls::fcntl_getfl(fd)?;
        let own = syscalls::openat(fd, c".", flags | OFlags::CLOEXEC, Mode::empty())?;
        Ok(Self::with_fd(own))
    }

    fn with_fd(fd: OwnedFd) -> Self {
        Self {
            fd,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            any_errors: false,
            rewind: false,
        }
    }

    /// The fd the entries are read from. Use it only for calls that neither need nor move its
    /// position.
    #[inline]
    #[doc(alias = "dirfd")]
    pub fn fd(&self) -> Result<BorrowedFd<'_>> {
        Ok(self.fd.as_fd())
    }

    /// `rewinddir`: the next [`read`](Self::read) starts again from the first entry, and
    /// forgets any earlier error.
    #[inline]
    pub fn rewind(&mut self) {
        self.any_errors = false;
        self.rewind = true;
        self.pos = self.end;
    }

    /// `seekdir`: moves to `offset`, a cookie from [`DirEntry::offset`]; the entries read next
    /// start there.
    ///
    /// Only on 64-bit targets, as in rustix. A negative cookie is `Errno::INVAL`, as the
    /// kernel answers for directories.
    #[cfg(target_pointer_width = "64")]
    #[doc(alias = "seekdir")]
    pub fn seek(&mut self, offset: i64) -> Result<()> {
        self.any_errors = false;
        self.rewind = false;
        self.pos = self.end;
        let result = u64::try_from(offset)
            .map_err(|_| Errno::INVAL)
            .and_then(|offset| {
                io::retry_on_intr(|| syscalls::lseek(self.fd.as_fd(), SeekFrom::Start(offset)))
            });
        result.map(drop).inspect_err(|_| self.any_errors = true)
    }

    /// `readdir`: the next entry, `None` at the end of the directory (or after an error).
    pub fn read(&mut self) -> Option<Result<DirEntry>> {
        if self.any_errors {
            return None;
        }
        if self.rewind {
            self.rewind = false;
            let sought = io::retry_on_intr(|| syscalls::lseek(self.fd.as_fd(), SeekFrom::Start(0)));
            if let Err(err) = sought {
                self.any_errors = true;
                return Some(Err(err));
            }
        }
        if self.pos >= self.end {
            match self.refill() {
                Ok(true) => {}
                Ok(false) => return None,
                Err(err) => {
                    self.any_errors = true;
                    return Some(Err(err));
                }
            }
        }
        match DirentRecord::parse(&self.buf[self.pos..self.end]) {
            Ok(record) => {
                self.pos += record.len;
                Some(Ok(DirEntry {
                    d_ino: record.ino,
                    d_type: record.d_type,
                    d_off: record.off,
                    name: record.name.to_owned(),
                }))
            }
            Err(err) => {
                self.any_errors = true;
                Some(Err(err))
            }
        }
    }

    /// Reads more records into the buffer: `false` at the end of the directory.
    fn refill(&mut self) -> Result<bool> {
        if self.buf.len() < GROWN_BUFFER {
            let len = (self.buf.len() * 2).max(FIRST_BUFFER);
            self.buf.resize(len, 0);
        }
        loop {
            let fd = self.fd.as_fd();
            let buf = as_uninit(&mut self.buf);
            match io::retry_on_intr(|| syscalls::getdents64(fd, buf)) {
                // Never from the kernel; not to be trusted as a length.
                Ok(len) if len > self.buf.len() => return Err(Errno::IO),
                Ok(len) => {
                    self.pos = 0;
                    self.end = len;
                    return Ok(len != 0);
                }
                // The next record does not fit: grow, within reason, and try again.
                Err(Errno::INVAL) if self.buf.len() < MAX_BUFFER => {
                    let len = self.buf.len() * 2;
                    self.buf.resize(len, 0);
                }
                // The directory was removed: its end, as rustix has it.
                Err(Errno::NOENT) => return Ok(false),
                Err(err) => return Err(err),
            }
        }
    }
}

/// The bytes of `buf` as memory the kernel may write.
fn as_uninit(buf: &mut [u8]) -> &mut [core::mem::MaybeUninit<u8>] {
    // SAFETY: `MaybeUninit<u8>` has the layout of `u8`, and whatever the kernel writes is a
    // valid `u8`: no uninitialized byte can be stored through the result.
    unsafe { &mut *(buf as *mut [u8] as *mut [core::mem::MaybeUninit<u8>]) }
}

// --- compat: rustix's calls on the `Dir`'s own fd (stat, statfs, chdir) ---

impl Dir {
    /// `fstat(self)`—The directory's own metadata.
    ///
    /// # References
    ///  - [Linux `fstat(2)`](https://man7.org/linux/man-pages/man2/fstat.2.html)
    #[inline]
    pub fn stat(&self) -> Result<Stat> {
        syscalls::fstat(self.fd.as_fd())
    }

    /// `fstatfs(self)`—The file system the directory is on.
    ///
    /// # References
    ///  - [Linux `fstatfs(2)`](https://man7.org/linux/man-pages/man2/fstatfs.2.html)
    #[inline]
    pub fn statfs(&self) -> Result<StatFs> {
        syscalls::fstatfs(self.fd.as_fd())
    }

    /// `fchdir(self)`—Makes the directory the process's working directory (feature
    /// `process`).
    ///
    /// # References
    ///  - [Linux `fchdir(2)`](https://man7.org/linux/man-pages/man2/fchdir.2.html)
    #[cfg(feature = "process")]
    #[inline]
    pub fn chdir(&self) -> Result<()> {
        crate::process::syscalls::fchdir(self.fd.as_fd())
    }
}

// --- end compat ---

impl Iterator for Dir {
    type Item = Result<DirEntry>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.read()
    }
}

impl fmt::Debug for Dir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dir").field("fd", &self.fd).finish()
    }
}

/// One entry of a [`Dir`], as C's `struct dirent`, owning its name.
#[derive(Debug)]
pub struct DirEntry {
    d_ino: u64,
    d_type: u8,
    d_off: i64,
    name: CString,
}

impl DirEntry {
    /// The entry's name.
    #[inline]
    pub fn file_name(&self) -> &CStr {
        &self.name
    }

    /// The position after this entry (`d_off`): an opaque cookie for `Dir::seek` (on 64-bit targets).
    #[inline]
    pub fn offset(&self) -> i64 {
        self.d_off
    }

    /// The entry's type as the filesystem reports it (`d_type`); some report
    /// [`FileType::Unknown`] for everything.
    #[inline]
    pub fn file_type(&self) -> FileType {
        FileType::from_dirent_d_type(self.d_type)
    }

    /// The entry's inode number (`d_ino`).
    #[inline]
    pub fn ino(&self) -> u64 {
        self.d_ino
    }
}
