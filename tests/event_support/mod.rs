//! Shared by tests/event.rs and tests/epoll.rs: interrupting a blocked call with a signal,
//! raising `RLIMIT_NOFILE`, timespecs.
#![allow(dead_code)]

use barecall::event::Timespec;
use barecall::io;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// No wait: a zero timeout.
pub const NOW: Timespec = Timespec {
    tv_sec: 0,
    tv_nsec: 0,
};

pub const fn ts(tv_sec: i64, tv_nsec: i64) -> Timespec {
    Timespec { tv_sec, tv_nsec }
}

/// How long a test waits for something that should happen at once before it calls it lost.
pub const BOUND: Duration = Duration::from_secs(10);

extern "C" fn on_signal(_: libc::c_int) {}

/// Installs a do-nothing handler for `SIGUSR1` without `SA_RESTART`, through libc.
fn install_handler() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
        action.sa_flags = 0;
        libc::sigemptyset(&mut action.sa_mask);
        assert_eq!(
            libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()),
            0
        );
    });
}

/// Runs `call`, which blocks until a signal interrupts it, on another thread, and sends that
/// thread `SIGUSR1` (handled, without `SA_RESTART`) every few milliseconds until `call`
/// returns; returns what it returned and how many signals it took. Should `call` still block
/// after [`BOUND`], `unblock` is run to free it and the test fails: bounded either way.
pub fn interrupted<F>(call: F, unblock: impl FnOnce()) -> io::Result<usize>
where
    F: FnOnce() -> io::Result<usize> + Send + 'static,
{
    use std::os::unix::thread::JoinHandleExt;
    install_handler();
    let (done_tx, done_rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let result = call();
        done_tx.send(()).unwrap();
        result
    });
    let pthread = thread.as_pthread_t();
    let start = Instant::now();
    let mut signals = 0;
    loop {
        match done_rx.recv_timeout(Duration::from_millis(5)) {
            Ok(()) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if start.elapsed() > BOUND {
            unblock();
            let result = thread.join().unwrap();
            panic!("{signals} signals did not interrupt the call in {BOUND:?}; it returned {result:?} once unblocked");
        }
        assert_eq!(unsafe { libc::pthread_kill(pthread, libc::SIGUSR1) }, 0);
        signals += 1;
    }
    let result = thread.join().unwrap();
    assert!(
        signals > 0,
        "the call returned {result:?} before any signal"
    );
    result
}

/// The current and maximum `RLIMIT_NOFILE`, through libc.
pub fn nofile() -> (u64, u64) {
    let mut limit: libc::rlimit = unsafe { std::mem::zeroed() };
    assert_eq!(
        unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) },
        0
    );
    (limit.rlim_cur as u64, limit.rlim_max as u64)
}

/// Sets the current `RLIMIT_NOFILE`, through libc.
pub fn set_nofile(current: u64) -> Result<(), i32> {
    let (_, max) = nofile();
    let limit = libc::rlimit {
        rlim_cur: current as _,
        rlim_max: max as _,
    };
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }
}

/// While alive, `RLIMIT_NOFILE`'s current limit is at least the number asked (raised through
/// libc, bounded by the maximum); dropped, the old limit is back.
pub struct NofileAtLeast(u64);

impl NofileAtLeast {
    pub fn new(wanted: u64) -> Self {
        let (current, max) = nofile();
        if current < wanted {
            assert!(
                max >= wanted,
                "RLIMIT_NOFILE's maximum is {max}, below the {wanted} this test needs"
            );
            set_nofile(wanted).expect("raise RLIMIT_NOFILE");
        }
        Self(current)
    }
}

impl Drop for NofileAtLeast {
    fn drop(&mut self) {
        let _ = set_nofile(self.0);
    }
}

/// The errno of a libc call that returned -1.
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Why a check of unknown flag bits is skipped under qemu-user: it translates some calls' flags
/// (`epoll_create1`'s, as of qemu 7.2) bit by bit through its own table, so bits it does not
/// know never reach the kernel, which would refuse them.
pub const QEMU_DROPS_FLAGS: &str = "qemu-user drops flag bits it does not know";

/// Checks one call with unknown flag bits: barecall's answer (`ours`) and libc's (`theirs`,
/// the errno or success) must both be the kernel's `EINVAL`. Under qemu-user alone, both
/// succeeding is [`QEMU_DROPS_FLAGS`]: returns `true` so that the test reports the skip.
#[track_caller]
pub fn unknown_flags_refused(bits: u32, ours: io::Result<()>, theirs: Result<(), i32>) -> bool {
    if crate::common::under_qemu_user() && ours.is_ok() && theirs.is_ok() {
        return true;
    }
    assert_eq!(theirs, Err(libc::EINVAL), "libc, bits {bits:#x}");
    assert_eq!(ours, Err(io::Errno::INVAL), "barecall, bits {bits:#x}");
    false
}
