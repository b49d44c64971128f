//! Directories and names: mkdir, unlink, rmdir, rename, symlink, readlink, link, access,
//! and reading directories with `Dir` and `RawDir`, each checked against libc.

mod common;

use barecall::fs::{self, Access, AtFlags, Dir, FileType, Mode, OFlags, RawDir, RenameFlags, CWD};
use barecall::io::Errno;
use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

// ---- helpers -------------------------------------------------------------------------------

/// A fresh directory in the temp directory, with an fd on it; removed, tree and all, when
/// dropped.
struct TempDir {
    path: PathBuf,
    fd: OwnedFd,
}

impl TempDir {
    fn new() -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "barecall-fsdir-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path).expect("create temp dir");
        let fd = std::fs::File::open(&path).expect("open temp dir").into();
        Self { path, fd }
    }

    fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// `name` inside the directory, as a C string.
    fn c(&self, name: &str) -> CString {
        c_path(&self.join(name))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).unwrap()
}

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

fn last_errno() -> Errno {
    Errno::from_raw_os_error(std::io::Error::last_os_error().raw_os_error().unwrap())
}

/// A libc result as barecall's: `0` is `Ok`, `-1` the thread's errno.
fn libc_result(ret: i32) -> Result<(), Errno> {
    if ret == 0 {
        Ok(())
    } else {
        assert_eq!(ret, -1);
        Err(last_errno())
    }
}

/// `lstat64` through libc (64-bit inode numbers on 32-bit targets too).
fn lstat(path: &Path) -> Result<libc::stat64, Errno> {
    let path = c_path(path);
    let mut st = MaybeUninit::<libc::stat64>::uninit();
    libc_result(unsafe { libc::lstat64(path.as_ptr(), st.as_mut_ptr()) })?;
    Ok(unsafe { st.assume_init() })
}

fn exists(path: &Path) -> bool {
    match lstat(path) {
        Ok(_) => true,
        Err(Errno::NOENT) => false,
        Err(err) => panic!("lstat {}: {err:?}", path.display()),
    }
}

fn file_type_of(st: &libc::stat64) -> FileType {
    FileType::from_raw_mode(st.st_mode)
}

fn write_file(path: &Path, contents: &[u8]) {
    std::fs::write(path, contents).unwrap();
}

fn read_file(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// The process's umask, read by setting it and putting it back (the tests of this binary
/// run one at a time, under `FdCheck`).
fn umask() -> u32 {
    let mask = unsafe { libc::umask(0o022) };
    unsafe { libc::umask(mask) };
    mask as u32
}

/// An fd number that is not open.
fn closed_fd() -> BorrowedFd<'static> {
    assert!(!common::is_open(900));
    unsafe { BorrowedFd::borrow_raw(900) }
}

/// A path of `PATH_MAX` bytes: refused before any call.
fn too_long() -> Vec<u8> {
    vec![b'a'; libc::PATH_MAX as usize]
}

/// A regular file to use as a "directory" fd.
fn regular_file(dir: &TempDir) -> std::fs::File {
    let path = dir.join("regular-file");
    std::fs::File::create(&path).unwrap()
}

// ---- mkdir ---------------------------------------------------------------------------------

#[test]
fn mkdir_creates_with_mode_less_umask() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let old = unsafe { libc::umask(0o027) };
    for (name, mode) in [
        ("a", 0o777),
        ("b", 0o700),
        ("c", 0o1777),
        ("d", 0o555),
        ("e", 0),
    ] {
        fs::mkdirat(&dir.fd, name, Mode::from_bits_retain(mode)).unwrap();
        let st = lstat(&dir.join(name)).unwrap();
        assert_eq!(file_type_of(&st), FileType::Directory);
        assert_eq!(st.st_mode & 0o7777, mode & !0o027, "{name}");
    }
    // `mkdir` is relative to the current directory: an absolute path here.
    fs::mkdir(dir.join("f").as_path(), Mode::RWXU | Mode::RGRP).unwrap();
    assert_eq!(lstat(&dir.join("f")).unwrap().st_mode & 0o7777, 0o740);
    unsafe { libc::umask(old) };
    assert_eq!(umask(), old as u32);

    // An absolute path ignores the dirfd, even a closed one.
    fs::mkdirat(closed_fd(), dir.c("g").as_c_str(), Mode::RWXU).unwrap();
    assert!(exists(&dir.join("g")));
}

#[test]
fn mkdir_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = regular_file(&dir);
    fs::mkdirat(&dir.fd, "x", Mode::RWXU).unwrap();
    assert_eq!(fs::mkdirat(&dir.fd, "x", Mode::RWXU), Err(Errno::EXIST));
    assert_eq!(
        fs::mkdirat(&dir.fd, "regular-file", Mode::RWXU),
        Err(Errno::EXIST)
    );
    assert_eq!(
        fs::mkdirat(&dir.fd, "no/such", Mode::RWXU),
        Err(Errno::NOENT)
    );
    assert_eq!(
        fs::mkdirat(&dir.fd, "regular-file/sub", Mode::RWXU),
        Err(Errno::NOTDIR)
    );
    assert_eq!(fs::mkdirat(&file, "sub", Mode::RWXU), Err(Errno::NOTDIR));
    assert_eq!(
        fs::mkdirat(closed_fd(), "sub", Mode::RWXU),
        Err(Errno::BADF)
    );
    assert_eq!(fs::mkdirat(&dir.fd, "a\0b", Mode::RWXU), Err(Errno::INVAL));
    assert_eq!(
        fs::mkdirat(&dir.fd, &too_long()[..], Mode::RWXU),
        Err(Errno::NAMETOOLONG)
    );
    assert_eq!(fs::mkdir("a\0b", Mode::RWXU), Err(Errno::INVAL));
    assert_eq!(
        fs::mkdir(&too_long()[..], Mode::RWXU),
        Err(Errno::NAMETOOLONG)
    );
    // A component of more than 255 bytes: the kernel's NAMETOOLONG.
    let long_name = "n".repeat(256);
    assert_eq!(
        fs::mkdirat(&dir.fd, long_name.as_str(), Mode::RWXU),
        Err(Errno::NAMETOOLONG)
    );
    assert!(!exists(&dir.join("a")));
}

// ---- unlink and rmdir ----------------------------------------------------------------------

#[test]
fn unlink_and_rmdir_remove() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    write_file(&dir.join("f"), b"x");
    fs::unlinkat(&dir.fd, "f", AtFlags::empty()).unwrap();
    assert!(!exists(&dir.join("f")));

    std::fs::create_dir(dir.join("d")).unwrap();
    fs::unlinkat(&dir.fd, "d", AtFlags::REMOVEDIR).unwrap();
    assert!(!exists(&dir.join("d")));

    write_file(&dir.join("g"), b"x");
    fs::unlink(dir.join("g").as_path()).unwrap();
    assert!(!exists(&dir.join("g")));

    std::fs::create_dir(dir.join("e")).unwrap();
    fs::rmdir(dir.c("e").as_c_str()).unwrap();
    assert!(!exists(&dir.join("e")));

    // Unlinking a symlink removes the link, not its target.
    write_file(&dir.join("target"), b"kept");
    std::os::unix::fs::symlink("target", dir.join("link")).unwrap();
    fs::unlinkat(&dir.fd, "link", AtFlags::empty()).unwrap();
    assert!(!exists(&dir.join("link")));
    assert_eq!(read_file(&dir.join("target")), b"kept");

    // The other names of a file keep it.
    std::fs::hard_link(dir.join("target"), dir.join("other")).unwrap();
    fs::unlink(dir.join("target").as_path()).unwrap();
    assert_eq!(read_file(&dir.join("other")), b"kept");
}

