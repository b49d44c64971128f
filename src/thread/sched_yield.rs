//! Giving up the CPU.

/// `sched_yield()`—Lets other threads run before this one continues. It cannot fail.
///
/// # References
///  - [Linux `sched_yield(2)`](https://man7.org/linux/man-pages/man2/sched_yield.2.html)
#[inline]
pub fn sched_yield() {
    crate::thread::syscalls::sched_yield()
}
