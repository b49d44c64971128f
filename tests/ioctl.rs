mod common;

use barecall::fs::{self, SeekFrom};
use barecall::io::{self, Errno, FdFlags};
use barecall::pipe::pipe;
use std::os::fd::{AsRawFd, BorrowedFd};

fn nonblocking(fd: i32) -> bool {
    common::libc_status_flags(fd) & libc::O_NONBLOCK != 0
}

/// `ioctl(fd, FIONREAD)` through libc.
fn libc_fionread(fd: i32) -> libc::c_int {
    let mut count: libc::c_int = -1;
    let ret = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut count as *mut libc::c_int) };
    assert_eq!(ret, 0, "libc FIONREAD on fd {fd}");
    count
}

#[test]
fn fioclex_and_fionclex_toggle_cloexec() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe().unwrap();
    let raw = reader.as_raw_fd();
    assert_eq!(common::libc_fd_flags(raw), 0);

    io::ioctl_fioclex(&reader).unwrap();
    assert_eq!(common::libc_fd_flags(raw), libc::FD_CLOEXEC);
    assert_eq!(io::fcntl_getfd(&reader), Ok(FdFlags::CLOEXEC));
    // Setting it again changes nothing.
    io::ioctl_fioclex(&reader).unwrap();
    assert_eq!(common::libc_fd_flags(raw), libc::FD_CLOEXEC);

    io::ioctl_fionclex(&reader).unwrap();
    assert_eq!(common::libc_fd_flags(raw), 0);
    assert_eq!(io::fcntl_getfd(&reader), Ok(FdFlags::empty()));
    io::ioctl_fionclex(&reader).unwrap();
    assert_eq!(common::libc_fd_flags(raw), 0);
}

#[test]
fn fionbio_toggles_nonblocking_mode() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let raw = reader.as_raw_fd();
    assert!(!nonblocking(raw));

    io::ioctl_fionbio(&reader, true).unwrap();
    assert!(nonblocking(raw));
    // The writer is open and the pipe empty: a non-blocking read says so.
    let mut buf = [0u8; 8];
    assert_eq!(io::read(&reader, &mut buf), Err(Errno::AGAIN));
    // The access mode is untouched.
    assert_eq!(
        common::libc_status_flags(raw) & libc::O_ACCMODE,
        libc::O_RDONLY
    );

    io::ioctl_fionbio(&reader, false).unwrap();
    assert!(!nonblocking(raw));
    assert!(!nonblocking(writer.as_raw_fd()));
    // Blocking again; with data ready the read returns at once.
    assert_eq!(io::write(&writer, b"z"), Ok(1));
    assert_eq!(io::read(&reader, &mut buf), Ok(1));
    assert_eq!(buf[0], b'z');
}

#[test]
fn fionread_on_a_pipe() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::ioctl_fionread(&reader), Ok(0));
    assert_eq!(io::write(&writer, b"12345"), Ok(5));
    assert_eq!(io::ioctl_fionread(&reader), Ok(5));
    assert_eq!(libc_fionread(reader.as_raw_fd()), 5);

    let mut buf = [0u8; 2];
    assert_eq!(io::read(&reader, &mut buf), Ok(2));
    assert_eq!(io::ioctl_fionread(&reader), Ok(3));
    let mut rest = [0u8; 8];
    assert_eq!(io::read(&reader, &mut rest), Ok(3));
    assert_eq!(io::ioctl_fionread(&reader), Ok(0));
}

#[test]
fn fionread_on_a_regular_file() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"0123456789");
    let raw = file.as_raw_fd();
    // For a regular file the count is the size minus the file offset.
    assert_eq!(io::ioctl_fionread(&file), Ok(10));
    assert_eq!(
        io::ioctl_fionread(&file).unwrap(),
        libc_fionread(raw) as u64
    );

    assert_eq!(fs::seek(&file, SeekFrom::Start(4)), Ok(4));
    assert_eq!(io::ioctl_fionread(&file), Ok(6));
    assert_eq!(
        io::ioctl_fionread(&file).unwrap(),
        libc_fionread(raw) as u64
    );

    assert_eq!(fs::seek(&file, SeekFrom::End(0)), Ok(10));
    assert_eq!(io::ioctl_fionread(&file), Ok(0));
    assert_eq!(libc_fionread(raw), 0);
}

/// Past the end of a regular file the kernel's count, size minus offset, is negative, and it
/// stores it into an `int` (truncating an offset gigabytes past the end). barecall returns that
/// `int` sign-extended, as rustix does: libc's value sign-extended, never the zero-extended
/// `u32`, which would look like gigabytes ready to read.
#[test]
fn fionread_past_the_end_of_a_regular_file_is_negative_and_sign_extended() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"0123456789");
    let raw = file.as_raw_fd();
    let libc_sign_extended = || libc_fionread(raw) as i64 as u64;

    assert_eq!(fs::seek(&file, SeekFrom::Start(15)), Ok(15));
    assert_eq!(libc_fionread(raw), -5);
    assert_eq!(io::ioctl_fionread(&file), Ok(-5_i64 as u64));
    assert_eq!(io::ioctl_fionread(&file), Ok(libc_sign_extended()));

    // Shrunk under the offset (through libc: barecall has no ftruncate).
    assert_eq!(fs::seek(&file, SeekFrom::Start(8)), Ok(8));
    assert_eq!(unsafe { libc::ftruncate(raw, 1) }, 0);
    assert_eq!(libc_fionread(raw), -7);
    assert_eq!(io::ioctl_fionread(&file), Ok(u64::MAX - 6));
    assert_eq!(io::ioctl_fionread(&file), Ok(libc_sign_extended()));

    // 5 GiB past the end: 1 - (5 << 30) does not fit an `int`; the kernel keeps the low 32
    // bits, 0xC000_0001, which is negative as an `int`.
    let far = 5u64 << 30;
    assert_eq!(fs::seek(&file, SeekFrom::Start(far)), Ok(far));
    let truncated = (1 - far as i64) as i32;
    assert_eq!(truncated, -0x3FFF_FFFF);
    assert_eq!(libc_fionread(raw), truncated);
    assert_eq!(io::ioctl_fionread(&file), Ok(i64::from(truncated) as u64));
    assert_eq!(io::ioctl_fionread(&file), Ok(libc_sign_extended()));
}

#[test]
fn closed_fd_is_badf() {
    let _check = common::FdCheck::new();
    assert!(!common::is_open(900));
    let closed = unsafe { BorrowedFd::borrow_raw(900) };
    assert_eq!(io::ioctl_fioclex(closed), Err(Errno::BADF));
    assert_eq!(io::ioctl_fionclex(closed), Err(Errno::BADF));
    assert_eq!(io::ioctl_fionbio(closed, true), Err(Errno::BADF));
    assert_eq!(io::ioctl_fionread(closed), Err(Errno::BADF));
}
