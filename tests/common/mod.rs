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
            before: open_fds(),
            _lock: lock,
        }
    }
}

impl Drop for FdCheck {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let after = open_fds();
        assert_eq!(self.before, after, "the test leaked or closed fds");
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
/// `barecall-skip: NAME: REASON`. Written straight to fd 2, past libtest's output capture.
pub fn skip(name: &str, reason: &str) {
    let line = format!("barecall-skip: {name}: {reason}\n");
    let written = unsafe { libc::write(2, line.as_ptr().cast(), line.len()) };
    assert_eq!(written, line.len() as isize);
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
