mod common;

use barecall::buffer::spare_capacity;
use barecall::fs::{self, SeekFrom};
use barecall::io::{self, Errno, IoSlice, IoSliceMut, ReadWriteFlags};
use barecall::pipe::pipe;
use std::fs::File;
use std::mem::MaybeUninit;
use std::os::fd::BorrowedFd;
use std::os::unix::fs::FileExt;

const FIVE_GIB: u64 = 5 << 30;

/// The whole contents of `file`, read through std (`pread64`), not through barecall.
fn contents(file: &File) -> Vec<u8> {
    let len = file.metadata().unwrap().len() as usize;
    let mut buf = vec![0u8; len];
    file.read_exact_at(&mut buf, 0).unwrap();
    buf
}

fn offset_of(file: &File) -> u64 {
    fs::seek(file, SeekFrom::Current(0)).unwrap()
}

fn closed_fd() -> BorrowedFd<'static> {
    assert!(!common::is_open(900));
    unsafe { BorrowedFd::borrow_raw(900) }
}

// ---- read and write ------------------------------------------------------------------------

#[test]
fn read_write_pipe() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"hello, pipe"), Ok(11));
    let mut buf = [0xaau8; 64];
    assert_eq!(io::read(&reader, &mut buf[..]), Ok(11));
    assert_eq!(&buf[..11], b"hello, pipe");
    // The rest of the buffer was not touched.
    assert!(buf[11..].iter().all(|&b| b == 0xaa));
    drop(writer);
    assert_eq!(io::read(&reader, &mut buf[..]), Ok(0));
}

#[test]
fn read_write_file_moves_the_offset() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    assert_eq!(io::write(&file, b"abcdef"), Ok(6));
    assert_eq!(io::write(&file, b"gh"), Ok(2));
    assert_eq!(offset_of(&file), 8);
    assert_eq!(contents(&file), b"abcdefgh");

    assert_eq!(fs::seek(&file, SeekFrom::Start(2)), Ok(2));
    let mut buf = [0u8; 4];
    assert_eq!(io::read(&file, &mut buf[..]), Ok(4));
    assert_eq!(&buf, b"cdef");
    assert_eq!(offset_of(&file), 6);
    assert_eq!(io::read(&file, &mut buf[..]), Ok(2));
    assert_eq!(&buf[..2], b"gh");
    // At the end of the file.
    assert_eq!(io::read(&file, &mut buf[..]), Ok(0));
}

#[test]
fn buffer_array() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"abcdef"), Ok(6));
    let mut buf = [0u8; 4];
    let n: usize = io::read(&reader, &mut buf).unwrap();
    assert_eq!(n, 4);
    assert_eq!(&buf, b"abcd");
    let mut buf = [0u8; 4];
    assert_eq!(io::read(&reader, &mut buf), Ok(2));
    assert_eq!(buf, [b'e', b'f', 0, 0]);
}

#[test]
fn buffer_maybe_uninit_slice() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"abc"), Ok(3));
    let mut storage = [MaybeUninit::<u8>::uninit(); 16];
    let (init, uninit) = io::read(&reader, &mut storage[..]).unwrap();
    assert_eq!(init, b"abc");
    assert_eq!(uninit.len(), 13);
    // The two parts are the buffer, in order.
    assert_eq!(init.as_ptr_range().end, uninit.as_ptr().cast::<u8>());
    assert_eq!(init.as_ptr(), storage.as_ptr().cast::<u8>());
}

#[test]
fn buffer_maybe_uninit_array() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"0123456789");
    let mut storage = [MaybeUninit::<u8>::uninit(); 4];
    let (init, uninit) = io::read(&file, &mut storage).unwrap();
    assert_eq!(init, b"0123");
    assert_eq!(uninit.len(), 0);

    let mut storage = [MaybeUninit::<u8>::uninit(); 32];
    let (init, uninit) = io::read(&file, &mut storage).unwrap();
    assert_eq!(init, b"456789");
    assert_eq!(uninit.len(), 26);

    // pread takes the same buffers.
    let mut storage = [MaybeUninit::<u8>::uninit(); 3];
    let (init, uninit) = io::pread(&file, &mut storage, 7).unwrap();
    assert_eq!(init, b"789");
    assert!(uninit.is_empty());
}

