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
        /// `O_DSYNC`: the kernel's own value (rustix 1.x gives `DSYNC` the value of `O_SYNC`,
        /// the stronger flag; this is what the name says).
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
        /// `O_RDONLY | O_WRONLY | O_RDWR`: the read/write bits alone (`ACCMODE` may come to
        /// include others on some systems).
        const RWMODE = k::O_RDONLY | k::O_WRONLY | k::O_RDWR;
        /// `O_FSYNC`: the same bits as `SYNC` on Linux.
        const FSYNC = k::O_SYNC;
        /// `O_RSYNC`: the same bits as `SYNC` on Linux.
        const RSYNC = k::O_SYNC;
        /// `O_ASYNC` (`FASYNC`): settable through [`fcntl_setfl`](crate::fs::fcntl_setfl) only;
        /// `open` ignores it.
        const ASYNC = k::FASYNC;
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

// ---- AtFlags, and the types of the stat and fd calls ----

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

/// `mode_t`: a file's type and permission bits as one integer, as in [`Stat::st_mode`].
///
/// [`Stat::st_mode`]: crate::fs::Stat::st_mode
pub type RawMode = u32;

impl Mode {
    /// The permission bits of a raw `st_mode`, without its file-type (`S_IFMT`) bits.
    #[inline]
    pub const fn from_raw_mode(st_mode: RawMode) -> Self {
        Self::from_bits_truncate(st_mode & !k::S_IFMT)
    }

    /// The mode as a raw `mode_t`.
    #[inline]
    pub const fn as_raw_mode(self) -> RawMode {
        self.bits()
    }
}

/// The permission bits of a raw `st_mode`, as [`Mode::from_raw_mode`] takes them.
impl From<RawMode> for Mode {
    #[inline]
    fn from(st_mode: RawMode) -> Self {
        Self::from_raw_mode(st_mode)
    }
}

/// The mode as a raw `mode_t`.
impl From<Mode> for RawMode {
    #[inline]
    fn from(mode: Mode) -> Self {
        mode.as_raw_mode()
    }
}

/// A file's type: the `S_IFMT` bits of [`Stat::st_mode`](crate::fs::Stat::st_mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    /// `S_IFREG`
    RegularFile = k::S_IFREG as isize,
    /// `S_IFDIR`
    Directory = k::S_IFDIR as isize,
    /// `S_IFLNK`
    Symlink = k::S_IFLNK as isize,
    /// `S_IFIFO`
    Fifo = k::S_IFIFO as isize,
    /// `S_IFSOCK`
    Socket = k::S_IFSOCK as isize,
    /// `S_IFCHR`
    CharacterDevice = k::S_IFCHR as isize,
    /// `S_IFBLK`
    BlockDevice = k::S_IFBLK as isize,
    /// Anything else (no type the kernel defines).
    Unknown,
}

impl FileType {
    /// The type named by the `S_IFMT` bits of a raw `st_mode`; the other bits are ignored.
    #[inline]
    pub const fn from_raw_mode(st_mode: RawMode) -> Self {
        match st_mode & k::S_IFMT {
            k::S_IFREG => Self::RegularFile,
            k::S_IFDIR => Self::Directory,
            k::S_IFLNK => Self::Symlink,
            k::S_IFIFO => Self::Fifo,
            k::S_IFSOCK => Self::Socket,
            k::S_IFCHR => Self::CharacterDevice,
            k::S_IFBLK => Self::BlockDevice,
            _ => Self::Unknown,
        }
    }

    /// The type's `S_IF*` bits; `Unknown` gives all of `S_IFMT`, as rustix does.
    #[inline]
    pub const fn as_raw_mode(self) -> RawMode {
        match self {
            Self::RegularFile => k::S_IFREG,
            Self::Directory => k::S_IFDIR,
            Self::Symlink => k::S_IFLNK,
            Self::Fifo => k::S_IFIFO,
            Self::Socket => k::S_IFSOCK,
            Self::CharacterDevice => k::S_IFCHR,
            Self::BlockDevice => k::S_IFBLK,
            Self::Unknown => k::S_IFMT,
        }
    }

