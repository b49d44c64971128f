//! The process module's typed system calls.

use crate::conv::c_int;

#[inline]
pub(crate) fn exit_group(status: i32) -> ! {
    // SAFETY: exit_group ends every thread of the process; it does not return.
    unsafe {
        crate::raw::syscall1_noreturn(crate::raw::nr::__NR_exit_group, c_int(status).into_raw())
    }
}