#[test]
fn unlink_and_rmdir_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = regular_file(&dir);
    std::fs::create_dir(dir.join("d")).unwrap();
    std::fs::create_dir(dir.join("full")).unwrap();
    write_file(&dir.join("full/f"), b"");

    assert_eq!(
        fs::unlinkat(&dir.fd, "d", AtFlags::empty()),
        Err(Errno::ISDIR)
    );
    assert_eq!(fs::unlink(dir.join("d").as_path()), Err(Errno::ISDIR));
    assert_eq!(
        fs::unlinkat(&dir.fd, "regular-file", AtFlags::REMOVEDIR),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::rmdir(dir.join("regular-file").as_path()),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::unlinkat(&dir.fd, "full", AtFlags::REMOVEDIR),
        Err(Errno::NOTEMPTY)
    );
    assert_eq!(fs::rmdir(dir.join("full").as_path()), Err(Errno::NOTEMPTY));
    assert_eq!(
        fs::unlinkat(&dir.fd, ".", AtFlags::REMOVEDIR),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::unlinkat(&dir.fd, "none", AtFlags::empty()),
        Err(Errno::NOENT)
    );
    assert_eq!(
        fs::unlinkat(&dir.fd, "none", AtFlags::REMOVEDIR),
        Err(Errno::NOENT)
    );
    assert_eq!(fs::unlink(dir.join("none").as_path()), Err(Errno::NOENT));
    assert_eq!(fs::rmdir(dir.join("none").as_path()), Err(Errno::NOENT));
    assert_eq!(
        fs::unlinkat(&dir.fd, "regular-file/x", AtFlags::empty()),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::unlinkat(&file, "x", AtFlags::empty()),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::unlinkat(closed_fd(), "x", AtFlags::empty()),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::unlinkat(&dir.fd, "d\0", AtFlags::REMOVEDIR),
        Err(Errno::INVAL)
    );
    assert_eq!(fs::unlink("a\0b"), Err(Errno::INVAL));
    assert_eq!(fs::rmdir("a\0b"), Err(Errno::INVAL));
    assert_eq!(fs::unlink(&too_long()[..]), Err(Errno::NAMETOOLONG));
    assert_eq!(fs::rmdir(&too_long()[..]), Err(Errno::NAMETOOLONG));
    assert_eq!(
        fs::unlinkat(&dir.fd, &too_long()[..], AtFlags::empty()),
        Err(Errno::NAMETOOLONG)
    );
    // unlinkat takes REMOVEDIR and nothing else.
    for flags in [
        AtFlags::SYMLINK_NOFOLLOW,
        AtFlags::EMPTY_PATH,
        AtFlags::from_bits_retain(1 << 30),
    ] {
        assert_eq!(
            fs::unlinkat(&dir.fd, "regular-file", flags),
            Err(Errno::INVAL)
        );
    }
    // Nothing was removed.
    assert!(exists(&dir.join("d")) && exists(&dir.join("full/f")));
    assert!(exists(&dir.join("regular-file")));
}

// ---- rename --------------------------------------------------------------------------------

#[test]
fn rename_moves_contents() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let other = TempDir::new();
    write_file(&dir.join("a"), b"contents of a");
    fs::renameat(&dir.fd, "a", &other.fd, "b").unwrap();
    assert!(!exists(&dir.join("a")));
    assert_eq!(read_file(&other.join("b")), b"contents of a");

    // Over an existing file: replaced.
    write_file(&dir.join("c"), b"new");
    fs::rename(dir.join("c").as_path(), other.join("b").as_path()).unwrap();
    assert_eq!(read_file(&other.join("b")), b"new");
    assert!(!exists(&dir.join("c")));

    // A directory, over an empty directory.
    std::fs::create_dir(dir.join("d")).unwrap();
    write_file(&dir.join("d/inside"), b"in d");
    std::fs::create_dir(dir.join("empty")).unwrap();
    fs::renameat(&dir.fd, "d", &dir.fd, "empty").unwrap();
    assert_eq!(read_file(&dir.join("empty/inside")), b"in d");

    // To itself: nothing happens.
    fs::renameat(&dir.fd, "empty", &dir.fd, "empty").unwrap();
    assert!(exists(&dir.join("empty/inside")));

    // NOREPLACE to a free name moves.
    fs::renameat_with(&other.fd, "b", &dir.fd, "free", RenameFlags::NOREPLACE).unwrap();
    assert_eq!(read_file(&dir.join("free")), b"new");
    // And empty flags are renameat.
    fs::renameat_with(&dir.fd, "free", &dir.fd, "free2", RenameFlags::empty()).unwrap();
    assert_eq!(read_file(&dir.join("free2")), b"new");
}

#[test]
fn rename_noreplace_and_exchange() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    write_file(&dir.join("x"), b"xx");
    write_file(&dir.join("y"), b"yyy");
    std::fs::create_dir(dir.join("d")).unwrap();

    assert_eq!(
        fs::renameat_with(&dir.fd, "x", &dir.fd, "y", RenameFlags::NOREPLACE),
        Err(Errno::EXIST)
    );
    assert_eq!(read_file(&dir.join("x")), b"xx");
    assert_eq!(read_file(&dir.join("y")), b"yyy");

    fs::renameat_with(&dir.fd, "x", &dir.fd, "y", RenameFlags::EXCHANGE).unwrap();
    assert_eq!(read_file(&dir.join("x")), b"yyy");
    assert_eq!(read_file(&dir.join("y")), b"xx");

    // A file and a directory swap too.
    fs::renameat_with(&dir.fd, "x", &dir.fd, "d", RenameFlags::EXCHANGE).unwrap();
    assert_eq!(read_file(&dir.join("d")), b"yyy");
    assert_eq!(
        file_type_of(&lstat(&dir.join("x")).unwrap()),
        FileType::Directory
    );

    // EXCHANGE needs both names.
    assert_eq!(
        fs::renameat_with(&dir.fd, "y", &dir.fd, "none", RenameFlags::EXCHANGE),
        Err(Errno::NOENT)
    );
    // Both at once, or unknown bits: EINVAL.
    for flags in [
        RenameFlags::EXCHANGE | RenameFlags::NOREPLACE,
        RenameFlags::from_bits_retain(1 << 10),
        RenameFlags::from_bits_retain(1 << 31),
    ] {
        assert_eq!(
            fs::renameat_with(&dir.fd, "y", &dir.fd, "z", flags),
            Err(Errno::INVAL),
            "{flags:?}"
        );
    }
    assert!(!exists(&dir.join("z")));

    // WHITEOUT: the kernel's answer depends on the filesystem and privileges; if it works,
    // a whiteout (a 0:0 character device) is left at the old name.
    match fs::renameat_with(&dir.fd, "y", &dir.fd, "w", RenameFlags::WHITEOUT) {
        Ok(()) => {
            let st = lstat(&dir.join("y")).unwrap();
            assert_eq!(file_type_of(&st), FileType::CharacterDevice);
            assert_eq!(st.st_rdev, 0);
            assert_eq!(read_file(&dir.join("w")), b"xx");
        }
        Err(err) => assert!(matches!(err, Errno::INVAL | Errno::PERM), "{err:?}"),
    }
}

