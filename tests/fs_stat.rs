//! `fs` metadata calls: fstat, stat, lstat, statat, statx, fstatfs, statfs, the times
//! (utimensat, futimens), modes (chmod, chmodat, fchmod) and owners (chown, chownat, fchown),
//! checked against libc.
mod common;

use barecall::fs::{
    self, AtFlags, FileType, Gid, Mode, OFlags, RawMode, Stat, StatFs, StatxFlags, Timespec,
    Timestamps, Uid, CWD,
};
use barecall::io::{self, Errno};
use std::ffi::CString;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// A fresh directory in the temp directory, removed with its contents when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "barecall-fsstat-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path).expect("create temp dir");
        Self(path)
    }

    /// A path inside the directory.
    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// A file inside the directory holding `contents`.
    fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.join(name);
        std::fs::write(&path, contents).expect("write temp file");
        path
    }

    /// The directory, opened as a directory fd.
    fn open(&self) -> OwnedFd {
        fs::open(
            &self.0,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .expect("open temp dir")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).unwrap()
}

fn libc_fstat(fd: i32) -> libc::stat64 {
    let mut st = std::mem::MaybeUninit::<libc::stat64>::uninit();
    assert_eq!(
        unsafe { libc::fstat64(fd, st.as_mut_ptr()) },
        0,
        "libc fstat"
    );
    unsafe { st.assume_init() }
}

fn libc_stat(path: &Path, follow: bool) -> libc::stat64 {
    let path = c_path(path);
    let mut st = std::mem::MaybeUninit::<libc::stat64>::uninit();
    let rc = unsafe {
        if follow {
            libc::stat64(path.as_ptr(), st.as_mut_ptr())
        } else {
            libc::lstat64(path.as_ptr(), st.as_mut_ptr())
        }
    };
    assert_eq!(rc, 0, "libc stat");
    unsafe { st.assume_init() }
}

/// `statx` through libc, for times past 2038 (32-bit arm's libc `stat64` has 32-bit times).
fn libc_statx(path: &Path) -> libc::statx {
    let path = c_path(path);
    let mut stx = std::mem::MaybeUninit::<libc::statx>::uninit();
    let rc = unsafe {
        libc::statx(
            libc::AT_FDCWD,
            path.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
            libc::STATX_BASIC_STATS | libc::STATX_BTIME,
            stx.as_mut_ptr(),
        )
    };
    assert_eq!(rc, 0, "libc statx");
    unsafe { stx.assume_init() }
}

/// Asserts two integers of possibly different types are equal, naming the field.
macro_rules! same {
    ($field:literal, $ours:expr, $theirs:expr) => {
        assert_eq!(i128::from($ours), i128::from($theirs), $field)
    };
}

/// Every field of a `Stat` against libc's `stat64` of the same file.
#[track_caller]
fn assert_same_stat(ours: &Stat, theirs: &libc::stat64) {
    same!("st_dev", ours.st_dev, theirs.st_dev);
    same!("st_ino", ours.st_ino, theirs.st_ino);
    same!("st_mode", ours.st_mode, theirs.st_mode);
    same!("st_nlink", ours.st_nlink, theirs.st_nlink);
    same!("st_uid", ours.st_uid, theirs.st_uid);
    same!("st_gid", ours.st_gid, theirs.st_gid);
    same!("st_rdev", ours.st_rdev, theirs.st_rdev);
    same!("st_size", ours.st_size, theirs.st_size);
    same!("st_blksize", ours.st_blksize, theirs.st_blksize);
    same!("st_blocks", ours.st_blocks, theirs.st_blocks);
    same!("st_atime", ours.st_atime, theirs.st_atime);
    same!("st_atime_nsec", ours.st_atime_nsec, theirs.st_atime_nsec);
    same!("st_mtime", ours.st_mtime, theirs.st_mtime);
    same!("st_mtime_nsec", ours.st_mtime_nsec, theirs.st_mtime_nsec);
    same!("st_ctime", ours.st_ctime, theirs.st_ctime);
    same!("st_ctime_nsec", ours.st_ctime_nsec, theirs.st_ctime_nsec);
}

