//! One-time initialisation over one futex word.

use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering};

/// Nothing ran yet, or the last run panicked.
const INCOMPLETE: u32 = 0;
/// A thread runs the initialiser; nobody waits.
const RUNNING: u32 = 1;
/// A thread runs the initialiser and others sleep on the word.
const QUEUED: u32 = 2;
/// The initialiser returned.
const COMPLETE: u32 = 3;

/// Runs an initialiser once, as `std::sync::Once`: the first caller runs it, callers that
/// come while it runs sleep until it returns, and later ones return at once.
///
/// Unlike std's, a panicking initialiser does not poison it: the state goes back to "not
/// run", the sleepers wake, and the next caller runs its own initialiser.
///
/// ```
/// use barecall::sync::Once;
///
/// static INIT: Once = Once::new();
/// let mut runs = 0;
/// INIT.call_once(|| runs += 1);
/// INIT.call_once(|| runs += 1);
/// assert_eq!(runs, 1);
/// assert!(INIT.is_completed());
/// ```
pub struct Once {
    state: AtomicU32,
}

impl Once {
    /// A `Once` that has not run; `const`, for `static`s.
    #[inline]
    #[must_use]
    pub const fn new() -> Self {
        Self {
            state: AtomicU32::new(INCOMPLETE),
        }
    }

    /// Whether an initialiser has returned. What it wrote is visible to the caller once this
    /// says `true`.
    #[inline]
    pub fn is_completed(&self) -> bool {
        self.state.load(Ordering::Acquire) == COMPLETE
    }

    /// Runs `f` if no initialiser has returned yet and none is running; waits for a running
    /// one. When it returns, one initialiser has returned (this one or another's).
    #[inline]
    pub fn call_once<F: FnOnce()>(&self, f: F) {
        if !self.is_completed() {
            self.call_once_slow(f);
        }
    }

    #[cold]
    fn call_once_slow<F: FnOnce()>(&self, f: F) {
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            match state {
                COMPLETE => return,
                INCOMPLETE => {
                    if let Err(now) = self.state.compare_exchange(
                        INCOMPLETE,
                        RUNNING,
                        Ordering::Acquire,
                        Ordering::Acquire,
                    ) {
                        state = now;
                        continue;
                    }
                    // A panic in `f` drops the guard with `INCOMPLETE`: another caller may try.
                    let mut guard = Completion {
                        state: &self.state,
                        set_to: INCOMPLETE,
                    };
                    f();
                    guard.set_to = COMPLETE;
                    return;
                }
                _ => {
                    // Say that a thread sleeps here, so that the runner's completion wakes it.
                    if state == RUNNING {
                        if let Err(now) = self.state.compare_exchange(
                            RUNNING,
                            QUEUED,
                            Ordering::Relaxed,
                            Ordering::Acquire,
                        ) {
                            state = now;
                            continue;
                        }
                    }
                    super::wait(&self.state, QUEUED, None);
                    state = self.state.load(Ordering::Acquire);
                }
            }
        }
    }
}

/// Stores the outcome of a run and wakes its sleepers, also when the initialiser panics.
struct Completion<'a> {
    state: &'a AtomicU32,
    set_to: u32,
}

impl Drop for Completion<'_> {
    fn drop(&mut self) {
        if self.state.swap(self.set_to, Ordering::Release) == QUEUED {
            super::wake(self.state, super::ALL);
        }
    }
}

impl Default for Once {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Once {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Once")
            .field("completed", &self.is_completed())
            .finish()
    }
}
