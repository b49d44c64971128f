//! Signals and partial progress, against the real kernel (and under qemu-user).
//!
//! A helper thread sends SIGUSR1 with `pthread_kill` to the thread under test, again and again
//! until the call under test has returned: a signal sent before the thread blocks is handled
//! and lost, so a single signal would make the test depend on timing. The handler is installed
//! without `SA_RESTART`, so a blocked call it interrupts fails with `EINTR`. Sleeps only pace
//! the helpers; no assertion depends on how long anything takes.

mod common;

use barecall::io::{self, Errno};
use barecall::pipe::{pipe, pipe_with, PipeFlags};
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

static HANDLED: AtomicUsize = AtomicUsize::new(0);

extern "C" fn on_signal(_: libc::c_int) {
    HANDLED.fetch_add(1, Ordering::Relaxed);
}

/// `on_signal` installed for SIGUSR1 without `SA_RESTART`; the old action is back when dropped.
struct Handler {
    old: libc::sigaction,
}

impl Handler {
    fn install() -> Self {
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = 0;
            libc::sigemptyset(&mut action.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            assert_eq!(libc::sigaction(libc::SIGUSR1, &action, &mut old), 0);
            let mut now: libc::sigaction = std::mem::zeroed();
            assert_eq!(
                libc::sigaction(libc::SIGUSR1, std::ptr::null(), &mut now),
                0
            );
            assert_eq!(now.sa_flags & libc::SA_RESTART, 0, "SA_RESTART is set");
            Handler { old }
        }
    }
}

impl Drop for Handler {
    fn drop(&mut self) {
        // A signal still pending would meet the old action (SIG_DFL: terminate). Every sender
        // has been joined; the return from `sigpending` delivers what is left to this thread.
        unsafe {
            loop {
                let mut set: libc::sigset_t = std::mem::zeroed();
                libc::sigpending(&mut set);
                if libc::sigismember(&set, libc::SIGUSR1) != 1 {
                    break;
                }
            }
            libc::sigaction(libc::SIGUSR1, &self.old, std::ptr::null_mut());
        }
    }
}

/// Sends SIGUSR1 to a thread every millisecond until stopped; stops (and joins) when dropped.
struct Pounder {
    stop: Arc<AtomicBool>,
    handle: Option<thread::JoinHandle<usize>>,
}

impl Pounder {
    /// Starts pounding the calling thread.
    fn start() -> Self {
        let target = unsafe { libc::pthread_self() };
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = thread::spawn(move || {
            let mut sent = 0;
            while !flag.load(Ordering::SeqCst) {
                thread::sleep(Duration::from_millis(1));
                assert_eq!(unsafe { libc::pthread_kill(target, libc::SIGUSR1) }, 0);
                sent += 1;
            }
            sent
        });
        Pounder {
            stop,
            handle: Some(handle),
        }
    }

    /// Stops; returns the number of signals sent.
    fn stop(mut self) -> usize {
        self.finish()
    }

    fn finish(&mut self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        self.handle
            .take()
            .map_or(0, |handle| handle.join().expect("pounder"))
    }
}

