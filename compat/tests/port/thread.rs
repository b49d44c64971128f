// A program written against rustix 1.x's `thread` module, as a user would write it: `gettid`,
// `sched_yield`, `sched_getaffinity`/`sched_setaffinity` with `CpuSet`, `sched_getcpu`, and the
// `futex` module's calls, flags and wake-op encodings. `thread_port.rs` includes it under
// `use rustix::{...}` and under `use barecall::{...}`. What it observes goes into the returned
// lines: values, errno numbers, counts and futex words; thread IDs as comparisons, since the
// two runs happen in different threads.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

use thread::futex;

/// What a call returned: the value, or the errno number.
fn seen<T: std::fmt::Debug>(result: io::Result<T>) -> String {
    match result {
        Ok(value) => format!("ok {value:?}"),
        Err(errno) => format!("errno {}", errno.raw_os_error()),
    }
}

pub fn run() -> Vec<String> {
    // In a thread of its own: the affinity it sets is that thread's alone.
    std::thread::spawn(observe).join().expect("the port program ran")
}

fn observe() -> Vec<String> {
    let mut out = Vec::new();
    let me = thread::gettid();
    let libc_tid = unsafe { libc::syscall(libc::SYS_gettid) } as i32;
    out.push(format!("gettid is the kernel's: {}", me.as_raw_nonzero().get() == libc_tid));
    thread::sched_yield();

    // Affinity: the set, pinned to its first CPU, and back.
    let allowed = thread::sched_getaffinity(None).expect("sched_getaffinity");
    out.push(format!("cpus allowed: {}", allowed.count()));
    let first = (0..thread::CpuSet::MAX_CPU).find(|&c| allowed.is_set(c)).expect("one CPU");
    let mut one = thread::CpuSet::new();
    one.set(first);
    out.push(format!("pin: {}", seen(thread::sched_setaffinity(None, &one))));
    let now = thread::sched_getaffinity(None).expect("sched_getaffinity");
    out.push(format!("pinned: {} cpu, same set: {}", now.count(), now == one));
    out.push(format!("runs where pinned: {}", thread::sched_getcpu() == first));
    out.push(format!("unpin: {}", seen(thread::sched_setaffinity(None, &allowed))));
    let mut empty = thread::CpuSet::new();
    empty.set(first);
    empty.unset(first);
    out.push(format!("empty set: {}", seen(thread::sched_setaffinity(None, &empty))));
    out.push(format!("no such thread: {}", seen(thread::sched_getaffinity(thread::Pid::from_raw(0x3fff_fff0)))));

    // Futexes.
    let p = futex::Flags::PRIVATE;
    let word = AtomicU32::new(1);
    let other = AtomicU32::new(5);
    out.push(format!("wait, other value: {}", seen(futex::wait(&word, p, 0, None))));
    let zero = futex::Timespec { tv_sec: 0, tv_nsec: 0 };
    out.push(format!("wait, timeout: {}", seen(futex::wait(&word, p, 1, Some(&zero)))));
    let bad = futex::Timespec { tv_sec: 0, tv_nsec: 1_000_000_000 };
    out.push(format!("wait, bad timeout: {}", seen(futex::wait(&word, p, 1, Some(&bad)))));
    out.push(format!("wake: {}", seen(futex::wake(&word, p, 1))));
    out.push(format!("wake, no flags: {}", seen(futex::wake(&word, futex::Flags::empty(), 1))));
    out.push(format!("wake, realtime: {}", seen(futex::wake(&word, p | futex::Flags::CLOCK_REALTIME, 1))));
    out.push(format!("requeue: {}", seen(futex::requeue(&word, p, 1, 1, &other))));
    out.push(format!("cmp_requeue, other value: {}", seen(futex::cmp_requeue(&word, p, 1, 1, &other, 2))));
    out.push(format!("cmp_requeue: {}", seen(futex::cmp_requeue(&word, p, 1, 1, &other, 1))));
    let ops = [
        (futex::WakeOp::Set, 9),
        (futex::WakeOp::Add, 3),
        (futex::WakeOp::Or, 6),
        (futex::WakeOp::AndN, 1),
        (futex::WakeOp::XOr, 5),
        (futex::WakeOp::SetShift, 3),
        (futex::WakeOp::AddShift, 2),
        (futex::WakeOp::OrShift, 4),
        (futex::WakeOp::AndNShift, 3),
        (futex::WakeOp::XOrShift, 1),
    ];
    for (op, oparg) in ops {
        for cmp in [futex::WakeOpCmp::Eq, futex::WakeOpCmp::Ne, futex::WakeOpCmp::Lt, futex::WakeOpCmp::Le, futex::WakeOpCmp::Gt, futex::WakeOpCmp::Ge] {
            let result = futex::wake_op(&word, p, 1, 1, &other, op, cmp, oparg, 8);
            out.push(format!("wake_op {op:?} {cmp:?}: {} -> {}", seen(result), other.load(Ordering::SeqCst)));
        }
    }
    let too_big = futex::wake_op(&word, p, 1, 1, &other, futex::WakeOp::Set, futex::WakeOpCmp::Eq, 4096, 0);
    out.push(format!("wake_op, oparg 4096: {}", seen(too_big)));
    let past = futex::Timespec { tv_sec: 1, tv_nsec: 0 };
    let bits = NonZeroU32::new(0b101).unwrap();
    out.push(format!("wait_bitset, past: {}", seen(futex::wait_bitset(&word, p, 1, Some(&past), bits))));
    out.push(format!("wake_bitset: {}", seen(futex::wake_bitset(&word, p, 1, bits))));

    // Priority-inheritance locks.
    let lock = AtomicU32::new(0);
    out.push(format!("trylock_pi: {}", seen(futex::trylock_pi(&lock, p))));
    out.push(format!("held by me: {}", lock.load(Ordering::SeqCst) == me.as_raw_nonzero().get() as u32));
    out.push(format!("trylock_pi again: {}", seen(futex::trylock_pi(&lock, p))));
    out.push(format!("lock_pi again: {}", seen(futex::lock_pi(&lock, p, None))));
    out.push(format!("unlock_pi: {}", seen(futex::unlock_pi(&lock, p))));
    out.push(format!("word after: {}", lock.load(Ordering::SeqCst)));
    out.push(format!("unlock_pi, not mine: {}", seen(futex::unlock_pi(&lock, p))));
    out.push(format!("lock_pi: {}", seen(futex::lock_pi(&lock, p, Some(&past)))));
    out.push(format!("unlock_pi: {}", seen(futex::unlock_pi(&lock, p))));
    out.push(format!("WAITERS {:#x} OWNER_DIED {:#x}", futex::WAITERS, futex::OWNER_DIED));
    out
}
