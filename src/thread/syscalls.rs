//! The thread module's typed system calls.

use crate::conv::{
    by_ref, c_uint, opt_by_ref, raw_ptr, ret, ret_c_int_infallible, ret_usize, size, slice_addr,
    slice_mut_addr, zero, Arg,
};
use crate::errno::Result;
use crate::thread::futex::Timespec;
use crate::thread::types::{Flags, Operation};
use crate::thread::{CpuSet, Pid};
use core::ffi::c_void;
use core::mem::{size_of_val, MaybeUninit};
use core::sync::atomic::AtomicU32;

#[inline]
pub(crate) fn sched_yield() {
    // SAFETY: sched_yield touches no memory; it always returns 0, which says nothing.
    let _ = unsafe { syscall_readonly!(__NR_sched_yield) };
}

#[inline]
pub(crate) fn gettid() -> Pid {
    // SAFETY: gettid touches no memory.
    let raw = ret_c_int_infallible(unsafe { syscall_readonly!(__NR_gettid) });
    // SAFETY: a thread ID is never 0: the kernel numbers tasks from 1.
    unsafe { Pid::from_raw_unchecked(raw) }
}

/// # Safety
///
/// As [`crate::thread::set_tid_address`]'s contract.
#[inline]
pub(crate) unsafe fn set_tid_address(data: *mut c_void) -> Pid {
    // SAFETY: set_tid_address only stores the pointer now (the caller answers for the write
    // at exit); it returns the caller's thread ID, never 0.
    unsafe {
        let raw = ret_c_int_infallible(syscall_readonly!(__NR_set_tid_address, raw_ptr(data)));
        Pid::from_raw_unchecked(raw)
    }
}

/// Ends the calling thread (`exit`, not `exit_group`: the other threads go on).
#[inline]
pub(crate) fn exit_thread() -> ! {
    // SAFETY: exit ends the calling thread only; it does not return.
    unsafe { crate::raw::syscall1_noreturn(crate::raw::nr::__NR_exit, 0) }
}

/// Blocks every signal the kernel lets a thread block, in the calling thread.
#[inline]
pub(crate) fn block_all_signals() {
    let all = linux_raw_sys::general::kernel_sigset_t {
        sig: [!0; core::mem::size_of::<linux_raw_sys::general::kernel_sigset_t>()
            / core::mem::size_of::<linux_raw_sys::ctypes::c_ulong>()],
    };
    // SAFETY: rt_sigprocmask reads the live set (the kernel's size) and, given null for the
    // old set, writes nothing; SIGKILL and SIGSTOP it leaves out by itself. It cannot fail
    // with these arguments.
    let _ = unsafe {
        syscall_readonly!(
            __NR_rt_sigprocmask,
            c_uint(linux_raw_sys::general::SIG_BLOCK),
            by_ref(&all),
            zero(),
            size(size_of_val(&all))
        )
    };
}

#[inline]
pub(crate) fn sched_setaffinity(pid: Option<Pid>, cpuset: &CpuSet) -> Result<()> {
    let words = cpuset.words();
    // SAFETY: sched_setaffinity reads `size_of_val(words)` bytes of the live mask.
    unsafe {
        ret(syscall_readonly!(
            __NR_sched_setaffinity,
            pid,
            size(size_of_val(words)),
            slice_addr(words)
        ))
    }
}

#[inline]
pub(crate) fn sched_getaffinity(pid: Option<Pid>) -> Result<CpuSet> {
    // Cleared first: the kernel writes only as many bytes as its own mask has.
    let mut cpuset = CpuSet::new();
    let words = cpuset.words_mut();
    // SAFETY: sched_getaffinity writes at most `size_of_val(words)` bytes into the live mask
    // (any bits are a valid mask) and returns how many it wrote, or fails with `EINVAL` when its
    // mask does not fit.
    unsafe {
        ret_usize(syscall!(
            __NR_sched_getaffinity,
            pid,
            size(size_of_val(words)),
            slice_mut_addr(words)
        ))?;
    }
    Ok(cpuset)
}

#[inline]
pub(crate) fn sched_getcpu() -> usize {
    let mut cpu = MaybeUninit::<u32>::uninit();
    // SAFETY: getcpu writes the CPU number into the live local and, given null for the node
    // and the (unused) cache, nothing else; with a valid pointer it cannot fail.
    unsafe {
        let raw = syscall!(__NR_getcpu, crate::conv::by_mut(&mut cpu), zero(), zero());
        match ret(raw) {
            Ok(()) => cpu.assume_init() as usize,
            Err(_) => getcpu_failed(),
        }
    }
}