/// A number that was an fd a moment ago and is closed now (the tests hold the binary's
/// `FdCheck` lock, so no other test can reuse it meanwhile).
fn closed_fd() -> BorrowedFd<'static> {
    let (reader, writer) = barecall::pipe::pipe().unwrap();
    let raw = reader.as_raw_fd();
    drop((reader, writer));
    assert!(!common::is_open(raw));
    // SAFETY: nothing uses the number as an open file; the calls under test say EBADF.
    unsafe { BorrowedFd::borrow_raw(raw) }
}

/// The path errors every path-taking call must give: interior NUL is INVAL and `PATH_MAX`
/// bytes or more NAMETOOLONG, both before any call; a missing file is NOENT; a regular file
/// used as a directory on the way is NOTDIR.
#[track_caller]
fn assert_path_errors<T: std::fmt::Debug>(file: &Path, f: impl Fn(&[u8]) -> io::Result<T>) {
    assert_eq!(f(b"a\0b").unwrap_err(), Errno::INVAL, "interior NUL");
    assert_eq!(
        f(&[b'a'; 4096]).unwrap_err(),
        Errno::NAMETOOLONG,
        "PATH_MAX"
    );
    assert_eq!(
        f(&[b'a'; 5000]).unwrap_err(),
        Errno::NAMETOOLONG,
        "past PATH_MAX"
    );
    let missing = file.with_file_name("barecall-no-such-file");
    assert_eq!(
        f(missing.as_os_str().as_bytes()).unwrap_err(),
        Errno::NOENT,
        "missing"
    );
    let below_file = file.join("x");
    assert_eq!(
        f(below_file.as_os_str().as_bytes()).unwrap_err(),
        Errno::NOTDIR,
        "file/x"
    );
}

// ---- fstat, stat, lstat, statat ------------------------------------------------------------

#[test]
fn fstat_matches_libc_for_files_dirs_pipes_and_devices() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(&[7u8; 10_000]);
    let st = fs::fstat(&file).unwrap();
    assert_same_stat(&st, &libc_fstat(file.as_raw_fd()));
    assert_eq!(st.st_size, 10_000);
    assert_eq!(st.st_nlink, 0, "an unlinked scratch file");
    assert_eq!(FileType::from_raw_mode(st.st_mode), FileType::RegularFile);
    assert!(FileType::from_raw_mode(st.st_mode).is_file());
    assert_eq!(Mode::from_raw_mode(st.st_mode).bits(), st.st_mode & 0o7777);

    let dir = TempDir::new();
    let dirfd = dir.open();
    let st = fs::fstat(&dirfd).unwrap();
    assert_same_stat(&st, &libc_fstat(dirfd.as_raw_fd()));
    assert!(FileType::from_raw_mode(st.st_mode).is_dir());

    let (reader, writer) = barecall::pipe::pipe().unwrap();
    io::write(&writer, b"abc").unwrap();
    let st = fs::fstat(&reader).unwrap();
    assert_same_stat(&st, &libc_fstat(reader.as_raw_fd()));
    assert!(FileType::from_raw_mode(st.st_mode).is_fifo());

    let null = fs::open("/dev/null", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    let st = fs::fstat(&null).unwrap();
    assert_same_stat(&st, &libc_fstat(null.as_raw_fd()));
    assert!(FileType::from_raw_mode(st.st_mode).is_char_device());
    assert_eq!(st.st_rdev, fs::makedev(1, 3));
    assert_eq!((fs::major(st.st_rdev), fs::minor(st.st_rdev)), (1, 3));
}

#[test]
fn fstat_of_a_file_past_4_gib() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    let five_gib = 5u64 << 30;
    assert_eq!(
        unsafe { libc::ftruncate64(file.as_raw_fd(), five_gib as i64) },
        0
    );
    let st = fs::fstat(&file).unwrap();
    assert_eq!(i128::from(st.st_size), i128::from(five_gib));
    assert_same_stat(&st, &libc_fstat(file.as_raw_fd()));
}

#[test]
fn fstat_errors() {
    let _check = common::FdCheck::new();
    assert_eq!(fs::fstat(closed_fd()).unwrap_err(), Errno::BADF);
    // Not an fd: `fstat` says EBADF (32-bit arm's statx form must too).
    assert_eq!(fs::fstat(CWD).unwrap_err(), Errno::BADF);
    // An O_PATH fd can be stat'ed.
    let dir = TempDir::new();
    let path = dir.file("f", b"12345");
    let opath = fs::open(&path, OFlags::PATH | OFlags::CLOEXEC, Mode::empty()).unwrap();
    assert_eq!(fs::fstat(&opath).unwrap().st_size, 5);
}

