//! The init of `cargo xtask vm-test`'s virtual machines: mounts a tmpfs on /tmp and proc on
//! /proc, runs every command listed in /tests/list (one per line: a path, then arguments; a
//! line's leading `close=N`, `stdin=PATH` and `as=KIB` words run the command without its fd
//! N, with PATH as its stdin, under an RLIMIT_AS of KIB KiB), reports each exit
//! status on the console, and powers the machine off.
//!
//! Before the tests it brings the loopback interface `lo` up (it starts down): the kernel then
//! gives it 127.0.0.1 and ::1, which the net tests and the echo example use. It does so through
//! barecall's own `ioctl` (`SIOCGIFFLAGS`, then `SIOCSIFFLAGS` with `IFF_UP`) on a datagram
//! socket from `barecall::net`, and checks that both addresses can be bound and
//! connected to.
//!
//! Lines it prints for the xtask: `barecall-vm: lo up` (or `barecall-vm: lo not up: ERROR`),
//! `barecall-vm: run LINE`, `barecall-vm: exit PATH STATUS`
//! (STATUS is the exit code, `signal N`, or `wait4 failed: errno N` when the status is
//! unknown, which the xtask counts as a failure), `barecall-vm: done`.
//!
//! A `BARECALL_SEED=...` in its own environment (from the kernel command line) is passed on to
//! every command.
#![no_std]
#![no_main]

use barecall::fs::{self, Mode, OFlags};
use barecall::io;
use barecall::ioctl::{ioctl, Setter, Updater};
use barecall::net::{self, AddressFamily, Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
use barecall::net::{SocketAddrAny, SocketFlags, SocketType};
use barecall::raw::*;
use linux_raw_sys::general as k;
use linux_raw_sys::ioctl::{SIOCGIFFLAGS, SIOCSIFFLAGS};
use linux_raw_sys::net::{ifreq, net_device_flags};

barecall::main!(main);

/// Most arguments a listed command may have.
const MAX_ARGS: usize = 16;

fn main(startup: barecall::rt::Startup) -> i32 {
    // Firmware may have left terminal escapes on the console's current line: start afresh.
    barecall::println!();
    mount_fs(c"tmpfs", c"/tmp", c"tmpfs");
    mount_fs(c"proc", c"/proc", c"proc");
    match loopback_up() {
        Ok(()) => barecall::println!("barecall-vm: lo up"),
        Err(err) => barecall::println!("barecall-vm: lo not up: {err}"),
    }
    let mut list = [0u8; 16 * 1024];
    let len = fs::open(c"/tests/list", OFlags::RDONLY, Mode::empty())
        .and_then(|fd| io::read_full(&fd, &mut list))
        .unwrap_or_else(|err| {
            barecall::println!("barecall-vm: cannot read /tests/list: {err}");
            0
        });
    let seed = startup
        .env()
        .find(|entry| entry.to_bytes().starts_with(b"BARECALL_SEED="));
    for line in list[..len].split_mut(|&b| b == b'\n') {
        if !line.is_empty() {
            run(line, seed);
        }
    }
    barecall::println!("barecall-vm: done");
    // SAFETY: sync and reboot read no user memory; POWER_OFF with both magic numbers ends
    // the machine, which is this program's last act.
    unsafe {
        syscall0(k::__NR_sync);
        syscall4_readonly(
            k::__NR_reboot,
            k::LINUX_REBOOT_MAGIC1 as usize,
            k::LINUX_REBOOT_MAGIC2 as usize,
            k::LINUX_REBOOT_CMD_POWER_OFF as usize,
            0,
        );
    }
    1
}

/// Sets `IFF_UP` on `lo`, then checks that 127.0.0.1 and ::1 (which the kernel gives `lo` when
/// it goes up) can be bound and connected to.
fn loopback_up() -> io::Result<()> {
    let sock = net::socket_with(
        AddressFamily::INET,
        SocketType::DGRAM,
        SocketFlags::CLOEXEC,
        None,
    )?;
    // SAFETY: `ifreq` is integers, arrays and unions of them and of a pointer: all zeros is a
    // valid value (an empty name, no flags, a null pointer).
    let mut req: ifreq = unsafe { core::mem::zeroed() };
    // SAFETY: writing a `Copy` field of a union; the name is a NUL-padded array of 16 bytes.
    unsafe {
        for (dst, src) in req.ifr_ifrn.ifrn_name.iter_mut().zip(b"lo") {
            *dst = *src as _;
        }
    }
    // SAFETY: SIOCGIFFLAGS reads an `ifreq` (the name) and writes one back (the flags in
    // `ifr_flags`), and writes no other memory.
    unsafe { ioctl(&sock, Updater::<SIOCGIFFLAGS, ifreq>::new(&mut req))? };
    // SAFETY: after SIOCGIFFLAGS the union holds `ifr_flags`, a `c_short`.
    let flags = unsafe { req.ifr_ifru.ifru_flags };
    req.ifr_ifru.ifru_flags = flags | net_device_flags::IFF_UP as core::ffi::c_short;
    // SAFETY: SIOCSIFFLAGS reads an `ifreq` (the name and `ifr_flags`) and writes nothing.
    unsafe { ioctl(&sock, Setter::<SIOCSIFFLAGS, ifreq>::new(req))? };
    reachable(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0).into())?;
    reachable(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 0, 0, 0).into())
}