#[test]
fn rename_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = regular_file(&dir);
    write_file(&dir.join("f"), b"f");
    std::fs::create_dir(dir.join("d")).unwrap();
    std::fs::create_dir(dir.join("full")).unwrap();
    write_file(&dir.join("full/inside"), b"");

    assert_eq!(
        fs::renameat(&dir.fd, "none", &dir.fd, "x"),
        Err(Errno::NOENT)
    );
    assert_eq!(
        fs::renameat(&dir.fd, "f", &dir.fd, "no/x"),
        Err(Errno::NOENT)
    );
    assert_eq!(fs::renameat(&dir.fd, "f", &dir.fd, "d"), Err(Errno::ISDIR));
    assert_eq!(fs::renameat(&dir.fd, "d", &dir.fd, "f"), Err(Errno::NOTDIR));
    let not_empty = fs::renameat(&dir.fd, "d", &dir.fd, "full");
    assert!(
        matches!(not_empty, Err(Errno::NOTEMPTY | Errno::EXIST)),
        "{not_empty:?}"
    );
    // A directory into itself.
    assert_eq!(
        fs::renameat(&dir.fd, "d", &dir.fd, "d/sub"),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::renameat(&dir.fd, "f/x", &dir.fd, "y"),
        Err(Errno::NOTDIR)
    );
    assert_eq!(fs::renameat(&file, "f", &dir.fd, "y"), Err(Errno::NOTDIR));
    assert_eq!(fs::renameat(&dir.fd, "f", &file, "y"), Err(Errno::NOTDIR));
    assert_eq!(
        fs::renameat(closed_fd(), "f", &dir.fd, "y"),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::renameat(&dir.fd, "f", closed_fd(), "y"),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::renameat(&dir.fd, "f\0", &dir.fd, "y"),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::renameat(&dir.fd, "f", &dir.fd, "y\0z"),
        Err(Errno::INVAL)
    );
    assert_eq!(fs::rename("a\0", "b"), Err(Errno::INVAL));
    assert_eq!(fs::rename("a", "b\0"), Err(Errno::INVAL));
    assert_eq!(
        fs::renameat(&dir.fd, &too_long()[..], &dir.fd, "y"),
        Err(Errno::NAMETOOLONG)
    );
    assert_eq!(
        fs::renameat(&dir.fd, "f", &dir.fd, &too_long()[..]),
        Err(Errno::NAMETOOLONG)
    );
    assert_eq!(fs::rename(&too_long()[..], "b"), Err(Errno::NAMETOOLONG));
    assert_eq!(
        fs::renameat_with(
            &dir.fd,
            "f",
            &dir.fd,
            &too_long()[..],
            RenameFlags::NOREPLACE
        ),
        Err(Errno::NAMETOOLONG)
    );
    assert_eq!(
        fs::renameat_with(closed_fd(), "f", &dir.fd, "y", RenameFlags::NOREPLACE),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::rename(dir.join("none").as_path(), dir.join("y").as_path()),
        Err(Errno::NOENT)
    );
    // Nothing moved.
    assert_eq!(read_file(&dir.join("f")), b"f");
    assert!(exists(&dir.join("d")) && !exists(&dir.join("y")));
}

// ---- symlink and readlink ------------------------------------------------------------------

/// The contents of symlink `path`, read through libc.
fn libc_readlink(path: &Path) -> Vec<u8> {
    let path = c_path(path);
    let mut buf = vec![0u8; 8192];
    let n = unsafe { libc::readlink(path.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    assert!(n >= 0, "{:?}", last_errno());
    buf.truncate(n as usize);
    buf
}

#[test]
fn symlink_targets_read_back_at_every_length() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    // Targets need not exist; every length up to PATH_MAX - 1, across the first buffer size.
    let lengths = [
        1, 2, 100, 254, 255, 256, 257, 300, 511, 512, 513, 1000, 2049, 4000, 4095,
    ];
    for (i, &len) in lengths.iter().enumerate() {
        let target: Vec<u8> = (0..len).map(|j| b"abc/def\xff."[(i + j) % 9]).collect();
        let name = format!("link{i}");
        fs::symlinkat(&target[..], &dir.fd, name.as_str()).unwrap();
        let st = lstat(&dir.join(&name)).unwrap();
        assert_eq!(file_type_of(&st), FileType::Symlink);
        assert_eq!(st.st_size as usize, len);
        assert_eq!(libc_readlink(&dir.join(&name)), target);

        // Through barecall, with reuse buffers of every sort.
        for reuse in [
            Vec::new(),
            Vec::with_capacity(10),
            vec![7u8; 300],
            Vec::with_capacity(len),
            Vec::with_capacity(len + 1),
            Vec::with_capacity(8192),
        ] {
            let got = fs::readlinkat(&dir.fd, name.as_str(), reuse).unwrap();
            assert_eq!(got.as_bytes(), &target[..], "length {len}");
        }
        let got = fs::readlink(dir.join(&name).as_path(), Vec::new()).unwrap();
        assert_eq!(got.as_bytes(), &target[..]);

        // The raw form cuts short what does not fit, and fills exactly what does.
        let mut small = [0u8; 100];
        let n = fs::readlinkat_raw(&dir.fd, name.as_str(), &mut small).unwrap();
        assert_eq!(n, len.min(100));
        assert_eq!(&small[..n], &target[..n]);
        let mut big = [MaybeUninit::<u8>::uninit(); 4096];
        let (filled, rest) = fs::readlinkat_raw(&dir.fd, name.as_str(), &mut big).unwrap();
        assert_eq!(filled, &target[..]);
        assert_eq!(rest.len(), 4096 - len);
    }

    // `symlink` is relative to the current directory.
    fs::symlink("some target", dir.join("abs").as_path()).unwrap();
    assert_eq!(libc_readlink(&dir.join("abs")), b"some target");
    // A link through a link.
    fs::symlinkat("abs", &dir.fd, "chain").unwrap();
    assert_eq!(
        fs::readlinkat(&dir.fd, "chain", Vec::new())
            .unwrap()
            .as_bytes(),
        b"abs"
    );
}

#[test]
fn symlink_and_readlink_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = regular_file(&dir);
    fs::symlinkat("t", &dir.fd, "link").unwrap();

    assert_eq!(fs::symlinkat("t", &dir.fd, "link"), Err(Errno::EXIST));
    assert_eq!(
        fs::symlinkat("t", &dir.fd, "regular-file"),
        Err(Errno::EXIST)
    );
    assert_eq!(fs::symlinkat("", &dir.fd, "empty"), Err(Errno::NOENT));
    assert_eq!(fs::symlinkat("t", &dir.fd, "no/x"), Err(Errno::NOENT));
    assert_eq!(
        fs::symlinkat("t", &dir.fd, "regular-file/x"),
        Err(Errno::NOTDIR)
    );
    assert_eq!(fs::symlinkat("t", &file, "x"), Err(Errno::NOTDIR));
    assert_eq!(fs::symlinkat("t", closed_fd(), "x"), Err(Errno::BADF));
    assert_eq!(fs::symlinkat("t\0", &dir.fd, "x"), Err(Errno::INVAL));
    assert_eq!(fs::symlinkat("t", &dir.fd, "x\0"), Err(Errno::INVAL));
    assert_eq!(
        fs::symlinkat(&too_long()[..], &dir.fd, "x"),
        Err(Errno::NAMETOOLONG)
    );
    assert_eq!(
        fs::symlinkat("t", &dir.fd, &too_long()[..]),
        Err(Errno::NAMETOOLONG)
    );
    assert_eq!(fs::symlink("t\0", "x"), Err(Errno::INVAL));
    assert_eq!(fs::symlink("t", &too_long()[..]), Err(Errno::NAMETOOLONG));
    assert!(!exists(&dir.join("x")));

    // Not a symlink: EINVAL.
    assert_eq!(
        fs::readlinkat(&dir.fd, "regular-file", Vec::new()),
        Err(Errno::INVAL)
    );
    assert_eq!(fs::readlinkat(&dir.fd, ".", Vec::new()), Err(Errno::INVAL));
    let mut buf = [0u8; 16];
    assert_eq!(
        fs::readlinkat_raw(&dir.fd, "regular-file", &mut buf),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::readlinkat(&dir.fd, "none", Vec::new()),
        Err(Errno::NOENT)
    );
    assert_eq!(
        fs::readlink(dir.join("none").as_path(), Vec::new()),
        Err(Errno::NOENT)
    );
    assert_eq!(
        fs::readlinkat(&dir.fd, "regular-file/x", Vec::new()),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::readlinkat(&file, "link", Vec::new()),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::readlinkat(closed_fd(), "link", Vec::new()),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::readlinkat_raw(closed_fd(), "link", &mut buf),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::readlinkat(&dir.fd, "link\0", Vec::new()),
        Err(Errno::INVAL)
    );
    assert_eq!(fs::readlink("a\0", Vec::new()), Err(Errno::INVAL));
    assert_eq!(
        fs::readlinkat(&dir.fd, &too_long()[..], Vec::new()),
        Err(Errno::NAMETOOLONG)
    );
    assert_eq!(
        fs::readlink(&too_long()[..], Vec::new()),
        Err(Errno::NAMETOOLONG)
    );
    // An empty buffer: the kernel's EINVAL (its size must be positive).
    let empty: &mut [u8] = &mut [];
    assert_eq!(
        fs::readlinkat_raw(&dir.fd, "link", empty),
        Err(Errno::INVAL)
    );
}

