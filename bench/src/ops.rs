//! The benchmarked operations, one `#[inline(never)]` loop per implementation and operation.
//!
//! Every loop has the same shape (see [`looped`]): per iteration, the argument block goes
//! through one `black_box`, so each implementation must load its fd and buffer afresh as a real
//! caller would, makes its call, takes the result in one of the two ways of [`Pattern`] (a
//! failure ends the run, in a cold function shared by all; or a `match` whose `Err` arm is a
//! cold handler that returns), and stores the value a caller would keep. The only difference
//! between two loops of one operation and pattern is the implementation of the call itself.

use crate::pattern::{Checked, Matched, Pattern};
use std::fs::File;
use std::hint::black_box;
use std::io::{IoSlice, IoSliceMut, Read, Write};
use std::mem::{ManuallyDrop, MaybeUninit};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::FileExt;
use std::ptr::null_mut;

/// The fd number `dup3` targets. It must be free: [`Files::open`] checks that it is.
pub const DUP_TARGET: RawFd = 100;

/// What `fcntl_getfl` says of [`Files::null`]: `O_WRONLY`, and the kernel's `O_LARGEFILE`
/// (`0o100000` on x86_64), which a 64-bit kernel adds to every `open` (libc's constant for it is
/// 0 there, so it is written out).
pub const NULL_FL: u64 = 0o100001;

/// The bytes `writev` writes, one per buffer.
static OUT: [u8; 4] = *b"abcd";

/// The open files the operations use; opened once per process.
pub struct Files {
    /// `/dev/null`, write-only: `write`, `writev`; the source of `dup3`, `fcntl_getfd` and
    /// `fcntl_getfl`.
    pub null: File,
    /// `/dev/zero`: `read`, `readv`.
    pub zero: File,
    /// A one-byte scratch file, already unlinked: `pread`, `pwrite`, `fstat`.
    pub scratch: File,
    /// The read end of a pipe holding [`Files::PIPE_BYTES`] bytes: `ioctl_fionread`.
    pub pipe: File,
    /// The write end, kept open.
    _pipe_writer: File,
    /// An epoll instance with [`Files::pipe`] in its interest list for `IN`, level-triggered:
    /// every `epoll_wait` reports that one event.
    pub epoll: File,
    /// A connected pair of unix stream sockets: `send_recv` sends a byte on the first and
    /// receives it on the second.
    pub sockets: (File, File),
}

/// The epoll data of [`Files::pipe`]'s entry in [`Files::epoll`].
pub const EPOLL_DATA: u64 = 7;

