//! Process IDs: the `Pid` that `process` and `thread` share, re-exported by both as in rustix.

use core::fmt;
use core::num::NonZeroI32;

/// A process ID as a raw integer (`pid_t`).
pub type RawPid = i32;

/// `pid_t`—A process (or, on Linux, thread) ID, never zero.
///
/// A number, not a handle: the process may exit and its number be given to another one at any
/// time. Where that matters, a pidfd names a process without the race.
///
/// Zero is not a `Pid`: calls that take "this process" or "any" as 0 take `Option<Pid>`, with
/// `None` for 0, which `Option<Pid>` stores in the same four bytes.
#[repr(transparent)]
#[derive(Copy, Clone, Eq, PartialEq, Debug, Hash)]
pub struct Pid(NonZeroI32);

impl Pid {
    /// The init process, 1.
    pub const INIT: Self = Self(match NonZeroI32::new(1) {
        Some(one) => one,
        None => panic!("1 is not zero"),
    });

    /// Wraps a raw ID: `Some` for any number but 0, `None` for 0.
    ///
    /// A negative number is not a process ID (calls that take one give it other meanings:
    /// "all processes", "a process group"), so it is best not passed; unlike rustix, which
    /// debug-asserts against it, it is wrapped as it is.
    #[inline]
    pub const fn from_raw(raw: RawPid) -> Option<Self> {
        match NonZeroI32::new(raw) {
            Some(raw) => Some(Self(raw)),
            None => None,
        }
    }

    /// Wraps a raw ID known not to be 0.
    ///
    /// # Safety
    ///
    /// `raw` is not 0.
    #[inline]
    pub const unsafe fn from_raw_unchecked(raw: RawPid) -> Self {
        // SAFETY: the caller promises `raw` is not zero.
        Self(unsafe { NonZeroI32::new_unchecked(raw) })
    }

    /// The ID of the child process `child`.
    #[cfg(feature = "std")]
    #[inline]
    pub fn from_child(child: &std::process::Child) -> Self {
        // SAFETY: std's `Child` holds the positive `pid_t` that `fork`/`clone` or
        // `posix_spawn` returned for it (widened to `u32`): never 0.
        unsafe { Self::from_raw_unchecked(child.id() as RawPid) }
    }

    /// The ID as a `NonZeroI32`.
    #[inline]
    pub const fn as_raw_nonzero(self) -> NonZeroI32 {
        self.0
    }

    /// The ID as a raw integer (`self.as_raw_nonzero().get()`).
    #[inline]
    pub const fn as_raw_pid(self) -> RawPid {
        self.0.get()
    }

    /// An optional ID as a raw integer: `None` is 0.
    #[inline]
    pub const fn as_raw(pid: Option<Self>) -> RawPid {
        match pid {
            Some(pid) => pid.0.get(),
            None => 0,
        }
    }

    /// Whether this is the init process ([`Pid::INIT`]).
    #[inline]
    pub const fn is_init(self) -> bool {
        self.0.get() == 1
    }
}

/// An optional ID as the raw register value: `None` is 0 ("this process" or "any").
impl From<Option<Pid>> for crate::conv::Arg<'static> {
    #[inline(always)]
    fn from(pid: Option<Pid>) -> Self {
        crate::conv::c_int(Pid::as_raw(pid))
    }
}

macro_rules! pid_fmt {
    ($($Trait:ident)*) => {$(
        impl fmt::$Trait for Pid {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::$Trait::fmt(&self.0, f)
            }
        }
    )*};
}

pid_fmt!(Display Binary Octal LowerHex UpperHex LowerExp UpperExp);

// `Option<Pid>` is a `pid_t` in memory, `None` being 0.
static_assertions::assert_eq_size!(Pid, RawPid);
static_assertions::assert_eq_size!(Option<Pid>, RawPid);

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;

    #[test]
    fn pids_keep_their_value_and_zero_is_none() {
        assert_eq!(Pid::from_raw(0), None);
        assert_eq!(Pid::from_raw(77).map(Pid::as_raw_pid), Some(77));
        assert_eq!(
            Pid::from_raw(77).map(Pid::as_raw_nonzero),
            NonZeroI32::new(77)
        );
        assert_eq!(Pid::as_raw(Pid::from_raw(77)), 77);
        assert_eq!(Pid::as_raw(None), 0);
        assert_eq!(Pid::from_raw(-5).map(Pid::as_raw_pid), Some(-5));
        // SAFETY: 4567 is not zero.
        let pid = unsafe { Pid::from_raw_unchecked(4567) };
        assert_eq!(pid.as_raw_pid(), 4567);
        assert!(Pid::INIT.is_init() && !pid.is_init());
        assert_eq!(Pid::from_raw(1), Some(Pid::INIT));
        assert_eq!(crate::conv::Arg::from(None::<Pid>).into_raw(), 0);
        assert_eq!(crate::conv::Arg::from(Some(pid)).into_raw(), 4567);
    }

    #[test]
    fn pids_format_as_their_number() {
        let pid = Pid::from_raw(255).unwrap();
        assert_eq!(
            format!("{pid} {pid:x} {pid:X} {pid:o} {pid:b} {pid:e}"),
            "255 ff FF 377 11111111 2.55e2"
        );
        assert_eq!(format!("{pid:?}"), "Pid(255)");
    }

    #[test]
    fn option_pid_is_a_raw_pid_in_memory() {
        // SAFETY: `Option<Pid>` is four bytes (asserted above) with `None` as 0.
        let (none, some) = unsafe {
            (
                core::mem::transmute::<Option<Pid>, RawPid>(None),
                core::mem::transmute::<Option<Pid>, RawPid>(Pid::from_raw(4567)),
            )
        };
        assert_eq!((none, some), (0, 4567));
    }
}
