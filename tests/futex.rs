//! `thread::futex` against the kernel, with real waiters (std's threads: a futex call touches
//! no thread-local state, so it is safe in a libc program) and, for every result and errno a
//! single thread can see, libc's `syscall(SYS_futex, ...)` on a twin word.

mod common;

use barecall::io::Errno;
use barecall::thread::futex::{self, Flags, Timespec, WakeOp, WakeOpCmp};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const P: Flags = Flags::PRIVATE;

/// Held by every test: they run one at a time. Under qemu-user, a thread that another test
/// creates (any `clone`, and some `mmap`s) makes qemu interrupt every thread of the process
/// with a host signal and restart its system call; a restarted `FUTEX_WAIT` waits on the
/// address it was first given, so a waiter that `requeue` had moved goes back, and the counts
/// these tests assert change (CI saw `requeue` move 3 of 4).
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A thread ID no thread has: above the kernel's `PID_MAX_LIMIT`.
const NO_SUCH_THREAD: u32 = 0x3fff_fff0;
/// "Every waiter": the kernel reads the counts as `int`, so `u32::MAX` would be -1.
const ALL: u32 = i32::MAX as u32;

fn bits(value: u32) -> NonZeroU32 {
    NonZeroU32::new(value).expect("a bitset is not 0")
}

/// The kernel's `__kernel_timespec`, as barecall passes it (`futex_time64` on 32-bit arm).
#[repr(C)]
struct KernelTimespec {
    tv_sec: i64,
    tv_nsec: i64,
}

/// `futex_time64` (Linux 5.1), which the libc crate does not name on arm.
#[cfg(target_arch = "arm")]
const SYS_FUTEX: libc::c_long = 422;
#[cfg(not(target_arch = "arm"))]
const SYS_FUTEX: libc::c_long = libc::SYS_futex;

/// libc's raw `futex` on `word`: the result or the errno.
fn libc_futex(
    word: &AtomicU32,
    op: u32,
    val: u32,
    timeout_or_val2: usize,
    uaddr2: Option<&AtomicU32>,
    val3: u32,
) -> Result<isize, i32> {
    let uaddr2 = uaddr2.map_or(std::ptr::null(), |w| w.as_ptr().cast_const());
    let ret = unsafe {
        libc::syscall(
            SYS_FUTEX,
            word.as_ptr(),
            op,
            val,
            timeout_or_val2,
            uaddr2,
            val3,
        )
    };
    if ret < 0 {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    } else {
        Ok(ret as isize)
    }
}

fn timeout_arg(timeout: &KernelTimespec) -> usize {
    timeout as *const KernelTimespec as usize
}

fn errno(result: Result<impl Sized, Errno>) -> Option<i32> {
    result.err().map(|e| e.raw_os_error())
}

fn gettid() -> u32 {
    barecall::thread::gettid().as_raw_pid() as u32
}

fn now(clock: libc::clockid_t) -> Timespec {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    assert_eq!(unsafe { libc::clock_gettime(clock, &mut ts) }, 0);
    // `time_t` and `long` are 32-bit on arm: a cast elsewhere, a conversion there.
    #[allow(clippy::unnecessary_cast)]
    Timespec {
        tv_sec: ts.tv_sec as i64,
        tv_nsec: ts.tv_nsec as i64,
    }
}

/// Whether qemu-user lacks the priority-inheritance operations (then reported as skipped).
fn pi_unsupported(name: &str) -> bool {
    let word = AtomicU32::new(0);
    if futex::trylock_pi(&word, P) == Err(Errno::NOSYS) && common::under_qemu_user() {
        common::skip(name, "ENOSYS under qemu-user");
        return true;
    }
    if word.load(Ordering::SeqCst) != 0 {
        futex::unlock_pi(&word, P).expect("unlock the probe's lock");
    }
    false
}

#[test]
fn wait_on_another_value_is_again_as_with_libc() {
    let _serial = serial();
    for flags in [P, Flags::empty()] {
        let ours = AtomicU32::new(7);
        let theirs = AtomicU32::new(7);
        assert_eq!(futex::wait(&ours, flags, 6, None), Err(Errno::AGAIN));
        let op = libc::FUTEX_WAIT as u32 | flags.bits();
        assert_eq!(libc_futex(&theirs, op, 6, 0, None, 0), Err(libc::EAGAIN));
        assert_eq!(ours.load(Ordering::SeqCst), 7);
    }
}

