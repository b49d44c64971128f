// A program written against rustix 1.x, as a user would write it: every item of `io`, and the
// items of `fs`, `pipe`, `ioctl`, `rand`, `stdio`, `process`, `thread` and `system` that
// barecall offers. `rustix_port.rs` includes it under `use rustix::{...}` and under
// `use barecall::{...}`. Whatever it observes goes into the returned lines: values, errno
// numbers, file contents, flag bits, and comparisons (`true`/`false`) where a value differs
// from run to run (inode numbers, random bytes, the scratch directory's name).

use std::ffi::{c_int, c_void, CStr};
use std::fs::File;
use std::io::{Seek, SeekFrom, Write as _};
use std::mem::MaybeUninit;
use std::num::NonZeroU64;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use fs::{AtFlags, FileType, Mode, OFlags};
use io::{DupFlags, Errno, FdFlags, IoSlice, IoSliceMut, ReadWriteFlags};

/// What a call returned: the value, or the errno number.
fn seen<T: std::fmt::Debug>(result: io::Result<T>) -> String {
    match result {
        Ok(value) => format!("ok {value:?}"),
        Err(errno) => format!("errno {}", errno.raw_os_error()),
    }
}

/// `FD_CLOEXEC` of `fd`, through the ported API itself.
fn cloexec<Fd: AsFd>(fd: Fd) -> String {
    seen(io::fcntl_getfd(fd).map(|flags| flags.contains(FdFlags::CLOEXEC)))
}

/// A regular file holding `contents`, offset at 0, already unlinked.
fn file_with(contents: &[u8]) -> File {
    let path = std::env::temp_dir().join(format!(
        "barecall-compat-{}-{}",
        std::process::id(),
        module_path!().replace("::", "-")
    ));
    let mut file = File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .expect("create scratch file");
    std::fs::remove_file(&path).expect("unlink scratch file");
    file.write_all(contents).expect("fill scratch file");
    file.seek(SeekFrom::Start(0)).expect("rewind scratch file");
    file
}

/// The whole contents of `file`, read from offset 0 with the ported `pread`.
fn contents(file: &File) -> String {
    let mut buf = [0u8; 64];
    match io::pread(file, &mut buf, 0) {
        Ok(n) => String::from_utf8_lossy(&buf[..n]).into_owned(),
        Err(errno) => format!("errno {}", errno.raw_os_error()),
    }
}

/// A number that is not an open fd.
fn closed_fd() -> OwnedFd {
    let (reader, writer) = pipe::pipe().expect("pipe");
    drop(writer);
    reader
}

/// No fd ever has this number: it is above the largest `nr_open` the kernel accepts.
const NEVER_OPEN: RawFd = i32::MAX;

/// A borrow of [`NEVER_OPEN`], for the EBADF cases.
fn bad() -> BorrowedFd<'static> {
    // SAFETY: no file can ever be open under this number, so nothing can be closed or reused
    // under the borrow; the calls given it can only fail with EBADF.
    unsafe { BorrowedFd::borrow_raw(NEVER_OPEN) }
}

/// Any integer, widened: the same line whatever width a field has on this architecture.
fn num<T: TryInto<i128>>(value: T) -> i128 {
    value.try_into().unwrap_or(i128::MIN)
}

/// A file type by name, found with `==` only.
fn kind(file_type: FileType) -> &'static str {
    [
        (FileType::RegularFile, "file"),
        (FileType::Directory, "dir"),
        (FileType::Symlink, "symlink"),
        (FileType::Fifo, "fifo"),
        (FileType::Socket, "socket"),
        (FileType::CharacterDevice, "chardev"),
        (FileType::BlockDevice, "blockdev"),
        (FileType::Unknown, "unknown"),
    ]
    .iter()
    .find(|(known, _)| *known == file_type)
    .map_or("?", |(_, name)| name)
}

/// What `fstat` and friends agree on for a file: type, permissions, size, links.
fn stat_line(st: &fs::Stat) -> String {
    let raw: fs::RawMode = st.st_mode;
    format!(
        "{} {:o} size {} nlink {}",
        kind(FileType::from_raw_mode(raw)),
        Mode::from_raw_mode(raw).bits(),
        num(st.st_size),
        num(st.st_nlink)
    )
}

/// The same for `statx`, and whether the basic fields came back.
fn statx_line(x: &fs::Statx) -> String {
    let raw = fs::RawMode::from(x.stx_mode);
    format!(
        "{} {:o} size {} nlink {} basic {}",
        kind(FileType::from_raw_mode(raw)),
        Mode::from_raw_mode(raw).bits(),
        x.stx_size,
        x.stx_nlink,
        fs::StatxFlags::from_bits_retain(x.stx_mask).contains(fs::StatxFlags::BASIC_STATS)
    )
}

/// Whether two fds are the same file (device and inode).
fn same_file<A: AsFd, B: AsFd>(a: A, b: B) -> String {
    let a = fs::fstat(a);
    let b = fs::fstat(b);
    seen(a.and_then(|a| {
        b.map(|b| num(a.st_dev) == num(b.st_dev) && num(a.st_ino) == num(b.st_ino))
    }))
}

/// The bytes of `fd` from offset 0 (up to 256), as text with escapes.
fn read_all<Fd: AsFd>(fd: Fd) -> String {
    let mut buf = [0u8; 256];
    match io::pread(fd, &mut buf, 0) {
        Ok(n) => format!("{:?}", String::from_utf8_lossy(&buf[..n])),
        Err(errno) => format!("errno {}", errno.raw_os_error()),
    }
}

/// One `read` of up to 64 bytes from `fd` (a pipe), as text.
fn drain<Fd: AsFd>(fd: Fd) -> String {
    let mut buf = [0u8; 64];
    match io::read(fd, &mut buf) {
        Ok(n) => format!("{:?}", String::from_utf8_lossy(&buf[..n])),
        Err(errno) => format!("errno {}", errno.raw_os_error()),
    }
}

/// A fresh, empty directory of this run (its canonical path): one per program and `tag`.
fn scratch_dir(tag: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "barecall-compat-{}-{}-{tag}",
        std::process::id(),
        module_path!().replace("::", "-")
    ));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir(&path).expect("create scratch dir");
    path.canonicalize().expect("canonical scratch dir")
}