/// `epoll_wait`'s timeout: none (the event is ready; were it not, the call returns 0 at once
/// and the check fails instead of waiting).
const NO_WAIT: barecall::event::Timespec = barecall::event::Timespec {
    tv_sec: 0,
    tv_nsec: 0,
};
const NO_WAIT_RUSTIX: rustix::event::Timespec = rustix::event::Timespec {
    tv_sec: 0,
    tv_nsec: 0,
};

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
        use barecall::event::epoll;
        let epoll = epoll::create(epoll::CreateFlags::CLOEXEC)?;
        let data = epoll::EventData::new_u64(EPOLL_DATA);
        epoll::add(&epoll, &pipe, data, epoll::EventFlags::IN)?;
        let (a, b) = barecall::net::socketpair(
            barecall::net::AddressFamily::UNIX,
            barecall::net::SocketType::STREAM,
            barecall::net::SocketFlags::CLOEXEC,
            None,
        )?;
        Ok(Self {
            null,
            zero,
            scratch,
            pipe,
            _pipe_writer: pipe_writer,
            epoll: File::from(epoll),
            sockets: (File::from(a), File::from(b)),
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
    epoll: BorrowedFd<'a>,
    sock_a: BorrowedFd<'a>,
    sock_b: BorrowedFd<'a>,
    null_file: &'a File,
    zero_file: &'a File,
    scratch_file: &'a File,
    /// The byte `write` and `pwrite` write.
    byte: [u8; 1],
    /// Where `read`, `pread`, `getrandom` and `recv` read to.
    buf: [u8; 1],
    /// The event `epoll_wait` fills, in each API's type (initialised, so that `wait` returns
    /// the count, as the floor and libc do).
    event: [barecall::event::epoll::Event; 1],
    rustix_event: [rustix::event::epoll::Event; 1],
    /// Four one-byte buffers over [`OUT`], for `writev`.
    out: [IoSlice<'a>; 4],
    /// Four one-byte buffers, for `readv`.
    into: [IoSliceMut<'a>; 4],
    /// The offset of `pread_var`: 0, but not known to the compiler.
    offset: u64,
    /// The word `futex_wake` wakes no one on.
    futex: std::sync::atomic::AtomicU32,
    /// The locks `mutex_lock_unlock` takes and gives back, never contended; each holds 1.
    mutex: barecall::sync::Mutex<u64>,
    std_mutex: std::sync::Mutex<u64>,
    /// Where a thread of `spawn_join` (barecall's) leaves its result.
    spawned: std::sync::atomic::AtomicU64,
    /// The last value kept.
    sink: u64,
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
        epoll: files.epoll.as_fd(),
        sock_a: files.sockets.0.as_fd(),
        sock_b: files.sockets.1.as_fd(),
        null_file: &files.null,
        zero_file: &files.zero,
        scratch_file: &files.scratch,
        byte: *b"x",
        buf: [0],
        futex: std::sync::atomic::AtomicU32::new(0),
        mutex: barecall::sync::Mutex::new(1),
        std_mutex: std::sync::Mutex::new(1),
        spawned: std::sync::atomic::AtomicU64::new(0),
        event: [barecall::event::epoll::Event {
            flags: barecall::event::epoll::EventFlags::empty(),
            data: barecall::event::epoll::EventData::new_u64(0),
        }],
        rustix_event: [rustix::event::epoll::Event {
            flags: rustix::event::epoll::EventFlags::empty(),
            data: rustix::event::epoll::EventData::new_u64(0),
        }],
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

/// The entry of `spawn_join`'s barecall threads: stores 1 where `arg` points, as std's
/// threads hand back their closure's result.
///
/// # Safety
///
/// `arg` points to a live `AtomicU64`.
unsafe extern "C" fn store_one(arg: *mut std::ffi::c_void) {
    // SAFETY: per this function's contract.
    unsafe {
        (*arg.cast::<std::sync::atomic::AtomicU64>()).store(1, std::sync::atomic::Ordering::Release)
    };
}

/// One benchmark: an implementation of an operation, as a loop of `k` calls.
pub struct Bench {
    /// The operation and pattern: `write`, `read`, ... ([`Checked`]), `write/match`, ...
    /// ([`Matched`]).
    pub op: &'static str,
    /// The implementation: `asm`, `barecall`, `rustix`, `libc` or `std`.
    pub imp: &'static str,
    /// Makes `k` calls; returns the last call's value.
    pub run: fn(&Files, u64) -> u64,
    /// The value every call returns.
    pub expect: u64,
}

/// Declares one module per operation holding one loop per implementation, generic over the
/// [`Pattern`], and [`BENCHES`]: every operation with [`Checked`], then every one again with
/// [`Matched`] (named `OP/match`).
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
                    pub fn $name<P: Pattern>(files: &Files, k: u64) -> u64 {
                        looped(files, k, |$args: &mut Args<'_>| $call)
                    }
                )*
            }
        )*

        /// Every benchmark: operations in the order of the tables, implementations likewise.
        pub const BENCHES: &[Bench] = &[
            $($(
                Bench {
                    op: stringify!($op),
                    imp: $imp,
                    run: $op::$name::<Checked>,
                    expect: $expect,
                },
            )*)*
            $($(
                Bench {
                    op: concat!(stringify!($op), "/match"),
                    imp: $imp,
                    run: $op::$name::<Matched>,
                    expect: $expect,
                },
            )*)*
        ];
    };
}

