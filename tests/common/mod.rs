//! Shared by the integration tests: fd-leak checks, scratch files, named skips.
#![allow(dead_code)]

use std::fs::{File, OpenOptions};
use std::sync::{Mutex, MutexGuard};

/// Highest fd number the leak check looks at.
const FD_SCAN_LIMIT: i32 = 1024;

/// Serializes the tests of one binary, so that fds another test opens cannot look like a leak.
static FD_LOCK: Mutex<()> = Mutex::new(());

/// The fds open right now, found by asking the kernel (through libc, not barecall) about each
/// number: works without /proc, under qemu-user and in a bare VM alike.
pub fn open_fds() -> Vec<i32> {
    (0..FD_SCAN_LIMIT)
        .filter(|&fd| unsafe { libc::fcntl(fd, libc::F_GETFD) } != -1)
        .collect()
}

/// How often, and how far apart, the check looks again before it calls a difference real.
const SCAN_TRIES: u32 = 50;
const SCAN_PAUSE: std::time::Duration = std::time::Duration::from_millis(2);

/// The open fds, as two scans in a row agree on them.
///
/// The test lock does not cover everything that opens fds in the process: the thread of the
/// previous test, after releasing the lock, exits, and glibc's malloc, trimming that thread's
/// arena, opens and closes `/proc/sys/vm/overcommit_memory` once per process. A scan that
/// catches such an fd sees it in no second scan.
fn settled_open_fds() -> Vec<i32> {
    let mut last = open_fds();
    for _ in 0..SCAN_TRIES {
        std::thread::sleep(SCAN_PAUSE);
        let now = open_fds();
        if now == last {
            break;
        }
        last = now;
    }
    last
}

/// What an fd refers to, for the failure message (empty where /proc is missing).
fn describe_fds(fds: &[i32]) -> Vec<String> {
    fds.iter()
        .map(|fd| {
            let target = std::fs::read_link(format!("/proc/self/fd/{fd}"))
                .map(|path| path.display().to_string())
                .unwrap_or_default();
            format!("{fd} {target}")
        })
        .collect()
}

/// Start of a test: holds the binary's test lock and remembers the open fds; when dropped,
/// fails the test if the set of open fds changed.
pub struct FdCheck {
    before: Vec<i32>,
    _lock: MutexGuard<'static, ()>,
}

impl FdCheck {
    pub fn new() -> Self {
        let lock = FD_LOCK
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Self {
            before: settled_open_fds(),
            _lock: lock,
        }
    }
}

impl Drop for FdCheck {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let mut after = open_fds();
        if after != self.before {
            // Give another thread's fleeting fd (see `settled_open_fds`) time to go.
            after = settled_open_fds();
        }
        let leaked: Vec<i32> = after
            .iter()
            .copied()
            .filter(|fd| !self.before.contains(fd))
            .collect();
        let closed: Vec<i32> = self
            .before
            .iter()
            .copied()
            .filter(|fd| !after.contains(fd))
            .collect();
        assert!(
            leaked.is_empty() && closed.is_empty(),
            "the test leaked fds {:?} and closed fds {closed:?} it did not open",
            describe_fds(&leaked)
        );
    }
}

/// An empty read-write regular file in the temp directory, already unlinked.
pub fn scratch_file() -> File {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "barecall-test-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .expect("create scratch file");
    std::fs::remove_file(&path).expect("unlink scratch file");
    file
}

/// A scratch file holding `contents`, with the file offset at 0.
pub fn scratch_file_with(contents: &[u8]) -> File {
    use std::io::{Seek, SeekFrom, Write};
    let mut file = scratch_file();
    file.write_all(contents).expect("fill scratch file");
    file.seek(SeekFrom::Start(0)).expect("rewind scratch file");
    file
}

/// Whether the tests run under qemu-user, which the runner in `.cargo/config.toml` (and the
/// xtask) says by setting `BARECALL_QEMU_USER`. Only there may a call be missing.
pub fn under_qemu_user() -> bool {
    std::env::var_os("BARECALL_QEMU_USER").is_some()
}

/// Reports test `name` as skipped, with `reason`, on a line the xtask counts:
/// `barecall-skip: NAME: REASON`.
pub fn skip(name: &str, reason: &str) {
    report(&format!("barecall-skip: {name}: {reason}\n"));
}

/// Writes `line` (a `barecall-...` line the xtask counts, ending in a newline) straight to
/// fd 2, past libtest's output capture, and appends it, in one `write`, to the file
/// `BARECALL_REPORT_FILE` names, if set: the xtask counts that file's lines, which no
/// interleaving of stdout and stderr can cut.
pub fn report(line: &str) {
    let written = unsafe { libc::write(2, line.as_ptr().cast(), line.len()) };
    assert_eq!(written, line.len() as isize, "report to stderr");
    if let Some(path) = std::env::var_os("BARECALL_REPORT_FILE") {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("BARECALL_REPORT_FILE={path:?}: {e}"));
        file.write_all(line.as_bytes())
            .unwrap_or_else(|e| panic!("BARECALL_REPORT_FILE={path:?}: {e}"));
    }
}

/// The fd flags and file status flags of a raw fd, read through libc.
pub fn libc_fd_flags(fd: i32) -> i32 {
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    assert_ne!(flags, -1, "F_GETFD on fd {fd}");
    flags
}

/// The file status flags (`O_*`) of a raw fd, read through libc.
pub fn libc_status_flags(fd: i32) -> i32 {
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    assert_ne!(flags, -1, "F_GETFL on fd {fd}");
    flags
}

/// Whether `fd` is open, according to libc.
pub fn is_open(fd: i32) -> bool {
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

/// The numbers from `min` up to (not including) `fd` that are not open, according to libc.
///
/// Every call that makes an fd (`dup`, `F_DUPFD*`, `open`, `pipe`, `socket`) must take the
/// lowest number at least `min` that is free (0 where the call has no `min`): POSIX says so, and
/// programs rely on it (closing 0 and opening `/dev/null` to get a new stdin). So just after
/// such a call, every number from `min` below the new fd must be open. The tests hold
/// [`FdCheck`], so no other test opens or closes fds in between.
pub fn free_below(fd: i32, min: i32) -> Vec<i32> {
    (min.max(0)..fd).filter(|&n| !is_open(n)).collect()
}

/// Whether `fd`, just made by a call asked for a number at least `min`, is the lowest free
/// number at least `min`: see [`free_below`].
pub fn is_lowest_free(fd: i32, min: i32) -> bool {
    fd >= min && free_below(fd, min).is_empty()
}

/// Asserts that `fd`, just made by a call asked for a number at least `min`, is the lowest
/// free number at least `min`: see [`free_below`].
#[track_caller]
pub fn assert_lowest_free(fd: i32, min: i32) {
    assert!(fd >= min, "new fd {fd} is below the minimum {min}");
    let free = free_below(fd, min);
    assert!(
        free.is_empty(),
        "new fd {fd} is not the lowest free number at least {min}: {free:?} were free"
    );
}