// ---- link ----------------------------------------------------------------------------------

#[test]
fn link_makes_a_second_name() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let other = TempDir::new();
    write_file(&dir.join("f"), b"shared");
    fs::linkat(&dir.fd, "f", &other.fd, "g", AtFlags::empty()).unwrap();
    let (f, g) = (
        lstat(&dir.join("f")).unwrap(),
        lstat(&other.join("g")).unwrap(),
    );
    assert_eq!(f.st_ino, g.st_ino);
    assert_eq!(f.st_nlink, 2);
    write_file(&other.join("g"), b"changed");
    assert_eq!(read_file(&dir.join("f")), b"changed");

    fs::link(dir.join("f").as_path(), dir.join("h").as_path()).unwrap();
    assert_eq!(lstat(&dir.join("f")).unwrap().st_nlink, 3);

    // A symlink is linked itself, unless SYMLINK_FOLLOW.
    std::os::unix::fs::symlink("f", dir.join("sym")).unwrap();
    let sym = lstat(&dir.join("sym")).unwrap();
    fs::linkat(&dir.fd, "sym", &dir.fd, "sym2", AtFlags::empty()).unwrap();
    let sym2 = lstat(&dir.join("sym2")).unwrap();
    assert_eq!(file_type_of(&sym2), FileType::Symlink);
    assert_eq!(sym2.st_ino, sym.st_ino);
    fs::link(dir.join("sym").as_path(), dir.join("sym3").as_path()).unwrap();
    assert_eq!(lstat(&dir.join("sym3")).unwrap().st_ino, sym.st_ino);
    fs::linkat(&dir.fd, "sym", &dir.fd, "followed", AtFlags::SYMLINK_FOLLOW).unwrap();
    let followed = lstat(&dir.join("followed")).unwrap();
    assert_eq!(file_type_of(&followed), FileType::RegularFile);
    assert_eq!(followed.st_ino, f.st_ino);
    assert_eq!(followed.st_nlink, 4);
}

#[test]
fn link_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = regular_file(&dir);
    write_file(&dir.join("f"), b"");
    std::fs::create_dir(dir.join("d")).unwrap();

    let none = AtFlags::empty();
    assert_eq!(
        fs::linkat(&dir.fd, "f", &dir.fd, "d", none),
        Err(Errno::EXIST)
    );
    assert_eq!(
        fs::linkat(&dir.fd, "f", &dir.fd, "regular-file", none),
        Err(Errno::EXIST)
    );
    // Directories cannot be hard-linked.
    assert_eq!(
        fs::linkat(&dir.fd, "d", &dir.fd, "d2", none),
        Err(Errno::PERM)
    );
    assert_eq!(
        fs::linkat(&dir.fd, "none", &dir.fd, "x", none),
        Err(Errno::NOENT)
    );
    assert_eq!(
        fs::linkat(&dir.fd, "f", &dir.fd, "no/x", none),
        Err(Errno::NOENT)
    );
    assert_eq!(
        fs::linkat(&dir.fd, "f/x", &dir.fd, "x", none),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::linkat(&file, "f", &dir.fd, "x", none),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::linkat(&dir.fd, "f", &file, "x", none),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::linkat(closed_fd(), "f", &dir.fd, "x", none),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::linkat(&dir.fd, "f", closed_fd(), "x", none),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::linkat(&dir.fd, "f\0", &dir.fd, "x", none),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::linkat(&dir.fd, "f", &dir.fd, "x\0", none),
        Err(Errno::INVAL)
    );
    assert_eq!(fs::link("f\0", "x"), Err(Errno::INVAL));
    assert_eq!(
        fs::linkat(&dir.fd, &too_long()[..], &dir.fd, "x", none),
        Err(Errno::NAMETOOLONG)
    );
    assert_eq!(
        fs::linkat(&dir.fd, "f", &dir.fd, &too_long()[..], none),
        Err(Errno::NAMETOOLONG)
    );
    assert_eq!(fs::link("f", &too_long()[..]), Err(Errno::NAMETOOLONG));
    // linkat takes SYMLINK_FOLLOW and EMPTY_PATH only.
    for flags in [
        AtFlags::REMOVEDIR,
        AtFlags::SYMLINK_NOFOLLOW,
        AtFlags::from_bits_retain(1 << 30),
    ] {
        assert_eq!(
            fs::linkat(&dir.fd, "f", &dir.fd, "x", flags),
            Err(Errno::INVAL),
            "{flags:?}"
        );
    }
    assert!(!exists(&dir.join("x")));
    assert_eq!(lstat(&dir.join("f")).unwrap().st_nlink, 1);
}

// ---- access --------------------------------------------------------------------------------