impl Drop for Pounder {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Sends SIGUSR1 to `target` until `attempts` reaches 2 (the call under `retry_on_intr` was
/// interrupted and retried at least once), then runs `then`.
fn interrupt_until_retried<T>(
    target: libc::pthread_t,
    attempts: &AtomicUsize,
    then: impl FnOnce() -> T,
) -> T {
    while attempts.load(Ordering::SeqCst) < 2 {
        thread::sleep(Duration::from_millis(1));
        assert_eq!(unsafe { libc::pthread_kill(target, libc::SIGUSR1) }, 0);
    }
    then()
}

/// Fills a pipe until a one-byte write would block; returns the byte count. Leaves it blocking.
fn fill(writer: &OwnedFd) -> usize {
    io::ioctl_fionbio(writer, true).unwrap();
    let mut filled = 0;
    for chunk in [&[0x11u8; 4096][..], &[0x22u8; 1][..]] {
        loop {
            match io::write(writer, chunk) {
                Ok(n) => filled += n,
                Err(Errno::AGAIN) => break,
                Err(err) => panic!("filling the pipe: {err}"),
            }
        }
    }
    io::ioctl_fionbio(writer, false).unwrap();
    filled
}

#[test]
fn read_blocked_on_an_empty_pipe_is_intr_then_retry_completes() {
    let _check = common::FdCheck::new();
    let _handler = Handler::install();
    let (reader, writer) = pipe().unwrap();
    let mut buf = [0u8; 16];

    let handled = HANDLED.load(Ordering::SeqCst);
    let pounder = Pounder::start();
    assert_eq!(io::read(&reader, &mut buf), Err(Errno::INTR));
    assert!(pounder.stop() >= 1);
    assert!(HANDLED.load(Ordering::SeqCst) > handled, "the handler ran");
    assert_eq!(io::ioctl_fionread(&reader), Ok(0));

    let me = unsafe { libc::pthread_self() };
    let attempts = AtomicUsize::new(0);
    let read = thread::scope(|s| {
        s.spawn(|| interrupt_until_retried(me, &attempts, || io::write(&writer, b"late data")));
        io::retry_on_intr(|| {
            attempts.fetch_add(1, Ordering::SeqCst);
            io::read(&reader, &mut buf)
        })
    });
    assert_eq!(read, Ok(9));
    assert_eq!(&buf[..9], b"late data");
    assert!(attempts.load(Ordering::SeqCst) >= 2);
}

#[test]
fn write_blocked_on_a_full_pipe_is_intr_then_retry_completes() {
    let _check = common::FdCheck::new();
    let _handler = Handler::install();
    let (reader, writer) = pipe().unwrap();
    let filled = fill(&writer);
    assert!(filled >= 4096);
    assert_eq!(io::ioctl_fionread(&reader), Ok(filled as u64));

    let pounder = Pounder::start();
    assert_eq!(io::write(&writer, b"x"), Err(Errno::INTR));
    assert!(pounder.stop() >= 1);
    // Nothing was written.
    assert_eq!(io::ioctl_fionread(&reader), Ok(filled as u64));

    let me = unsafe { libc::pthread_self() };
    let attempts = AtomicUsize::new(0);
    let written = thread::scope(|s| {
        let drain = s.spawn(|| {
            interrupt_until_retried(me, &attempts, || {
                let mut page = [0u8; 4096];
                io::read_exact(&reader, &mut page)
            })
        });
        let written = io::retry_on_intr(|| {
            attempts.fetch_add(1, Ordering::SeqCst);
            io::write(&writer, b"x")
        });
        assert_eq!(drain.join().unwrap(), Ok(()));
        written
    });
    assert_eq!(written, Ok(1));
    assert!(attempts.load(Ordering::SeqCst) >= 2);
    assert_eq!(io::ioctl_fionread(&reader), Ok(filled as u64 - 4096 + 1));
}

/// The byte at position `p` of the streams the tests below send.
fn pattern(p: usize) -> u8 {
    (p * 7 % 251) as u8
}

fn pattern_from(start: usize, len: usize) -> Vec<u8> {
    (start..start + len).map(pattern).collect()
}

/// Reads `reader` in small chunks until the end of file; returns how many bytes came and
/// whether each was the pattern's byte at its position.
fn drain_in_small_chunks(reader: &OwnedFd) -> (usize, bool) {
    let mut total = 0;
    let mut intact = true;
    let mut buf = [0u8; 700];
    loop {
        match io::retry_on_intr(|| io::read(reader, &mut buf)) {
            Ok(0) => return (total, intact),
            Ok(n) => {
                intact &= buf[..n]
                    .iter()
                    .enumerate()
                    .all(|(i, &b)| b == pattern(total + i));
                total += n;
                thread::yield_now();
            }
            Err(err) => panic!("drain: {err}"),
        }
    }
}

/// `write_all` sees `EINTR` for real: with the pipe full, each signal that lands in its blocked
/// write ends that write with `EINTR` (nothing went in, so there is no count to return), and
/// `write_all` must retry. The helper keeps the pipe full until the handler has run several
/// times while `write_all` has not returned and not a byte has moved, then drains it. (A
/// signal can land just before the thread enters `write(2)` and count without an `EINTR`; the
/// thread spends nearly all its time blocked, so of five, the others do not: a `write_all` that
/// returned on `EINTR` failed this 5 times in 5.)
#[test]
fn write_all_retries_writes_interrupted_before_any_byte() {
    const SIGNALS: usize = 5;
    let _check = common::FdCheck::new();
    let _handler = Handler::install();
    let (reader, writer) = pipe().unwrap();
    let filled = fill(&writer);
    let data = pattern_from(0, 10_000);
    let me = unsafe { libc::pthread_self() };
    let returned = AtomicBool::new(false);
    let (result, drained) = thread::scope(|s| {
        let helper = s.spawn(|| {
            let start = HANDLED.load(Ordering::SeqCst);
            while HANDLED.load(Ordering::SeqCst) < start + SIGNALS {
                if returned.load(Ordering::SeqCst) {
                    return None;
                }
                thread::sleep(Duration::from_millis(1));
                assert_eq!(unsafe { libc::pthread_kill(me, libc::SIGUSR1) }, 0);
            }
            let pending_while_interrupted = io::ioctl_fionread(&reader);
            let mut all = vec![0u8; filled + data.len()];
            let read = io::read_exact(&reader, &mut all);
            Some((pending_while_interrupted, read, all))
        });
        let result = io::write_all(&writer, &data);
        returned.store(true, Ordering::SeqCst);
        (result, helper.join().unwrap())
    });
    assert_eq!(result, Ok(()));
    let (pending, read, all) = drained.expect("write_all returned while the pipe was full");
    // Nothing had gone in while the signals came: every one that hit the write was an EINTR.
    assert_eq!(pending, Ok(filled as u64));
    assert_eq!(read, Ok(()));
    assert_eq!(&all[filled..], &data[..]);
}

#[test]
fn write_all_completes_across_short_writes_and_intr() {
    let _check = common::FdCheck::new();
    let _handler = Handler::install();
    let (reader, writer) = pipe().unwrap();
    let (received, intact, sent, short_writes, intr) = thread::scope(|s| {
        let drain = s.spawn(|| drain_in_small_chunks(&reader));
        let pounder = Pounder::start();

        // First show that this setup makes plain writes short: a blocking write of more than
        // the pipe holds, interrupted once some of it went in, returns the count so far.
        let mut sent = 0;
        let (mut short_writes, mut intr) = (0, 0);
        while short_writes == 0 {
            let chunk = pattern_from(sent, 256 << 10);
            match io::write(&writer, &chunk) {
                Ok(n) if n < chunk.len() => {
                    short_writes += 1;
                    sent += n;
                }
                Ok(n) => sent += n,
                Err(Errno::INTR) => intr += 1,
                Err(err) => panic!("write: {err}"),
            }
        }

        // Then write_all, under the same signals, sends everything.
        let data = pattern_from(sent, 1 << 20);
        assert_eq!(io::write_all(&writer, &data), Ok(()));
        sent += data.len();

        pounder.stop();
        drop(writer);
        let (received, intact) = drain.join().unwrap();
        (received, intact, sent, short_writes, intr)
    });
    assert!(short_writes >= 1);
    let _ = intr;
    assert_eq!(received, sent);
    assert!(intact, "the bytes arrived changed or out of order");
}

#[test]
fn read_exact_completes_across_short_reads_and_intr() {
    let _check = common::FdCheck::new();
    let _handler = Handler::install();
    let (reader, writer) = pipe().unwrap();
    const LEN: usize = 1 << 20;
    let mut buf = vec![0u8; LEN + 16];
    let got = thread::scope(|s| {
        // The writer sends small pieces: each read returns what one or a few pieces hold, and
        // a pipe never holds the whole megabyte, so read_exact needs many reads.
        s.spawn(move || {
            let data = pattern_from(0, LEN);
            for (i, piece) in data.chunks(333).enumerate() {
                io::write_all(&writer, piece).unwrap();
                if i % 64 == 0 {
                    thread::sleep(Duration::from_micros(100));
                }
            }
            // Dropping `writer` ends the stream.
        });
        let pounder = Pounder::start();
        let got = io::read_exact(&reader, &mut buf[..LEN]);
        pounder.stop();
        got
    });
    assert_eq!(got, Ok(()));
    assert!(buf[..LEN].iter().enumerate().all(|(p, &b)| b == pattern(p)));
    // The writer is gone: read_exact fails at the end of the file, read_full counts 0.
    assert_eq!(io::read_exact(&reader, &mut buf[..16]), Err(Errno::NODATA));
    assert_eq!(io::read_full(&reader, &mut buf[..16]), Ok(0));
}

/// A file that ends before the buffer is full is an error for `read_exact`, as for std's (the
/// count cannot be ignored into a truncated buffer), and a count for `read_full`.
#[test]
fn read_exact_fails_and_read_full_counts_when_the_file_ends_first() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe().unwrap();
    assert_eq!(io::write(&writer, b"12345678"), Ok(8));
    drop(writer);
    let mut buf = [0u8; 16];
    assert_eq!(io::read_exact(&reader, &mut buf[..3]), Ok(()));
    assert_eq!(&buf[..3], b"123");
    assert_eq!(io::read_full(&reader, &mut buf[..2]), Ok(2));
    assert_eq!(&buf[..2], b"45");
    // Three bytes are left: read_exact takes them, and says the file ended.
    assert_eq!(io::read_exact(&reader, &mut buf), Err(Errno::NODATA));
    assert_eq!(&buf[..3], b"678");
    assert_eq!(io::read_full(&reader, &mut buf), Ok(0));
    assert_eq!(io::read_exact(&reader, &mut buf[..0]), Ok(()));
    assert_eq!(io::read_full(&reader, &mut buf[..0]), Ok(0));
}

/// On a nonblocking fd `write_all` and `read_exact` stop at `EAGAIN` and return it: they retry
/// only short counts and `EINTR`. What was written before stays written; what was read before
/// is in the buffer, but the count is not returned.
#[test]
fn write_all_and_read_exact_on_nonblocking_pipes_return_again() {
    let _check = common::FdCheck::new();
    let (reader, writer) = pipe_with(PipeFlags::NONBLOCK).unwrap();
    let capacity = unsafe { libc::fcntl(writer.as_raw_fd(), libc::F_GETPIPE_SZ) };
    assert!(capacity > 0);
    let data = pattern_from(0, capacity as usize + 10_000);
    assert_eq!(io::write_all(&writer, &data), Err(Errno::AGAIN));
    assert_eq!(io::ioctl_fionread(&reader), Ok(capacity as u64));

    let mut buf = vec![0u8; capacity as usize + 1];
    assert_eq!(io::read_exact(&reader, &mut buf), Err(Errno::AGAIN));
    assert_eq!(io::ioctl_fionread(&reader), Ok(0));
    assert_eq!(&buf[..capacity as usize], &data[..capacity as usize]);

    let mut small = [0u8; 4];
    assert_eq!(io::read_exact(&reader, &mut small), Err(Errno::AGAIN));
}
