//! The pipe module beyond `pipe`/`pipe_with` (tested in fd_fs_pipe.rs): `PIPE_BUF`, the pipe's
//! capacity, `splice`, `vmsplice` and `tee`.

mod common;

use barecall::io::{self, Errno};
use barecall::pipe::{
    fcntl_getpipe_size, fcntl_setpipe_size, pipe, pipe_with, splice, tee, vmsplice, IoSliceRaw,
    PipeFlags, SpliceFlags, PIPE_BUF,
};
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::FileExt;

fn closed_fd() -> BorrowedFd<'static> {
    assert!(!common::is_open(900));
    unsafe { BorrowedFd::borrow_raw(900) }
}

/// Everything in a pipe right now (the writer must be non-blocking or the data small).
fn drain(reader: &OwnedFd) -> Vec<u8> {
    let mut buf = vec![0u8; 1 << 17];
    let ready = io::ioctl_fionread(reader).unwrap() as usize;
    let n = io::read(reader, &mut buf[..ready]).unwrap();
    buf.truncate(n);
    buf
}

fn contents(file: &File) -> Vec<u8> {
    let len = file.metadata().unwrap().len() as usize;
    let mut buf = vec![0u8; len];
    file.read_exact_at(&mut buf, 0).unwrap();
    buf
}

fn libc_pipe_size(fd: i32) -> i32 {
    unsafe { libc::fcntl(fd, libc::F_GETPIPE_SZ) }
}

// ---- PIPE_BUF and the capacity -------------------------------------------------------------

#[test]
fn pipe_buf_is_the_c_constant() {
    assert_eq!(PIPE_BUF, libc::PIPE_BUF);
    assert_eq!(PIPE_BUF, 4096);
}

#[test]
fn getpipe_size_reads_either_end() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let size = fcntl_getpipe_size(&reader).unwrap();
    assert_eq!(size as i32, libc_pipe_size(reader.as_raw_fd()));
    assert_eq!(fcntl_getpipe_size(&writer), Ok(size));
    assert!(size >= PIPE_BUF);
    // Not a pipe, not open.
    let file = common::scratch_file();
    assert_eq!(fcntl_getpipe_size(&file), Err(Errno::BADF));
    assert_eq!(fcntl_getpipe_size(closed_fd()), Err(Errno::BADF));
}

#[test]
fn setpipe_size_rounds_up_and_reports_the_new_capacity() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
    // Rounded up to a power-of-two number of pages.
    let size = fcntl_setpipe_size(&writer, page * 3 + 1).unwrap();
    assert_eq!(size, page * 4);
    assert_eq!(libc_pipe_size(reader.as_raw_fd()) as usize, size);
    assert_eq!(fcntl_getpipe_size(&reader), Ok(size));
    assert_eq!(fcntl_setpipe_size(&reader, page * 2), Ok(page * 2));
    assert_eq!(fcntl_getpipe_size(&writer), Ok(page * 2));
    // Shrinking below what the pipe holds (two pages, in two slots) is refused.
    let data = vec![7u8; page * 2];
    assert_eq!(io::write(&writer, &data), Ok(page * 2));
    assert_eq!(fcntl_setpipe_size(&writer, page), Err(Errno::BUSY));
    assert_eq!(fcntl_getpipe_size(&writer), Ok(page * 2));
    assert_eq!(drain(&reader), data);
}

#[test]
fn setpipe_size_refuses_sizes_no_int_holds_and_non_pipes() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe().unwrap();
    let before = fcntl_getpipe_size(&reader).unwrap();
    // Refused without a call, as rustix refuses them.
    assert_eq!(
        fcntl_setpipe_size(&reader, i32::MAX as usize + 1),
        Err(Errno::PERM)
    );
    assert_eq!(fcntl_setpipe_size(&reader, usize::MAX), Err(Errno::PERM));
    assert_eq!(fcntl_getpipe_size(&reader), Ok(before));
    // The largest `int`: the kernel's answer (EINVAL past 2^31 rounded, or EPERM past the
    // system's maximum without privileges), never a silently different size.
    let big = fcntl_setpipe_size(&reader, i32::MAX as usize);
    assert!(
        matches!(
            big,
            Err(Errno::PERM) | Err(Errno::INVAL) | Err(Errno::NOMEM)
        ),
        "{big:?}"
    );
    let file = common::scratch_file();
    assert_eq!(fcntl_setpipe_size(&file, 8192), Err(Errno::BADF));
    assert_eq!(fcntl_setpipe_size(closed_fd(), 8192), Err(Errno::BADF));
}

// ---- splice --------------------------------------------------------------------------------