/// Binds a datagram socket to `addr` and connects it to itself: both need the address on `lo`,
/// and the connect a route to it.
fn reachable(addr: SocketAddrAny) -> io::Result<()> {
    let sock = net::socket_with(
        addr.address_family(),
        SocketType::DGRAM,
        SocketFlags::CLOEXEC,
        None,
    )?;
    net::bind(&sock, &addr)?;
    net::connect(&sock, &net::getsockname(&sock)?)
}

fn mount_fs(source: &core::ffi::CStr, target: &core::ffi::CStr, fstype: &core::ffi::CStr) {
    // SAFETY: mkdirat and mount only read the NUL-terminated strings, live for the calls.
    let raw = unsafe {
        syscall3_readonly(
            k::__NR_mkdirat,
            k::AT_FDCWD as usize,
            target.as_ptr() as usize,
            0o755,
        );
        syscall5_readonly(
            k::__NR_mount,
            source.as_ptr() as usize,
            target.as_ptr() as usize,
            fstype.as_ptr() as usize,
            0,
            0,
        )
    };
    if raw > -4096_isize as usize {
        barecall::println!(
            "barecall-vm: mount {:?} failed: errno {}",
            target,
            raw.wrapping_neg()
        );
    }
}

/// Runs one line of the list (`path arg...`, split at spaces) in a child, with `seed` (a
/// `BARECALL_SEED=...` entry) in its environment if given, and waits for it.
fn run(line: &mut [u8], seed: Option<&core::ffi::CStr>) {
    barecall::println!(
        "barecall-vm: run {}",
        core::str::from_utf8(line).unwrap_or("?")
    );
    // Build argv in place: each space becomes the NUL that ends the word before it.
    let mut line_with_nul = [0u8; 1024];
    let Some(buf) = line_with_nul.get_mut(..line.len() + 1) else {
        barecall::println!("barecall-vm: line too long");
        return;
    };
    buf[..line.len()].copy_from_slice(line);
    let mut argv = [core::ptr::null::<u8>(); MAX_ARGS + 1];
    let mut argc = 0;
    let mut start = 0;
    for i in 0..buf.len() {
        if buf[i] == b' ' || buf[i] == 0 {
            buf[i] = 0;
            if i > start && argc < MAX_ARGS {
                argv[argc] = buf[start..].as_ptr();
                argc += 1;
            }
            start = i + 1;
        }
    }
    // Prefix words, each taking argv's first slot: `close=N` (the child starts without
    // standard stream N), `stdin=PATH` (its stdin is PATH), `as=KIB` (its RLIMIT_AS).
    let mut closed_fd = None;
    let mut stdin_path = None;
    let mut address_space_kib = None;
    while !argv[0].is_null() {
        // SAFETY: argv[0] points into `buf`, NUL-terminated above.
        let word = unsafe { core::ffi::CStr::from_ptr(argv[0].cast()) };
        let word = word.to_bytes();
        if let [b'c', b'l', b'o', b's', b'e', b'=', digit @ b'0'..=b'2'] = *word {
            closed_fd = Some(usize::from(digit - b'0'));
        } else if let Some(path) = word.strip_prefix(b"stdin=") {
            stdin_path = Some(path);
        } else if let Some(kib) = word.strip_prefix(b"as=").and_then(decimal) {
            address_space_kib = Some(kib);
        } else {
            break;
        }
        argv.copy_within(1.., 0);
    }
    if argv[0].is_null() {
        barecall::println!("barecall-vm: nothing to run");
        return;
    }
    let envp = [
        c"TMPDIR=/tmp".as_ptr().cast::<u8>(),
        c"PATH=/tests".as_ptr().cast(),
        c"RUST_BACKTRACE=1".as_ptr().cast(),
        // The CPU is emulated: as many random differential operations as under qemu-user.
        c"BARECALL_DIFFERENTIAL_OPS=2000".as_ptr().cast(),
        c"BARECALL_FS_DIFFERENTIAL_OPS=2000".as_ptr().cast(),
        c"BARECALL_MM_DIFFERENTIAL_OPS=2000".as_ptr().cast(),
        c"BARECALL_EVENT_DIFFERENTIAL_OPS=2000".as_ptr().cast(),
        c"BARECALL_NET_DIFFERENTIAL_OPS=2000".as_ptr().cast(),
        c"BARECALL_FUTEX_DIFFERENTIAL_OPS=2000".as_ptr().cast(),
        seed.map_or(core::ptr::null(), |seed| seed.as_ptr().cast()),
        core::ptr::null(),
    ];
    // SAFETY: clone with only SIGCHLD is fork: the child gets a copy of this memory. The child
    // only calls execve, whose strings and arrays are NUL- and null-terminated and live, and
    // exit_group if that fails.
    let pid = unsafe { syscall5(k::__NR_clone, k::SIGCHLD as usize, 0, 0, 0, 0) };
    if pid == 0 {
        // SAFETY: see above; closing a standard stream of the child's own affects nothing else.
        unsafe {
            if let Some(fd) = closed_fd {
                syscall1_readonly(k::__NR_close, fd);
            }
        }
        if let Some(path) = stdin_path {
            let file = fs::open(path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty());
            if file.and_then(barecall::stdio::dup2_stdin).is_err() {
                barecall::println!("barecall-vm: cannot open the child's stdin");
                barecall::process::exit(127);
            }
        }
        if let Some(kib) = address_space_kib {
            let limit = Some(kib.saturating_mul(1024));
            let rlimit = barecall::process::Rlimit {
                current: limit,
                maximum: limit,
            };
            if barecall::process::setrlimit(barecall::process::Resource::As, rlimit).is_err() {
                barecall::println!("barecall-vm: cannot set the child's RLIMIT_AS");
                barecall::process::exit(127);
            }
        }
        // SAFETY: as above.
        unsafe {
            syscall3_readonly(
                k::__NR_execve,
                argv[0] as usize,
                argv.as_ptr() as usize,
                envp.as_ptr() as usize,
            );
        }
        barecall::process::exit(127);
    }
    if pid > -4096_isize as usize {
        barecall::println!("barecall-vm: fork failed: errno {}", pid.wrapping_neg());
        return;
    }
    let mut status: i32 = 0;
    // SAFETY: wait4 writes one int through the pointer, which is live and writable.
    let waited = unsafe { syscall4(k::__NR_wait4, pid, &mut status as *mut i32 as usize, 0, 0) };
    // SAFETY: argv[0] points into `buf`, NUL-terminated above.
    let path = unsafe { core::ffi::CStr::from_ptr(argv[0].cast()) };
    let path = path.to_str().unwrap_or("?");
    if waited > -4096_isize as usize {
        // The child's status is unknown: never a success.
        barecall::println!(
            "barecall-vm: exit {path} wait4 failed: errno {}",
            waited.wrapping_neg()
        );
    } else if status & 0x7f == 0 {
        barecall::println!("barecall-vm: exit {path} {}", (status >> 8) & 0xff);
    } else {
        barecall::println!("barecall-vm: exit {path} signal {}", status & 0x7f);
    }
}

/// The number `digits` says in decimal, if it says one that fits.
fn decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &d| {
        let d = u64::from(d.checked_sub(b'0').filter(|d| *d < 10)?);
        n.checked_mul(10)?.checked_add(d)
    })
}
