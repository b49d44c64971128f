//! Which CPUs a thread may run on, and which one it runs on.

use crate::errno::Result;
use crate::thread::{CpuSet, Pid};

/// `sched_setaffinity(pid, cpuset)`—Restricts thread `pid` (the calling thread for `None`) to
/// the CPUs in `cpuset`.
///
/// A set with no CPU that is online and allowed is `Err(INVAL)`; another user's thread is
/// `Err(PERM)` without `CAP_SYS_NICE`; a thread that does not exist is `Err(SRCH)`.
///
/// # References
///  - [Linux `sched_setaffinity(2)`](https://man7.org/linux/man-pages/man2/sched_setaffinity.2.html)
#[inline]
pub fn sched_setaffinity(pid: Option<Pid>, cpuset: &CpuSet) -> Result<()> {
    crate::thread::syscalls::sched_setaffinity(pid, cpuset)
}

/// `sched_getaffinity(pid)`—The CPUs thread `pid` (the calling thread for `None`) may run on.
///
/// The kernel fills as many bytes as its own mask has (a multiple of the word size); the rest
/// of the set is clear. A kernel whose mask is wider than [`CpuSet::MAX_CPU`] bits answers
/// `Err(INVAL)` rather than a truncated set.
///
/// # References
///  - [Linux `sched_getaffinity(2)`](https://man7.org/linux/man-pages/man2/sched_getaffinity.2.html)
#[inline]
pub fn sched_getaffinity(pid: Option<Pid>) -> Result<CpuSet> {
    crate::thread::syscalls::sched_getaffinity(pid)
}

/// `getcpu(&cpu, NULL, NULL)`—The CPU the calling thread was running on during the call (it
/// may run elsewhere by the time the answer is read). Through the system call, not the vDSO.
///
/// # References
///  - [Linux `getcpu(2)`](https://man7.org/linux/man-pages/man2/getcpu.2.html)
///  - [Linux `sched_getcpu(3)`](https://man7.org/linux/man-pages/man3/sched_getcpu.3.html)
#[inline]
#[must_use]
pub fn sched_getcpu() -> usize {
    crate::thread::syscalls::sched_getcpu()
}
