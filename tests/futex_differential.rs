//! Differential tests: barecall's `thread::futex` functions against the kernel's `futex` system
//! call made through libc's `syscall` (`futex_time64` on 32-bit arm, as barecall makes it, with
//! a 64-bit timespec), as `tests/event_differential.rs` does for `event`.
//!
//! Two "worlds" each hold an array of futex words with the same values. Each operation runs in
//! the barecall world through barecall and in the libc world through `syscall`: `store` (a
//! plain atomic store of a value both worlds get, to set the words up: 0, small numbers, the
//! test thread's own ID with and without `WAITERS` or `OWNER_DIED`, a thread ID no thread can
//! have, `u32::MAX`), `wait`, `wake`, `requeue`, `cmp_requeue`, `wake_op` (every `WakeOp` and
//! `WakeOpCmp`, `oparg` and `cmparg` across the kernel's 12 bits and past them), `lock_pi`,
//! `unlock_pi`, `trylock_pi`, `wait_bitset` and `wake_bitset`, with `PRIVATE` mostly, sometimes
//! no flag, `CLOCK_REALTIME` (which most operations refuse with `ENOSYS`) and unknown bits
//! (`ENOSYS`). Then the return value (a count, `Ok`, `trylock_pi`'s bool), the errno, and every
//! word's value in both worlds are compared.
//!
//! The test is single-threaded, so no operation may block, and nothing can wake a waiter:
//! a wait either finds the word changed (`AGAIN`), has a bad timeout (`INVAL`), or times out at
//! once (`TIMEDOUT`): `wait`'s relative timeouts are a few nanoseconds, `wait_bitset`'s absolute
//! ones are in the past or 20 µs ahead on `CLOCK_MONOTONIC`. A wait whose word matches and that
//! has no timeout is skipped in both worlds and not counted, and so is a matching `wait` with
//! `CLOCK_REALTIME` (Linux 6.18 refuses the flag there with `ENOSYS`, but kernels from 4.5 on
//! have taken it, and how they measure a relative timeout on the realtime clock is not worth
//! betting a hang on). The PI operations run only on words whose owner is nobody (0), the
//! test thread itself (`DEADLK`), or a thread ID above `PID_MAX_LIMIT` (`SRCH`): a live other
//! thread would be waited for, so other words are skipped; `lock_pi`'s timeout is always an
//! absolute `CLOCK_REALTIME` time in the past, or invalid. A `wake_op` whose `oparg` or
//! `cmparg` does not fit 12 bits is refused by barecall with `INVAL` before any call, so the
//! libc world makes no call for it and answers `INVAL` itself: what is compared is that
//! barecall says `INVAL` and leaves the words alone. Bad addresses cannot be passed through
//! the safe API, and bitsets of 0 not through `NonZeroU32`.
//!
//! The seed is printed (`barecall-futex-differential-seed:`); `BARECALL_SEED=<seed>` repeats a
//! run. A mismatch is shrunk by dropping operations while it still fails, and the shortest
//! failing sequence is printed. It compares at least 10,000 operations natively and 2,000
//! under qemu-user, or `BARECALL_FUTEX_DIFFERENTIAL_OPS`, and goes on past that until every
//! function has both succeeded and failed (but `store`, which cannot fail, and the two waits,
//! which cannot succeed with no other thread to wake them: they must have failed both with
//! `AGAIN` and with `TIMEDOUT`); the count is the last line on stderr,
//! `barecall-futex-differential-ops: N`, and `--nocapture` shows it per function.

mod common;

use barecall::io::Errno;
use barecall::thread::futex::{self, Flags, Timespec, WakeOp, WakeOpCmp};
use libc::{c_int, c_long, c_ulong};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

/// Operations compared per run, natively and under qemu-user.
const OPS_NATIVE: usize = 10_000;
const OPS_QEMU: usize = 2_000;
/// Random operations per episode, after the fixed start; each episode starts from fresh worlds.
const EPISODE_LEN: usize = 60;
/// Futex words per world.
const WORDS: usize = 4;
/// A thread ID no thread has: above the kernel's `PID_MAX_LIMIT`.
const NO_TID: u32 = 0x3fff_fff0;
/// `PID_MAX_LIMIT` (4 Mi): no thread ID reaches it.
const PID_MAX_LIMIT: u32 = 0x40_0000;
const WAITERS: u32 = libc::FUTEX_WAITERS;
const OWNER_DIED: u32 = libc::FUTEX_OWNER_DIED;
const TID_MASK: u32 = libc::FUTEX_TID_MASK;
const PRIVATE: u32 = libc::FUTEX_PRIVATE_FLAG as u32;
const CLOCK_REALTIME: u32 = libc::FUTEX_CLOCK_REALTIME as u32;
/// `op` bits no kernel knows (512 and 1024 are taken by newer kernels' robust-unlock flags):
/// they make the command unknown, `ENOSYS`.
const UNKNOWN_BITS: [u32; 4] = [1 << 12, 1 << 20, 1 << 30, 1 << 31];

/// The system call libc's side makes: `futex_time64` (422) on 32-bit arm, which the libc crate
/// does not name, as barecall does there.
#[cfg(target_arch = "arm")]
const SYS_FUTEX: c_long = 422;
#[cfg(not(target_arch = "arm"))]
const SYS_FUTEX: c_long = libc::SYS_futex;

// ---- Random numbers --------------------------------------------------------------------------

/// splitmix64: small, fast, and good enough to pick operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// The seed of this run: `BARECALL_SEED` (decimal or `0x` hex), else the clock and the pid.
fn run_seed() -> u64 {
    if let Ok(text) = std::env::var("BARECALL_SEED") {
        let text = text.trim();
        let parsed = match text.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => text.parse(),
        };
        return parsed.unwrap_or_else(|_| panic!("BARECALL_SEED={text:?} is not a u64"));
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    Rng(nanos ^ (u64::from(std::process::id()) << 32)).next()
}

/// The calling thread's ID, through libc.
fn own_tid() -> u32 {
    let tid = unsafe { libc::gettid() };
    assert!(tid > 0, "gettid");
    tid as u32
}

// ---- Operations ------------------------------------------------------------------------------

/// A value an operation stores or expects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Val {
    Num(u32),
    /// The test thread's ID, or'd with these bits (`WAITERS`, `OWNER_DIED`).
    Tid(u32),
}

