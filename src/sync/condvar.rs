//! A condition variable over one futex word.

use crate::sync::{Mutex, MutexGuard};
use crate::thread::futex::Timespec;
use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;

/// A condition variable, as `std::sync::Condvar`, for use with a [`Mutex`].
///
/// A counter that every notification increments and waiters sleep on: a waiter reads it
/// before it unlocks the mutex, so a notification between the unlock and the sleep changes the
/// word and the sleep returns at once. Wake-ups may be spurious; wait in a loop that checks
/// the condition, or with [`Condvar::wait_while`].
///
/// ```
/// use barecall::sync::{Condvar, Mutex};
///
/// let ready = Mutex::new(false);
/// let changed = Condvar::new();
/// std::thread::scope(|s| {
///     s.spawn(|| {
///         *ready.lock() = true;
///         changed.notify_one();
///     });
///     let guard = changed.wait_while(ready.lock(), |ready| !*ready);
///     assert!(*guard);
/// });
/// ```
pub struct Condvar {
    notifications: AtomicU32,
}

/// Whether [`Condvar::wait_timeout`] returned because its time ran out.
#[derive(Debug, PartialEq, Eq, Copy, Clone)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    /// True if the time ran out (rather than a notification or a spurious wake-up).
    #[must_use]
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    /// A condition variable nobody waits on; `const`, for `static`s.
    #[inline]
    #[must_use]
    pub const fn new() -> Self {
        Self {
            notifications: AtomicU32::new(0),
        }
    }

    /// Unlocks the guard's mutex and sleeps until a notification (or a spurious wake-up), then
    /// locks it again and returns the guard.
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        self.wait_optional_timeout(guard, None).0
    }

    /// Waits while `condition` holds for the value, checking it before each wait.
    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> MutexGuard<'a, T>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard);
        }
        guard
    }

    /// As [`Condvar::wait`], for at most `timeout` (a relative time on `CLOCK_MONOTONIC`; one
    /// longer than `i64::MAX` seconds waits as long as that).
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> (MutexGuard<'a, T>, WaitTimeoutResult) {
        let timeout = Timespec {
            tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
            tv_nsec: i64::from(timeout.subsec_nanos()),
        };
        self.wait_optional_timeout(guard, Some(&timeout))
    }

    fn wait_optional_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Option<&Timespec>,
    ) -> (MutexGuard<'a, T>, WaitTimeoutResult) {
        let mutex: &'a Mutex<T> = guard.mutex();
        let seen = self.notifications.load(Ordering::Relaxed);
        // The guard's unlock, done by hand: the same mutex is locked again below.
        core::mem::forget(guard);
        mutex.unlock_for_wait();
        let timed_out = super::wait(&self.notifications, seen, timeout);
        (mutex.lock(), WaitTimeoutResult(timed_out))
    }

    /// Wakes one waiter, if any.
    #[inline]
    pub fn notify_one(&self) {
        self.notifications.fetch_add(1, Ordering::Relaxed);
        super::wake(&self.notifications, 1);
    }

    /// Wakes every waiter.
    #[inline]
    pub fn notify_all(&self) {
        self.notifications.fetch_add(1, Ordering::Relaxed);
        super::wake(&self.notifications, super::ALL);
    }
}

impl Default for Condvar {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Condvar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condvar").finish_non_exhaustive()
    }
}