#[test]
fn wait_times_out_after_its_relative_timeout() {
    let _serial = serial();
    let word = AtomicU32::new(0);
    let timeout = Timespec {
        tv_sec: 0,
        tv_nsec: 20_000_000,
    };
    let start = Instant::now();
    assert_eq!(
        futex::wait(&word, P, 0, Some(&timeout)),
        Err(Errno::TIMEDOUT)
    );
    // The kernel sleeps at least the timeout: a semantic bound, not a speed one.
    assert!(
        start.elapsed() >= Duration::from_millis(20),
        "{:?}",
        start.elapsed()
    );
    let zero = Timespec::default();
    assert_eq!(futex::wait(&word, P, 0, Some(&zero)), Err(Errno::TIMEDOUT));
    let theirs = KernelTimespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let op = libc::FUTEX_WAIT as u32 | P.bits();
    assert_eq!(
        libc_futex(&word, op, 0, timeout_arg(&theirs), None, 0),
        Err(libc::ETIMEDOUT)
    );
}

#[test]
fn invalid_timeouts_are_the_kernels_einval() {
    let _serial = serial();
    let word = AtomicU32::new(0);
    for (tv_sec, tv_nsec) in [(0, 1_000_000_000), (0, -1), (-1, 0), (i64::MIN, 0)] {
        let ours = Timespec { tv_sec, tv_nsec };
        let theirs = KernelTimespec { tv_sec, tv_nsec };
        let op = libc::FUTEX_WAIT as u32 | P.bits();
        let expected = libc_futex(&word, op, 0, timeout_arg(&theirs), None, 0);
        assert_eq!(expected, Err(libc::EINVAL), "{tv_sec} s {tv_nsec} ns");
        assert_eq!(
            errno(futex::wait(&word, P, 0, Some(&ours))),
            Some(libc::EINVAL)
        );
    }
}

#[test]
fn wake_without_waiters_wakes_none() {
    let _serial = serial();
    let word = AtomicU32::new(0);
    for count in [0, 1, i32::MAX as u32, u32::MAX] {
        assert_eq!(futex::wake(&word, P, count), Ok(0));
        assert_eq!(futex::wake(&word, Flags::empty(), count), Ok(0));
        assert_eq!(futex::wake_bitset(&word, P, count, bits(u32::MAX)), Ok(0));
    }
}

#[test]
fn unknown_flag_bits_and_misplaced_clock_realtime_are_the_kernels_answer() {
    let _serial = serial();
    let word = AtomicU32::new(0);
    for flags in [
        Flags::from_bits_retain(1 << 9),
        Flags::from_bits_retain(1 << 30),
        P | Flags::CLOCK_REALTIME,
    ] {
        let expected = libc_futex(&word, libc::FUTEX_WAKE as u32 | flags.bits(), 1, 0, None, 0);
        assert_eq!(expected, Err(libc::ENOSYS), "{flags:?}");
        assert_eq!(errno(futex::wake(&word, flags, 1)), Some(libc::ENOSYS));
    }
    // Whether plain `wait` takes CLOCK_REALTIME depends on the kernel: the same answer as libc.
    let flags = P | Flags::CLOCK_REALTIME;
    let op = libc::FUTEX_WAIT as u32 | flags.bits();
    let theirs = KernelTimespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let expected = libc_futex(&word, op, 0, timeout_arg(&theirs), None, 0).err();
    assert_eq!(
        errno(futex::wait(&word, flags, 0, Some(&Timespec::default()))),
        expected
    );
}

/// Moves the waiters of `from` to `to` until `count` of them have been moved, and returns:
/// `cmp_requeue` with no wake reports how many waiters sleep on `from`, which is how the test
/// knows its waiters are in the kernel.
fn requeue_until(from: &AtomicU32, to: &AtomicU32, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut moved = 0;
    while moved < count {
        let value = from.load(Ordering::SeqCst);
        moved += futex::cmp_requeue(from, P, 0, ALL, to, value).expect("cmp_requeue");
        assert!(
            Instant::now() < deadline,
            "only {moved} of {count} waiters arrived"
        );
        std::thread::yield_now();
    }
    assert_eq!(moved, count);
}