impl Val {
    fn get(self) -> u32 {
        match self {
            Val::Num(n) => n,
            Val::Tid(bits) => own_tid() | bits,
        }
    }
}

impl fmt::Debug for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Val::Num(n) if n < 16 => write!(f, "{n}"),
            Val::Num(n) => write!(f, "{n:#x}"),
            Val::Tid(0) => f.write_str("tid"),
            Val::Tid(bits) => write!(f, "tid|{bits:#x}"),
        }
    }
}

/// The value a wait or `cmp_requeue` compares the word with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expected {
    /// What the word holds now.
    Current,
    /// This value (which may happen to be the word's).
    Other(Val),
}

/// A timeout, resolved when the operation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Timeout {
    None,
    /// This timespec, as it is (valid or not).
    Given(i64, i64),
    /// 1 ms before now on the operation's clock (absolute timeouts only).
    JustPast,
    /// 20 µs after now on the operation's clock (`wait_bitset` on `CLOCK_MONOTONIC` only).
    Soon,
}

/// `op`'s flag bits, printed by name.
#[derive(Clone, Copy, PartialEq, Eq)]
struct FlagBits(u32);

impl fmt::Debug for FlagBits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.0 & PRIVATE != 0 {
            parts.push("PRIVATE".to_owned());
        }
        if self.0 & CLOCK_REALTIME != 0 {
            parts.push("CLOCK_REALTIME".to_owned());
        }
        let rest = self.0 & !(PRIVATE | CLOCK_REALTIME);
        if rest != 0 {
            parts.push(format!("{rest:#x}"));
        }
        if parts.is_empty() {
            parts.push("0".to_owned());
        }
        f.write_str(&parts.join("|"))
    }
}

// The variants are the functions' names, `WakeOp` too.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Debug, PartialEq, Eq)]
enum Op {
    /// A plain atomic store, in both worlds.
    Store {
        word: usize,
        val: Val,
    },
    Wait {
        word: usize,
        flags: FlagBits,
        val: Expected,
        timeout: Timeout,
    },
    Wake {
        word: usize,
        flags: FlagBits,
        val: u32,
    },
    Requeue {
        word: usize,
        flags: FlagBits,
        val: u32,
        val2: u32,
        word2: usize,
    },
    CmpRequeue {
        word: usize,
        flags: FlagBits,
        val: u32,
        val2: u32,
        word2: usize,
        val3: Expected,
    },
    WakeOp {
        word: usize,
        flags: FlagBits,
        val: u32,
        val2: u32,
        word2: usize,
        op: WakeOp,
        cmp: WakeOpCmp,
        oparg: u16,
        cmparg: u16,
    },
    LockPi {
        word: usize,
        flags: FlagBits,
        timeout: Timeout,
    },
    UnlockPi {
        word: usize,
        flags: FlagBits,
    },
    TrylockPi {
        word: usize,
        flags: FlagBits,
    },
    WaitBitset {
        word: usize,
        flags: FlagBits,
        val: Expected,
        timeout: Timeout,
        val3: NonZeroU32,
    },
    WakeBitset {
        word: usize,
        flags: FlagBits,
        val: u32,
        val3: NonZeroU32,
    },
}

/// Every function the random sequences compare, as `Op::function` names them.
const FUNCTIONS: [&str; 11] = [
    "store",
    "wait",
    "wake",
    "requeue",
    "cmp_requeue",
    "wake_op",
    "lock_pi",
    "unlock_pi",
    "trylock_pi",
    "wait_bitset",
    "wake_bitset",
];

impl Op {
    fn function(&self) -> &'static str {
        match self {
            Op::Store { .. } => "store",
            Op::Wait { .. } => "wait",
            Op::Wake { .. } => "wake",
            Op::Requeue { .. } => "requeue",
            Op::CmpRequeue { .. } => "cmp_requeue",
            Op::WakeOp { .. } => "wake_op",
            Op::LockPi { .. } => "lock_pi",
            Op::UnlockPi { .. } => "unlock_pi",
            Op::TrylockPi { .. } => "trylock_pi",
            Op::WaitBitset { .. } => "wait_bitset",
            Op::WakeBitset { .. } => "wake_bitset",
        }
    }
}

const WAKE_OPS: [WakeOp; 10] = [
    WakeOp::Set,
    WakeOp::Add,
    WakeOp::Or,
    WakeOp::AndN,
    WakeOp::XOr,
    WakeOp::SetShift,
    WakeOp::AddShift,
    WakeOp::OrShift,
    WakeOp::AndNShift,
    WakeOp::XOrShift,
];

const WAKE_OP_CMPS: [WakeOpCmp; 6] = [
    WakeOpCmp::Eq,
    WakeOpCmp::Ne,
    WakeOpCmp::Lt,
    WakeOpCmp::Le,
    WakeOpCmp::Gt,
    WakeOpCmp::Ge,
];

/// Counts for wakes and requeues: `i32::MAX` is the most a count can be; from `1 << 31` on,
/// the kernel reads it as negative (which `requeue` refuses).
const COUNTS: [u32; 7] = [0, 1, 1, 2, i32::MAX as u32, 0x8000_0000, u32::MAX];

fn random_val(rng: &mut Rng) -> Val {
    match rng.below(20) {
        0..=4 => Val::Num(0),
        5 => Val::Num(1),
        6 => Val::Num(2),
        7 => Val::Num(rng.below(8) as u32 + 3),
        8..=10 => Val::Tid(0),
        11 => Val::Tid(WAITERS),
        12 => Val::Tid(OWNER_DIED),
        13..=14 => Val::Num(NO_TID),
        15 => Val::Num(NO_TID | WAITERS),
        16 => Val::Num(WAITERS),
        17 => Val::Num(OWNER_DIED),
        _ => Val::Num(u32::MAX),
    }
}

fn random_expected(rng: &mut Rng) -> Expected {
    if rng.chance(50) {
        Expected::Current
    } else {
        Expected::Other(random_val(rng))
    }
}

fn random_flags(rng: &mut Rng) -> FlagBits {
    FlagBits(match rng.below(100) {
        0..=69 => PRIVATE,
        70..=82 => 0,
        83..=88 => PRIVATE | CLOCK_REALTIME,
        89..=90 => CLOCK_REALTIME,
        _ => {
            let private = if rng.chance(70) { PRIVATE } else { 0 };
            private | rng.pick(&UNKNOWN_BITS)
        }
    })
}

