//! The benchmarked operations, one `#[inline(never)]` loop per implementation and operation.
//!
//! Every loop has the same shape (see [`looped`]): per iteration, the argument block goes
//! through one `black_box`, so each implementation must load its fd and buffer afresh as a real
//! caller would, makes its call, checks the result (a failure ends the run, in a cold function
//! shared by all), and stores the value a caller would keep. The only difference between two
//! loops of one operation is the implementation of the call itself.

use crate::fail;
use std::fs::File;
use std::hint::black_box;
use std::io::{IoSlice, IoSliceMut, Read, Write};
use std::mem::ManuallyDrop;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::FileExt;

/// The fd number `dup3` targets. It must be free: [`Files::open`] checks that it is.
pub const DUP_TARGET: RawFd = 100;

/// The bytes `writev` writes, one per buffer.
static OUT: [u8; 4] = *b"abcd";

/// The open files the operations use; opened once per process.
pub struct Files {
    /// `/dev/null`, write-only: `write`, `writev`; the source of `dup3` and `fcntl_getfd`.
    pub null: File,
    /// `/dev/zero`: `read`, `readv`.
    pub zero: File,
    /// A one-byte scratch file, already unlinked: `pread`, `pwrite`.
    pub scratch: File,
    /// The read end of a pipe holding [`Files::PIPE_BYTES`] bytes: `ioctl_fionread`.
    pub pipe: File,
    /// The write end, kept open.
    _pipe_writer: File,
}

impl Files {
    /// How many bytes wait in the pipe, which is what `ioctl_fionread` returns.
    pub const PIPE_BYTES: u64 = 3;

    /// Opens everything, and checks that [`DUP_TARGET`] is free.
    pub fn open() -> std::io::Result<Self> {
        let null = File::options().write(true).open("/dev/null")?;
        let zero = File::open("/dev/zero")?;
        let path = std::env::temp_dir().join(format!("barecall-bench-{}", std::process::id()));
        let scratch = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        std::fs::remove_file(&path)?;
        scratch.write_all_at(b"x", 0)?;
        let (reader, writer) = barecall::pipe::pipe()?;
        let (pipe, mut pipe_writer) = (File::from(reader), File::from(writer));
        pipe_writer.write_all(&b"abc"[..Self::PIPE_BYTES as usize])?;
        // SAFETY: F_GETFD touches no memory, and only asks whether the fd is open.
        if unsafe { libc::fcntl(DUP_TARGET, libc::F_GETFD) } != -1 {
            return Err(std::io::Error::other(format!(
                "fd {DUP_TARGET}, the dup3 target, is already open"
            )));
        }
        Ok(Self {
            null,
            zero,
            scratch,
            pipe,
            _pipe_writer: pipe_writer,
        })
    }
}

/// What each iteration works on: the files and the buffers, reached through one `black_box`.
///
/// The fds are `BorrowedFd`s, whose `as_fd` and `as_raw_fd` are one load. std's own calls get
/// the `File`s (`*_file`); so does the `write_file` operation, which shows what passing a
/// `&File` costs through `AsFd` (std's `File::as_fd` is an out-of-line call without LTO).
pub struct Args<'a> {
    null: BorrowedFd<'a>,
    zero: BorrowedFd<'a>,
    scratch: BorrowedFd<'a>,
    pipe: BorrowedFd<'a>,
    null_file: &'a File,
    zero_file: &'a File,
    scratch_file: &'a File,
    /// The byte `write` and `pwrite` write.
    byte: [u8; 1],
    /// Where `read` and `pread` read to.
    buf: [u8; 1],
    /// Four one-byte buffers over [`OUT`], for `writev`.
    out: [IoSlice<'a>; 4],
    /// Four one-byte buffers, for `readv`.
    into: [IoSliceMut<'a>; 4],
    /// The offset of `pread_var`: 0, but not known to the compiler.
    offset: u64,
    /// The last value kept.
    sink: u64,
}

/// A call's result reduced to the value a caller keeps; a failure ends the run.
pub trait Outcome {
    /// The value, or [`fail`].
    fn value(self) -> u64;
}

/// A success value as a `u64`.
pub trait Value {
    /// The value as a `u64`.
    fn to_u64(self) -> u64;
}

impl Value for () {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        0
    }
}

