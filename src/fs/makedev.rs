//! Device numbers: the userspace `dev_t` encoding of a major and a minor number (glibc's).

use crate::fs::Dev;

/// `makedev(maj, min)`—The device number of a major and a minor number.
///
/// The encoding is glibc's: the low 8 bits of the minor, then the low 12 of the major, then
/// the rest of the minor (24 bits), then the rest of the major (20 bits).
///
/// # References
///  - [Linux `makedev(3)`](https://man7.org/linux/man-pages/man3/makedev.3.html)
#[inline]
pub const fn makedev(maj: u32, min: u32) -> Dev {
    let (maj, min) = (maj as u64, min as u64);
    ((maj & 0xffff_f000) << 32) | ((maj & 0xfff) << 8) | ((min & 0xffff_ff00) << 12) | (min & 0xff)
}

/// `major(dev)`—The major number of a device number.
///
/// # References
///  - [Linux `major(3)`](https://man7.org/linux/man-pages/man3/major.3.html)
#[inline]
pub const fn major(dev: Dev) -> u32 {
    (((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff)) as u32
}

/// `minor(dev)`—The minor number of a device number.
///
/// # References
///  - [Linux `minor(3)`](https://man7.org/linux/man-pages/man3/minor.3.html)
#[inline]
pub const fn minor(dev: Dev) -> u32 {
    (((dev >> 12) & 0xffff_ff00) | (dev & 0xff)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_and_minor_round_trip() {
        for (maj, min) in [
            (0, 0),
            (8, 1),
            (259, 65_536),
            (u32::MAX, u32::MAX),
            (0xfff, 0xff),
        ] {
            let dev = makedev(maj, min);
            assert_eq!((major(dev), minor(dev)), (maj, min));
        }
        // The classic 16-bit encoding for small numbers: major in bits 8..16.
        assert_eq!(makedev(8, 1), 0x801);
        assert_eq!(makedev(0x1000, 0), 1 << 44);
        assert_eq!(makedev(0, 0x100), 1 << 20);
    }
}
