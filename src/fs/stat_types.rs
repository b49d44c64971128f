//! What the stat calls return: `Stat`, `StatFs`, `Statx` and their field types.
//!
//! Field names and types are rustix's, so that code reading them ports unchanged. `Stat` and
//! `StatFs` are the kernel's own layouts where the kernel's are usable (64-bit `struct stat`,
//! `struct statfs` / arm's `struct statfs64`); 32-bit arm's `struct stat64` has 32-bit times,
//! so there `Stat` is a struct of rustix's shape filled from `statx`.

#[cfg(target_pointer_width = "64")]
use core::ffi::c_ulong;
use core::ffi::{c_int, c_long, c_uint};
use core::mem::MaybeUninit;
use linux_raw_sys::general as k;

/// `dev_t`: a device number, as [`makedev`](crate::fs::makedev) encodes it.
pub type Dev = u64;

/// `__fsword_t`: the type of [`StatFs::f_type`].
pub type FsWord = c_long;

/// `PROC_SUPER_MAGIC`: [`StatFs::f_type`] of procfs.
pub const PROC_SUPER_MAGIC: FsWord = k::PROC_SUPER_MAGIC as FsWord;

/// `NFS_SUPER_MAGIC`: [`StatFs::f_type`] of NFS.
pub const NFS_SUPER_MAGIC: FsWord = k::NFS_SUPER_MAGIC as FsWord;

/// `struct stat`—What [`fstat`](crate::fs::fstat), [`stat`](crate::fs::stat),
/// [`lstat`](crate::fs::lstat) and [`statat`](crate::fs::statat) return: the kernel's own
/// `struct stat` of x86_64.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
#[allow(missing_docs)]
#[non_exhaustive]
#[cfg(target_arch = "x86_64")]
pub struct Stat {
    pub st_dev: c_ulong,
    pub st_ino: c_ulong,
    pub st_nlink: c_ulong,
    pub st_mode: c_uint,
    pub st_uid: c_uint,
    pub st_gid: c_uint,
    __pad0: MaybeUninit<c_uint>,
    pub st_rdev: c_ulong,
    pub st_size: c_long,
    pub st_blksize: c_long,
    pub st_blocks: c_long,
    pub st_atime: c_long,
    pub st_atime_nsec: c_ulong,
    pub st_mtime: c_long,
    pub st_mtime_nsec: c_ulong,
    pub st_ctime: c_long,
    pub st_ctime_nsec: c_ulong,
    __unused: MaybeUninit<[c_long; 3]>,
}

/// `struct stat`—What [`fstat`](crate::fs::fstat), [`stat`](crate::fs::stat),
/// [`lstat`](crate::fs::lstat) and [`statat`](crate::fs::statat) return: the kernel's own
/// `struct stat` of the generic 64-bit table (aarch64, riscv64).
#[repr(C)]
#[derive(Debug, Copy, Clone)]
#[allow(missing_docs)]
#[non_exhaustive]
#[cfg(any(target_arch = "aarch64", target_arch = "riscv64"))]
pub struct Stat {
    pub st_dev: c_ulong,
    pub st_ino: c_ulong,
    pub st_mode: c_uint,
    pub st_nlink: c_uint,
    pub st_uid: c_uint,
    pub st_gid: c_uint,
    pub st_rdev: c_ulong,
    __pad1: MaybeUninit<c_ulong>,
    pub st_size: c_long,
    pub st_blksize: c_int,
    __pad2: MaybeUninit<c_int>,
    pub st_blocks: c_long,
    pub st_atime: c_long,
    pub st_atime_nsec: c_ulong,
    pub st_mtime: c_long,
    pub st_mtime_nsec: c_ulong,
    pub st_ctime: c_long,
    pub st_ctime_nsec: c_ulong,
    __unused4: MaybeUninit<c_uint>,
    __unused5: MaybeUninit<c_uint>,
}

