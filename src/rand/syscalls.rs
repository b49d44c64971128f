//! The rand module's typed system calls.

use crate::conv::{raw_ptr, ret_usize, size};
use crate::errno::Result;
use crate::rand::GetRandomFlags;

/// # Safety
///
/// `buf` is valid for writes of `len` bytes.
#[inline]
pub(crate) unsafe fn getrandom(
    (buf, len): (*mut u8, usize),
    flags: GetRandomFlags,
) -> Result<usize> {
    // SAFETY: the caller vouches for the buffer; the kernel writes at most `len` bytes to it.
    unsafe { ret_usize(syscall!(__NR_getrandom, raw_ptr(buf), size(len), flags)) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn flags_are_the_kernels() {
        use crate::rand::GetRandomFlags;
        assert_eq!(GetRandomFlags::NONBLOCK.bits(), 1);
        assert_eq!(GetRandomFlags::RANDOM.bits(), 2);
        assert_eq!(GetRandomFlags::INSECURE.bits(), 4);
    }
}
