// A program written against rustix 1.x's `pipe` (beyond `pipe`), `ioctl`, `rand`, `stdio`
// (`dup2_*`), `process` (IDs, limits, umask, working directory), `system` (`uname`) and
// `thread` (`sched_yield`); `small_port.rs` includes it under `use rustix::...` and under
// `use barecall::...`. Whatever it observes goes into the returned lines.

use std::ffi::c_int;
use std::os::fd::{AsFd, AsRawFd};

use ioctl::{opcode, Direction, Getter, IntegerSetter, NoArg, Opcode, Setter, Updater};
use pipe::{IoSliceRaw, SpliceFlags};
use process::{Pid, Resource, Rlimit};
use rand::GetRandomFlags;

/// What a call returned: the value, or the errno number.
fn seen<T: std::fmt::Debug>(result: io::Result<T>) -> String {
    match result {
        Ok(value) => format!("ok {value:?}"),
        Err(errno) => format!("errno {}", errno.raw_os_error()),
    }
}

const FIONREAD: Opcode = 0x541B;
const FIONBIO: Opcode = 0x5421;
const FIOCLEX: Opcode = 0x5451;

/// `O_NONBLOCK` of `fd`, through libc.
fn nonblocking<Fd: AsFd>(fd: Fd) -> bool {
    // SAFETY: F_GETFL reads the flags of a live fd and touches no memory.
    unsafe { libc::fcntl(fd.as_fd().as_raw_fd(), libc::F_GETFL) & libc::O_NONBLOCK != 0 }
}