/// `struct stat`—What [`fstat`](crate::fs::fstat), [`stat`](crate::fs::stat),
/// [`lstat`](crate::fs::lstat) and [`statat`](crate::fs::statat) return.
///
/// On 32-bit arm the kernel's `struct stat64` has 32-bit times, so this is not a kernel
/// layout: the calls use `statx` (Linux 4.11 and later) and fill these fields from it, with
/// 64-bit seconds. Unlike rustix, barecall does not fall back to `fstatat64` where `statx`
/// is missing (`Errno::NOSYS` is returned).
#[derive(Debug, Copy, Clone)]
#[allow(missing_docs)]
#[non_exhaustive]
#[cfg(target_arch = "arm")]
pub struct Stat {
    pub st_dev: u64,
    pub st_mode: u32,
    pub st_nlink: u32,
    pub st_uid: u32,
    pub st_gid: u32,
    pub st_rdev: u64,
    pub st_size: i64,
    pub st_blksize: u32,
    pub st_blocks: u64,
    pub st_atime: i64,
    pub st_atime_nsec: u32,
    pub st_mtime: i64,
    pub st_mtime_nsec: u32,
    pub st_ctime: i64,
    pub st_ctime_nsec: u32,
    pub st_ino: u64,
}

/// `struct statfs` (`struct statfs64` on 32-bit arm)—What [`fstatfs`](crate::fs::fstatfs)
/// and [`statfs`](crate::fs::statfs) return, in the kernel's layout.
#[repr(C)]
#[cfg_attr(target_arch = "arm", repr(packed(4)))]
#[derive(Debug, Copy, Clone)]
#[allow(missing_docs)]
#[non_exhaustive]
pub struct StatFs {
    pub f_type: FsWord,
    #[cfg(target_pointer_width = "64")]
    pub f_bsize: c_long,
    #[cfg(target_arch = "arm")]
    pub f_bsize: c_uint,
    pub f_blocks: u64,
    pub f_bfree: u64,
    pub f_bavail: u64,
    pub f_files: u64,
    pub f_ffree: u64,
    pub f_fsid: Fsid,
    #[cfg(target_pointer_width = "64")]
    pub f_namelen: c_long,
    #[cfg(target_arch = "arm")]
    pub f_namelen: c_uint,
    #[cfg(target_pointer_width = "64")]
    pub f_frsize: c_long,
    #[cfg(target_arch = "arm")]
    pub f_frsize: c_uint,
    #[cfg(target_pointer_width = "64")]
    pub f_flags: c_long,
    #[cfg(target_arch = "arm")]
    pub f_flags: c_uint,
    f_spare: MaybeUninit<[c_long; 4]>,
}

/// `fsid_t`—A filesystem ID, as in [`StatFs::f_fsid`]. Opaque, as in rustix.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct Fsid {
    val: [c_int; 2],
}

/// `struct statx`—What [`statx`](crate::fs::statx) returns, in the kernel's layout.
///
/// Only the fields the returned `stx_mask` names were filled in by the kernel; the others
/// are zero.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
#[allow(missing_docs)]
#[non_exhaustive]
pub struct Statx {
    pub stx_mask: u32,
    pub stx_blksize: u32,
    pub stx_attributes: StatxAttributes,
    pub stx_nlink: u32,
    pub stx_uid: u32,
    pub stx_gid: u32,
    pub stx_mode: u16,
    __spare0: MaybeUninit<[u16; 1]>,
    pub stx_ino: u64,
    pub stx_size: u64,
    pub stx_blocks: u64,
    pub stx_attributes_mask: StatxAttributes,
    pub stx_atime: StatxTimestamp,
    pub stx_btime: StatxTimestamp,
    pub stx_ctime: StatxTimestamp,
    pub stx_mtime: StatxTimestamp,
    pub stx_rdev_major: u32,
    pub stx_rdev_minor: u32,
    pub stx_dev_major: u32,
    pub stx_dev_minor: u32,
    pub stx_mnt_id: u64,
    pub stx_dio_mem_align: u32,
    pub stx_dio_offset_align: u32,
    pub stx_subvol: u64,
    pub stx_atomic_write_unit_min: u32,
    pub stx_atomic_write_unit_max: u32,
    pub stx_atomic_write_segments_max: u32,
    pub stx_dio_read_offset_align: u32,
    pub stx_atomic_write_unit_max_opt: u32,
    __spare2: MaybeUninit<[u32; 1]>,
    __spare3: MaybeUninit<[u64; 8]>,
}

