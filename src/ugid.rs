//! User and group IDs: the `Uid` and `Gid` that `fs` (ownership) and `process` (identity)
//! share, re-exported by both as in rustix.

use core::fmt;

/// A user ID as a raw integer (`uid_t`).
pub type RawUid = u32;
/// A group ID as a raw integer (`gid_t`).
pub type RawGid = u32;

/// Declares one ID type: a transparent wrapper with rustix's constructors and formatting.
macro_rules! id_type {
    ($(#[$doc:meta])* $Name:ident($Raw:ident), $what:literal) => {
        $(#[$doc])*
        #[repr(transparent)]
        #[derive(Copy, Clone, Eq, PartialEq, Debug, Hash)]
        pub struct $Name($Raw);

        impl $Name {
            #[doc = concat!("The root ", $what, " (0).")]
            pub const ROOT: Self = Self(0);

            #[doc = concat!("Wraps a raw ", $what, " ID.")]
            ///
            /// Unlike rustix, which debug-asserts it, `!0` is not refused here: it is the
            /// kernel's "no ID" (`chown`'s "leave unchanged"), which [`fs::chownat`] and
            /// [`fs::fchown`] express as `None`; a `Some` of it means the same to the kernel.
            ///
            /// [`fs::chownat`]: https://docs.rs/rustix/1/rustix/fs/fn.chownat.html
            /// [`fs::fchown`]: https://docs.rs/rustix/1/rustix/fs/fn.fchown.html
            #[inline]
            pub const fn from_raw(raw: $Raw) -> Self {
                Self(raw)
            }

            #[doc = concat!("Wraps a raw ", $what, " ID, as [`Self::from_raw`] does.")]
            #[inline]
            pub const fn from_raw_unchecked(raw: $Raw) -> Self {
                Self(raw)
            }

            #[doc = concat!("The raw ", $what, " ID.")]
            #[inline]
            pub const fn as_raw(self) -> $Raw {
                self.0
            }

            #[doc = concat!("Whether this is the root ", $what, " (0).")]
            #[inline]
            pub const fn is_root(self) -> bool {
                self.0 == 0
            }
        }

        impl fmt::Display for $Name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

id_type! {
    /// `uid_t`—A user ID.
    Uid(RawUid), "user"
}

id_type! {
    /// `gid_t`—A group ID.
    Gid(RawGid), "group"
}

/// A `Some` ID as its raw value, `None` as `!0` (the kernel's "leave unchanged").
impl From<Option<Uid>> for crate::conv::Arg<'static> {
    #[inline(always)]
    fn from(id: Option<Uid>) -> Self {
        crate::conv::c_uint(id.map_or(!0, Uid::as_raw))
    }
}

/// A `Some` ID as its raw value, `None` as `!0` (the kernel's "leave unchanged").
impl From<Option<Gid>> for crate::conv::Arg<'static> {
    #[inline(always)]
    fn from(id: Option<Gid>) -> Self {
        crate::conv::c_uint(id.map_or(!0, Gid::as_raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_their_value() {
        assert_eq!(Uid::from_raw(1000).as_raw(), 1000);
        assert!(Gid::ROOT.is_root() && !Gid::from_raw(5).is_root());
        assert_eq!(std::format!("{}", Uid::from_raw(42)), "42");
        assert_eq!(
            crate::conv::Arg::from(None::<Uid>).into_raw(),
            u32::MAX as usize
        );
        assert_eq!(crate::conv::Arg::from(Some(Gid::from_raw(7))).into_raw(), 7);
    }
}
