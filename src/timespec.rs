//! `Timespec`: a point in time or a span as seconds and nanoseconds, with 64-bit seconds on
//! every architecture (the kernel's `__kernel_timespec`). Re-exported by `fs`, as in rustix.

use core::num::TryFromIntError;
use core::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use core::time::Duration;

/// Seconds in a [`Timespec`].
pub type Secs = i64;

/// Nanoseconds in a [`Timespec`]: 64 bits on every architecture, as the kernel's
/// `__kernel_timespec` has them.
pub type Nsecs = i64;

/// `struct timespec`—Seconds and nanoseconds, laid out as the kernel's `__kernel_timespec`
/// (what the `*_time64` calls of 32-bit arm take).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
#[repr(C)]
pub struct Timespec {
    /// Seconds.
    pub tv_sec: Secs,
    /// Nanoseconds; below 1_000_000_000 in a normalized value.
    pub tv_nsec: Nsecs,
}

/// One second in nanoseconds.
const NANOS_PER_SEC: Nsecs = 1_000_000_000;

impl Timespec {
    /// `self + rhs`, or `None` if the seconds overflow. Both must be normalized.
    pub const fn checked_add(self, rhs: Self) -> Option<Self> {
        let Some(mut tv_sec) = self.tv_sec.checked_add(rhs.tv_sec) else {
            return None;
        };
        let mut tv_nsec = self.tv_nsec + rhs.tv_nsec;
        if tv_nsec >= NANOS_PER_SEC {
            tv_nsec -= NANOS_PER_SEC;
            tv_sec = match tv_sec.checked_add(1) {
                Some(sec) => sec,
                None => return None,
            };
        }
        Some(Self { tv_sec, tv_nsec })
    }

    /// `self - rhs`, or `None` if the seconds overflow. Both must be normalized.
    pub const fn checked_sub(self, rhs: Self) -> Option<Self> {
        let Some(mut tv_sec) = self.tv_sec.checked_sub(rhs.tv_sec) else {
            return None;
        };
        let mut tv_nsec = self.tv_nsec - rhs.tv_nsec;
        if tv_nsec < 0 {
            tv_nsec += NANOS_PER_SEC;
            tv_sec = match tv_sec.checked_sub(1) {
                Some(sec) => sec,
                None => return None,
            };
        }
        Some(Self { tv_sec, tv_nsec })
    }
}

/// Fails for negative seconds (or nanoseconds out of range).
impl TryFrom<Timespec> for Duration {
    type Error = TryFromIntError;

    fn try_from(ts: Timespec) -> Result<Self, Self::Error> {
        Ok(Self::new(ts.tv_sec.try_into()?, ts.tv_nsec.try_into()?))
    }
}

/// Fails for more than `i64::MAX` seconds.
impl TryFrom<Duration> for Timespec {
    type Error = TryFromIntError;

    fn try_from(dur: Duration) -> Result<Self, Self::Error> {
        Ok(Self {
            tv_sec: dur.as_secs().try_into()?,
            tv_nsec: Nsecs::from(dur.subsec_nanos()),
        })
    }
}

/// # Panics
///
/// On overflow of the seconds, as integer `+` in debug builds (use
/// [`checked_add`](Timespec::checked_add) to avoid it).
impl Add for Timespec {
    type Output = Self;

    fn add(self, rhs: Self) -> Self {
        self.checked_add(rhs).expect("Timespec addition overflowed")
    }
}

/// # Panics
///
/// As [`Add`].
impl AddAssign for Timespec {
    fn add_assign(&mut self, rhs: Self) {
        *self = *self + rhs;
    }
}

/// # Panics
///
/// On overflow of the seconds (use [`checked_sub`](Timespec::checked_sub) to avoid it).
impl Sub for Timespec {
    type Output = Self;

    fn sub(self, rhs: Self) -> Self {
        self.checked_sub(rhs)
            .expect("Timespec subtraction overflowed")
    }
}

/// # Panics
///
/// As [`Sub`].
impl SubAssign for Timespec {
    fn sub_assign(&mut self, rhs: Self) {
        *self = *self - rhs;
    }
}

/// # Panics
///
/// For `tv_sec == i64::MIN` (with zero nanoseconds, or -1 with some), which has no negation.
impl Neg for Timespec {
    type Output = Self;

    fn neg(self) -> Self {
        Self::default() - self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn ts(tv_sec: Secs, tv_nsec: Nsecs) -> Timespec {
        Timespec { tv_sec, tv_nsec }
    }

    #[test]
    fn arithmetic_carries_and_borrows_nanoseconds() {
        assert_eq!(ts(1, 600_000_000) + ts(2, 500_000_000), ts(4, 100_000_000));
        assert_eq!(ts(1, 100_000_000) - ts(0, 200_000_000), ts(0, 900_000_000));
        assert_eq!(-ts(1, 250_000_000), ts(-2, 750_000_000));
        let mut t = ts(5, 0);
        t += ts(0, 999_999_999);
        t -= ts(5, 999_999_999);
        assert_eq!(t, ts(0, 0));
        assert_eq!(ts(i64::MAX, 999_999_999).checked_add(ts(0, 1)), None);
        assert_eq!(ts(i64::MAX, 0).checked_add(ts(1, 0)), None);
        assert_eq!(ts(i64::MIN, 0).checked_sub(ts(0, 1)), None);
        assert_eq!(ts(i64::MIN, 0).checked_sub(ts(1, 0)), None);
    }

    #[test]
    fn durations_convert_both_ways() {
        let d = Duration::new(7, 123);
        assert_eq!(Timespec::try_from(d), Ok(ts(7, 123)));
        assert_eq!(Duration::try_from(ts(7, 123)), Ok(d));
        assert!(Duration::try_from(ts(-1, 0)).is_err());
        assert!(Timespec::try_from(Duration::from_secs(u64::MAX)).is_err());
    }

    #[test]
    fn layout_is_the_kernels() {
        use linux_raw_sys::general::__kernel_timespec;
        static_assertions::assert_eq_size!(Timespec, __kernel_timespec);
        static_assertions::assert_eq_align!(Timespec, __kernel_timespec);
    }
}