#[test]
fn stat_lstat_and_statat_match_libc() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let target = dir.file("target", b"hello world");
    let link = dir.join("link");
    std::os::unix::fs::symlink("target", &link).unwrap();

    let st = fs::stat(&target).unwrap();
    assert_same_stat(&st, &libc_stat(&target, true));
    assert_eq!(st.st_size, 11);
    assert_eq!(st.st_nlink, 1);

    // stat follows the link, lstat does not.
    let followed = fs::stat(&link).unwrap();
    assert_same_stat(&followed, &libc_stat(&link, true));
    assert_eq!(followed.st_ino, st.st_ino);
    let not_followed = fs::lstat(&link).unwrap();
    assert_same_stat(&not_followed, &libc_stat(&link, false));
    assert!(FileType::from_raw_mode(not_followed.st_mode).is_symlink());
    assert_eq!(not_followed.st_size, 6, "the length of \"target\"");
    assert_ne!(not_followed.st_ino, st.st_ino);

    // statat relative to a directory fd, with and without following.
    let dirfd = dir.open();
    let at = fs::statat(&dirfd, "link", AtFlags::empty()).unwrap();
    assert_same_stat(&at, &libc_stat(&target, true));
    let at = fs::statat(&dirfd, "link", AtFlags::SYMLINK_NOFOLLOW).unwrap();
    assert_same_stat(&at, &libc_stat(&link, false));
    // EMPTY_PATH with "": the dirfd itself.
    let at = fs::statat(&dirfd, "", AtFlags::EMPTY_PATH).unwrap();
    assert_same_stat(&at, &libc_fstat(dirfd.as_raw_fd()));
    // CWD with a relative path, the same as an absolute one.
    let cwd = std::env::current_dir().unwrap();
    let relative = pathdiff(&target, &cwd);
    let at = fs::statat(CWD, &relative, AtFlags::empty()).unwrap();
    assert_eq!(at.st_ino, st.st_ino);
}

/// `path` relative to `base` (both absolute), through `..`s.
fn pathdiff(path: &Path, base: &Path) -> PathBuf {
    let mut relative = PathBuf::new();
    for _ in base.components().skip(1) {
        relative.push("..");
    }
    relative.join(path.strip_prefix("/").unwrap())
}

#[test]
fn stat_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    assert_path_errors(&file, |path| fs::stat(path));
    assert_path_errors(&file, |path| fs::lstat(path));
    let dirfd = dir.open();
    assert_path_errors(&file, |path| fs::statat(&dirfd, path, AtFlags::empty()));
    assert_eq!(fs::stat("").unwrap_err(), Errno::NOENT);
    // A regular file as the directory fd of a relative path.
    let filefd = fs::open(&file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    assert_eq!(
        fs::statat(&filefd, "x", AtFlags::empty()).unwrap_err(),
        Errno::NOTDIR
    );
    // ... which EMPTY_PATH makes the file itself.
    assert_eq!(
        fs::statat(&filefd, "", AtFlags::EMPTY_PATH)
            .unwrap()
            .st_size,
        1
    );
    assert_eq!(
        fs::statat(closed_fd(), "x", AtFlags::empty()).unwrap_err(),
        Errno::BADF
    );
    // Flags statat has no use for, and bits no flag has.
    assert_eq!(
        fs::statat(&dirfd, "f", AtFlags::REMOVEDIR).unwrap_err(),
        Errno::INVAL
    );
    assert_eq!(
        fs::statat(&dirfd, "f", AtFlags::from_bits_retain(0x1)).unwrap_err(),
        Errno::INVAL
    );
}

// ---- statx -----------------------------------------------------------------------------------