/// Opens a directory for the `*at` calls.
fn open_dir<P: AsRef<std::path::Path>>(path: P) -> OwnedFd {
    fs::open(
        path.as_ref(),
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .expect("open directory")
}

pub fn run() -> Vec<String> {
    let mut out = Vec::new();
    // Files and directories are created under a known umask; the old one comes back at the end.
    let umask = process::umask(Mode::from_raw_mode(0o022));
    out.push(format!("umask before: {:o}", umask.bits()));
    io_items(&mut out);
    fs_items(&mut out);
    dir_items(&mut out);
    pipe_items(&mut out);
    ioctl_items(&mut out);
    rand_items(&mut out);
    stdio_items(&mut out);
    process_items(&mut out);
    let restored = process::umask(umask);
    out.push(format!("umask restored from: {:o}", restored.bits()));
    out
}

/// Every item of `io`.
fn io_items(out: &mut Vec<String>) {
    let mut note = |what: &str, value: String| out.push(format!("{what}: {value}"));

    // Errno: constants, aliases, conversions.
    for errno in [
        Errno::BADF,
        Errno::INVAL,
        Errno::AGAIN,
        Errno::WOULDBLOCK,
        Errno::NOTSUP,
        Errno::OPNOTSUPP,
        Errno::DEADLOCK,
        Errno::INTR,
        Errno::PIPE,
        Errno::NOSYS,
        Errno::from_raw_os_error(2),
    ] {
        let io_error: std::io::Error = errno.into();
        note(
            "errno",
            format!(
                "{} {:?} {:?} {:?}",
                errno.raw_os_error(),
                errno.kind(),
                io_error.raw_os_error(),
                Errno::from_io_error(&io_error).map(|e| e.raw_os_error()),
            ),
        );
    }
    note("errno eq", format!("{}", Errno::AGAIN == Errno::WOULDBLOCK));
    let error: &dyn std::error::Error = &Errno::BADF;
    note("errno as Error", format!("{}", error.source().is_none()));

    // Flags types.
    note(
        "flags",
        format!(
            "{:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x}",
            DupFlags::CLOEXEC.bits(),
            FdFlags::CLOEXEC.bits(),
            ReadWriteFlags::DSYNC.bits(),
            ReadWriteFlags::HIPRI.bits(),
            ReadWriteFlags::SYNC.bits(),
            ReadWriteFlags::NOWAIT.bits(),
            ReadWriteFlags::APPEND.bits(),
            (ReadWriteFlags::DSYNC | ReadWriteFlags::SYNC).bits(),
        ),
    );
    note(
        "flags from bits",
        format!(
            "{:?} {:?}",
            FdFlags::from_bits(1).map(|f| f.bits()),
            DupFlags::from_bits_truncate(!0).bits()
        ),
    );

    // read, write and their positioned and vectored forms, on a regular file.
    let file = file_with(b"0123456789abcdefghij");
    let mut array = [0u8; 4];
    note("read array", seen(io::read(&file, &mut array)));
    note("read array bytes", format!("{array:?}"));
    let mut slice = vec![0u8; 3];
    note("read slice", seen(io::read(&file, &mut slice[..])));
    note("read slice bytes", format!("{slice:?}"));
    let mut uninit = [MaybeUninit::<u8>::uninit(); 5];
    let (init, rest) = io::read(&file, &mut uninit).expect("read into uninit");
    note("read uninit", format!("{init:?} {}", rest.len()));
    let mut vec = Vec::with_capacity(4);
    note(
        "read spare capacity",
        seen(io::read(&file, buffer::spare_capacity(&mut vec))),
    );
    note("read spare capacity bytes", format!("{vec:?}"));
    let mut vec = vec![0u8; 2];
    note("read vec", seen(io::read(&file, &mut vec)));
    let mut uninit_vec = vec![MaybeUninit::<u8>::uninit(); 2];
    let (init, rest) = io::read(&file, &mut uninit_vec).expect("read into uninit vec");
    note("read uninit vec", format!("{init:?} {} {vec:?}", rest.len()));
    note("write", seen(io::write(&file, b"XY")));
    note("pread", {
        let mut buf = [0u8; 4];
        let n = io::pread(&file, &mut buf, 2);
        format!("{} {buf:?}", seen(n))
    });
    note("pwrite", seen(io::pwrite(&file, b"--", 0)));
    note("pwrite past 2^63", seen(io::pwrite(&file, b"--", 1 << 63)));
    note("pread past 2^63", seen(io::pread(&file, &mut [0u8; 1], u64::MAX)));
    note("contents", contents(&file));
    {
        let (mut a, mut b) = ([0u8; 2], [0u8; 3]);
        let n = io::readv(&file, &mut [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b)]);
        note("readv", format!("{} {a:?} {b:?}", seen(n)));
        let n = io::preadv(&file, &mut [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b)], 1);
        note("preadv", format!("{} {a:?} {b:?}", seen(n)));
    }
    note(
        "writev",
        seen(io::writev(&file, &[IoSlice::new(b"<"), IoSlice::new(b">")])),
    );
    note(
        "pwritev",
        seen(io::pwritev(&file, &[IoSlice::new(b"["), IoSlice::new(b"]")], 4)),
    );
    note("readv no buffers", seen(io::readv(&file, &mut [])));
    note("contents", contents(&file));
    {
        let mut a = [0u8; 3];
        let n = io::preadv2(&file, &mut [IoSliceMut::new(&mut a)], 0, ReadWriteFlags::empty());
        note("preadv2", format!("{} {a:?}", seen(n)));
        let n = io::preadv2(&file, &mut [IoSliceMut::new(&mut a)], 0, ReadWriteFlags::APPEND);
        note("preadv2 unknown-to-read flag", seen(n));
    }
    note(
        "pwritev2 append",
        seen(io::pwritev2(&file, &[IoSlice::new(b"!")], 0, ReadWriteFlags::APPEND)),
    );
    note(
        "pwritev2 dsync",
        seen(io::pwritev2(&file, &[IoSlice::new(b"#")], 1, ReadWriteFlags::DSYNC)),
    );
    note("contents", contents(&file));

    // Bad fds.
    let closed = closed_fd();
    let closed_raw = closed.as_raw_fd();
    drop(closed);
    // SAFETY: `closed_raw` is not open; nothing in this thread opens an fd until it is used.
    let closed = unsafe { BorrowedFd::borrow_raw(closed_raw) };
    note("read closed", seen(io::read(closed, &mut [0u8; 1])));
    note("write closed", seen(io::write(closed, b"x")));
    note("fcntl_getfd closed", seen(io::fcntl_getfd(closed).map(|f| f.bits())));
    note("dup closed", seen(io::dup(closed).map(drop)));
    note("ioctl_fionread closed", seen(io::ioctl_fionread(closed)));

    // dup, dup2, dup3, fcntl, ioctl and CLOEXEC.
    let (reader, writer) = pipe::pipe().expect("pipe");
    note("pipe cloexec", format!("{} {}", cloexec(&reader), cloexec(&writer)));
    let mut copy = io::fcntl_dupfd_cloexec(&reader, 50).expect("F_DUPFD_CLOEXEC");
    note("dupfd_cloexec", format!("{} {}", copy.as_raw_fd() >= 50, cloexec(&copy)));
    note("dup2", seen(io::dup2(&writer, &mut copy)));
    note("dup2 cloexec", cloexec(&copy));
    note("dup3", seen(io::dup3(&reader, &mut copy, DupFlags::CLOEXEC)));
    note("dup3 cloexec", cloexec(&copy));
    // SAFETY: `copy` stays open for as long as `same` is used.
    let same = unsafe { BorrowedFd::borrow_raw(copy.as_raw_fd()) };
    note("dup2 onto itself", seen(io::dup2(same, &mut copy)));
    note("dup3 onto itself", seen(io::dup3(same, &mut copy, DupFlags::empty())));
    note("after dup onto itself", cloexec(&copy));
    note("fcntl_setfd", seen(io::fcntl_setfd(&copy, FdFlags::empty())));
    note("after setfd", cloexec(&copy));
    note("ioctl_fioclex", seen(io::ioctl_fioclex(&copy)));
    note("after fioclex", cloexec(&copy));
    note("ioctl_fionclex", seen(io::ioctl_fionclex(&copy)));
    note("after fionclex", cloexec(&copy));
    let plain = io::dup(&reader).expect("dup");
    note("dup cloexec", cloexec(&plain));
    // Not here: `fcntl_dupfd_cloexec(fd, -1)`, where rustix's debug builds panic (it passes
    // `min` as an fd and asserts that fds are not negative); barecall says `EINVAL`, as the
    // kernel does, which `tests/differential.rs` checks.
    drop(plain);

    // A pipe: FIONREAD, FIONBIO, EAGAIN, retry_on_intr, EPIPE.
    note("write pipe", seen(io::write(&writer, b"hello")));
    note("ioctl_fionread", seen(io::ioctl_fionread(&reader)));
    note("ioctl_fionbio on", seen(io::ioctl_fionbio(&reader, true)));
    let mut buf = [0u8; 16];
    note("read pipe", seen(io::retry_on_intr(|| io::read(&reader, &mut buf))));
    note("read empty nonblocking pipe", seen(io::read(&reader, &mut buf)));
    note("ioctl_fionbio off", seen(io::ioctl_fionbio(&reader, false)));
    note("pread pipe", seen(io::pread(&reader, &mut buf, 0)));
    drop(reader);
    drop(copy);
    note("write pipe without reader", seen(io::write(&writer, b"x")));
    let fd: BorrowedFd<'_> = writer.as_fd();
    note("borrowed fd", cloexec(fd));

    // close, on an fd the program owns as a raw number.
    let raw = writer.into_raw_fd();
    // SAFETY: `raw` was just released from an `OwnedFd`, so it is open and owned here.
    unsafe { io::close(raw) };
    // SAFETY: only asks about the number `raw`; nothing in this thread opened an fd since.
    let raw = unsafe { BorrowedFd::borrow_raw(raw) };
    note("closed by close", cloexec(raw));
    let (released, _) = pipe::pipe().expect("pipe");
    let released = released.into_raw_fd();
    // SAFETY: `released` comes from `into_raw_fd`, so it is open and nothing else owns it.
    let owned = unsafe { OwnedFd::from_raw_fd(released) };
    note("from_raw_fd", cloexec(&owned));

    // try_close: the close that reports.
    let (reader, _writer) = pipe::pipe().expect("pipe");
    let raw = reader.into_raw_fd();
    // SAFETY: `raw` was just released from an `OwnedFd`, so it is open and owned here.
    note("try_close", seen(unsafe { io::try_close(raw) }));
    // SAFETY: `raw` is closed, and nothing in this thread opened an fd since: the kernel only
    // says EBADF.
    note("try_close again", seen(unsafe { io::try_close(raw) }));
    // SAFETY: no fd can have the number `NEVER_OPEN`.
    note("try_close never open", seen(unsafe { io::try_close(NEVER_OPEN) }));
}