/// Bad timespecs: negative or too many nanoseconds, negative seconds.
const INVALID_TIMEOUTS: [Timeout; 4] = [
    Timeout::Given(0, -1),
    Timeout::Given(0, 1_000_000_000),
    Timeout::Given(-1, 0),
    Timeout::Given(i64::MIN, 5),
];

/// `wait`'s relative timeouts: a few nanoseconds, bad ones, and one whose nanoseconds have a
/// high half (32-bit arm's kernel reads only the low half, 1000 ns; 64-bit ones refuse it).
fn wait_timeout(rng: &mut Rng) -> Timeout {
    match rng.below(10) {
        0..=2 => Timeout::None,
        3..=6 => rng.pick(&[
            Timeout::Given(0, 0),
            Timeout::Given(0, 1),
            Timeout::Given(0, 1000),
        ]),
        7 => Timeout::Given(0, (1 << 32) + 1000),
        _ => rng.pick(&INVALID_TIMEOUTS),
    }
}

/// `wait_bitset`'s absolute timeouts: in the past (the epoch; just now), 20 µs ahead on the
/// monotonic clock, bad ones.
fn wait_bitset_timeout(rng: &mut Rng, flags: FlagBits) -> Timeout {
    match rng.below(10) {
        0..=1 => Timeout::None,
        2..=3 => rng.pick(&[Timeout::Given(0, 0), Timeout::Given(0, 1000)]),
        4..=5 => Timeout::JustPast,
        6 if flags.0 & CLOCK_REALTIME == 0 => Timeout::Soon,
        6 => Timeout::JustPast,
        7 => Timeout::Given(0, 1 << 32),
        _ => rng.pick(&INVALID_TIMEOUTS),
    }
}

/// `lock_pi`'s absolute `CLOCK_REALTIME` timeouts: always in the past, or bad.
fn lock_pi_timeout(rng: &mut Rng) -> Timeout {
    match rng.below(10) {
        0..=2 => Timeout::Given(0, 0),
        3 => Timeout::Given(0, 1000),
        4..=7 => Timeout::JustPast,
        _ => rng.pick(&INVALID_TIMEOUTS),
    }
}

fn random_bitset(rng: &mut Rng) -> NonZeroU32 {
    let bits = rng.pick(&[u32::MAX, u32::MAX, 1, 0x8000_0000, 0x5555_5555]);
    NonZeroU32::new(bits).expect("nonzero")
}

/// `oparg`s: small, the shifts' limit of 31 and past it (the kernel then masks the shift),
/// the sign bit of the 12 (the kernel sign-extends), and past the 12 bits.
const OPARGS: [u16; 13] = [
    0,
    1,
    2,
    3,
    7,
    31,
    32,
    100,
    0x7ff,
    0x800,
    0xfff,
    4096,
    u16::MAX,
];
const CMPARGS: [u16; 11] = [0, 1, 2, 5, 8, 0x7ff, 0x800, 0xfff, 0xfff, 4096, u16::MAX];

fn random_op(rng: &mut Rng) -> Op {
    let word = rng.below(WORDS);
    let word2 = if rng.chance(15) {
        word
    } else {
        rng.below(WORDS)
    };
    let flags = random_flags(rng);
    match rng.below(100) {
        0..=14 => Op::Store {
            word,
            val: random_val(rng),
        },
        15..=25 => Op::Wait {
            word,
            flags,
            val: random_expected(rng),
            timeout: wait_timeout(rng),
        },
        26..=31 => Op::Wake {
            word,
            flags,
            val: rng.pick(&COUNTS),
        },
        32..=37 => Op::Requeue {
            word,
            flags,
            val: rng.pick(&COUNTS),
            val2: rng.pick(&COUNTS),
            word2,
        },
        38..=45 => Op::CmpRequeue {
            word,
            flags,
            val: rng.pick(&COUNTS),
            val2: rng.pick(&COUNTS),
            word2,
            val3: random_expected(rng),
        },
        46..=55 => Op::WakeOp {
            word,
            flags,
            val: rng.pick(&COUNTS),
            val2: rng.pick(&COUNTS),
            word2,
            op: rng.pick(&WAKE_OPS),
            cmp: rng.pick(&WAKE_OP_CMPS),
            oparg: rng.pick(&OPARGS),
            cmparg: rng.pick(&CMPARGS),
        },
        56..=65 => Op::LockPi {
            word,
            flags,
            timeout: lock_pi_timeout(rng),
        },
        66..=73 => Op::UnlockPi { word, flags },
        74..=81 => Op::TrylockPi { word, flags },
        82..=93 => Op::WaitBitset {
            word,
            flags,
            val: random_expected(rng),
            timeout: wait_bitset_timeout(rng, flags),
            val3: random_bitset(rng),
        },
        _ => Op::WakeBitset {
            word,
            flags,
            val: rng.pick(&COUNTS),
            val3: random_bitset(rng),
        },
    }
}

