//! The thread module's types: the CPU set of the affinity calls, and the futex calls' flags,
//! operations and wake-op encodings (re-exported by [`futex`](crate::thread::futex)).

use crate::errno::{Errno, Result};
use core::fmt;
use core::hash::{Hash, Hasher};
use linux_raw_sys::ctypes::c_ulong;
use linux_raw_sys::general as k;

// ---- CPU sets --------------------------------------------------------------------------------

/// Bits in one word of a [`CpuSet`].
const WORD_BITS: usize = c_ulong::BITS as usize;

/// `cpu_set_t`—A set of CPU numbers below [`CpuSet::MAX_CPU`], for
/// [`sched_setaffinity`](crate::thread::sched_setaffinity) and
/// [`sched_getaffinity`](crate::thread::sched_getaffinity).
///
/// Laid out as the kernel reads a CPU mask, an array of `unsigned long` with CPU `n` at bit
/// `n % BITS` of word `n / BITS`, on either byte order; 1024 CPUs, as glibc's `cpu_set_t`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CpuSet {
    bits: [c_ulong; 1024 / WORD_BITS],
}

impl CpuSet {
    /// `CPU_SETSIZE`: one more than the largest CPU number a set can hold.
    pub const MAX_CPU: usize = 1024;

    /// `CPU_ZERO`: a set with no CPU in it.
    #[inline]
    #[must_use]
    pub const fn new() -> Self {
        Self {
            bits: [0; 1024 / WORD_BITS],
        }
    }

    /// `CPU_ISSET`: whether CPU `field` is in the set; `false` for any number from
    /// [`Self::MAX_CPU`] on, which no set holds.
    #[inline]
    #[must_use]
    pub fn is_set(&self, field: usize) -> bool {
        self.bits
            .get(field / WORD_BITS)
            .is_some_and(|word| word & (1 << (field % WORD_BITS)) != 0)
    }

    /// `CPU_SET`: adds CPU `field`.
    ///
    /// # Panics
    ///
    /// If `field` is [`Self::MAX_CPU`] or more, as rustix's does (and as indexing past a
    /// slice's end does): a set cannot hold it, and dropping it silently would hand the kernel
    /// a different set from the one asked for. [`Self::try_set`] answers `Err(INVAL)` instead,
    /// for CPU numbers that come from input.
    #[inline]
    pub fn set(&mut self, field: usize) {
        if self.try_set(field).is_err() {
            cpu_out_of_range(field)
        }
    }

    /// `CPU_SET`, or `Err(INVAL)` for a CPU number of [`Self::MAX_CPU`] or more, which the set
    /// cannot hold (barecall's: rustix has only [`Self::set`]).
    #[inline]
    pub fn try_set(&mut self, field: usize) -> Result<()> {
        let word = self.bits.get_mut(field / WORD_BITS).ok_or(Errno::INVAL)?;
        *word |= 1 << (field % WORD_BITS);
        Ok(())
    }

    /// `CPU_CLR`: removes CPU `field`; a number from [`Self::MAX_CPU`] on is in no set, so
    /// there is nothing to remove.
    #[inline]
    pub fn unset(&mut self, field: usize) {
        if let Some(word) = self.bits.get_mut(field / WORD_BITS) {
            *word &= !(1 << (field % WORD_BITS));
        }
    }

    /// `CPU_COUNT`: how many CPUs are in the set.
    #[inline]
    #[must_use]
    pub fn count(&self) -> u32 {
        self.bits.iter().map(|word| word.count_ones()).sum()
    }

    /// `CPU_ZERO`: removes every CPU.
    #[inline]
    pub fn clear(&mut self) {
        *self = Self::new();
    }

    /// The set's bytes, as the kernel reads and writes them.
    #[inline]
    pub(crate) fn words_mut(&mut self) -> &mut [c_ulong] {
        &mut self.bits
    }

    /// The set's words, as the kernel reads them.
    #[inline]
    pub(crate) fn words(&self) -> &[c_ulong] {
        &self.bits
    }
}

#[cold]
#[inline(never)]
fn cpu_out_of_range(field: usize) -> ! {
    panic!("CPU {field} does not fit a CpuSet (MAX_CPU is 1024)")
}

impl Default for CpuSet {
    #[inline]
    fn default() -> Self {
        Self::new()
    }
}

/// `CPU_EQUAL`.
impl PartialEq for CpuSet {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits
    }
}

impl Eq for CpuSet {}

impl Hash for CpuSet {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.bits.hash(state);
    }
}

/// The CPUs in the set, as rustix prints them: `CpuSet { cpu0, cpu3 }`.
impl fmt::Debug for CpuSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CpuSet {")?;
        let mut separator = " ";
        for cpu in (0..Self::MAX_CPU).filter(|&cpu| self.is_set(cpu)) {
            write!(f, "{separator}cpu{cpu}")?;
            separator = ", ";
        }
        f.write_str(" }")
    }
}

static_assertions::assert_eq_size!(CpuSet, [u8; 128]);

// ---- futexes ---------------------------------------------------------------------------------

flags! {
    /// `FUTEX_*` flags for the [`futex`](crate::thread::futex) calls.
    pub struct Flags: u32 {
        /// `FUTEX_PRIVATE_FLAG`: the futex is used by this process's threads only, which
        /// spares the kernel looking up a shared mapping.
        const PRIVATE = k::FUTEX_PRIVATE_FLAG;
        /// `FUTEX_CLOCK_REALTIME`: `wait_bitset` measures its timeout against
        /// `CLOCK_REALTIME`, not `CLOCK_MONOTONIC` (`lock_pi`'s always is). The operations the
        /// kernel does not take it with answer `ENOSYS`; which those are has changed between
        /// versions (Linux 4.5 let `wait` take it; 6.18, where the tests ran, answers `ENOSYS`), so
        /// the kernel decides.
        const CLOCK_REALTIME = k::FUTEX_CLOCK_REALTIME;
        /// Bits this version does not name: kept, and passed to the kernel as they are (which
        /// answers an unknown one with `ENOSYS`).
        const _ = !0;
    }
}

