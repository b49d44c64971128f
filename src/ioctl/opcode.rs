//! Request numbers, computed as the kernel's `_IOC` macros compute them.
//!
//! An opcode packs four fields: the direction of the data, its size in bytes, a group (the
//! "type", a letter a driver family picked) and a number within the group. All four supported
//! architectures use the asm-generic layout: direction in bits 30-31, size in 16-29, group in
//! 8-15, number in 0-7. The layout is written down once, in this file's `layout` module.
//!
//! These are `const fn`s, so an opcode can be a const generic argument:
//! `Getter<{ opcode::read::<c_long>(b'f', 1) }, c_long>` is `FS_IOC_GETFLAGS`.
//!
//! # References
//!  - [Linux `ioctl(2)`, "Encoding"](https://man7.org/linux/man-pages/man2/ioctl.2.html)

use crate::ioctl::{Direction, Opcode};
use core::mem::size_of;

/// The architecture's opcode layout (`include/uapi/asm-generic/ioctl.h`). powerpc, mips and
/// sparc use 3 direction bits, 13 size bits and other direction values (`NONE` = 1, `READ` = 2,
/// `WRITE` = 4): a port to one of them adds its numbers here, and nothing else changes.
#[cfg(any(
    target_arch = "x86_64",
    target_arch = "aarch64",
    target_arch = "riscv64",
    target_arch = "arm"
))]
mod layout {
    use crate::ioctl::Opcode;

    pub(super) const SIZE_BITS: Opcode = 14;
    pub(super) const DIR_BITS: Opcode = 2;
    pub(super) const NONE: Opcode = 0;
    pub(super) const WRITE: Opcode = 1;
    pub(super) const READ: Opcode = 2;
}

const NUMBER_BITS: Opcode = 8;
const GROUP_BITS: Opcode = 8;
const NUMBER_SHIFT: Opcode = 0;
const GROUP_SHIFT: Opcode = NUMBER_SHIFT + NUMBER_BITS;
const SIZE_SHIFT: Opcode = GROUP_SHIFT + GROUP_BITS;
const DIR_SHIFT: Opcode = SIZE_SHIFT + layout::SIZE_BITS;

// The four fields fill the 32 bits exactly.
const _: () = assert!(DIR_SHIFT + layout::DIR_BITS == Opcode::BITS);

/// `_IOC(direction, group, number, data_size)`—An opcode from its four fields.
///
/// # Panics
///
/// If `data_size` does not fit the size field (16 KiB or more here), which in a `const` is a
/// compile error. rustix masks such a size instead, giving the opcode of a smaller one; a
/// request number that silently means another request is not something this crate returns.
#[doc(alias = "_IOC")]
#[inline]
pub const fn from_components(
    direction: Direction,
    group: u8,
    number: u8,
    data_size: usize,
) -> Opcode {
    assert!(
        data_size < 1 << layout::SIZE_BITS,
        "ioctl data size too large for the opcode's size field"
    );
    let direction = match direction {
        Direction::None => layout::NONE,
        Direction::Read => layout::READ,
        Direction::Write => layout::WRITE,
        Direction::ReadWrite => layout::READ | layout::WRITE,
    };
    (direction << DIR_SHIFT)
        | ((data_size as Opcode) << SIZE_SHIFT)
        | ((group as Opcode) << GROUP_SHIFT)
        | ((number as Opcode) << NUMBER_SHIFT)
}

/// `_IO(group, number)`—An opcode for a request without data (or with an integer argument).
#[doc(alias = "_IO")]
#[inline]
pub const fn none(group: u8, number: u8) -> Opcode {
    from_components(Direction::None, group, number, 0)
}

/// `_IOR(group, number, T)`—An opcode for a request in which the kernel writes a `T` that the
/// program reads.
///
/// # Panics
///
/// As [`from_components`], if `T` is 16 KiB or larger.
#[doc(alias = "_IOR")]
#[inline]
pub const fn read<T>(group: u8, number: u8) -> Opcode {
    from_components(Direction::Read, group, number, size_of::<T>())
}

/// `_IOW(group, number, T)`—An opcode for a request in which the kernel reads a `T` from the
/// program.
///
/// # Panics
///
/// As [`from_components`], if `T` is 16 KiB or larger.
#[doc(alias = "_IOW")]
#[inline]
pub const fn write<T>(group: u8, number: u8) -> Opcode {
    from_components(Direction::Write, group, number, size_of::<T>())
}

/// `_IOWR(group, number, T)`—An opcode for a request in which the kernel reads a `T` and
/// writes one back.
///
/// # Panics
///
/// As [`from_components`], if `T` is 16 KiB or larger.
#[doc(alias = "_IOWR")]
#[inline]
pub const fn read_write<T>(group: u8, number: u8) -> Opcode {
    from_components(Direction::ReadWrite, group, number, size_of::<T>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ffi::{c_int, c_long, c_uint};
    use linux_raw_sys::ioctl as k;

    #[test]
    fn opcodes_are_the_c_macros() {
        // Each against its definition in the kernel's headers, on this architecture (`long` is
        // 4 bytes on arm, 8 on the others, which the size field shows).
        assert_eq!(none(b'T', 227), k::TUNGETDEVNETNS); // _IO('T', 227)
        assert_eq!(read::<c_long>(b'f', 1), k::FS_IOC_GETFLAGS); // _IOR('f', 1, long)
        assert_eq!(write::<c_long>(b'f', 2), k::FS_IOC_SETFLAGS); // _IOW('f', 2, long)
        assert_eq!(read::<c_long>(b'v', 1), k::FS_IOC_GETVERSION); // _IOR('v', 1, long)
        assert_eq!(write::<c_int>(b'T', 200), k::TUNSETNOCSUM); // _IOW('T', 200, int)
        assert_eq!(read_write::<c_int>(b'X', 119), k::FIFREEZE); // _IOWR('X', 119, int)
        assert_eq!(read::<c_uint>(b'U', 15), k::USBDEVFS_CLAIMINTERFACE); // _IOR('U', 15, uint)
        assert_eq!(
            from_components(Direction::Write, b'v', 2, size_of::<c_long>()),
            k::FS_IOC_SETVERSION
        );
    }

    #[test]
    fn fields_land_in_their_bits() {
        assert_eq!(none(0, 0), 0);
        assert_eq!(none(0xAB, 0xCD), 0xABCD);
        assert_eq!(from_components(Direction::Write, 0, 0, 0), 1 << 30);
        assert_eq!(from_components(Direction::Read, 0, 0, 0), 2 << 30);
        assert_eq!(from_components(Direction::ReadWrite, 0, 0, 0), 3 << 30);
        assert_eq!(from_components(Direction::None, 0, 0, 0x3FFF), 0x3FFF << 16);
        assert_eq!(read::<[u8; 0x3FFF]>(0xFF, 0xFF), 0xBFFF_FFFF);
    }

    #[test]
    #[should_panic(expected = "too large")]
    fn a_size_past_the_field_is_refused() {
        let size = core::hint::black_box(1 << 14);
        let _ = from_components(Direction::Read, b'x', 1, size);
    }
}