/// A `getcpu` that failed on a valid pointer, which no kernel does (only a seccomp filter or a
/// tracer could make it): there is no CPU number to return, and inventing one would be worse.
#[cold]
#[inline(never)]
fn getcpu_failed() -> ! {
    panic!("getcpu failed")
}

/// `futex` on 64-bit targets; 32-bit arm's `futex` takes a 32-bit `timespec`, so there it is
/// `futex_time64` (Linux 5.1), which takes `Timespec`'s layout, as `ppoll_time64` does in
/// `event`.
///
/// Every futex call is a full compiler barrier (`syscall!`, not `syscall_readonly!`): a wait
/// sleeps while other threads write the memory the futex guards, and the PI and wake-op
/// operations write the futex words themselves.
#[inline(always)]
fn futex(
    uaddr: &AtomicU32,
    op: Operation,
    flags: Flags,
    val: u32,
    timeout_or_val2: Arg<'_>,
    uaddr2: Option<&AtomicU32>,
    val3: u32,
) -> Result<usize> {
    // SAFETY: the futex words are live `AtomicU32`s, which the kernel reads and writes
    // atomically, as their type allows; the timeout, if the operation takes one, is a live
    // `__kernel_timespec` (asserted in timespec.rs) that it only reads, and otherwise a number.
    unsafe {
        #[cfg(target_arch = "arm")]
        let raw = syscall!(
            __NR_futex_time64,
            by_ref(uaddr),
            c_uint(op as u32 | flags.bits()),
            c_uint(val),
            timeout_or_val2,
            opt_by_ref(uaddr2),
            c_uint(val3)
        );
        #[cfg(not(target_arch = "arm"))]
        let raw = syscall!(
            __NR_futex,
            by_ref(uaddr),
            c_uint(op as u32 | flags.bits()),
            c_uint(val),
            timeout_or_val2,
            opt_by_ref(uaddr2),
            c_uint(val3)
        );
        ret_usize(raw)
    }
}

/// `FUTEX_WAKE`, in three registers: the kernel reads neither a timeout nor a second word nor
/// `val3` for it, so they are not set (three instructions fewer, in the call every unlock of a
/// contended lock makes).
#[inline]
pub(crate) fn futex_wake(uaddr: &AtomicU32, flags: Flags, val: u32) -> Result<usize> {
    let op = c_uint(Operation::Wake as u32 | flags.bits());
    // SAFETY: the word is a live `AtomicU32`; a wake reads and writes no user memory, but it
    // is kept a compiler barrier as every futex call is (see `futex`).
    unsafe {
        #[cfg(target_arch = "arm")]
        let raw = syscall!(__NR_futex_time64, by_ref(uaddr), op, c_uint(val));
        #[cfg(not(target_arch = "arm"))]
        let raw = syscall!(__NR_futex, by_ref(uaddr), op, c_uint(val));
        ret_usize(raw)
    }
}

/// A futex operation that takes a timeout (`None`: wait for ever).
#[inline]
pub(crate) fn futex_timeout(
    uaddr: &AtomicU32,
    op: Operation,
    flags: Flags,
    val: u32,
    timeout: Option<&Timespec>,
    val3: u32,
) -> Result<usize> {
    futex(uaddr, op, flags, val, opt_by_ref(timeout), None, val3)
}

/// A futex operation that takes a number (`val2`, a count) where others take the timeout: the
/// kernel reads that register as an `unsigned long` and cuts it to `u32`, so a `u32` is what
/// it gets.
#[inline]
pub(crate) fn futex_val2(
    uaddr: &AtomicU32,
    op: Operation,
    flags: Flags,
    val: u32,
    val2: u32,
    uaddr2: Option<&AtomicU32>,
    val3: u32,
) -> Result<usize> {
    futex(uaddr, op, flags, val, size(val2 as usize), uaddr2, val3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore)] // makes a system call, which Miri cannot run
    fn a_wait_on_a_changed_word_is_again() {
        let word = AtomicU32::new(1);
        assert_eq!(
            futex_timeout(&word, Operation::Wait, Flags::PRIVATE, 0, None, 0),
            Err(crate::errno::Errno::AGAIN)
        );
    }
}