/// `faccessat` through libc (glibc uses `faccessat2` for flags).
fn libc_accessat(dir: &TempDir, name: &str, mode: i32, flags: i32) -> Result<(), Errno> {
    let name = c(name);
    libc_result(unsafe { libc::faccessat(dir.fd.as_raw_fd(), name.as_ptr(), mode, flags) })
}

/// Whether `faccessat2` is there: absent only under old qemu-user (or a seccomp filter).
fn have_faccessat2(dir: &TempDir) -> bool {
    let name = c(".");
    let ret = unsafe {
        libc::syscall(
            libc::SYS_faccessat2,
            dir.fd.as_raw_fd(),
            name.as_ptr(),
            libc::F_OK,
            libc::AT_EACCESS,
        )
    };
    ret == 0 || last_errno() != Errno::NOSYS
}

#[test]
fn access_agrees_with_libc_for_every_mode() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let modes = [
        0o000, 0o001, 0o010, 0o100, 0o111, 0o222, 0o444, 0o555, 0o600, 0o644, 0o700, 0o755, 0o777,
    ];
    let accesses = [
        (Access::EXISTS, libc::F_OK),
        (Access::READ_OK, libc::R_OK),
        (Access::WRITE_OK, libc::W_OK),
        (Access::EXEC_OK, libc::X_OK),
        (Access::READ_OK | Access::WRITE_OK, libc::R_OK | libc::W_OK),
        (Access::READ_OK | Access::EXEC_OK, libc::R_OK | libc::X_OK),
        (
            Access::READ_OK | Access::WRITE_OK | Access::EXEC_OK,
            libc::R_OK | libc::W_OK | libc::X_OK,
        ),
    ];
    let with_flags = have_faccessat2(&dir);
    if !with_flags {
        // Every kernel of the real-kernel tier (6.1 and later) has it: only qemu-user may not.
        assert!(common::under_qemu_user(), "faccessat2 is missing");
        common::skip("accessat_with_flags", "faccessat2 is missing (qemu-user)");
    }
    for mode in modes {
        for kind in ["file", "dir"] {
            let name = format!("{kind}-{mode:o}");
            let path = dir.join(&name);
            if kind == "file" {
                write_file(&path, b"");
            } else {
                std::fs::create_dir(&path).unwrap();
            }
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(mode))
                .unwrap();
            for (access, raw) in accesses {
                let cpath = c_path(&path);
                let expected = libc_result(unsafe { libc::access(cpath.as_ptr(), raw) });
                assert_eq!(
                    fs::access(path.as_path(), access),
                    expected,
                    "{name} {access:?}"
                );
                assert_eq!(
                    fs::accessat(&dir.fd, name.as_str(), access, AtFlags::empty()),
                    expected,
                    "{name} {access:?}"
                );
                if with_flags {
                    for flags in [AtFlags::EACCESS, AtFlags::SYMLINK_NOFOLLOW] {
                        assert_eq!(
                            fs::accessat(&dir.fd, name.as_str(), access, flags),
                            libc_accessat(&dir, &name, raw, flags.bits() as i32),
                            "{name} {access:?} {flags:?}"
                        );
                    }
                }
            }
        }
    }
    // For root, every mode may be read and written, and a file with some x bit executed.
    if unsafe { libc::geteuid() } == 0 {
        assert_eq!(
            fs::accessat(
                &dir.fd,
                "file-0",
                Access::READ_OK | Access::WRITE_OK,
                AtFlags::empty()
            ),
            Ok(())
        );
        assert_eq!(
            fs::accessat(&dir.fd, "file-0", Access::EXEC_OK, AtFlags::empty()),
            Err(Errno::ACCESS)
        );
        assert_eq!(
            fs::accessat(&dir.fd, "file-10", Access::EXEC_OK, AtFlags::empty()),
            Ok(())
        );
    }
}

#[test]
fn access_symlinks_and_errors() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let file = regular_file(&dir);
    std::os::unix::fs::symlink("none", dir.join("dangling")).unwrap();
    let none = AtFlags::empty();

    // A dangling symlink: missing when followed, there when not.
    assert_eq!(
        fs::accessat(&dir.fd, "dangling", Access::EXISTS, none),
        Err(Errno::NOENT)
    );
    assert_eq!(
        fs::access(dir.join("dangling").as_path(), Access::EXISTS),
        Err(Errno::NOENT)
    );
    if have_faccessat2(&dir) {
        assert_eq!(
            fs::accessat(
                &dir.fd,
                "dangling",
                Access::EXISTS,
                AtFlags::SYMLINK_NOFOLLOW
            ),
            Ok(())
        );
        assert_eq!(
            fs::accessat(
                &dir.fd,
                "none",
                Access::EXISTS,
                AtFlags::EACCESS | AtFlags::SYMLINK_NOFOLLOW
            ),
            Err(Errno::NOENT)
        );
    }
    assert_eq!(
        fs::accessat(&dir.fd, "none", Access::EXISTS, none),
        Err(Errno::NOENT)
    );
    assert_eq!(
        fs::accessat(&dir.fd, "regular-file/x", Access::EXISTS, none),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::accessat(&file, "x", Access::EXISTS, none),
        Err(Errno::NOTDIR)
    );
    assert_eq!(
        fs::accessat(closed_fd(), "x", Access::EXISTS, none),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::accessat(&dir.fd, "x\0", Access::EXISTS, none),
        Err(Errno::INVAL)
    );
    assert_eq!(fs::access("x\0", Access::EXISTS), Err(Errno::INVAL));
    assert_eq!(
        fs::accessat(&dir.fd, &too_long()[..], Access::EXISTS, none),
        Err(Errno::NAMETOOLONG)
    );
    assert_eq!(
        fs::access(&too_long()[..], Access::EXISTS),
        Err(Errno::NAMETOOLONG)
    );
    // Unknown access bits: the kernel's EINVAL.
    assert_eq!(
        fs::accessat(&dir.fd, "regular-file", Access::from_bits_retain(8), none),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::access(
            dir.join("regular-file").as_path(),
            Access::from_bits_retain(1 << 31)
        ),
        Err(Errno::INVAL)
    );
    // Flags beyond EACCESS and SYMLINK_NOFOLLOW: EINVAL, as rustix (AT_EMPTY_PATH included).
    // (AT_REMOVEDIR is AT_EACCESS's bit.)
    for flags in [
        AtFlags::SYMLINK_FOLLOW,
        AtFlags::EMPTY_PATH,
        AtFlags::from_bits_retain(1 << 30),
    ] {
        assert_eq!(
            fs::accessat(&dir.fd, "regular-file", Access::EXISTS, flags),
            Err(Errno::INVAL),
            "{flags:?}"
        );
    }
}

// ---- reading directories -------------------------------------------------------------------

/// One entry as the oracle sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    ino: u64,
    file_type: FileType,
}