    /// The type named by a `linux_dirent64`'s `d_type` (`DT_*`); `DT_UNKNOWN` and values the
    /// kernel does not define are `Unknown`.
    #[inline]
    #[allow(dead_code)] // for the directory reader
    pub(crate) const fn from_dirent_d_type(d_type: u8) -> Self {
        match d_type as u32 {
            k::DT_REG => Self::RegularFile,
            k::DT_DIR => Self::Directory,
            k::DT_LNK => Self::Symlink,
            k::DT_FIFO => Self::Fifo,
            k::DT_SOCK => Self::Socket,
            k::DT_CHR => Self::CharacterDevice,
            k::DT_BLK => Self::BlockDevice,
            _ => Self::Unknown,
        }
    }

    /// Whether this is a regular file.
    #[inline]
    pub fn is_file(self) -> bool {
        self == Self::RegularFile
    }

    /// Whether this is a directory.
    #[inline]
    pub fn is_dir(self) -> bool {
        self == Self::Directory
    }

    /// Whether this is a symbolic link.
    #[inline]
    pub fn is_symlink(self) -> bool {
        self == Self::Symlink
    }

    /// Whether this is a FIFO (named pipe).
    #[inline]
    pub fn is_fifo(self) -> bool {
        self == Self::Fifo
    }

    /// Whether this is a Unix-domain socket.
    #[inline]
    pub fn is_socket(self) -> bool {
        self == Self::Socket
    }

    /// Whether this is a character device.
    #[inline]
    pub fn is_char_device(self) -> bool {
        self == Self::CharacterDevice
    }

    /// Whether this is a block device.
    #[inline]
    pub fn is_block_device(self) -> bool {
        self == Self::BlockDevice
    }
}

pub use crate::timespec::{Nsecs, Secs, Timespec};

/// `UTIME_NOW`: as a [`Timespec::tv_nsec`] in [`Timestamps`], "set this time to now".
pub const UTIME_NOW: Nsecs = k::UTIME_NOW as Nsecs;

/// `UTIME_OMIT`: as a [`Timespec::tv_nsec`] in [`Timestamps`], "leave this time unchanged".
pub const UTIME_OMIT: Nsecs = k::UTIME_OMIT as Nsecs;

/// `struct timespec [2]`—The access and modification times that
/// [`utimensat`](crate::fs::utimensat) and [`futimens`](crate::fs::futimens) set, in the
/// kernel's layout (64-bit seconds on every architecture).
#[repr(C)]
#[derive(Debug, Clone)]
pub struct Timestamps {
    /// The time of last access (`st_atime`).
    pub last_access: Timespec,
    /// The time of last modification (`st_mtime`).
    pub last_modification: Timespec,
}

/// `POSIX_FADV_*`—What [`fadvise`](crate::fs::fadvise) tells the kernel about an access
/// pattern.
#[derive(Debug, Copy, Clone, Eq, PartialEq)]
#[repr(u32)]
pub enum Advice {
    /// `POSIX_FADV_NORMAL`
    Normal = k::POSIX_FADV_NORMAL,
    /// `POSIX_FADV_SEQUENTIAL`
    Sequential = k::POSIX_FADV_SEQUENTIAL,
    /// `POSIX_FADV_RANDOM`
    Random = k::POSIX_FADV_RANDOM,
    /// `POSIX_FADV_NOREUSE`
    NoReuse = k::POSIX_FADV_NOREUSE,
    /// `POSIX_FADV_WILLNEED`
    WillNeed = k::POSIX_FADV_WILLNEED,
    /// `POSIX_FADV_DONTNEED`
    DontNeed = k::POSIX_FADV_DONTNEED,
}

/// `LOCK_*`—What [`flock`](crate::fs::flock) does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum FlockOperation {
    /// `LOCK_SH`
    LockShared = k::LOCK_SH,
    /// `LOCK_EX`
    LockExclusive = k::LOCK_EX,
    /// `LOCK_UN`
    Unlock = k::LOCK_UN,
    /// `LOCK_SH | LOCK_NB`
    NonBlockingLockShared = k::LOCK_SH | k::LOCK_NB,
    /// `LOCK_EX | LOCK_NB`
    NonBlockingLockExclusive = k::LOCK_EX | k::LOCK_NB,
    /// `LOCK_UN | LOCK_NB`
    NonBlockingUnlock = k::LOCK_UN | k::LOCK_NB,
}

