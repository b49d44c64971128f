mod common;

use barecall::fs::{self, SeekFrom};
use barecall::io::{self, DupFlags, Errno};
use barecall::pipe::{pipe, pipe_with, PipeFlags};
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};

fn cloexec(fd: i32) -> bool {
    common::libc_fd_flags(fd) & libc::FD_CLOEXEC != 0
}

/// An fd number that is not open, as a `BorrowedFd`.
fn closed_fd() -> BorrowedFd<'static> {
    assert!(!common::is_open(900));
    unsafe { BorrowedFd::borrow_raw(900) }
}

#[test]
fn dup_shares_the_open_file_and_its_offset() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    let dup = io::dup(&file).unwrap();
    assert_ne!(dup.as_raw_fd(), file.as_raw_fd());
    common::assert_lowest_free(dup.as_raw_fd(), 0);

    assert_eq!(io::write(&dup, b"hello"), Ok(5));
    assert_eq!(fs::seek(&file, SeekFrom::Current(0)), Ok(5));
    assert_eq!(fs::seek(&file, SeekFrom::Start(1)), Ok(1));
    assert_eq!(fs::seek(&dup, SeekFrom::Current(0)), Ok(1));

    let mut buf = [0u8; 16];
    assert_eq!(io::read(&file, &mut buf), Ok(4));
    assert_eq!(&buf[..4], b"ello");
    assert_eq!(fs::seek(&dup, SeekFrom::Current(0)), Ok(5));
}

#[test]
fn dup_of_a_pipe_writes_into_the_same_pipe() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let writer2 = io::dup(&writer).unwrap();
    common::assert_lowest_free(writer2.as_raw_fd(), 0);
    drop(writer);
    assert_eq!(io::write(&writer2, b"via dup"), Ok(7));
    let mut buf = [0u8; 16];
    assert_eq!(io::read(&reader, &mut buf), Ok(7));
    assert_eq!(&buf[..7], b"via dup");
    drop(writer2);
    // Both writers gone: end of file.
    assert_eq!(io::read(&reader, &mut buf), Ok(0));
}

#[test]
fn dup_clears_cloexec() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    // std opens with O_CLOEXEC.
    assert!(cloexec(file.as_raw_fd()));
    let dup = io::dup(&file).unwrap();
    common::assert_lowest_free(dup.as_raw_fd(), 0);
    assert!(!cloexec(dup.as_raw_fd()));
    assert_eq!(common::libc_fd_flags(dup.as_raw_fd()), 0);
}

/// `dup` takes the lowest free number, even one below the source's: here the number a closed
/// pipe end left, and after that the next free one.
#[test]
fn dup_takes_the_lowest_free_number() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let file = common::scratch_file_with(b"lowest");
    let gap = reader.as_raw_fd();
    assert!(gap < file.as_raw_fd());
    drop(reader);
    assert!(!common::is_open(gap));

    let first = io::dup(&file).unwrap();
    // The pipe's reader was the lowest free number when it was made, so it still is.
    assert_eq!(first.as_raw_fd(), gap);
    common::assert_lowest_free(first.as_raw_fd(), 0);
    let second = io::dup(&writer).unwrap();
    common::assert_lowest_free(second.as_raw_fd(), 0);
    assert!(second.as_raw_fd() > file.as_raw_fd());

    let mut buf = [0u8; 8];
    assert_eq!(io::read(&first, &mut buf), Ok(6));
    assert_eq!(&buf[..6], b"lowest");
}

#[test]
fn dup_of_a_closed_fd_is_badf() {
    let _check = common::FdCheck::new();
    assert_eq!(io::dup(closed_fd()).unwrap_err(), Errno::BADF);
}

#[test]
fn dup2_replaces_new() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"from file");
    let (reader, writer) = pipe_with(PipeFlags::CLOEXEC).unwrap();
    let mut new: OwnedFd = writer;
    let new_raw = new.as_raw_fd();
    assert!(cloexec(new_raw));

    io::dup2(&file, &mut new).unwrap();
    assert_eq!(new.as_raw_fd(), new_raw);
    assert!(!cloexec(new_raw));

    // `new` now reads the file, and shares its offset.
    let mut buf = [0u8; 16];
    assert_eq!(io::read(&new, &mut buf), Ok(9));
    assert_eq!(&buf[..9], b"from file");
    assert_eq!(fs::seek(&file, SeekFrom::Current(0)), Ok(9));

    // The pipe's write end was closed by dup2: its reader sees end of file.
    assert_eq!(io::read(&reader, &mut buf), Ok(0));
}