/// `struct statx_timestamp`—A time in [`Statx`]: 64-bit seconds on every architecture.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
#[non_exhaustive]
pub struct StatxTimestamp {
    /// Seconds since the epoch.
    pub tv_sec: i64,
    /// Nanoseconds, below 1_000_000_000.
    pub tv_nsec: u32,
    __reserved: MaybeUninit<i32>,
}

flags! {
    /// `STATX_*` flags: the fields [`statx`](crate::fs::statx) is asked for, and the ones its
    /// [`Statx::stx_mask`] says it filled in.
    pub struct StatxFlags: u32 {
        /// `STATX_TYPE`
        const TYPE = k::STATX_TYPE;
        /// `STATX_MODE`
        const MODE = k::STATX_MODE;
        /// `STATX_NLINK`
        const NLINK = k::STATX_NLINK;
        /// `STATX_UID`
        const UID = k::STATX_UID;
        /// `STATX_GID`
        const GID = k::STATX_GID;
        /// `STATX_ATIME`
        const ATIME = k::STATX_ATIME;
        /// `STATX_MTIME`
        const MTIME = k::STATX_MTIME;
        /// `STATX_CTIME`
        const CTIME = k::STATX_CTIME;
        /// `STATX_INO`
        const INO = k::STATX_INO;
        /// `STATX_SIZE`
        const SIZE = k::STATX_SIZE;
        /// `STATX_BLOCKS`
        const BLOCKS = k::STATX_BLOCKS;
        /// `STATX_BASIC_STATS`: everything `stat` reports.
        const BASIC_STATS = k::STATX_BASIC_STATS;
        /// `STATX_BTIME`
        const BTIME = k::STATX_BTIME;
        /// `STATX_MNT_ID` (since Linux 5.8)
        const MNT_ID = k::STATX_MNT_ID;
        /// `STATX_DIOALIGN` (since Linux 6.1)
        const DIOALIGN = k::STATX_DIOALIGN;
        /// `STATX_ALL`: the basic stats and `BTIME` (deprecated by the kernel).
        const ALL = k::STATX_ALL;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `STATX_ATTR_*` flags: [`Statx::stx_attributes`] and [`Statx::stx_attributes_mask`].
    pub struct StatxAttributes: u64 {
        /// `STATX_ATTR_COMPRESSED`
        const COMPRESSED = k::STATX_ATTR_COMPRESSED as u64;
        /// `STATX_ATTR_IMMUTABLE`
        const IMMUTABLE = k::STATX_ATTR_IMMUTABLE as u64;
        /// `STATX_ATTR_APPEND`
        const APPEND = k::STATX_ATTR_APPEND as u64;
        /// `STATX_ATTR_NODUMP`
        const NODUMP = k::STATX_ATTR_NODUMP as u64;
        /// `STATX_ATTR_ENCRYPTED`
        const ENCRYPTED = k::STATX_ATTR_ENCRYPTED as u64;
        /// `STATX_ATTR_AUTOMOUNT`
        const AUTOMOUNT = k::STATX_ATTR_AUTOMOUNT as u64;
        /// `STATX_ATTR_MOUNT_ROOT`
        const MOUNT_ROOT = k::STATX_ATTR_MOUNT_ROOT as u64;
        /// `STATX_ATTR_VERITY`
        const VERITY = k::STATX_ATTR_VERITY as u64;
        /// `STATX_ATTR_DAX`
        const DAX = k::STATX_ATTR_DAX as u64;
        /// Bits this version does not name: kept as they are.
        const _ = !0;
    }
}

// ---- Device numbers: the userspace `dev_t` encoding of a major and a minor number (glibc's) --

/// `makedev(maj, min)`—The device number of a major and a minor number.
///
/// The encoding is glibc's: the low 8 bits of the minor, then the low 12 of the major, then
/// the rest of the minor (24 bits), then the rest of the major (20 bits).
///
/// # References
///  - [Linux `makedev(3)`](https://man7.org/linux/man-pages/man3/makedev.3.html)
#[inline]
pub const fn makedev(maj: u32, min: u32) -> Dev {
    let (maj, min) = (maj as u64, min as u64);
    ((maj & 0xffff_f000) << 32) | ((maj & 0xfff) << 8) | ((min & 0xffff_ff00) << 12) | (min & 0xff)
}

/// `major(dev)`—The major number of a device number.
///
/// # References
///  - [Linux `major(3)`](https://man7.org/linux/man-pages/man3/major.3.html)
#[inline]
pub const fn major(dev: Dev) -> u32 {
    (((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff)) as u32
}

/// `minor(dev)`—The minor number of a device number.
///
/// # References
///  - [Linux `minor(3)`](https://man7.org/linux/man-pages/man3/minor.3.html)
#[inline]
pub const fn minor(dev: Dev) -> u32 {
    (((dev >> 12) & 0xffff_ff00) | (dev & 0xff)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;
    use static_assertions::{assert_eq_align, assert_eq_size};

    assert_eq_size!(Statx, k::statx);
    assert_eq_align!(Statx, k::statx);
    assert_eq_size!(StatxTimestamp, k::statx_timestamp);
    assert_eq_size!(Fsid, k::__kernel_fsid_t);
    #[cfg(target_pointer_width = "64")]
    assert_eq_size!(Stat, k::stat);
    #[cfg(target_pointer_width = "64")]
    assert_eq_align!(Stat, k::stat);
    #[cfg(target_pointer_width = "64")]
    assert_eq_size!(StatFs, k::statfs);
    #[cfg(target_arch = "arm")]
    assert_eq_size!(StatFs, k::statfs64);
    assert_eq_size!(FsWord, k::__fsword_t);

    /// Asserts that each named field sits where the kernel's struct has it.
    macro_rules! same_offsets {
        ($ours:ty, $kernels:ty: $($field:ident)*) => {
            $(assert_eq!(
                offset_of!($ours, $field),
                offset_of!($kernels, $field),
                stringify!($field)
            );)*
        };
    }

    #[test]
    fn layouts_are_the_kernels() {
        same_offsets!(Statx, k::statx: stx_mask stx_blksize stx_attributes stx_nlink stx_uid
            stx_gid stx_mode stx_ino stx_size stx_blocks stx_attributes_mask stx_atime
            stx_btime stx_ctime stx_mtime stx_rdev_major stx_rdev_minor stx_dev_major
            stx_dev_minor stx_mnt_id stx_dio_mem_align stx_dio_offset_align stx_subvol
            stx_atomic_write_unit_min stx_atomic_write_unit_max stx_atomic_write_segments_max
            stx_dio_read_offset_align stx_atomic_write_unit_max_opt);
        same_offsets!(StatxTimestamp, k::statx_timestamp: tv_sec tv_nsec);
        #[cfg(target_pointer_width = "64")]
        same_offsets!(Stat, k::stat: st_dev st_ino st_nlink st_mode st_uid st_gid st_rdev
            st_size st_blksize st_blocks st_atime st_atime_nsec st_mtime st_mtime_nsec
            st_ctime st_ctime_nsec);
        #[cfg(target_pointer_width = "64")]
        same_offsets!(StatFs, k::statfs: f_type f_bsize f_blocks f_bfree f_bavail f_files
            f_ffree f_fsid f_namelen f_frsize f_flags f_spare);
        #[cfg(target_arch = "arm")]
        same_offsets!(StatFs, k::statfs64: f_type f_bsize f_blocks f_bfree f_bavail f_files
            f_ffree f_fsid f_namelen f_frsize f_flags f_spare);
    }

    #[test]
    fn statx_flags_are_the_kernels() {
        assert_eq!(StatxFlags::BASIC_STATS.bits(), 0x7ff);
        assert_eq!(StatxFlags::ALL, StatxFlags::BASIC_STATS | StatxFlags::BTIME);
        assert_eq!(StatxAttributes::MOUNT_ROOT.bits(), 0x2000);
    }
}

#[cfg(test)]
mod makedev_tests {
    use super::*;

    #[test]
    fn major_and_minor_round_trip() {
        for (maj, min) in [
            (0, 0),
            (8, 1),
            (259, 65_536),
            (u32::MAX, u32::MAX),
            (0xfff, 0xff),
        ] {
            let dev = makedev(maj, min);
            assert_eq!((major(dev), minor(dev)), (maj, min));
        }
        // The classic 16-bit encoding for small numbers: major in bits 8..16.
        assert_eq!(makedev(8, 1), 0x801);
        assert_eq!(makedev(0x1000, 0), 1 << 44);
        assert_eq!(makedev(0, 0x100), 1 << 20);
    }
}
