mod common;

use barecall::io::{self, Errno, FdFlags};
use barecall::pipe::pipe;
use std::os::fd::{AsRawFd, BorrowedFd};

#[test]
fn getfd_setfd_round_trip() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe().unwrap();
    let raw = reader.as_raw_fd();

    assert_eq!(io::fcntl_getfd(&reader), Ok(FdFlags::empty()));
    assert_eq!(common::libc_fd_flags(raw), 0);

    io::fcntl_setfd(&reader, FdFlags::CLOEXEC).unwrap();
    assert_eq!(io::fcntl_getfd(&reader), Ok(FdFlags::CLOEXEC));
    assert_eq!(common::libc_fd_flags(raw), libc::FD_CLOEXEC);
    assert_eq!(FdFlags::CLOEXEC.bits(), libc::FD_CLOEXEC as u32);

    io::fcntl_setfd(&reader, FdFlags::empty()).unwrap();
    assert_eq!(io::fcntl_getfd(&reader), Ok(FdFlags::empty()));
    assert_eq!(common::libc_fd_flags(raw), 0);
}

#[test]
fn getfd_agrees_with_libc() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    let (reader, writer) = pipe().unwrap();
    for raw in [file.as_raw_fd(), reader.as_raw_fd(), writer.as_raw_fd()] {
        let fd = unsafe { BorrowedFd::borrow_raw(raw) };
        let ours = io::fcntl_getfd(fd).unwrap();
        assert_eq!(ours.bits() as i32, common::libc_fd_flags(raw), "fd {raw}");
    }
    assert_eq!(io::fcntl_getfd(&file), Ok(FdFlags::CLOEXEC));
}

#[test]
fn dupfd_cloexec_gives_a_cloexec_fd_at_or_above_min() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(common::libc_fd_flags(writer.as_raw_fd()), 0);

    let dup = io::fcntl_dupfd_cloexec(&writer, 100).unwrap();
    common::assert_lowest_free(dup.as_raw_fd(), 100);
    assert_eq!(common::libc_fd_flags(dup.as_raw_fd()), libc::FD_CLOEXEC);
    assert_eq!(io::fcntl_getfd(&dup), Ok(FdFlags::CLOEXEC));
    // The source is untouched.
    assert_eq!(common::libc_fd_flags(writer.as_raw_fd()), 0);

    // Same open file: what goes into the duplicate comes out of the pipe.
    assert_eq!(io::write(&dup, b"dupfd"), Ok(5));
    let mut buf = [0u8; 8];
    assert_eq!(io::read(&reader, &mut buf), Ok(5));
    assert_eq!(&buf[..5], b"dupfd");

    // A `min` that is taken gives a higher number.
    let min = dup.as_raw_fd();
    let dup2 = io::fcntl_dupfd_cloexec(&reader, min).unwrap();
    assert!(dup2.as_raw_fd() > min);
    common::assert_lowest_free(dup2.as_raw_fd(), min);
    assert_eq!(common::libc_fd_flags(dup2.as_raw_fd()), libc::FD_CLOEXEC);
}

/// The new fd is the lowest free number at least `min`: with `min` 0 that is a gap below the
/// source, with `min` at the gap the gap itself, and with `min` just past it the next free one.
#[test]
fn dupfd_cloexec_takes_the_lowest_free_number_at_least_min() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let file = common::scratch_file();
    let gap = reader.as_raw_fd();
    drop(reader);
    assert!(!common::is_open(gap));

    for min in [0, gap] {
        let dup = io::fcntl_dupfd_cloexec(&file, min).unwrap();
        assert_eq!(dup.as_raw_fd(), gap, "min {min}");
        common::assert_lowest_free(dup.as_raw_fd(), min);
    }
    let dup = io::fcntl_dupfd_cloexec(&writer, gap + 1).unwrap();
    assert!(dup.as_raw_fd() > file.as_raw_fd());
    common::assert_lowest_free(dup.as_raw_fd(), gap + 1);
    assert!(!common::is_open(gap));
}

#[test]
fn dupfd_cloexec_with_negative_min_is_inval() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe().unwrap();
    assert_eq!(
        io::fcntl_dupfd_cloexec(&reader, -1).unwrap_err(),
        Errno::INVAL
    );
    assert_eq!(
        io::fcntl_dupfd_cloexec(&reader, i32::MIN).unwrap_err(),
        Errno::INVAL
    );
    assert_eq!(
        io::fcntl_dupfd_cloexec(&reader, i32::MAX).unwrap_err(),
        Errno::INVAL
    );
}

#[test]
fn closed_fd_is_badf() {
    let _check = common::FdCheck::new();
    assert!(!common::is_open(900));
    let closed = unsafe { BorrowedFd::borrow_raw(900) };
    assert_eq!(io::fcntl_getfd(closed), Err(Errno::BADF));
    assert_eq!(io::fcntl_setfd(closed, FdFlags::CLOEXEC), Err(Errno::BADF));
    assert_eq!(io::fcntl_dupfd_cloexec(closed, 0).unwrap_err(), Errno::BADF);
    assert!(!common::is_open(900));
}