/// Threads that sleep on `word` while it is 0, each with its own `wait_bitset` bitset.
fn waiters(word: &Arc<AtomicU32>, bitsets: &[u32]) -> Vec<std::thread::JoinHandle<usize>> {
    bitsets
        .iter()
        .map(|&bitset| {
            let word = Arc::clone(word);
            std::thread::spawn(move || {
                let mut wakes = 0;
                while word.load(Ordering::SeqCst) == 0 {
                    match futex::wait_bitset(&word, P, 0, None, bits(bitset)) {
                        Ok(()) => wakes += 1,
                        Err(Errno::AGAIN) | Err(Errno::INTR) => {}
                        Err(e) => panic!("wait_bitset: {e:?}"),
                    }
                }
                wakes
            })
        })
        .collect()
}

#[test]
fn wake_counts_what_it_woke_and_requeue_moves_the_rest() {
    let _serial = serial();
    let word = Arc::new(AtomicU32::new(0));
    let other = AtomicU32::new(0);
    let threads = waiters(&word, &[u32::MAX; 5]);
    requeue_until(&word, &other, 5);
    // Now all five sleep on `other`; each wake finds the word set and ends its thread.
    word.store(1, Ordering::SeqCst);
    // The kernel counts after it wakes: 0 wakes one, and so does `u32::MAX`, which is -1 to
    // the kernel's `int`.
    assert_eq!(futex::wake(&other, P, 0), Ok(1));
    assert_eq!(futex::wake(&other, P, u32::MAX), Ok(1));
    assert_eq!(futex::wake(&other, P, 2), Ok(2));
    assert_eq!(futex::wake(&other, P, ALL), Ok(1));
    assert_eq!(futex::wake(&other, P, ALL), Ok(0));
    for thread in threads {
        assert_eq!(thread.join().expect("the waiter ran"), 1);
    }
}

#[test]
fn requeue_wakes_some_and_moves_the_others() {
    let _serial = serial();
    let word = Arc::new(AtomicU32::new(0));
    let parking = AtomicU32::new(0);
    let other = AtomicU32::new(0);
    let threads = waiters(&word, &[u32::MAX; 4]);
    requeue_until(&word, &parking, 4);
    // Back onto `word` (the count is of those woken and moved together: here all moved), from
    // where `requeue` wakes one and moves two to `other`.
    assert_eq!(futex::requeue(&parking, P, 0, ALL, &word), Ok(4));
    word.store(1, Ordering::SeqCst);
    assert_eq!(futex::requeue(&word, P, 1, 2, &other), Ok(3));
    assert_eq!(futex::wake(&word, P, ALL), Ok(1), "one was left on word");
    assert_eq!(
        futex::wake(&other, P, ALL),
        Ok(2),
        "two were moved to other"
    );
    for thread in threads {
        assert_eq!(thread.join().expect("the waiter ran"), 1);
    }
}

#[test]
fn cmp_requeue_checks_the_word_first() {
    let _serial = serial();
    let word = AtomicU32::new(5);
    let other = AtomicU32::new(0);
    assert_eq!(
        futex::cmp_requeue(&word, P, 1, 1, &other, 4),
        Err(Errno::AGAIN)
    );
    let theirs = AtomicU32::new(5);
    let op = libc::FUTEX_CMP_REQUEUE as u32 | P.bits();
    assert_eq!(
        libc_futex(&theirs, op, 1, 1, Some(&other), 4),
        Err(libc::EAGAIN)
    );
    assert_eq!(futex::cmp_requeue(&word, P, 1, 1, &other, 5), Ok(0));
    // Onto itself: the kernel's answer (only the PI form refuses it).
    let expected = libc_futex(&theirs, op, 1, 1, Some(&theirs), 5);
    let got = futex::cmp_requeue(&word, P, 1, 1, &word, 5);
    assert_eq!(
        got.map(|n| n as isize).map_err(|e| e.raw_os_error()),
        expected
    );
    // Counts above `i32::MAX` are negative to the kernel.
    assert_eq!(
        futex::cmp_requeue(&word, P, 1, u32::MAX, &other, 5),
        Err(Errno::INVAL)
    );
    assert_eq!(
        libc_futex(&theirs, op, 1, u32::MAX as usize, Some(&other), 5),
        Err(libc::EINVAL)
    );
}