benches! {
    write (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            unsafe { crate::floor::write::<P>(a.null.as_raw_fd(), a.byte.as_ptr(), 1) }
        },
        by_barecall "barecall" => |a| P::result(barecall::io::write(a.null, &a.byte)),
        by_rustix "rustix" => |a| P::result(rustix::io::write(a.null, &a.byte)),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            P::libc(unsafe { libc::write(a.null.as_raw_fd(), a.byte.as_ptr().cast(), 1) }, |r| r)
        },
        by_std "std" => |a| { let mut file = a.null_file; P::result(file.write(&a.byte)) },
    }
    write_file (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            unsafe { crate::floor::write::<P>(a.null_file.as_raw_fd(), a.byte.as_ptr(), 1) }
        },
        by_barecall "barecall" => |a| P::result(barecall::io::write(a.null_file, &a.byte)),
        by_rustix "rustix" => |a| P::result(rustix::io::write(a.null_file, &a.byte)),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            P::libc(unsafe { libc::write(a.null_file.as_raw_fd(), a.byte.as_ptr().cast(), 1) }, |r| r)
        },
    }
    read (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            unsafe { crate::floor::read::<P>(a.zero.as_raw_fd(), a.buf.as_mut_ptr(), 1) }
        },
        by_barecall "barecall" => |a| P::result(barecall::io::read(a.zero, &mut a.buf)),
        by_rustix "rustix" => |a| P::result(rustix::io::read(a.zero, &mut a.buf)),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            P::libc(unsafe { libc::read(a.zero.as_raw_fd(), a.buf.as_mut_ptr().cast(), 1) }, |r| r)
        },
        by_std "std" => |a| { let mut file = a.zero_file; P::result(file.read(&mut a.buf)) },
    }
    pread (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            unsafe { crate::floor::pread::<P>(a.scratch.as_raw_fd(), a.buf.as_mut_ptr(), 1, 0) }
        },
        by_barecall "barecall" => |a| P::result(barecall::io::pread(a.scratch, &mut a.buf, 0)),
        by_rustix "rustix" => |a| P::result(rustix::io::pread(a.scratch, &mut a.buf, 0)),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            let ret =
                unsafe { libc::pread(a.scratch.as_raw_fd(), a.buf.as_mut_ptr().cast(), 1, 0) };
            P::libc(ret, |r| r)
        },
        by_std "std" => |a| P::result(a.scratch_file.read_at(&mut a.buf, 0)),
    }
    pread_var (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte. The kernel refuses offsets
            // past `i64::MAX` (negative `loff_t`) with EINVAL itself.
            unsafe {
                crate::floor::pread::<P>(a.scratch.as_raw_fd(), a.buf.as_mut_ptr(), 1, a.offset as i64)
            }
        },
        by_barecall "barecall" => |a| P::result(barecall::io::pread(a.scratch, &mut a.buf, a.offset)),
        by_rustix "rustix" => |a| P::result(rustix::io::pread(a.scratch, &mut a.buf, a.offset)),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            let ret = unsafe {
                libc::pread(a.scratch.as_raw_fd(), a.buf.as_mut_ptr().cast(), 1, a.offset as i64)
            };
            P::libc(ret, |r| r)
        },
        by_std "std" => |a| P::result(a.scratch_file.read_at(&mut a.buf, a.offset)),
    }
    pwrite (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            unsafe { crate::floor::pwrite::<P>(a.scratch.as_raw_fd(), a.byte.as_ptr(), 1, 0) }
        },
        by_barecall "barecall" => |a| P::result(barecall::io::pwrite(a.scratch, &a.byte, 0)),
        by_rustix "rustix" => |a| P::result(rustix::io::pwrite(a.scratch, &a.byte, 0)),
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.byte`, one live byte.
            let ret = unsafe { libc::pwrite(a.scratch.as_raw_fd(), a.byte.as_ptr().cast(), 1, 0) };
            P::libc(ret, |r| r)
        },
        by_std "std" => |a| P::result(a.scratch_file.write_at(&a.byte, 0)),
    }
    readv (expect 4) {
        by_asm "asm" => |a| {
            // SAFETY: `IoSliceMut` is an iovec (std guarantees it on Unix), over live,
            // writable bytes.
            unsafe { crate::floor::readv::<P>(a.zero.as_raw_fd(), a.into.as_ptr().cast(), 4) }
        },
        by_barecall "barecall" => |a| P::result(barecall::io::readv(a.zero, &mut a.into)),
        by_rustix "rustix" => |a| P::result(rustix::io::readv(a.zero, &mut a.into)),
        by_libc "libc" => |a| {
            // SAFETY: as for the asm floor.
            P::libc(unsafe { libc::readv(a.zero.as_raw_fd(), a.into.as_ptr().cast(), 4) }, |r| r)
        },
        by_std "std" => |a| { let mut file = a.zero_file; P::result(file.read_vectored(&mut a.into)) },
    }
    writev (expect 4) {
        by_asm "asm" => |a| {
            // SAFETY: `IoSlice` is an iovec (std guarantees it on Unix), over live bytes.
            unsafe { crate::floor::writev::<P>(a.null.as_raw_fd(), a.out.as_ptr().cast(), 4) }
        },
        by_barecall "barecall" => |a| P::result(barecall::io::writev(a.null, &a.out)),
        by_rustix "rustix" => |a| P::result(rustix::io::writev(a.null, &a.out)),
        by_libc "libc" => |a| {
            // SAFETY: as for the asm floor.
            P::libc(unsafe { libc::writev(a.null.as_raw_fd(), a.out.as_ptr().cast(), 4) }, |r| r)
        },
        by_std "std" => |a| { let mut file = a.null_file; P::result(file.write_vectored(&a.out)) },
    }
    dup3_close (expect 0) {
        by_asm "asm" => |a| {
            // SAFETY: `DUP_TARGET` is free and only this loop uses it.
            unsafe { crate::floor::dup3_close::<P>(a.null.as_raw_fd(), DUP_TARGET) }
        },
        by_barecall "barecall" => |a| {
            // SAFETY: `DUP_TARGET` is free and only this loop uses it; it is closed below.
            let mut new = unsafe { dup_target() };
            let value =
                P::result(barecall::io::dup3(a.null, &mut new, barecall::io::DupFlags::empty()));
            // SAFETY: the dup3 above opened `DUP_TARGET`, which this loop owns.
            unsafe { barecall::io::close(DUP_TARGET) };
            value
        },
        by_rustix "rustix" => |a| {
            // SAFETY: as for barecall.
            let mut new = unsafe { dup_target() };
            let value =
                P::result(rustix::io::dup3(a.null, &mut new, rustix::io::DupFlags::empty()));
            // SAFETY: the dup3 above opened `DUP_TARGET`, which this loop owns.
            unsafe { rustix::io::close(DUP_TARGET) };
            value
        },
        by_libc "libc" => |a| {
            // SAFETY: `DUP_TARGET` is free and only this loop uses it; close releases it.
            unsafe {
                let value = P::libc(libc::dup3(a.null.as_raw_fd(), DUP_TARGET, 0), drop);
                libc::close(DUP_TARGET);
                value
            }
        },
    }
    fcntl_getfd (expect 1) {
        by_asm "asm" => |a| crate::floor::fcntl_getfd::<P>(a.null.as_raw_fd()),
        by_barecall "barecall" => |a| P::result(barecall::io::fcntl_getfd(a.null)),
        by_rustix "rustix" => |a| P::result(rustix::io::fcntl_getfd(a.null)),
        by_libc "libc" => |a| {
            // SAFETY: F_GETFD takes no third argument and touches no memory.
            P::libc(unsafe { libc::fcntl(a.null.as_raw_fd(), libc::F_GETFD) }, |r| r)
        },
    }
    ioctl_fionread (expect Files::PIPE_BYTES) {
        by_asm "asm" => |a| crate::floor::ioctl_fionread::<P>(a.pipe.as_raw_fd()),
        by_barecall "barecall" => |a| P::result(barecall::io::ioctl_fionread(a.pipe)),
        by_rustix "rustix" => |a| P::result(rustix::io::ioctl_fionread(a.pipe)),
        by_libc "libc" => |a| {
            let mut count: libc::c_int = 0;
            // SAFETY: FIONREAD writes one `int` to `count`, which is live and writable.
            let ret = unsafe { libc::ioctl(a.pipe.as_raw_fd(), libc::FIONREAD, &mut count) };
            P::libc(ret, |_| count as u64)
        },
    }
    fstat (expect 1) {
        by_asm "asm" => |a| crate::floor::fstat::<P>(a.scratch.as_raw_fd()),
        by_barecall "barecall" => |a| P::result(barecall::fs::fstat(a.scratch).map(|st| st.st_size)),
        by_rustix "rustix" => |a| P::result(rustix::fs::fstat(a.scratch).map(|st| st.st_size)),
        by_libc "libc" => |a| {
            let mut stat = MaybeUninit::<libc::stat>::uninit();
            // SAFETY: fstat writes one `struct stat` to `stat`, which is live and writable.
            let ret = unsafe { libc::fstat(a.scratch.as_raw_fd(), stat.as_mut_ptr()) };
            // SAFETY: `ok` runs only when fstat succeeded, so it wrote the struct.
            P::libc(ret, |_| unsafe { stat.assume_init_ref().st_size })
        },
        by_std "std" => |a| P::result(a.scratch_file.metadata().map(|m| m.len())),
    }
    fcntl_getfl (expect NULL_FL) {
        by_asm "asm" => |a| crate::floor::fcntl_getfl::<P>(a.null.as_raw_fd()),
        by_barecall "barecall" => |a| P::result(barecall::fs::fcntl_getfl(a.null)),
        by_rustix "rustix" => |a| P::result(rustix::fs::fcntl_getfl(a.null)),
        by_libc "libc" => |a| {
            // SAFETY: F_GETFL takes no third argument and touches no memory.
            P::libc(unsafe { libc::fcntl(a.null.as_raw_fd(), libc::F_GETFL) }, |r| r)
        },
    }
    getrandom (expect 1) {
        by_asm "asm" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            unsafe { crate::floor::getrandom::<P>(a.buf.as_mut_ptr(), 1) }
        },
        by_barecall "barecall" => |a| {
            P::result(barecall::rand::getrandom(&mut a.buf, barecall::rand::GetRandomFlags::empty()))
        },
        by_rustix "rustix" => |a| {
            P::result(rustix::rand::getrandom(&mut a.buf, rustix::rand::GetRandomFlags::empty()))
        },
        by_libc "libc" => |a| {
            // SAFETY: the buffer is `a.buf`, one writable byte.
            P::libc(unsafe { libc::getrandom(a.buf.as_mut_ptr().cast(), 1, 0) }, |r| r)
        },
    }
    epoll_wait (expect 1) {
        by_asm "asm" => |a| {
            // The same buffer as barecall's, so that both find it the same way; `Event` has
            // the kernel's `struct epoll_event` layout (asserted in barecall's tests).
            let event = a.event.as_mut_ptr().cast::<libc::epoll_event>();
            // SAFETY: the buffer is one writable event.
            unsafe { crate::floor::epoll_wait::<P>(a.epoll.as_raw_fd(), event, 1) }
        },
        by_barecall "barecall" => |a| {
            P::result(barecall::event::epoll::wait(a.epoll, &mut a.event, Some(&NO_WAIT)))
        },
        by_rustix "rustix" => |a| {
            P::result(rustix::event::epoll::wait(a.epoll, &mut a.rustix_event, Some(&NO_WAIT_RUSTIX)))
        },
        by_libc "libc" => |a| {
            let event = a.event.as_mut_ptr().cast::<libc::epoll_event>();
            // SAFETY: the buffer is one writable event, laid out as the kernel's.
            P::libc(unsafe { libc::epoll_wait(a.epoll.as_raw_fd(), event, 1, 0) }, |r| r)
        },
    }
    futex_wake (expect 0) {
        by_asm "asm" => |a| crate::floor::futex_wake::<P>(&a.futex),
        by_barecall "barecall" => |a| {
            use barecall::thread::futex;
            P::result(futex::wake(&a.futex, futex::Flags::PRIVATE, 1))
        },
        by_rustix "rustix" => |a| {
            use rustix::thread::futex;
            P::result(futex::wake(&a.futex, futex::Flags::PRIVATE, 1))
        },
        by_libc "libc" => |a| {
            let op = libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG;
            // SAFETY: a wake reads and writes no user memory; the word is live.
            let ret = unsafe { libc::syscall(libc::SYS_futex, a.futex.as_ptr(), op, 1) };
            P::libc(ret as isize, |r| r)
        },
    }
    mutex_lock_unlock (expect 1) {
        by_barecall "barecall" => |a| P::result(Ok::<u64, ()>(*a.mutex.lock())),
        by_std "std" => |a| P::result(a.std_mutex.lock().map(|guard| *guard)),
    }
    spawn_join (expect 1) {
        by_barecall "barecall" => |a| {
            use std::sync::atomic::Ordering;
            a.spawned.store(0, Ordering::Relaxed);
            let arg = std::ptr::from_ref(&a.spawned).cast_mut().cast();
            // SAFETY: `store_one` is sound with that argument, which outlives the thread (it
            // is joined at once). `spawn_raw` asks for a process without libc because a raw
            // thread shares its spawner's thread pointer, behind which libc keeps its state;
            // `store_one` calls nothing and reads no thread-local, so it never reaches that.
            let thread = unsafe {
                barecall::thread::spawn_raw(store_one, arg, barecall::thread::DEFAULT_STACK_SIZE)
            };
            P::result(thread.and_then(|t| t.join()).map(|()| a.spawned.load(Ordering::Acquire)))
        },
        by_std "std" => |_a| P::result(std::thread::spawn(|| 1u64).join()),
    }
    send_recv (expect 2) {
        by_asm "asm" => |a| {
            // SAFETY: `a.byte` is one live byte, `a.buf` one writable byte.
            unsafe {
                let sent = crate::floor::send::<P>(a.sock_a.as_raw_fd(), a.byte.as_ptr(), 1);
                sent + crate::floor::recv::<P>(a.sock_b.as_raw_fd(), a.buf.as_mut_ptr(), 1)
            }
        },
        by_barecall "barecall" => |a| {
            use barecall::net::{recv, send, RecvFlags, SendFlags};
            let sent = P::result(send(a.sock_a, &a.byte, SendFlags::empty()));
            sent + P::result(recv(a.sock_b, &mut a.buf, RecvFlags::empty()).map(|(n, _)| n))
        },
        by_rustix "rustix" => |a| {
            use rustix::net::{recv, send, RecvFlags, SendFlags};
            let sent = P::result(send(a.sock_a, &a.byte, SendFlags::empty()));
            sent + P::result(recv(a.sock_b, &mut a.buf, RecvFlags::empty()).map(|(n, _)| n))
        },
        by_libc "libc" => |a| {
            // SAFETY: `a.byte` is one live byte, `a.buf` one writable byte.
            unsafe {
                let sent = P::libc(libc::send(a.sock_a.as_raw_fd(), a.byte.as_ptr().cast(), 1, 0), |r| r);
                let ret = libc::recv(a.sock_b.as_raw_fd(), a.buf.as_mut_ptr().cast(), 1, 0);
                sent + P::libc(ret, |r| r)
            }
        },
    }
    mmap_munmap (expect 0) {
        by_asm "asm" => |_a| crate::floor::mmap_munmap::<P>(),
        by_barecall "barecall" => |_a| {
            use barecall::mm::{mmap_anonymous, munmap, MapFlags, ProtFlags};
            let prot = ProtFlags::READ | ProtFlags::WRITE;
            // SAFETY: a mapping the kernel places where it likes replaces nothing; it is
            // unmapped at once, and nothing else knows of it.
            P::result(unsafe {
                mmap_anonymous(null_mut(), crate::floor::PAGE, prot, MapFlags::PRIVATE)
                    .and_then(|addr| munmap(addr, crate::floor::PAGE))
            })
        },
        by_rustix "rustix" => |_a| {
            use rustix::mm::{mmap_anonymous, munmap, MapFlags, ProtFlags};
            let prot = ProtFlags::READ | ProtFlags::WRITE;
            // SAFETY: as for barecall.
            P::result(unsafe {
                mmap_anonymous(null_mut(), crate::floor::PAGE, prot, MapFlags::PRIVATE)
                    .and_then(|addr| munmap(addr, crate::floor::PAGE))
            })
        },
        by_libc "libc" => |_a| {
            let prot = libc::PROT_READ | libc::PROT_WRITE;
            let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
            // SAFETY: as for barecall.
            let addr = unsafe { libc::mmap(null_mut(), crate::floor::PAGE, prot, flags, -1, 0) };
            if addr == libc::MAP_FAILED {
                return P::libc(-1, drop);
            }
            // SAFETY: the range is the mapping just made, which nothing else knows of.
            P::libc(unsafe { libc::munmap(addr, crate::floor::PAGE) }, drop)
        },
    }
}
