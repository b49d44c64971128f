//! The two ways a benchmark loop consumes a call's result, each written once for every
//! implementation.
//!
//! - [`Checked`]: a failure ends the run (the `Err` arm diverges into [`fail`]), and the success
//!   value is kept.
//! - [`Matched`]: what user code usually does, `match call { Ok(v) => black_box(v), Err(e) =>
//!   cold_handler(e) }`: the `Err` arm goes to a cold, out-of-line handler that returns a value,
//!   so the two arms rejoin and the result lives on after the `match`.
//!
//! The asm floor and libc have no `Result`: [`Pattern::raw`] and [`Pattern::libc`] are the same
//! two shapes over a raw kernel result and over libc's negative-is-error convention.

use crate::fail;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many times [`cold_handler`] ran; `check` reports any.
pub static HANDLED_ERRORS: AtomicU64 = AtomicU64::new(0);

/// A success value as a `u64`, and the value [`cold_handler`] returns in its place.
pub trait Value {
    /// The value as a `u64`.
    fn to_u64(self) -> u64;
    /// The value the error handler gives back.
    fn failed() -> Self;
}

macro_rules! int_values {
    ($($ty:ty),*) => {$(
        impl Value for $ty {
            #[inline(always)]
            fn to_u64(self) -> u64 {
                self as u64
            }
            fn failed() -> Self {
                <$ty>::MAX
            }
        }
    )*};
}

int_values!(usize, isize, u64, i64, u32, i32);

impl Value for () {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        0
    }
    fn failed() -> Self {}
}

impl Value for barecall::io::FdFlags {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self.bits().into()
    }
    fn failed() -> Self {
        Self::from_bits_retain(u32::MAX)
    }
}

impl Value for rustix::io::FdFlags {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self.bits().into()
    }
    fn failed() -> Self {
        Self::from_bits_retain(u32::MAX)
    }
}

impl Value for barecall::fs::OFlags {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self.bits().into()
    }
    fn failed() -> Self {
        Self::from_bits_retain(u32::MAX)
    }
}

impl Value for rustix::fs::OFlags {
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self.bits().into()
    }
    fn failed() -> Self {
        Self::from_bits_retain(u32::MAX)
    }
}

/// libc's results: negative is an error, with `errno` set.
pub trait LibcResult: Copy {
    /// Whether the call failed.
    fn is_error(self) -> bool;
}

impl LibcResult for isize {
    #[inline(always)]
    fn is_error(self) -> bool {
        self < 0
    }
}

impl LibcResult for i32 {
    #[inline(always)]
    fn is_error(self) -> bool {
        self < 0
    }
}

/// The `Err` arm of [`Matched`]: out of line and cold, as a user's error handler would be. It
/// counts the error (no benchmarked call fails; `check` says so if one does) and gives back a
/// value, so that the `match` rejoins.
#[cold]
#[inline(never)]
pub fn cold_handler<E, T: Value>(error: E) -> T {
    black_box(error);
    HANDLED_ERRORS.fetch_add(1, Ordering::Relaxed);
    T::failed()
}

/// A way of consuming results; see the module docs.
pub trait Pattern {
    /// A typed call's `Result`.
    fn result<T: Value, E>(result: Result<T, E>) -> u64;

    /// A raw kernel result (`-4095..=-1` is `-errno`: one unsigned compare); `ok` makes the
    /// success value of it.
    fn raw<T: Value>(raw: usize, ok: impl FnOnce(usize) -> T) -> u64;

    /// A libc result; `ok` makes the success value of it.
    fn libc<R: LibcResult, T: Value>(ret: R, ok: impl FnOnce(R) -> T) -> u64;
}

/// Whether a raw kernel result is an error.
#[inline(always)]
fn raw_is_error(raw: usize) -> bool {
    raw > -4096_isize as usize
}

/// A failure ends the run; the success value is kept.
pub struct Checked;

impl Pattern for Checked {
    #[inline(always)]
    fn result<T: Value, E>(result: Result<T, E>) -> u64 {
        match result {
            Ok(value) => value.to_u64(),
            Err(_) => fail(),
        }
    }

    #[inline(always)]
    fn raw<T: Value>(raw: usize, ok: impl FnOnce(usize) -> T) -> u64 {
        if raw_is_error(raw) {
            fail()
        }
        ok(raw).to_u64()
    }

    #[inline(always)]
    fn libc<R: LibcResult, T: Value>(ret: R, ok: impl FnOnce(R) -> T) -> u64 {
        if ret.is_error() {
            fail()
        }
        ok(ret).to_u64()
    }
}

/// `match result { Ok(v) => black_box(v), Err(e) => cold_handler(e) }`.
pub struct Matched;

impl Pattern for Matched {
    #[inline(always)]
    fn result<T: Value, E>(result: Result<T, E>) -> u64 {
        match result {
            Ok(value) => black_box(value),
            Err(error) => cold_handler(error),
        }
        .to_u64()
    }

    #[inline(always)]
    fn raw<T: Value>(raw: usize, ok: impl FnOnce(usize) -> T) -> u64 {
        if raw_is_error(raw) {
            cold_handler((raw as isize).wrapping_neg() as i32)
        } else {
            black_box(ok(raw))
        }
        .to_u64()
    }

    #[inline(always)]
    fn libc<R: LibcResult, T: Value>(ret: R, ok: impl FnOnce(R) -> T) -> u64 {
        if ret.is_error() {
            cold_handler(std::io::Error::last_os_error())
        } else {
            black_box(ok(ret))
        }
        .to_u64()
    }
}
