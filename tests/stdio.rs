//! `stdio::dup2_stdin`, `dup2_stdout`, `dup2_stderr`.
//!
//! Standard output and error are libtest's: they are replaced only in forked children, which
//! report through their exit status. Standard input is replaced in the test process itself,
//! under the fd lock, and put back.

mod common;

use barecall::io::{self, Errno};
use barecall::pipe::{pipe_with, PipeFlags};
use barecall::stdio::{self, dup2_stderr, dup2_stdin, dup2_stdout};
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};

fn closed_fd() -> BorrowedFd<'static> {
    assert!(!common::is_open(900));
    unsafe { BorrowedFd::borrow_raw(900) }
}

/// `(st_dev, st_ino)` of what `fd` refers to, through libc.
fn identity(fd: i32) -> (u64, u64) {
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::fstat(fd, &mut stat) }, 0, "fstat {fd}");
    (stat.st_dev as u64, stat.st_ino as u64)
}

fn read_to_end(fd: &OwnedFd) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 64];
    loop {
        match io::read(fd, &mut buf).unwrap() {
            0 => return out,
            n => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// Forks a child that points `target` (1 or 2) at a pipe with `dup2`, checks fd flags there,
/// writes `message` to `target`, and exits: 0 when all went well. Returns what the pipe got and
/// the child's exit status.
fn in_child(target: i32, dup2: fn(&OwnedFd) -> io::Result<()>, message: &[u8]) -> (Vec<u8>, i32) {
    let (reader, writer) = pipe_with(PipeFlags::CLOEXEC).unwrap();
    // SAFETY: the child makes only raw system calls (barecall's and libc's `write`, `fcntl`,
    // `_exit`), all async-signal-safe, and never returns into the test harness.
    let child = unsafe { libc::fork() };
    assert!(child >= 0, "fork failed");
    if child == 0 {
        let code = if dup2(&writer).is_err() {
            1
        } else if unsafe { libc::fcntl(target, libc::F_GETFD) } != 0 {
            // The new stream is not close-on-exec, whatever the source was.
            2
        } else if unsafe { libc::fcntl(writer.as_raw_fd(), libc::F_GETFD) } != libc::FD_CLOEXEC {
            // The source is still open, flags untouched.
            3
        } else if unsafe { libc::write(target, message.as_ptr().cast(), message.len()) }
            != message.len() as isize
        {
            4
        } else {
            0
        };
        unsafe { libc::_exit(code) };
    }
    drop(writer);
    let got = read_to_end(&reader);
    let mut status = 0;
    assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
    assert!(libc::WIFEXITED(status), "status {status:#x}");
    (got, libc::WEXITSTATUS(status))
}

#[test]
fn dup2_stdout_points_fd_1_at_the_fd() {
    let _check = common::FdCheck::new();
    let before = identity(1);
    let (got, code) = in_child(1, |fd| dup2_stdout(fd), b"to stdout");
    assert_eq!((got.as_slice(), code), (&b"to stdout"[..], 0));
    assert_eq!(identity(1), before, "the parent's stdout changed");
}

#[test]
fn dup2_stderr_points_fd_2_at_the_fd() {
    let _check = common::FdCheck::new();
    let before = identity(2);
    let (got, code) = in_child(2, |fd| dup2_stderr(fd), b"to stderr");
    assert_eq!((got.as_slice(), code), (&b"to stderr"[..], 0));
    assert_eq!(identity(2), before, "the parent's stderr changed");
}

#[test]
fn dup2_stdin_points_fd_0_at_the_fd_and_is_put_back() {
    let _check = common::FdCheck::new();
    assert!(common::is_open(0), "the test runner has no stdin");
    let before = identity(0);
    let saved = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 10) };
    assert!(saved >= 10);

    let (reader, writer) = pipe_with(PipeFlags::CLOEXEC).unwrap();
    assert_eq!(io::write(&writer, b"to stdin"), Ok(8));
    let result = dup2_stdin(&reader);
    // Read fd 0 and check its flags before asserting anything, so that a failure cannot leave
    // the pipe as the process's stdin.
    let mut buf = [0u8; 16];
    let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
    let flags = unsafe { libc::fcntl(0, libc::F_GETFD) };
    let now = identity(0);
    assert_eq!(unsafe { libc::dup2(saved, 0) }, 0);
    assert_eq!(unsafe { libc::close(saved) }, 0);
    assert_eq!(identity(0), before, "stdin was not put back");

    assert_eq!(result, Ok(()));
    assert_eq!(&buf[..n as usize], b"to stdin");
    assert_eq!(flags, 0, "stdin is close-on-exec");
    assert_eq!(now, identity(reader.as_raw_fd()));
    assert_eq!(common::libc_fd_flags(reader.as_raw_fd()), libc::FD_CLOEXEC);
}

#[test]
fn dup2_of_a_stream_onto_itself_does_nothing() {
    let _check = common::FdCheck::new();
    let before = [identity(0), identity(1), identity(2)];
    let flags = [0, 1, 2].map(common::libc_fd_flags);
    assert_eq!(dup2_stdin(stdio::stdin()), Ok(()));
    assert_eq!(dup2_stdout(stdio::stdout()), Ok(()));
    assert_eq!(dup2_stderr(stdio::stderr()), Ok(()));
    assert_eq!([identity(0), identity(1), identity(2)], before);
    assert_eq!([0, 1, 2].map(common::libc_fd_flags), flags);
}

#[test]
fn dup2_of_a_closed_fd_leaves_the_streams_alone() {
    let _check = common::FdCheck::new();
    let before = [identity(0), identity(1), identity(2)];
    assert_eq!(dup2_stdin(closed_fd()), Err(Errno::BADF));
    assert_eq!(dup2_stdout(closed_fd()), Err(Errno::BADF));
    assert_eq!(dup2_stderr(closed_fd()), Err(Errno::BADF));
    assert_eq!([identity(0), identity(1), identity(2)], before);
}
