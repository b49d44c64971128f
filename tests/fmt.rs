//! `FdWriter` and `BufferedWriter`: formatted output to an fd without std.

mod common;

use barecall::io::{self, BufferedWriter, Errno, FdWriter};
use barecall::pipe::pipe;
use std::fmt::Write as _;
use std::os::fd::OwnedFd;

/// Everything waiting in the pipe (`FIONREAD` bytes), read out.
fn drain(reader: &OwnedFd) -> Vec<u8> {
    let pending = io::ioctl_fionread(reader).expect("FIONREAD") as usize;
    let mut buf = vec![0u8; pending];
    io::read_exact(reader, &mut buf).expect("read what FIONREAD announced");
    buf
}

#[test]
fn fd_writer_writes_each_piece() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    write!(FdWriter(&writer), "{} and {:>4}|", 1, "two").unwrap();
    assert_eq!(drain(&reader), b"1 and  two|");
}

#[test]
fn fd_writer_error_is_fmt_error() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    drop(reader);
    // The test harness ignores SIGPIPE, as std programs do, so the write is `EPIPE`.
    assert!(write!(FdWriter(&writer), "x").is_err());
}

#[test]
fn buffered_writer_holds_a_short_message_until_flush() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let mut out = BufferedWriter::<_, 32>::new(&writer);
    let (a, c) = ("a", 'c');
    write!(out, "{a}-{}-{c}", 22).unwrap();
    assert_eq!(io::ioctl_fionread(&reader), Ok(0), "nothing before flush");
    assert_eq!(out.flush(), Ok(()));
    assert_eq!(drain(&reader), b"a-22-c");
    assert_eq!(out.flush(), Ok(()), "an empty flush");
    assert_eq!(io::ioctl_fionread(&reader), Ok(0));
}

#[test]
fn buffered_writer_passes_long_pieces_through_in_order() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let long = "0123456789".repeat(5);
    let mut out = BufferedWriter::<_, 16>::new(&writer);
    let tail = "tail";
    write!(out, "<{long}>{tail}").unwrap();
    // "<" was flushed before the 50-byte piece went straight through; ">tail" waits.
    assert_eq!(drain(&reader), format!("<{long}").as_bytes());
    assert_eq!(out.flush(), Ok(()));
    assert_eq!(drain(&reader), b">tail");
}

#[test]
fn buffered_writer_flushes_when_the_next_piece_does_not_fit() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let mut out = BufferedWriter::<_, 8>::new(&writer);
    out.write_str("abcde").unwrap();
    assert_eq!(io::ioctl_fionread(&reader), Ok(0));
    out.write_str("fgh").unwrap(); // exactly fills the buffer
    assert_eq!(io::ioctl_fionread(&reader), Ok(0));
    out.write_str("i").unwrap();
    assert_eq!(drain(&reader), b"abcdefgh");
    assert_eq!(out.flush(), Ok(()));
    assert_eq!(drain(&reader), b"i");
}

#[test]
fn buffered_writer_without_a_buffer_writes_through() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let mut out = BufferedWriter::<_, 0>::new(&writer);
    let (no, buffer) = ("no", "buffer");
    write!(out, "{no}{buffer}").unwrap();
    assert_eq!(drain(&reader), b"nobuffer");
    assert_eq!(out.flush(), Ok(()));
}

#[test]
fn buffered_writer_reports_the_errno() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    drop(reader);
    let mut out = BufferedWriter::<_, 4>::new(&writer);
    write!(out, "ab").unwrap();
    assert_eq!(out.flush(), Err(Errno::PIPE));
    assert!(write!(out, "longer than four").is_err());
    assert_eq!(out.flush(), Err(Errno::PIPE), "the first error stays");
}