#[test]
fn buffer_spare_capacity_appends() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"cdef"), Ok(4));
    let mut vec = Vec::with_capacity(16);
    vec.extend_from_slice(b"ab");
    let capacity = vec.capacity();
    assert_eq!(io::read(&reader, spare_capacity(&mut vec)), Ok(4));
    assert_eq!(vec, b"abcdef");
    assert_eq!(vec.capacity(), capacity);

    // A read is limited to the spare capacity.
    let mut small = Vec::with_capacity(3);
    let spare = small.capacity();
    assert_eq!(io::write(&writer, &[b'x'; 64]), Ok(64));
    assert_eq!(io::read(&reader, spare_capacity(&mut small)), Ok(spare));
    assert_eq!(small, vec![b'x'; spare]);

    let file = common::scratch_file_with(b"0123456789");
    let mut vec = Vec::with_capacity(4);
    vec.push(b'>');
    let spare = vec.capacity() - 1;
    let n = io::pread(&file, spare_capacity(&mut vec), 6).unwrap();
    assert_eq!(n, spare.min(4));
    assert_eq!(&vec[..], &b">6789"[..1 + n]);
}

#[test]
fn buffer_spare_capacity_without_room_reads_nothing() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"waiting"), Ok(7));

    let mut full = vec![1u8, 2, 3];
    assert_eq!(full.capacity(), full.len());
    assert_eq!(io::read(&reader, spare_capacity(&mut full)), Ok(0));
    assert_eq!(full, [1, 2, 3]);
    assert_eq!(full.capacity(), 3);

    let mut empty: Vec<u8> = Vec::new();
    assert_eq!(io::read(&reader, spare_capacity(&mut empty)), Ok(0));
    assert!(empty.is_empty());

    // Nothing was consumed.
    assert_eq!(io::ioctl_fionread(&reader), Ok(7));
}

#[test]
fn zero_length_read_and_write() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    // An empty pipe with a writer would block a real read; a zero-length one returns at once.
    assert_eq!(io::read(&reader, &mut [0u8; 0][..]), Ok(0));
    assert_eq!(io::write(&writer, b""), Ok(0));
    assert_eq!(io::ioctl_fionread(&reader), Ok(0));

    let file = common::scratch_file_with(b"abc");
    assert_eq!(io::write(&file, &[]), Ok(0));
    assert_eq!(io::read(&file, &mut [0u8; 0]), Ok(0));
    assert_eq!(io::readv(&file, &mut []), Ok(0));
    assert_eq!(io::writev(&file, &[]), Ok(0));
    assert_eq!(io::pwrite(&file, b"", 100), Ok(0));
    assert_eq!(offset_of(&file), 0);
    assert_eq!(contents(&file), b"abc");
}

#[test]
fn write_to_a_pipe_without_reader_is_pipe() {
    let _check = common::FdCheck::new();
    // Rust's runtime ignores SIGPIPE, so the error comes back as EPIPE.
    let (reader, writer) = pipe().unwrap();
    drop(reader);
    assert_eq!(io::write(&writer, b"nobody listens"), Err(Errno::PIPE));
    assert_eq!(io::writev(&writer, &[IoSlice::new(b"x")]), Err(Errno::PIPE));
}