#[test]
fn bitset_wakes_reach_only_matching_waiters() {
    let _serial = serial();
    let word = Arc::new(AtomicU32::new(0));
    let other = AtomicU32::new(0);
    let threads = waiters(&word, &[0b01, 0b10]);
    requeue_until(&word, &other, 2);
    word.store(1, Ordering::SeqCst);
    assert_eq!(futex::wake_bitset(&other, P, ALL, bits(0b100)), Ok(0));
    assert_eq!(futex::wake_bitset(&other, P, ALL, bits(0b10)), Ok(1));
    assert_eq!(futex::wake_bitset(&other, P, ALL, bits(0b10)), Ok(0));
    assert_eq!(futex::wake_bitset(&other, P, ALL, bits(u32::MAX)), Ok(1));
    for thread in threads {
        assert_eq!(thread.join().expect("the waiter ran"), 1);
    }
}

#[test]
fn wait_bitset_takes_an_absolute_time_on_either_clock() {
    let _serial = serial();
    let word = AtomicU32::new(0);
    let past = now(libc::CLOCK_MONOTONIC);
    assert_eq!(
        futex::wait_bitset(&word, P, 0, Some(&past), bits(1)),
        Err(Errno::TIMEDOUT)
    );
    let soon = past
        .checked_add(Timespec {
            tv_sec: 0,
            tv_nsec: 20_000_000,
        })
        .unwrap();
    assert_eq!(
        futex::wait_bitset(&word, P, 0, Some(&soon), bits(1)),
        Err(Errno::TIMEDOUT)
    );
    assert!(now(libc::CLOCK_MONOTONIC) >= soon);
    let realtime = now(libc::CLOCK_REALTIME);
    let flags = P | Flags::CLOCK_REALTIME;
    assert_eq!(
        futex::wait_bitset(&word, flags, 0, Some(&realtime), bits(1)),
        Err(Errno::TIMEDOUT)
    );
    let theirs = KernelTimespec {
        tv_sec: realtime.tv_sec,
        tv_nsec: realtime.tv_nsec,
    };
    let op = libc::FUTEX_WAIT_BITSET as u32 | flags.bits();
    assert_eq!(
        libc_futex(&word, op, 0, timeout_arg(&theirs), None, 1),
        Err(libc::ETIMEDOUT)
    );
    // The value is checked before the time.
    assert_eq!(
        futex::wait_bitset(&word, P, 1, Some(&past), bits(1)),
        Err(Errno::AGAIN)
    );
}

#[test]
fn wake_op_changes_the_second_word_and_tests_its_old_value() {
    let _serial = serial();
    let cases = [
        (WakeOp::Set, 9, 9),
        (WakeOp::Add, 3, 8),
        (WakeOp::Or, 0b1010, 0b1111),
        (WakeOp::AndN, 0b0100, 0b0001),
        (WakeOp::XOr, 0b0110, 0b0011),
        (WakeOp::SetShift, 4, 16),
        (WakeOp::AddShift, 4, 21),
        (WakeOp::OrShift, 3, 13),
        (WakeOp::AndNShift, 2, 1),
        (WakeOp::XOrShift, 0, 4),
    ];
    let word = AtomicU32::new(0);
    for (op, oparg, after) in cases {
        for (cmp, cmparg) in [
            (WakeOpCmp::Eq, 5),
            (WakeOpCmp::Ne, 5),
            (WakeOpCmp::Lt, 6),
            (WakeOpCmp::Le, 4),
            (WakeOpCmp::Gt, 4),
            (WakeOpCmp::Ge, 5),
        ] {
            let ours = AtomicU32::new(5);
            let theirs = AtomicU32::new(5);
            let got = futex::wake_op(&word, P, 1, 1, &ours, op, cmp, oparg, cmparg);
            let val3 = ((op as u32) << 28)
                | ((cmp as u32) << 24)
                | (u32::from(oparg) << 12)
                | u32::from(cmparg);
            let libc_op = libc::FUTEX_WAKE_OP as u32 | P.bits();
            let expected = libc_futex(&word, libc_op, 1, 1, Some(&theirs), val3);
            assert_eq!(
                got.map(|n| n as isize).map_err(|e| e.raw_os_error()),
                expected
            );
            assert_eq!(got, Ok(0), "no waiters");
            assert_eq!(ours.load(Ordering::SeqCst), after, "{op:?} {oparg}");
            assert_eq!(theirs.load(Ordering::SeqCst), after);
        }
    }
    // 12 bits each: more is refused before the call, and nothing changes.
    let ours = AtomicU32::new(5);
    for (oparg, cmparg) in [(4096, 0), (0, 4096), (u16::MAX, u16::MAX)] {
        let got = futex::wake_op(
            &word,
            P,
            1,
            1,
            &ours,
            WakeOp::Set,
            WakeOpCmp::Eq,
            oparg,
            cmparg,
        );
        assert_eq!(got, Err(Errno::INVAL));
        assert_eq!(ours.load(Ordering::SeqCst), 5);
    }
    let got = futex::wake_op(
        &word,
        P,
        1,
        1,
        &ours,
        WakeOp::Set,
        WakeOpCmp::Eq,
        4095,
        4095,
    );
    // The kernel reads both as signed 12-bit numbers: 4095 is -1.
    assert_eq!(got, Ok(0));
    assert_eq!(ours.load(Ordering::SeqCst), u32::MAX);
    let got = futex::wake_op(
        &word,
        P,
        1,
        1,
        &ours,
        WakeOp::Add,
        WakeOpCmp::Eq,
        2047,
        4095,
    );
    assert_eq!(got, Ok(0));
    assert_eq!(ours.load(Ordering::SeqCst), 2046);
}