/// Every entry of directory `path`, `.` and `..` included, as libc's `readdir64` reports it.
///
/// Not `readdir`: on 32-bit targets under qemu-user the kernel sees a 64-bit process and
/// gives ext4's 64-bit cookies, which glibc's 32-bit `readdir` refuses with EOVERFLOW.
fn libc_entries(path: &Path) -> HashMap<Vec<u8>, Entry> {
    let cpath = c_path(path);
    let dirp = unsafe { libc::opendir(cpath.as_ptr()) };
    assert!(!dirp.is_null(), "opendir: {:?}", last_errno());
    let mut entries = HashMap::new();
    loop {
        let ent = unsafe { libc::readdir64(dirp) };
        if ent.is_null() {
            break;
        }
        let ent = unsafe { &*ent };
        let name = unsafe { CStr::from_ptr(ent.d_name.as_ptr()) }
            .to_bytes()
            .to_vec();
        let file_type = match ent.d_type {
            libc::DT_REG => FileType::RegularFile,
            libc::DT_DIR => FileType::Directory,
            libc::DT_LNK => FileType::Symlink,
            libc::DT_FIFO => FileType::Fifo,
            libc::DT_SOCK => FileType::Socket,
            libc::DT_CHR => FileType::CharacterDevice,
            libc::DT_BLK => FileType::BlockDevice,
            _ => FileType::Unknown,
        };
        let old = entries.insert(
            name,
            Entry {
                ino: ent.d_ino,
                file_type,
            },
        );
        assert!(old.is_none(), "readdir gave a name twice");
    }
    unsafe { libc::closedir(dirp) };
    entries
}

/// Checks a listing against the oracle: the same names, each once, with the same inode
/// numbers and types.
#[track_caller]
fn assert_same_entries(
    got: impl IntoIterator<Item = (Vec<u8>, Entry)>,
    oracle: &HashMap<Vec<u8>, Entry>,
    what: &str,
) {
    let mut seen = HashMap::with_capacity(oracle.len());
    for (name, entry) in got {
        let expected = oracle.get(&name);
        assert_eq!(
            expected,
            Some(&entry),
            "{what}: {:?}",
            String::from_utf8_lossy(&name)
        );
        assert!(seen.insert(name, ()).is_none(), "{what}: a name came twice");
    }
    assert_eq!(seen.len(), oracle.len(), "{what}: entries missing");
}

/// The name of entry `i` of the big directory: its length cycles through 1..=255, and its
/// first byte tells apart the (up to four) names of one length. Bytes past ASCII included.
fn big_dir_name(i: usize) -> Vec<u8> {
    const BYTES: &[u8] =
        b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.~ \xc3\xa9\xff\x80";
    let len = i % 255 + 1;
    let mut name = vec![b"abcd"[i / 255]];
    name.extend((1..len).map(|j| BYTES[(i * 7 + j * 13) % BYTES.len()]));
    name
}

/// Fills `dir` with 1000 entries, names of every length 1..=255: mostly regular files, with
/// directories, symlinks and fifos among them. Made through libc.
fn fill_big_dir(dir: &TempDir) {
    for i in 0..1000 {
        let name = CString::new(big_dir_name(i)).unwrap();
        let fd = dir.fd.as_raw_fd();
        let ret = match i % 50 {
            7 => unsafe { libc::mkdirat(fd, name.as_ptr(), 0o755) },
            19 => {
                let target = c(&format!("target-{i}"));
                unsafe { libc::symlinkat(target.as_ptr(), fd, name.as_ptr()) }
            }
            33 => unsafe { libc::mkfifoat(fd, name.as_ptr(), 0o644) },
            _ => {
                let file = unsafe {
                    libc::openat(
                        fd,
                        name.as_ptr(),
                        libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                        0o644,
                    )
                };
                assert!(file >= 0, "create {i}: {:?}", last_errno());
                unsafe { libc::close(file) }
            }
        };
        assert_eq!(ret, 0, "entry {i}: {:?}", last_errno());
    }
}

/// The oracle for the big directory, checked against `lstat` and `std::fs::read_dir`.
fn big_dir_oracle(dir: &TempDir) -> HashMap<Vec<u8>, Entry> {
    let oracle = libc_entries(&dir.path);
    assert_eq!(oracle.len(), 1002);
    let parent = lstat(dir.path.parent().unwrap()).unwrap();
    let this = lstat(&dir.path).unwrap();
    assert_eq!(
        oracle[&b"."[..]],
        Entry {
            ino: this.st_ino,
            file_type: FileType::Directory
        }
    );
    assert_eq!(
        oracle[&b".."[..]],
        Entry {
            ino: parent.st_ino,
            file_type: FileType::Directory
        }
    );
    let mut kinds = HashMap::new();
    for i in 0..1000 {
        let name = big_dir_name(i);
        let st = lstat(&dir.path.join(std::ffi::OsStr::from_bytes(&name))).unwrap();
        let entry = oracle[&name];
        assert_eq!(entry.ino, st.st_ino, "entry {i}");
        assert_eq!(entry.file_type, file_type_of(&st), "entry {i}");
        *kinds.entry(format!("{:?}", entry.file_type)).or_insert(0) += 1;
    }
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    let std_names: Vec<Vec<u8>> = std::fs::read_dir(&dir.path)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().as_bytes().to_vec())
        .collect();
    assert_eq!(std_names.len(), 1000);
    assert!(std_names.iter().all(|name| oracle.contains_key(name)));
    oracle
}

/// The size of the `linux_dirent64` record of a name of `len` bytes.
fn record_size(len: usize) -> usize {
    (19 + len + 1).next_multiple_of(8)
}

/// Reads `fd` from the start with a `RawDir` over `buf`: the entries, and the error that
/// ended the reading, if one did.
fn raw_dir_entries(
    fd: &OwnedFd,
    buf: &mut [MaybeUninit<u8>],
) -> (Vec<(Vec<u8>, Entry)>, Option<Errno>) {
    fs::seek(fd, fs::SeekFrom::Start(0)).unwrap();
    let mut dir = RawDir::new(fd.as_fd(), buf);
    let mut entries = Vec::new();
    while let Some(entry) = dir.next() {
        match entry {
            Ok(entry) => entries.push((
                entry.file_name().to_bytes().to_vec(),
                Entry {
                    ino: entry.ino(),
                    file_type: entry.file_type(),
                },
            )),
            Err(err) => return (entries, Some(err)),
        }
    }
    (entries, None)
}

/// Reads `fd` from the start with a `RawDir` over `buf`, and checks that it lists exactly
/// `reference`, in order; compares in place, allocating nothing.
#[track_caller]
fn assert_lists(
    fd: &OwnedFd,
    buf: &mut [MaybeUninit<u8>],
    reference: &[(Vec<u8>, Entry)],
    what: &str,
) {
    fs::seek(fd, fs::SeekFrom::Start(0)).unwrap();
    let mut dir = RawDir::new(fd.as_fd(), buf);
    let mut expected = reference.iter();
    while let Some(entry) = dir.next() {
        let entry = entry.unwrap_or_else(|err| panic!("{what}: {err:?}"));
        let Some((name, want)) = expected.next() else {
            panic!("{what}: more entries than the reference");
        };
        let got = Entry {
            ino: entry.ino(),
            file_type: entry.file_type(),
        };
        if entry.file_name().to_bytes() != &name[..] || got != *want {
            panic!(
                "{what}: {entry:?} where {:?} {want:?} was expected",
                String::from_utf8_lossy(name)
            );
        }
    }
    assert!(expected.next().is_none(), "{what}: entries missing");
}

