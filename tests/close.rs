mod common;

use barecall::io::{self, Errno};
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd};

/// `fcntl(fd, F_GETFD)` through libc: `Err(errno)` when it fails.
fn libc_getfd(fd: i32) -> Result<i32, i32> {
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    if flags == -1 {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap())
    } else {
        Ok(flags)
    }
}

#[test]
fn close_closes_a_pipe_end() {
    let _check = common::FdCheck::new();
    let (reader, writer) = barecall::pipe::pipe().unwrap();
    let raw = reader.into_raw_fd();
    assert!(common::is_open(raw));
    unsafe { io::close(raw) };
    assert_eq!(libc_getfd(raw), Err(libc::EBADF));
    // The open file itself was released: the pipe has no reader any more.
    assert_eq!(io::write(&writer, b"x"), Err(Errno::PIPE));
}

#[test]
fn close_closes_a_file() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"contents");
    let raw = file.into_raw_fd();
    assert_eq!(libc_getfd(raw), Ok(libc::FD_CLOEXEC));
    unsafe { io::close(raw) };
    assert_eq!(libc_getfd(raw), Err(libc::EBADF));
    assert!(!common::is_open(raw));
}

#[test]
fn close_of_a_duplicate_leaves_the_original_open() {
    let _check = common::FdCheck::new();
    let (reader, writer) = barecall::pipe::pipe().unwrap();
    let dup: OwnedFd = io::dup(&writer).unwrap();
    let raw = dup.into_raw_fd();
    unsafe { io::close(raw) };
    assert!(!common::is_open(raw));
    assert!(common::is_open(writer.as_raw_fd()));
    assert_eq!(io::write(&writer, b"still"), Ok(5));
    let mut buf = [0u8; 8];
    assert_eq!(io::read(&reader, &mut buf), Ok(5));
    assert_eq!(&buf[..5], b"still");
}

#[test]
fn close_of_a_never_open_fd_returns() {
    let _check = common::FdCheck::new();
    assert!(!common::is_open(900));
    unsafe { io::close(900) };
    assert!(!common::is_open(900));
    // Negative numbers are never fds: the kernel says EBADF, which close drops.
    unsafe { io::close(-1) };
}

// ---- try_close -----------------------------------------------------------------------------

#[test]
fn try_close_of_an_open_fd_closes_it() {
    let _check = common::FdCheck::new();
    let (reader, writer) = barecall::pipe::pipe().unwrap();
    let raw = reader.into_raw_fd();
    assert!(common::is_open(raw));
    assert_eq!(unsafe { io::try_close(raw) }, Ok(()));
    assert_eq!(libc_getfd(raw), Err(libc::EBADF));
    // The pipe has no reader any more.
    assert_eq!(io::write(&writer, b"x"), Err(Errno::PIPE));
    let file = common::scratch_file_with(b"contents");
    let raw = file.into_raw_fd();
    assert_eq!(unsafe { io::try_close(raw) }, Ok(()));
    assert!(!common::is_open(raw));
}

#[test]
fn try_close_of_a_closed_fd_is_badf() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = barecall::pipe::pipe().unwrap();
    let raw = reader.into_raw_fd();
    assert_eq!(unsafe { io::try_close(raw) }, Ok(()));
    // The number is free now (the lock keeps other tests from taking it).
    assert_eq!(unsafe { io::try_close(raw) }, Err(Errno::BADF));
    assert!(!common::is_open(900));
    assert_eq!(unsafe { io::try_close(900) }, Err(Errno::BADF));
    assert_eq!(unsafe { io::try_close(-1) }, Err(Errno::BADF));
}