#[test]
fn wake_op_wakes_the_second_words_waiters_when_the_test_passes() {
    let _serial = serial();
    let word = AtomicU32::new(0);
    let second = Arc::new(AtomicU32::new(0));
    let parking = AtomicU32::new(0);
    let threads = waiters(&second, &[u32::MAX, u32::MAX]);
    requeue_until(&second, &parking, 2);
    assert_eq!(futex::requeue(&parking, P, 0, ALL, &second), Ok(2));
    // Old value 0 is not greater than 0: the word changes, nobody on it wakes.
    let got = futex::wake_op(&word, P, 1, 2, &second, WakeOp::Set, WakeOpCmp::Gt, 0, 0);
    assert_eq!(got, Ok(0));
    // Old value 0 equals 0: sets it to 1 and wakes both, who find it set and end.
    let got = futex::wake_op(&word, P, 1, 2, &second, WakeOp::Set, WakeOpCmp::Eq, 1, 0);
    assert_eq!(got, Ok(2));
    assert_eq!(second.load(Ordering::SeqCst), 1);
    for thread in threads {
        assert_eq!(thread.join().expect("the waiter ran"), 1);
    }
}

#[test]
fn a_signal_interrupts_a_wait_with_eintr() {
    let _serial = serial();
    extern "C" fn on_signal(_: libc::c_int) {}
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
        // No SA_RESTART: an interrupted wait comes back with EINTR.
        action.sa_flags = 0;
        assert_eq!(
            libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()),
            0
        );
    }
    let word = Arc::new(AtomicU32::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = {
        let (word, done) = (Arc::clone(&word), Arc::clone(&done));
        std::thread::spawn(move || {
            tx.send(unsafe { libc::pthread_self() }).unwrap();
            let result = futex::wait(&word, P, 0, None);
            done.store(true, Ordering::SeqCst);
            result
        })
    };
    let thread = rx.recv().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done.load(Ordering::SeqCst) {
        assert_eq!(unsafe { libc::pthread_kill(thread, libc::SIGUSR1) }, 0);
        std::thread::sleep(Duration::from_millis(5));
        assert!(
            Instant::now() < deadline,
            "the signal never interrupted the wait"
        );
    }
    assert_eq!(waiter.join().unwrap(), Err(Errno::INTR));
}