#[test]
fn closed_fd_is_badf() {
    let _check = common::FdCheck::new();
    let mut buf = [0u8; 4];
    assert_eq!(io::read(closed_fd(), &mut buf), Err(Errno::BADF));
    assert_eq!(io::write(closed_fd(), b"x"), Err(Errno::BADF));
    assert_eq!(io::pread(closed_fd(), &mut buf, 0), Err(Errno::BADF));
    assert_eq!(io::pwrite(closed_fd(), b"x", 0), Err(Errno::BADF));
    assert_eq!(
        io::readv(closed_fd(), &mut [IoSliceMut::new(&mut buf)]),
        Err(Errno::BADF)
    );
    assert_eq!(
        io::writev(closed_fd(), &[IoSlice::new(b"x")]),
        Err(Errno::BADF)
    );
}

#[test]
fn wrong_direction_is_badf() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&reader, b"x"), Err(Errno::BADF));
    let mut buf = [0u8; 4];
    assert_eq!(io::read(&writer, &mut buf), Err(Errno::BADF));

    // A regular file opened read-only.
    let path = std::env::temp_dir().join(format!("barecall-rw-ro-{}", std::process::id()));
    std::fs::write(&path, b"read only").unwrap();
    let ro = fs::open(path.as_path(), fs::OFlags::RDONLY, fs::Mode::empty());
    std::fs::remove_file(&path).unwrap();
    let ro = ro.unwrap();
    assert_eq!(io::write(&ro, b"x"), Err(Errno::BADF));
    assert_eq!(io::pwrite(&ro, b"x", 0), Err(Errno::BADF));
    assert_eq!(io::writev(&ro, &[IoSlice::new(b"x")]), Err(Errno::BADF));
    assert_eq!(io::read(&ro, &mut buf), Ok(4));
    assert_eq!(&buf, b"read");
}

#[test]
fn positioned_calls_on_a_pipe_are_spipe() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"data"), Ok(4));
    let mut buf = [0u8; 4];
    assert_eq!(io::pread(&reader, &mut buf, 0), Err(Errno::SPIPE));
    assert_eq!(io::pwrite(&writer, b"x", 0), Err(Errno::SPIPE));
    assert_eq!(
        io::preadv(&reader, &mut [IoSliceMut::new(&mut buf)], 0),
        Err(Errno::SPIPE)
    );
    assert_eq!(
        io::pwritev(&writer, &[IoSlice::new(b"x")], 0),
        Err(Errno::SPIPE)
    );
    // The data is still there.
    assert_eq!(io::ioctl_fionread(&reader), Ok(4));
}

// ---- pread and pwrite ----------------------------------------------------------------------

#[test]
fn pread_pwrite_leave_the_offset_alone() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"0123456789");
    assert_eq!(fs::seek(&file, SeekFrom::Start(3)), Ok(3));

    let mut buf = [0u8; 4];
    assert_eq!(io::pread(&file, &mut buf, 5), Ok(4));
    assert_eq!(&buf, b"5678");
    assert_eq!(offset_of(&file), 3);

    assert_eq!(io::pwrite(&file, b"XY", 0), Ok(2));
    assert_eq!(offset_of(&file), 3);
    assert_eq!(contents(&file), b"XY23456789");

    // Past the end: nothing to read.
    assert_eq!(io::pread(&file, &mut buf, 10), Ok(0));
    assert_eq!(io::pread(&file, &mut buf, 8), Ok(2));
    assert_eq!(&buf[..2], b"89");

    // A pwrite past the end extends the file with a hole.
    assert_eq!(io::pwrite(&file, b"!", 12), Ok(1));
    assert_eq!(contents(&file), b"XY23456789\0\0!");
    assert_eq!(offset_of(&file), 3);

    // The plain read continues at the offset.
    assert_eq!(io::read(&file, &mut buf), Ok(4));
    assert_eq!(&buf, b"3456");
}