#[test]
fn statx_matches_libc_and_fstat() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", &[1u8; 5000]);
    let stx = fs::statx(CWD, &file, AtFlags::empty(), StatxFlags::BASIC_STATS).unwrap();
    let theirs = libc_statx(&file);
    assert!(StatxFlags::from_bits_retain(stx.stx_mask).contains(StatxFlags::BASIC_STATS));
    same!("stx_ino", stx.stx_ino, theirs.stx_ino);
    same!("stx_size", stx.stx_size, theirs.stx_size);
    same!("stx_mode", stx.stx_mode, theirs.stx_mode);
    same!("stx_nlink", stx.stx_nlink, theirs.stx_nlink);
    same!("stx_uid", stx.stx_uid, theirs.stx_uid);
    same!("stx_gid", stx.stx_gid, theirs.stx_gid);
    same!("stx_blocks", stx.stx_blocks, theirs.stx_blocks);
    same!("stx_blksize", stx.stx_blksize, theirs.stx_blksize);
    same!("stx_dev_major", stx.stx_dev_major, theirs.stx_dev_major);
    same!("stx_dev_minor", stx.stx_dev_minor, theirs.stx_dev_minor);
    same!(
        "stx_mtime.tv_sec",
        stx.stx_mtime.tv_sec,
        theirs.stx_mtime.tv_sec
    );
    same!(
        "stx_mtime.tv_nsec",
        stx.stx_mtime.tv_nsec,
        theirs.stx_mtime.tv_nsec
    );
    same!(
        "stx_ctime.tv_sec",
        stx.stx_ctime.tv_sec,
        theirs.stx_ctime.tv_sec
    );
    same!(
        "stx_attributes",
        stx.stx_attributes.bits(),
        theirs.stx_attributes
    );

    let st = fs::stat(&file).unwrap();
    same!("ino", stx.stx_ino, st.st_ino);
    same!(
        "dev",
        fs::makedev(stx.stx_dev_major, stx.stx_dev_minor),
        st.st_dev
    );
    same!("mode", stx.stx_mode, st.st_mode);
    same!("size", stx.stx_size, st.st_size);

    // On an fd, with EMPTY_PATH.
    let fd = fs::open(&file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    let by_fd = fs::statx(&fd, "", AtFlags::EMPTY_PATH, StatxFlags::SIZE).unwrap();
    assert!(StatxFlags::from_bits_retain(by_fd.stx_mask).contains(StatxFlags::SIZE));
    assert_eq!(by_fd.stx_size, 5000);
    // NOFOLLOW on a symlink.
    std::os::unix::fs::symlink("f", dir.join("l")).unwrap();
    let dirfd = dir.open();
    let link = fs::statx(&dirfd, "l", AtFlags::SYMLINK_NOFOLLOW, StatxFlags::TYPE).unwrap();
    assert!(FileType::from_raw_mode(RawMode::from(link.stx_mode)).is_symlink());
    let followed = fs::statx(&dirfd, "l", AtFlags::empty(), StatxFlags::INO).unwrap();
    assert_eq!(followed.stx_ino, stx.stx_ino);
}

#[test]
fn statx_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    assert_path_errors(&file, |path| {
        fs::statx(CWD, path, AtFlags::empty(), StatxFlags::BASIC_STATS)
    });
    // The reserved mask bit, refused before the call.
    let reserved = StatxFlags::from_bits_retain(0x8000_0000);
    assert_eq!(
        fs::statx(CWD, &file, AtFlags::empty(), reserved).unwrap_err(),
        Errno::INVAL
    );
    assert_eq!(
        fs::statx(CWD, &file, AtFlags::from_bits_retain(0x1), StatxFlags::SIZE).unwrap_err(),
        Errno::INVAL
    );
    // Both sync-type flags at once: the kernel's EINVAL.
    let both = AtFlags::STATX_FORCE_SYNC | AtFlags::STATX_DONT_SYNC;
    assert_eq!(
        fs::statx(CWD, &file, both, StatxFlags::SIZE).unwrap_err(),
        Errno::INVAL
    );
    let filefd = fs::open(&file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    assert_eq!(
        fs::statx(&filefd, "x", AtFlags::empty(), StatxFlags::SIZE).unwrap_err(),
        Errno::NOTDIR
    );
    assert_eq!(
        fs::statx(closed_fd(), "", AtFlags::EMPTY_PATH, StatxFlags::SIZE).unwrap_err(),
        Errno::BADF
    );
}