#[test]
fn pi_locks_take_hold_and_release_as_with_libc() {
    let _serial = serial();
    if pi_unsupported("pi_locks_take_hold_and_release_as_with_libc") {
        return;
    }
    let me = gettid();
    let ours = AtomicU32::new(0);
    let theirs = AtomicU32::new(0);
    let op = |o: i32| o as u32 | P.bits();
    // Free: taken, and the word names the owner.
    assert_eq!(futex::trylock_pi(&ours, P), Ok(true));
    assert_eq!(
        libc_futex(&theirs, op(libc::FUTEX_TRYLOCK_PI), 0, 0, None, 0),
        Ok(0)
    );
    assert_eq!(ours.load(Ordering::SeqCst), me);
    assert_eq!(theirs.load(Ordering::SeqCst), me);
    // Held by the caller: a deadlock either way.
    assert_eq!(futex::trylock_pi(&ours, P), Err(Errno::DEADLK));
    assert_eq!(
        libc_futex(&theirs, op(libc::FUTEX_TRYLOCK_PI), 0, 0, None, 0),
        Err(libc::EDEADLK)
    );
    assert_eq!(futex::lock_pi(&ours, P, None), Err(Errno::DEADLK));
    assert_eq!(futex::unlock_pi(&ours, P), Ok(()));
    assert_eq!(
        libc_futex(&theirs, op(libc::FUTEX_UNLOCK_PI), 0, 0, None, 0),
        Ok(0)
    );
    assert_eq!(ours.load(Ordering::SeqCst), 0);
    // lock_pi on a free lock takes it at once.
    assert_eq!(futex::lock_pi(&ours, P, None), Ok(()));
    assert_eq!(ours.load(Ordering::SeqCst), me);
    assert_eq!(futex::unlock_pi(&ours, P), Ok(()));
    // Not the owner: unlock is refused.
    ours.store(NO_SUCH_THREAD, Ordering::SeqCst);
    theirs.store(NO_SUCH_THREAD, Ordering::SeqCst);
    assert_eq!(futex::unlock_pi(&ours, P), Err(Errno::PERM));
    assert_eq!(
        libc_futex(&theirs, op(libc::FUTEX_UNLOCK_PI), 0, 0, None, 0),
        Err(libc::EPERM)
    );
    // An owner that does not exist: no thread to inherit from.
    let past = now(libc::CLOCK_REALTIME);
    let expected = libc_futex(
        &theirs,
        op(libc::FUTEX_LOCK_PI),
        0,
        timeout_arg(&KernelTimespec {
            tv_sec: past.tv_sec,
            tv_nsec: past.tv_nsec,
        }),
        None,
        0,
    );
    assert_eq!(errno(futex::lock_pi(&ours, P, Some(&past))), expected.err());
    assert_eq!(expected.err(), Some(libc::ESRCH));
    assert_eq!(
        errno(futex::trylock_pi(&ours, P)),
        libc_futex(&theirs, op(libc::FUTEX_TRYLOCK_PI), 0, 0, None, 0).err()
    );
}

#[test]
fn a_held_pi_lock_times_out_and_is_handed_over_on_unlock() {
    let _serial = serial();
    if pi_unsupported("a_held_pi_lock_times_out_and_is_handed_over_on_unlock") {
        return;
    }
    let lock = Arc::new(AtomicU32::new(0));
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let owner = {
        let lock = Arc::clone(&lock);
        std::thread::spawn(move || {
            assert_eq!(futex::lock_pi(&lock, P, None), Ok(()));
            held_tx.send(gettid()).unwrap();
            release_rx.recv().unwrap();
            // Waiters queued: the kernel hands the lock to one.
            assert_eq!(futex::unlock_pi(&lock, P), Ok(()));
        })
    };
    let owner_id = held_rx.recv().unwrap();
    assert_eq!(lock.load(Ordering::SeqCst), owner_id);
    assert_eq!(futex::trylock_pi(&lock, P), Err(Errno::AGAIN));
    let soon = now(libc::CLOCK_REALTIME)
        .checked_add(Timespec {
            tv_sec: 0,
            tv_nsec: 20_000_000,
        })
        .unwrap();
    assert_eq!(futex::lock_pi(&lock, P, Some(&soon)), Err(Errno::TIMEDOUT));
    release_tx.send(()).unwrap();
    assert_eq!(futex::lock_pi(&lock, P, None), Ok(()));
    assert_eq!(lock.load(Ordering::SeqCst) & !futex::WAITERS, gettid());
    assert_eq!(lock.load(Ordering::SeqCst) & futex::OWNER_DIED, 0);
    owner.join().expect("the owner ran");
    assert_eq!(futex::unlock_pi(&lock, P), Ok(()));
    assert_eq!(lock.load(Ordering::SeqCst), 0);
}
