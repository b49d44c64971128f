//! The generic `ioctl` module: the request shapes on requests every fd knows, checked through
//! libc, and opcodes against the kernel headers' values.

mod common;

use barecall::io::{self, Errno};
use barecall::ioctl::{
    ioctl, opcode, Direction, Getter, IntegerSetter, Ioctl, NoArg, Opcode, Setter, Updater,
};
use barecall::pipe::pipe;
use linux_raw_sys::ioctl::{FIOCLEX, FIONBIO, FIONCLEX, FIONREAD};
use std::ffi::{c_int, c_long, c_void};
use std::os::fd::{AsRawFd, BorrowedFd};

fn closed_fd() -> BorrowedFd<'static> {
    assert!(!common::is_open(900));
    unsafe { BorrowedFd::borrow_raw(900) }
}

fn nonblocking(fd: &impl AsRawFd) -> bool {
    common::libc_status_flags(fd.as_raw_fd()) & libc::O_NONBLOCK != 0
}

fn cloexec(fd: &impl AsRawFd) -> bool {
    common::libc_fd_flags(fd.as_raw_fd()) & libc::FD_CLOEXEC != 0
}

#[test]
fn getter_reads_fionread() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    for (total, chunk) in [(0, &b""[..]), (5, b"hello"), (5 + 1000, &[7u8; 1000])] {
        if !chunk.is_empty() {
            assert_eq!(io::write(&writer, chunk), Ok(chunk.len()));
        }
        // SAFETY: FIONREAD writes one `int`.
        let ready = unsafe { ioctl(&reader, Getter::<FIONREAD, c_int>::new()) };
        assert_eq!(ready, Ok(total));
        let mut libc_ready: c_int = -1;
        assert_eq!(
            unsafe { libc::ioctl(reader.as_raw_fd(), libc::FIONREAD, &mut libc_ready) },
            0
        );
        assert_eq!(libc_ready, total);
    }
    const { assert!(<Getter<FIONREAD, c_int> as Ioctl>::IS_MUTATING) };
}

#[test]
fn setter_and_integer_setter_set_fionbio() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe().unwrap();
    assert!(!nonblocking(&reader));
    // SAFETY: FIONBIO reads one `int` through its pointer.
    unsafe { ioctl(&reader, Setter::<FIONBIO, c_int>::new(1)) }.unwrap();
    assert!(nonblocking(&reader));
    assert_eq!(io::read(&reader, &mut [0u8; 1]), Err(Errno::AGAIN));
    // SAFETY: as above.
    unsafe { ioctl(&reader, Setter::<FIONBIO, c_int>::new(0)) }.unwrap();
    assert!(!nonblocking(&reader));
    const { assert!(!<Setter<FIONBIO, c_int> as Ioctl>::IS_MUTATING) };

    // The same request with the pointer given by hand.
    let mut on: c_int = 1;
    let ptr = (&mut on as *mut c_int).cast::<c_void>();
    // SAFETY: FIONBIO reads one `int` through the pointer, which is live.
    unsafe { ioctl(&reader, IntegerSetter::<FIONBIO>::new_pointer(ptr)) }.unwrap();
    assert!(nonblocking(&reader));
    // An integer goes into the register as it is: here it is no address, and the kernel says so.
    // SAFETY: the kernel fails to read through the bogus pointer; nothing is written.
    let bogus = unsafe { ioctl(&reader, IntegerSetter::<FIONBIO>::new_usize(8)) };
    assert_eq!(bogus, Err(Errno::FAULT));
    assert!(nonblocking(&reader));
    const { assert!(!<IntegerSetter<FIONBIO> as Ioctl>::IS_MUTATING) };
}