/// `FUTEX_WAITERS`: the bit of a priority-inheritance futex word that says threads wait on it.
pub const WAITERS: u32 = k::FUTEX_WAITERS;

/// `FUTEX_OWNER_DIED`: the bit of a priority-inheritance futex word that says its owner died
/// holding it.
pub const OWNER_DIED: u32 = k::FUTEX_OWNER_DIED;

/// A futex operation: the low bits of the call's `op` argument, under the [`Flags`].
#[derive(Debug, Copy, Clone, Eq, PartialEq)]
#[repr(u32)]
pub(crate) enum Operation {
    Wait = k::FUTEX_WAIT,
    Wake = k::FUTEX_WAKE,
    Requeue = k::FUTEX_REQUEUE,
    CmpRequeue = k::FUTEX_CMP_REQUEUE,
    WakeOp = k::FUTEX_WAKE_OP,
    LockPi = k::FUTEX_LOCK_PI,
    UnlockPi = k::FUTEX_UNLOCK_PI,
    TrylockPi = k::FUTEX_TRYLOCK_PI,
    WaitBitset = k::FUTEX_WAIT_BITSET,
    WakeBitset = k::FUTEX_WAKE_BITSET,
}

/// `FUTEX_OP_*`: what [`wake_op`](crate::thread::futex::wake_op) does to the second futex
/// word, `old` being its value before and `oparg` the operation's argument.
#[derive(Debug, Copy, Clone, Eq, PartialEq, Hash)]
#[repr(u32)]
pub enum WakeOp {
    /// `FUTEX_OP_SET`: `oparg`.
    Set = k::FUTEX_OP_SET,
    /// `FUTEX_OP_ADD`: `old + oparg`.
    Add = k::FUTEX_OP_ADD,
    /// `FUTEX_OP_OR`: `old | oparg`.
    Or = k::FUTEX_OP_OR,
    /// `FUTEX_OP_ANDN`: `old & !oparg`.
    AndN = k::FUTEX_OP_ANDN,
    /// `FUTEX_OP_XOR`: `old ^ oparg`.
    XOr = k::FUTEX_OP_XOR,
    /// `FUTEX_OP_SET` with `FUTEX_OP_OPARG_SHIFT`: `1 << oparg`.
    SetShift = k::FUTEX_OP_SET | OPARG_SHIFT,
    /// `FUTEX_OP_ADD` with `FUTEX_OP_OPARG_SHIFT`: `old + (1 << oparg)`.
    AddShift = k::FUTEX_OP_ADD | OPARG_SHIFT,
    /// `FUTEX_OP_OR` with `FUTEX_OP_OPARG_SHIFT`: `old | (1 << oparg)`.
    OrShift = k::FUTEX_OP_OR | OPARG_SHIFT,
    /// `FUTEX_OP_ANDN` with `FUTEX_OP_OPARG_SHIFT`: `old & !(1 << oparg)`.
    AndNShift = k::FUTEX_OP_ANDN | OPARG_SHIFT,
    /// `FUTEX_OP_XOR` with `FUTEX_OP_OPARG_SHIFT`: `old ^ (1 << oparg)`.
    XOrShift = k::FUTEX_OP_XOR | OPARG_SHIFT,
}

/// `FUTEX_OP_OPARG_SHIFT`, as [`WakeOp`]'s four bits hold it.
const OPARG_SHIFT: u32 = k::FUTEX_OP_OPARG_SHIFT;

/// `FUTEX_OP_CMP_*`: the test of the second futex word's old value against `cmparg` that
/// decides whether [`wake_op`](crate::thread::futex::wake_op) wakes its waiters too.
#[derive(Debug, Copy, Clone, Eq, PartialEq, Hash)]
#[repr(u32)]
pub enum WakeOpCmp {
    /// `FUTEX_OP_CMP_EQ`: `old == cmparg`.
    Eq = k::FUTEX_OP_CMP_EQ,
    /// `FUTEX_OP_CMP_NE`: `old != cmparg`.
    Ne = k::FUTEX_OP_CMP_NE,
    /// `FUTEX_OP_CMP_LT`: `old < cmparg`.
    Lt = k::FUTEX_OP_CMP_LT,
    /// `FUTEX_OP_CMP_LE`: `old <= cmparg`.
    Le = k::FUTEX_OP_CMP_LE,
    /// `FUTEX_OP_CMP_GT`: `old > cmparg`.
    Gt = k::FUTEX_OP_CMP_GT,
    /// `FUTEX_OP_CMP_GE`: `old >= cmparg`.
    Ge = k::FUTEX_OP_CMP_GE,
}

/// `FUTEX_OP(op, oparg, cmp, cmparg)`: the `val3` word of `FUTEX_WAKE_OP`, or `Err(INVAL)` for
/// an `oparg` or `cmparg` that does not fit its 12 bits (which the word would otherwise cut).
#[inline]
pub(crate) fn wake_op_word(op: WakeOp, cmp: WakeOpCmp, oparg: u16, cmparg: u16) -> Result<u32> {
    if oparg >= 1 << 12 || cmparg >= 1 << 12 {
        return Err(Errno::INVAL);
    }
    Ok(((op as u32) << 28) | ((cmp as u32) << 24) | (u32::from(oparg) << 12) | u32::from(cmparg))
}