#[test]
fn pread_pwrite_past_4_gib() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    assert_eq!(io::pwrite(&file, b"far away", FIVE_GIB), Ok(8));
    let mut buf = [0u8; 8];
    assert_eq!(io::pread(&file, &mut buf, FIVE_GIB), Ok(8));
    assert_eq!(&buf, b"far away");
    assert_eq!(fs::seek(&file, SeekFrom::End(0)), Ok(FIVE_GIB + 8));
    assert_eq!(file.metadata().unwrap().len(), FIVE_GIB + 8);
    assert_eq!(fs::seek(&file, SeekFrom::Start(0)), Ok(0));

    // std agrees on where the bytes are; the low 32 bits of the offset are 1 GiB.
    let mut check = [0u8; 8];
    file.read_exact_at(&mut check, FIVE_GIB).unwrap();
    assert_eq!(&check, b"far away");
    assert_eq!(io::pread(&file, &mut buf, 1 << 30), Ok(8));
    assert_eq!(buf, [0; 8]);

    // Straddling the start of the data.
    assert_eq!(io::pread(&file, &mut buf[..4], FIVE_GIB - 2), Ok(4));
    assert_eq!(&buf[..4], b"\0\0fa");

    // Vectored, too.
    let (mut a, mut b) = ([0u8; 3], [0u8; 5]);
    let mut bufs = [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b)];
    assert_eq!(io::preadv(&file, &mut bufs, FIVE_GIB), Ok(8));
    assert_eq!((&a, &b), (b"far", b" away"));
    assert_eq!(
        io::pwritev(
            &file,
            &[IoSlice::new(b"near"), IoSlice::new(b"by")],
            FIVE_GIB + 8
        ),
        Ok(6)
    );
    let mut tail = [0u8; 6];
    file.read_exact_at(&mut tail, FIVE_GIB + 8).unwrap();
    assert_eq!(&tail, b"nearby");
    assert_eq!(offset_of(&file), 0);
}

#[test]
fn offsets_from_2_pow_63_are_inval() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"unchanged");
    assert_eq!(fs::seek(&file, SeekFrom::Start(2)), Ok(2));
    let mut buf = [0u8; 4];
    for offset in [1 << 63, (1 << 63) + 5, u64::MAX - 1, u64::MAX] {
        assert_eq!(io::pread(&file, &mut buf, offset), Err(Errno::INVAL));
        assert_eq!(io::pwrite(&file, b"x", offset), Err(Errno::INVAL));
        assert_eq!(
            io::preadv(&file, &mut [IoSliceMut::new(&mut buf)], offset),
            Err(Errno::INVAL)
        );
        assert_eq!(
            io::pwritev(&file, &[IoSlice::new(b"x")], offset),
            Err(Errno::INVAL)
        );
    }
    assert_eq!(buf, [0; 4]);
    assert_eq!(contents(&file), b"unchanged");
    assert_eq!(offset_of(&file), 2);
}

// ---- vectored ------------------------------------------------------------------------------

#[test]
fn readv_writev_fill_in_order() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    let out = [
        IoSlice::new(b"ab"),
        IoSlice::new(b""),
        IoSlice::new(b"cde"),
        IoSlice::new(b"f"),
    ];
    assert_eq!(io::writev(&writer, &out), Ok(6));

    let (mut a, mut empty, mut b, mut c) = ([0u8; 2], [0u8; 0], [0u8; 3], [0u8; 5]);
    let mut bufs = [
        IoSliceMut::new(&mut a),
        IoSliceMut::new(&mut empty),
        IoSliceMut::new(&mut b),
        IoSliceMut::new(&mut c),
    ];
    assert_eq!(io::readv(&reader, &mut bufs), Ok(6));
    assert_eq!(&a, b"ab");
    assert_eq!(&b, b"cde");
    assert_eq!(c, [b'f', 0, 0, 0, 0]);

    // On a file, with the offset moving.
    let file = common::scratch_file();
    assert_eq!(
        io::writev(&file, &[IoSlice::new(b"one "), IoSlice::new(b"two")]),
        Ok(7)
    );
    assert_eq!(offset_of(&file), 7);
    assert_eq!(contents(&file), b"one two");
    assert_eq!(fs::seek(&file, SeekFrom::Start(1)), Ok(1));
    let (mut x, mut y) = ([0u8; 4], [0u8; 4]);
    assert_eq!(
        io::readv(
            &file,
            &mut [IoSliceMut::new(&mut x), IoSliceMut::new(&mut y)]
        ),
        Ok(6)
    );
    assert_eq!((&x, &y), (b"ne t", b"wo\0\0"));
    assert_eq!(offset_of(&file), 7);
}