#[test]
fn dup2_onto_itself_is_a_no_op() {
    let _check = common::FdCheck::new();
    let owned: OwnedFd = common::scratch_file_with(b"same").into();
    let raw = owned.as_raw_fd();
    assert!(cloexec(raw));
    let source = unsafe { BorrowedFd::borrow_raw(owned.as_raw_fd()) };
    let mut owned = owned;

    assert_eq!(io::dup2(source, &mut owned), Ok(()));
    assert_eq!(owned.as_raw_fd(), raw);
    assert!(common::is_open(raw));
    // Nothing changed: not even the close-on-exec flag, which a real dup would clear.
    assert!(cloexec(raw));
    assert_eq!(fs::seek(&owned, SeekFrom::Current(0)), Ok(0));
    let mut buf = [0u8; 8];
    assert_eq!(io::read(&owned, &mut buf), Ok(4));
    assert_eq!(&buf[..4], b"same");
}

#[test]
fn dup2_from_a_closed_fd_is_badf_and_keeps_new() {
    let _check = common::FdCheck::new();
    let (reader, mut writer) = pipe().unwrap();
    let raw = writer.as_raw_fd();
    assert_eq!(io::dup2(closed_fd(), &mut writer), Err(Errno::BADF));
    assert_eq!(writer.as_raw_fd(), raw);
    assert_eq!(io::write(&writer, b"ok"), Ok(2));
    let mut buf = [0u8; 4];
    assert_eq!(io::read(&reader, &mut buf), Ok(2));
}

#[test]
fn dup3_sets_or_clears_cloexec() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"dup3");
    let (_reader, writer) = pipe().unwrap();
    let mut new: OwnedFd = writer;
    let new_raw = new.as_raw_fd();
    assert!(!cloexec(new_raw));

    io::dup3(&file, &mut new, DupFlags::CLOEXEC).unwrap();
    assert_eq!(new.as_raw_fd(), new_raw);
    assert_eq!(common::libc_fd_flags(new_raw), libc::FD_CLOEXEC);
    let mut buf = [0u8; 8];
    assert_eq!(io::read(&new, &mut buf), Ok(4));
    assert_eq!(&buf[..4], b"dup3");

    let other = common::scratch_file_with(b"other");
    io::dup3(&other, &mut new, DupFlags::empty()).unwrap();
    assert_eq!(new.as_raw_fd(), new_raw);
    assert_eq!(common::libc_fd_flags(new_raw), 0);
    assert_eq!(io::read(&new, &mut buf), Ok(5));
    assert_eq!(&buf[..5], b"other");
}

#[test]
fn dup3_onto_itself_is_inval() {
    let _check = common::FdCheck::new();
    let owned: OwnedFd = common::scratch_file_with(b"same").into();
    let raw = owned.as_raw_fd();
    let source = unsafe { BorrowedFd::borrow_raw(owned.as_raw_fd()) };
    let mut owned = owned;
    assert_eq!(
        io::dup3(source, &mut owned, DupFlags::empty()),
        Err(Errno::INVAL)
    );
    assert_eq!(
        io::dup3(source, &mut owned, DupFlags::CLOEXEC),
        Err(Errno::INVAL)
    );
    assert_eq!(owned.as_raw_fd(), raw);
    assert!(cloexec(raw));
    let mut buf = [0u8; 8];
    assert_eq!(io::read(&owned, &mut buf), Ok(4));
}

#[test]
fn dup3_with_an_unknown_flag_is_inval() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"file");
    let (reader, mut writer) = pipe().unwrap();
    let flags = DupFlags::from_bits_retain(0x1);
    assert_eq!(flags.bits(), 1);
    assert_eq!(io::dup3(&file, &mut writer, flags), Err(Errno::INVAL));
    // `writer` is still the pipe's write end.
    assert_eq!(io::write(&writer, b"pipe"), Ok(4));
    let mut buf = [0u8; 8];
    assert_eq!(io::read(&reader, &mut buf), Ok(4));
    assert_eq!(&buf[..4], b"pipe");
}

#[test]
fn dup3_from_a_closed_fd_is_badf() {
    let _check = common::FdCheck::new();
    let (_reader, mut writer) = pipe().unwrap();
    assert_eq!(
        io::dup3(closed_fd(), &mut writer, DupFlags::CLOEXEC),
        Err(Errno::BADF)
    );
    assert_eq!(common::libc_fd_flags(writer.as_raw_fd()), 0);
}