/// `fs`: files, links, metadata, space, locks, seals and copies, in a scratch directory.
fn fs_items(out: &mut Vec<String>) {
    let mut note = |what: &str, value: String| out.push(format!("{what}: {value}"));
    let base = scratch_dir("fs");
    let at = |name: &str| base.join(name);
    let dir = open_dir(&base);
    let long = "x".repeat(5000);
    let create = OFlags::RDWR | OFlags::CREATE | OFlags::EXCL | OFlags::CLOEXEC;
    let (reader, writer) = pipe::pipe().expect("pipe");

    // The flag, mode and type types.
    note(
        "oflags",
        format!(
            "{:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x}",
            OFlags::RDONLY.bits(),
            OFlags::WRONLY.bits(),
            OFlags::RDWR.bits(),
            OFlags::ACCMODE.bits(),
            OFlags::CREATE.bits(),
            OFlags::EXCL.bits(),
            OFlags::TRUNC.bits(),
            OFlags::APPEND.bits(),
            OFlags::NONBLOCK.bits(),
            OFlags::DIRECTORY.bits(),
            OFlags::NOFOLLOW.bits(),
            OFlags::CLOEXEC.bits(),
            OFlags::PATH.bits(),
            OFlags::LARGEFILE.bits(),
        ),
    );
    note(
        "mode",
        format!(
            "{:o} {:o} {:o} {:o} {:o}",
            Mode::RWXU.bits(),
            (Mode::RUSR | Mode::WGRP | Mode::XOTH | Mode::SVTX).bits(),
            Mode::from_raw_mode(0o100644).bits(),
            Mode::from_raw_mode(0o47755).bits(),
            Mode::from_bits_truncate(0o777_777).bits(),
        ),
    );
    note(
        "file types",
        [0o100644, 0o40755, 0o120777, 0o10644, 0o140755, 0o20666, 0o60660, 0o644]
            .map(|raw| kind(FileType::from_raw_mode(raw)))
            .join(" "),
    );
    note(
        "at flags",
        format!(
            "{:#x} {:#x} {:#x} {:#x} {:#x}",
            AtFlags::SYMLINK_NOFOLLOW.bits(),
            AtFlags::REMOVEDIR.bits(),
            AtFlags::SYMLINK_FOLLOW.bits(),
            AtFlags::EMPTY_PATH.bits(),
            AtFlags::EACCESS.bits(),
        ),
    );
    note(
        "statx flags",
        format!(
            "{:#x} {:#x} {:#x} {:#x} {:#x} {:#x}",
            fs::StatxFlags::TYPE.bits(),
            fs::StatxFlags::MODE.bits(),
            fs::StatxFlags::SIZE.bits(),
            fs::StatxFlags::MTIME.bits(),
            fs::StatxFlags::BASIC_STATS.bits(),
            fs::StatxFlags::BTIME.bits(),
        ),
    );
    note(
        "other flags",
        format!(
            "{:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x} {:#x}",
            fs::RenameFlags::NOREPLACE.bits(),
            fs::RenameFlags::EXCHANGE.bits(),
            fs::RenameFlags::WHITEOUT.bits(),
            fs::FallocateFlags::KEEP_SIZE.bits(),
            fs::FallocateFlags::PUNCH_HOLE.bits(),
            fs::FallocateFlags::ZERO_RANGE.bits(),
            fs::MemfdFlags::CLOEXEC.bits(),
            fs::MemfdFlags::ALLOW_SEALING.bits(),
            fs::SealFlags::SEAL.bits(),
            fs::SealFlags::SHRINK.bits(),
            fs::SealFlags::GROW.bits(),
            fs::SealFlags::WRITE.bits(),
            (fs::Access::READ_OK | fs::Access::WRITE_OK | fs::Access::EXEC_OK).bits(),
            fs::Access::EXISTS.bits(),
        ),
    );

    // open, openat: a new file, and the ways opening fails.
    let file = fs::open(at("a"), create, Mode::from_raw_mode(0o644)).expect("create a");
    note("write a", seen(io::write(&file, b"0123456789")));
    note(
        "open again with EXCL",
        seen(fs::open(at("a"), create, Mode::RUSR).map(drop)),
    );
    let open_ro = |path: PathBuf, flags: OFlags| seen(fs::open(path, flags, Mode::empty()).map(drop));
    note("open missing", open_ro(at("missing"), OFlags::RDONLY));
    note("open dir for writing", open_ro(base.clone(), OFlags::WRONLY));
    note(
        "open file as dir",
        open_ro(at("a"), OFlags::RDONLY | OFlags::DIRECTORY),
    );
    note("open through a file", open_ro(at("a/b"), OFlags::RDONLY));
    note(
        "open interior NUL",
        seen(fs::open("a\0b", OFlags::RDONLY, Mode::empty()).map(drop)),
    );
    note(
        "open PATH_MAX",
        seen(fs::open(long.as_str(), OFlags::RDONLY, Mode::empty()).map(drop)),
    );
    let b = fs::openat(&dir, "b", create, Mode::RUSR | Mode::WUSR).expect("create b");
    note(
        "openat",
        seen(fs::fstat(&b).map(|st| stat_line(&st))),
    );
    note(
        "openat closed dirfd",
        seen(fs::openat(bad(), "b", OFlags::RDONLY, Mode::empty()).map(drop)),
    );
    note(
        "openat absolute path, closed dirfd",
        seen(fs::openat(bad(), at("b"), OFlags::RDONLY, Mode::empty()).map(drop)),
    );
    note(
        "openat file as dirfd",
        seen(fs::openat(&file, "b", OFlags::RDONLY, Mode::empty()).map(drop)),
    );
    note(
        "openat interior NUL",
        seen(fs::openat(&dir, "b\0", OFlags::RDONLY, Mode::empty()).map(drop)),
    );
    let ro = fs::openat(&dir, "a", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
        .expect("open a read-only");
    drop(b);

    // fstat, stat, lstat, statat, statx; a symlink to look through.
    note("symlinkat", seen(fs::symlinkat("a", &dir, "l")));
    note("symlinkat onto existing", seen(fs::symlinkat("a", &dir, "l")));
    note("symlinkat closed dirfd", seen(fs::symlinkat("a", bad(), "l2")));
    note("symlinkat interior NUL", seen(fs::symlinkat("a\0", &dir, "l2")));
    let st: fs::Stat = fs::fstat(&file).expect("fstat");
    let ino = num(st.st_ino);
    note("fstat", stat_line(&st));
    note(
        "fstat owner",
        format!(
            "{} {}",
            num(st.st_uid) == num(process::geteuid().as_raw()),
            num(st.st_gid) == num(process::getegid().as_raw())
        ),
    );
    note("fstat dir", seen(fs::fstat(&dir).map(|st| kind(FileType::from_raw_mode(st.st_mode)))));
    note("fstat pipe", seen(fs::fstat(&reader).map(|st| kind(FileType::from_raw_mode(st.st_mode)))));
    note("fstat closed", seen(fs::fstat(bad()).map(|st| stat_line(&st))));
    note("stat", seen(fs::stat(at("a")).map(|st| stat_line(&st))));
    note(
        "stat same inode",
        seen(fs::stat(at("a")).map(|st| num(st.st_ino) == ino)),
    );
    note(
        "stat through symlink",
        seen(fs::stat(at("l")).map(|st| num(st.st_ino) == ino)),
    );
    note("lstat symlink", seen(fs::lstat(at("l")).map(|st| stat_line(&st))));
    note("lstat file", seen(fs::lstat(at("a")).map(|st| stat_line(&st))));
    note("stat missing", seen(fs::stat(at("missing")).map(|st| stat_line(&st))));
    note("lstat missing", seen(fs::lstat(at("missing")).map(|st| stat_line(&st))));
    note("stat through a file", seen(fs::stat(at("a/x")).map(|st| stat_line(&st))));
    note("stat interior NUL", seen(fs::stat("a\0").map(|st| stat_line(&st))));
    note("stat PATH_MAX", seen(fs::stat(long.as_str()).map(|st| stat_line(&st))));
    note("lstat PATH_MAX", seen(fs::lstat(long.as_str()).map(|st| stat_line(&st))));
    note(
        "statat",
        seen(fs::statat(&dir, "a", AtFlags::empty()).map(|st| stat_line(&st))),
    );
    note(
        "statat follows",
        seen(fs::statat(&dir, "l", AtFlags::empty()).map(|st| stat_line(&st))),
    );
    note(
        "statat nofollow",
        seen(fs::statat(&dir, "l", AtFlags::SYMLINK_NOFOLLOW).map(|st| stat_line(&st))),
    );
    note(
        "statat empty path",
        seen(fs::statat(&file, "", AtFlags::EMPTY_PATH).map(|st| num(st.st_ino) == ino)),
    );
    note(
        "statat empty path without EMPTY_PATH",
        seen(fs::statat(&file, "", AtFlags::empty()).map(|st| stat_line(&st))),
    );
    note(
        "statat file as dirfd",
        seen(fs::statat(&file, "x", AtFlags::empty()).map(|st| stat_line(&st))),
    );
    note(
        "statat closed dirfd",
        seen(fs::statat(bad(), "a", AtFlags::empty()).map(|st| stat_line(&st))),
    );
    note(
        "statat unknown flag",
        seen(fs::statat(&dir, "a", AtFlags::from_bits_retain(0x4000_0000)).map(|st| stat_line(&st))),
    );
    let basic = fs::StatxFlags::BASIC_STATS;
    let x: fs::Statx = fs::statx(&dir, "a", AtFlags::empty(), basic).expect("statx");
    note("statx", statx_line(&x));
    note(
        "statx agrees with fstat",
        format!(
            "{} {} {}",
            num(x.stx_ino) == ino,
            num(x.stx_uid) == num(st.st_uid),
            num(x.stx_size) == num(st.st_size)
        ),
    );
    note(
        "statx nofollow",
        seen(fs::statx(&dir, "l", AtFlags::SYMLINK_NOFOLLOW, basic).map(|x| statx_line(&x))),
    );
    note(
        "statx empty path",
        seen(fs::statx(&file, "", AtFlags::EMPTY_PATH, fs::StatxFlags::SIZE).map(|x| x.stx_size)),
    );
    note(
        "statx missing",
        seen(fs::statx(&dir, "missing", AtFlags::empty(), basic).map(|x| statx_line(&x))),
    );
    note(
        "statx closed dirfd",
        seen(fs::statx(bad(), "a", AtFlags::empty(), basic).map(|x| statx_line(&x))),
    );
    note(
        "statx reserved mask bit",
        seen(
            fs::statx(&dir, "a", AtFlags::empty(), fs::StatxFlags::from_bits_retain(0x8000_0000))
                .map(|x| statx_line(&x)),
        ),
    );
    note(
        "statx interior NUL",
        seen(fs::statx(&dir, "a\0", AtFlags::empty(), basic).map(|x| statx_line(&x))),
    );

    // fstatfs, statfs.
    let fs_type = fs::fstatfs(&file).map(|sfs| num(sfs.f_type));
    note(
        "fstatfs",
        seen(fs::fstatfs(&file).map(|sfs| format!("{:#x} {}", num(sfs.f_type), num(sfs.f_bsize) > 0))),
    );
    note(
        "statfs agrees",
        seen(fs::statfs(&base).map(|sfs| Ok(num(sfs.f_type)) == fs_type)),
    );
    note("statfs missing", seen(fs::statfs(at("missing")).map(|sfs| num(sfs.f_type))));
    note("statfs interior NUL", seen(fs::statfs("a\0").map(|sfs| num(sfs.f_type))));
    note("fstatfs closed", seen(fs::fstatfs(bad()).map(|sfs| num(sfs.f_type))));

    // fcntl_getfl, fcntl_setfl.
    let getfl = |fd: BorrowedFd<'_>| {
        seen(fs::fcntl_getfl(fd).map(|flags| {
            format!(
                "{:#x} rdwr {} rdonly {} append {} nonblock {}",
                flags.bits(),
                (flags & OFlags::ACCMODE) == OFlags::RDWR,
                (flags & OFlags::ACCMODE) == OFlags::RDONLY,
                flags.contains(OFlags::APPEND),
                flags.contains(OFlags::NONBLOCK)
            )
        }))
    };
    note("fcntl_getfl", getfl(file.as_fd()));
    note("fcntl_getfl read-only", getfl(ro.as_fd()));
    note("fcntl_getfl pipe", getfl(writer.as_fd()));
    note(
        "fcntl_setfl",
        seen(fs::fcntl_setfl(&file, OFlags::APPEND | OFlags::NONBLOCK)),
    );
    note("fcntl_getfl after setfl", getfl(file.as_fd()));
    note("write appends", seen(io::pwrite(&file, b"!", 0)));
    note("contents after append", read_all(&file));
    note("fcntl_setfl clear", seen(fs::fcntl_setfl(&file, OFlags::empty())));
    note("fcntl_getfl cleared", getfl(file.as_fd()));
    note("fcntl_setfl pipe", seen(fs::fcntl_setfl(&reader, OFlags::NONBLOCK)));
    note("read empty nonblocking pipe", drain(&reader));
    note("fcntl_setfl pipe back", seen(fs::fcntl_setfl(&reader, OFlags::empty())));
    note("fcntl_getfl closed", getfl(bad()));
    note("fcntl_setfl closed", seen(fs::fcntl_setfl(bad(), OFlags::empty())));

    // seek, tell, on "0123456789!".
    let seek = |pos: fs::SeekFrom| seen(fs::seek(&file, pos));
    note("seek start", seek(fs::SeekFrom::Start(3)));
    note("tell", seen(fs::tell(&file)));
    note("seek current", seek(fs::SeekFrom::Current(2)));
    note("seek end", seek(fs::SeekFrom::End(-1)));
    note("seek past end", seek(fs::SeekFrom::End(5)));
    note("tell past end", seen(fs::tell(&file)));
    note("seek before start", seek(fs::SeekFrom::Current(-100)));
    note("seek 2^63", seek(fs::SeekFrom::Start(1 << 63)));
    note("seek data", seek(fs::SeekFrom::Data(0)));
    note("seek hole", seek(fs::SeekFrom::Hole(0)));
    note("seek data past end", seek(fs::SeekFrom::Data(100)));
    note("seek pipe", seen(fs::seek(&reader, fs::SeekFrom::Start(0))));
    note("tell pipe", seen(fs::tell(&reader)));
    note("seek closed", seen(fs::seek(bad(), fs::SeekFrom::Start(0))));
    note("tell closed", seen(fs::tell(bad())));
    let size = |fd: BorrowedFd<'_>| seen(fs::fstat(fd).map(|st| num(st.st_size)));

    // ftruncate.
    note("ftruncate", seen(fs::ftruncate(&file, 4)));
    note("size after ftruncate", size(file.as_fd()));
    note("contents after ftruncate", read_all(&file));
    note("ftruncate grow", seen(fs::ftruncate(&file, 100)));
    note("size after growing", size(file.as_fd()));
    note("ftruncate 2^63", seen(fs::ftruncate(&file, 1 << 63)));
    note("ftruncate read-only fd", seen(fs::ftruncate(&ro, 0)));
    note("ftruncate pipe", seen(fs::ftruncate(&writer, 0)));
    note("ftruncate dir", seen(fs::ftruncate(&dir, 0)));
    note("ftruncate closed", seen(fs::ftruncate(bad(), 0)));

    // fallocate.
    let no_flags = fs::FallocateFlags::empty();
    note("ftruncate to 0", seen(fs::ftruncate(&file, 0)));
    note("fallocate", seen(fs::fallocate(&file, no_flags, 0, 8192)));
    note("size after fallocate", size(file.as_fd()));
    note(
        "fallocate keep size",
        seen(fs::fallocate(&file, fs::FallocateFlags::KEEP_SIZE, 8192, 4096)),
    );
    note("size after keep size", size(file.as_fd()));
    note("pwrite data", seen(io::pwrite(&file, b"data", 5000)));
    let punch = fs::FallocateFlags::PUNCH_HOLE | fs::FallocateFlags::KEEP_SIZE;
    note("fallocate punch hole", seen(fs::fallocate(&file, punch, 4096, 4096)));
    note("punched", {
        let mut byte = [1u8; 1];
        let n = io::pread(&file, &mut byte, 5000);
        format!("{} {byte:?}", seen(n))
    });
    note(
        "fallocate punch without keep size",
        seen(fs::fallocate(&file, fs::FallocateFlags::PUNCH_HOLE, 0, 4096)),
    );
    note("fallocate zero length", seen(fs::fallocate(&file, no_flags, 0, 0)));
    note("fallocate offset 2^63", seen(fs::fallocate(&file, no_flags, 1 << 63, 1)));
    note(
        "fallocate past the largest offset",
        seen(fs::fallocate(&file, no_flags, i64::MAX as u64, 2)),
    );
    note("fallocate pipe", seen(fs::fallocate(&writer, no_flags, 0, 1)));
    note("fallocate read-only fd", seen(fs::fallocate(&ro, no_flags, 0, 1)));
    note("fallocate closed", seen(fs::fallocate(bad(), no_flags, 0, 1)));
    note("ftruncate to 0 again", seen(fs::ftruncate(&file, 0)));
    note("rewrite a", seen(io::pwrite(&file, b"0123456789", 0)));

    // fadvise.
    for (name, advice) in [
        ("normal", fs::Advice::Normal),
        ("sequential", fs::Advice::Sequential),
        ("random", fs::Advice::Random),
        ("noreuse", fs::Advice::NoReuse),
        ("willneed", fs::Advice::WillNeed),
        ("dontneed", fs::Advice::DontNeed),
    ] {
        note(
            &format!("fadvise {name}"),
            seen(fs::fadvise(&file, 0, None, advice)),
        );
    }
    note(
        "fadvise range",
        seen(fs::fadvise(&file, 4096, NonZeroU64::new(4096), fs::Advice::WillNeed)),
    );
    note(
        "fadvise offset 2^63",
        seen(fs::fadvise(&file, 1 << 63, None, fs::Advice::Normal)),
    );
    note(
        "fadvise length 2^63",
        seen(fs::fadvise(&file, 0, NonZeroU64::new(1 << 63), fs::Advice::Normal)),
    );
    note(
        "fadvise pipe",
        seen(fs::fadvise(&reader, 0, None, fs::Advice::Normal)),
    );
    note(
        "fadvise closed",
        seen(fs::fadvise(bad(), 0, None, fs::Advice::Normal)),
    );

    // fsync, fdatasync.
    note("fsync", seen(fs::fsync(&file)));
    note("fdatasync", seen(fs::fdatasync(&file)));
    note("fsync read-only fd", seen(fs::fsync(&ro)));
    note("fsync dir", seen(fs::fsync(&dir)));
    note("fsync pipe", seen(fs::fsync(&writer)));
    note("fdatasync pipe", seen(fs::fdatasync(&writer)));
    note("fsync closed", seen(fs::fsync(bad())));
    note("fdatasync closed", seen(fs::fdatasync(bad())));

    // flock: `file` and `ro` are two open files of one inode.
    {
        use fs::FlockOperation as Lock;
        let lock = |fd: BorrowedFd<'_>, operation: Lock| seen(fs::flock(fd, operation));
        let (one, two) = (file.as_fd(), ro.as_fd());
        note("flock exclusive", lock(one, Lock::LockExclusive));
        note("flock exclusive, taken", lock(two, Lock::NonBlockingLockExclusive));
        note("flock shared, taken", lock(two, Lock::NonBlockingLockShared));
        note("flock unlock", lock(one, Lock::Unlock));
        note("flock shared", lock(two, Lock::NonBlockingLockShared));
        note("flock shared twice", lock(one, Lock::LockShared));
        note("flock upgrade, shared elsewhere", lock(one, Lock::NonBlockingLockExclusive));
        note("flock unlock nonblocking", lock(two, Lock::NonBlockingUnlock));
        note("flock upgrade", lock(one, Lock::NonBlockingLockExclusive));
        note("flock unlock again", lock(one, Lock::Unlock));
        note("flock closed", lock(bad(), Lock::LockShared));
    }

    // fchmod, chmodat.
    let mode_of = |name: &str| seen(fs::lstat(at(name)).map(|st| Mode::from_raw_mode(st.st_mode).bits()));
    note("fchmod", seen(fs::fchmod(&file, Mode::from_raw_mode(0o640))));
    note("mode after fchmod", mode_of("a"));
    note("fchmod closed", seen(fs::fchmod(bad(), Mode::RUSR)));
    note(
        "chmodat",
        seen(fs::chmodat(&dir, "a", Mode::RUSR | Mode::WUSR, AtFlags::empty())),
    );
    note("mode after chmodat", mode_of("a"));
    note(
        "chmodat through symlink",
        seen(fs::chmodat(&dir, "l", Mode::from_raw_mode(0o644), AtFlags::empty())),
    );
    note("mode after chmodat through symlink", mode_of("a"));
    note(
        "chmodat nofollow",
        seen(fs::chmodat(&dir, "l", Mode::RUSR, AtFlags::SYMLINK_NOFOLLOW)),
    );
    note(
        "chmodat other flag",
        seen(fs::chmodat(&dir, "a", Mode::RUSR, AtFlags::REMOVEDIR)),
    );
    note(
        "chmodat missing",
        seen(fs::chmodat(&dir, "missing", Mode::RUSR, AtFlags::empty())),
    );
    note(
        "chmodat closed dirfd",
        seen(fs::chmodat(bad(), "a", Mode::RUSR, AtFlags::empty())),
    );

    // fchown, chownat: to the owner it has, and to a uid past 16 bits.
    let (uid, gid) = (process::geteuid(), process::getegid());
    let owner_of = |name: &str| {
        seen(fs::lstat(at(name)).map(|st| {
            format!(
                "{} {}",
                num(st.st_uid) == num(uid.as_raw()),
                num(st.st_gid) == num(gid.as_raw())
            )
        }))
    };
    note("fchown nothing", seen(fs::fchown(&file, None, None)));
    note("fchown same", seen(fs::fchown(&file, Some(uid), Some(gid))));
    note("owner after fchown", owner_of("a"));
    let far = fs::Uid::from_raw(70_000);
    note("fchown to uid 70000", seen(fs::fchown(&file, Some(far), None)));
    note(
        "uid after fchown",
        seen(fs::fstat(&file).map(|st| num(st.st_uid))),
    );
    note("fchown back", seen(fs::fchown(&file, Some(uid), None)));
    note(
        "chownat nofollow",
        seen(fs::chownat(&dir, "l", Some(uid), Some(gid), AtFlags::SYMLINK_NOFOLLOW)),
    );
    note("owner of symlink", owner_of("l"));
    note(
        "chownat group only",
        seen(fs::chownat(&dir, "a", None, Some(gid), AtFlags::empty())),
    );
    note(
        "chownat missing",
        seen(fs::chownat(&dir, "missing", Some(uid), None, AtFlags::empty())),
    );
    note("fchown closed", seen(fs::fchown(bad(), None, None)));

    // utimensat, futimens; read back through statx and stat.
    let times = |atime: i64, mtime: i64| fs::Timestamps {
        last_access: fs::Timespec {
            tv_sec: atime,
            tv_nsec: 250,
        },
        last_modification: fs::Timespec {
            tv_sec: mtime,
            tv_nsec: 500,
        },
    };
    let stamps = |name: &str, flags: AtFlags| {
        let mask = fs::StatxFlags::ATIME | fs::StatxFlags::MTIME;
        let x = fs::statx(&dir, name, flags, mask);
        let st = fs::statat(&dir, name, flags);
        seen(x.and_then(|x| {
            st.map(|st| {
                format!(
                    "atime {}.{} mtime {}.{}, stat mtime {}.{}",
                    x.stx_atime.tv_sec,
                    x.stx_atime.tv_nsec,
                    x.stx_mtime.tv_sec,
                    x.stx_mtime.tv_nsec,
                    num(st.st_mtime),
                    num(st.st_mtime_nsec)
                )
            })
        }))
    };
    note(
        "utimensat",
        seen(fs::utimensat(&dir, "a", &times(1_000_000_000, 1_500_000_000), AtFlags::empty())),
    );
    note("times after utimensat", stamps("a", AtFlags::empty()));
    note(
        "utimensat nofollow",
        seen(fs::utimensat(&dir, "l", &times(1_100_000_000, 1_200_000_000), AtFlags::SYMLINK_NOFOLLOW)),
    );
    note("times of symlink", stamps("l", AtFlags::SYMLINK_NOFOLLOW));
    note("times of target", stamps("a", AtFlags::empty()));
    note("futimens", seen(fs::futimens(&file, &times(1_600_000_000, 1_700_000_000))));
    note("times after futimens", stamps("a", AtFlags::empty()));
    note(
        "futimens past 2038",
        seen(fs::futimens(&file, &times(5_000_000_000, 5_000_000_001))),
    );
    note("times past 2038", stamps("a", AtFlags::empty()));
    let mut wrong = times(1, 2);
    wrong.last_modification.tv_nsec = 1_000_000_000;
    note(
        "utimensat nanoseconds out of range",
        seen(fs::utimensat(&dir, "a", &wrong, AtFlags::empty())),
    );
    note(
        "utimensat missing",
        seen(fs::utimensat(&dir, "missing", &times(1, 2), AtFlags::empty())),
    );
    note("futimens closed", seen(fs::futimens(bad(), &times(1, 2))));

    // copy_file_range, from "0123456789".
    let copy = fs::openat(&dir, "copy", create, Mode::from_raw_mode(0o644)).expect("create copy");
    let mut off_in = 2;
    note(
        "copy_file_range",
        seen(fs::copy_file_range(&file, Some(&mut off_in), &copy, None, 3)),
    );
    note("copy_file_range offsets", format!("{off_in} {}", seen(fs::tell(&copy))));
    note("copy_file_range copied", read_all(&copy));
    let mut off_out = 10;
    note("seek source", seen(fs::seek(&file, fs::SeekFrom::Start(6))));
    note(
        "copy_file_range at the target's offset",
        seen(fs::copy_file_range(&file, None, &copy, Some(&mut off_out), 4)),
    );
    note(
        "copy_file_range offsets",
        format!("{off_out} {} {}", seen(fs::tell(&file)), seen(fs::tell(&copy))),
    );
    note("copy_file_range copied", read_all(&copy));
    let mut past = 100;
    note(
        "copy_file_range past the end",
        seen(fs::copy_file_range(&file, Some(&mut past), &copy, None, 5)),
    );
    note(
        "copy_file_range to a pipe",
        seen(fs::copy_file_range(&file, None, &writer, None, 5)),
    );
    note(
        "copy_file_range to a read-only fd",
        seen(fs::copy_file_range(&file, None, &ro, None, 5)),
    );
    note(
        "copy_file_range closed",
        seen(fs::copy_file_range(bad(), None, &copy, None, 5)),
    );

    // memfd_create, fcntl_add_seals, fcntl_get_seals.
    let seals = |fd: BorrowedFd<'_>| seen(fs::fcntl_get_seals(fd).map(|seals| seals.bits()));
    let sealing = fs::MemfdFlags::CLOEXEC | fs::MemfdFlags::ALLOW_SEALING;
    let memfd = fs::memfd_create("barecall-compat", sealing).expect("memfd_create");
    note(
        "memfd",
        format!("{} {}", cloexec(&memfd), seen(fs::fstat(&memfd).map(|st| stat_line(&st)))),
    );
    note("memfd seals", seals(memfd.as_fd()));
    note("write memfd", seen(io::write(&memfd, b"sealed")));
    note(
        "add seals",
        seen(fs::fcntl_add_seals(&memfd, fs::SealFlags::SHRINK | fs::SealFlags::GROW)),
    );
    note("seals after adding", seals(memfd.as_fd()));
    note("sealed shrink", seen(fs::ftruncate(&memfd, 1)));
    note("sealed grow", seen(fs::ftruncate(&memfd, 100)));
    note("sealed write past the end", seen(io::pwrite(&memfd, b"!", 6)));
    note("sealed overwrite", seen(io::pwrite(&memfd, b"S", 0)));
    note("seal the seals", seen(fs::fcntl_add_seals(&memfd, fs::SealFlags::SEAL)));
    note(
        "add seals after SEAL",
        seen(fs::fcntl_add_seals(&memfd, fs::SealFlags::WRITE)),
    );
    note("memfd contents", read_all(&memfd));
    let plain = fs::memfd_create("plain", fs::MemfdFlags::empty()).expect("memfd_create");
    note("memfd without sealing", format!("{} {}", cloexec(&plain), seals(plain.as_fd())));
    note(
        "add seals without sealing",
        seen(fs::fcntl_add_seals(&plain, fs::SealFlags::GROW)),
    );
    note(
        "memfd interior NUL",
        seen(fs::memfd_create("a\0b", fs::MemfdFlags::empty()).map(drop)),
    );
    note(
        "memfd long name",
        seen(fs::memfd_create("n".repeat(300).as_str(), fs::MemfdFlags::empty()).map(drop)),
    );
    note(
        "memfd unknown flag",
        seen(fs::memfd_create("x", fs::MemfdFlags::from_bits_retain(0x100)).map(drop)),
    );
    note("get seals of a regular file", seals(file.as_fd()));
    note("get seals closed", seals(bad()));
    note(
        "add seals closed",
        seen(fs::fcntl_add_seals(bad(), fs::SealFlags::GROW)),
    );

    // linkat, readlinkat, mkdirat, mkdir.
    let nlink = |fd: BorrowedFd<'_>| seen(fs::fstat(fd).map(|st| num(st.st_nlink)));
    note("linkat", seen(fs::linkat(&dir, "a", &dir, "h", AtFlags::empty())));
    note("links after linkat", nlink(file.as_fd()));
    note(
        "linkat onto existing",
        seen(fs::linkat(&dir, "a", &dir, "h", AtFlags::empty())),
    );
    note(
        "linkat follow",
        seen(fs::linkat(&dir, "l", &dir, "h2", AtFlags::SYMLINK_FOLLOW)),
    );
    note("linked through symlink", seen(fs::lstat(at("h2")).map(|st| num(st.st_ino) == ino)));
    note(
        "linkat symlink itself",
        seen(fs::linkat(&dir, "l", &dir, "h3", AtFlags::empty())),
    );
    note("linked symlink", seen(fs::lstat(at("h3")).map(|st| stat_line(&st))));
    note(
        "linkat missing",
        seen(fs::linkat(&dir, "missing", &dir, "h4", AtFlags::empty())),
    );
    note(
        "linkat closed dirfd",
        seen(fs::linkat(bad(), "a", &dir, "h4", AtFlags::empty())),
    );
    note(
        "readlinkat",
        seen(fs::readlinkat(&dir, "l", Vec::new()).map(|target| target.to_string_lossy().into_owned())),
    );
    let target = "t".repeat(300);
    note("symlinkat long target", seen(fs::symlinkat(target.as_str(), &dir, "long")));
    note(
        "readlinkat long target",
        seen(fs::readlinkat(&dir, "long", Vec::with_capacity(1)).map(|t| t.as_bytes() == target.as_bytes())),
    );
    note(
        "readlinkat regular file",
        seen(fs::readlinkat(&dir, "a", Vec::new()).map(drop)),
    );
    note(
        "readlinkat missing",
        seen(fs::readlinkat(&dir, "missing", Vec::new()).map(drop)),
    );
    note(
        "readlinkat closed dirfd",
        seen(fs::readlinkat(bad(), "l", Vec::new()).map(drop)),
    );
    note("mkdirat", seen(fs::mkdirat(&dir, "sub", Mode::RWXU)));
    note(
        "made by mkdirat",
        seen(fs::statat(&dir, "sub", AtFlags::empty()).map(|st| stat_line(&st))),
    );
    note("mkdirat existing", seen(fs::mkdirat(&dir, "sub", Mode::RWXU)));
    note("mkdirat missing parent", seen(fs::mkdirat(&dir, "no/such", Mode::RWXU)));
    note("mkdirat file as dirfd", seen(fs::mkdirat(&file, "x", Mode::RWXU)));
    note("mkdirat closed dirfd", seen(fs::mkdirat(bad(), "x", Mode::RWXU)));
    note("mkdir", seen(fs::mkdir(at("sub2"), Mode::from_raw_mode(0o755))));
    note("made by mkdir", seen(fs::stat(at("sub2")).map(|st| stat_line(&st))));
    note("mkdir interior NUL", seen(fs::mkdir("x\0", Mode::RWXU)));
    note("mkdir PATH_MAX", seen(fs::mkdir(long.as_str(), Mode::RWXU)));
    note(
        "linkat directory",
        seen(fs::linkat(&dir, "sub", &dir, "sublink", AtFlags::empty())),
    );

    // renameat, renameat_with, rename.
    let text_of = |name: &str| {
        fs::openat(&dir, name, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
            .map_or_else(|errno| format!("errno {}", errno.raw_os_error()), read_all)
    };
    note("renameat", seen(fs::renameat(&dir, "h", &dir, "h-renamed")));
    note("old name after renameat", seen(fs::lstat(at("h")).map(drop)));
    note("rename", seen(fs::rename(at("h-renamed"), at("h"))));
    note(
        "rename missing",
        seen(fs::rename(at("missing"), at("other"))),
    );
    note("rename interior NUL", seen(fs::rename("a\0", at("other"))));
    note(
        "renameat dir onto file",
        seen(fs::renameat(&dir, "sub", &dir, "a")),
    );
    note(
        "renameat file onto dir",
        seen(fs::renameat(&dir, "a", &dir, "sub2")),
    );
    note(
        "renameat closed dirfd",
        seen(fs::renameat(bad(), "h", &dir, "h5")),
    );
    let noreplace = fs::RenameFlags::NOREPLACE;
    note(
        "renameat_with noreplace onto existing",
        seen(fs::renameat_with(&dir, "h", &dir, "copy", noreplace)),
    );
    note(
        "renameat_with noreplace",
        seen(fs::renameat_with(&dir, "h", &dir, "fresh", noreplace)),
    );
    note(
        "renameat_with exchange",
        seen(fs::renameat_with(&dir, "fresh", &dir, "copy", fs::RenameFlags::EXCHANGE)),
    );
    note("exchanged", format!("{} {}", text_of("fresh"), text_of("copy")));
    note(
        "renameat_with exchange with missing",
        seen(fs::renameat_with(&dir, "fresh", &dir, "missing", fs::RenameFlags::EXCHANGE)),
    );
    note(
        "renameat_with exchange and noreplace",
        seen(fs::renameat_with(
            &dir,
            "fresh",
            &dir,
            "copy",
            fs::RenameFlags::EXCHANGE | noreplace,
        )),
    );
    note(
        "renameat_with empty flags",
        seen(fs::renameat_with(&dir, "fresh", &dir, "h", fs::RenameFlags::empty())),
    );

    // accessat, access.
    let rw = fs::Access::READ_OK | fs::Access::WRITE_OK;
    note("accessat", seen(fs::accessat(&dir, "a", rw, AtFlags::empty())));
    note(
        "accessat exec",
        seen(fs::accessat(&dir, "a", fs::Access::EXEC_OK, AtFlags::empty())),
    );
    note(
        "accessat eaccess",
        seen(fs::accessat(&dir, "a", fs::Access::EXISTS, AtFlags::EACCESS)),
    );
    note(
        "accessat nofollow",
        seen(fs::accessat(&dir, "l", fs::Access::EXISTS, AtFlags::SYMLINK_NOFOLLOW)),
    );
    note(
        "accessat other flag",
        seen(fs::accessat(&dir, "a", fs::Access::EXISTS, AtFlags::SYMLINK_FOLLOW)),
    );
    note(
        "accessat missing",
        seen(fs::accessat(&dir, "missing", fs::Access::EXISTS, AtFlags::empty())),
    );
    note(
        "accessat closed dirfd",
        seen(fs::accessat(bad(), "a", fs::Access::EXISTS, AtFlags::empty())),
    );
    note("access", seen(fs::access(at("a"), fs::Access::EXISTS)));
    note("access dir", seen(fs::access(&base, rw | fs::Access::EXEC_OK)));
    note("access missing", seen(fs::access(at("missing"), fs::Access::EXISTS)));
    note("access interior NUL", seen(fs::access("a\0", fs::Access::EXISTS)));
    note("access PATH_MAX", seen(fs::access(long.as_str(), fs::Access::EXISTS)));

    // unlinkat, unlink, rmdir.
    let removedir = AtFlags::REMOVEDIR;
    note(
        "unlinkat dir without REMOVEDIR",
        seen(fs::unlinkat(&dir, "sub", AtFlags::empty())),
    );
    note("unlinkat file with REMOVEDIR", seen(fs::unlinkat(&dir, "a", removedir)));
    note("unlinkat", seen(fs::unlinkat(&dir, "h2", AtFlags::empty())));
    note("unlinkat dir", seen(fs::unlinkat(&dir, "sub", removedir)));
    note("unlinkat missing", seen(fs::unlinkat(&dir, "sub", removedir)));
    note("unlinkat closed dirfd", seen(fs::unlinkat(bad(), "a", AtFlags::empty())));
    note("unlink", seen(fs::unlink(at("h3"))));
    note("unlink missing", seen(fs::unlink(at("h3"))));
    note("unlink dir", seen(fs::unlink(at("sub2"))));
    note("unlink interior NUL", seen(fs::unlink("a\0")));
    note("rmdir", seen(fs::rmdir(at("sub2"))));
    note("rmdir file", seen(fs::rmdir(at("a"))));
    note("rmdir not empty", seen(fs::rmdir(&base)));
    note("rmdir missing", seen(fs::rmdir(at("sub2"))));
    note("links after unlinking", nlink(file.as_fd()));

    // CWD: relative paths from the process's directory.
    note(
        "statat CWD absolute",
        seen(fs::statat(fs::CWD, at("a"), AtFlags::empty()).map(|st| num(st.st_ino) == ino)),
    );
    note("read CWD", seen(io::read(fs::CWD, &mut [0u8; 1])));

    drop((file, ro, copy, dir));
    std::fs::remove_dir_all(&base).expect("remove scratch dir");
}

/// `fs::Dir` and `fs::RawDir`, over a directory of known entries.
fn dir_items(out: &mut Vec<String>) {
    let mut note = |what: &str, value: String| out.push(format!("{what}: {value}"));
    let base = scratch_dir("dir");
    for name in ["one", "two", "three"] {
        std::fs::write(base.join(name), name).expect("create entry");
    }
    std::fs::create_dir(base.join("four")).expect("create entry");
    std::os::unix::fs::symlink("one", base.join("five")).expect("create entry");
    let dir = open_dir(&base);
    let ino_of = |name: &CStr| {
        fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW).map_or(-1, |st| num(st.st_ino))
    };
    // Each entry as "name:type", sorted (the order is the file system's), and whether every
    // inode number matches what `statat` says.
    let listing = |entries: Vec<(String, &str, bool)>| {
        let mut names: Vec<String> = entries
            .iter()
            .map(|(name, file_type, _)| format!("{name}:{file_type}"))
            .collect();
        names.sort();
        let inodes = entries.iter().all(|(_, _, same)| *same);
        format!("{} inodes {inodes}", names.join(" "))
    };
    let entry = |entry: &fs::DirEntry| {
        (
            entry.file_name().to_string_lossy().into_owned(),
            kind(entry.file_type()),
            ino_of(entry.file_name()) == num(entry.ino()),
        )
    };

    // Dir: read_from, read, rewind, stat, fd, seek, new, Iterator.
    let mut listed = fs::Dir::read_from(&dir).expect("Dir::read_from");
    let mut entries = Vec::new();
    let mut offsets = Vec::new();
    while let Some(next) = listed.read() {
        match next {
            Ok(e) => {
                offsets.push((e.file_name().to_owned(), e.offset()));
                entries.push(entry(&e));
            }
            Err(errno) => entries.push((format!("errno {}", errno.raw_os_error()), "", false)),
        }
    }
    note("Dir", listing(entries));
    note("Dir after the end", format!("{}", listed.read().is_none()));
    listed.rewind();
    note("Dir rewound", format!("{}", listed.by_ref().count()));
    note("Dir stat", seen(listed.stat().map(|st| stat_line(&st))));
    let dir_fs = fs::fstatfs(&dir).map(|sfs| num(sfs.f_type));
    note(
        "Dir statfs",
        seen(listed.statfs().map(|sfs| Ok(num(sfs.f_type)) == dir_fs)),
    );
    let home = open_dir(".");
    note("Dir chdir", seen(listed.chdir()));
    note(
        "getcwd after Dir chdir",
        seen(process::getcwd(Vec::new()).map(|cwd| cwd.as_bytes() == base.as_os_str().as_bytes())),
    );
    note("fchdir back", seen(process::fchdir(&home)));
    drop(home);
    note("Dir fd", seen(listed.fd().map(|fd| same_file(fd, &dir))));
    #[cfg(target_pointer_width = "64")]
    {
        // After seeking to the first entry's offset, the second entry comes next.
        let (first_offset, second) = (offsets[0].1, offsets[1].0.clone());
        note("Dir seek", seen(listed.seek(first_offset)));
        note(
            "Dir after seek",
            format!(
                "{}",
                listed
                    .read()
                    .is_some_and(|e| e.is_ok_and(|e| e.file_name() == &*second))
            ),
        );
    }
    let fresh = fs::openat(&dir, ".", OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
        .expect("open dir again");
    let owned = fs::Dir::new(fresh).expect("Dir::new");
    note(
        "Dir::new as iterator",
        listing(owned.map(|e| e.map_or_else(|e| (format!("errno {}", e.raw_os_error()), "", false), |e| entry(&e))).collect()),
    );
    let file = fs::openat(&dir, "one", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
        .expect("open entry");
    let not_dir = fs::openat(&dir, "one", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
        .expect("open entry");
    let mut not_dir = fs::Dir::new(not_dir).expect("Dir::new");
    note(
        "Dir::new on a file",
        format!(
            "{:?} then {}",
            not_dir.read().map(|e| e.map(|_| ()).map_err(|e| e.raw_os_error())),
            not_dir.read().is_none()
        ),
    );
    note(
        "Dir::read_from a file",
        seen(fs::Dir::read_from(&file).map(drop)),
    );
    note("Dir::read_from closed", seen(fs::Dir::read_from(bad()).map(drop)));

    // RawDir, with a buffer that holds two or three records: several getdents64 calls.
    let raw_fd = fs::openat(&dir, ".", OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
        .expect("open dir again");
    let mut buf = [MaybeUninit::<u8>::uninit(); 80];
    let mut raw = fs::RawDir::new(&raw_fd, &mut buf);
    let mut entries = Vec::new();
    let mut cookies = Vec::new();
    while let Some(next) = raw.next() {
        match next {
            Ok(e) => {
                cookies.push(e.next_entry_cookie());
                entries.push((
                    e.file_name().to_string_lossy().into_owned(),
                    kind(e.file_type()),
                    ino_of(e.file_name()) == num(e.ino()),
                ));
            }
            Err(errno) => {
                entries.push((format!("errno {}", errno.raw_os_error()), "", false));
                break;
            }
        }
    }
    note("RawDir", listing(entries));
    note("RawDir buffer empty at the end", format!("{}", raw.is_buffer_empty()));
    cookies.sort_unstable();
    cookies.dedup();
    note("RawDir cookies distinct", format!("{}", cookies.len()));
    let mut tiny = [MaybeUninit::<u8>::uninit(); 8];
    let again = fs::openat(&dir, ".", OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
        .expect("open dir again");
    note(
        "RawDir buffer too small",
        format!("{:?}", fs::RawDir::new(&again, &mut tiny).next().map(|e| e.map(drop).map_err(|e| e.raw_os_error()))),
    );
    let mut buf = [MaybeUninit::<u8>::uninit(); 256];
    note(
        "RawDir on a file",
        format!("{:?}", fs::RawDir::new(&file, &mut buf).next().map(|e| e.map(drop).map_err(|e| e.raw_os_error()))),
    );
    note(
        "RawDir closed",
        format!("{:?}", fs::RawDir::new(bad(), &mut buf).next().map(|e| e.map(drop).map_err(|e| e.raw_os_error()))),
    );

    drop((dir, file, raw_fd, again));
    std::fs::remove_dir_all(&base).expect("remove scratch dir");
}

/// `pipe` beyond `pipe()`: sizes, splice, vmsplice, tee.
fn pipe_items(out: &mut Vec<String>) {
    let mut note = |what: &str, value: String| out.push(format!("{what}: {value}"));
    use pipe::{SpliceFlags, PIPE_BUF};
    let none = SpliceFlags::empty();
    note("PIPE_BUF", format!("{PIPE_BUF}"));
    note(
        "splice flags",
        format!(
            "{:#x} {:#x} {:#x} {:#x}",
            SpliceFlags::MOVE.bits(),
            SpliceFlags::NONBLOCK.bits(),
            SpliceFlags::MORE.bits(),
            SpliceFlags::GIFT.bits()
        ),
    );
    let (reader, writer) = pipe::pipe().expect("pipe");
    let file = file_with(b"0123456789");

    // fcntl_getpipe_size, fcntl_setpipe_size.
    let default_size = pipe::fcntl_getpipe_size(&reader);
    note("fcntl_getpipe_size", seen(default_size));
    note(
        "fcntl_getpipe_size both ends",
        format!("{}", pipe::fcntl_getpipe_size(&writer) == default_size),
    );
    note("fcntl_setpipe_size", seen(pipe::fcntl_setpipe_size(&writer, 3 * 4096)));
    note("fcntl_getpipe_size after", seen(pipe::fcntl_getpipe_size(&reader)));
    note(
        "fcntl_setpipe_size too large",
        seen(pipe::fcntl_setpipe_size(&writer, usize::MAX)),
    );
    note(
        "fcntl_setpipe_size back",
        format!(
            "{}",
            default_size.is_ok_and(|size| pipe::fcntl_setpipe_size(&writer, size) == Ok(size))
        ),
    );
    note("fcntl_getpipe_size file", seen(pipe::fcntl_getpipe_size(&file)));
    note("fcntl_setpipe_size file", seen(pipe::fcntl_setpipe_size(&file, 4096)));
    note("fcntl_getpipe_size closed", seen(pipe::fcntl_getpipe_size(bad())));

    // splice: file to pipe at an offset, pipe to file at an offset, and refusals.
    let mut off = 2;
    note(
        "splice file to pipe",
        seen(pipe::splice(&file, Some(&mut off), &writer, None, 4, none)),
    );
    note("splice offset", format!("{off} {}", seen(fs::tell(&file))));
    note("spliced", drain(&reader));
    note("write pipe", seen(io::write(&writer, b"abc")));
    let mut off = 1;
    note(
        "splice pipe to file",
        seen(pipe::splice(&reader, None, &file, Some(&mut off), 8, none)),
    );
    note("splice offset", format!("{off}"));
    note("contents after splice", contents(&file));
    note(
        "splice nonblocking from empty pipe",
        seen(pipe::splice(&reader, None, &file, None, 8, SpliceFlags::NONBLOCK)),
    );
    let other = file_with(b"x");
    note(
        "splice file to file",
        seen(pipe::splice(&file, None, &other, None, 1, none)),
    );
    note(
        "splice offset on the pipe",
        seen(pipe::splice(&file, None, &writer, Some(&mut 0), 1, none)),
    );
    note(
        "splice closed",
        seen(pipe::splice(bad(), None, &writer, None, 1, none)),
    );

    // vmsplice: user memory into the pipe, and out of it.
    let parts = [
        pipe::IoSliceRaw::from_slice(b"vm"),
        pipe::IoSliceRaw::from_slice(b"splice"),
    ];
    // SAFETY: without SPLICE_F_GIFT the kernel copies the bytes in; they are not changed
    // while the call runs, and outlive it.
    note("vmsplice in", seen(unsafe { pipe::vmsplice(&writer, &parts, none) }));
    let mut got = [0u8; 5];
    // SAFETY: the buffer is live and writable, and nothing else uses it during the call.
    let n = unsafe {
        pipe::vmsplice(&reader, &[pipe::IoSliceRaw::from_slice_mut(&mut got)], none)
    };
    note("vmsplice out", format!("{} {:?}", seen(n), String::from_utf8_lossy(&got)));
    note("rest of the pipe", drain(&reader));
    // SAFETY: as above; the call fails before reading anything.
    note(
        "vmsplice to a file",
        seen(unsafe { pipe::vmsplice(&file, &parts, none) }),
    );
    // SAFETY: as above.
    note(
        "vmsplice closed",
        seen(unsafe { pipe::vmsplice(bad(), &parts, none) }),
    );

    // tee: the bytes stay in the first pipe.
    let (reader2, writer2) = pipe::pipe().expect("pipe");
    note("write pipe", seen(io::write(&writer, b"teed")));
    note("tee", seen(pipe::tee(&reader, &writer2, 100, none)));
    note("tee copy", drain(&reader2));
    note("tee original", drain(&reader));
    note(
        "tee nonblocking from empty pipe",
        seen(pipe::tee(&reader, &writer2, 100, SpliceFlags::NONBLOCK)),
    );
    note("tee from a file", seen(pipe::tee(&file, &writer2, 1, none)));
    note("tee closed", seen(pipe::tee(bad(), &writer2, 1, none)));
}

/// FIONREAD, FIONBIO, FIOCLEX, FIONCLEX: the same numbers on every architecture barecall has.
const FIONREAD: ioctl::Opcode = 0x541B;
const FIONBIO: ioctl::Opcode = 0x5421;
const FIOCLEX: ioctl::Opcode = 0x5451;
const FIONCLEX: ioctl::Opcode = 0x5450;
/// `FICLONE`, `_IOW(0x94, 9, int)`: the argument is the source fd, by value.
const FICLONE: ioctl::Opcode = ioctl::opcode::write::<c_int>(0x94, 9);

/// A user's own ioctl type: FIONREAD, through the `Ioctl` trait.
struct BytesWaiting(c_int);

// SAFETY: FIONREAD writes one `int` through the pointer, which points at `self.0`, and
// `output_from_ptr` reads it back only after the call succeeded.
unsafe impl ioctl::Ioctl for BytesWaiting {
    type Output = c_int;
    const IS_MUTATING: bool = true;

    fn opcode(&self) -> ioctl::Opcode {
        FIONREAD
    }

    fn as_ptr(&mut self) -> *mut c_void {
        (&mut self.0 as *mut c_int).cast()
    }

    unsafe fn output_from_ptr(_: ioctl::IoctlOutput, ptr: *mut c_void) -> io::Result<c_int> {
        // SAFETY: `ptr` is the pointer `as_ptr` gave, to the `int` the kernel wrote.
        Ok(unsafe { ptr.cast::<c_int>().read() })
    }
}

/// What an `Ioctl` says about itself.
fn describe<I: ioctl::Ioctl>(ioctl: &I) -> String {
    format!("{:#x} {}", ioctl.opcode(), I::IS_MUTATING)
}

/// `ioctl`: the patterns, opcodes of every direction, and a user's own `Ioctl`.
fn ioctl_items(out: &mut Vec<String>) {
    let mut note = |what: &str, value: String| out.push(format!("{what}: {value}"));
    use ioctl::{opcode, Getter, IntegerSetter, NoArg, Setter, Updater};
    note(
        "opcodes",
        format!(
            "{:#x} {:#x} {:#x} {:#x} {:#x}",
            opcode::none(b'T', 227),
            opcode::read::<u64>(b'v', 1),
            opcode::write::<c_int>(b'T', 200),
            opcode::read_write::<[u8; 100]>(b'X', 119),
            FICLONE
        ),
    );
    let (reader, writer) = pipe::pipe().expect("pipe");
    note("write pipe", seen(io::write(&writer, b"hello")));

    // SAFETY (every `ioctl` call below): the opcode's argument is what the pattern passes: an
    // `int` the kernel writes (FIONREAD), an `int` it reads (FIONBIO), nothing (FIOCLEX,
    // FIONCLEX), an fd by value (FICLONE); the made-up opcodes are unknown to a pipe, which
    // refuses them without touching the argument.
    note(
        "Getter FIONREAD",
        seen(unsafe { ioctl::ioctl(&reader, Getter::<FIONREAD, c_int>::new()) }),
    );
    let mut count: c_int = -1;
    // SAFETY: see above.
    let result = unsafe { ioctl::ioctl(&reader, Updater::<FIONREAD, c_int>::new(&mut count)) };
    note("Updater FIONREAD", format!("{} {count}", seen(result)));
    note("own Ioctl", describe(&BytesWaiting(0)));
    // SAFETY: see above.
    note(
        "own Ioctl FIONREAD",
        seen(unsafe { ioctl::ioctl(&reader, BytesWaiting(-1)) }),
    );
    // SAFETY: see above.
    note(
        "Setter FIONBIO",
        seen(unsafe { ioctl::ioctl(&reader, Setter::<FIONBIO, c_int>::new(1)) }),
    );
    note("read after FIONBIO", drain(&reader));
    note("read empty after FIONBIO", drain(&reader));
    let mut off: c_int = 0;
    // SAFETY: see above; `off` outlives the call.
    let result = unsafe {
        ioctl::ioctl(
            &reader,
            IntegerSetter::<FIONBIO>::new_pointer((&mut off as *mut c_int).cast()),
        )
    };
    note("IntegerSetter pointer FIONBIO", seen(result));
    note(
        "nonblocking after",
        seen(fs::fcntl_getfl(&reader).map(|flags| flags.contains(OFlags::NONBLOCK))),
    );
    // SAFETY: see above.
    note(
        "NoArg FIOCLEX",
        seen(unsafe { ioctl::ioctl(&reader, NoArg::<FIOCLEX>::new()) }),
    );
    note("cloexec after FIOCLEX", cloexec(&reader));
    // SAFETY: see above.
    note(
        "NoArg FIONCLEX",
        seen(unsafe { ioctl::ioctl(&reader, NoArg::<FIONCLEX>::new()) }),
    );
    note("cloexec after FIONCLEX", cloexec(&reader));
    let source = file_with(b"clone me");
    let target = file_with(b"");
    // SAFETY: see above.
    let result = unsafe {
        ioctl::ioctl(&target, IntegerSetter::<FICLONE>::new_usize(source.as_raw_fd() as usize))
    };
    // Whatever the file system says (a copy of the extents, or EOPNOTSUPP without reflinks).
    note("IntegerSetter FICLONE", seen(result));
    // SAFETY: see above.
    let result =
        unsafe { ioctl::ioctl(&target, IntegerSetter::<FICLONE>::new_usize(NEVER_OPEN as usize)) };
    note("IntegerSetter FICLONE closed source", seen(result));
    // SAFETY: see above.
    note(
        "none unknown",
        seen(unsafe { ioctl::ioctl(&reader, NoArg::<{ opcode::none(b'z', 1) }>::new()) }),
    );
    // SAFETY: see above.
    note(
        "read unknown",
        seen(unsafe {
            ioctl::ioctl(&reader, Getter::<{ opcode::read::<c_int>(b'z', 2) }, c_int>::new())
        }),
    );
    // SAFETY: see above.
    note(
        "write unknown",
        seen(unsafe {
            ioctl::ioctl(&reader, Setter::<{ opcode::write::<c_int>(b'z', 3) }, c_int>::new(0))
        }),
    );
    let mut value: c_int = 7;
    // SAFETY: see above.
    let result = unsafe {
        ioctl::ioctl(
            &reader,
            Updater::<{ opcode::read_write::<c_int>(b'z', 4) }, c_int>::new(&mut value),
        )
    };
    note("read_write unknown", format!("{} {value}", seen(result)));
    // SAFETY: see above.
    note(
        "ioctl closed",
        seen(unsafe { ioctl::ioctl(bad(), Getter::<FIONREAD, c_int>::new()) }),
    );
}

/// `rand::getrandom` into every kind of buffer, and its flags.
fn rand_items(out: &mut Vec<String>) {
    let mut note = |what: &str, value: String| out.push(format!("{what}: {value}"));
    use rand::GetRandomFlags;
    let none = GetRandomFlags::empty();
    note(
        "getrandom flags",
        format!(
            "{:#x} {:#x} {:#x}",
            GetRandomFlags::RANDOM.bits(),
            GetRandomFlags::NONBLOCK.bits(),
            GetRandomFlags::INSECURE.bits()
        ),
    );
    let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
    note("getrandom array", seen(rand::getrandom(&mut a, none)));
    note("getrandom again", seen(rand::getrandom(&mut b, none)));
    note(
        "getrandom random",
        format!("{} {}", a.iter().any(|&x| x != 0), a != b),
    );
    note("getrandom slice", seen(rand::getrandom(&mut a[..10], none)));
    let mut uninit = [MaybeUninit::<u8>::uninit(); 16];
    note(
        "getrandom uninit",
        seen(rand::getrandom(&mut uninit, none).map(|(init, rest)| (init.len(), rest.len()))),
    );
    let mut vec = Vec::with_capacity(8);
    note(
        "getrandom spare capacity",
        format!(
            "{} {}",
            seen(rand::getrandom(buffer::spare_capacity(&mut vec), none)),
            vec.len()
        ),
    );
    note("getrandom empty", seen(rand::getrandom(&mut [0u8; 0], none)));
    note(
        "getrandom nonblock",
        seen(rand::getrandom(&mut a, GetRandomFlags::NONBLOCK)),
    );
    note(
        "getrandom insecure",
        seen(rand::getrandom(&mut a, GetRandomFlags::INSECURE)),
    );
    note(
        "getrandom random and insecure",
        seen(rand::getrandom(&mut a, GetRandomFlags::RANDOM | GetRandomFlags::INSECURE)),
    );
    note(
        "getrandom unknown flag",
        seen(rand::getrandom(&mut a, GetRandomFlags::from_bits_retain(0x100))),
    );
}

/// `stdio::dup2_*`: each stream pointed at a pipe and back, checked through the stream itself.
fn stdio_items(out: &mut Vec<String>) {
    let mut note = |what: &str, value: String| out.push(format!("{what}: {value}"));
    let saved_in = io::dup(stdio::stdin()).expect("dup stdin");
    let saved_out = io::dup(stdio::stdout()).expect("dup stdout");
    let saved_err = io::dup(stdio::stderr()).expect("dup stderr");
    let (reader, writer) = pipe::pipe_with(pipe::PipeFlags::CLOEXEC).expect("pipe");

    note("write pipe", seen(io::write(&writer, b"to stdin")));
    note("dup2_stdin", seen(stdio::dup2_stdin(&reader)));
    note("read stdin", drain(stdio::stdin()));
    note("stdin is the pipe", same_file(stdio::stdin(), &reader));
    note("stdin cloexec", cloexec(stdio::stdin()));
    note("dup2_stdin back", seen(stdio::dup2_stdin(&saved_in)));
    note("stdin restored", same_file(stdio::stdin(), &saved_in));
    note("dup2_stdin itself", seen(stdio::dup2_stdin(stdio::stdin())));
    note("dup2_stdin closed", seen(stdio::dup2_stdin(bad())));
    note("stdin kept", same_file(stdio::stdin(), &saved_in));

    // Nothing is noted while stdout or stderr is redirected: each is put back first.
    let redirected = stdio::dup2_stdout(&writer);
    let wrote = io::write(stdio::stdout(), b"to stdout");
    let back = stdio::dup2_stdout(&saved_out);
    note("dup2_stdout", seen(redirected));
    note("write stdout", seen(wrote));
    note("dup2_stdout back", seen(back));
    note("what stdout got", drain(&reader));
    note("stdout restored", same_file(stdio::stdout(), &saved_out));
    note("dup2_stdout closed", seen(stdio::dup2_stdout(bad())));
    note("stdout kept", same_file(stdio::stdout(), &saved_out));

    let redirected = stdio::dup2_stderr(&writer);
    let wrote = io::write(stdio::stderr(), b"to stderr");
    let back = stdio::dup2_stderr(&saved_err);
    note("dup2_stderr", seen(redirected));
    note("write stderr", seen(wrote));
    note("dup2_stderr back", seen(back));
    note("what stderr got", drain(&reader));
    note("stderr restored", same_file(stdio::stderr(), &saved_err));
    note("dup2_stderr closed", seen(stdio::dup2_stderr(bad())));
    note("stderr kept", same_file(stdio::stderr(), &saved_err));
}

/// A resource limit as glibc reports it, in `Rlimit`'s terms (`None` is unlimited).
fn libc_rlimit(resource: libc::__rlimit_resource_t) -> process::Rlimit {
    let mut limit = libc::rlimit64 {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit64 writes one `rlimit64` to the pointer, which is live and writable.
    let ret = unsafe { libc::getrlimit64(resource, &mut limit) };
    assert_eq!(ret, 0, "libc getrlimit64");
    let finite = |value: u64| (value != libc::RLIM64_INFINITY).then_some(value);
    process::Rlimit {
        current: finite(limit.rlim_cur),
        maximum: finite(limit.rlim_max),
    }
}

/// The fields of `uname` as glibc reports them.
fn libc_uname() -> Vec<Vec<u8>> {
    // SAFETY: `utsname` is plain bytes; zeroed is a valid value.
    let mut name: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: uname fills the struct, which is live and writable.
    assert_eq!(unsafe { libc::uname(&mut name) }, 0, "libc uname");
    [
        &name.sysname[..],
        &name.nodename[..],
        &name.release[..],
        &name.version[..],
        &name.machine[..],
        &name.domainname[..],
    ]
    .iter()
    // SAFETY: uname NUL-terminates every field within its array.
    .map(|field| unsafe { CStr::from_ptr(field.as_ptr()) }.to_bytes().to_vec())
    .collect()
}

/// `process`: ids, limits, umask, the working directory; `thread::sched_yield`,
/// `system::uname`.
fn process_items(out: &mut Vec<String>) {
    let mut note = |what: &str, value: String| out.push(format!("{what}: {value}"));
    use process::{Gid, Pid, Resource, Rlimit, Uid};

    // Ids, against std's and glibc's.
    let pid = process::getpid();
    note(
        "getpid",
        format!("{}", i32::try_from(std::process::id()) == Ok(pid.as_raw_pid())),
    );
    note(
        "Pid",
        format!(
            "{} {} {}",
            Pid::as_raw(Some(pid)) == pid.as_raw_pid(),
            pid.as_raw_nonzero().get() == pid.as_raw_pid(),
            pid.is_init()
        ),
    );
    note(
        "Pid::from_raw",
        format!(
            "{:?} {:?} {:?} {}",
            Pid::from_raw(0).map(Pid::as_raw_pid),
            Pid::from_raw(1).map(Pid::is_init),
            Pid::from_raw(2).map(Pid::as_raw_pid),
            Pid::as_raw(None)
        ),
    );
    note(
        "getppid",
        format!(
            "{}",
            process::getppid().map(Pid::as_raw_pid)
                == i32::try_from(std::os::unix::process::parent_id()).ok()
        ),
    );
    // SAFETY: these four have no preconditions.
    let ids = unsafe { (libc::getuid(), libc::geteuid(), libc::getgid(), libc::getegid()) };
    note(
        "uids and gids",
        format!(
            "{} {} {} {}",
            process::getuid().as_raw() == ids.0,
            process::geteuid().as_raw() == ids.1,
            process::getgid().as_raw() == ids.2,
            process::getegid().as_raw() == ids.3
        ),
    );
    note(
        "is_root",
        format!(
            "{} {}",
            process::getuid().is_root() == (ids.0 == 0),
            process::getgid().is_root() == (ids.2 == 0)
        ),
    );
    note(
        "Uid Gid",
        format!(
            "{} {} {} {} {}",
            Uid::from_raw(0).is_root(),
            Uid::ROOT.as_raw(),
            Uid::from_raw(70_000).as_raw(),
            Gid::from_raw(7).is_root(),
            Gid::ROOT == Gid::from_raw(0)
        ),
    );

    // getrlimit, setrlimit, prlimit; the limit is put back.
    let nofile = process::getrlimit(Resource::Nofile);
    note(
        "getrlimit matches libc",
        format!(
            "{} {}",
            nofile == libc_rlimit(libc::RLIMIT_NOFILE),
            process::getrlimit(Resource::Fsize) == libc_rlimit(libc::RLIMIT_FSIZE)
        ),
    );
    note(
        "getrlimit nofile",
        format!("{:?} {:?}", nofile.current, nofile.maximum),
    );
    let lower = Rlimit {
        current: Some(nofile.current.map_or(256, |current| current.min(256))),
        maximum: nofile.maximum,
    };
    note("setrlimit", seen(process::setrlimit(Resource::Nofile, lower)));
    note(
        "getrlimit after setrlimit",
        format!("{}", process::getrlimit(Resource::Nofile) == lower),
    );
    note(
        "prlimit",
        seen(process::prlimit(None, Resource::Nofile, nofile).map(|old| old == lower)),
    );
    note(
        "prlimit own pid",
        seen(process::prlimit(Some(pid), Resource::Nofile, nofile).map(|old| old == nofile)),
    );
    note(
        "getrlimit restored",
        format!("{}", process::getrlimit(Resource::Nofile) == nofile),
    );
    note(
        "setrlimit current above maximum",
        seen(process::setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(2),
                maximum: Some(1),
            },
        )),
    );
    note(
        "prlimit no such process",
        seen(process::prlimit(Pid::from_raw(i32::MAX), Resource::Nofile, nofile).map(drop)),
    );
    note(
        "getrlimit still",
        format!("{}", process::getrlimit(Resource::Nofile) == nofile),
    );

    // umask: `run` set 022.
    let base = scratch_dir("process");
    let before = process::umask(Mode::from_raw_mode(0o077));
    note("umask", format!("{:o}", before.bits()));
    let made = fs::open(
        base.join("file"),
        OFlags::WRONLY | OFlags::CREATE | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o666),
    );
    note(
        "mode under umask 077",
        seen(made.and_then(fs::fstat).map(|st| Mode::from_raw_mode(st.st_mode).bits())),
    );
    note("umask back", format!("{:o}", process::umask(before).bits()));

    // chdir, fchdir, getcwd, and fs::CWD following them; the directory is put back.
    std::fs::create_dir(base.join("sub")).expect("create sub");
    let home = fs::open(".", OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
        .expect("open the working directory");
    let cwd_is = |path: &std::path::Path| {
        seen(process::getcwd(Vec::new()).map(|cwd| cwd.as_bytes() == path.as_os_str().as_bytes()))
    };
    let start = std::env::current_dir().expect("current dir");
    note("getcwd", cwd_is(&start));
    note("chdir", seen(process::chdir(&base)));
    note("getcwd after chdir", cwd_is(&base));
    note(
        "CWD after chdir",
        seen(fs::statat(fs::CWD, "file", AtFlags::empty()).map(|st| stat_line(&st))),
    );
    let sub = fs::openat(fs::CWD, "sub", OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
        .expect("open sub");
    note("fchdir", seen(process::fchdir(&sub)));
    note(
        "getcwd after fchdir, small buffer",
        seen(process::getcwd(Vec::with_capacity(1)).map(|cwd| cwd.as_bytes() == base.join("sub").as_os_str().as_bytes())),
    );
    note("chdir relative", seen(process::chdir("..")));
    note("getcwd after chdir ..", cwd_is(&base));
    note("chdir missing", seen(process::chdir("missing")));
    note("chdir file", seen(process::chdir("file")));
    note("chdir interior NUL", seen(process::chdir("sub\0")));
    note("chdir PATH_MAX", seen(process::chdir("x".repeat(5000).as_str())));
    let file = fs::openat(fs::CWD, "file", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
        .expect("open file");
    note("fchdir file", seen(process::fchdir(&file)));
    note("fchdir closed", seen(process::fchdir(bad())));
    note("getcwd unchanged", cwd_is(&base));
    note("fchdir home", seen(process::fchdir(&home)));
    note("getcwd restored", cwd_is(&start));
    drop((sub, file, home));
    std::fs::remove_dir_all(&base).expect("remove scratch dir");

    // thread::sched_yield: nothing to observe but that it returns.
    thread::sched_yield();
    note("sched_yield", "returned".to_owned());

    // system::uname, against glibc's.
    let uname = system::uname();
    let ours: Vec<Vec<u8>> = [
        uname.sysname(),
        uname.nodename(),
        uname.release(),
        uname.version(),
        uname.machine(),
        uname.domainname(),
    ]
    .iter()
    .map(|field| field.to_bytes().to_vec())
    .collect();
    note("uname matches libc", format!("{}", ours == libc_uname()));
    note(
        "uname",
        format!(
            "{} {}",
            uname.sysname().to_string_lossy(),
            uname.machine().to_string_lossy()
        ),
    );
}