#[test]
fn preadv_pwritev_fill_in_order_and_keep_the_offset() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"0123456789");
    assert_eq!(fs::seek(&file, SeekFrom::Start(1)), Ok(1));
    assert_eq!(
        io::pwritev(
            &file,
            &[IoSlice::new(b"AB"), IoSlice::new(b""), IoSlice::new(b"CDE")],
            4
        ),
        Ok(5)
    );
    assert_eq!(contents(&file), b"0123ABCDE9");
    assert_eq!(offset_of(&file), 1);

    let (mut a, mut b, mut c) = ([0u8; 1], [0u8; 4], [0u8; 8]);
    let mut bufs = [
        IoSliceMut::new(&mut a),
        IoSliceMut::new(&mut b),
        IoSliceMut::new(&mut c),
    ];
    assert_eq!(io::preadv(&file, &mut bufs, 3), Ok(7));
    assert_eq!(&a, b"3");
    assert_eq!(&b, b"ABCD");
    assert_eq!(c, [b'E', b'9', 0, 0, 0, 0, 0, 0]);
    assert_eq!(offset_of(&file), 1);
}

#[test]
fn vectored_calls_take_1024_buffers() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    let data: Vec<u8> = (0..1024u32).map(|i| (i % 251) as u8).collect();
    let out: Vec<IoSlice<'_>> = data.chunks(1).map(IoSlice::new).collect();
    assert_eq!(out.len(), 1024);
    assert_eq!(io::writev(&file, &out), Ok(1024));
    assert_eq!(fs::seek(&file, SeekFrom::End(0)), Ok(1024));
    assert_eq!(contents(&file), data);

    assert_eq!(io::pwritev(&file, &out, 1024), Ok(1024));
    assert_eq!(file.metadata().unwrap().len(), 2048);

    let mut back = vec![0u8; 1024];
    let mut bufs: Vec<IoSliceMut<'_>> = back.chunks_mut(1).map(IoSliceMut::new).collect();
    assert_eq!(io::preadv(&file, &mut bufs, 1024), Ok(1024));
    drop(bufs);
    assert_eq!(back, data);

    let mut back = vec![0u8; 1024];
    let mut bufs: Vec<IoSliceMut<'_>> = back.chunks_mut(1).map(IoSliceMut::new).collect();
    assert_eq!(fs::seek(&file, SeekFrom::Start(0)), Ok(0));
    assert_eq!(io::readv(&file, &mut bufs), Ok(1024));
    drop(bufs);
    assert_eq!(back, data);
}

#[test]
fn vectored_calls_refuse_1025_buffers() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"0123456789");
    let data = [b'z'; 1025];
    let out: Vec<IoSlice<'_>> = data.chunks(1).map(IoSlice::new).collect();
    assert_eq!(out.len(), 1025);
    assert_eq!(io::writev(&file, &out), Err(Errno::INVAL));
    assert_eq!(io::pwritev(&file, &out, 0), Err(Errno::INVAL));

    let mut back = [0u8; 1025];
    let mut bufs: Vec<IoSliceMut<'_>> = back.chunks_mut(1).map(IoSliceMut::new).collect();
    assert_eq!(io::readv(&file, &mut bufs), Err(Errno::INVAL));
    assert_eq!(io::preadv(&file, &mut bufs, 0), Err(Errno::INVAL));
    drop(bufs);
    assert_eq!(back, [0u8; 1025]);

    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::writev(&writer, &out), Err(Errno::INVAL));
    assert_eq!(io::ioctl_fionread(&reader), Ok(0));

    assert_eq!(contents(&file), b"0123456789");
    assert_eq!(offset_of(&file), 0);
}

