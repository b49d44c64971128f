//! A value set once, over [`Once`].

use crate::sync::Once;
use core::cell::UnsafeCell;
use core::fmt;
use core::mem::MaybeUninit;

/// A value written at most once and then shared, as `std::sync::OnceLock`.
///
/// An initialiser that panics leaves it empty, as std's does; a caller that comes while
/// another's initialiser runs sleeps until it returns.
///
/// ```
/// use barecall::sync::OnceLock;
///
/// static NAME: OnceLock<&str> = OnceLock::new();
/// assert_eq!(NAME.get(), None);
/// assert_eq!(*NAME.get_or_init(|| "first"), "first");
/// assert_eq!(NAME.set("second"), Err("second"));
/// assert_eq!(NAME.get(), Some(&"first"));
/// ```
pub struct OnceLock<T> {
    once: Once,
    value: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: the value is written once, by one thread, before `once` completes (a release);
// afterwards it is only read (`&T`, so `T: Sync`), and the writer may be any thread, and the
// value may be dropped or taken out by another (`T: Send`).
unsafe impl<T: Sync + Send> Sync for OnceLock<T> {}
// SAFETY: sending the lock sends the value, if any.
unsafe impl<T: Send> Send for OnceLock<T> {}

impl<T> OnceLock<T> {
    /// An empty cell; `const`, for `static`s.
    #[inline]
    #[must_use]
    pub const fn new() -> Self {
        Self {
            once: Once::new(),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// The value, if one was set.
    #[inline]
    pub fn get(&self) -> Option<&T> {
        if self.once.is_completed() {
            // SAFETY: completion (acquired by `is_completed`) follows the value's one write,
            // and nothing writes it after.
            Some(unsafe { (*self.value.get()).assume_init_ref() })
        } else {
            None
        }
    }

    /// The value, if one was set, through `&mut self`.
    #[inline]
    pub fn get_mut(&mut self) -> Option<&mut T> {
        if self.once.is_completed() {
            // SAFETY: as in `get`; `&mut self` makes this the only reference.
            Some(unsafe { self.value.get_mut().assume_init_mut() })
        } else {
            None
        }
    }

    /// The value, running `f` to make it if none was set (in one thread only: the others wait
    /// for its result).
    pub fn get_or_init<F: FnOnce() -> T>(&self, f: F) -> &T {
        self.once.call_once(|| {
            // SAFETY: `Once` runs this closure in one thread at a time and, once one returns,
            // never again; nothing reads the value before completion.
            unsafe { (*self.value.get()).write(f()) };
        });
        match self.get() {
            Some(value) => value,
            // `call_once` returns after some initialiser returned.
            None => unreachable!("OnceLock initialised without a value"),
        }
    }

    /// Sets the value if none was set; `Err(value)`, handing it back, if one was.
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| match value.take() {
            Some(value) => value,
            None => unreachable!("the initialiser runs once"),
        });
        match value {
            None => Ok(()),
            Some(value) => Err(value),
        }
    }

    /// The value, if one was set, taking the cell apart.
    pub fn into_inner(mut self) -> Option<T> {
        self.take()
    }

    /// Takes the value out, leaving the cell empty.
    pub fn take(&mut self) -> Option<T> {
        if self.once.is_completed() {
            self.once = Once::new();
            // SAFETY: the value was set (completion), and the reset `Once` says it no longer
            // is, so it is read out once.
            Some(unsafe { self.value.get_mut().assume_init_read() })
        } else {
            None
        }
    }
}

impl<T> Drop for OnceLock<T> {
    fn drop(&mut self) {
        if self.once.is_completed() {
            // SAFETY: the value was set, and this is its last use.
            unsafe { self.value.get_mut().assume_init_drop() };
        }
    }
}

impl<T> Default for OnceLock<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for OnceLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_tuple("OnceLock");
        match self.get() {
            Some(value) => d.field(value),
            None => d.field(&format_args!("<uninit>")),
        };
        d.finish()
    }
}