#[test]
fn splice_file_to_pipe_at_an_offset_advances_only_the_offset() {
    let _check = common::FdCheck::new();
    let mut file = common::scratch_file_with(b"hello world");
    let (reader, writer) = pipe().unwrap();
    let mut offset = 6;
    let n = splice(
        &file,
        Some(&mut offset),
        &writer,
        None,
        64,
        SpliceFlags::empty(),
    );
    assert_eq!(n, Ok(5));
    assert_eq!(offset, 11);
    assert_eq!(file.stream_position().unwrap(), 0, "the file offset moved");
    assert_eq!(drain(&reader), b"world");
    // At the end of the file: nothing to move.
    assert_eq!(
        splice(
            &file,
            Some(&mut offset),
            &writer,
            None,
            64,
            SpliceFlags::empty()
        ),
        Ok(0)
    );
    assert_eq!(offset, 11);
}

#[test]
fn splice_without_an_offset_uses_the_file_offset() {
    let _check = common::FdCheck::new();
    let mut file = common::scratch_file_with(b"abcdef");
    file.seek(SeekFrom::Start(2)).unwrap();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(
        splice(&file, None, &writer, None, 3, SpliceFlags::MOVE),
        Ok(3)
    );
    assert_eq!(file.stream_position().unwrap(), 5);
    assert_eq!(drain(&reader), b"cde");
}

#[test]
fn splice_pipe_to_file_writes_at_the_offset() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"0123456789");
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"XYZ"), Ok(3));
    let mut offset = 4;
    assert_eq!(
        splice(
            &reader,
            None,
            &file,
            Some(&mut offset),
            3,
            SpliceFlags::MORE
        ),
        Ok(3)
    );
    assert_eq!(offset, 7);
    assert_eq!(contents(&file), b"0123XYZ789");
}

#[test]
fn splice_offsets_of_2_pow_63_and_more_are_invalid() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"data");
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"kept"), Ok(4));
    for bad in [1u64 << 63, u64::MAX] {
        let mut offset = bad;
        assert_eq!(
            splice(
                &file,
                Some(&mut offset),
                &writer,
                None,
                4,
                SpliceFlags::empty()
            ),
            Err(Errno::INVAL)
        );
        assert_eq!(
            splice(
                &reader,
                None,
                &file,
                Some(&mut offset),
                4,
                SpliceFlags::empty()
            ),
            Err(Errno::INVAL)
        );
        assert_eq!(offset, bad);
    }
    // Nothing moved either way.
    assert_eq!(drain(&reader), b"kept");
    assert_eq!(contents(&file), b"data");
    // The largest offsets the kernel's range check lets through (offset + length must fit
    // an `loff_t`) reach it: past the end of the file, so nothing to read.
    let mut offset = i64::MAX as u64 - 4;
    assert_eq!(
        splice(
            &file,
            Some(&mut offset),
            &writer,
            None,
            4,
            SpliceFlags::empty()
        ),
        Ok(0)
    );
}

#[test]
fn splice_errors_are_the_kernels() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"data");
    let other = common::scratch_file();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"x"), Ok(1));
    let none = SpliceFlags::empty();
    // An offset for a pipe's end.
    let mut offset = 0;
    assert_eq!(
        splice(&reader, Some(&mut offset), &file, None, 1, none),
        Err(Errno::SPIPE)
    );
    // Neither end a pipe.
    assert_eq!(
        splice(&file, None, &other, None, 1, none),
        Err(Errno::INVAL)
    );
    // Closed fds, and pipe ends the wrong way round.
    assert_eq!(
        splice(closed_fd(), None, &writer, None, 1, none),
        Err(Errno::BADF)
    );
    assert_eq!(
        splice(&reader, None, closed_fd(), None, 1, none),
        Err(Errno::BADF)
    );
    assert_eq!(
        splice(&writer, None, &file, None, 1, none),
        Err(Errno::BADF)
    );
    // Unknown flag bits.
    assert_eq!(
        splice(
            &reader,
            None,
            &file,
            None,
            1,
            SpliceFlags::from_bits_retain(0x100)
        ),
        Err(Errno::INVAL)
    );
    // An empty pipe, without blocking.
    assert_eq!(drain(&reader), b"x");
    assert_eq!(
        splice(&reader, None, &file, None, 1, SpliceFlags::NONBLOCK),
        Err(Errno::AGAIN)
    );
}

// ---- vmsplice ------------------------------------------------------------------------------

#[test]
fn vmsplice_into_a_pipe_from_several_buffers() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let (a, b) = (b"vm".to_vec(), b"splice".to_vec());
    let bufs = [IoSliceRaw::from_slice(&a), IoSliceRaw::from_slice(&b)];
    // SAFETY: the write end only reads the buffers; no GIFT.
    let n = unsafe { vmsplice(&writer, &bufs, SpliceFlags::empty()) };
    assert_eq!(n, Ok(8));
    assert_eq!(drain(&reader), b"vmsplice");
}