// ---- preadv2 and pwritev2 ------------------------------------------------------------------

/// Takes the result of the first `preadv2`/`pwritev2` call of test `name`. qemu-user does not
/// implement these calls; there, and only there, `ENOSYS` skips the test (`None`).
fn first_v2_call(name: &str, result: io::Result<usize>) -> Option<io::Result<usize>> {
    if result == Err(Errno::NOSYS) && common::under_qemu_user() {
        common::skip(name, "ENOSYS under qemu-user");
        None
    } else {
        Some(result)
    }
}

#[test]
fn preadv2_pwritev2_at_offsets() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    let out = [
        IoSlice::new(b"hello"),
        IoSlice::new(b" "),
        IoSlice::new(b"world"),
    ];
    let Some(first) = first_v2_call(
        "preadv2_pwritev2_at_offsets",
        io::pwritev2(&file, &out, 3, ReadWriteFlags::empty()),
    ) else {
        return;
    };
    assert_eq!(first, Ok(11));
    assert_eq!(contents(&file), b"\0\0\0hello world");
    assert_eq!(offset_of(&file), 0);

    let (mut a, mut b) = ([0u8; 4], [0u8; 16]);
    let mut bufs = [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b)];
    assert_eq!(
        io::preadv2(&file, &mut bufs, 4, ReadWriteFlags::empty()),
        Ok(10)
    );
    assert_eq!(&a, b"ello");
    assert_eq!(&b[..6], b" world");
    assert_eq!(offset_of(&file), 0);

    // Past 4 GiB: the offset's high word must arrive too.
    assert_eq!(
        io::pwritev2(
            &file,
            &[IoSlice::new(b"high")],
            FIVE_GIB,
            ReadWriteFlags::empty()
        ),
        Ok(4)
    );
    assert_eq!(file.metadata().unwrap().len(), FIVE_GIB + 4);
    let mut check = [0u8; 4];
    file.read_exact_at(&mut check, FIVE_GIB).unwrap();
    assert_eq!(&check, b"high");
    let mut back = [0u8; 8];
    assert_eq!(
        io::preadv2(
            &file,
            &mut [IoSliceMut::new(&mut back)],
            FIVE_GIB - 2,
            ReadWriteFlags::empty()
        ),
        Ok(6)
    );
    assert_eq!(&back[..6], b"\0\0high");
    assert_eq!(offset_of(&file), 0);
}

#[test]
fn preadv2_pwritev2_at_the_current_offset() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"0123456789");
    let mut a = [0u8; 4];
    let Some(first) = first_v2_call(
        "preadv2_pwritev2_at_the_current_offset",
        io::preadv2(
            &file,
            &mut [IoSliceMut::new(&mut a)],
            u64::MAX,
            ReadWriteFlags::empty(),
        ),
    ) else {
        return;
    };
    assert_eq!(first, Ok(4));
    assert_eq!(&a, b"0123");
    assert_eq!(offset_of(&file), 4);

    assert_eq!(
        io::pwritev2(
            &file,
            &[IoSlice::new(b"A"), IoSlice::new(b"B")],
            u64::MAX,
            ReadWriteFlags::empty()
        ),
        Ok(2)
    );
    assert_eq!(offset_of(&file), 6);
    assert_eq!(contents(&file), b"0123AB6789");

    let (mut b, mut c) = ([0u8; 2], [0u8; 8]);
    assert_eq!(
        io::preadv2(
            &file,
            &mut [IoSliceMut::new(&mut b), IoSliceMut::new(&mut c)],
            u64::MAX,
            ReadWriteFlags::empty()
        ),
        Ok(4)
    );
    assert_eq!(&b, b"67");
    assert_eq!(&c[..2], b"89");
    assert_eq!(offset_of(&file), 10);
}

