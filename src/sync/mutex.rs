//! A mutual exclusion lock over one futex word.

use core::cell::UnsafeCell;
use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicU32, Ordering};

/// The lock word's states.
const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
/// Held, and a thread may sleep on the word: the unlock must wake one.
const CONTENDED: u32 = 2;

/// Times a locker re-reads a held lock before it sleeps (std's figure): a holder that is
/// about to release it costs a few reads, not a system call.
const SPINS: u32 = 100;

/// A mutual exclusion lock protecting a `T`, as `std::sync::Mutex`, without poisoning.
///
/// `lock` takes it with one compare-and-swap when it is free; a thread that finds it held
/// spins briefly, then sleeps on the futex until the holder's unlock wakes it. The lock is
/// not fair and not reentrant: a thread that locks it twice sleeps for ever.
///
/// ```
/// use barecall::sync::Mutex;
///
/// static COUNT: Mutex<u64> = Mutex::new(0);
/// *COUNT.lock() += 1;
/// assert_eq!(*COUNT.lock(), 1);
/// ```
pub struct Mutex<T: ?Sized> {
    state: AtomicU32,
    data: UnsafeCell<T>,
}

// SAFETY: the lock hands the `T` to one thread at a time, so sending the mutex (and so the
// `T`) or sharing it between threads needs only that `T` may move between threads.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
// SAFETY: as above: `&Mutex<T>` gives `&mut T` to one thread at a time, never `&T` to two.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}

impl<T> Mutex<T> {
    /// A free lock holding `value`; `const`, so a `static` can hold one.
    #[inline]
    pub const fn new(value: T) -> Self {
        Self {
            state: AtomicU32::new(UNLOCKED),
            data: UnsafeCell::new(value),
        }
    }

    /// The value, taking the mutex apart.
    #[inline]
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Takes the lock, sleeping while another thread holds it; the guard releases it when
    /// dropped.
    #[inline]
    pub fn lock(&self) -> MutexGuard<'_, T> {
        if self
            .state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        MutexGuard {
            mutex: self,
            _not_send: PhantomData,
        }
    }

    /// Takes the lock if no thread holds it, without waiting.
    #[inline]
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        self.state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .ok()
            .map(|_| MutexGuard {
                mutex: self,
                _not_send: PhantomData,
            })
    }

    /// The value, through `&mut self`: no other reference exists, so no lock is needed.
    #[inline]
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    #[cold]
    fn lock_contended(&self) {
        let mut state = self.spin();
        if state == UNLOCKED {
            match self.state.compare_exchange(
                UNLOCKED,
                LOCKED,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(now) => state = now,
            }
        }
        loop {
            // Marked contended before sleeping, so that the holder's unlock wakes a sleeper;
            // a lock found free by the swap is taken (contended, to be safe about others).
            if state != CONTENDED && self.state.swap(CONTENDED, Ordering::Acquire) == UNLOCKED {
                return;
            }
            super::wait(&self.state, CONTENDED, None);
            state = self.spin();
        }
    }

    /// Re-reads the word while it is held without waiters, up to [`SPINS`] times.
    fn spin(&self) -> u32 {
        let mut spins = SPINS;
        loop {
            let state = self.state.load(Ordering::Relaxed);
            if state != LOCKED || spins == 0 {
                return state;
            }
            core::hint::spin_loop();
            spins -= 1;
        }
    }

    /// Releases the lock, waking one sleeper if there may be one.
    #[inline]
    fn unlock(&self) {
        if self.state.swap(UNLOCKED, Ordering::Release) == CONTENDED {
            super::wake(&self.state, 1);
        }
    }

    /// Releases the lock for a condition variable's wait, which forgot the caller's guard.
    pub(super) fn unlock_for_wait(&self) {
        self.unlock();
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    fn from(value: T) -> Self {
        Self::new(value)
    }
}

/// Shows the value if the lock is free now, else `<locked>`; it never waits.
impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Mutex");
        match self.try_lock() {
            Some(guard) => d.field("data", &&*guard),
            None => d.field("data", &format_args!("<locked>")),
        };
        d.finish_non_exhaustive()
    }
}

/// Holds a [`Mutex`] locked, and gives access to its value; dropping it unlocks.
///
/// Not `Send`, as std's: the thread that locked is the one that unlocks.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct MutexGuard<'a, T: ?Sized> {
    mutex: &'a Mutex<T>,
    _not_send: PhantomData<*const ()>,
}

// SAFETY: a shared guard gives only `&T`, which other threads may hold when `T: Sync`.
unsafe impl<T: ?Sized + Sync> Sync for MutexGuard<'_, T> {}

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    /// The mutex this guard holds, for the condition variable.
    pub(super) fn mutex(&self) -> &'a Mutex<T> {
        self.mutex
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock, so no other thread has a reference to the data,
        // and this one's is tied to the guard's borrow.
        unsafe { &*self.mutex.data.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference through the guard.
        unsafe { &mut *self.mutex.data.get() }
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.mutex.unlock();
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