#[test]
fn dir_and_raw_dir_read_1000_entries_with_every_buffer_size() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    fill_big_dir(&dir);
    let oracle = big_dir_oracle(&dir);

    // Dir, through read_from (a new fd; ours is left alone) and new (takes the fd).
    let entries: Vec<_> = Dir::read_from(&dir.fd)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_bytes().to_vec(),
                Entry {
                    ino: entry.ino(),
                    file_type: entry.file_type(),
                },
            )
        })
        .collect();
    assert_same_entries(entries, &oracle, "Dir::read_from");
    let own = fs::openat(
        CWD,
        dir.path.as_path(),
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .unwrap();
    let mut by_new = Dir::new(own).unwrap();
    let first: Vec<_> = by_new
        .by_ref()
        .take(10)
        .map(|e| e.unwrap().file_name().to_owned())
        .collect();
    by_new.rewind();
    let entries: Vec<_> = by_new
        .by_ref()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_bytes().to_vec(),
                Entry {
                    ino: entry.ino(),
                    file_type: entry.file_type(),
                },
            )
        })
        .collect();
    assert_eq!(
        entries
            .iter()
            .take(10)
            .map(|(n, _)| CString::new(n.clone()).unwrap())
            .collect::<Vec<_>>(),
        first
    );
    assert_same_entries(entries, &oracle, "Dir::new after rewind");
    assert!(by_new.read().is_none());
    drop(by_new);

    // RawDir over every buffer size from the smallest that holds the longest name (280
    // bytes) to 1024, then some large ones; 8-aligned buffers. The first read, with the
    // largest buffer, is checked as a set against the oracle; every other must list the same
    // entries in the same order (cheap enough to do 750 times under qemu).
    let min = record_size(255);
    assert_eq!(min, 280);
    let mut storage = vec![MaybeUninit::<u64>::uninit(); 65536 / 8 + 1];
    let bytes: &mut [MaybeUninit<u8>] =
        unsafe { std::slice::from_raw_parts_mut(storage.as_mut_ptr().cast(), storage.len() * 8) };
    let fd = &dir.fd;
    let (reference, error) = raw_dir_entries(fd, &mut bytes[..65536]);
    assert_eq!(error, None);
    assert_same_entries(reference.clone(), &oracle, "RawDir, buffer of 65536");
    for size in (min..=1024).chain([1500, 2048, 4096, 4100, 8192, 32768]) {
        assert_lists(
            fd,
            &mut bytes[..size],
            &reference,
            &format!("buffer of {size}"),
        );
    }

    // Misaligned buffers: up to 7 bytes are skipped to align the start, so a buffer that
    // starts k bytes past an 8-aligned address needs (8 - k) % 8 more.
    for k in 1..8 {
        let skip = 8 - k;
        let what = format!("buffer of {} at offset {k}", skip + min);
        assert_lists(fd, &mut bytes[k..k + skip + min], &reference, &what);
        assert_lists(
            fd,
            &mut bytes[k..k + 4096],
            &reference,
            &format!("4096 at offset {k}"),
        );
        // One byte short of the aligned minimum: the longest names do not fit.
        let (entries, error) = raw_dir_entries(fd, &mut bytes[k..k + skip + min - 1]);
        assert_eq!(error, Some(Errno::INVAL), "offset {k}");
        assert!(entries.len() < oracle.len());
    }

    // One byte short of the minimum: entries come until one of the longest names, then the
    // kernel's EINVAL; none of them is one that cannot fit.
    for size in [min - 1, min - 8, 200] {
        let (entries, error) = raw_dir_entries(fd, &mut bytes[..size]);
        assert_eq!(error, Some(Errno::INVAL), "buffer of {size}");
        assert!(entries.len() < oracle.len());
        for (name, entry) in &entries {
            assert!(record_size(name.len()) <= size);
            assert_eq!(oracle.get(name), Some(entry));
        }
    }
    // EINVAL leaves the position at the entry that did not fit: a larger buffer goes on
    // from there, and between them they list everything.
    fs::seek(fd, fs::SeekFrom::Start(0)).unwrap();
    let mut all = Vec::new();
    let (small, large) = bytes.split_at_mut(1024);
    {
        let mut raw = RawDir::new(fd.as_fd(), &mut small[..min - 1]);
        loop {
            match raw.next() {
                Some(Ok(entry)) => all.push((
                    entry.file_name().to_bytes().to_vec(),
                    Entry {
                        ino: entry.ino(),
                        file_type: entry.file_type(),
                    },
                )),
                Some(Err(err)) => {
                    assert_eq!(err, Errno::INVAL);
                    break;
                }
                None => panic!("a buffer of {} bytes read the whole directory", min - 1),
            }
        }
    }
    let mut raw = RawDir::new(fd.as_fd(), &mut large[..4096]);
    while let Some(entry) = raw.next() {
        let entry = entry.unwrap();
        all.push((
            entry.file_name().to_bytes().to_vec(),
            Entry {
                ino: entry.ino(),
                file_type: entry.file_type(),
            },
        ));
    }
    assert_same_entries(all, &oracle, "RawDir, small then large");
}

#[test]
fn raw_dir_buffer_limits() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    let mut storage = [MaybeUninit::<u64>::uninit(); 64];
    let bytes: &mut [MaybeUninit<u8>] =
        unsafe { std::slice::from_raw_parts_mut(storage.as_mut_ptr().cast(), 512) };

    // An empty directory: "." and ".." take 24 bytes each, so 24 bytes read it all.
    let oracle = libc_entries(&dir.path);
    assert_eq!(oracle.len(), 2);
    for size in [24, 25, 31, 47, 48, 100] {
        let (entries, error) = raw_dir_entries(&dir.fd, &mut bytes[..size]);
        assert_eq!(error, None, "buffer of {size}");
        assert_same_entries(entries, &oracle, &format!("empty dir, buffer of {size}"));
    }
    // Less than one record: the kernel's EINVAL at once, and again on every call (no loop,
    // no read past the end). A count of 0 reaches the kernel too, except under qemu-user,
    // whose getdents64 fails to allocate a buffer of 0 bytes and answers ENOMEM.
    let empty_buffer = if common::under_qemu_user() {
        common::skip(
            "raw_dir_empty_buffer",
            "qemu-user answers getdents64 with a count of 0 with ENOMEM, not EINVAL",
        );
        Errno::NOMEM
    } else {
        Errno::INVAL
    };
    for size in 0..24 {
        let expected = if size == 0 {
            empty_buffer
        } else {
            Errno::INVAL
        };
        fs::seek(&dir.fd, fs::SeekFrom::Start(0)).unwrap();
        let mut raw = RawDir::new(dir.fd.as_fd(), &mut bytes[..size]);
        for _ in 0..3 {
            let got = raw.next().map(|r| r.map(|e| format!("{e:?}")));
            assert_eq!(got, Some(Err(expected)), "buffer of {size}");
            assert!(raw.is_buffer_empty());
        }
    }
    // A buffer that aligning empties: 7 bytes at an odd address.
    fs::seek(&dir.fd, fs::SeekFrom::Start(0)).unwrap();
    let mut raw = RawDir::new(dir.fd.as_fd(), &mut bytes[1..8]);
    assert!(matches!(raw.next(), Some(Err(err)) if err == empty_buffer));

    // At the end of the directory, even a too-small buffer gives None.
    let (entries, _) = raw_dir_entries(&dir.fd, &mut bytes[..100]);
    assert_eq!(entries.len(), 2);
    let mut raw = RawDir::new(dir.fd.as_fd(), &mut bytes[..10]);
    assert!(raw.next().is_none());

    // A single longest name: 280 bytes hold it, 279 do not.
    let name = "z".repeat(255);
    write_file(&dir.join(&name), b"");
    let oracle = libc_entries(&dir.path);
    let (entries, error) = raw_dir_entries(&dir.fd, &mut bytes[..280]);
    assert_eq!(error, None);
    assert_same_entries(entries, &oracle, "one long name, 280");
    let (entries, error) = raw_dir_entries(&dir.fd, &mut bytes[..279]);
    assert_eq!(error, Some(Errno::INVAL));
    assert!(entries.iter().all(|(n, _)| n.len() < 255));

    // Not a directory, or not open.
    let file = regular_file(&dir);
    let mut raw = RawDir::new(&file, &mut bytes[..512]);
    assert!(matches!(raw.next(), Some(Err(Errno::NOTDIR))));
    let mut raw = RawDir::new(closed_fd(), &mut bytes[..512]);
    assert!(matches!(raw.next(), Some(Err(Errno::BADF))));

    // The entry's accessors and Debug.
    fs::seek(&dir.fd, fs::SeekFrom::Start(0)).unwrap();
    let mut raw = RawDir::new(dir.fd.as_fd(), &mut bytes[..512]);
    let mut cookies = Vec::new();
    while let Some(entry) = raw.next() {
        let entry = entry.unwrap();
        let text = format!("{entry:?}");
        assert!(text.starts_with("RawDirEntry { file_name: "), "{text}");
        assert!(text.contains("next_entry_cookie"), "{text}");
        cookies.push(entry.next_entry_cookie());
    }
    assert_eq!(cookies.len(), 4);
}