#[test]
fn pwritev2_append_flag() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"start");
    let Some(first) = first_v2_call(
        "pwritev2_append_flag",
        io::pwritev2(&file, &[IoSlice::new(b"+end")], 0, ReadWriteFlags::APPEND),
    ) else {
        return;
    };
    assert_eq!(first, Ok(4));
    // Appended, not written at offset 0; the explicit offset leaves the file offset alone.
    assert_eq!(contents(&file), b"start+end");
    assert_eq!(offset_of(&file), 0);

    // At the current offset, APPEND still appends, and the offset follows to the end.
    assert_eq!(
        io::pwritev2(
            &file,
            &[IoSlice::new(b"!"), IoSlice::new(b"?")],
            u64::MAX,
            ReadWriteFlags::APPEND
        ),
        Ok(2)
    );
    assert_eq!(contents(&file), b"start+end!?");
    assert_eq!(offset_of(&file), 11);
}

#[test]
fn preadv2_pwritev2_errors() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"unchanged");
    let unknown = ReadWriteFlags::from_bits_retain(1 << 30);
    let Some(first) = first_v2_call(
        "preadv2_pwritev2_errors",
        io::pwritev2(&file, &[IoSlice::new(b"X")], 0, unknown),
    ) else {
        return;
    };
    assert_eq!(first, Err(Errno::OPNOTSUPP));
    let mut buf = [0u8; 4];
    assert_eq!(
        io::preadv2(&file, &mut [IoSliceMut::new(&mut buf)], 0, unknown),
        Err(Errno::OPNOTSUPP)
    );

    for offset in [1 << 63, (1 << 63) + 1, u64::MAX - 1] {
        assert_eq!(
            io::pwritev2(
                &file,
                &[IoSlice::new(b"X")],
                offset,
                ReadWriteFlags::empty()
            ),
            Err(Errno::INVAL)
        );
        assert_eq!(
            io::preadv2(
                &file,
                &mut [IoSliceMut::new(&mut buf)],
                offset,
                ReadWriteFlags::empty()
            ),
            Err(Errno::INVAL)
        );
    }

    let data = [b'z'; 1025];
    let out: Vec<IoSlice<'_>> = data.chunks(1).map(IoSlice::new).collect();
    assert_eq!(
        io::pwritev2(&file, &out, 0, ReadWriteFlags::empty()),
        Err(Errno::INVAL)
    );
    assert_eq!(
        io::pwritev2(&file, &out, u64::MAX, ReadWriteFlags::empty()),
        Err(Errno::INVAL)
    );
    let mut back = [0u8; 1025];
    let mut bufs: Vec<IoSliceMut<'_>> = back.chunks_mut(1).map(IoSliceMut::new).collect();
    assert_eq!(
        io::preadv2(&file, &mut bufs, 0, ReadWriteFlags::empty()),
        Err(Errno::INVAL)
    );
    assert_eq!(
        io::preadv2(&file, &mut bufs, u64::MAX, ReadWriteFlags::empty()),
        Err(Errno::INVAL)
    );
    drop(bufs);
    assert_eq!(back, [0u8; 1025]);

    let (reader, writer) = pipe().unwrap();
    assert_eq!(
        io::preadv2(
            &reader,
            &mut [IoSliceMut::new(&mut buf)],
            0,
            ReadWriteFlags::empty()
        ),
        Err(Errno::SPIPE)
    );
    assert_eq!(
        io::pwritev2(&writer, &[IoSlice::new(b"X")], 0, ReadWriteFlags::empty()),
        Err(Errno::SPIPE)
    );
    assert_eq!(
        io::pwritev2(
            closed_fd(),
            &[IoSlice::new(b"X")],
            0,
            ReadWriteFlags::empty()
        ),
        Err(Errno::BADF)
    );

    assert_eq!(buf, [0; 4]);
    assert_eq!(contents(&file), b"unchanged");
    assert_eq!(offset_of(&file), 0);
}