#[test]
fn updater_passes_its_value_both_ways() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"abc"), Ok(3));
    // FIONREAD through an `Updater`: the kernel overwrites the value in place.
    let mut value: c_int = -7;
    // SAFETY: FIONREAD writes one `int` through the pointer.
    unsafe { ioctl(&reader, Updater::<FIONREAD, c_int>::new(&mut value)) }.unwrap();
    assert_eq!(value, 3);
    // FIONBIO reads it.
    let mut on: c_int = 1;
    // SAFETY: FIONBIO reads one `int` through the pointer.
    unsafe { ioctl(&reader, Updater::<FIONBIO, c_int>::new(&mut on)) }.unwrap();
    assert!(nonblocking(&reader));
    const { assert!(<Updater<'_, FIONREAD, c_int> as Ioctl>::IS_MUTATING) };
}

#[test]
fn no_arg_sets_and_clears_cloexec() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe().unwrap();
    assert!(!cloexec(&reader));
    // SAFETY: FIOCLEX and FIONCLEX take no argument and write no memory.
    unsafe { ioctl(&reader, NoArg::<FIOCLEX>::new()) }.unwrap();
    assert!(cloexec(&reader));
    // SAFETY: as above.
    unsafe { ioctl(&reader, NoArg::<FIONCLEX>::new()) }.unwrap();
    assert!(!cloexec(&reader));
    const { assert!(!<NoArg<FIOCLEX> as Ioctl>::IS_MUTATING) };
    assert_eq!(
        format!("{:?}", unsafe { NoArg::<FIOCLEX>::new() }),
        format!("NoArg({FIOCLEX})")
    );
}

#[test]
fn errors_are_the_kernels() {
    let _check = common::FdCheck::new();
    let (reader, _writer) = pipe().unwrap();
    // SAFETY: on a closed fd nothing happens.
    let closed = unsafe { ioctl(closed_fd(), Getter::<FIONREAD, c_int>::new()) };
    assert_eq!(closed, Err(Errno::BADF));
    // A request no pipe knows: `_IO('~', 0x7f)`, unassigned.
    const UNKNOWN: Opcode = opcode::none(b'~', 0x7f);
    // SAFETY: the kernel refuses a request it does not know without touching memory.
    let unknown = unsafe { ioctl(&reader, NoArg::<UNKNOWN>::new()) };
    let libc_result = unsafe { libc::ioctl(reader.as_raw_fd(), UNKNOWN as _) };
    let libc_errno = std::io::Error::last_os_error().raw_os_error().unwrap();
    assert_eq!(libc_result, -1);
    assert_eq!(unknown, Err(Errno::from_raw_os_error(libc_errno)));
    if common::under_qemu_user() && unknown == Err(Errno::NOSYS) {
        // qemu-user answers requests missing from its own table itself.
        common::skip(
            "ioctl_generic::errors_are_the_kernels (unknown request is ENOTTY)",
            "qemu-user answers an unknown ioctl with ENOSYS",
        );
    } else {
        assert_eq!(unknown, Err(Errno::NOTTY));
    }
    // The ioctls of a terminal, on a pipe.
    // SAFETY: as above: a pipe refuses terminal requests.
    let tty = unsafe {
        ioctl(
            &reader,
            Getter::<{ linux_raw_sys::ioctl::TCGETS }, [u8; 64]>::new(),
        )
    };
    assert_eq!(tty, Err(Errno::NOTTY));
}

// libc's constants are `c_ulong`: `u64` or `u32` depending on the target.
#[allow(clippy::unnecessary_cast)]
#[test]
fn opcodes_match_the_kernel_headers() {
    use linux_raw_sys::ioctl as k;
    // On this architecture, the C macros' values (`long` is 4 bytes on arm, 8 elsewhere, which
    // changes the size field).
    assert_eq!(opcode::read::<c_long>(b'f', 1), k::FS_IOC_GETFLAGS);
    assert_eq!(opcode::write::<c_long>(b'f', 2), k::FS_IOC_SETFLAGS);
    assert_eq!(opcode::read::<c_long>(b'v', 1), k::FS_IOC_GETVERSION);
    assert_eq!(opcode::write::<c_int>(b'T', 200), k::TUNSETNOCSUM);
    assert_eq!(opcode::read_write::<c_int>(b'X', 119), k::FIFREEZE);
    assert_eq!(opcode::none(b'T', 227), k::TUNGETDEVNETNS);
    assert_eq!(
        opcode::from_components(Direction::Read, b'f', 1, size_of::<c_long>()),
        k::FS_IOC_GETFLAGS
    );
    // And libc's, where it has them.
    assert_eq!(
        opcode::read::<c_long>(b'f', 1) as u64,
        libc::FS_IOC_GETFLAGS as u64
    );
    assert_eq!(
        opcode::write::<c_long>(b'f', 2) as u64,
        libc::FS_IOC_SETFLAGS as u64
    );
    // The FIO* requests predate the encoding: plain numbers.
    assert_eq!(FIONREAD as u64, libc::FIONREAD as u64);
    assert_eq!(FIONBIO as u64, libc::FIONBIO as u64);
    assert_eq!(FIOCLEX as u64, libc::FIOCLEX as u64);
}