pub fn run() -> Vec<String> {
    let mut out = Vec::new();

    // ---- pipe ----
    out.push(format!("PIPE_BUF {}", pipe::PIPE_BUF));
    let (reader, writer) = pipe::pipe().unwrap();
    out.push(format!(
        "getpipe_size {}",
        seen(pipe::fcntl_getpipe_size(&reader))
    ));
    out.push(format!(
        "setpipe_size 8192 {}",
        seen(pipe::fcntl_setpipe_size(&writer, 8192))
    ));
    out.push(format!(
        "setpipe_size MAX {}",
        seen(pipe::fcntl_setpipe_size(&writer, usize::MAX))
    ));
    let data = *b"vmsplice";
    let bufs = [
        IoSliceRaw::from_slice(&data[..2]),
        IoSliceRaw::from_slice(&data[2..]),
    ];
    out.push(format!(
        "vmsplice {}",
        // SAFETY: the write end only reads the buffers.
        seen(unsafe { pipe::vmsplice(&writer, &bufs, SpliceFlags::empty()) })
    ));
    let (reader2, writer2) = pipe::pipe().unwrap();
    out.push(format!(
        "tee {}",
        seen(pipe::tee(&reader, &writer2, 100, SpliceFlags::NONBLOCK))
    ));
    let mut back = [0u8; 16];
    let outs = [IoSliceRaw::from_slice_mut(&mut back)];
    out.push(format!(
        "vmsplice out {}",
        // SAFETY: the read end writes into `back`, made with `from_slice_mut`.
        seen(unsafe { pipe::vmsplice(&reader2, &outs, SpliceFlags::empty()) })
    ));
    out.push(format!("vmsplice got {:?}", &back[..8]));
    let mut offset = 1u64 << 63;
    out.push(format!(
        "splice 2^63 {} {offset}",
        seen(pipe::splice(
            &reader,
            None,
            &writer2,
            Some(&mut offset),
            1,
            SpliceFlags::MOVE
        ))
    ));
    let file = std::fs::File::open("/proc/self/exe").unwrap();
    let mut offset = u64::MAX;
    out.push(format!(
        "splice file 2^64-1 {} {offset}",
        seen(pipe::splice(
            &file,
            Some(&mut offset),
            &writer2,
            None,
            1,
            SpliceFlags::empty()
        ))
    ));
    let mut offset = 2;
    out.push(format!(
        "splice file {} {offset}",
        seen(pipe::splice(
            &file,
            Some(&mut offset),
            &writer2,
            None,
            2,
            SpliceFlags::empty()
        ))
    ));
    out.push(format!(
        "splice pipes {}",
        seen(pipe::splice(
            &reader,
            None,
            &writer2,
            None,
            3,
            SpliceFlags::MORE | SpliceFlags::GIFT
        ))
    ));
    out.push(format!(
        "splice bad flags {}",
        seen(pipe::splice(
            &reader,
            None,
            &writer2,
            None,
            3,
            SpliceFlags::from_bits_retain(0x100)
        ))
    ));

    // ---- ioctl ----
    // SAFETY: FIONREAD writes one `int`; FIONBIO reads one; FIOCLEX takes nothing.
    // SAFETY (every `ioctl` below): FIONREAD writes one `int`, FIONBIO reads one through its
    // pointer (the bogus one fails with EFAULT), FIOCLEX takes nothing, and a request the pipe
    // does not know fails without touching memory.
    let ready = unsafe { ioctl::ioctl(&reader, Getter::<FIONREAD, c_int>::new()) };
    out.push(format!("FIONREAD {}", seen(ready)));
    unsafe { ioctl::ioctl(&reader, Setter::<FIONBIO, c_int>::new(1)) }.unwrap();
    out.push(format!("FIONBIO setter {}", nonblocking(&reader)));
    let mut off: c_int = 0;
    unsafe { ioctl::ioctl(&reader, Updater::<FIONBIO, c_int>::new(&mut off)) }.unwrap();
    out.push(format!("FIONBIO updater {}", nonblocking(&reader)));
    let mut on: c_int = 1;
    let ptr = (&mut on as *mut c_int).cast();
    unsafe { ioctl::ioctl(&reader, IntegerSetter::<FIONBIO>::new_pointer(ptr)) }.unwrap();
    out.push(format!("FIONBIO integer {}", nonblocking(&reader)));
    let bogus = unsafe { ioctl::ioctl(&reader, IntegerSetter::<FIONBIO>::new_usize(8)) };
    out.push(format!("FIONBIO bogus {}", seen(bogus)));
    out.push(format!(
        "FIOCLEX {}",
        seen(unsafe { ioctl::ioctl(&reader, NoArg::<FIOCLEX>::new()) })
    ));
    const UNKNOWN: Opcode = opcode::none(b'~', 0x7f);
    out.push(format!(
        "unknown {}",
        seen(unsafe { ioctl::ioctl(&reader, NoArg::<UNKNOWN>::new()) })
    ));
    out.push(format!(
        "opcodes {:#x} {:#x} {:#x} {:#x} {:#x}",
        opcode::none(b'T', 227),
        opcode::read::<std::ffi::c_long>(b'f', 1),
        opcode::write::<c_int>(b'T', 200),
        opcode::read_write::<c_int>(b'X', 119),
        opcode::from_components(Direction::Read, b'U', 15, 4),
    ));

    // ---- rand ----
    let mut buf = [0u8; 32];
    out.push(format!(
        "getrandom {}",
        seen(rand::getrandom(&mut buf, GetRandomFlags::empty()))
    ));
    let mut uninit = [std::mem::MaybeUninit::<u8>::uninit(); 8];
    out.push(format!(
        "getrandom uninit {}",
        seen(
            rand::getrandom(&mut uninit, GetRandomFlags::NONBLOCK).map(|(a, b)| (a.len(), b.len()))
        )
    ));
    out.push(format!(
        "getrandom bad {}",
        seen(rand::getrandom(
            &mut buf,
            GetRandomFlags::INSECURE | GetRandomFlags::RANDOM
        ))
    ));

    // ---- stdio: onto itself, so the test's streams stay ----
    out.push(format!(
        "dup2_stdin self {}",
        seen(stdio::dup2_stdin(stdio::stdin()))
    ));
    out.push(format!(
        "dup2_stdout self {}",
        seen(stdio::dup2_stdout(stdio::stdout()))
    ));
    out.push(format!(
        "dup2_stderr self {}",
        seen(stdio::dup2_stderr(stdio::stderr()))
    ));

    // ---- process ----
    let pid = process::getpid();
    out.push(format!(
        "getpid {}",
        pid.as_raw_pid() as u32 == std::process::id()
    ));
    out.push(format!("getppid {}", Pid::as_raw(process::getppid()) > 0));
    out.push(format!("is_init {} {}", pid.is_init(), Pid::INIT.is_init()));
    out.push(format!("from_raw 0 {:?}", Pid::from_raw(0)));
    out.push(format!(
        "nonzero {}",
        pid.as_raw_nonzero().get() == pid.as_raw_pid()
    ));
    out.push(format!(
        "ids {} {} {} {}",
        process::getuid().as_raw(),
        process::geteuid().as_raw(),
        process::getgid().as_raw(),
        process::getegid().as_raw()
    ));
    let old = process::getrlimit(Resource::Nofile);
    out.push(format!("getrlimit {old:?}"));
    let lower = Rlimit {
        current: Some(100),
        maximum: old.maximum,
    };
    out.push(format!(
        "setrlimit {}",
        seen(process::setrlimit(Resource::Nofile, lower))
    ));
    out.push(format!(
        "prlimit {}",
        seen(process::prlimit(Some(pid), Resource::Nofile, old))
    ));
    out.push(format!(
        "prlimit none {}",
        seen(process::prlimit(None, Resource::Nofile, old))
    ));
    out.push(format!(
        "setrlimit inverted {}",
        seen(process::setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(2),
                maximum: Some(1)
            }
        ))
    ));
    out.push(format!(
        "getrlimit cpu {:?}",
        process::getrlimit(Resource::Cpu)
    ));
    let mask = process::umask(fs::Mode::from_bits_retain(0o027));
    out.push(format!("umask {:o}", process::umask(mask).bits()));
    let cwd = process::getcwd(Vec::new()).unwrap();
    out.push(format!(
        "getcwd {}",
        cwd.as_bytes()
            == std::env::current_dir()
                .unwrap()
                .as_os_str()
                .as_encoded_bytes()
    ));
    out.push(format!(
        "chdir missing {}",
        seen(process::chdir("/barecall-compat-no-such-dir"))
    ));
    out.push(format!("chdir nul {}", seen(process::chdir(&b"a\0b"[..]))));
    out.push(format!(
        "chdir same {}",
        seen(process::chdir(cwd.as_c_str()))
    ));
    let dir = std::fs::File::open(std::env::current_dir().unwrap()).unwrap();
    out.push(format!("fchdir {}", seen(process::fchdir(&dir))));
    out.push(format!("fchdir pipe {}", seen(process::fchdir(&reader))));

    // ---- system, thread ----
    let name = system::uname();
    out.push(format!(
        "uname {:?} {}",
        name.sysname(),
        !name.release().to_bytes().is_empty()
    ));
    out.push(format!(
        "machine {:?} {:?}",
        name.machine(),
        name.domainname()
    ));
    thread::sched_yield();
    out.push("sched_yield".to_string());
    out
}