// ---- fstatfs, statfs -------------------------------------------------------------------------

/// The fields of a `StatFs` that stay put while other processes write: by value, as 32-bit
/// arm's packed layout wants.
fn stable_statfs_fields(s: &StatFs) -> [i128; 6] {
    let s = *s;
    [
        i128::from(s.f_type),
        i128::from(s.f_bsize),
        i128::from(s.f_blocks),
        i128::from(s.f_namelen),
        i128::from(s.f_frsize),
        i128::from(s.f_flags),
    ]
}

fn libc_stable_statfs_fields(s: &libc::statfs64) -> [i128; 6] {
    [
        i128::from(s.f_type),
        i128::from(s.f_bsize),
        i128::from(s.f_blocks),
        i128::from(s.f_namelen),
        i128::from(s.f_frsize),
        i128::from(s.f_flags),
    ]
}

#[test]
fn statfs_and_fstatfs_match_libc() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    let mut theirs = std::mem::MaybeUninit::<libc::statfs64>::uninit();
    let path = c_path(&file);
    assert_eq!(
        unsafe { libc::statfs64(path.as_ptr(), theirs.as_mut_ptr()) },
        0
    );
    let theirs = unsafe { theirs.assume_init() };

    let ours = fs::statfs(&file).unwrap();
    assert_eq!(
        stable_statfs_fields(&ours),
        libc_stable_statfs_fields(&theirs)
    );
    let fd = fs::open(&file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    let by_fd = fs::fstatfs(&fd).unwrap();
    assert_eq!(
        stable_statfs_fields(&by_fd),
        libc_stable_statfs_fields(&theirs)
    );
    assert!({ by_fd.f_bfree } <= { by_fd.f_blocks });
    assert!({ by_fd.f_bavail } <= { by_fd.f_blocks });
    assert!({ by_fd.f_ffree } <= { by_fd.f_files });

    // procfs reports its magic (when mounted; qemu-user shows the host's).
    if Path::new("/proc/self").exists() {
        assert_eq!(
            { fs::statfs("/proc").unwrap().f_type },
            fs::PROC_SUPER_MAGIC
        );
    }
}

#[test]
fn statfs_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    assert_path_errors(&file, |path| fs::statfs(path));
    assert_eq!(fs::fstatfs(closed_fd()).unwrap_err(), Errno::BADF);
    assert_eq!(fs::fstatfs(CWD).unwrap_err(), Errno::BADF);
}

// ---- utimensat, futimens ---------------------------------------------------------------------

const fn ts(tv_sec: i64, tv_nsec: i64) -> Timespec {
    Timespec { tv_sec, tv_nsec }
}

fn times(atime: Timespec, mtime: Timespec) -> Timestamps {
    Timestamps {
        last_access: atime,
        last_modification: mtime,
    }
}

/// A `Stat` nanoseconds field (`u64` or, on 32-bit arm, `u32`) as a `Timespec`'s.
fn nsec(field: impl Into<i128>) -> i64 {
    i64::try_from(field.into()).unwrap()
}

fn atime_mtime(st: &Stat) -> (Timespec, Timespec) {
    (
        ts(st.st_atime, nsec(st.st_atime_nsec)),
        ts(st.st_mtime, nsec(st.st_mtime_nsec)),
    )
}

