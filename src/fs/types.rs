//! The fs module's types: what its typed syscalls take and return, re-exported by `fs`.

use crate::fd::BorrowedFd;
use linux_raw_sys::general as k;

/// `AT_FDCWD`: the current working directory, as a directory fd for [`openat`](crate::fs::openat).
// SAFETY: AT_FDCWD is not an fd but a value every *at call accepts in place of one, and it
// cannot be closed; nothing ever closes a `BorrowedFd`.
pub const CWD: BorrowedFd<'static> = unsafe { BorrowedFd::borrow_raw(k::AT_FDCWD) };

flags! {
    /// `O_*` flags for [`open`](crate::fs::open) and [`openat`](crate::fs::openat).
    ///
    /// `O_LARGEFILE` is always added: 32-bit arm needs it for files past 2 GiB, and 64-bit
    /// kernels set it themselves.
    pub struct OFlags: u32 {
        /// `O_RDONLY`
        const RDONLY = k::O_RDONLY;
        /// `O_WRONLY`
        const WRONLY = k::O_WRONLY;
        /// `O_RDWR`
        const RDWR = k::O_RDWR;
        /// `O_ACCMODE`: the access-mode bits.
        const ACCMODE = k::O_ACCMODE;
        /// `O_APPEND`
        const APPEND = k::O_APPEND;
        /// `O_CLOEXEC`
        const CLOEXEC = k::O_CLOEXEC;
        /// `O_CREAT`
        const CREATE = k::O_CREAT;
        /// `O_DIRECT`
        const DIRECT = k::O_DIRECT;
        /// `O_DIRECTORY`
        const DIRECTORY = k::O_DIRECTORY;
        /// `O_DSYNC`
        const DSYNC = k::O_DSYNC;
        /// `O_EXCL`
        const EXCL = k::O_EXCL;
        /// `O_NOATIME`
        const NOATIME = k::O_NOATIME;
        /// `O_NOCTTY`
        const NOCTTY = k::O_NOCTTY;
        /// `O_NOFOLLOW`
        const NOFOLLOW = k::O_NOFOLLOW;
        /// `O_NONBLOCK`
        const NONBLOCK = k::O_NONBLOCK;
        /// `O_PATH`
        const PATH = k::O_PATH;
        /// `O_SYNC`
        const SYNC = k::O_SYNC;
        /// `O_TMPFILE`
        const TMPFILE = k::O_TMPFILE;
        /// `O_TRUNC`
        const TRUNC = k::O_TRUNC;
        /// `O_LARGEFILE`
        const LARGEFILE = k::O_LARGEFILE;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `S_I*` permission bits for files that [`open`](crate::fs::open) and [`openat`](crate::fs::openat) create.
    pub struct Mode: u32 {
        /// `S_IRWXU`
        const RWXU = k::S_IRWXU;
        /// `S_IRUSR`
        const RUSR = k::S_IRUSR;
        /// `S_IWUSR`
        const WUSR = k::S_IWUSR;
        /// `S_IXUSR`
        const XUSR = k::S_IXUSR;
        /// `S_IRWXG`
        const RWXG = k::S_IRWXG;
        /// `S_IRGRP`
        const RGRP = k::S_IRGRP;
        /// `S_IWGRP`
        const WGRP = k::S_IWGRP;
        /// `S_IXGRP`
        const XGRP = k::S_IXGRP;
        /// `S_IRWXO`
        const RWXO = k::S_IRWXO;
        /// `S_IROTH`
        const ROTH = k::S_IROTH;
        /// `S_IWOTH`
        const WOTH = k::S_IWOTH;
        /// `S_IXOTH`
        const XOTH = k::S_IXOTH;
        /// `S_ISUID`
        const SUID = k::S_ISUID;
        /// `S_ISGID`
        const SGID = k::S_ISGID;
        /// `S_ISVTX`
        const SVTX = k::S_ISVTX;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

/// Where [`seek`](crate::fs::seek) moves the file offset to.
#[derive(Copy, Clone, Eq, PartialEq, Hash, Debug)]
pub enum SeekFrom {
    /// `SEEK_SET`: this many bytes from the start. 2^63 or more is `Errno::INVAL`.
    Start(u64),
    /// `SEEK_END`: this many bytes from the end.
    End(i64),
    /// `SEEK_CUR`: this many bytes from the current offset.
    Current(i64),
    /// `SEEK_DATA`: the first byte of data at or after this offset.
    Data(u64),
    /// `SEEK_HOLE`: the first hole at or after this offset.
    Hole(u64),
}

// ---- fsfile: AtFlags and the stat/fd-call types ----

flags! {
    /// `AT_*` flags for the `*at` calls ([`statat`](crate::fs::statat),
    /// [`statx`](crate::fs::statx), `unlinkat`, `linkat`, `chownat`, ...).
    pub struct AtFlags: u32 {
        /// `AT_SYMLINK_NOFOLLOW`
        const SYMLINK_NOFOLLOW = k::AT_SYMLINK_NOFOLLOW;
        /// `AT_EACCESS`
        const EACCESS = k::AT_EACCESS;
        /// `AT_REMOVEDIR`
        const REMOVEDIR = k::AT_REMOVEDIR;
        /// `AT_SYMLINK_FOLLOW`
        const SYMLINK_FOLLOW = k::AT_SYMLINK_FOLLOW;
        /// `AT_NO_AUTOMOUNT`
        const NO_AUTOMOUNT = k::AT_NO_AUTOMOUNT;
        /// `AT_EMPTY_PATH`
        const EMPTY_PATH = k::AT_EMPTY_PATH;
        /// `AT_STATX_SYNC_AS_STAT`
        const STATX_SYNC_AS_STAT = k::AT_STATX_SYNC_AS_STAT;
        /// `AT_STATX_FORCE_SYNC`
        const STATX_FORCE_SYNC = k::AT_STATX_FORCE_SYNC;
        /// `AT_STATX_DONT_SYNC`
        const STATX_DONT_SYNC = k::AT_STATX_DONT_SYNC;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}