impl Value for usize {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self as u64
    }
}

impl Value for u64 {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self
    }
}

impl Value for barecall::io::FdFlags {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self.bits().into()
    }
}

impl Value for rustix::io::FdFlags {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self.bits().into()
    }
}

impl<T: Value, E> Outcome for Result<T, E> {
    #[inline(always)]
    fn value(self) -> u64 {
        match self {
            Ok(value) => value.to_u64(),
            Err(_) => fail(),
        }
    }
}

/// libc's `ssize_t` results: negative is an error (with `errno` set).
impl Outcome for isize {
    #[inline(always)]
    fn value(self) -> u64 {
        if self < 0 {
            fail()
        }
        self as u64
    }
}

/// libc's `int` results: negative is an error (with `errno` set).
impl Outcome for i32 {
    #[inline(always)]
    fn value(self) -> u64 {
        if self < 0 {
            fail()
        }
        self as u64
    }
}

/// Runs `call` `k` times in the loop every benchmark shares; returns the last value kept.
#[inline(always)]
fn looped(files: &Files, k: u64, mut call: impl FnMut(&mut Args<'_>) -> u64) -> u64 {
    let mut into = [[0u8; 1]; 4];
    let [b0, b1, b2, b3] = &mut into;
    let mut args = Args {
        null: files.null.as_fd(),
        zero: files.zero.as_fd(),
        scratch: files.scratch.as_fd(),
        pipe: files.pipe.as_fd(),
        null_file: &files.null,
        zero_file: &files.zero,
        scratch_file: &files.scratch,
        byte: *b"x",
        buf: [0],
        out: [
            IoSlice::new(&OUT[0..1]),
            IoSlice::new(&OUT[1..2]),
            IoSlice::new(&OUT[2..3]),
            IoSlice::new(&OUT[3..4]),
        ],
        into: [
            IoSliceMut::new(b0),
            IoSliceMut::new(b1),
            IoSliceMut::new(b2),
            IoSliceMut::new(b3),
        ],
        offset: 0,
        sink: 0,
    };
    for _ in 0..k {
        let args = black_box(&mut args);
        let value = call(args);
        args.sink = value;
    }
    args.sink
}

/// The `OwnedFd` the typed `dup3`s write to: fd [`DUP_TARGET`], never closed on drop (the
/// benchmark closes it itself right after the `dup3`).
///
/// # Safety
///
/// [`DUP_TARGET`] is free and nothing else in the process uses it; the `dup3` that follows
/// makes it open, and the caller closes it again before the next iteration. (`OwnedFd`'s
/// contract wants it open already; the kernel's `dup3` does not, and the value is only handed
/// to `dup3`, which is the point of the benchmark.)
#[inline(always)]
unsafe fn dup_target() -> ManuallyDrop<OwnedFd> {
    // SAFETY: per this function's contract, see above.
    ManuallyDrop::new(unsafe { OwnedFd::from_raw_fd(DUP_TARGET) })
}

/// One benchmark: an implementation of an operation, as a loop of `k` calls.
pub struct Bench {
    /// The operation: `write`, `read`, ...
    pub op: &'static str,
    /// The implementation: `asm`, `barecall`, `rustix`, `libc` or `std`.
    pub imp: &'static str,
    /// Makes `k` calls; returns the last call's value.
    pub run: fn(&Files, u64) -> u64,
    /// The value every call returns.
    pub expect: u64,
}

/// Declares one module per operation holding one loop per implementation, and [`BENCHES`].
macro_rules! benches {
    ($($op:ident (expect $expect:expr) {
        $($name:ident $imp:literal => |$args:ident| $call:expr,)*
    })*) => {
        $(
            #[doc = concat!("The `", stringify!($op), "` loops.")]
            mod $op {
                #[allow(unused_imports)]
                use super::*;
                $(
                    #[doc = concat!("`", stringify!($op), "` with ", $imp, ", `k` times.")]
                    #[inline(never)]
                    pub fn $name(files: &Files, k: u64) -> u64 {
                        looped(files, k, |$args: &mut Args<'_>| $call)
                    }
                )*
            }
        )*

        /// Every benchmark: operations in the order of the tables, implementations likewise.
        pub const BENCHES: &[Bench] = &[$($(
            Bench { op: stringify!($op), imp: $imp, run: $op::$name, expect: $expect },
        )*)*];
    };
}

benches! {
    write (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            unsafe { crate::floor::write(a.null.as_raw_fd(), a.byte.as_ptr(), 1) }
        },
        by_barecall "barecall" => |a| barecall::io::write(a.null, &a.byte).value(),
        by_rustix "rustix" => |a| rustix::io::write(a.null, &a.byte).value(),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            unsafe { libc::write(a.null.as_raw_fd(), a.byte.as_ptr().cast(), 1) }.value()
        },
        by_std "std" => |a| { let mut file = a.null_file; file.write(&a.byte).value() },
    }
    write_file (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            unsafe { crate::floor::write(a.null_file.as_raw_fd(), a.byte.as_ptr(), 1) }
        },
        by_barecall "barecall" => |a| barecall::io::write(a.null_file, &a.byte).value(),
        by_rustix "rustix" => |a| rustix::io::write(a.null_file, &a.byte).value(),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            unsafe { libc::write(a.null_file.as_raw_fd(), a.byte.as_ptr().cast(), 1) }.value()
        },
    }
    read (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            unsafe { crate::floor::read(a.zero.as_raw_fd(), a.buf.as_mut_ptr(), 1) }
        },
        by_barecall "barecall" => |a| barecall::io::read(a.zero, &mut a.buf).value(),
        by_rustix "rustix" => |a| rustix::io::read(a.zero, &mut a.buf).value(),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            unsafe { libc::read(a.zero.as_raw_fd(), a.buf.as_mut_ptr().cast(), 1) }.value()
        },
        by_std "std" => |a| { let mut file = a.zero_file; file.read(&mut a.buf).value() },
    }
    pread (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            unsafe { crate::floor::pread(a.scratch.as_raw_fd(), a.buf.as_mut_ptr(), 1, 0) }
        },
        by_barecall "barecall" => |a| barecall::io::pread(a.scratch, &mut a.buf, 0).value(),
        by_rustix "rustix" => |a| rustix::io::pread(a.scratch, &mut a.buf, 0).value(),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            unsafe { libc::pread(a.scratch.as_raw_fd(), a.buf.as_mut_ptr().cast(), 1, 0) }
                .value()
        },
        by_std "std" => |a| a.scratch_file.read_at(&mut a.buf, 0).value(),
    }
    pread_var (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte. The kernel refuses offsets
            // past `i64::MAX` (negative `loff_t`) with EINVAL itself.
            unsafe {
                crate::floor::pread(a.scratch.as_raw_fd(), a.buf.as_mut_ptr(), 1, a.offset as i64)
            }
        },
        by_barecall "barecall" => |a| barecall::io::pread(a.scratch, &mut a.buf, a.offset).value(),
        by_rustix "rustix" => |a| rustix::io::pread(a.scratch, &mut a.buf, a.offset).value(),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            unsafe {
                libc::pread(a.scratch.as_raw_fd(), a.buf.as_mut_ptr().cast(), 1, a.offset as i64)
            }
            .value()
        },
        by_std "std" => |a| a.scratch_file.read_at(&mut a.buf, a.offset).value(),
    }
    pwrite (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            unsafe { crate::floor::pwrite(a.scratch.as_raw_fd(), a.byte.as_ptr(), 1, 0) }
        },
        by_barecall "barecall" => |a| barecall::io::pwrite(a.scratch, &a.byte, 0).value(),
        by_rustix "rustix" => |a| rustix::io::pwrite(a.scratch, &a.byte, 0).value(),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            unsafe { libc::pwrite(a.scratch.as_raw_fd(), a.byte.as_ptr().cast(), 1, 0) }
                .value()
        },
        by_std "std" => |a| a.scratch_file.write_at(&a.byte, 0).value(),
    }
    readv (expect 4) {
        by_asm "asm" => |a| {
            // SAFETY: `IoSliceMut` is an iovec (std guarantees it on Unix), over live,
            // writable bytes.
            unsafe { crate::floor::readv(a.zero.as_raw_fd(), a.into.as_ptr().cast(), 4) }
        },
        by_barecall "barecall" => |a| barecall::io::readv(a.zero, &mut a.into).value(),
        by_rustix "rustix" => |a| rustix::io::readv(a.zero, &mut a.into).value(),
        by_libc "libc" => |a| {
            // SAFETY: as for the asm floor.
            unsafe { libc::readv(a.zero.as_raw_fd(), a.into.as_ptr().cast(), 4) }.value()
        },
        by_std "std" => |a| { let mut file = a.zero_file; file.read_vectored(&mut a.into).value() },
    }
    writev (expect 4) {
        by_asm "asm" => |a| {
            // SAFETY: `IoSlice` is an iovec (std guarantees it on Unix), over live bytes.
            unsafe { crate::floor::writev(a.null.as_raw_fd(), a.out.as_ptr().cast(), 4) }
        },
        by_barecall "barecall" => |a| barecall::io::writev(a.null, &a.out).value(),
        by_rustix "rustix" => |a| rustix::io::writev(a.null, &a.out).value(),
        by_libc "libc" => |a| {
            // SAFETY: as for the asm floor.
            unsafe { libc::writev(a.null.as_raw_fd(), a.out.as_ptr().cast(), 4) }.value()
        },
        by_std "std" => |a| { let mut file = a.null_file; file.write_vectored(&a.out).value() },
    }
    dup3_close (expect 0) {
        by_asm "asm" => |a| {
            // SAFETY: `DUP_TARGET` is free and only this loop uses it.
            unsafe { crate::floor::dup3_close(a.null.as_raw_fd(), DUP_TARGET) }
        },
        by_barecall "barecall" => |a| {
            // SAFETY: `DUP_TARGET` is free and only this loop uses it; it is closed below.
            let mut new = unsafe { dup_target() };
            let value = barecall::io::dup3(a.null, &mut new, barecall::io::DupFlags::empty())
                .value();
            // SAFETY: the dup3 above opened `DUP_TARGET`, which this loop owns.
            unsafe { barecall::io::close(DUP_TARGET) };
            value
        },
        by_rustix "rustix" => |a| {
            // SAFETY: as for barecall.
            let mut new = unsafe { dup_target() };
            let value = rustix::io::dup3(a.null, &mut new, rustix::io::DupFlags::empty()).value();
            // SAFETY: the dup3 above opened `DUP_TARGET`, which this loop owns.
            unsafe { rustix::io::close(DUP_TARGET) };
            value
        },
        by_libc "libc" => |a| {
            // SAFETY: `DUP_TARGET` is free and only this loop uses it; close releases it.
            unsafe {
                libc::dup3(a.null.as_raw_fd(), DUP_TARGET, 0).value();
                libc::close(DUP_TARGET);
            }
            0
        },
    }
    fcntl_getfd (expect 1) {
        by_asm "asm" => |a| crate::floor::fcntl_getfd(a.null.as_raw_fd()),
        by_barecall "barecall" => |a| barecall::io::fcntl_getfd(a.null).value(),
        by_rustix "rustix" => |a| rustix::io::fcntl_getfd(a.null).value(),
        by_libc "libc" => |a| {
            // SAFETY: F_GETFD takes no third argument and touches no memory.
            unsafe { libc::fcntl(a.null.as_raw_fd(), libc::F_GETFD) }.value()
        },
    }
    ioctl_fionread (expect Files::PIPE_BYTES) {
        by_asm "asm" => |a| crate::floor::ioctl_fionread(a.pipe.as_raw_fd()),
        by_barecall "barecall" => |a| barecall::io::ioctl_fionread(a.pipe).value(),
        by_rustix "rustix" => |a| rustix::io::ioctl_fionread(a.pipe).value(),
        by_libc "libc" => |a| {
            let mut count: libc::c_int = 0;
            // SAFETY: FIONREAD writes one `int` to `count`, which is live and writable.
            unsafe { libc::ioctl(a.pipe.as_raw_fd(), libc::FIONREAD, &mut count) }.value();
            count as u64
        },
    }
}
