//! The pipe module's typed system calls.

use crate::conv::{by_mut, ret};
use crate::errno::Result;
use crate::fd::{FromRawFd, OwnedFd};
use crate::pipe::PipeFlags;
use core::mem::MaybeUninit;

#[inline]
pub(crate) fn pipe2(flags: PipeFlags) -> Result<(OwnedFd, OwnedFd)> {
    let mut fds = MaybeUninit::<[i32; 2]>::uninit();
    // SAFETY: pipe2 writes two `int`s through the pointer, which is live and writable; on
    // success both are new fds owned by nobody else.
    unsafe {
        ret(syscall!(__NR_pipe2, by_mut(&mut fds), flags))?;
        let [reader, writer] = fds.assume_init();
        Ok((OwnedFd::from_raw_fd(reader), OwnedFd::from_raw_fd(writer)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn flags_are_the_kernels() {
        use crate::pipe::PipeFlags;
        assert_eq!(
            PipeFlags::NONBLOCK.bits(),
            linux_raw_sys::general::O_NONBLOCK
        );
        assert_eq!(PipeFlags::all().bits(), u32::MAX);
    }
}