#[test]
fn utimensat_sets_exact_nanoseconds() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    let atime = ts(1_000_000_000, 123_456_789);
    let mtime = ts(1_500_000_000, 987_654_321);
    fs::utimensat(CWD, &file, &times(atime, mtime), AtFlags::empty()).unwrap();
    let st = fs::stat(&file).unwrap();
    assert_eq!(atime_mtime(&st), (atime, mtime));
    assert_same_stat(&st, &libc_stat(&file, true));

    // Relative to a directory fd; UTIME_OMIT leaves a time, UTIME_NOW sets it to now.
    let dirfd = dir.open();
    let later = ts(1_600_000_000, 5);
    let omit = ts(0, fs::UTIME_OMIT);
    fs::utimensat(&dirfd, "f", &times(omit, later), AtFlags::empty()).unwrap();
    assert_eq!(atime_mtime(&fs::stat(&file).unwrap()), (atime, later));
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let now = ts(0, fs::UTIME_NOW);
    fs::utimensat(&dirfd, "f", &times(now, omit), AtFlags::empty()).unwrap();
    let (a, m) = atime_mtime(&fs::stat(&file).unwrap());
    assert!(a.tv_sec >= before - 1 && a.tv_sec <= before + 60, "{a:?}");
    assert_eq!(m, later);

    // SYMLINK_NOFOLLOW sets the link's own times.
    std::os::unix::fs::symlink("f", dir.join("l")).unwrap();
    let link_times = times(ts(1_100_000_000, 1), ts(1_200_000_000, 2));
    fs::utimensat(&dirfd, "l", &link_times, AtFlags::SYMLINK_NOFOLLOW).unwrap();
    let (a, m) = atime_mtime(&fs::lstat(dir.join("l")).unwrap());
    assert_eq!((a, m), (ts(1_100_000_000, 1), ts(1_200_000_000, 2)));
    assert_eq!(atime_mtime(&fs::stat(&file).unwrap()).1, later);
}

#[test]
fn futimens_sets_times_past_2038() {
    let _check = common::FdCheck::new();
    // A memfd (shmem, 64-bit times whatever the temp directory's filesystem).
    let fd = fs::memfd_create("barecall-times", fs::MemfdFlags::CLOEXEC).unwrap();
    let atime = ts(4_102_444_800, 111_111_111); // 2100-01-01
    let mtime = ts((1 << 33) + 7, 999_999_999);
    fs::futimens(&fd, &times(atime, mtime)).unwrap();
    assert_eq!(atime_mtime(&fs::fstat(&fd).unwrap()), (atime, mtime));
    let stx = fs::statx(
        &fd,
        "",
        AtFlags::EMPTY_PATH,
        StatxFlags::ATIME | StatxFlags::MTIME,
    )
    .unwrap();
    assert_eq!(
        (stx.stx_atime.tv_sec, stx.stx_atime.tv_nsec),
        (4_102_444_800, 111_111_111)
    );
    assert_eq!(
        (stx.stx_mtime.tv_sec, stx.stx_mtime.tv_nsec),
        ((1 << 33) + 7, 999_999_999)
    );
    // Before 1970 too.
    let early = ts(-1_000_000, 500);
    fs::futimens(&fd, &times(early, early)).unwrap();
    assert_eq!(atime_mtime(&fs::fstat(&fd).unwrap()), (early, early));

    // And through a path, checked by libc's statx (64-bit times on every target).
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    let far = ts(3_000_000_000, 42);
    fs::utimensat(CWD, &file, &times(far, far), AtFlags::empty()).unwrap();
    let theirs = libc_statx(&file);
    if theirs.stx_mtime.tv_sec == 3_000_000_000 {
        assert_eq!(theirs.stx_mtime.tv_nsec, 42);
        assert_eq!(atime_mtime(&fs::stat(&file).unwrap()), (far, far));
    } else {
        // A filesystem that stores 32-bit times clamps; barecall must report what it stored.
        same!(
            "clamped",
            fs::stat(&file).unwrap().st_mtime,
            theirs.stx_mtime.tv_sec
        );
    }
}

#[test]
fn utimensat_and_futimens_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    let t = times(ts(1, 0), ts(2, 0));
    assert_path_errors(&file, |path| fs::utimensat(CWD, path, &t, AtFlags::empty()));
    assert_eq!(fs::futimens(closed_fd(), &t), Err(Errno::BADF));
    assert_eq!(fs::futimens(CWD, &t), Err(Errno::BADF));
    let filefd = fs::open(&file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    assert_eq!(
        fs::utimensat(&filefd, "x", &t, AtFlags::empty()),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::utimensat(CWD, &file, &t, AtFlags::REMOVEDIR),
        Err(Errno::INVAL)
    );
    // Nanoseconds out of range (and not UTIME_NOW/UTIME_OMIT).
    let bad = times(ts(1, 1_000_000_000), ts(2, 0));
    assert_eq!(fs::futimens(&filefd, &bad), Err(Errno::INVAL));
    assert_eq!(
        fs::utimensat(CWD, &file, &bad, AtFlags::empty()),
        Err(Errno::INVAL)
    );
    let negative = times(ts(1, -1), ts(2, 0));
    assert_eq!(fs::futimens(&filefd, &negative), Err(Errno::INVAL));
}