#[test]
fn vmsplice_out_of_a_pipe_into_buffers() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"abcdefg"), Ok(7));
    let (mut a, mut b) = ([0u8; 3], [0u8; 8]);
    let bufs = [
        IoSliceRaw::from_slice_mut(&mut a),
        IoSliceRaw::from_slice_mut(&mut b),
    ];
    // SAFETY: the buffers are writable, made with `from_slice_mut`.
    let n = unsafe { vmsplice(&reader, &bufs, SpliceFlags::empty()) };
    assert_eq!(n, Ok(7));
    assert_eq!(&a, b"abc");
    assert_eq!(&b[..4], b"defg");
}

#[test]
fn vmsplice_refuses_too_many_buffers_rather_than_dropping_some() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe_with(PipeFlags::NONBLOCK).unwrap();
    let byte = [b'!'];
    let bufs: Vec<IoSliceRaw<'_>> = (0..1025).map(|_| IoSliceRaw::from_slice(&byte)).collect();
    // SAFETY: the write end only reads the buffers.
    let n = unsafe { vmsplice(&writer, &bufs, SpliceFlags::empty()) };
    assert_eq!(n, Err(Errno::INVAL));
    assert_eq!(io::ioctl_fionread(&reader), Ok(0));
    // 1024 is the limit: the kernel takes the list, and as many buffers as the pipe has
    // slots for (each gets a slot of its own).
    // SAFETY: as above.
    let n = unsafe { vmsplice(&writer, &bufs[..1024], SpliceFlags::empty()) }.unwrap();
    assert!((1..=1024).contains(&n), "{n}");
    assert_eq!(drain(&reader), vec![b'!'; n]);
}

#[test]
fn vmsplice_errors_are_the_kernels() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe_with(PipeFlags::NONBLOCK).unwrap();
    let file = common::scratch_file();
    let data = *b"x";
    let bufs = [IoSliceRaw::from_slice(&data)];
    // SAFETY: these calls fail before the kernel touches the buffer.
    unsafe {
        assert_eq!(
            vmsplice(&file, &bufs, SpliceFlags::empty()),
            Err(Errno::BADF)
        );
        assert_eq!(
            vmsplice(closed_fd(), &bufs, SpliceFlags::empty()),
            Err(Errno::BADF)
        );
        assert_eq!(
            vmsplice(&reader, &bufs, SpliceFlags::from_bits_retain(0x100)),
            Err(Errno::INVAL)
        );
        // An empty pipe's read end, without blocking.
        let mut out = [0u8; 1];
        let bufs = [IoSliceRaw::from_slice_mut(&mut out)];
        assert_eq!(
            vmsplice(&reader, &bufs, SpliceFlags::NONBLOCK),
            Err(Errno::AGAIN)
        );
    }
}

// ---- tee -----------------------------------------------------------------------------------

#[test]
fn tee_copies_without_consuming() {
    let _check = common::FdCheck::new();
    let (a_reader, a_writer) = pipe().unwrap();
    let (b_reader, b_writer) = pipe().unwrap();
    assert_eq!(io::write(&a_writer, b"teed"), Ok(4));
    assert_eq!(tee(&a_reader, &b_writer, 64, SpliceFlags::empty()), Ok(4));
    assert_eq!(tee(&a_reader, &b_writer, 2, SpliceFlags::empty()), Ok(2));
    assert_eq!(drain(&a_reader), b"teed");
    assert_eq!(drain(&b_reader), b"teedte");
}

#[test]
fn tee_errors_are_the_kernels() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let (_other_reader, other_writer) = pipe().unwrap();
    let file = common::scratch_file();
    let none = SpliceFlags::empty();
    assert_eq!(io::write(&writer, b"x"), Ok(1));
    // Not pipes, the same pipe, closed fds, ends the wrong way round.
    assert_eq!(tee(&reader, &file, 1, none), Err(Errno::INVAL));
    assert_eq!(tee(&file, &other_writer, 1, none), Err(Errno::INVAL));
    assert_eq!(tee(&reader, &writer, 1, none), Err(Errno::INVAL));
    assert_eq!(tee(closed_fd(), &other_writer, 1, none), Err(Errno::BADF));
    assert_eq!(tee(&writer, &other_writer, 1, none), Err(Errno::BADF));
    assert_eq!(
        tee(
            &reader,
            &other_writer,
            1,
            SpliceFlags::from_bits_retain(0x100)
        ),
        Err(Errno::INVAL)
    );
    assert_eq!(drain(&reader), b"x");
    assert_eq!(
        tee(&reader, &other_writer, 1, SpliceFlags::NONBLOCK),
        Err(Errno::AGAIN)
    );
}