flags! {
    /// `FALLOC_FL_*` flags for [`fallocate`](crate::fs::fallocate).
    pub struct FallocateFlags: u32 {
        /// `FALLOC_FL_KEEP_SIZE`
        const KEEP_SIZE = k::FALLOC_FL_KEEP_SIZE;
        /// `FALLOC_FL_PUNCH_HOLE`
        const PUNCH_HOLE = k::FALLOC_FL_PUNCH_HOLE;
        /// `FALLOC_FL_NO_HIDE_STALE`
        const NO_HIDE_STALE = k::FALLOC_FL_NO_HIDE_STALE;
        /// `FALLOC_FL_COLLAPSE_RANGE`
        const COLLAPSE_RANGE = k::FALLOC_FL_COLLAPSE_RANGE;
        /// `FALLOC_FL_ZERO_RANGE`
        const ZERO_RANGE = k::FALLOC_FL_ZERO_RANGE;
        /// `FALLOC_FL_INSERT_RANGE`
        const INSERT_RANGE = k::FALLOC_FL_INSERT_RANGE;
        /// `FALLOC_FL_UNSHARE_RANGE`
        const UNSHARE_RANGE = k::FALLOC_FL_UNSHARE_RANGE;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `MFD_*` flags for [`memfd_create`](crate::fs::memfd_create).
    pub struct MemfdFlags: u32 {
        /// `MFD_CLOEXEC`
        const CLOEXEC = k::MFD_CLOEXEC;
        /// `MFD_ALLOW_SEALING`
        const ALLOW_SEALING = k::MFD_ALLOW_SEALING;
        /// `MFD_HUGETLB` (since Linux 4.14)
        const HUGETLB = k::MFD_HUGETLB;
        /// `MFD_NOEXEC_SEAL` (since Linux 6.3)
        const NOEXEC_SEAL = k::MFD_NOEXEC_SEAL;
        /// `MFD_EXEC` (since Linux 6.3)
        const EXEC = k::MFD_EXEC;
        /// `MFD_HUGE_64KB`
        const HUGE_64KB = k::MFD_HUGE_64KB;
        /// `MFD_HUGE_512KB`
        const HUGE_512KB = k::MFD_HUGE_512KB;
        /// `MFD_HUGE_1MB`
        const HUGE_1MB = k::MFD_HUGE_1MB;
        /// `MFD_HUGE_2MB`
        const HUGE_2MB = k::MFD_HUGE_2MB;
        /// `MFD_HUGE_8MB`
        const HUGE_8MB = k::MFD_HUGE_8MB;
        /// `MFD_HUGE_16MB`
        const HUGE_16MB = k::MFD_HUGE_16MB;
        /// `MFD_HUGE_32MB`
        const HUGE_32MB = k::MFD_HUGE_32MB;
        /// `MFD_HUGE_256MB`
        const HUGE_256MB = k::MFD_HUGE_256MB;
        /// `MFD_HUGE_512MB`
        const HUGE_512MB = k::MFD_HUGE_512MB;
        /// `MFD_HUGE_1GB`
        const HUGE_1GB = k::MFD_HUGE_1GB;
        /// `MFD_HUGE_2GB`
        const HUGE_2GB = k::MFD_HUGE_2GB;
        /// `MFD_HUGE_16GB`
        const HUGE_16GB = k::MFD_HUGE_16GB;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `F_SEAL_*` flags for [`fcntl_add_seals`](crate::fs::fcntl_add_seals) and
    /// [`fcntl_get_seals`](crate::fs::fcntl_get_seals).
    pub struct SealFlags: u32 {
        /// `F_SEAL_SEAL`: no more seals may be added.
        const SEAL = k::F_SEAL_SEAL;
        /// `F_SEAL_SHRINK`
        const SHRINK = k::F_SEAL_SHRINK;
        /// `F_SEAL_GROW`
        const GROW = k::F_SEAL_GROW;
        /// `F_SEAL_WRITE`
        const WRITE = k::F_SEAL_WRITE;
        /// `F_SEAL_FUTURE_WRITE` (since Linux 5.1)
        const FUTURE_WRITE = k::F_SEAL_FUTURE_WRITE;
        /// `F_SEAL_EXEC` (since Linux 6.3)
        const EXEC = k::F_SEAL_EXEC;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

// ---- Directories and names ----

flags! {
    /// `*_OK` flags for [`access`](crate::fs::access) and [`accessat`](crate::fs::accessat).
    pub struct Access: u32 {
        /// `R_OK`
        const READ_OK = k::R_OK;
        /// `W_OK`
        const WRITE_OK = k::W_OK;
        /// `X_OK`
        const EXEC_OK = k::X_OK;
        /// `F_OK`: whether the file exists at all. It is zero: the same as `Access::empty()`.
        const EXISTS = k::F_OK;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `RENAME_*` flags for [`renameat_with`](crate::fs::renameat_with).
    pub struct RenameFlags: u32 {
        /// `RENAME_EXCHANGE`: swap the two names, both of which must exist.
        const EXCHANGE = k::RENAME_EXCHANGE;
        /// `RENAME_NOREPLACE`: fail with `EEXIST` rather than replace the new name.
        const NOREPLACE = k::RENAME_NOREPLACE;
        /// `RENAME_WHITEOUT`: leave a whiteout (for overlay filesystems) at the old name.
        const WHITEOUT = k::RENAME_WHITEOUT;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

/// Where the fields of a `linux_dirent64` record lie: the same on every architecture (two
/// 64-bit words, then `d_reclen`, `d_type` and the name).
mod dirent_layout {
    use core::mem::offset_of;
    use linux_raw_sys::general::linux_dirent64;

    pub(super) const INO: usize = offset_of!(linux_dirent64, d_ino);
    pub(super) const OFF: usize = offset_of!(linux_dirent64, d_off);
    pub(super) const RECLEN: usize = offset_of!(linux_dirent64, d_reclen);
    pub(super) const TYPE: usize = offset_of!(linux_dirent64, d_type);
    pub(super) const NAME: usize = offset_of!(linux_dirent64, d_name);

    static_assertions::const_assert_eq!(INO, 0);
    static_assertions::const_assert_eq!(OFF, 8);
    static_assertions::const_assert_eq!(RECLEN, 16);
    static_assertions::const_assert_eq!(TYPE, 18);
    static_assertions::const_assert_eq!(NAME, 19);
}

/// The alignment of `linux_dirent64` records in a `getdents64` buffer.
pub(crate) const DIRENT_ALIGN: usize = core::mem::align_of::<k::linux_dirent64>();

/// One `linux_dirent64` record, read out of the bytes `getdents64` wrote.
pub(crate) struct DirentRecord<'a> {
    /// `d_ino`
    pub(crate) ino: u64,
    /// `d_off`: the cookie of the position after this entry.
    pub(crate) off: i64,
    /// `d_type`
    pub(crate) d_type: u8,
    /// `d_name`, up to its NUL.
    pub(crate) name: &'a core::ffi::CStr,
    /// `d_reclen`: the record's size, padding included; the next record starts there.
    pub(crate) len: usize,
}

impl<'a> DirentRecord<'a> {
    /// Reads the record at the start of `bytes`, which holds it and possibly more records.
    ///
    /// Every field is read by bytes, with bounds checks, so no alignment is assumed. A record
    /// that does not fit in `bytes` or has no NUL inside it (which the kernel never writes)
    /// is `Errno::IO` rather than a panic or a read past its end.
    pub(crate) fn parse(bytes: &'a [u8]) -> crate::errno::Result<Self> {
        use crate::errno::Errno;
        use dirent_layout as at;
        let header = bytes.get(..at::NAME).ok_or(Errno::IO)?;
        let word = |offset: usize| {
            let mut raw = [0_u8; 8];
            raw.copy_from_slice(&header[offset..offset + 8]);
            raw
        };
        let len = usize::from(u16::from_ne_bytes([
            header[at::RECLEN],
            header[at::RECLEN + 1],
        ]));
        let name_bytes = bytes.get(at::NAME..len).ok_or(Errno::IO)?;
        let name = core::ffi::CStr::from_bytes_until_nul(name_bytes).map_err(|_| Errno::IO)?;
        Ok(Self {
            ino: u64::from_ne_bytes(word(at::INO)),
            off: i64::from_ne_bytes(word(at::OFF)),
            d_type: header[at::TYPE],
            name,
            len,
        })
    }
}

#[cfg(test)]
mod dir_tests {
    use super::*;
    use crate::errno::Errno;

    /// A record as the kernel lays it out: header, name, NUL, zero padding to 8.
    fn record(ino: u64, off: i64, d_type: u8, name: &[u8]) -> std::vec::Vec<u8> {
        let len = (19 + name.len() + 1).next_multiple_of(8);
        let mut bytes = std::vec![0_u8; len];
        bytes[..8].copy_from_slice(&ino.to_ne_bytes());
        bytes[8..16].copy_from_slice(&off.to_ne_bytes());
        bytes[16..18].copy_from_slice(&(len as u16).to_ne_bytes());
        bytes[18] = d_type;
        bytes[19..19 + name.len()].copy_from_slice(name);
        bytes
    }

    #[test]
    fn dirent_records_parse_and_bad_ones_are_errors() {
        let mut two = record(7, -3, k::DT_DIR as u8, b".");
        two.extend(record(u64::MAX, i64::MAX, k::DT_LNK as u8, &[b'x'; 255]));
        let first = DirentRecord::parse(&two).unwrap();
        assert_eq!((first.ino, first.off, first.len), (7, -3, 24));
        assert_eq!(first.name, c".");
        assert_eq!(
            FileType::from_dirent_d_type(first.d_type),
            FileType::Directory
        );
        let second = DirentRecord::parse(&two[24..]).unwrap();
        assert_eq!(
            (second.ino, second.off, second.len),
            (u64::MAX, i64::MAX, 280)
        );
        assert_eq!(second.name.to_bytes(), &[b'x'; 255][..]);
        assert_eq!(
            FileType::from_dirent_d_type(second.d_type),
            FileType::Symlink
        );
        // Unaligned: fields are read by bytes.
        let mut shifted = std::vec![0_u8; 3];
        shifted.extend(record(9, 1, 0, b"name"));
        let rec = DirentRecord::parse(&shifted[3..]).unwrap();
        assert_eq!((rec.ino, rec.name), (9, c"name"));
        assert_eq!(FileType::from_dirent_d_type(rec.d_type), FileType::Unknown);

        // Cut short anywhere: IO, never a panic or a read past the end.
        for cut in 0..two.len().min(24) {
            assert_eq!(
                DirentRecord::parse(&two[..cut]).err(),
                Some(Errno::IO),
                "{cut}"
            );
        }
        for cut in 24..two.len() - 1 {
            let cut_second = &two[24..cut];
            assert_eq!(
                DirentRecord::parse(cut_second).err(),
                Some(Errno::IO),
                "{cut}"
            );
        }
        // A length shorter than the header, or a name without its NUL.
        let mut bad = record(1, 1, 0, b"abc");
        bad[16..18].copy_from_slice(&10_u16.to_ne_bytes());
        assert_eq!(DirentRecord::parse(&bad).err(), Some(Errno::IO));
        bad[16..18].copy_from_slice(&19_u16.to_ne_bytes());
        assert_eq!(DirentRecord::parse(&bad).err(), Some(Errno::IO));
        let mut no_nul = record(1, 1, 0, b"abcd");
        no_nul[19..].fill(b'z');
        assert_eq!(DirentRecord::parse(&no_nul).err(), Some(Errno::IO));
    }

    #[test]
    fn flags_and_types_are_the_kernels() {
        assert_eq!(Access::READ_OK.bits(), k::R_OK);
        assert_eq!(Access::WRITE_OK.bits(), k::W_OK);
        assert_eq!(Access::EXEC_OK.bits(), k::X_OK);
        assert_eq!(Access::EXISTS.bits(), 0);
        assert_eq!(RenameFlags::EXCHANGE.bits(), k::RENAME_EXCHANGE);
        assert_eq!(RenameFlags::NOREPLACE.bits(), k::RENAME_NOREPLACE);
        assert_eq!(RenameFlags::WHITEOUT.bits(), k::RENAME_WHITEOUT);
        assert_eq!(AtFlags::REMOVEDIR.bits(), k::AT_REMOVEDIR);
        assert_eq!(AtFlags::SYMLINK_FOLLOW.bits(), k::AT_SYMLINK_FOLLOW);
        assert_eq!(DIRENT_ALIGN, 8);
        for file_type in [
            FileType::RegularFile,
            FileType::Directory,
            FileType::Symlink,
            FileType::Fifo,
            FileType::Socket,
            FileType::CharacterDevice,
            FileType::BlockDevice,
        ] {
            assert_eq!(
                FileType::from_raw_mode(file_type.as_raw_mode() | 0o777),
                file_type
            );
            assert_eq!(file_type as isize as u32, file_type.as_raw_mode());
        }
    }
}