/// Every episode starts with the test thread's ID in word 1 and a thread ID nobody has in
/// word 2, then random operations; all of them compared, and dropped when shrinking like any
/// other. Reproducible from `(seed, episode)`.
fn episode_ops(seed: u64, episode: usize) -> Vec<Op> {
    let mut rng = Rng(seed ^ (episode as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let mut ops = start_ops();
    ops.extend((0..EPISODE_LEN).map(|_| random_op(&mut rng)));
    ops
}

fn start_ops() -> Vec<Op> {
    vec![
        Op::Store {
            word: 1,
            val: Val::Tid(0),
        },
        Op::Store {
            word: 2,
            val: Val::Num(NO_TID),
        },
    ]
}

// ---- Results ---------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
enum Ret {
    /// Success without a value (`Ok(())`; the kernel's 0).
    Done,
    /// A count.
    Count(u64),
    /// `trylock_pi`'s `Ok(bool)` (the kernel's 0 is `true`).
    Locked(bool),
    Err(i32),
    /// Not run: a wait that would block, a PI operation on a word another thread may own.
    Skipped,
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn bc_unit(ret: barecall::io::Result<()>) -> Ret {
    match ret {
        Ok(()) => Ret::Done,
        Err(err) => Ret::Err(err.raw_os_error()),
    }
}

fn bc_count(ret: barecall::io::Result<usize>) -> Ret {
    match ret {
        Ok(n) => Ret::Count(n as u64),
        Err(err) => Ret::Err(err.raw_os_error()),
    }
}

/// A libc return for an operation that returns 0 on success.
fn lc_unit(ret: Result<c_long, i32>) -> Ret {
    match ret {
        Ok(0) => Ret::Done,
        Ok(n) => Ret::Count(n as u64),
        Err(errno) => Ret::Err(errno),
    }
}

fn lc_count(ret: Result<c_long, i32>) -> Ret {
    match ret {
        Ok(n) => Ret::Count(n as u64),
        Err(errno) => Ret::Err(errno),
    }
}

// ---- libc's side -----------------------------------------------------------------------------

/// The kernel's `__kernel_timespec`, which `futex_time64` takes on 32-bit arm (the libc crate's
/// `timespec` has a 32-bit `time_t` there).
#[cfg(target_arch = "arm")]
#[repr(C)]
struct LcTimespec {
    tv_sec: i64,
    tv_nsec: i64,
}

#[cfg(not(target_arch = "arm"))]
type LcTimespec = libc::timespec;

fn lc_timespec(sec: i64, nsec: i64) -> LcTimespec {
    #[cfg(target_arch = "arm")]
    {
        LcTimespec {
            tv_sec: sec,
            tv_nsec: nsec,
        }
    }
    #[cfg(not(target_arch = "arm"))]
    {
        let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
        ts.tv_sec = sec;
        ts.tv_nsec = nsec;
        ts
    }
}

/// `syscall(SYS_futex, ...)` with every argument a full register.
fn lc_futex(
    uaddr: &AtomicU32,
    op: c_int,
    val: u32,
    timeout_or_val2: usize,
    uaddr2: Option<&AtomicU32>,
    val3: u32,
) -> Result<c_long, i32> {
    let uaddr2 = uaddr2.map_or(std::ptr::null_mut(), AtomicU32::as_ptr);
    let ret = unsafe {
        libc::syscall(
            SYS_FUTEX,
            uaddr.as_ptr(),
            op as c_ulong,
            val as c_ulong,
            timeout_or_val2,
            uaddr2,
            val3 as c_ulong,
        )
    };
    if ret == -1 {
        Err(errno())
    } else {
        Ok(ret)
    }
}

/// A futex call with a timeout (or none: null).
fn lc_futex_timeout(
    uaddr: &AtomicU32,
    op: c_int,
    val: u32,
    timeout: Option<(i64, i64)>,
    val3: u32,
) -> Result<c_long, i32> {
    let spec = timeout.map(|(sec, nsec)| lc_timespec(sec, nsec));
    let ptr = spec
        .as_ref()
        .map_or(std::ptr::null(), |spec| spec as *const LcTimespec);
    lc_futex(uaddr, op, val, ptr as usize, None, val3)
}

/// `FUTEX_OP(op, oparg, cmp, cmparg)`, from libc's constants.
fn lc_wake_op_word(op: WakeOp, cmp: WakeOpCmp, oparg: u16, cmparg: u16) -> u32 {
    let shift = libc::FUTEX_OP_OPARG_SHIFT;
    let op = match op {
        WakeOp::Set => libc::FUTEX_OP_SET,
        WakeOp::Add => libc::FUTEX_OP_ADD,
        WakeOp::Or => libc::FUTEX_OP_OR,
        WakeOp::AndN => libc::FUTEX_OP_ANDN,
        WakeOp::XOr => libc::FUTEX_OP_XOR,
        WakeOp::SetShift => libc::FUTEX_OP_SET | shift,
        WakeOp::AddShift => libc::FUTEX_OP_ADD | shift,
        WakeOp::OrShift => libc::FUTEX_OP_OR | shift,
        WakeOp::AndNShift => libc::FUTEX_OP_ANDN | shift,
        WakeOp::XOrShift => libc::FUTEX_OP_XOR | shift,
    };
    let cmp = match cmp {
        WakeOpCmp::Eq => libc::FUTEX_OP_CMP_EQ,
        WakeOpCmp::Ne => libc::FUTEX_OP_CMP_NE,
        WakeOpCmp::Lt => libc::FUTEX_OP_CMP_LT,
        WakeOpCmp::Le => libc::FUTEX_OP_CMP_LE,
        WakeOpCmp::Gt => libc::FUTEX_OP_CMP_GT,
        WakeOpCmp::Ge => libc::FUTEX_OP_CMP_GE,
    };
    libc::FUTEX_OP(op, c_int::from(oparg), cmp, c_int::from(cmparg)) as u32
}

// ---- Timeouts --------------------------------------------------------------------------------

/// `clock`'s time now, through libc.
// `from`: 32-bit arm's `time_t` and `long` are 32 bits.
#[allow(clippy::useless_conversion)]
fn clock_now(clock: libc::clockid_t) -> (i64, i64) {
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    assert_eq!(
        unsafe { libc::clock_gettime(clock, &mut ts) },
        0,
        "clock_gettime"
    );
    (i64::from(ts.tv_sec), i64::from(ts.tv_nsec))
}

/// The timespec `timeout` stands for now, on `clock` for the absolute ones.
fn resolve(timeout: Timeout, clock: libc::clockid_t) -> Option<(i64, i64)> {
    const NANOS: i64 = 1_000_000_000;
    match timeout {
        Timeout::None => None,
        Timeout::Given(sec, nsec) => Some((sec, nsec)),
        Timeout::JustPast => {
            let (sec, nsec) = clock_now(clock);
            let nsec = nsec - 1_000_000;
            let (sec, nsec) = if nsec < 0 {
                (sec - 1, nsec + NANOS)
            } else {
                (sec, nsec)
            };
            // Never before the clock's start: a negative time is a bad timespec.
            Some(if sec < 0 { (0, 0) } else { (sec, nsec) })
        }
        Timeout::Soon => {
            let (sec, nsec) = clock_now(clock);
            let nsec = nsec + 20_000;
            Some((sec + nsec / NANOS, nsec % NANOS))
        }
    }
}

/// The clock an absolute `wait_bitset` timeout is measured on.
fn bitset_clock(flags: FlagBits) -> libc::clockid_t {
    if flags.0 & CLOCK_REALTIME != 0 {
        libc::CLOCK_REALTIME
    } else {
        libc::CLOCK_MONOTONIC
    }
}

fn bc_timespec(timeout: Option<(i64, i64)>) -> Option<Timespec> {
    timeout.map(|(tv_sec, tv_nsec)| Timespec { tv_sec, tv_nsec })
}

// ---- Worlds ----------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Barecall,
    Libc,
}

struct World {
    side: Side,
    words: Box<[AtomicU32]>,
}

impl World {
    fn new(side: Side) -> Self {
        Self {
            side,
            words: (0..WORDS).map(|_| AtomicU32::new(0)).collect(),
        }
    }

    fn load(&self, word: usize) -> u32 {
        self.words[word].load(Ordering::SeqCst)
    }

    fn expected(&self, word: usize, val: Expected) -> u32 {
        match val {
            Expected::Current => self.load(word),
            Expected::Other(val) => val.get(),
        }
    }

    /// Whether a PI operation on `word` could meet a live thread other than this one as the
    /// owner, and wait for it: only no owner, this thread, and thread IDs no thread can have
    /// are safe (and repeatable).
    fn foreign_owner(&self, word: usize) -> bool {
        let tid = self.load(word) & TID_MASK;
        tid != 0 && tid != own_tid() && tid < PID_MAX_LIMIT
    }

    /// Whether `op` could block, or meet another thread: then it runs in neither world.
    fn skipped(&self, op: &Op) -> bool {
        match *op {
            Op::Wait {
                word,
                flags,
                val,
                timeout,
            } => {
                self.load(word) == self.expected(word, val)
                    && (timeout == Timeout::None || flags.0 & CLOCK_REALTIME != 0)
            }
            Op::WaitBitset {
                word, val, timeout, ..
            } => self.load(word) == self.expected(word, val) && timeout == Timeout::None,
            Op::LockPi { word, timeout, .. } => {
                timeout == Timeout::None || self.foreign_owner(word)
            }
            Op::TrylockPi { word, .. } => self.foreign_owner(word),
            _ => false,
        }
    }

    fn exec(&mut self, op: &Op) -> Ret {
        if self.skipped(op) {
            return Ret::Skipped;
        }
        match self.side {
            Side::Barecall => self.exec_barecall(op),
            Side::Libc => self.exec_libc(op),
        }
    }

    fn exec_barecall(&self, op: &Op) -> Ret {
        let w = |word: usize| &self.words[word];
        let fl = |flags: FlagBits| Flags::from_bits_retain(flags.0);
        match *op {
            Op::Store { word, val } => {
                w(word).store(val.get(), Ordering::SeqCst);
                Ret::Done
            }
            Op::Wait {
                word,
                flags,
                val,
                timeout,
            } => {
                let val = self.expected(word, val);
                let ts = bc_timespec(resolve(timeout, libc::CLOCK_MONOTONIC));
                bc_unit(futex::wait(w(word), fl(flags), val, ts.as_ref()))
            }
            Op::Wake { word, flags, val } => bc_count(futex::wake(w(word), fl(flags), val)),
            Op::Requeue {
                word,
                flags,
                val,
                val2,
                word2,
            } => bc_count(futex::requeue(w(word), fl(flags), val, val2, w(word2))),
            Op::CmpRequeue {
                word,
                flags,
                val,
                val2,
                word2,
                val3,
            } => {
                let val3 = self.expected(word, val3);
                bc_count(futex::cmp_requeue(
                    w(word),
                    fl(flags),
                    val,
                    val2,
                    w(word2),
                    val3,
                ))
            }
            Op::WakeOp {
                word,
                flags,
                val,
                val2,
                word2,
                op,
                cmp,
                oparg,
                cmparg,
            } => bc_count(futex::wake_op(
                w(word),
                fl(flags),
                val,
                val2,
                w(word2),
                op,
                cmp,
                oparg,
                cmparg,
            )),
            Op::LockPi {
                word,
                flags,
                timeout,
            } => {
                let ts = bc_timespec(resolve(timeout, libc::CLOCK_REALTIME));
                bc_unit(futex::lock_pi(w(word), fl(flags), ts.as_ref()))
            }
            Op::UnlockPi { word, flags } => bc_unit(futex::unlock_pi(w(word), fl(flags))),
            Op::TrylockPi { word, flags } => match futex::trylock_pi(w(word), fl(flags)) {
                Ok(locked) => Ret::Locked(locked),
                Err(err) => Ret::Err(err.raw_os_error()),
            },
            Op::WaitBitset {
                word,
                flags,
                val,
                timeout,
                val3,
            } => {
                let val = self.expected(word, val);
                let ts = bc_timespec(resolve(timeout, bitset_clock(flags)));
                bc_unit(futex::wait_bitset(
                    w(word),
                    fl(flags),
                    val,
                    ts.as_ref(),
                    val3,
                ))
            }
            Op::WakeBitset {
                word,
                flags,
                val,
                val3,
            } => bc_count(futex::wake_bitset(w(word), fl(flags), val, val3)),
        }
    }

    fn exec_libc(&self, op: &Op) -> Ret {
        let w = |word: usize| &self.words[word];
        let op_with = |cmd: c_int, flags: FlagBits| cmd | flags.0 as c_int;
        match *op {
            Op::Store { word, val } => {
                w(word).store(val.get(), Ordering::SeqCst);
                Ret::Done
            }
            Op::Wait {
                word,
                flags,
                val,
                timeout,
            } => {
                let val = self.expected(word, val);
                let ts = resolve(timeout, libc::CLOCK_MONOTONIC);
                let op = op_with(libc::FUTEX_WAIT, flags);
                lc_unit(lc_futex_timeout(w(word), op, val, ts, 0))
            }
            Op::Wake { word, flags, val } => {
                let op = op_with(libc::FUTEX_WAKE, flags);
                lc_count(lc_futex(w(word), op, val, 0, None, 0))
            }
            Op::Requeue {
                word,
                flags,
                val,
                val2,
                word2,
            } => {
                let op = op_with(libc::FUTEX_REQUEUE, flags);
                lc_count(lc_futex(w(word), op, val, val2 as usize, Some(w(word2)), 0))
            }
            Op::CmpRequeue {
                word,
                flags,
                val,
                val2,
                word2,
                val3,
            } => {
                let val3 = self.expected(word, val3);
                let op = op_with(libc::FUTEX_CMP_REQUEUE, flags);
                lc_count(lc_futex(
                    w(word),
                    op,
                    val,
                    val2 as usize,
                    Some(w(word2)),
                    val3,
                ))
            }
            Op::WakeOp {
                word,
                flags,
                val,
                val2,
                word2,
                op: wake_op,
                cmp,
                oparg,
                cmparg,
            } => {
                if oparg >= 1 << 12 || cmparg >= 1 << 12 {
                    // barecall refuses what the 12 bits cannot hold, before any call: so does
                    // this world, which then has nothing to ask the kernel.
                    return Ret::Err(libc::EINVAL);
                }
                let val3 = lc_wake_op_word(wake_op, cmp, oparg, cmparg);
                let op = op_with(libc::FUTEX_WAKE_OP, flags);
                lc_count(lc_futex(
                    w(word),
                    op,
                    val,
                    val2 as usize,
                    Some(w(word2)),
                    val3,
                ))
            }
            Op::LockPi {
                word,
                flags,
                timeout,
            } => {
                let ts = resolve(timeout, libc::CLOCK_REALTIME);
                let op = op_with(libc::FUTEX_LOCK_PI, flags);
                lc_unit(lc_futex_timeout(w(word), op, 0, ts, 0))
            }
            Op::UnlockPi { word, flags } => {
                let op = op_with(libc::FUTEX_UNLOCK_PI, flags);
                lc_unit(lc_futex(w(word), op, 0, 0, None, 0))
            }
            Op::TrylockPi { word, flags } => {
                let op = op_with(libc::FUTEX_TRYLOCK_PI, flags);
                match lc_futex(w(word), op, 0, 0, None, 0) {
                    Ok(n) => Ret::Locked(n == 0),
                    Err(errno) => Ret::Err(errno),
                }
            }
            Op::WaitBitset {
                word,
                flags,
                val,
                timeout,
                val3,
            } => {
                let val = self.expected(word, val);
                let ts = resolve(timeout, bitset_clock(flags));
                let op = op_with(libc::FUTEX_WAIT_BITSET, flags);
                lc_unit(lc_futex_timeout(w(word), op, val, ts, val3.get()))
            }
            Op::WakeBitset {
                word,
                flags,
                val,
                val3,
            } => {
                let op = op_with(libc::FUTEX_WAKE_BITSET, flags);
                lc_count(lc_futex(w(word), op, val, 0, None, val3.get()))
            }
        }
    }

    fn state(&self) -> Vec<u32> {
        (0..WORDS).map(|word| self.load(word)).collect()
    }
}

// ---- Episodes --------------------------------------------------------------------------------

struct Mismatch {
    index: usize,
    what: String,
}

/// One function's calls compared: how many succeeded, how many failed, and with which errnos.
#[derive(Clone, Default)]
struct Counts {
    ok: usize,
    err: usize,
    errnos: BTreeSet<i32>,
    /// Not run in either world (not compared).
    skipped: usize,
}

struct Episode {
    outcomes: Vec<Ret>,
    /// The words after each operation.
    states: Vec<Vec<u32>>,
    /// Per function: the calls compared.
    compared: BTreeMap<&'static str, Counts>,
}

impl Episode {
    fn compared(&self) -> usize {
        self.compared.values().map(|c| c.ok + c.err).sum()
    }
}

/// Runs `ops` in fresh twin worlds; stops at the first difference.
fn run_episode(ops: &[Op]) -> Result<Episode, Mismatch> {
    let mut ours = World::new(Side::Barecall);
    let mut theirs = World::new(Side::Libc);
    let mut outcomes = Vec::with_capacity(ops.len());
    let mut states = Vec::with_capacity(ops.len());
    let mut compared: BTreeMap<&'static str, Counts> = BTreeMap::new();
    for (index, op) in ops.iter().enumerate() {
        let before = ours.state();
        let (a, b) = (ours.exec(op), theirs.exec(op));
        if a != b {
            return Err(Mismatch {
                index,
                what: format!(
                    "barecall returned {a:?}\n    libc returned {b:?}\n    words before: {}",
                    hex(&before)
                ),
            });
        }
        let (x, y) = (ours.state(), theirs.state());
        if x != y {
            return Err(Mismatch {
                index,
                what: format!(
                    "words afterwards:\n    barecall: {}\n    libc:     {}\n    before:   {}",
                    hex(&x),
                    hex(&y),
                    hex(&before)
                ),
            });
        }
        let counts = compared.entry(op.function()).or_default();
        match a {
            Ret::Skipped => counts.skipped += 1,
            Ret::Err(errno) => {
                counts.err += 1;
                counts.errnos.insert(errno);
            }
            _ => counts.ok += 1,
        }
        outcomes.push(a);
        states.push(x);
    }
    Ok(Episode {
        outcomes,
        states,
        compared,
    })
}

fn hex(words: &[u32]) -> String {
    let words: Vec<String> = words.iter().map(|w| format!("{w:#010x}")).collect();
    format!("[{}] (tid {:#x})", words.join(", "), own_tid())
}

/// Drops operations while the sequence still fails; returns the shortest failing sequence.
fn shrink(mut ops: Vec<Op>, mut mismatch: Mismatch) -> (Vec<Op>, Mismatch) {
    ops.truncate(mismatch.index + 1);
    loop {
        let mut shrunk = false;
        let mut i = ops.len();
        while i > 0 {
            i -= 1;
            if i >= ops.len() {
                continue;
            }
            let mut candidate = ops.clone();
            candidate.remove(i);
            if let Err(found) = run_episode(&candidate) {
                candidate.truncate(found.index + 1);
                ops = candidate;
                mismatch = found;
                shrunk = true;
            }
        }
        if !shrunk {
            return (ops, mismatch);
        }
    }
}

fn report(ops: &[Op], mismatch: &Mismatch, context: &str) -> String {
    let mut text = format!(
        "barecall and libc differ ({context}); shortest failing sequence, {} operation{}:\n",
        ops.len(),
        if ops.len() == 1 { "" } else { "s" }
    );
    for (i, op) in ops.iter().enumerate() {
        let _ = writeln!(text, "  {i:3}: {op:?}");
    }
    let _ = write!(text, "at operation {}: {}", mismatch.index, mismatch.what);
    text
}

/// A fixed case: an operation, barecall's expected result (if given), and a word's expected
/// value afterwards (if given).
type Case = (Op, Option<Ret>, Option<(usize, u32)>);

/// Runs fixed cases; returns how many were compared.
fn run_cases(cases: &[Case]) -> usize {
    let ops: Vec<Op> = cases.iter().map(|(op, _, _)| op.clone()).collect();
    let episode = match run_episode(&ops) {
        Ok(episode) => episode,
        Err(mismatch) => {
            let (short, mismatch) = shrink(ops, mismatch);
            panic!("{}", report(&short, &mismatch, "fixed cases"));
        }
    };
    for (i, (op, expected, word)) in cases.iter().enumerate() {
        if let Some(expected) = expected {
            assert_eq!(&episode.outcomes[i], expected, "case {i}: {op:?}");
        }
        if let Some((word, value)) = *word {
            let state = &episode.states[i];
            assert_eq!(
                state[word],
                value,
                "case {i}: {op:?}: word {word} afterwards, of {}",
                hex(state)
            );
        }
    }
    episode.compared()
}

/// The functions not yet covered: each must have both succeeded and failed, but `store`,
/// which cannot fail, and the waits, which nothing can wake in a single thread, so cannot
/// succeed: they must have failed both with `AGAIN` (the word differed) and `TIMEDOUT` (it
/// matched, and they slept until their time ran out).
fn uncovered(by_function: &BTreeMap<&str, Counts>) -> Vec<&'static str> {
    FUNCTIONS
        .into_iter()
        .filter(|function| {
            let counts = by_function.get(function).cloned().unwrap_or_default();
            match *function {
                "store" => counts.ok == 0,
                "wait" | "wait_bitset" => {
                    !(counts.errnos.contains(&libc::EAGAIN)
                        && counts.errnos.contains(&libc::ETIMEDOUT))
                }
                _ => counts.ok == 0 || counts.err == 0,
            }
        })
        .collect()
}

#[test]
fn random_sequences_match_libc() {
    let _check = common::FdCheck::new();
    let seed = run_seed();
    let target = match std::env::var("BARECALL_FUTEX_DIFFERENTIAL_OPS") {
        Ok(count) => count
            .parse()
            .unwrap_or_else(|_| panic!("BARECALL_FUTEX_DIFFERENTIAL_OPS={count:?} is not a count")),
        Err(_) if common::under_qemu_user() => OPS_QEMU,
        Err(_) => OPS_NATIVE,
    };
    common::report(&format!(
        "barecall-futex-differential-seed: {seed:#x} (BARECALL_SEED={seed:#x} repeats this run)\n"
    ));
    let mut compared = 0;
    let mut episode = 0;
    let mut by_function: BTreeMap<&str, Counts> = BTreeMap::new();
    // Past the floor, episodes go on until every function is covered, so the coverage asserted
    // below is a property of the run, not of the seed's luck.
    while compared < target || !uncovered(&by_function).is_empty() {
        let ops = episode_ops(seed, episode);
        match run_episode(&ops) {
            Ok(result) => {
                compared += result.compared();
                for (function, counts) in result.compared {
                    let total = by_function.entry(function).or_default();
                    total.ok += counts.ok;
                    total.err += counts.err;
                    total.errnos.extend(counts.errnos);
                    total.skipped += counts.skipped;
                }
            }
            Err(mismatch) => {
                let (short, mismatch) = shrink(ops, mismatch);
                let context = format!("seed {seed:#x}, episode {episode}");
                panic!("{}", report(&short, &mismatch, &context));
            }
        }
        episode += 1;
        assert!(
            episode <= 10 * target.max(OPS_QEMU) / EPISODE_LEN + 1,
            "too few operations compared: {compared} in {episode} episodes; not covered: {:?}",
            uncovered(&by_function)
        );
    }
    // `--nocapture` shows what was compared.
    println!("{compared} operations compared:");
    for (function, counts) in &by_function {
        let errnos: Vec<&str> = counts
            .errnos
            .iter()
            .map(|&e| Errno::from_raw_os_error(e).name())
            .collect();
        println!(
            "  {function:12} {:5} succeeded {:5} failed, in both ({}); {} skipped",
            counts.ok,
            counts.err,
            errnos.join(" "),
            counts.skipped
        );
    }
    common::report(&format!("barecall-futex-differential-ops: {compared}\n"));
}

// ---- Fixed cases -----------------------------------------------------------------------------

#[test]
fn fixed_cases_match_libc() {
    let _check = common::FdCheck::new();
    let tid = own_tid();
    let private = FlagBits(PRIVATE);
    let done = Some(Ret::Done);
    let zero = Some(Ret::Count(0));
    let err = |errno| Some(Ret::Err(errno));
    let store = |word, val| Op::Store { word, val };
    let wait = |val, timeout| Op::Wait {
        word: 0,
        flags: private,
        val,
        timeout,
    };
    let wait_bitset = |flags, val, timeout| Op::WaitBitset {
        word: 0,
        flags,
        val,
        timeout,
        val3: NonZeroU32::MAX,
    };
    let wake = |flags, val| Op::Wake {
        word: 0,
        flags,
        val,
    };
    let lock_pi = |word, flags, timeout| Op::LockPi {
        word,
        flags,
        timeout,
    };
    let unlock_pi = |word| Op::UnlockPi {
        word,
        flags: private,
    };
    let trylock_pi = |word| Op::TrylockPi {
        word,
        flags: private,
    };
    let cmp_requeue = |val, word2, val3| Op::CmpRequeue {
        word: 0,
        flags: private,
        val,
        val2: 1,
        word2,
        val3,
    };
    let wake_op = |op, oparg, cmp, cmparg| Op::WakeOp {
        word: 0,
        flags: private,
        val: 1,
        val2: 1,
        word2: 3,
        op,
        cmp,
        oparg,
        cmparg,
    };
    let current = Expected::Current;
    let cases: Vec<Case> = vec![
        // Nobody waits: nobody is woken, whatever the count.
        (wake(private, 1), zero.clone(), None),
        (wake(private, u32::MAX), zero.clone(), None),
        (wake(FlagBits(0), i32::MAX as u32), zero.clone(), None),
        (
            Op::WakeBitset {
                word: 0,
                flags: private,
                val: 1,
                val3: NonZeroU32::MIN,
            },
            zero.clone(),
            None,
        ),
        // Unknown bits make the command unknown; CLOCK_REALTIME is for the waits only.
        (
            wake(FlagBits(PRIVATE | 1 << 12), 1),
            err(libc::ENOSYS),
            None,
        ),
        (wake(FlagBits(1 << 31), 1), err(libc::ENOSYS), None),
        (
            wake(FlagBits(PRIVATE | CLOCK_REALTIME), 1),
            err(libc::ENOSYS),
            None,
        ),
        // The word is 0: a wait for 1 returns at once; a wait for 0 times out.
        (
            wait(Expected::Other(Val::Num(1)), Timeout::None),
            err(libc::EAGAIN),
            None,
        ),
        (
            wait(current, Timeout::Given(0, 0)),
            err(libc::ETIMEDOUT),
            None,
        ),
        (
            wait(current, Timeout::Given(0, 1000)),
            err(libc::ETIMEDOUT),
            None,
        ),
        (
            wait(current, Timeout::Given(0, -1)),
            err(libc::EINVAL),
            None,
        ),
        (
            wait(current, Timeout::Given(0, 1_000_000_000)),
            err(libc::EINVAL),
            None,
        ),
        (
            wait(current, Timeout::Given(-1, 0)),
            err(libc::EINVAL),
            None,
        ),
        // Matching, with no timeout: would sleep for ever, so runs nowhere.
        (wait(current, Timeout::None), Some(Ret::Skipped), None),
        (
            wait_bitset(private, current, Timeout::JustPast),
            err(libc::ETIMEDOUT),
            None,
        ),
        (
            wait_bitset(private, current, Timeout::Soon),
            err(libc::ETIMEDOUT),
            None,
        ),
        (
            wait_bitset(
                FlagBits(PRIVATE | CLOCK_REALTIME),
                current,
                Timeout::JustPast,
            ),
            err(libc::ETIMEDOUT),
            None,
        ),
        (
            wait_bitset(private, Expected::Other(Val::Num(7)), Timeout::None),
            err(libc::EAGAIN),
            None,
        ),
        (
            wait_bitset(private, current, Timeout::Given(0, 1_000_000_000)),
            err(libc::EINVAL),
            None,
        ),
        // A free PI lock is taken: the word becomes the owner's thread ID.
        (
            lock_pi(0, private, Timeout::JustPast),
            done.clone(),
            Some((0, tid)),
        ),
        (
            lock_pi(0, private, Timeout::JustPast),
            err(libc::EDEADLK),
            Some((0, tid)),
        ),
        (trylock_pi(0), err(libc::EDEADLK), Some((0, tid))),
        (unlock_pi(0), done.clone(), Some((0, 0))),
        (unlock_pi(0), err(libc::EPERM), Some((0, 0))),
        (trylock_pi(0), Some(Ret::Locked(true)), Some((0, tid))),
        (
            lock_pi(0, private, Timeout::Given(0, 0)),
            err(libc::EDEADLK),
            None,
        ),
        (unlock_pi(0), done.clone(), Some((0, 0))),
        // CLOCK_REALTIME is lock_pi's clock anyway, and refused as a flag; bad timeouts first.
        (
            lock_pi(0, FlagBits(PRIVATE | CLOCK_REALTIME), Timeout::JustPast),
            err(libc::ENOSYS),
            Some((0, 0)),
        ),
        (
            lock_pi(0, private, Timeout::Given(0, 1_000_000_000)),
            err(libc::EINVAL),
            Some((0, 0)),
        ),
        (
            lock_pi(0, FlagBits(PRIVATE | 1 << 20), Timeout::JustPast),
            err(libc::ENOSYS),
            Some((0, 0)),
        ),
        // Owned by a thread that cannot exist: the kernel sets WAITERS, then finds no owner.
        (store(1, Val::Num(NO_TID)), done.clone(), None),
        (
            lock_pi(1, private, Timeout::JustPast),
            err(libc::ESRCH),
            Some((1, NO_TID | WAITERS)),
        ),
        (trylock_pi(1), err(libc::ESRCH), Some((1, NO_TID | WAITERS))),
        (unlock_pi(1), err(libc::EPERM), Some((1, NO_TID | WAITERS))),
        // An owner that died: the lock is taken, OWNER_DIED kept; unlocking clears it all.
        (store(2, Val::Num(OWNER_DIED)), done.clone(), None),
        (
            lock_pi(2, FlagBits(0), Timeout::Given(0, 0)),
            done.clone(),
            Some((2, OWNER_DIED | tid)),
        ),
        (
            Op::UnlockPi {
                word: 2,
                flags: FlagBits(0),
            },
            done.clone(),
            Some((2, 0)),
        ),
        // cmp_requeue compares the first word with val3; counts from 1 << 31 are negative.
        (cmp_requeue(1, 3, current), zero.clone(), None),
        (
            cmp_requeue(1, 3, Expected::Other(Val::Num(77))),
            err(libc::EAGAIN),
            None,
        ),
        (
            cmp_requeue(0x8000_0000, 3, current),
            err(libc::EINVAL),
            None,
        ),
        // The same word twice: only the PI requeue refuses it.
        (cmp_requeue(1, 0, current), zero.clone(), None),
        (
            Op::Requeue {
                word: 0,
                flags: private,
                val: 1,
                val2: u32::MAX,
                word2: 1,
            },
            err(libc::EINVAL),
            None,
        ),
        (
            Op::Requeue {
                word: 0,
                flags: private,
                val: 1,
                val2: 1,
                word2: 1,
            },
            zero.clone(),
            None,
        ),
        // wake_op works on the second word: 5 + 3; 8 | (1 << 4); a sign-extended -1.
        (store(3, Val::Num(5)), done.clone(), None),
        (
            wake_op(WakeOp::Add, 3, WakeOpCmp::Eq, 5),
            zero.clone(),
            Some((3, 8)),
        ),
        (
            wake_op(WakeOp::OrShift, 4, WakeOpCmp::Gt, 0),
            zero.clone(),
            Some((3, 24)),
        ),
        (
            wake_op(WakeOp::Set, 0xfff, WakeOpCmp::Lt, 0x800),
            zero.clone(),
            Some((3, u32::MAX)),
        ),
        // Past 12 bits: barecall refuses before any call, and the word stays.
        (
            wake_op(WakeOp::Set, 4096, WakeOpCmp::Eq, 0),
            err(libc::EINVAL),
            Some((3, u32::MAX)),
        ),
        (
            wake_op(WakeOp::Set, 0, WakeOpCmp::Eq, 4096),
            err(libc::EINVAL),
            Some((3, u32::MAX)),
        ),
        (
            Op::WakeOp {
                word: 0,
                flags: FlagBits(PRIVATE | CLOCK_REALTIME),
                val: 1,
                val2: 1,
                word2: 3,
                op: WakeOp::Set,
                cmp: WakeOpCmp::Eq,
                oparg: 1,
                cmparg: 0,
            },
            err(libc::ENOSYS),
            Some((3, u32::MAX)),
        ),
    ];
    assert!(run_cases(&cases) > 40);
}