// ---- chmod, chmodat, fchmod ------------------------------------------------------------------

fn mode_of(path: &Path) -> u32 {
    libc_stat(path, true).st_mode & 0o7777
}

#[test]
fn chmod_family_sets_the_mode() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    fs::chmod(&file, Mode::RUSR | Mode::WUSR | Mode::RGRP).unwrap();
    assert_eq!(mode_of(&file), 0o640);
    assert_eq!(fs::stat(&file).unwrap().st_mode & 0o7777, 0o640);

    let dirfd = dir.open();
    fs::chmodat(&dirfd, "f", Mode::from_raw_mode(0o4755), AtFlags::empty()).unwrap();
    assert_eq!(mode_of(&file), 0o4755);
    // A symlink is followed.
    std::os::unix::fs::symlink("f", dir.join("l")).unwrap();
    fs::chmodat(&dirfd, "l", Mode::RWXU, AtFlags::empty()).unwrap();
    assert_eq!(mode_of(&file), 0o700);

    let fd = fs::open(&file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    fs::fchmod(&fd, Mode::from(0o604)).unwrap();
    assert_eq!(mode_of(&file), 0o604);
    assert_eq!(
        Mode::from_raw_mode(fs::fstat(&fd).unwrap().st_mode),
        Mode::RUSR | Mode::WUSR | Mode::ROTH
    );
    assert_eq!(RawMode::from(Mode::RWXU), 0o700);
    assert_eq!(Mode::RWXG.as_raw_mode(), 0o070);
    // Directories too.
    fs::chmod(&dir.0, Mode::RWXU).unwrap();
    assert_eq!(mode_of(&dir.0), 0o700);
}

#[test]
fn chmod_family_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    assert_path_errors(&file, |path| fs::chmod(path, Mode::RWXU));
    assert_path_errors(&file, |path| {
        fs::chmodat(CWD, path, Mode::RWXU, AtFlags::empty())
    });
    // fchmodat has no flags: rustix's answers, before any call (the path need not exist).
    assert_eq!(
        fs::chmodat(CWD, "/nonexistent", Mode::RWXU, AtFlags::SYMLINK_NOFOLLOW),
        Err(Errno::OPNOTSUPP)
    );
    assert_eq!(
        fs::chmodat(CWD, &file, Mode::RWXU, AtFlags::EMPTY_PATH),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::chmodat(CWD, &file, Mode::RWXU, AtFlags::from_bits_retain(0x1)),
        Err(Errno::INVAL)
    );
    let before = mode_of(&file);
    let filefd = fs::open(&file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    assert_eq!(
        fs::chmodat(&filefd, "x", Mode::RWXU, AtFlags::empty()),
        Err(Errno::NOTDIR)
    );
    assert_eq!(fs::fchmod(closed_fd(), Mode::RWXU), Err(Errno::BADF));
    // An O_PATH fd refers to a file without opening it: fchmod says EBADF.
    let opath = fs::open(&file, OFlags::PATH | OFlags::CLOEXEC, Mode::empty()).unwrap();
    assert_eq!(fs::fchmod(&opath, Mode::RWXU), Err(Errno::BADF));
    assert_eq!(mode_of(&file), before, "no failed call changed the mode");
}

// ---- chown, chownat, fchown ------------------------------------------------------------------

fn owner_of(path: &Path, follow: bool) -> (u32, u32) {
    let st = libc_stat(path, follow);
    (st.st_uid, st.st_gid)
}