#[test]
fn dir_types_errors_and_rewind() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    write_file(&dir.join("file"), b"");
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink("file", dir.join("link")).unwrap();
    let fifo = dir.c("fifo");
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);

    let mut d = Dir::read_from(&dir.fd).unwrap();
    let mut types = HashMap::new();
    let mut offsets = Vec::new();
    for entry in d.by_ref() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_str().unwrap().to_owned();
        let st = lstat(&dir.join(&name)).unwrap();
        assert_eq!(entry.ino(), st.st_ino, "{name}");
        offsets.push((name.clone(), entry.offset()));
        types.insert(name, entry.file_type());
        assert!(format!("{entry:?}").starts_with("DirEntry {"));
    }
    let expected: HashMap<String, FileType> = [
        (".", FileType::Directory),
        ("..", FileType::Directory),
        ("file", FileType::RegularFile),
        ("sub", FileType::Directory),
        ("link", FileType::Symlink),
        ("fifo", FileType::Fifo),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_owned(), t))
    .collect();
    assert_eq!(types, expected);
    assert!(d.read().is_none());
    assert!(format!("{d:?}").starts_with("Dir { fd: "));
    assert!(common::is_open(d.fd().unwrap().as_raw_fd()));

    // Rewind reads it all again.
    d.rewind();
    assert_eq!(d.by_ref().count(), 6);

    // Seek to an entry's cookie: what followed it comes next.
    #[cfg(target_pointer_width = "64")]
    {
        let (_, after_second) = &offsets[1];
        d.seek(*after_second).unwrap();
        let rest: Vec<String> = d
            .by_ref()
            .map(|e| e.unwrap().file_name().to_str().unwrap().to_owned())
            .collect();
        let expected: Vec<String> = offsets[2..].iter().map(|(n, _)| n.clone()).collect();
        assert_eq!(rest, expected);
        assert_eq!(d.seek(-1), Err(Errno::INVAL));
        assert!(d.read().is_none());
        d.seek(0).unwrap();
        assert_eq!(d.by_ref().count(), 6);
    }

    // Not a directory: read_from fails; a Dir made with new reports the error once, then
    // stops until a rewind.
    let file = std::fs::File::open(dir.join("file")).unwrap();
    assert_eq!(Dir::read_from(&file).err(), Some(Errno::NOTDIR));
    assert_eq!(Dir::read_from(closed_fd()).err(), Some(Errno::BADF));
    let mut d = Dir::new(file).unwrap();
    assert!(matches!(d.read(), Some(Err(Errno::NOTDIR))));
    assert!(d.read().is_none());
    d.rewind();
    assert!(matches!(d.next(), Some(Err(Errno::NOTDIR))));
    assert!(d.next().is_none());

    // A directory removed while open ends without an error (ENOENT), as rustix has it.
    std::fs::create_dir(dir.join("doomed")).unwrap();
    let doomed = fs::openat(
        &dir.fd,
        "doomed",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .unwrap();
    std::fs::remove_dir(dir.join("doomed")).unwrap();
    let mut d = Dir::new(doomed).unwrap();
    assert!(d.read().is_none());
}

#[test]
fn file_type_from_and_to_mode() {
    for (mode, file_type) in [
        (libc::S_IFREG, FileType::RegularFile),
        (libc::S_IFDIR, FileType::Directory),
        (libc::S_IFLNK, FileType::Symlink),
        (libc::S_IFIFO, FileType::Fifo),
        (libc::S_IFSOCK, FileType::Socket),
        (libc::S_IFCHR, FileType::CharacterDevice),
        (libc::S_IFBLK, FileType::BlockDevice),
    ] {
        assert_eq!(FileType::from_raw_mode(mode | 0o4755), file_type);
        assert_eq!(file_type.as_raw_mode(), mode);
    }
    assert_eq!(FileType::from_raw_mode(0o755), FileType::Unknown);
    assert_eq!(FileType::Unknown.as_raw_mode(), libc::S_IFMT);
    assert_eq!(Access::EXISTS, Access::empty());
    assert_eq!(Access::READ_OK.bits(), libc::R_OK as u32);
    assert_eq!(RenameFlags::NOREPLACE.bits(), libc::RENAME_NOREPLACE);
    assert_eq!(AtFlags::REMOVEDIR.bits(), libc::AT_REMOVEDIR as u32);
}

#[test]
fn dir_stat_and_statfs_are_those_of_its_directory() {
    let _check = common::FdCheck::new();
    let dir = TempDir::new();
    std::fs::create_dir(dir.path.join("sub")).unwrap();
    let listed = Dir::read_from(&dir.fd).unwrap();
    let st = listed.stat().unwrap();
    let theirs = lstat(&dir.path).unwrap();
    assert_eq!(FileType::from_raw_mode(st.st_mode), FileType::Directory);
    assert_eq!(i128::from(st.st_ino), i128::from(theirs.st_ino));
    assert_eq!(i128::from(st.st_nlink), i128::from(theirs.st_nlink));
    assert_eq!(i128::from(st.st_nlink), 3, "., .. and sub/..");
    let ours = listed.statfs().unwrap();
    let direct = fs::fstatfs(&dir.fd).unwrap();
    assert_eq!(i128::from(ours.f_type), i128::from(direct.f_type));
    assert_eq!(i128::from(ours.f_bsize), i128::from(direct.f_bsize));
}
