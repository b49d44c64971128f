//! How every flags type of the crate is declared.
//!
//! `bitflags!` in its usual form (`pub struct Name: u32 { ... }`) also generates a hidden
//! inner type with its own `Display`, `FromStr` and hex formatting, compiled into the crate
//! whether anyone uses them or not: for six flags types that was two thirds of barecall's
//! whole compile time. `flags!` declares the newtype itself and has `bitflags!` fill in only
//! the public part (`bitflags! { impl Name: u32 { ... } }`), so the types have the same
//! methods, operators, iterators and `bitflags::Flags` impl as rustix's, and `Debug` prints
//! what bitflags' own `Debug` prints (`DupFlags(CLOEXEC)`, `DupFlags(0x0)`).

use core::fmt;

/// Declares a public flags type; takes what `bitflags!` takes for a public struct, without
/// `repr` and `derive` attributes, which it supplies.
macro_rules! flags {
    // 64-bit flags (`StatxAttributes`) are only ever read from the kernel: no conversion to a
    // register, which on 32-bit targets would hold only half of them.
    (
        $(#[$outer:meta])*
        pub struct $Name:ident: u64 { $($body:tt)* }
    ) => {
        flags! { @define no_register $(#[$outer])* pub struct $Name: u64 { $($body)* } }
    };
    // 16-bit flags (`PollFlags`) only ever travel in memory (`struct pollfd`), never in a
    // register.
    (
        $(#[$outer:meta])*
        pub struct $Name:ident: u16 { $($body:tt)* }
    ) => {
        flags! { @define no_register $(#[$outer])* pub struct $Name: u16 { $($body)* } }
    };
    (
        $(#[$outer:meta])*
        pub struct $Name:ident: $Bits:ty { $($body:tt)* }
    ) => {
        flags! { @define register $(#[$outer])* pub struct $Name: $Bits { $($body)* } }
    };
    (@register register $Name:ident) => {
        /// The bits, as the register of a syscall argument.
        impl From<$Name> for $crate::conv::Arg<'static> {
            #[inline(always)]
            fn from(flags: $Name) -> Self {
                $crate::conv::c_uint(flags.bits())
            }
        }
    };
    (@register no_register $Name:ident) => {};
    (
        @define $register:ident
        $(#[$outer:meta])*
        pub struct $Name:ident: $Bits:ty {
            $(
                $(#[$($inner:tt)*])*
                const $Flag:tt = $value:expr;
            )*
        }
    ) => {
        $(#[$outer])*
        #[repr(transparent)]
        #[derive(Copy, Clone, Eq, PartialEq, Hash)]
        pub struct $Name($Bits);

        bitflags::bitflags! {
            impl $Name: $Bits {
                $(
                    $(#[$($inner)*])*
                    const $Flag = $value;
                )*
            }
        }

        flags! { @register $register $Name }

        impl core::fmt::Debug for $Name {
            #[inline]
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_tuple(stringify!($Name))
                    .field(&$crate::flags::Names(self))
                    .finish()
            }
        }
    };
}

/// The inside of a flags type's `Debug`: its flag names joined by ` | `, bits without a name
/// in hex, and `0x0` when empty, as bitflags writes them.
pub(crate) struct Names<'a, F>(pub(crate) &'a F);

impl<F> fmt::Debug for Names<'_, F>
where
    F: bitflags::Flags,
    F::Bits: bitflags::parser::WriteHex + fmt::LowerHex,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            write!(f, "{:#x}", self.0.bits())
        } else {
            bitflags::parser::to_writer(self.0, f)
        }
    }
}

#[cfg(test)]
mod tests {
    //! `Debug` as bitflags' own `Debug` writes it (the claim in the module docs).
    use crate::io::{DupFlags, FdFlags, ReadWriteFlags};
    use std::format;

    #[test]
    fn debug_is_bitflags_text() {
        assert_eq!(format!("{:?}", DupFlags::CLOEXEC), "DupFlags(CLOEXEC)");
        assert_eq!(format!("{:?}", DupFlags::empty()), "DupFlags(0x0)");
        assert_eq!(
            format!("{:?}", ReadWriteFlags::DSYNC | ReadWriteFlags::NOWAIT),
            "ReadWriteFlags(DSYNC | NOWAIT)"
        );
        // Unnamed bits in hex, after the names.
        assert_eq!(
            format!("{:?}", FdFlags::from_bits_retain(0x1 | 0x40)),
            "FdFlags(CLOEXEC | 0x40)"
        );
    }
}