#[test]
fn chown_family_to_own_ids_and_unchanged() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    let (uid, gid) = (unsafe { libc::geteuid() }, unsafe { libc::getegid() });
    let (me, my_group) = (Uid::from_raw(uid), Gid::from_raw(gid));
    let fd = fs::open(&file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    fs::fchown(&fd, Some(me), Some(my_group)).unwrap();
    fs::fchown(&fd, None, None).unwrap();
    fs::fchown(&fd, Some(me), None).unwrap();
    fs::chown(&file, None, Some(my_group)).unwrap();
    let dirfd = dir.open();
    fs::chownat(&dirfd, "f", Some(me), Some(my_group), AtFlags::empty()).unwrap();
    assert_eq!(owner_of(&file, true), (uid, gid));
    let st = fs::fstat(&fd).unwrap();
    assert_eq!((st.st_uid, st.st_gid), (uid, gid));

    if uid == 0 {
        // Root can give files away: the IDs must arrive whole (arm's fchown32, not 16 bits).
        let (other_uid, other_gid) = (100_000 + 7, 200_000 + 9);
        fs::fchown(&fd, Some(Uid::from_raw(other_uid)), None).unwrap();
        assert_eq!(owner_of(&file, true), (other_uid, gid));
        fs::fchown(&fd, None, Some(Gid::from_raw(other_gid))).unwrap();
        assert_eq!(owner_of(&file, true), (other_uid, other_gid));
        fs::chown(&file, Some(me), None).unwrap();
        assert_eq!(owner_of(&file, true), (uid, other_gid));
        // NOFOLLOW changes the link itself.
        std::os::unix::fs::symlink("f", dir.join("l")).unwrap();
        let link_owner = Some(Uid::from_raw(other_uid));
        fs::chownat(&dirfd, "l", link_owner, None, AtFlags::SYMLINK_NOFOLLOW).unwrap();
        assert_eq!(owner_of(&dir.join("l"), false).0, other_uid);
        assert_eq!(owner_of(&file, true), (uid, other_gid));
        // EMPTY_PATH: the dirfd's own file.
        fs::chownat(&fd, "", None, Some(my_group), AtFlags::EMPTY_PATH).unwrap();
        assert_eq!(owner_of(&file, true), (uid, gid));
    } else {
        assert_eq!(fs::fchown(&fd, Some(Uid::ROOT), None), Err(Errno::PERM));
        assert_eq!(fs::chown(&file, Some(Uid::ROOT), None), Err(Errno::PERM));
    }
}

#[test]
fn chown_family_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = dir.file("f", b"x");
    assert_path_errors(&file, |path| fs::chown(path, None, None));
    assert_path_errors(&file, |path| {
        fs::chownat(CWD, path, None, None, AtFlags::empty())
    });
    assert_eq!(fs::fchown(closed_fd(), None, None), Err(Errno::BADF));
    let filefd = fs::open(&file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    assert_eq!(
        fs::chownat(&filefd, "x", None, None, AtFlags::empty()),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::chownat(CWD, &file, None, None, AtFlags::REMOVEDIR),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::chownat(CWD, &file, None, None, AtFlags::from_bits_retain(0x1)),
        Err(Errno::INVAL)
    );
}

// ---- FileType, Mode, makedev -----------------------------------------------------------------

#[test]
fn file_types_and_modes_convert_as_rustix() {
    let types = [
        (FileType::RegularFile, libc::S_IFREG),
        (FileType::Directory, libc::S_IFDIR),
        (FileType::Symlink, libc::S_IFLNK),
        (FileType::Fifo, libc::S_IFIFO),
        (FileType::Socket, libc::S_IFSOCK),
        (FileType::CharacterDevice, libc::S_IFCHR),
        (FileType::BlockDevice, libc::S_IFBLK),
    ];
    for (file_type, raw) in types {
        assert_eq!(file_type.as_raw_mode(), raw);
        assert_eq!(FileType::from_raw_mode(raw | 0o4755), file_type);
    }
    assert_eq!(FileType::from_raw_mode(0o644), FileType::Unknown);
    assert_eq!(FileType::Unknown.as_raw_mode(), libc::S_IFMT);
    assert!(FileType::Socket.is_socket() && !FileType::Socket.is_file());
    assert!(FileType::BlockDevice.is_block_device());
    assert_eq!(Mode::from_raw_mode(libc::S_IFREG | 0o7777).bits(), 0o7777);
    assert_eq!(Mode::from(0o100_644), Mode::from_bits_retain(0o644));
    for (maj, min) in [(8u32, 1u32), (259, 3), (4095, 1 << 20)] {
        assert_eq!(fs::makedev(maj, min), libc::makedev(maj, min));
        let dev = libc::makedev(maj, min);
        assert_eq!(
            (fs::major(dev), fs::minor(dev)),
            (libc::major(dev), libc::minor(dev))
        );
    }
}
