// A program written against rustix's `io` (1.x), every item of it, as a user would write it;
// `rustix_port.rs` includes it under `use rustix::{buffer, io, pipe}` and under
// `use barecall::{buffer, io, pipe}`. Whatever it observes goes into the returned lines.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write as _};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd};

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

pub fn run() -> Vec<String> {
    let mut out = Vec::new();
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

    out
}
